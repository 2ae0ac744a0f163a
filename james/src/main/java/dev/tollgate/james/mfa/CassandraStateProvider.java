package dev.tollgate.james.mfa;

import java.nio.file.Path;

import com.datastax.oss.driver.api.core.CqlSession;
import com.google.inject.Binding;
import com.google.inject.Injector;
import com.google.inject.Key;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tollgate.core.state.StateConfig;
import dev.tollgate.core.state.StateException;
import dev.tollgate.core.state.StateStore;
import dev.tollgate.core.state.cassandra.CassandraSessions;
import dev.tollgate.core.state.cassandra.CassandraStateStore;

/**
 * Opens the Cassandra state store: on James's own {@link CqlSession} when its injector binds one (James's
 * distributed app) and {@code cassandra.session} allows it, else on a session of Tollgate's own. Kept apart from
 * {@code SharedStateStore} so the driver's classes are loaded only with {@code backend=cassandra}.
 */
public final class CassandraStateProvider {
    private static final Logger LOGGER = LoggerFactory.getLogger(CassandraStateProvider.class);

    private CassandraStateProvider() {
    }

    /**
     * @return the store, on James's session or one of Tollgate's
     * @throws StateException when Cassandra cannot be reached
     * @throws IllegalStateException when {@code cassandra.session} or {@code cassandra.contactPoints} cannot be met
     */
    public static StateStore open(StateConfig config, Injector injector, Path home) throws StateException {
        Binding<CqlSession> james = config.session() == StateConfig.Session.OWN ? null
                : injector.getExistingBinding(Key.get(CqlSession.class));
        if (james != null) {
            String description = "cassandra:james-session/" + config.keyspace();
            LOGGER.info("Tollgate state: using James's Cassandra session, keyspace {}", config.keyspace());
            return CassandraStateStore.open(james.getProvider().get(), false, config.keyspace(), config.createKeyspace(),
                    config.localDatacenter(), config.replicationFactor(), description);
        }
        if (config.session() == StateConfig.Session.JAMES) {
            throw new IllegalStateException(StateConfig.FILE + ".properties: cassandra.session: james, but this James "
                    + "binds no Cassandra session (not the distributed app)");
        }
        if (config.contactPoints().isEmpty()) {
            throw new IllegalStateException(StateConfig.FILE + ".properties: cassandra.contactPoints: required, since "
                    + "this James binds no Cassandra session");
        }
        return CassandraSessions.open(config, home);
    }
}
