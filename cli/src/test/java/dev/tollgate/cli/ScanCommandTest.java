package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

class ScanCommandTest {
    private static final Path SHIPPED_POLICY = Paths.get("..", "conf", "tollgate-dlp-policy.xml");

    @TempDir
    Path dir;

    private String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Tollgate.newCommandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    private Path eml(String name, String to, String body) throws Exception {
        Path f = dir.resolve(name);
        Files.write(f, ("From: alice@example.com\r\nTo: " + to + "\r\nSubject: s\r\nContent-Type: text/plain\r\n\r\n"
                + body + "\r\n").getBytes(StandardCharsets.UTF_8));
        return f;
    }

    @Test
    void shippedPolicyQuarantinesCardsForExternalRecipientsOnly() throws Exception {
        eml("a.eml", "bob@example.com, carol@partner.example", "card 4111 1111 1111 1111");
        eml("b.eml", "carol@partner.example", "nothing to see");
        String[] r = run("scan", dir.toString(), "--policy", SHIPPED_POLICY.toString());
        assertThat(r[0]).as(r[2]).isEqualTo("1");
        assertThat(r[1]).contains("a.eml: verdict=sensitive action=quarantine mode=enforce rules=cards-external")
                .contains("recipient bob@example.com: allow").contains("recipient carol@partner.example: quarantine (cards-external)")
                .contains("finding body[1] payment-card").contains("4111 **** **** 1111")
                .contains("b.eml: verdict=clean action=allow")
                .doesNotContain("4111 1111 1111 1111");
    }

    @Test
    void inlinePgpIsShownAsEncryptedAndThePolicyDecidesWhatBecomesOfIt() throws Exception {
        String armour = Files.readString(Paths.get("..", "core", "src", "test", "resources", "dev", "tollgate", "core",
                "dlp", "openpgp", "encrypted.asc"), StandardCharsets.US_ASCII).replace("\n", "\r\n");
        Path f = eml("pgp.eml", "carol@partner.example", "Hi,\r\n\r\n" + armour);
        String[] shipped = run("scan", f.toString(), "--policy", SHIPPED_POLICY.toString());
        assertThat(shipped[0]).as(shipped[2]).isEqualTo("1");
        assertThat(shipped[1]).contains("pgp.eml: verdict=encrypted action=quarantine mode=enforce rules=encrypted")
                .contains("recipient carol@partner.example: quarantine (encrypted)")
                .contains("unscannable body[1] ENCRYPTED (sender-encrypted): OpenPGP encrypted message, ASCII-armoured");
        Path allow = dir.resolve("allow.xml");
        Files.writeString(allow, "<dlp-policy encrypted='allow'/>");
        String[] allowed = run("scan", f.toString(), "--policy", allow.toString(), "--json");
        assertThat(allowed[0]).as(allowed[2]).isEqualTo("0");
        assertThat(allowed[1]).contains("\"verdict\":\"encrypted\"").contains("\"action\":\"allow\"")
                .contains("\"reason\":\"ENCRYPTED\",\"encrypted\":true");
    }

    @Test
    void jsonOutputAndEnvelopeOptions() throws Exception {
        Path f = eml("a.eml", "x@y.example", "key AKIAIOSFODNN7EXAMPLE");
        String[] r = run("scan", f.toString(), "--policy", SHIPPED_POLICY.toString(), "--json",
                "--recipient", "dev@partner.example", "--local-domains", "example.com");
        assertThat(r[0]).isEqualTo("1");
        assertThat(r[1].trim()).startsWith("{\"file\":").endsWith("]}")
                .contains("\"verdict\":\"sensitive\"").contains("\"action\":\"reject\"")
                .contains("{\"address\":\"dev@partner.example\",\"action\":\"reject\",\"rules\":[\"secrets-external\"]}")
                .contains("\"detector\":\"cloud-credential\"").doesNotContain("AKIAIOSFODNN7EXAMPLE");
        assertThat(r[1].trim().lines().count()).isEqualTo(1);
    }

    @Test
    void allowedMessagesExitZeroAndBrokenPoliciesExitTwoNamingTheLine() throws Exception {
        Path f = eml("a.eml", "bob@example.com", "card 4111 1111 1111 1111");
        assertThat(run("scan", f.toString(), "--policy", SHIPPED_POLICY.toString())[0]).isEqualTo("0");
        Path bad = dir.resolve("bad.xml");
        Files.writeString(bad, "<dlp-policy>\n<rule id='x' detectors='payment-card' action='nope'/>\n</dlp-policy>");
        String[] r = run("scan", f.toString(), "--policy", bad.toString());
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains(bad + ":2:").contains("unknown action 'nope'");
    }

    @Test
    void outputNamesTheExtractorAndTheWrapperPropertyIsTheDefault() throws Exception {
        Path f = eml("a.eml", "bob@example.com", "hello");
        String[] none = run("scan", f.toString(), "--policy", SHIPPED_POLICY.toString());
        assertThat(none[0]).as(none[2]).isEqualTo("0");
        assertThat(none[1]).startsWith("policy: " + SHIPPED_POLICY + System.lineSeparator()
                + "extractor: none: PDF and Office documents are unscannable");

        Path jar = Files.writeString(dir.resolve("tollgate-extractor-0.1.0-SNAPSHOT.jar"), "not started for text mail");
        System.setProperty(ScanCommand.EXTRACTOR_PROPERTY, jar.toString());
        try {
            String[] found = run("scan", f.toString(), "--policy", SHIPPED_POLICY.toString());
            assertThat(found[1]).as(found[2]).contains("extractor: " + jar + " (found in the build by cli/tollgate)");

            Path other = Files.writeString(dir.resolve("other.jar"), "x");
            String[] flag = run("scan", f.toString(), "--policy", SHIPPED_POLICY.toString(), "--json",
                    "--document-extractor-jar", other.toString());
            assertThat(flag[2]).startsWith("policy: " + SHIPPED_POLICY + System.lineSeparator() + "extractor: " + other + " (--document-extractor-jar)");
            assertThat(flag[1].trim()).startsWith("{\"file\":");

            System.setProperty(ScanCommand.EXTRACTOR_PROPERTY, dir.resolve("missing.jar").toString());
            String[] missing = run("scan", f.toString(), "--policy", SHIPPED_POLICY.toString());
            assertThat(missing[0]).isEqualTo("2");
            assertThat(missing[2]).contains("documentExtractorJar").contains("missing.jar");
        } finally {
            System.clearProperty(ScanCommand.EXTRACTOR_PROPERTY);
        }
    }

    @Test
    void withoutPolicyOutsideAJamesHomeTheWrappersShippedPolicyIsUsed() throws Exception {
        // The tests run in cli/, which has no conf/: the working directory's default does not exist there.
        assertThat(Path.of(ScanCommand.DEFAULT_POLICY)).doesNotExist();
        Path f = eml("a.eml", "carol@partner.example", "card 4111 1111 1111 1111");
        System.setProperty(ScanCommand.POLICY_PROPERTY, SHIPPED_POLICY.toString());
        try {
            String[] r = run("scan", f.toString());
            assertThat(r[0]).as(r[2]).isEqualTo("1");
            assertThat(r[1]).contains("policy: " + SHIPPED_POLICY)
                    .contains("a.eml: verdict=sensitive action=quarantine mode=enforce rules=cards-external");
        } finally {
            System.clearProperty(ScanCommand.POLICY_PROPERTY);
        }
    }

    @Test
    void aMissingPolicyIsNamedWithoutALineNumber() throws Exception {
        Path f = eml("a.eml", "carol@partner.example", "hello");
        Path missing = dir.resolve("nowhere.xml");
        String[] r = run("scan", f.toString(), "--policy", missing.toString());
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("tollgate scan: " + missing + ": cannot read: no such file").doesNotContain(":0:");
    }

    @Test
    void anEmptyDirectoryIsAnErrorAndLongNumbersInLocationsAreMasked() throws Exception {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        String[] none = run("scan", empty.toString(), "--policy", SHIPPED_POLICY.toString());
        assertThat(none[0]).isEqualTo("2");
        assertThat(none[2]).contains("no .eml files in " + empty);
        assertThat(dev.tollgate.core.dlp.policy.MaskedLocation.of("attachment:4111111111111111.txt")).isEqualTo("attachment:4111********1111.txt");
        assertThat(dev.tollgate.core.dlp.policy.MaskedLocation.of("attachment:a.zip!/4111-1111-1111-1111 card.csv"))
                .isEqualTo("attachment:a.zip!/4111-****-****-1111 card.csv");
        assertThat(dev.tollgate.core.dlp.policy.MaskedLocation.of("body[1] \u2192 base64")).isEqualTo("body[1] \u2192 base64");
        assertThat(dev.tollgate.core.dlp.policy.MaskedLocation.of("attachment:invoice-2026-12-04.pdf")).isEqualTo("attachment:invoice-2026-12-04.pdf");
    }
}
