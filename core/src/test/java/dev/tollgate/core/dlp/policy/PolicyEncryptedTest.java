package dev.tollgate.core.dlp.policy;

import static dev.tollgate.core.dlp.policy.PolicyTestSupport.SCANNER;
import static dev.tollgate.core.dlp.policy.PolicyTestSupport.policy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tollgate.core.dlp.content.MimeContentExtractor;
import dev.tollgate.core.dlp.content.Unscannable;
import dev.tollgate.core.dlp.smime.SmimeEncryptor;
import dev.tollgate.core.testing.SmimeTestKeys;

/** The policy's {@code encrypted} and {@code encrypted-scope} attributes: parsed, validated, and in force. */
class PolicyEncryptedTest {
    private static final Unscannable SMIME = Unscannable.encryptedMessage("attachment:smime.p7m", "S/MIME enveloped-data");
    private static final Unscannable BROKEN_PDF = Unscannable.of("attachment:a.pdf", Unscannable.Reason.EXTRACTION_FAILED,
            "corrupt");
    private static final Unscannable LOCKED_ZIP = Unscannable.of("attachment:a.zip!/x", Unscannable.Reason.ENCRYPTED,
            "encrypted zip entry");

    private static Decision evaluate(DlpPolicy p, String text, List<Unscannable> unscannable, String... recipients) {
        return PolicyEvaluator.evaluate(p, DlpInput.builder().sender("alice@example.com").recipients(List.of(recipients))
                .findings(SCANNER.scan(text)).unscannable(unscannable).localDomains(Set.of("example.com")::contains)
                .build());
    }

    @Test
    void theAuditLineSaysWhyPartsWereNotExamined() {
        Decision d = evaluate(policy("<dlp-policy/>"), "hello", List.of(
                Unscannable.of("attachment:a.pdf", Unscannable.Reason.TIME_LIMIT, "no document extractor worker free"),
                Unscannable.of("message", Unscannable.Reason.TIME_LIMIT, "extraction time per message"),
                Unscannable.of("attachment:b.docx", Unscannable.Reason.EXTRACTION_FAILED, "worker failed")),
                "carol@partner.example");
        assertThat(d.unscannableReasons()).containsExactly(Map.entry("extraction_failed", 1), Map.entry("time_limit", 2));
        assertThat(AuditLine.format("m", "alice@example.com", d))
                .contains(" unscannable=3 unscannable-reasons=extraction_failed:1,time_limit:2 unscannable-parts="
                        + "attachment:a.pdf(time_limit)|message(time_limit)|attachment:b.docx(extraction_failed) encrypted=0 ");
        Decision clean = evaluate(policy("<dlp-policy/>"), "hello", List.of(), "carol@partner.example");
        assertThat(AuditLine.format("m", "alice@example.com", clean))
                .contains(" unscannable=0 unscannable-reasons= unscannable-parts= encrypted=0 ");
    }

    @Test
    void theAuditLineListsTenUnscannablePartsWithTheirDigitRunsMasked() {
        List<Unscannable> parts = new java.util.ArrayList<>();
        parts.add(Unscannable.of("attachment:4111 1111 1111 1111.pdf", Unscannable.Reason.EXTRACTION_FAILED, "x"));
        for (int i = 1; i < 12; i++) {
            parts.add(Unscannable.of("attachment:a.zip!/f" + i + ".docx", Unscannable.Reason.ENCRYPTED, "x"));
        }
        Decision d = evaluate(policy("<dlp-policy/>"), "hello", parts, "carol@partner.example");
        assertThat(d.unscannableParts()).hasSize(Decision.MAX_UNSCANNABLE_PARTS)
                .startsWith("attachment:4111 **** **** 1111.pdf(extraction_failed)", "attachment:a.zip!/f1.docx(encrypted)")
                .endsWith("attachment:a.zip!/f9.docx(encrypted)");
        assertThat(AuditLine.format("m", "alice@example.com", d)).contains("unscannable=12 ")
                .contains("|attachment:a.zip!/f9.docx(encrypted)|+2\" encrypted=0").doesNotContain("4111 1111");
    }

    @Test
    void defaultsFollowTheUnscannableActionAndScope() {
        DlpPolicy plain = policy("<dlp-policy/>");
        assertThat(plain.encryptedAction()).isEqualTo(DlpAction.QUARANTINE);
        assertThat(plain.encryptedExternalOnly()).isTrue();
        // attribute order does not matter: the default is taken after the whole element is read
        DlpPolicy strict = policy("<dlp-policy unscannable-scope='all' unscannable='reject'/>");
        assertThat(strict.encryptedAction()).isEqualTo(DlpAction.REJECT);
        assertThat(strict.encryptedExternalOnly()).isFalse();
        Decision d = evaluate(plain, "hello", List.of(SMIME), "bob@example.com", "carol@partner.example");
        assertThat(d.verdict("carol@partner.example")).isEqualTo(new RecipientVerdict(DlpAction.QUARANTINE,
                List.of(DlpPolicy.ENCRYPTED_RULE)));
        assertThat(d.verdict("bob@example.com")).isEqualTo(RecipientVerdict.ALLOW);
        assertThat(d.verdict()).isEqualTo("encrypted");
        assertThat(d.encrypted()).isEqualTo(1);
        assertThat(AuditLine.format("m", "alice@example.com", d))
                .contains(" unscannable=1 unscannable-reasons=encrypted:1 unscannable-parts=attachment:smime.p7m(encrypted) encrypted=1 ");
    }

    @Test
    void allowedEncryptionLeavesOtherUnscannablePartsAndRulesInForce() {
        DlpPolicy p = policy("<dlp-policy encrypted='allow'>"
                + "<rule id='cards' detectors='payment-card' external-only='true' action='reject'/></dlp-policy>");
        assertThat(p.encryptedAction()).isEqualTo(DlpAction.ALLOW);
        Decision only = evaluate(p, "hello", List.of(SMIME), "carol@partner.example");
        assertThat(only.action()).isEqualTo(DlpAction.ALLOW);
        assertThat(only.ruleIds()).containsExactly(DlpPolicy.ENCRYPTED_RULE);
        Decision withPdf = evaluate(p, "hello", List.of(SMIME, BROKEN_PDF), "carol@partner.example");
        assertThat(withPdf.action()).isEqualTo(DlpAction.QUARANTINE);
        assertThat(withPdf.verdict()).isEqualTo("unscannable");
        assertThat(withPdf.ruleIds()).containsExactly(DlpPolicy.UNSCANNABLE_RULE, DlpPolicy.ENCRYPTED_RULE);
        // a password-protected archive entry is ENCRYPTED too, but not message encryption: still unscannable
        assertThat(evaluate(p, "hello", List.of(LOCKED_ZIP), "carol@partner.example").action())
                .isEqualTo(DlpAction.QUARANTINE);
        assertThat(evaluate(p, "card 4111 1111 1111 1111", List.of(SMIME), "carol@partner.example").action())
                .isEqualTo(DlpAction.REJECT);
    }

    @Test
    void encryptedScopeAllReachesInternalRecipients() {
        DlpPolicy p = policy("<dlp-policy encrypted='reject' encrypted-scope='all'/>");
        Decision d = evaluate(p, "hello", List.of(SMIME), "bob@example.com", "carol@partner.example");
        assertThat(d.verdict("bob@example.com").action()).isEqualTo(DlpAction.REJECT);
        assertThat(d.verdict("carol@partner.example").action()).isEqualTo(DlpAction.REJECT);
        // other unscannable parts keep their own (default external) scope
        Decision pdf = evaluate(p, "hello", List.of(BROKEN_PDF), "bob@example.com");
        assertThat(pdf.action()).isEqualTo(DlpAction.ALLOW);
    }

    @Test
    void badValuesFailTheLoadNamingTheAttribute() {
        assertThatThrownBy(() -> policy("<dlp-policy encrypted='encrypt'/>")).isInstanceOf(PolicyException.class)
                .hasMessageContaining("policy.xml:1").hasMessageContaining("encrypted cannot be encrypt");
        assertThatThrownBy(() -> policy("<dlp-policy encrypted='allow-with-justification'/>"))
                .hasMessageContaining("encrypted cannot be allow-with-justification");
        assertThatThrownBy(() -> policy("<dlp-policy encrypted='deliver'/>"))
                .hasMessageContaining("encrypted: unknown action 'deliver'");
        assertThatThrownBy(() -> policy("<dlp-policy encrypted-scope='partners'/>"))
                .hasMessageContaining("encrypted-scope must be external or all");
        assertThatThrownBy(() -> policy("<dlp-policy><rule id='encrypted' detectors='iban' action='tag'/></dlp-policy>"))
                .hasMessageContaining("rule id 'encrypted' is reserved");
    }

    /** The example of docs/reference/ScanSensitiveData.md, loaded as it is written, in force on a real message. */
    @Test
    void documentedExampleLoadsAndDecides(@TempDir Path dir) throws Exception {
        String page = Files.readString(Paths.get("..", "docs", "reference", "ScanSensitiveData.md"));
        Matcher m = Pattern.compile("<!-- policy example: encrypted[^\\n]*-->\\n```\\n(.*?)```", Pattern.DOTALL)
                .matcher(page);
        assertThat(m.find()).as("the documented example").isTrue();
        Path file = dir.resolve("policy.xml");
        Files.writeString(file, m.group(1));
        PolicySource source = PolicySource.load(file, PolicyParser.withBuiltInDetectors(), Duration.ofSeconds(5),
                Clock.systemUTC());
        assertThat(source.current().encryptedAction()).isEqualTo(DlpAction.NOTIFY);

        SmimeTestKeys bob = SmimeTestKeys.generate("bob@partner.example");
        Session session = Session.getInstance(new Properties());
        MimeMessage plain = new MimeMessage(session, new ByteArrayInputStream(("From: alice@example.com\r\n"
                + "Subject: q\r\nContent-Type: text/plain\r\n\r\nhello\r\n").getBytes(StandardCharsets.US_ASCII)));
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        SmimeEncryptor.encrypt(plain, List.of(bob.certificate())).writeTo(wire);
        MimeMessage smime = new MimeMessage(session, new ByteArrayInputStream(wire.toByteArray()));
        try (DlpEngine engine = new DlpEngine(source, SCANNER, MimeContentExtractor.builder().build())) {
            Decision d = engine.evaluate(smime, "alice@example.com", List.of("carol@partner.example", "bob@example.com"),
                    "example.com"::equals, r -> false).decision();
            assertThat(d.verdict()).isEqualTo("encrypted");
            assertThat(d.verdict("carol@partner.example")).isEqualTo(new RecipientVerdict(DlpAction.NOTIFY,
                    List.of(DlpPolicy.ENCRYPTED_RULE)));
            assertThat(d.verdict("bob@example.com")).isEqualTo(RecipientVerdict.ALLOW);
        }
    }
}
