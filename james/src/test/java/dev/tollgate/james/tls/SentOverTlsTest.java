package dev.tollgate.james.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Attribute;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMatcherConfig;
import org.junit.jupiter.api.Test;

import dev.tollgate.core.MailAttributes;

class SentOverTlsTest {

    static SentOverTls matcher(String condition) throws MessagingException {
        SentOverTls matcher = new SentOverTls();
        matcher.init(FakeMatcherConfig.builder().matcherName("SentOverTls").condition(condition).build());
        return matcher;
    }

    static Mail mail(Object... attributes) throws MessagingException {
        FakeMail mail = FakeMail.builder().name("m").recipients("a@example.com", "b@example.com").build();
        for (int i = 0; i < attributes.length; i += 2) {
            mail.setAttribute(Attribute.convertToAttribute((String) attributes[i], attributes[i + 1]));
        }
        return mail;
    }

    @Test
    void matchesAllRecipientsWhenTlsWasActive() throws Exception {
        assertThat(matcher(null).match(mail(MailAttributes.SMTP_TLS, true)))
                .containsExactlyInAnyOrder(new MailAddress("a@example.com"), new MailAddress("b@example.com"));
    }

    @Test
    void plaintextDoesNotMatch() throws Exception {
        assertThat(matcher(null).match(mail(MailAttributes.SMTP_TLS, false))).isEmpty();
    }

    @Test
    void missingFactsDoNotMatch() throws Exception {
        assertThat(matcher(null).match(mail())).isEmpty();
    }

    @Test
    void minimumProtocolIsEnforced() throws Exception {
        SentOverTls tls12 = matcher("TLSv1.2");
        assertThat(tls12.match(mail(MailAttributes.SMTP_TLS, true, MailAttributes.SMTP_TLS_PROTOCOL, "TLSv1.3"))).hasSize(2);
        assertThat(tls12.match(mail(MailAttributes.SMTP_TLS, true, MailAttributes.SMTP_TLS_PROTOCOL, "TLSv1.2"))).hasSize(2);
        assertThat(tls12.match(mail(MailAttributes.SMTP_TLS, true, MailAttributes.SMTP_TLS_PROTOCOL, "TLSv1"))).isEmpty();
    }

    @Test
    void unknownProtocolFailsClosedWhenAMinimumIsSet() throws Exception {
        assertThat(matcher("tlsv1.3").match(mail(MailAttributes.SMTP_TLS, true))).isEmpty();
        assertThat(matcher("TLSv1.3").match(mail(MailAttributes.SMTP_TLS, true, MailAttributes.SMTP_TLS_PROTOCOL, "SSLv3"))).isEmpty();
    }

    @Test
    void unknownConditionFailsInitNamingIt() {
        assertThatThrownBy(() -> matcher("TLSv9"))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("parameter 'condition'");
    }

    @Test
    void specValidatesLikeInit() {
        SentOverTlsConfig.Spec spec = new SentOverTlsConfig.Spec();
        assertThat(spec.className()).isEqualTo(SentOverTls.class.getName());
        assertThatThrownBy(() -> spec.validate(null, "SSLv3")).hasMessageContaining("parameter 'condition'");
    }
}
