package dev.tollgate.james.state;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import com.google.inject.Injector;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.utils.PropertiesProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tollgate.core.config.Parameters;
import dev.tollgate.core.mfa.MfaServiceConfig;
import dev.tollgate.core.state.StateConfig;
import dev.tollgate.core.state.StateException;
import dev.tollgate.core.state.StateStore;
import dev.tollgate.core.state.file.FileStateStore;
import dev.tollgate.core.state.memory.InMemoryFailureLog;
import dev.tollgate.core.state.memory.InMemoryStateStore;
import dev.tollgate.james.config.ComponentInit;
import dev.tollgate.james.mfa.CassandraStateProvider;

/**
 * The one {@link StateStore} of a James process, for every Tollgate component that keeps shared state: the MFA
 * service ({@code MfaModule}) and {@code TlsPolicyDelivery} (MTA-STS policy cache, TLS-RPT counts and report
 * leases). Each asks here with what James injects into it ({@link PropertiesProvider}, {@link FileSystem}, the
 * {@link Injector}); the first call opens the store from {@code conf/tollgate-state.properties} ({@link StateConfig})
 * and later calls get the same instance, so the delivery mailet has its store whether or not {@code MfaModule} is
 * listed in {@code extensions.properties}, and both share one Cassandra session when both are used.
 *
 * <p>Backends: {@code file} (the default) uses the MFA store directory of {@code tollgate-mfa.properties}, as
 * before; {@code cassandra} James's own {@code CqlSession} when bound, else one of Tollgate's
 * ({@link CassandraStateProvider}); {@code memory} for tests. A configuration error or a Cassandra that cannot be
 * reached stops James at startup with a message naming the file.
 */
public final class SharedStateStore {
    private static final Logger LOGGER = LoggerFactory.getLogger(SharedStateStore.class);
    /** By what was opened (backend and place), so a second James in one JVM (tests) with other files gets its own. */
    private static final Map<String, StateStore> OPEN = new HashMap<>();

    private SharedStateStore() {
    }

    /**
     * @return the process's store, opened on first use
     * @throws IllegalStateException naming {@code tollgate-state.properties} (or {@code tollgate-mfa.properties})
     *     on a configuration error or an unreachable store
     */
    public static synchronized StateStore get(PropertiesProvider properties, FileSystem fileSystem, Injector injector) {
        Parameters stateParameters = ComponentInit.propertiesFile(properties, StateConfig.FILE).orElse(Parameters.empty());
        StateConfig config = ComponentInit.file(StateConfig.FILE + ".properties", () -> StateConfig.parse(stateParameters));
        Path base;
        try {
            base = fileSystem.getBasedir().toPath();
        } catch (java.io.FileNotFoundException e) {
            throw new IllegalStateException("James's home cannot be found: " + e.getMessage(), e);
        }
        String key;
        Path directory = null;
        switch (config.backend()) {
            case CASSANDRA:
                key = "cassandra:" + config.session() + ":" + config.contactPoints() + "/" + config.keyspace();
                break;
            case MEMORY:
                key = "memory:" + base;
                break;
            default:
                Parameters mfa = ComponentInit.propertiesFile(properties, MfaServiceConfig.FILE).orElse(Parameters.empty());
                MfaServiceConfig mfaConfig = ComponentInit.file(MfaServiceConfig.FILE + ".properties",
                        () -> MfaServiceConfig.parse(mfa));
                directory = base.resolve(mfaConfig.storeDirectory()).toAbsolutePath().normalize();
                key = "file:" + directory;
                break;
        }
        StateStore open = OPEN.get(key);
        if (open != null) {
            return open;
        }
        StateStore store;
        try {
            switch (config.backend()) {
                case CASSANDRA:
                    store = CassandraStateProvider.open(config, injector, base);
                    break;
                case MEMORY:
                    store = InMemoryStateStore.create();
                    break;
                default:
                    store = FileStateStore.open(directory, InMemoryFailureLog.create());
                    break;
            }
        } catch (StateException e) {
            throw new IllegalStateException(StateConfig.FILE + ".properties: " + e.getMessage(), e);
        }
        LOGGER.info("Tollgate state store opened: {}", store.describe());
        OPEN.put(key, store);
        return store;
    }
}
