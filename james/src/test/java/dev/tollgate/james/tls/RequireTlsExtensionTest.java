package dev.tollgate.james.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.junit.jupiter.api.Test;

import dev.tollgate.core.MailAttributes;

class RequireTlsExtensionTest {
    private final RequireTlsExtension extension = new RequireTlsExtension();

    /** A session stand-in with real attachment storage. */
    private static SMTPSession session(boolean tls) {
        Map<Object, Object> attachments = new HashMap<>();
        return (SMTPSession) Proxy.newProxyInstance(SMTPSession.class.getClassLoader(), new Class<?>[] {SMTPSession.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "isTLSStarted":
                            return tls;
                        case "getSSLSession":
                            return Optional.empty();
                        case "getSessionID":
                            return "s1";
                        case "setAttachment":
                            return Optional.ofNullable(attachments.put(args[0], args[1]));
                        case "getAttachment":
                            return Optional.ofNullable(attachments.get(args[0]));
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
    }

    private static Optional<Boolean> requireTls(Mail mail) {
        return mail.getAttribute(AttributeName.of(MailAttributes.REQUIRETLS)).flatMap(a -> a.getValue().valueAs(Boolean.class));
    }

    @Test
    void keywordOfferedOnlyOverTls() {
        assertThat(extension.getImplementedEsmtpFeatures(session(true))).containsExactly("REQUIRETLS");
        assertThat(extension.getImplementedEsmtpFeatures(session(false))).isEmpty();
    }

    @Test
    void parameterOverTlsIsRecordedOnTheMail() throws Exception {
        SMTPSession session = session(true);
        assertThat(extension.doMailParameter(session, "REQUIRETLS", "")).isEqualTo(HookResult.DECLINED);
        Mail mail = FakeMail.builder().name("m").build();
        extension.onMessage(session, mail);
        assertThat(requireTls(mail)).contains(true);
    }

    @Test
    void parameterWithoutTlsIsRefusedWith530() {
        HookResult result = extension.doMailParameter(session(false), "REQUIRETLS", "");
        assertThat(result.getSmtpRetCode()).isEqualTo("530");
        assertThat(result.getSmtpDescription()).startsWith("5.7.10");
    }

    @Test
    void parameterWithAValueIsASyntaxError() {
        assertThat(extension.doMailParameter(session(true), "REQUIRETLS", "yes").getSmtpRetCode()).isEqualTo("501");
    }

    @Test
    void mailWithoutTheParameterLosesAForgedAttribute() throws Exception {
        Mail mail = FakeMail.builder().name("m").build();
        mail.setAttribute(new Attribute(AttributeName.of(MailAttributes.REQUIRETLS), AttributeValue.of(true)));
        extension.onMessage(session(true), mail);
        assertThat(requireTls(mail)).isEmpty();
    }

    @Test
    void namesCoverTheSpellingsJamesPassesVerbatim() {
        assertThat(extension.getMailParamNames()).contains("REQUIRETLS", "requiretls", "RequireTls", "rEQUIREtLS")
                .doesNotHaveDuplicates().hasSize(1024)
                .allMatch(name -> name.equalsIgnoreCase("REQUIRETLS"));
        assertThat(RequireTlsExtension.REQUESTED.asString()).isEqualTo("dev.tollgate.smtp.requiretls");
    }
}
