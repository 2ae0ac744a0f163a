package dev.tollgate.james.mfa;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.tollgate.core.config.Parameters;
import dev.tollgate.core.mfa.AppPasswordHasher;
import dev.tollgate.core.mfa.MfaEnrollment;
import dev.tollgate.core.mfa.SecretStore;
import dev.tollgate.core.mfa.SecretStoreException;

/** Test doubles: a map-backed store that can be made to fail, and a settable clock. */
public final class TestStores {
    private TestStores() {
    }

    /** In-memory {@link SecretStore}; {@link #failing} makes every call throw. */
    public static final class MapStore implements SecretStore {
        public final Map<String, MfaEnrollment> records = new ConcurrentHashMap<>();
        public volatile boolean failing;

        @Override
        public Optional<MfaEnrollment> get(String user) throws SecretStoreException {
            check();
            return Optional.ofNullable(records.get(user));
        }

        @Override
        public void put(String user, MfaEnrollment enrollment) throws SecretStoreException {
            check();
            records.put(user, enrollment);
        }

        @Override
        public boolean delete(String user) throws SecretStoreException {
            check();
            return records.remove(user) != null;
        }

        private void check() throws SecretStoreException {
            if (failing) {
                throw new SecretStoreException("disk on fire", null);
            }
        }
    }

    /** A clock tests move by hand. */
    public static final class MutableClock extends Clock {
        private volatile Instant now;

        public MutableClock(Instant now) {
            this.now = now;
        }

        public void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** @return a service over {@code store} with fast Argon2 and the given settings */
    public static MfaService service(SecretStore store, Clock clock, Map<String, String> settings) {
        return new MfaService(store, MfaServiceConfig.parse(Parameters.of(settings)),
                AppPasswordHasher.argon2id(64, 1, 1), clock);
    }
}
