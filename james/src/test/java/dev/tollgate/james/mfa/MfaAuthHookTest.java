package dev.tollgate.james.mfa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.commons.configuration2.BaseHierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.Username;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.LineHandler;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.user.api.UsersRepository;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tollgate.core.mfa.MfaService;
import dev.tollgate.core.mfa.OtpAuthUri;
import dev.tollgate.core.mfa.TestStores;
import dev.tollgate.core.testing.MutableClock;

class MfaAuthHookTest {
    static final String PASSWORD = "pa$$w0rd";

    /** Records what the hook does to the session. */
    static final class Session {
        final Map<String, Object> calls = new HashMap<>();
        final Map<ProtocolSession.AttachmentKey<?>, Object> attachments = new HashMap<>();
        final java.util.Deque<LineHandler<SMTPSession>> lineHandlers = new java.util.ArrayDeque<>();
        boolean tls;
        SMTPSession proxy;

        SMTPSession proxy() {
            if (proxy == null) {
                proxy = newProxy();
            }
            return proxy;
        }

        /** Sends one client line to the line handler the hook pushed, as James would. */
        Response line(String text) {
            assertThat(lineHandlers).as("a line handler is pushed").isNotEmpty();
            return lineHandlers.peek().onLine(proxy(), (text + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }

        @SuppressWarnings("unchecked")
        private SMTPSession newProxy() {
            return (SMTPSession) Proxy.newProxyInstance(SMTPSession.class.getClassLoader(), new Class<?>[] {SMTPSession.class},
                    (p, m, args) -> {
                        switch (m.getName()) {
                            case "isTLSStarted":
                                return tls;
                            case "getSSLSession":
                                return Optional.empty();
                            case "getRemoteAddress":
                                return new InetSocketAddress("192.0.2.7", 40000);
                            case "setUsername":
                            case "setRelayingAllowed":
                                calls.put(m.getName(), args[0]);
                                return null;
                            case "setAttachment":
                                return Optional.ofNullable(attachments.put((ProtocolSession.AttachmentKey<?>) args[0], args[1]));
                            case "removeAttachment":
                                return Optional.ofNullable(attachments.remove(args[0]));
                            case "getAttachment":
                                return Optional.ofNullable(attachments.get(args[0]));
                            case "pushLineHandler":
                                lineHandlers.push((LineHandler<SMTPSession>) args[0]);
                                return null;
                            case "popLineHandler":
                                lineHandlers.pop();
                                return null;
                            default:
                                throw new UnsupportedOperationException(m.getName());
                        }
                    });
        }
    }

    MutableClock clock;
    TestStores.MapStore store;
    MfaService mfa;
    MfaAuthHook hook;

    static UsersRepository users() {
        return (UsersRepository) Proxy.newProxyInstance(UsersRepository.class.getClassLoader(),
                new Class<?>[] {UsersRepository.class}, (p, m, args) -> {
                    if (m.getName().equals("test")) {
                        return PASSWORD.equals(args[1]);
                    }
                    if (m.getName().equals("contains")) {
                        return !((Username) args[0]).asString().startsWith("ghost");
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
    }

    @BeforeEach
    void setUp() throws Exception {
        clock = new MutableClock(Instant.parse("2026-03-01T10:00:05Z"));
        store = new TestStores.MapStore();
        mfa = TestStores.service(store, clock, Map.of("throttle.baseDelay", "1ms",
                "throttle.maxDelay", "1ms", "policy", "optional",
                "domainPolicies", "strict.example=required, soon.example=grace-until:2026-03-31"));
        hook = new MfaAuthHook(mfa, users());
        hook.init(config("<handler></handler>"));
    }

    static BaseHierarchicalConfiguration config(String xml) throws Exception {
        org.apache.commons.configuration2.XMLConfiguration c = new org.apache.commons.configuration2.XMLConfiguration();
        new org.apache.commons.configuration2.io.FileHandler(c).load(new java.io.StringReader(xml));
        return c;
    }

    HookResult auth(Session s, String user, String password) {
        clock.advance(java.time.Duration.ofMillis(5));
        return hook.doAuth(s.proxy(), Username.of(user), password);
    }

    static Session tls() {
        Session s = new Session();
        s.tls = true;
        return s;
    }

    @Test
    void authBeforeTlsIsRefusedWith530() {
        Session s = new Session();
        HookResult r = auth(s, "bob@example.com", PASSWORD);
        assertThat(r.getSmtpRetCode()).isEqualTo("530");
        assertThat(r.getSmtpDescription()).startsWith("5.7.0");
        assertThat(r.getResult()).isEqualTo(HookReturnCode.deny());
        assertThat(s.calls).isEmpty();
    }

    @Test
    void unenrolledUserUnderOptionalPolicyAuthenticatesWithoutMfaMark() {
        Session s = tls();
        HookResult r = auth(s, "bob@example.com", PASSWORD);
        assertThat(r.getSmtpRetCode()).isEqualTo("235");
        assertThat(s.calls).containsEntry("setUsername", Username.of("bob@example.com")).containsEntry("setRelayingAllowed", true);
        assertThat(s.attachments).isEmpty();
        assertThat(auth(tls(), "bob@example.com", "nope").getSmtpRetCode()).isEqualTo("535");
    }

    @Test
    void requiredAndExpiredGracePoliciesRefuseUnenrolledUsers() {
        HookResult strict = auth(tls(), "eve@strict.example", PASSWORD);
        assertThat(strict.getSmtpRetCode()).isEqualTo("535");
        assertThat(strict.getSmtpDescription()).startsWith("5.7.8").contains("required");
        assertThat(auth(tls(), "eve@soon.example", PASSWORD).getSmtpRetCode()).isEqualTo("235");
        clock.advance(java.time.Duration.ofDays(31));
        assertThat(auth(tls(), "eve@soon.example", PASSWORD).getSmtpRetCode()).isEqualTo("535");
    }

    @Test
    void enrolledUserMarksTheSessionWithTheMethod() throws Exception {
        String user = "carol@example.com";
        OtpAuthUri uri = mfa.enroll(user);
        mfa.confirm(user, uri.totpBuilder().clock(clock).build().generate(uri.secret(), clock.instant()));
        assertThat(auth(tls(), user, PASSWORD).getSmtpRetCode()).isEqualTo("535");
        Session s = tls();
        String code = uri.totpBuilder().build().generate(uri.secret(), clock.instant().plusSeconds(30));
        HookResult r = auth(s, user, PASSWORD + code);
        assertThat(r.getSmtpRetCode()).isEqualTo("235");
        assertThat(r.getResult()).isEqualTo(HookReturnCode.ok());
        assertThat(s.attachments).containsEntry(MfaSessionKeys.METHOD, "totp");
        assertThat(s.calls).containsEntry("setRelayingAllowed", true);
    }

    @Test
    void lockoutAndStoreFailureAnswer454() throws Exception {
        String user = "dave@example.com";
        OtpAuthUri uri = mfa.enroll(user);
        mfa.confirm(user, uri.totpBuilder().clock(clock).build().generate(uri.secret(), clock.instant()));
        for (int i = 0; i < 10; i++) {
            assertThat(auth(tls(), user, PASSWORD + "000000").getSmtpRetCode()).isEqualTo("535");
        }
        HookResult locked = auth(tls(), user, PASSWORD + "000000");
        assertThat(locked.getSmtpRetCode()).isEqualTo("454");
        assertThat(locked.getSmtpDescription()).startsWith("4.7.0");
        assertThat(locked.getResult()).isEqualTo(HookReturnCode.denySoft());

        store.failing = true;
        HookResult unavailable = auth(tls(), "erin@example.com", PASSWORD);
        assertThat(unavailable.getSmtpRetCode()).isEqualTo("454");
        assertThat(unavailable).isSameAs(MfaAuthHook.TRY_LATER);
        store.failing = false;
        assertThat(auth(tls(), "erin@example.com", PASSWORD).getSmtpRetCode()).as("not counted").isEqualTo("235");
    }

    @Test
    void invalidConfigurationStopsStartupNamingTheParameter() {
        assertThatThrownBy(() -> hook.init(config("<handler><policy>sometimes</policy></handler>")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("policy");
        assertThatThrownBy(() -> hook.init(config("<handler><polciy>required</polciy></handler>")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("polciy");
        assertThatThrownBy(() -> hook.init(config("<handler><domainPolicies>example.com</domainPolicies></handler>")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("domainPolicies");
        assertThatThrownBy(() -> TestStores.service(store, clock, Map.of("policy", "sometimes")))
                .hasMessageContaining("policy");
        assertThatThrownBy(() -> TestStores.service(store, clock, Map.of("domainPolicies", "example.com")))
                .hasMessageContaining("domainPolicies");
    }

    @Test
    void thePolicyHasOneSourceTheMfaPropertiesSharedWithRequireMfa() {
        assertThatThrownBy(() -> hook.init(config("<handler><policy>required</policy></handler>")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("MfaAuthHook: parameter 'policy': is set in tollgate-mfa.properties only");
    }
}
