package dev.tollgate.core.state.cassandra;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.stream.Collectors;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.ssl.ProgrammaticSslEngineFactory;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.state.StateConfig;
import dev.tollgate.core.state.StateException;

/** Opens Tollgate's own {@link CqlSession} and its {@link CassandraStateStore} from a {@link StateConfig}. */
public final class CassandraSessions {
    private CassandraSessions() {
    }

    /** @return how the store is named in logs: {@code cassandra:<contact points>/<keyspace>} */
    public static String describe(StateConfig config) {
        return "cassandra:" + config.contactPoints().stream().map(a -> a.getHostString() + ":" + a.getPort())
                .collect(Collectors.joining(",")) + "/" + config.keyspace();
    }

    /**
     * Opens a session from {@code config} and the store over it (which then owns the session).
     *
     * @param home resolves a relative trust store path (James's working directory)
     * @throws ConfigException naming {@code cassandra.tls.trustStore} when it cannot be loaded
     * @throws StateException  when Cassandra cannot be reached or the schema cannot be created
     */
    public static CassandraStateStore open(StateConfig config, Path home) throws StateException {
        String description = describe(config);
        CqlSession session = session(config, home);
        try {
            return CassandraStateStore.open(session, true, config.keyspace(), config.createKeyspace(),
                    config.localDatacenter(), config.replicationFactor(), description);
        } catch (StateException | RuntimeException e) {
            session.close();
            throw e;
        }
    }

    /**
     * Opens a session from {@code config} only (no schema is created): the caller closes it.
     *
     * @throws ConfigException naming {@code cassandra.tls.trustStore} when it cannot be loaded
     * @throws StateException  when Cassandra cannot be reached
     */
    public static CqlSession session(StateConfig config, Path home) throws StateException {
        String description = describe(config);
        CqlSession session;
        try {
            CqlSessionBuilder builder = CqlSession.builder()
                    .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                            .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, config.requestTimeout())
                            .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, config.requestTimeout().multipliedBy(2))
                            .withDuration(DefaultDriverOption.CONTROL_CONNECTION_TIMEOUT, config.requestTimeout().multipliedBy(2))
                            .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, java.time.Duration.ofSeconds(30))
                            .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, java.time.Duration.ofSeconds(30))
                            .withDuration(DefaultDriverOption.RECONNECTION_BASE_DELAY, java.time.Duration.ofMillis(500))
                            .withDuration(DefaultDriverOption.RECONNECTION_MAX_DELAY, java.time.Duration.ofSeconds(5))
                            .build())
                    .addContactPoints(config.contactPoints())
                    .withLocalDatacenter(config.localDatacenter());
            if (config.username().isPresent()) {
                builder = builder.withAuthCredentials(config.username().get(), config.password().get());
            }
            if (config.tls()) {
                builder = builder.withSslEngineFactory(new ProgrammaticSslEngineFactory(sslContext(config, home), null, true));
            }
            session = builder.build();
        } catch (DriverException | IllegalStateException e) {
            throw new StateException("Cassandra state store " + description + " unreachable at startup: " + e.getMessage(), e);
        }
        return session;
    }

    private static SSLContext sslContext(StateConfig config, Path home) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (config.trustStore().isPresent()) {
                Path file = home.resolve(config.trustStore().get());
                KeyStore ks = KeyStore.getInstance(config.trustStoreType());
                try (InputStream in = Files.newInputStream(file)) {
                    ks.load(in, config.trustStorePassword().map(String::toCharArray).orElse(null));
                }
                tmf.init(ks);
            } else {
                tmf.init((KeyStore) null);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (Exception e) {
            throw new ConfigException("cassandra.tls.trustStore", "cannot be loaded: " + e.getMessage(), e);
        }
    }
}
