package dev.tollgate.james.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.Test;

import dev.tollgate.core.MailAttributes;
import dev.tollgate.james.mfa.RequireMfaTest;
import dev.tollgate.james.testing.JamesMessages;

/**
 * {@link RemoveForgedTrustHeaders}: the forged fields of an unauthenticated port-25 mail are removed, other
 * fields stay, and the fields Tollgate components write after it survive.
 */
class RemoveForgedTrustHeadersTest {
    private static final String FORGED = "Authentication-Results: mx.example.com; auth=pass (mfa=totp) smtp.auth=ceo@demo.test\r\n"
            + "Authentication-Results: gmail.com; dkim=pass header.d=example.org\r\n"
            + "Authentication-Results: (x) MX.EXAMPLE.COM.; spf=pass\r\n"
            + "X-Tollgate-Link-Warning: none\r\n"
            + "X-Tollgate-DLP: testing; verdict=clean\r\n"
            + "x-tollgate-links: enforce; links=0\r\n"
            + "X-Tollgate-Transport: tls=yes; port=587; user=ceo@demo.test\r\n"
            + "X-Custom-Verdict: clean\r\n"
            + "X-Tollgateway: unrelated\r\n"
            + "From: ceo@demo.test\r\nTo: bob@example.com\r\nSubject: wire the money\r\n\r\nbody\r\n";

    static RemoveForgedTrustHeaders mailet(String... params) throws MessagingException {
        FakeMailetConfig.Builder config = FakeMailetConfig.builder().mailetName("RemoveForgedTrustHeaders");
        for (int i = 0; i < params.length; i += 2) {
            config.setProperty(params[i], params[i + 1]);
        }
        // The authserv-id RequireMfaTest's mailet writes: both come from tollgate-mfa.properties in James.
        RemoveForgedTrustHeaders m = new RemoveForgedTrustHeaders("mx.example.com");
        m.init(config.build());
        return m;
    }

    private static Mail mail(String raw) throws MessagingException {
        MimeMessage message = JamesMessages.parse(raw.getBytes(StandardCharsets.US_ASCII));
        return FakeMail.builder().name("m1").mimeMessage(message).sender("ceo@demo.test")
                .recipient("bob@example.com").state(Mail.DEFAULT).build();
    }

    @Test
    void forgedAuthenticationResultsAndTollgateFieldsAreRemoved() throws Exception {
        Mail mail = mail(FORGED);
        mailet().service(mail);
        MimeMessage m = mail.getMessage();
        assertThat(m.getHeader("Authentication-Results")).containsExactly("gmail.com; dkim=pass header.d=example.org");
        assertThat(m.getHeader("X-Tollgate-Link-Warning")).isNull();
        assertThat(m.getHeader("X-Tollgate-DLP")).isNull();
        assertThat(m.getHeader("X-Tollgate-Links")).isNull();
        assertThat(m.getHeader("X-Tollgate-Transport")).isNull();
        assertThat(m.getHeader("X-Custom-Verdict")).containsExactly("clean");
        assertThat(m.getHeader("X-Tollgateway")).containsExactly("unrelated");
        assertThat(m.getSubject()).isEqualTo("wire the money");
    }

    @Test
    void furtherNamesAreRemovedAndThePrefixCanBeTurnedOff() throws Exception {
        Mail mail = mail(FORGED);
        mailet("prefix", "none", "headers", "X-Custom-Verdict").service(mail);
        MimeMessage m = mail.getMessage();
        assertThat(m.getHeader("X-Custom-Verdict")).isNull();
        assertThat(m.getHeader("X-Tollgate-DLP")).containsExactly("testing; verdict=clean");
        assertThat(m.getHeader("Authentication-Results")).containsExactly("gmail.com; dkim=pass header.d=example.org");
    }

    @Test
    void cleanMailIsLeftAsItIs() throws Exception {
        Mail mail = mail("Authentication-Results: gmail.com; spf=pass\r\nFrom: a@example.org\r\n\r\nbody\r\n");
        mailet().service(mail);
        assertThat(mail.getMessage().getHeader("Authentication-Results")).containsExactly("gmail.com; spf=pass");
    }

    @Test
    void fieldsWrittenLaterInThePipelineSurvive() throws Exception {
        // root: RemoveForgedTrustHeaders first; transport: AddSecurityHeaders and RequireMfa write their own
        Mail mail = mail(FORGED);
        mail.setAttribute(new Attribute(AttributeName.of(MailAttributes.SMTP_AUTH_USER), AttributeValue.of("alice@example.com")));
        mailet().service(mail);
        AddSecurityHeadersTest.mailet().service(mail);
        RequireMfaTest.mailet().service(mail);
        MimeMessage m = mail.getMessage();
        assertThat(m.getHeader("X-Tollgate-Transport")).hasSize(1).allMatch(v -> v.startsWith("tls=unknown"));
        assertThat(m.getHeader("Authentication-Results")).containsExactlyInAnyOrder(
                "gmail.com; dkim=pass header.d=example.org",
                "mx.example.com; auth=pass (mfa=none) smtp.auth=alice@example.com");
    }

    @Test
    void invalidParametersAreRefusedNamingThem() {
        assertThatThrownBy(() -> mailet("prefix", "X")).hasMessageContaining("prefix");
        assertThatThrownBy(() -> mailet("authservId", "mx.example.com"))
                .hasMessage("RemoveForgedTrustHeaders: parameter 'authservId': is set in tollgate-mfa.properties only");
        assertThatThrownBy(() -> mailet("headers", "bad name")).hasMessageContaining("headers");
        assertThatThrownBy(() -> mailet("authservId", "bad id;")).hasMessageContaining("authservId");
        assertThatThrownBy(() -> mailet("authResultsHeader", "A R")).hasMessageContaining("authResultsHeader");
        assertThatThrownBy(() -> mailet("prefixx", "X-")).hasMessageContaining("prefixx");
    }
}
