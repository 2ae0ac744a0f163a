package dev.tollgate.james.mfa.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.james.core.Username;
import org.apache.james.imap.api.Tag;
import org.apache.james.imap.api.message.response.ImapResponseMessage;
import org.apache.james.imap.api.message.response.StatusResponse;
import org.apache.james.imap.api.process.ImapProcessor;
import org.apache.james.imap.api.ImapSessionState;
import org.apache.james.imap.decode.parser.LoginCommandParser;
import org.apache.james.imap.encode.FakeImapSession;
import org.apache.james.imap.encode.ImapResponseWriter;
import org.apache.james.imap.encode.base.ImapResponseComposerImpl;
import org.apache.james.imap.message.Literal;
import org.apache.james.imap.message.request.LoginRequest;
import org.apache.james.imap.message.response.UnpooledStatusResponseFactory;
import org.apache.james.imap.processor.LoginProcessor;
import org.apache.james.modules.protocols.ImapPackage;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.utils.ClassName;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tollgate.core.audit.Metrics;
import dev.tollgate.core.mfa.AppPassword;
import dev.tollgate.core.mfa.AppPasswordScope;
import dev.tollgate.core.mfa.MfaService;
import dev.tollgate.core.mfa.OtpAuthUri;
import dev.tollgate.core.mfa.TestStores;
import dev.tollgate.core.testing.MutableClock;
import dev.tollgate.james.mfa.AuthDecisions;

/** The IMAP decision without a server: a real MfaService over a map store, James's fake IMAP session. */
class ImapMfaLoginTest {
    static final String PASSWORD = "Winter123456";
    static final Username ALICE = Username.of("alice@example.com");

    MutableClock clock;
    MfaService mfa;
    ImapMfaLogin login;
    FakeImapSession session;
    List<ImapResponseMessage> responses;
    List<Username> opened;
    ImapProcessor.Responder responder;

    static UsersRepository users() {
        return (UsersRepository) Proxy.newProxyInstance(UsersRepository.class.getClassLoader(),
                new Class<?>[] {UsersRepository.class}, (p, m, args) -> {
                    if (m.getName().equals("test")) {
                        return PASSWORD.equals(args[1]);
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
    }

    @BeforeEach
    void setUp() {
        clock = new MutableClock(Instant.parse("2026-03-01T10:00:05Z"));
        mfa = TestStores.service(new TestStores.MapStore(), clock, Map.of("throttle.baseDelay", "1ms",
                "throttle.maxDelay", "1ms", "policy", "optional", "domainPolicies", "strict.example=required"));
        counters = new java.util.concurrent.ConcurrentHashMap<>();
        Metrics recording = new Metrics() {
            @Override
            public void add(String name, int n) {
                counters.merge(name, n, Integer::sum);
            }

            @Override
            public Metrics.Timer timer(String name) {
                return () -> counters.merge(name, 1, Integer::sum);
            }

            @Override
            public void gauge(String name, java.util.function.LongSupplier value) {
            }

            @Override
            public void register(String name) {
            }
        };
        login = new ImapMfaLogin(mfa, users(), new UnpooledStatusResponseFactory(), new AuthDecisions(recording));
        session = new FakeImapSession();
        responses = new ArrayList<>();
        opened = new ArrayList<>();
        responder = new ImapProcessor.Responder() {
            @Override
            public void respond(ImapResponseMessage message) {
                responses.add(message);
            }

            @Override
            public void flush() {
            }
        };
    }

    void attempt(Username user, String password) {
        clock.advance(java.time.Duration.ofMillis(5));
        login.login(user, password, "LOGIN", session, new LoginRequest(user, password, new Tag("a1")), responder,
                opened::add);
    }

    OtpAuthUri enrol() throws Exception {
        OtpAuthUri uri = mfa.enroll(ALICE.asString());
        mfa.confirm(ALICE.asString(), uri.totpBuilder().clock(clock).build().generate(uri.secret(), clock.instant()));
        return uri;
    }

    String lastCode() {
        return ((AuthRefusal) responses.get(responses.size() - 1)).code();
    }

    Map<String, Integer> counters;

    @Test
    void everyImapDecisionIsCountedUnderTheImapProtocolWithItsMethodAndResult() throws Exception {
        attempt(ALICE, PASSWORD);
        enrol();
        session = new FakeImapSession();
        // enrolled: "Winter123456" reads as password "Winter" + code, and "Winter" is wrong
        attempt(ALICE, PASSWORD);
        attempt(ALICE, null);

        assertThat(counters).containsEntry("tollgate_mfa_auth:imap:password:pass", 1)
                .containsEntry("tollgate_mfa_auth:imap:password:bad_password", 2)
                .containsEntry("tollgate_mfa_auth_check:imap", 2)
                .doesNotContainKeys("tollgate_mfa_auth:smtp:password:pass");
    }

    @Test
    void unenrolledUserUnderOptionalOpensWithThePasswordAndTheMethodIsRecorded() {
        attempt(ALICE, PASSWORD);
        assertThat(opened).containsExactly(ALICE);
        assertThat(responses).as("the processor answers OK").isEmpty();
        assertThat(ImapMfaLogin.method(session)).contains("password");
    }

    @Test
    void enrolledUserBarePasswordAndSmtpOnlyAppPasswordAreRefusedImapAppPasswordOpens() throws Exception {
        OtpAuthUri uri = enrol();
        String code = uri.totpBuilder().clock(clock).build().generate(uri.secret(), clock.instant().plusSeconds(30));
        AppPassword.Issued smtp = mfa.createAppPassword(ALICE.asString(), code, "smtp", Set.of(AppPasswordScope.SMTP));
        clock.advance(java.time.Duration.ofSeconds(30));
        code = uri.totpBuilder().clock(clock).build().generate(uri.secret(), clock.instant().plusSeconds(30));
        AppPassword.Issued imap = mfa.createAppPassword(ALICE.asString(), code, "imap", Set.of(AppPasswordScope.IMAP));

        attempt(ALICE, PASSWORD);
        assertThat(lastCode()).isEqualTo("AUTHENTICATIONFAILED");
        attempt(ALICE, smtp.plaintext());
        assertThat(lastCode()).isEqualTo("AUTHENTICATIONFAILED");
        assertThat(opened).isEmpty();

        session = new FakeImapSession();
        attempt(ALICE, imap.plaintext());
        assertThat(opened).containsExactly(ALICE);
        assertThat(ImapMfaLogin.method(session)).contains("app-password");
    }

    @Test
    void requiredPolicyWithoutEnrolmentIsRefusedWithItsOwnText() {
        attempt(Username.of("eve@strict.example"), PASSWORD);
        AuthRefusal refusal = (AuthRefusal) responses.get(0);
        assertThat(refusal.code()).isEqualTo("AUTHENTICATIONFAILED");
        assertThat(refusal.text()).startsWith("Two-step verification is required");
        assertThat(opened).isEmpty();
    }

    @Test
    void theThirdRefusalOnAConnectionSaysByeAndLogsOut() throws Exception {
        enrol();
        attempt(ALICE, "wrong1");
        attempt(ALICE, "wrong2");
        assertThat(session.getState()).isNotEqualTo(ImapSessionState.LOGOUT);
        attempt(ALICE, "wrong3");
        assertThat(responses).hasSize(4);
        assertThat(((StatusResponse) responses.get(3)).getServerResponseType()).isEqualTo(StatusResponse.Type.BYE);
        assertThat(session.getState()).isEqualTo(ImapSessionState.LOGOUT);
    }

    @Test
    void missingPasswordIsCountedAndRefused() {
        attempt(ALICE, "");
        assertThat(lastCode()).isEqualTo("AUTHENTICATIONFAILED");
        assertThat(opened).isEmpty();
    }

    @Test
    void refusalIsEncodedWithItsRfc5530CodeBeforeTheCommand() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImapResponseComposerImpl composer = new ImapResponseComposerImpl(new ImapResponseWriter() {
            @Override
            public void write(Literal literal) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void write(byte[] buffer) {
                bytes.writeBytes(buffer);
            }
        });
        LoginRequest request = new LoginRequest(ALICE, "x", new Tag("a7"));
        new AuthRefusalEncoder().encode(new AuthRefusal(request.getTag(), request.getCommand(),
                AuthRefusal.AUTHENTICATIONFAILED, ImapMfaLogin.INVALID), composer);
        composer.flush();
        assertThat(bytes.toString(StandardCharsets.US_ASCII))
                .isEqualTo("a7 NO [AUTHENTICATIONFAILED] LOGIN " + ImapMfaLogin.INVALID + "\r\n");
    }

    @Test
    void packageReplacesJamesLoginAndAuthenticateAndKeepsEveryOtherDefault() {
        ImapPackage p = new MfaImapPackage();
        List<String> processors = p.processors().stream().map(ClassName::getName).collect(java.util.stream.Collectors.toList());
        assertThat(processors).contains(MfaLoginProcessor.class.getName(), MfaAuthenticateProcessor.class.getName())
                .doesNotContain(LoginProcessor.class.getName(),
                        org.apache.james.imap.processor.AuthenticateProcessor.class.getName())
                .containsAll(new ImapPackage.DefaultNoAuth().processors().stream().map(ClassName::getName)
                        .collect(java.util.stream.Collectors.toList()));
        assertThat(p.decoders()).extracting(ClassName::getName).contains(LoginCommandParser.class.getName())
                .doesNotHaveDuplicates();
        assertThat(p.encoders()).extracting(ClassName::getName).contains(AuthRefusalEncoder.class.getName());
        assertThat(MfaImapPackage.NAME).isEqualTo(MfaImapPackage.class.getName())
                .isEqualTo(dev.tollgate.core.mfa.MailboxDoors.IMAP_PACKAGE);
    }
}
