package dev.tollgate.james.mfa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import javax.mail.MessagingException;

import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMatcherConfig;
import org.junit.jupiter.api.Test;

import dev.tollgate.core.MailAttributes;

class IsMfaAuthenticatedTest {
    static IsMfaAuthenticated matcher(String condition) throws MessagingException {
        IsMfaAuthenticated m = new IsMfaAuthenticated();
        m.init(FakeMatcherConfig.builder().matcherName("IsMfaAuthenticated").condition(condition).build());
        return m;
    }

    static Mail mail(String user, String method) throws MessagingException {
        Mail mail = FakeMail.builder().name("m").recipients("a@example.com", "b@example.org").build();
        if (user != null) {
            mail.setAttribute(new Attribute(AttributeName.of(MailAttributes.SMTP_AUTH_USER), AttributeValue.of(user)));
        }
        if (method != null) {
            mail.setAttribute(new Attribute(AttributeName.of(MailAttributes.MFA_METHOD), AttributeValue.of(method)));
        }
        return mail;
    }

    @Test
    void matchesAllRecipientsOfMfaSubmissions() throws Exception {
        assertThat(matcher(null).match(mail("u@example.com", "totp"))).hasSize(2);
        assertThat(matcher(null).match(mail("u@example.com", "app-password"))).hasSize(2);
        assertThat(matcher(null).match(mail("u@example.com", "oauth-mfa"))).hasSize(2);
    }

    @Test
    void doesNotMatchWithoutMfaOrWithoutAuthUser() throws Exception {
        assertThat(matcher(null).match(mail("u@example.com", null))).isEmpty();
        assertThat(matcher(null).match(mail(null, "totp"))).isEmpty();
        assertThat(matcher(null).match(mail("u@example.com", "password"))).isEmpty();
    }

    @Test
    void conditionRestrictsMethods() throws Exception {
        IsMfaAuthenticated totpOnly = matcher("totp");
        assertThat(totpOnly.match(mail("u@example.com", "totp"))).hasSize(2);
        assertThat(totpOnly.match(mail("u@example.com", "app-password"))).isEmpty();
        assertThat(matcher(" TOTP , app-password ").match(mail("u@example.com", "app-password"))).hasSize(2);
    }

    @Test
    void unknownMethodInConditionFailsStartup() {
        assertThatThrownBy(() -> matcher("sms")).isInstanceOf(MessagingException.class).hasMessageContaining("condition");
    }
}
