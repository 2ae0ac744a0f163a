package dev.tollgate.core.mfa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Parameters;
import dev.tollgate.core.mfa.MfaService.AuthResult;
import dev.tollgate.core.mfa.MfaService.Method;
import dev.tollgate.core.mfa.MfaService.Outcome;
import dev.tollgate.core.mfa.MfaService.Problem;
import dev.tollgate.core.mfa.TestStores.MapStore;
import dev.tollgate.core.testing.MutableClock;

class MfaServiceTest {
    static final String USER = "Alice@Example.com";
    static final String PASSWORD = "Winter123456";
    static final MfaService.PasswordCheck PASSWORDS = (u, p) -> p.equals(PASSWORD);

    MapStore store;
    MutableClock clock;
    MfaService mfa;

    @BeforeEach
    void setUp() {
        store = new MapStore();
        clock = new MutableClock(Instant.parse("2026-03-01T10:00:05Z"));
        mfa = TestStores.service(store, clock, Map.of("throttle.baseDelay", "1s", "throttle.maxDelay", "1s",
                "throttle.lockoutDuration", "60s"));
    }

    Totp totp(OtpAuthUri uri) {
        return uri.totpBuilder().clock(clock).build();
    }

    String code(OtpAuthUri uri, int stepsFromNow) {
        return totp(uri).generate(uri.secret(), clock.instant().plusSeconds(30L * stepsFromNow));
    }

    OtpAuthUri enrolAndConfirm() throws Exception {
        OtpAuthUri uri = mfa.enroll(USER);
        mfa.confirm(USER, code(uri, 0));
        return uri;
    }

    AuthResult auth(String credential) {
        clock.advance(Duration.ofSeconds(2)); // past any 1 s backoff
        return mfa.authenticate(USER, credential, "192.0.2.1", PASSWORDS, false);
    }

    @Test
    void notEnrolledUsesThePasswordUnlessThePolicyRequiresEnrolment() {
        assertThat(auth(PASSWORD).method()).contains(Method.PASSWORD);
        assertThat(auth("wrong").outcome()).isEqualTo(Outcome.INVALID);
        clock.advance(Duration.ofSeconds(2));
        assertThat(mfa.authenticate(USER, PASSWORD, null, PASSWORDS, true).outcome()).isEqualTo(Outcome.ENROLLMENT_REQUIRED);
    }

    @Test
    void pendingEnrolmentDoesNotYetRequireCodes() throws Exception {
        mfa.enroll(USER);
        assertThat(auth(PASSWORD).method()).contains(Method.PASSWORD);
        assertThat(mfa.status(USER).get().pending()).isTrue();
    }

    @Test
    void enrolledUserNeedsPasswordFollowedByCodeAndReplaysAreRefused() throws Exception {
        OtpAuthUri uri = enrolAndConfirm();
        assertThat(store.records).containsOnlyKeys("alice@example.com");
        assertThat(auth(PASSWORD).outcome()).isEqualTo(Outcome.INVALID);
        String next = code(uri, 1);
        assertThat(auth(PASSWORD + next).method()).contains(Method.TOTP);
        assertThat(auth(PASSWORD + next).outcome()).isEqualTo(Outcome.INVALID);
        assertThat(auth("Winter12345" + code(uri, 1)).outcome()).as("wrong password, right shape").isEqualTo(Outcome.INVALID);
        assertThat(store.records.get("alice@example.com").lastAcceptedStep()).isPresent();
    }

    @Test
    void confirmingCodeIsUsedUpAndOlderCodesAreRefused() throws Exception {
        OtpAuthUri uri = mfa.enroll(USER);
        String now = code(uri, 0);
        mfa.confirm(USER, now);
        assertThat(auth(PASSWORD + now).outcome()).isEqualTo(Outcome.INVALID);
        assertThat(auth(PASSWORD + code(uri, -1)).outcome()).isEqualTo(Outcome.INVALID);
    }

    @Test
    void replayWatermarkSurvivesARestart() throws Exception {
        dev.tollgate.core.state.StateStore state = TestStores.memoryState(clock);
        mfa = TestStores.service(state, clock, Map.of());
        OtpAuthUri uri = enrolAndConfirm();
        String next = code(uri, 1);
        assertThat(auth(PASSWORD + next).outcome()).isEqualTo(Outcome.SUCCESS);
        MfaService restarted = TestStores.service(state, clock, Map.of());
        assertThat(restarted.authenticate(USER, PASSWORD + next, null, PASSWORDS, false).outcome())
                .isEqualTo(Outcome.INVALID);
    }

    @Test
    void aRecordsOwnWatermarkStillRefusesOlderStepsWhenTheStateStoreHasNone() throws Exception {
        OtpAuthUri uri = enrolAndConfirm();
        String next = code(uri, 1);
        // A record written before watermarks were kept apart carries its last accepted step.
        long step = clock.instant().getEpochSecond() / 30 + 1;
        store.records.put(MfaService.key(USER), store.records.get(MfaService.key(USER)).withLastAcceptedStep(TimeStep.of(step)));
        MfaService restarted = TestStores.service(store, clock, Map.of());
        assertThat(restarted.authenticate(USER, PASSWORD + next, null, PASSWORDS, false).outcome())
                .isEqualTo(Outcome.INVALID);
    }

    @Test
    void separatorIsHonoured() throws Exception {
        mfa = TestStores.service(store, clock, Map.of("separator", ":"));
        OtpAuthUri uri = enrolAndConfirm();
        assertThat(auth(PASSWORD + code(uri, 1)).outcome()).isEqualTo(Outcome.INVALID);
        assertThat(auth(PASSWORD + ":" + code(uri, 1)).outcome()).isEqualTo(Outcome.SUCCESS);
    }

    @Test
    void appPasswordsNeedACodeToCreateAndStopWorkingWhenRevokedOrReset() throws Exception {
        OtpAuthUri uri = enrolAndConfirm();
        assertThatThrownBy(() -> mfa.createAppPassword(USER, "000000", "phone", Set.of()))
                .extracting(e -> ((MfaService.RefusedException) e).problem()).isEqualTo(Problem.INVALID_CODE);
        AppPassword.Issued issued = mfa.createAppPassword(USER, code(uri, 1), "phone", Set.of());
        assertThat(issued.appPassword().scopes()).containsExactly(AppPasswordScope.SMTP);
        assertThat(auth(issued.plaintext()).method()).contains(Method.APP_PASSWORD);
        assertThat(auth(issued.plaintext().toUpperCase()).method()).as("case and hyphens ignored").contains(Method.APP_PASSWORD);
        assertThat(mfa.appPasswords(USER).get(0).lastUsed()).isPresent();

        assertThat(mfa.revokeAppPassword(USER, issued.appPassword().id())).isTrue();
        assertThat(auth(issued.plaintext()).outcome()).isEqualTo(Outcome.INVALID);
        assertThat(mfa.revokeAppPassword(USER, issued.appPassword().id())).isFalse();

        clock.advance(Duration.ofSeconds(30));
        AppPassword.Issued second = mfa.createAppPassword(USER, code(uri, 1), "laptop", Set.of(AppPasswordScope.SMTP));
        assertThat(mfa.reset(USER)).isTrue();
        assertThat(auth(second.plaintext()).outcome()).isEqualTo(Outcome.INVALID);
        assertThat(mfa.appPasswords(USER)).isEmpty();
    }

    @Test
    void imapOnlyAppPasswordIsRefusedForSmtp() throws Exception {
        OtpAuthUri uri = enrolAndConfirm();
        AppPassword.Issued imap = mfa.createAppPassword(USER, code(uri, 1), "imap", Set.of(AppPasswordScope.IMAP));
        assertThat(auth(imap.plaintext()).outcome()).isEqualTo(Outcome.INVALID);
    }

    AuthResult imapAuth(String credential, String ip) {
        clock.advance(Duration.ofSeconds(2));
        return mfa.authenticate(AppPasswordScope.IMAP, USER, credential, ip, PASSWORDS, false);
    }

    @Test
    void eachProtocolAcceptsOnlyAppPasswordsOfItsScopeAndRecordsTheLastUse() throws Exception {
        OtpAuthUri uri = enrolAndConfirm();
        AppPassword.Issued smtpOnly = mfa.createAppPassword(USER, code(uri, 1), "smtp", Set.of(AppPasswordScope.SMTP));
        clock.advance(Duration.ofSeconds(30));
        AppPassword.Issued imapOnly = mfa.createAppPassword(USER, code(uri, 1), "imap", Set.of(AppPasswordScope.IMAP));
        clock.advance(Duration.ofSeconds(30));
        AppPassword.Issued both = mfa.createAppPassword(USER, code(uri, 1), "both",
                Set.of(AppPasswordScope.SMTP, AppPasswordScope.IMAP));

        assertThat(imapAuth(smtpOnly.plaintext(), "192.0.2.7").outcome()).isEqualTo(Outcome.INVALID);
        assertThat(imapAuth(PASSWORD, "192.0.2.7").outcome()).as("bare password").isEqualTo(Outcome.INVALID);
        assertThat(imapAuth(imapOnly.plaintext(), "192.0.2.8").method()).contains(Method.APP_PASSWORD);
        Instant imapUse = clock.instant();
        assertThat(imapAuth(both.plaintext(), "2001:db8::9").method()).contains(Method.APP_PASSWORD);
        assertThat(auth(both.plaintext()).method()).contains(Method.APP_PASSWORD);

        Map<String, AppPassword> stored = new java.util.HashMap<>();
        mfa.appPasswords(USER).forEach(ap -> stored.put(ap.label(), ap));
        assertThat(stored.get("smtp").lastUsed()).as("a refused use is not a use").isEmpty();
        assertThat(stored.get("smtp").lastAddress()).isEmpty();
        assertThat(stored.get("imap").lastUsed()).contains(imapUse);
        assertThat(stored.get("imap").lastAddress()).contains("192.0.2.8");
        assertThat(stored.get("both").lastAddress()).as("the latest use wins").contains("192.0.2.1");
    }

    @Test
    void aSignInWithoutAppPasswordsNeitherAcceptsNorTouchesThemAndCountsTheAttempt() throws Exception {
        OtpAuthUri uri = enrolAndConfirm();
        AppPassword.Issued both = mfa.createAppPassword(USER, code(uri, 1), "both",
                Set.of(AppPasswordScope.SMTP, AppPasswordScope.IMAP));
        clock.advance(Duration.ofSeconds(2));
        AuthResult r = mfa.authenticateWithoutAppPasswords(USER, both.plaintext(), "192.0.2.9", PASSWORDS, false);
        assertThat(r.outcome()).isEqualTo(Outcome.INVALID);
        assertThat(mfa.appPasswords(USER).get(0).lastUsed()).as("not a use").isEmpty();
        assertThat(mfa.throttled(USER, "192.0.2.9")).as("counted like a wrong password").isPresent();
        clock.advance(Duration.ofSeconds(60));
        assertThat(mfa.authenticateWithoutAppPasswords(USER, PASSWORD + code(uri, 0), "192.0.2.9", PASSWORDS, false)
                .method()).contains(Method.TOTP);
    }

    @Test
    void passwordAndCodeWorkOnImapAndShareTheReplayWatermarkWithSmtp() throws Exception {
        OtpAuthUri uri = enrolAndConfirm();
        String next = code(uri, 1);
        assertThat(imapAuth(PASSWORD + next, "192.0.2.1").method()).contains(Method.TOTP);
        assertThat(auth(PASSWORD + next).outcome()).as("replayed on SMTP").isEqualTo(Outcome.INVALID);
    }

    @Test
    void failuresOnImapAndSmtpShareOneLockout() throws Exception {
        OtpAuthUri uri = enrolAndConfirm();
        for (int i = 0; i < 9; i++) {
            assertThat(imapAuth(PASSWORD + "000000", "192.0.2.1").outcome()).isEqualTo(Outcome.INVALID);
        }
        assertThat(auth(PASSWORD + "000000").outcome()).isEqualTo(Outcome.INVALID);
        String valid = code(uri, 0);
        assertThat(auth(PASSWORD + valid).outcome()).isEqualTo(Outcome.THROTTLED);
        assertThat(imapAuth(PASSWORD + valid, "192.0.2.1").outcome()).isEqualTo(Outcome.THROTTLED);
    }

    @Test
    void administrativeStateErrors() throws Exception {
        assertThatThrownBy(() -> mfa.confirm(USER, "123456")).extracting(e -> ((MfaService.RefusedException) e).problem())
                .isEqualTo(Problem.NO_PENDING_ENROLLMENT);
        assertThatThrownBy(() -> mfa.createAppPassword(USER, "123456", "x", Set.of()))
                .extracting(e -> ((MfaService.RefusedException) e).problem()).isEqualTo(Problem.NOT_ENROLLED);
        OtpAuthUri uri = enrolAndConfirm();
        assertThatThrownBy(() -> mfa.enroll(USER)).extracting(e -> ((MfaService.RefusedException) e).problem())
                .isEqualTo(Problem.ALREADY_ENROLLED);
        assertThatThrownBy(() -> mfa.confirm(USER, code(uri, 1))).extracting(e -> ((MfaService.RefusedException) e).problem())
                .isEqualTo(Problem.ALREADY_ENROLLED);
        assertThat(uri.issuer()).isEqualTo("Tollgate");
        assertThat(uri.secret().bits()).isGreaterThanOrEqualTo(160);
    }

    @Test
    void tenFailuresLockEvenAValidCodeUntilTheLockoutEnds() throws Exception {
        OtpAuthUri uri = enrolAndConfirm();
        for (int i = 0; i < 10; i++) {
            assertThat(auth(PASSWORD + "000000").outcome()).isEqualTo(Outcome.INVALID);
        }
        AuthResult locked = auth(PASSWORD + code(uri, 1));
        assertThat(locked.outcome()).isEqualTo(Outcome.THROTTLED);
        assertThat(locked.retryAfter()).isPositive();
        clock.advance(Duration.ofSeconds(60));
        assertThat(auth(PASSWORD + code(uri, 1)).outcome()).isEqualTo(Outcome.SUCCESS);
    }

    @Test
    void everyRefusalNamesItsReason() throws Exception {
        OtpAuthUri uri = enrolAndConfirm();
        assertThat(auth("password-without-code").reason()).isEqualTo("missing_code");
        assertThat(auth("Wrong" + code(uri, 1)).reason()).isEqualTo("bad_password");
        String next = code(uri, 1);
        String wrong = next.equals("000000") ? "111111" : "000000";
        assertThat(auth(PASSWORD + wrong).reason()).isEqualTo("bad_code");
        AuthResult pass = auth(PASSWORD + next);
        assertThat(pass.reason()).isEqualTo("pass");
        assertThat(auth(PASSWORD + next).reason()).isEqualTo("replay");
        assertThat(mfa.authenticate(USER, PASSWORD + next, "192.0.2.1", PASSWORDS, false).reason()).isEqualTo("backoff");
        List<AuthResult> failures = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            failures.add(auth(PASSWORD + wrong));
        }
        assertThat(failures).anyMatch(AuthResult::lockoutStarted);
        assertThat(auth(PASSWORD + code(uri, 2)).reason()).isEqualTo("locked");
        clock.advance(Duration.ofSeconds(61));
        store.failing = true;
        assertThat(auth(PASSWORD + code(uri, 2)).reason()).isEqualTo("store_error");
        store.failing = false;
    }

    @Test
    void backoffRefusesAnImmediateRetryWithoutCountingIt() throws Exception {
        enrolAndConfirm();
        mfa.authenticate(USER, PASSWORD + "000000", "192.0.2.1", PASSWORDS, false);
        assertThat(mfa.authenticate(USER, PASSWORD + "000000", "192.0.2.1", PASSWORDS, false).outcome())
                .isEqualTo(Outcome.THROTTLED);
    }

    @Test
    void storeFailureIsTemporaryAndNeverCounted() throws Exception {
        OtpAuthUri uri = enrolAndConfirm();
        store.failing = true;
        for (int i = 0; i < 20; i++) {
            assertThat(auth(PASSWORD + code(uri, 1)).outcome()).isEqualTo(Outcome.UNAVAILABLE);
        }
        store.failing = false;
        assertThat(auth(PASSWORD + code(uri, 1)).outcome()).isEqualTo(Outcome.SUCCESS);
    }

    @Test
    void userBaseFailureIsTemporary() {
        MfaService.PasswordCheck broken = (u, p) -> {
            throw new IllegalStateException("ldap down");
        };
        assertThat(mfa.authenticate(USER, PASSWORD, null, broken, false).outcome()).isEqualTo(Outcome.UNAVAILABLE);
    }

    @Test
    void concurrentUseOfOneCodeSucceedsOnce() throws Exception {
        OtpAuthUri uri = enrolAndConfirm();
        String credential = PASSWORD + code(uri, 1);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<AuthResult>> calls = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String ip = "192.0.2." + i;
                calls.add(() -> mfa.authenticate(USER, credential, ip, PASSWORDS, false));
            }
            int ok = 0;
            for (Future<AuthResult> f : pool.invokeAll(calls)) {
                if (f.get().outcome() == Outcome.SUCCESS) {
                    ok++;
                }
            }
            assertThat(ok).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void configurationErrorsNameTheKey() {
        assertThatThrownBy(() -> MfaServiceConfig.parse(Parameters.of(Map.of("totp.digits", "9"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("totp.digits");
        assertThatThrownBy(() -> MfaServiceConfig.parse(Parameters.of(Map.of("separator", "1"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("separator");
        assertThatThrownBy(() -> MfaServiceConfig.parse(Parameters.of(Map.of("store.key", "abc"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("store.key");
        assertThatThrownBy(() -> MfaServiceConfig.parse(Parameters.of(Map.of("throttle.baseDelay", "0s"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("throttle.baseDelay");
    }

    @Test
    void toStringsHoldNoSecrets() throws Exception {
        OtpAuthUri uri = enrolAndConfirm();
        assertThat(mfa.toString()).doesNotContain(uri.secret().toBase32());
        assertThat(auth(PASSWORD + code(uri, 1)).toString()).isEqualTo("AuthResult[SUCCESS, totp]");
    }

    /** Attempts checked outside authenticate (OAuth tokens, empty passwords) share its throttle. */
    @Test
    void failuresRecordedOutsideAuthenticateShareTheThrottle() {
        assertThat(mfa.throttled(USER, "192.0.2.1")).isEmpty();
        mfa.recordFailure(USER, "192.0.2.1");
        assertThat(mfa.throttled(USER.toLowerCase(java.util.Locale.ROOT), "192.0.2.1")).contains(Duration.ofSeconds(1));
        assertThat(mfa.authenticate(USER, PASSWORD, "192.0.2.1", PASSWORDS, false).outcome()).isEqualTo(Outcome.THROTTLED);
        clock.advance(Duration.ofSeconds(1));
        assertThat(mfa.throttled(USER, "192.0.2.1")).isEmpty();
        mfa.recordFailure(USER, "192.0.2.1");
        assertThat(mfa.throttled(USER, "192.0.2.1")).isPresent();
        mfa.recordSuccess(USER, "192.0.2.1");
        assertThat(mfa.throttled(USER, "192.0.2.1")).as("success forgets the user's failures").isEmpty();
        assertThat(mfa.now()).isEqualTo(clock.instant());
    }
}
