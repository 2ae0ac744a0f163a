package dev.tollgate.james.mfa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.ProcessingState;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.Test;

import dev.tollgate.core.MailAttributes;
import dev.tollgate.core.config.Parameters;
import dev.tollgate.core.mfa.MfaServiceConfig;

public class RequireMfaTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);

    /** Keys of conf/tollgate-mfa.properties that RequireMfa reads through the MFA service. */
    private static final Set<String> MFA_KEYS = Set.of("policy", "domainPolicies", "authservId");

    /** @param params mailet parameters, and the MFA service's policy keys (policy required by default here) */
    public static RequireMfa mailet(String... params) throws MessagingException {
        FakeMailetConfig.Builder config = FakeMailetConfig.builder().mailetName("RequireMfa");
        Map<String, String> mfa = new HashMap<>(Map.of("policy", "required", "authservId", "mx.example.com"));
        for (int i = 0; i < params.length; i += 2) {
            if (MFA_KEYS.contains(params[i])) {
                mfa.put(params[i], params[i + 1]);
            } else {
                config.setProperty(params[i], params[i + 1]);
            }
        }
        RequireMfa mailet = new RequireMfa(MfaServiceConfig.parse(Parameters.of(mfa)), CLOCK);
        mailet.init(config.build());
        return mailet;
    }

    static Mail mail(String user, String method, String... headers) throws Exception {
        StringBuilder raw = new StringBuilder("From: a@example.com\r\nSubject: hi\r\n");
        for (int i = 0; i < headers.length; i += 2) {
            raw.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        raw.append("\r\nbody\r\n");
        MimeMessage message = new MimeMessage(javax.mail.Session.getInstance(new java.util.Properties()),
                new java.io.ByteArrayInputStream(raw.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        Mail mail = FakeMail.builder().name("m").mimeMessage(message).sender("a@example.com")
                .recipient("b@example.org").state(Mail.DEFAULT).build();
        if (user != null) {
            mail.setAttribute(new Attribute(AttributeName.of(MailAttributes.SMTP_AUTH_USER), AttributeValue.of(user)));
        }
        if (method != null) {
            mail.setAttribute(new Attribute(AttributeName.of(MailAttributes.MFA_METHOD), AttributeValue.of(method)));
        }
        return mail;
    }

    static String[] header(Mail mail) throws Exception {
        MimeMessage m = mail.getMessage();
        return m.getHeader("Authentication-Results");
    }

    @Test
    void mfaMailPassesWithTheMethodInTheTraceHeader() throws Exception {
        Mail mail = mail("alice@example.com", "totp");
        mailet().service(mail);
        assertThat(mail.getState()).isEqualTo(Mail.DEFAULT);
        assertThat(header(mail)).containsExactly("mx.example.com; auth=pass (mfa=totp) smtp.auth=alice@example.com");
    }

    @Test
    void authenticatedMailWithoutMfaGoesToTheProcessorUnderRequiredPolicy() throws Exception {
        Mail mail = mail("alice@example.com", null);
        RequireMfa mailet = mailet();
        mailet.service(mail);
        assertThat(mail.getState()).isEqualTo("mfa-required");
        assertThat(mail.getErrorMessage()).contains("two-step verification");
        assertThat(header(mail)).containsExactly("mx.example.com; auth=pass (mfa=none) smtp.auth=alice@example.com");
        assertThat(mailet.requiredProcessingState()).containsExactly(new ProcessingState("mfa-required"));
    }

    @Test
    void optionalPolicyAndTestingModeOnlyReport() throws Exception {
        Mail optional = mail("alice@partner.example", null);
        mailet("domainPolicies", "partner.example=optional").service(optional);
        assertThat(optional.getState()).isEqualTo(Mail.DEFAULT);

        Mail testing = mail("alice@example.com", null);
        mailet("mode", "testing").service(testing);
        assertThat(testing.getState()).isEqualTo(Mail.DEFAULT);
        assertThat(header(testing)[0]).contains("(mfa=none)");

        Mail grace = mail("alice@example.com", null);
        mailet("policy", "grace-until:2026-03-01").service(grace);
        assertThat(grace.getState()).as("grace includes its last day").isEqualTo(Mail.DEFAULT);
    }

    @Test
    void unauthenticatedMailIsUntouched() throws Exception {
        Mail mail = mail(null, null, "Authentication-Results", "mx.example.com; auth=pass (mfa=totp) smtp.auth=ceo@example.com");
        mailet().service(mail);
        assertThat(mail.getState()).isEqualTo(Mail.DEFAULT);
        assertThat(header(mail)).hasSize(1);
    }

    @Test
    void forgedResultsWithOurAuthservIdAreReplacedOthersKept() throws Exception {
        Mail mail = mail("alice@example.com", "app-password",
                "Authentication-Results", "MX.example.com; auth=pass (mfa=totp) smtp.auth=ceo@example.com",
                "Authentication-Results", "other.example; spf=pass");
        mailet().service(mail);
        assertThat(header(mail)).containsExactlyInAnyOrder("other.example; spf=pass",
                "mx.example.com; auth=pass (mfa=app-password) smtp.auth=alice@example.com");
    }

    @Test
    void unknownMethodValuesCountAsNoMfa() throws Exception {
        Mail mail = mail("alice@example.com", "totp) smtp.auth=ceo");
        mailet().service(mail);
        assertThat(mail.getState()).isEqualTo("mfa-required");
    }

    @Test
    void configurationErrorsNameTheParameter() {
        assertThatThrownBy(() -> mailet("processor", "MFA-Required")).hasMessageContaining("processor");
        assertThatThrownBy(() -> mailet("mode", "maybe")).hasMessageContaining("mode");
        assertThatThrownBy(() -> mailet("policy", "grace-until:tomorrow")).hasMessageContaining("policy");
        assertThatThrownBy(() -> mailet("authservId", "a b")).hasMessageContaining("authservId");
        assertThatThrownBy(() -> mailet("colour", "red")).hasMessageContaining("colour");
    }

    @Test
    void theMfaPolicyAndAuthservIdHaveOneSourceTheMfaProperties() {
        for (String moved : List.of("policy", "domainPolicies", "authservId")) {
            RequireMfa mailet = new RequireMfa(MfaServiceConfig.parse(Parameters.empty()), CLOCK);
            assertThatThrownBy(() -> mailet.init(FakeMailetConfig.builder().mailetName("RequireMfa")
                    .setProperty(moved, "required").build()))
                    .isInstanceOf(MessagingException.class)
                    .hasMessage("RequireMfa: parameter '" + moved + "': is set in tollgate-mfa.properties only");
        }
    }
}
