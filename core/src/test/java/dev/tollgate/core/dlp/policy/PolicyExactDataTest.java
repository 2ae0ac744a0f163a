package dev.tollgate.core.dlp.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import javax.mail.Session;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tollgate.core.dlp.ExactDataMatch;
import dev.tollgate.core.dlp.content.MimeContentExtractor;
import dev.tollgate.core.testing.MutableClock;

class PolicyExactDataTest {
    private static final String POLICY = "<dlp-policy>\n"
            + "  <exact-data id='Customers' file='lists/customers.edm'/>\n"
            + "  <rule id='customer-numbers' detectors='edm:customers' external-only='true' action='quarantine'/>\n"
            + "</dlp-policy>\n";
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private Path writeList(List<String> values, Instant mtime) throws Exception {
        Path f = dir.resolve("lists/customers.edm");
        Files.createDirectories(f.getParent());
        try (Writer w = Files.newBufferedWriter(f, StandardCharsets.UTF_8)) {
            ExactDataMatch.fromValues("x", values).writeTo(w);
        }
        Files.setLastModifiedTime(f, FileTime.from(mtime));
        return f;
    }

    private Path writePolicy(String xml) throws Exception {
        Path f = dir.resolve("dlp.xml");
        Files.writeString(f, xml);
        Files.setLastModifiedTime(f, FileTime.from(T0));
        return f;
    }

    private static DlpEngine.Result send(DlpEngine engine, String body) throws Exception {
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()));
        m.setFrom(new InternetAddress("alice@example.com"));
        m.setSubject("account");
        m.setText(body, "UTF-8");
        m.saveChanges();
        return engine.evaluate(m, "alice@example.com", List.of("carol@partner.example"),
                d -> d.equals("example.com"), r -> false);
    }

    private DlpEngine engine(MutableClock clock) throws Exception {
        PolicySource source = PolicySource.load(dir.resolve("dlp.xml"), PolicyParser.withBuiltInDetectors(),
                Duration.ofSeconds(5), clock);
        return new DlpEngine(source, PolicyTestSupport.SCANNER, MimeContentExtractor.builder().build());
    }

    @Test
    void aListedValueIsFoundAsATokenAndTriggersTheRuleWithAMaskedSample() throws Exception {
        Path list = writeList(List.of("CU-408172", "CU-555001"), T0);
        writePolicy(POLICY);
        DlpEngine engine = engine(new MutableClock(T0));

        Decision d = send(engine, "Please update customer cu408172 today.").decision();
        assertThat(d.action()).isEqualTo(DlpAction.QUARANTINE);
        assertThat(d.ruleIds()).containsExactly("customer-numbers");
        assertThat(d.counts()).containsEntry("edm:customers", 1);
        String audit = AuditLine.format("m1", "alice@example.com", d);
        assertThat(audit).contains("samples=edm:customers:******72").doesNotContain("408172");
        assertThat(Files.readString(list)).doesNotContainIgnoringCase("408172").doesNotContainIgnoringCase("555001")
                .startsWith("tollgate-edm 1\nsalt ");
    }

    @Test
    void nearValuesDoNotMatch() throws Exception {
        writeList(List.of("CU-408172"), T0);
        writePolicy(POLICY);
        DlpEngine engine = engine(new MutableClock(T0));
        for (String near : List.of("CU-408173", "CU-4081720", "XCU-408172", "CU-408172-7", "CU-40817")) {
            Decision d = send(engine, "customer " + near + " called").decision();
            assertThat(d.action()).as(near).isEqualTo(DlpAction.ALLOW);
            assertThat(d.counts()).as(near).doesNotContainKey("edm:customers");
        }
    }

    @Test
    void aChangedListIsReloadedWithThePolicy() throws Exception {
        Path list = writeList(List.of("CU-408172"), T0);
        writePolicy(POLICY);
        MutableClock clock = new MutableClock(T0);
        DlpEngine engine = engine(clock);
        assertThat(send(engine, "CU-408172").decision().action()).isEqualTo(DlpAction.QUARANTINE);

        writeList(List.of("CU-999888"), T0.plusSeconds(60));
        assertThat(send(engine, "CU-999888").decision().action()).as("not checked before the interval")
                .isEqualTo(DlpAction.ALLOW);
        clock.advance(Duration.ofSeconds(6));
        assertThat(send(engine, "CU-999888").decision().action()).isEqualTo(DlpAction.QUARANTINE);
        assertThat(send(engine, "CU-408172").decision().action()).isEqualTo(DlpAction.ALLOW);

        Files.writeString(list, "tollgate-edm 1\nbroken\n");
        Files.setLastModifiedTime(list, FileTime.from(T0.plusSeconds(120)));
        clock.advance(Duration.ofSeconds(6));
        assertThat(send(engine, "CU-999888").decision().action()).as("broken list keeps the previous one")
                .isEqualTo(DlpAction.QUARANTINE);

        writeList(List.of("CU-123456"), T0.plusSeconds(180));
        clock.advance(Duration.ofSeconds(6));
        assertThat(send(engine, "CU-123456").decision().action()).isEqualTo(DlpAction.QUARANTINE);
    }

    @Test
    void aMissingListFailsNamingTheFileAndTheDeclaration() throws Exception {
        Path policy = writePolicy(POLICY);
        assertThatThrownBy(() -> PolicyParser.withBuiltInDetectors().parse(policy))
                .isInstanceOf(PolicyException.class)
                .hasMessageStartingWith(dir.resolve("lists/customers.edm") + ": cannot read: ")
                .hasMessageEndingWith("(exact-data 'Customers' declared at " + policy + ":2)");
    }

    @Test
    void aBadLineInTheListFailsWithItsLineNumber() throws Exception {
        Path list = writeList(List.of("CU-408172"), T0);
        Files.writeString(list, Files.readString(list) + "9 d not-a-digest\n");
        Path policy = writePolicy(POLICY);
        assertThatThrownBy(() -> PolicyParser.withBuiltInDetectors().parse(policy))
                .isInstanceOf(PolicyException.class)
                .hasMessage(list + ":4: expected 64 hex chars (exact-data 'Customers' declared at " + policy + ":2)");
    }

    @Test
    void aRuleNamingAnUndeclaredListFailsAtTheRule() throws Exception {
        writeList(List.of("CU-408172"), T0);
        Path policy = writePolicy("<dlp-policy>\n"
                + "  <rule id='r' detectors='iban,edm:suppliers' action='tag'/>\n"
                + "  <exact-data id='customers' file='lists/customers.edm'/>\n"
                + "</dlp-policy>\n");
        assertThatThrownBy(() -> PolicyParser.withBuiltInDetectors().parse(policy))
                .isInstanceOf(PolicyException.class)
                .hasMessage(policy + ":2: rule 'r': unknown exact-data list 'edm:suppliers'; declared: edm:customers");
    }

    @Test
    void duplicateListIdsAndMissingAttributesAreRefused() throws Exception {
        writeList(List.of("CU-408172"), T0);
        Path policy = writePolicy("<dlp-policy>\n"
                + "  <exact-data id='customers' file='lists/customers.edm'/>\n"
                + "  <exact-data id='CUSTOMERS' file='lists/customers.edm'/>\n"
                + "</dlp-policy>\n");
        assertThatThrownBy(() -> PolicyParser.withBuiltInDetectors().parse(policy))
                .hasMessage(policy + ":3: duplicate exact-data id 'CUSTOMERS'");
        Path noFile = writePolicy("<dlp-policy>\n  <exact-data id='customers'/>\n</dlp-policy>\n");
        assertThatThrownBy(() -> PolicyParser.withBuiltInDetectors().parse(noFile))
                .hasMessage(noFile + ":2: <exact-data> needs attribute 'file'");
    }
}
