package dev.tollgate.james.mfa;

import static dev.tollgate.james.mfa.MfaAuthHookTest.config;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.james.core.Username;
import org.apache.james.protocols.api.OidcSASLConfiguration;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.tollgate.core.mfa.MfaService;
import dev.tollgate.core.mfa.OAuthTokenClaims;
import dev.tollgate.core.mfa.TestStores;
import dev.tollgate.core.testing.MutableClock;
import dev.tollgate.core.testing.TestIssuer;
import dev.tollgate.james.mfa.MfaAuthHookTest.Session;

/**
 * OAUTHBEARER/XOAUTH2 decided by {@link MfaAuthHook}, and AUTH PLAIN with an empty password ({@code doDelegation}).
 * The token verifier is a stand-in (signature part {@code bad}: invalid, {@code down}: unavailable, otherwise the
 * {@code email} claim); the claim checks, replies and throttle are the real ones.
 */
class MfaAuthHookOAuthTest {
    static final String ALICE = "alice@example.com";
    static final ObjectMapper JSON = new ObjectMapper();

    MutableClock clock;
    MfaService mfa;
    MfaAuthHook hook;
    final AtomicInteger verifications = new AtomicInteger();
    OidcSASLConfiguration oidc;

    @BeforeEach
    void setUp() throws Exception {
        clock = new MutableClock(Instant.parse("2026-03-01T10:00:05Z"));
        mfa = TestStores.service(new TestStores.MapStore(), clock, Map.of("throttle.baseDelay", "1ms",
                "throttle.maxDelay", "1ms"));
        hook = new MfaAuthHook(mfa, MfaAuthHookTest.users(), (token, c) -> {
            verifications.incrementAndGet();
            String signature = token.substring(token.lastIndexOf('.') + 1);
            if (signature.equals("down")) {
                throw new OAuthTokenVerifier.Unavailable("JWKS down", null);
            }
            return signature.equals("bad") ? Optional.empty()
                    : Optional.ofNullable(OAuthTokenClaims.payload(token).orElseThrow().path("email").textValue());
        });
        hook.init(config("<handler><oauthAudience>smtp.example.com</oauthAudience></handler>"));
        oidc = new OidcSASLConfiguration(new URL("http://idp.test/jwks"), "email",
                new URL("http://idp.test/.well-known/openid-configuration"), "email", Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    long now() {
        return clock.instant().getEpochSecond();
    }

    String token(String claims, String signature) {
        return TestIssuer.B64URL.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + TestIssuer.B64URL.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "." + signature;
    }

    String claims(String user, String extra) {
        return "{\"email\":\"" + user + "\",\"exp\":" + (now() + 300) + ",\"aud\":\"smtp.example.com\"" + extra + "}";
    }

    static Session tls() {
        Session s = new Session();
        s.tls = true;
        return s;
    }

    HookResult sasl(Session s, String initialResponse) {
        clock.advance(Duration.ofMillis(5));
        return hook.doSasl(s.proxy(), oidc, initialResponse);
    }

    static JsonNode errorStatus(HookResult challenge) throws Exception {
        assertThat(challenge.getSmtpRetCode()).isEqualTo("334");
        return JSON.readTree(Base64.getDecoder().decode(challenge.getSmtpDescription()));
    }

    @Test
    void tokenWithAnMfaClaimAuthenticatesAndMarksTheSession() {
        for (String initial : new String[] {TestIssuer.oauthBearer(ALICE, token(claims(ALICE, ",\"amr\":[\"pwd\",\"otp\"]"), "sig")),
                TestIssuer.xoauth2("Alice@Example.com", token(claims(ALICE, ",\"amr\":[\"mfa\"]"), "sig"))}) {
            Session s = tls();
            HookResult r = sasl(s, initial);
            assertThat(r.getSmtpRetCode()).isEqualTo("235");
            assertThat(r.getResult()).isEqualTo(HookReturnCode.ok());
            assertThat(s.calls).containsEntry("setUsername", Username.of(ALICE)).containsEntry("setRelayingAllowed", true);
            assertThat(s.attachments).containsEntry(MfaSessionKeys.METHOD, "oauth-mfa");
            assertThat(s.lineHandlers).isEmpty();
        }
    }

    /** James 3.8.1 ignores a SASL hook's 535: refusals are an RFC 7628 error challenge, then the final reply. */
    @Test
    void tokenWithoutSecondFactorGetsTheErrorChallengeThen534AndIsNotCounted() throws Exception {
        for (String extra : new String[] {"", ",\"amr\":[\"pwd\"]"}) {
            Session s = tls();
            HookResult challenge = sasl(s, TestIssuer.oauthBearer(ALICE, token(claims(ALICE, extra), "sig")));
            JsonNode status = errorStatus(challenge);
            assertThat(status.path("status").asText()).isEqualTo("insufficient_user_authentication");
            assertThat(status.path("openid-configuration").asText()).isEqualTo("http://idp.test/.well-known/openid-configuration");
            assertThat(challenge.getResult().getAction()).isEqualTo(HookReturnCode.Action.DENY);
            Response last = s.line("AQ==");
            assertThat(last.getRetCode()).isEqualTo("534");
            assertThat(last.getLines().get(0).toString()).startsWith("534 5.7.9");
            assertThat(s.lineHandlers).isEmpty();
            assertThat(s.calls).isEmpty();
            assertThat(mfa.throttled(ALICE, "192.0.2.7")).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"bad-signature", "expired", "not-yet-valid", "wrong-audience", "no-audience", "other-user",
        "unknown-user", "no-exp"})
    void invalidTokensGetTheErrorChallengeThen535AndAreCounted(String kind) throws Exception {
        String user = kind.equals("unknown-user") ? "ghost@example.com" : ALICE;
        String mfaClaim = ",\"amr\":[\"otp\"]";
        String claims;
        switch (kind) {
            case "expired":
                claims = "{\"email\":\"" + user + "\",\"exp\":" + now() + ",\"aud\":\"smtp.example.com\"" + mfaClaim + "}";
                break;
            case "not-yet-valid":
                claims = claims(user, mfaClaim + ",\"nbf\":" + (now() + 60));
                break;
            case "wrong-audience":
                claims = "{\"email\":\"" + user + "\",\"exp\":" + (now() + 300) + ",\"aud\":\"other\"" + mfaClaim + "}";
                break;
            case "no-audience":
                claims = "{\"email\":\"" + user + "\",\"exp\":" + (now() + 300) + mfaClaim + "}";
                break;
            case "other-user":
                claims = claims("mallory@example.com", mfaClaim);
                break;
            case "no-exp":
                claims = "{\"email\":\"" + user + "\",\"aud\":\"smtp.example.com\"" + mfaClaim + "}";
                break;
            default:
                claims = claims(user, mfaClaim);
        }
        Session s = tls();
        HookResult challenge = sasl(s, TestIssuer.oauthBearer(user, token(claims, kind.equals("bad-signature") ? "bad" : "sig")));
        assertThat(errorStatus(challenge).path("status").asText()).as(kind).isEqualTo("invalid_token");
        Response last = s.line("AQ==");
        assertThat(last.getRetCode()).as(kind).isEqualTo("535");
        assertThat(last.getLines().get(0).toString()).startsWith("535 5.7.8");
        assertThat(s.calls).isEmpty();
        assertThat(s.attachments).doesNotContainKey(MfaSessionKeys.METHOD);
        assertThat(mfa.throttled(user, "192.0.2.7")).as("counted").isPresent();
    }

    @Test
    void withoutInitialResponseAnEmptyChallengeThenTheResponseOnTheNextLine() {
        Session s = tls();
        HookResult prompt = sasl(s, null);
        assertThat(prompt.getSmtpRetCode()).isEqualTo("334");
        assertThat(prompt.getSmtpDescription()).isEmpty();
        assertThat(prompt.getResult().getAction()).isIn(HookReturnCode.Action.ACTIVE_ACTIONS);
        Response ok = s.line(TestIssuer.oauthBearer(ALICE, token(claims(ALICE, ",\"amr\":[\"otp\"]"), "sig")));
        assertThat(ok.getRetCode()).isEqualTo("235");
        assertThat(s.lineHandlers).isEmpty();
        assertThat(s.attachments).containsEntry(MfaSessionKeys.METHOD, "oauth-mfa");

        Session refused = tls();
        sasl(refused, null);
        Response challenge = refused.line(TestIssuer.oauthBearer(ALICE, token(claims(ALICE, ""), "sig")));
        assertThat(challenge.getRetCode()).isEqualTo("334");
        assertThat(refused.line("AQ==").getRetCode()).isEqualTo("534");
        assertThat(refused.lineHandlers).isEmpty();

        Session cancelled = tls();
        sasl(cancelled, null);
        assertThat(cancelled.line("*").getRetCode()).isEqualTo("501");
        assertThat(cancelled.lineHandlers).isEmpty();
    }

    @Test
    void malformedThrottledAndUnavailableAreImmediateReplies() {
        HookResult malformed = sasl(tls(), TestIssuer.b64("auth=Bearer x\u0001\u0001"));
        assertThat(malformed.getSmtpRetCode()).isEqualTo("501");
        assertThat(malformed.getSmtpDescription()).startsWith("5.5.2");
        assertThat(verifications).hasValue(0);

        HookResult down = sasl(tls(), TestIssuer.oauthBearer(ALICE, token(claims(ALICE, ",\"amr\":[\"otp\"]"), "down")));
        assertThat(down.getSmtpRetCode()).isEqualTo("454");
        assertThat(mfa.throttled(ALICE, "192.0.2.7")).as("not counted").isEmpty();

        for (int i = 0; i < 10; i++) {
            Session s = tls();
            sasl(s, TestIssuer.oauthBearer(ALICE, token(claims(ALICE, ",\"amr\":[\"otp\"]"), "bad")));
            assertThat(s.line("AQ==").getRetCode()).isEqualTo("535");
        }
        int before = verifications.get();
        Session locked = tls();
        HookResult r = sasl(locked, TestIssuer.oauthBearer(ALICE, token(claims(ALICE, ",\"amr\":[\"otp\"]"), "sig")));
        assertThat(r.getSmtpRetCode()).isEqualTo("454");
        assertThat(r.getSmtpDescription()).startsWith("4.7.0");
        assertThat(verifications).as("nothing verified while locked").hasValue(before);
        assertThat(locked.calls).isEmpty();
    }

    @Test
    void refusedPortMissingAudiencePassAndNoTls() throws Exception {
        String valid = TestIssuer.oauthBearer(ALICE, token(claims(ALICE, ",\"amr\":[\"otp\"]"), "sig"));
        Session before = new Session();
        assertThat(sasl(before, valid).getSmtpRetCode()).isEqualTo("530");

        hook.init(config("<handler><oauth>deny</oauth><oauthAudience>smtp.example.com</oauthAudience></handler>"));
        HookResult denied = sasl(tls(), valid);
        assertThat(denied.getSmtpRetCode()).isEqualTo("504");
        assertThat(denied.getSmtpDescription()).startsWith("5.5.4");

        hook.init(config("<handler/>"));
        assertThat(sasl(tls(), valid).getSmtpRetCode()).as("no oauthAudience: fail closed").isEqualTo("504");

        hook.init(config("<handler><oauth>pass</oauth></handler>"));
        assertThat(sasl(tls(), valid)).isEqualTo(HookResult.DECLINED);
        assertThat(verifications).hasValue(0);
    }

    /** AUTH PLAIN {@code \0alice\0   }: James drops the blank password and calls doDelegation twice per AUTH. */
    @Test
    void emptyPasswordIsRefusedWith535AndCountedOncePerAuth() {
        Username alice = Username.of(ALICE);
        for (int attempt = 1; attempt <= 10; attempt++) {
            clock.advance(Duration.ofMillis(5));
            Session s = tls();
            HookResult first = hook.doDelegation(s.proxy(), alice);
            HookResult second = hook.doDelegation(s.proxy(), alice);
            assertThat(second).as("attempt " + attempt).isSameAs(first);
            assertThat(second.getSmtpRetCode()).isEqualTo("535");
            assertThat(second.getSmtpDescription()).isEqualTo(MfaAuthHook.INVALID.getSmtpDescription());
            assertThat(s.calls).isEmpty();
        }
        clock.advance(Duration.ofMillis(5));
        Session locked = tls();
        assertThat(hook.doDelegation(locked.proxy(), alice).getSmtpRetCode()).as("10 attempts, 10 failures: locked")
                .isEqualTo("454");
        assertThat(hook.doDelegation(new Session().proxy(), Username.of("bob@example.com")).getSmtpRetCode())
                .isEqualTo("530");
    }

    /**
     * AUTH PLAIN {@code \0\0secret}: the one field James passes on is the password (here a name the test user
     * base does not hold). James 3.8.1 logs the field of a delegation refused with 535, so the hook answers 501
     * and never uses the field as a name.
     */
    @Test
    void aFieldThatNamesNoUserIsAMalformedRequestNotAName() {
        for (int attempt = 1; attempt <= 10; attempt++) {
            clock.advance(Duration.ofMillis(5));
            Session s = tls();
            HookResult first = hook.doDelegation(s.proxy(), Username.of("ghost-Secret-Password-1"));
            HookResult second = hook.doDelegation(s.proxy(), Username.of("ghost-Secret-Password-1"));

            assertThat(second).as("attempt " + attempt).isSameAs(first);
            assertThat(first.getSmtpRetCode()).isEqualTo("501");
            assertThat(first.getSmtpDescription()).isEqualTo("5.5.2 AUTH PLAIN needs a user name and a password");
            assertThat(s.calls).isEmpty();
        }
        clock.advance(Duration.ofMillis(5));
        assertThat(mfa.throttled("ghost-Secret-Password-1", null)).as("the field is never a throttle key").isEmpty();
    }
}
