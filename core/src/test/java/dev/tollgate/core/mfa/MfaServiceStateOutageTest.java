package dev.tollgate.core.mfa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tollgate.core.mfa.MfaService.Outcome;
import dev.tollgate.core.state.AppPasswordUse;
import dev.tollgate.core.state.AppPasswordUses;
import dev.tollgate.core.state.FailureLog;
import dev.tollgate.core.state.ReplayWatermarks;
import dev.tollgate.core.state.SealedRecords;
import dev.tollgate.core.state.StateException;
import dev.tollgate.core.state.StateStore;
import dev.tollgate.core.testing.MutableClock;

/** Fail closed: while the state store cannot answer, nothing is accepted and nothing is counted. */
class MfaServiceStateOutageTest {
    static final String USER = "carol@example.com";
    static final String PASSWORD = "Winter123456";
    static final MfaService.PasswordCheck PASSWORDS = (u, p) -> p.equals(PASSWORD);

    /** Delegates to an in-memory store; each part can be made to fail. */
    static final class Outage implements StateStore {
        final StateStore real;
        volatile boolean records;
        volatile boolean watermarks;
        volatile boolean failures;

        Outage(StateStore real) {
            this.real = real;
        }

        static void check(boolean down) throws StateException {
            if (down) {
                throw new StateException("test store down");
            }
        }

        @Override
        public dev.tollgate.core.state.LinkKeyStore linkKeys() {
            return real.linkKeys();
        }

        @Override
        public dev.tollgate.core.state.MtaStsPolicies mtaStsPolicies() {
            return real.mtaStsPolicies();
        }

        @Override
        public dev.tollgate.core.state.TlsRptCounters tlsRptCounters() {
            return real.tlsRptCounters();
        }

        @Override
        public SealedRecords records() {
            return new SealedRecords() {
                @Override
                public Optional<byte[]> get(String name) throws StateException {
                    check(records);
                    return real.records().get(name);
                }

                @Override
                public void put(String name, byte[] sealed) throws StateException {
                    check(records);
                    real.records().put(name, sealed);
                }

                @Override
                public boolean delete(String name) throws StateException {
                    check(records);
                    return real.records().delete(name);
                }

                @Override
                public List<String> names() throws StateException {
                    check(records);
                    return real.records().names();
                }
            };
        }

        @Override
        public ReplayWatermarks watermarks() {
            return new ReplayWatermarks() {
                @Override
                public boolean advance(String key, long step) throws StateException {
                    check(watermarks);
                    return real.watermarks().advance(key, step);
                }

                @Override
                public OptionalLong current(String key) throws StateException {
                    check(watermarks);
                    return real.watermarks().current(key);
                }
            };
        }

        @Override
        public FailureLog failures() {
            return new FailureLog() {
                @Override
                public void record(Dimension d, String key, Instant at, Duration keep) throws StateException {
                    check(failures);
                    real.failures().record(d, key, at, keep);
                }

                @Override
                public List<Instant> recent(Dimension d, String key, Instant now, int limit) throws StateException {
                    check(failures);
                    return real.failures().recent(d, key, now, limit);
                }

                @Override
                public void clear(Dimension d, String key) throws StateException {
                    check(failures);
                    real.failures().clear(d, key);
                }
            };
        }

        @Override
        public AppPasswordUses appPasswordUses() {
            return real.appPasswordUses();
        }

        @Override
        public String describe() {
            return "outage-test";
        }

        @Override
        public void close() {
        }
    }

    MutableClock clock;
    Outage state;
    MfaService mfa;
    OtpAuthUri uri;

    @BeforeEach
    void setUp() throws Exception {
        clock = new MutableClock(Instant.parse("2026-03-01T10:00:05Z"));
        state = new Outage(TestStores.memoryState(clock));
        mfa = TestStores.service(state, clock, Map.of("throttle.baseDelay", "1ms", "throttle.maxDelay", "1ms",
                "throttle.userLockoutThreshold", "3"));
        uri = mfa.enroll(USER);
        mfa.confirm(USER, code(0));
    }

    String code(int steps) {
        return uri.totpBuilder().clock(clock).build().generate(uri.secret(), clock.instant().plusSeconds(30L * steps));
    }

    Outcome auth(String credential) {
        clock.advance(Duration.ofMillis(5));
        return mfa.authenticate(USER, credential, "192.0.2.7", PASSWORDS, false).outcome();
    }

    @Test
    void aFailureLogThatCannotAnswerRefusesEverythingAndCountsNothing() throws Exception {
        state.failures = true;
        assertThat(auth(PASSWORD + code(1))).isEqualTo(Outcome.UNAVAILABLE);
        for (int i = 0; i < 5; i++) {
            assertThat(auth(PASSWORD + "000000")).isEqualTo(Outcome.UNAVAILABLE);
        }
        assertThat(mfa.throttled(USER, null)).as("refused while the store is down").isPresent();
        state.failures = false;
        assertThat(auth(PASSWORD + code(1))).as("not locked, the code not used up").isEqualTo(Outcome.SUCCESS);
    }

    @Test
    void aWatermarkThatCannotBeMovedRefusesTheCodeAndDoesNotCountIt() throws Exception {
        state.watermarks = true;
        assertThat(auth(PASSWORD + code(1))).isEqualTo(Outcome.UNAVAILABLE);
        assertThat(auth(PASSWORD + code(1))).isEqualTo(Outcome.UNAVAILABLE);
        assertThat(auth(PASSWORD + code(1))).isEqualTo(Outcome.UNAVAILABLE);
        assertThatThrownBy(() -> mfa.createAppPassword(USER, code(1), "x", java.util.Set.of()))
                .isInstanceOf(SecretStoreException.class);
        state.watermarks = false;
        assertThat(auth(PASSWORD + code(1))).isEqualTo(Outcome.SUCCESS);
        assertThat(auth(PASSWORD + code(1))).as("replay").isEqualTo(Outcome.INVALID);
    }

    @Test
    void unreadableRecordsAreUnavailableNotUnenrolled() {
        state.records = true;
        assertThat(auth(PASSWORD)).as("a bare password must not pass as a user without enrolment").isEqualTo(Outcome.UNAVAILABLE);
    }

    @Test
    void anAppPasswordUseIsRecordedWithTheClientAddress() throws Exception {
        AppPassword.Issued issued = mfa.createAppPassword(USER, code(1), "phone", java.util.Set.of());
        assertThat(auth(issued.plaintext())).isEqualTo(Outcome.SUCCESS);
        Map<String, AppPasswordUse> uses = mfa.appPasswordUses(USER);
        assertThat(uses.get(issued.appPassword().id()).lastAddress()).contains("192.0.2.7");
        assertThat(mfa.appPasswords(USER).get(0).lastUsed()).contains(uses.get(issued.appPassword().id()).lastUsed());
    }
}
