package dev.tollgate.james.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;

import org.apache.commons.configuration2.BaseHierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.Username;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.junit.jupiter.api.Test;

import dev.tollgate.core.MailAttributes;

class SessionFactsHookTest {

    /** A session stand-in answering only what the hook asks. */
    static SMTPSession session(boolean tlsStarted, SSLSession ssl, int localPort, String user) {
        return session(tlsStarted, ssl, localPort, user, null);
    }

    static SMTPSession session(boolean tlsStarted, SSLSession ssl, int localPort, String user, String mfaMethod) {
        Map<String, Object> answers = new java.util.HashMap<>();
        answers.put("isTLSStarted", tlsStarted);
        answers.put("getSSLSession", Optional.ofNullable(ssl));
        answers.put("getLocalAddress", new InetSocketAddress("127.0.0.1", localPort));
        answers.put("getUsername", user == null ? null : Username.of(user));
        answers.put("getAttachment", Optional.ofNullable(mfaMethod));
        return (SMTPSession) Proxy.newProxyInstance(SMTPSession.class.getClassLoader(), new Class<?>[] {SMTPSession.class},
                (proxy, method, args) -> {
                    if (!answers.containsKey(method.getName())) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    return answers.get(method.getName());
                });
    }

    static SSLSession tls13() throws Exception {
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(null, null, null);
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(true);
        return engine.getHandshakeSession() != null ? engine.getHandshakeSession() : engine.getSession();
    }

    static <T> Optional<T> attribute(Mail mail, String name, Class<T> type) {
        return mail.getAttribute(AttributeName.of(name)).flatMap(a -> a.getValue().valueAs(type));
    }

    @Test
    void recordsStartTlsSessionPortAndUser() throws Exception {
        Mail mail = FakeMail.builder().name("m").build();
        HookResult result = new SessionFactsHook().onMessage(session(true, null, 587, "alice@example.com"), mail);
        assertThat(result).isEqualTo(HookResult.DECLINED);
        assertThat(attribute(mail, MailAttributes.SMTP_TLS, Boolean.class)).contains(true);
        assertThat(attribute(mail, MailAttributes.SMTP_LOCAL_PORT, Integer.class)).contains(587);
        assertThat(attribute(mail, MailAttributes.SMTP_AUTH_USER, String.class)).contains("alice@example.com");
    }

    @Test
    void implicitTlsIsRecognisedFromTheSslSession() throws Exception {
        Mail mail = FakeMail.builder().name("m").build();
        SSLSession ssl = tls13();
        new SessionFactsHook().onMessage(session(false, ssl, 465, null), mail);
        assertThat(attribute(mail, MailAttributes.SMTP_TLS, Boolean.class)).contains(true);
        assertThat(attribute(mail, MailAttributes.SMTP_LOCAL_PORT, Integer.class)).contains(465);
        assertThat(attribute(mail, MailAttributes.SMTP_AUTH_USER, String.class)).isEmpty();
    }

    @Test
    void plaintextAnonymousSessionOverwritesForgedAttributes() throws Exception {
        Mail mail = FakeMail.builder().name("m").build();
        mail.setAttribute(new Attribute(AttributeName.of(MailAttributes.SMTP_TLS), AttributeValue.of(true)));
        mail.setAttribute(new Attribute(AttributeName.of(MailAttributes.SMTP_TLS_PROTOCOL), AttributeValue.of("TLSv1.3")));
        mail.setAttribute(new Attribute(AttributeName.of(MailAttributes.SMTP_AUTH_USER), AttributeValue.of("ceo@example.com")));
        new SessionFactsHook().onMessage(session(false, null, 25, null), mail);
        assertThat(attribute(mail, MailAttributes.SMTP_TLS, Boolean.class)).contains(false);
        assertThat(attribute(mail, MailAttributes.SMTP_TLS_PROTOCOL, String.class)).isEmpty();
        assertThat(attribute(mail, MailAttributes.SMTP_AUTH_USER, String.class)).isEmpty();
        assertThat(attribute(mail, MailAttributes.SMTP_LOCAL_PORT, Integer.class)).contains(25);
    }

    @Test
    void acceptsNoParametersAndRefusesUnknownOnes() throws Exception {
        new SessionFactsHook().init(new BaseHierarchicalConfiguration());
        BaseHierarchicalConfiguration config = new BaseHierarchicalConfiguration();
        config.addProperty("recordTls", "yes");
        assertThatThrownBy(() -> new SessionFactsHook().init(config))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("parameter 'recordTls': unknown parameter");
    }

    @Test
    void specNamesThisClass() {
        assertThat(new SessionFactsHookConfig.Spec().className()).isEqualTo(SessionFactsHook.class.getName());
    }

    @Test
    void classAttributeOfTheHandlerElementIsNotAParameter() throws Exception {
        BaseHierarchicalConfiguration config = new BaseHierarchicalConfiguration();
        config.addProperty("[@class]", SessionFactsHook.class.getName());
        new SessionFactsHook().init(config);
    }

    @Test
    void mfaMethodIsCopiedFromTheSessionAndForgedValuesRemoved() throws Exception {
        Mail mail = FakeMail.builder().name("m").build();
        new SessionFactsHook().onMessage(session(true, null, 587, "alice@example.com", "app-password"), mail);
        assertThat(attribute(mail, MailAttributes.MFA_METHOD, String.class)).contains("app-password");

        Mail forged = FakeMail.builder().name("f").build();
        forged.setAttribute(new Attribute(AttributeName.of(MailAttributes.MFA_METHOD), AttributeValue.of("totp")));
        new SessionFactsHook().onMessage(session(true, null, 587, "alice@example.com"), forged);
        assertThat(attribute(forged, MailAttributes.MFA_METHOD, String.class)).isEmpty();
        new SessionFactsHook().onMessage(session(false, null, 25, null, "totp"), forged);
        assertThat(attribute(forged, MailAttributes.MFA_METHOD, String.class)).as("no AUTH user, no MFA").isEmpty();
    }
}
