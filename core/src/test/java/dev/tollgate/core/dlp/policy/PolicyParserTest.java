package dev.tollgate.core.dlp.policy;

import static dev.tollgate.core.dlp.policy.PolicyTestSupport.policy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tollgate.core.dlp.Confidence;

class PolicyParserTest {
    @Test
    void readsEveryAttribute() {
        DlpPolicy p = policy("<dlp-policy mode='testing' unscannable='reject' justification-marker='#ok'>\n"
                + "  <rule id='cards' detectors='payment-card,iban' min-confidence='high' min-count='2' max-count='9'\n"
                + "        sender-domains='Example.com,.example.org' senders='ceo@example.com'\n"
                + "        recipient-domains='partner.example' external-only='true' action='encrypt' else='tag'>\n"
                + "    <description>cards leave encrypted</description>\n"
                + "  </rule>\n"
                + "  <rule id='keys' detectors='any' action='allow-with-justification'/>\n"
                + "  <rule id='enc' detectors='private-key' action='encrypt'/>\n"
                + "</dlp-policy>");
        assertThat(p.mode()).isEqualTo(DlpPolicy.Mode.TESTING);
        assertThat(p.unscannableAction()).isEqualTo(DlpAction.REJECT);
        assertThat(p.justificationMarker()).isEqualTo("#ok");
        PolicyRule r = p.rules().get(0);
        assertThat(r.id()).isEqualTo("cards");
        assertThat(r.detectors()).containsExactly("payment-card", "iban");
        assertThat(r.minConfidence()).isEqualTo(Confidence.HIGH);
        assertThat(r.minCount()).isEqualTo(2);
        assertThat(r.maxCount()).isEqualTo(9);
        assertThat(r.scope().senderDomains()).containsExactly("example.com", ".example.org");
        assertThat(r.scope().senderUsers()).containsExactly("ceo@example.com");
        assertThat(r.scope().recipientDomains()).containsExactly("partner.example");
        assertThat(r.scope().externalOnly()).isTrue();
        assertThat(r.action()).isEqualTo(DlpAction.ENCRYPT);
        assertThat(r.elseAction()).isEqualTo(DlpAction.TAG);
        assertThat(p.rules().get(1).elseAction()).isEqualTo(DlpAction.REJECT);
        assertThat(p.rules().get(2).elseAction()).isEqualTo(DlpAction.QUARANTINE);
    }

    @Test
    void defaultsAreEnforceAndQuarantineForUnscannable() {
        DlpPolicy p = policy("<dlp-policy/>");
        assertThat(p.mode()).isEqualTo(DlpPolicy.Mode.ENFORCE);
        assertThat(p.unscannableAction()).isEqualTo(DlpAction.QUARANTINE);
        assertThat(p.justificationMarker()).isEqualTo(DlpPolicy.DEFAULT_MARKER);
        assertThat(p.rules()).isEmpty();
    }

    @Test
    void errorsNameFileAndLine() {
        assertThatThrownBy(() -> policy("<dlp-policy>\n<rule id='a' detectors='payment-card' action='reject'/>\n"
                + "<rule id='a' detectors='iban' action='tag'/>\n</dlp-policy>"))
                .isInstanceOf(PolicyException.class).hasMessageStartingWith("policy.xml:3: duplicate rule id 'a'")
                .satisfies(e -> assertThat(((PolicyException) e).line()).isEqualTo(3));
        assertThatThrownBy(() -> policy("<dlp-policy>\n\n<rule id='a' detectors='passport' action='reject'/></dlp-policy>"))
                .hasMessageStartingWith("policy.xml:3:").hasMessageContaining("unknown detector 'passport'");
        assertThatThrownBy(() -> policy("<dlp-policy>\n<rule id='a' detectors='iban' action='burn'/></dlp-policy>"))
                .hasMessageContaining("unknown action 'burn'");
        assertThatThrownBy(() -> policy("<dlp-policy>\n<rule id='a' detectors='iban' action='tag' else='reject'/></dlp-policy>"))
                .hasMessageContaining("else is only for");
        assertThatThrownBy(() -> policy("<dlp-policy>\n<rule id='a' detectors='iban' action='encrypt' else='encrypt'/></dlp-policy>"))
                .hasMessageContaining("else cannot be encrypt");
        assertThatThrownBy(() -> policy("<dlp-policy>\n<rule id='a' detectors='iban' min-count='5' max-count='2' action='tag'/></dlp-policy>"))
                .hasMessageContaining("max-count is below min-count");
        assertThatThrownBy(() -> policy("<dlp-policy>\n<rule id='a' detectors='iban' action='tag' colour='red'/></dlp-policy>"))
                .hasMessageContaining("unknown attribute 'colour'");
        assertThatThrownBy(() -> policy("<dlp-policy>\n<rule id='unscannable' detectors='iban' action='tag'/></dlp-policy>"))
                .hasMessageContaining("reserved");
        assertThatThrownBy(() -> policy("<dlp-policy>\n<rule id='a' detectors='iban' action='tag'>\n</dlp-policy>"))
                .isInstanceOf(PolicyException.class).hasMessageStartingWith("policy.xml:3:");
        assertThatThrownBy(() -> policy("<policy/>")).hasMessageContaining("root element must be <dlp-policy>");
    }

    @Test
    void refusesDoctypesSoNoExternalEntityIsRead(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "4111111111111111");
        String xxe = "<?xml version='1.0'?>\n<!DOCTYPE dlp-policy [<!ENTITY x SYSTEM '" + secret.toUri() + "'>]>\n"
                + "<dlp-policy><rule id='a' detectors='iban' action='tag'><description>&x;</description></rule></dlp-policy>";
        assertThatThrownBy(() -> policy(xxe)).isInstanceOf(PolicyException.class)
                .hasMessageContaining("DOCTYPE").hasMessageNotContaining("4111");
    }

    @Test
    void readsAFileAndRefusesAMissingOne(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("dlp.xml");
        Files.writeString(f, "<dlp-policy><rule id='a' detectors='iban' action='tag'/></dlp-policy>");
        assertThat(PolicyParser.withBuiltInDetectors().parse(f).rules()).hasSize(1);
        assertThatThrownBy(() -> PolicyParser.withBuiltInDetectors().parse(dir.resolve("missing.xml")))
                .isInstanceOf(PolicyException.class).hasMessageContaining("missing.xml: cannot read");
    }
}
