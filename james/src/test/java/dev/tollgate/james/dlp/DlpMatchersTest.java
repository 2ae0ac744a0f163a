package dev.tollgate.james.dlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import javax.mail.MessagingException;

import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.Matcher;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMatcherConfig;
import org.junit.jupiter.api.Test;

import dev.tollgate.core.dlp.policy.DlpAttributes;

class DlpMatchersTest {
    private static Mail scanned(String mode) throws MessagingException {
        Mail mail = FakeMail.builder().name("m").sender("alice@localhost")
                .recipients("bob@localhost", "carol@partner.example", "dave@partner.example").build();
        set(mail, DlpAttributes.MODE, mode);
        set(mail, DlpAttributes.VERDICT, "sensitive");
        set(mail, DlpAttributes.DETECTORS, "payment-card:2");
        set(mail, DlpAttributes.RECIPIENTS, "bob@localhost=allow:;carol@partner.example=quarantine:cards-out;"
                + "dave@partner.example=reject:cards-out+keys");
        set(mail, DlpAttributes.MATCHES, "cards-out:carol@partner.example,dave@partner.example;keys:dave@partner.example");
        return mail;
    }

    private static void set(Mail mail, String name, String value) {
        mail.setAttribute(new Attribute(AttributeName.of(name), AttributeValue.of(value)));
    }

    private static <M extends Matcher> M init(M m, String name, String condition) throws MessagingException {
        m.init(FakeMatcherConfig.builder().matcherName(name).condition(condition).build());
        return m;
    }

    @Test
    void hasDlpActionMatchesOnlyRecipientsWithThatVerdict() throws Exception {
        Mail mail = scanned("enforce");
        assertThat(init(new HasDlpAction(), "HasDlpAction", "quarantine").match(mail))
                .extracting(Object::toString).containsExactly("carol@partner.example");
        assertThat(init(new HasDlpAction(), "HasDlpAction", "reject").match(mail))
                .extracting(Object::toString).containsExactly("dave@partner.example");
        assertThat(init(new HasDlpAction(), "HasDlpAction", "allow").match(mail))
                .extracting(Object::toString).containsExactly("bob@localhost");
        assertThat(init(new HasDlpAction(), "HasDlpAction", "reject").match(scanned("testing"))).isEmpty();
        Mail unscanned = FakeMail.builder().name("u").recipients("x@partner.example").build();
        assertThat(init(new HasDlpAction(), "HasDlpAction", "allow").match(unscanned)).isEmpty();
        assertThatThrownBy(() -> init(new HasDlpAction(), "HasDlpAction", "allow-with-justification"))
                .hasMessageContaining("condition");
        assertThatThrownBy(() -> init(new HasDlpAction(), "HasDlpAction", "burn")).hasMessageContaining("unknown action");
    }

    @Test
    void hasSensitiveDataMatchesRuleRecipientsOrDetectors() throws Exception {
        Mail mail = scanned("enforce");
        assertThat(init(new HasSensitiveData(), "HasSensitiveData", "keys").match(mail))
                .extracting(Object::toString).containsExactly("dave@partner.example");
        assertThat(init(new HasSensitiveData(), "HasSensitiveData", "cards-out").match(mail)).hasSize(2);
        assertThat(init(new HasSensitiveData(), "HasSensitiveData", "payment-card").match(mail)).hasSize(3);
        assertThat(init(new HasSensitiveData(), "HasSensitiveData", "iban").match(mail)).isEmpty();
        assertThat(init(new HasSensitiveData(), "HasSensitiveData", "any").match(mail)).hasSize(3);
        assertThat(init(new HasSensitiveData(), "HasSensitiveData", "any").match(scanned("testing"))).isEmpty();
        assertThatThrownBy(() -> init(new HasSensitiveData(), "HasSensitiveData", "a b")).hasMessageContaining("condition");
    }
}
