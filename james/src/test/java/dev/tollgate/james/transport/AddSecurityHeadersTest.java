package dev.tollgate.james.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.Test;

import dev.tollgate.core.MailAttributes;
import dev.tollgate.james.testing.JamesMessages;

class AddSecurityHeadersTest {

    static AddSecurityHeaders mailet(String... params) throws MessagingException {
        FakeMailetConfig.Builder config = FakeMailetConfig.builder().mailetName("AddSecurityHeaders");
        for (int i = 0; i < params.length; i += 2) {
            config.setProperty(params[i], params[i + 1]);
        }
        AddSecurityHeaders mailet = new AddSecurityHeaders();
        mailet.init(config.build());
        return mailet;
    }


    static Mail mail(MimeMessage message, Object... attributes) throws MessagingException {
        FakeMail mail = FakeMail.builder().name("m1").mimeMessage(message).recipient("bob@example.com").build();
        for (int i = 0; i < attributes.length; i += 2) {
            mail.setAttribute(Attribute.convertToAttribute((String) attributes[i], attributes[i + 1]));
        }
        return mail;
    }

    static MimeMessage simple() throws MessagingException {
        return JamesMessages.parse("From: a@example.com\r\nSubject: s\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void writesTlsProtocolCipherPortAndUser() throws Exception {
        Mail mail = mail(simple(), MailAttributes.SMTP_TLS, true, MailAttributes.SMTP_TLS_PROTOCOL, "TLSv1.3",
                MailAttributes.SMTP_TLS_CIPHER, "TLS_AES_128_GCM_SHA256", MailAttributes.SMTP_LOCAL_PORT, 587,
                MailAttributes.SMTP_AUTH_USER, "alice@example.com");
        mailet().service(mail);
        assertThat(mail.getMessage().getHeader("X-Tollgate-Transport")).containsExactly(
                "tls=yes; protocol=TLSv1.3; cipher=TLS_AES_128_GCM_SHA256; port=587; user=alice@example.com");
    }

    @Test
    void plaintextSessionSaysNoAndOmitsTlsDetails() throws Exception {
        Mail mail = mail(simple(), MailAttributes.SMTP_TLS, false, MailAttributes.SMTP_LOCAL_PORT, 25);
        mailet().service(mail);
        assertThat(mail.getMessage().getHeader("X-Tollgate-Transport")).containsExactly("tls=no; port=25");
    }

    @Test
    void mailWithoutRecordedFactsIsUnknownNotPlaintext() throws Exception {
        Mail mail = mail(simple());
        mailet().service(mail);
        assertThat(mail.getMessage().getHeader("X-Tollgate-Transport")).containsExactly("tls=unknown");
    }

    @Test
    void forgedHeadersAreRemovedBeforeWriting() throws Exception {
        MimeMessage forged = JamesMessages.parse(("X-Tollgate-Transport: tls=yes; user=ceo@example.com\r\n"
                + "x-tollgate-transport: tls=yes\r\nSubject: s\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII));
        Mail mail = mail(forged, MailAttributes.SMTP_TLS, false, MailAttributes.SMTP_LOCAL_PORT, 25);
        mailet().service(mail);
        assertThat(mail.getMessage().getHeader("X-Tollgate-Transport")).containsExactly("tls=no; port=25");
    }

    @Test
    void includeUserFalseLeavesTheIdentityOut() throws Exception {
        Mail mail = mail(simple(), MailAttributes.SMTP_TLS, true, MailAttributes.SMTP_AUTH_USER, "alice@example.com");
        mailet("includeUser", "false").service(mail);
        assertThat(mail.getMessage().getHeader("X-Tollgate-Transport")[0]).doesNotContain("alice");
    }

    @Test
    void customHeaderName() throws Exception {
        Mail mail = mail(simple(), MailAttributes.SMTP_TLS, true);
        mailet("header", "X-Transport").service(mail);
        assertThat(mail.getMessage().getHeader("X-Transport")).containsExactly("tls=yes");
        assertThat(mail.getMessage().getHeader("X-Tollgate-Transport")).isNull();
    }

    @Test
    void controlCharactersInRecordedValuesCannotInjectHeaders() throws Exception {
        Mail mail = mail(simple(), MailAttributes.SMTP_TLS, true,
                MailAttributes.SMTP_AUTH_USER, "alice@example.com\r\nBcc: victim@example.com; x");
        mailet().service(mail);
        String value = mail.getMessage().getHeader("X-Tollgate-Transport")[0];
        assertThat(value).doesNotContain("\r").doesNotContain("\n").endsWith("user=alice@example.com??Bcc:?victim@example.com??x");
        assertThat(mail.getMessage().getHeader("Bcc")).isNull();
    }

    /**
     * A multipart with a base64 attachment: the header is added without parsing the body, and the message as
     * written has the new header and the received body, byte for byte.
     */
    @Test
    void headerIsAddedWithoutParsingTheBodyAndTheBodyIsWrittenUnchanged() throws Exception {
        String body = "--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b\r\nContent-Type: application/pdf\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--b--\r\n";
        MimeMessage message = JamesMessages.parse(("From: a@example.com\r\nSubject: s\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=b\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
        Mail mail = mail(message, MailAttributes.SMTP_TLS, false);
        mailet().service(mail);
        org.apache.james.server.core.MimeMessageWrapper wrapper = (org.apache.james.server.core.MimeMessageWrapper) mail.getMessage();
        assertThat(wrapper.isBodyModified()).isFalse();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        wrapper.writeTo(out);
        String written = out.toString(StandardCharsets.US_ASCII);
        assertThat(written).contains("X-Tollgate-Transport: tls=no\r\n").endsWith("\r\n\r\n" + body);
    }

    /** A body that is not valid MIME (no closing boundary, no parts) does not stop the header. */
    @Test
    void malformedMultipartBodyStillGetsTheHeader() throws Exception {
        MimeMessage message = JamesMessages.parse(("From: a@example.com\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
                + "no delimiter at all\r\n").getBytes(StandardCharsets.US_ASCII));
        Mail mail = mail(message, MailAttributes.SMTP_TLS, true);
        mailet().service(mail);
        assertThat(mail.getMessage().getHeader("X-Tollgate-Transport")).containsExactly("tls=yes");
    }

    /** A message of only whitespace header lines. */
    @Test
    void whitespaceOnlyMessageGetsTheHeaderWithoutError() throws Exception {
        Mail mail = mail(JamesMessages.parse(Base64.getDecoder().decode("ICAgIAogICAKCg==")), MailAttributes.SMTP_TLS, false);
        mailet().service(mail);
        assertThat(mail.getMessage().getHeader("X-Tollgate-Transport")).containsExactly("tls=no");
    }

    /** A 5 KB single-line HTML body and a 1,500-character References header. */
    @Test
    void longSingleLineHtmlAndLongReferencesSurvive() throws Exception {
        StringBuilder refs = new StringBuilder("References:");
        for (int i = 0; refs.length() < 1500; i++) {
            refs.append(" <r").append(i).append("@lists.example>");
        }
        String html = "<p>" + "x".repeat(5000) + "</p>";
        MimeMessage message = JamesMessages.parse(("Subject: s\r\n" + refs + "\r\nContent-Type: text/html\r\n\r\n" + html + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        Mail mail = mail(message, MailAttributes.SMTP_TLS, true);
        mailet().service(mail);
        assertThat(mail.getMessage().getHeader("X-Tollgate-Transport")).containsExactly("tls=yes");
        assertThat((String) mail.getMessage().getContent()).contains(html);
        assertThat(mail.getMessage().getHeader("References")[0]).contains("<r0@lists.example>");
    }

    @Test
    void invalidHeaderNameFailsInitNamingTheParameter() {
        assertThatThrownBy(() -> mailet("header", "Bad header:"))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("parameter 'header'");
    }

    @Test
    void unknownParameterFailsInit() {
        assertThatThrownBy(() -> mailet("headre", "X-A"))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("parameter 'headre': unknown parameter");
    }

    @Test
    void nonBooleanIncludeUserFailsInit() {
        assertThatThrownBy(() -> mailet("includeUser", "maybe"))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("parameter 'includeUser': must be true or false");
    }

    @Test
    void onMailetExceptionIsAllowedBesideOwnParameters() throws Exception {
        assertThat(mailet("onMailetException", "ignore")).isNotNull();
    }

    @Test
    void specNamesThisClass() {
        assertThat(new AddSecurityHeadersConfig.Spec().className()).isEqualTo(AddSecurityHeaders.class.getName());
    }

    @Test
    void attributeValueTypesAreJamesBuiltIns() {
        // Values must survive James's queue serialization: only built-in AttributeValue types.
        assertThat(AttributeValue.of(true).value()).isInstanceOf(Boolean.class);
    }
}
