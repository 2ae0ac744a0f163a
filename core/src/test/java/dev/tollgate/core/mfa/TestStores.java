package dev.tollgate.core.mfa;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.tollgate.core.config.Parameters;

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

    /** @return a service over {@code state} (sealed with a fixed test key) with fast Argon2 and the given settings */
    public static MfaService service(dev.tollgate.core.state.StateStore state, Clock clock, Map<String, String> settings) {
        return new MfaService(state, new RecordSealer(new byte[32]), MfaServiceConfig.parse(Parameters.of(settings)),
                AppPasswordHasher.argon2id(64, 1, 1), clock);
    }

    /** @return an in-memory state store whose failures expire by {@code clock} */
    public static dev.tollgate.core.state.memory.InMemoryStateStore memoryState(Clock clock) {
        return new dev.tollgate.core.state.memory.InMemoryStateStore(new dev.tollgate.core.state.memory.InMemoryFailureLog(
                1000, () -> java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(clock.millis())));
    }

    /** @return a service over {@code store} with fast Argon2 and the given settings */
    public static MfaService service(SecretStore store, Clock clock, Map<String, String> settings) {
        return new MfaService(store, MfaServiceConfig.parse(Parameters.of(settings)),
                AppPasswordHasher.argon2id(64, 1, 1), clock);
    }
}
