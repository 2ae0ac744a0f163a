package dev.tollgate.it.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Paths;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.tollgate.core.config.Parameters;
import dev.tollgate.core.state.StateConfig;
import dev.tollgate.core.state.StateException;
import dev.tollgate.core.state.StateStore;
import dev.tollgate.core.state.StateStoreContract;
import dev.tollgate.core.state.cassandra.CassandraSessions;
import dev.tollgate.it.harness.CassandraContainer;

/**
 * The state contract against a real Cassandra 5.0: two sessions (two "nodes") over one keyspace, so the
 * compare-and-set of the replay watermark is checked across sessions through Cassandra's lightweight transactions.
 */
class CassandraStateStoreIT extends StateStoreContract {
    static final CassandraContainer CASSANDRA = new CassandraContainer();

    @BeforeAll
    static void start() {
        CASSANDRA.start();
    }

    @AfterAll
    static void stop() {
        CASSANDRA.stop();
    }

    static StateConfig config() {
        return StateConfig.parse(Parameters.of(Map.of("backend", "cassandra", "cassandra.session", "own",
                "cassandra.contactPoints", CASSANDRA.contactPoint(), "cassandra.keyspace", "tollgate_contract",
                "cassandra.requestTimeout", "10s")));
    }

    @Override
    protected StateStore newStore() throws Exception {
        return CassandraSessions.open(config(), Paths.get("."));
    }

    @Override
    protected StateStore otherNode(StateStore first) throws Exception {
        return CassandraSessions.open(config(), Paths.get("."));
    }

    @Test
    void theSchemaVersionIsRecorded() throws Exception {
        try (com.datastax.oss.driver.api.core.CqlSession s = com.datastax.oss.driver.api.core.CqlSession.builder()
                .addContactPoint(new java.net.InetSocketAddress(CASSANDRA.getHost(), CASSANDRA.getMappedPort(CassandraContainer.CQL)))
                .withLocalDatacenter("datacenter1").build()) {
            assertThat(s.execute("SELECT version FROM tollgate_contract.tollgate_schema WHERE component = 'state'").one().getInt(0))
                    .isEqualTo(1);
        }
    }

    @Test
    void anUnreachableClusterIsAStateExceptionNamingTheStore() {
        StateConfig nowhere = StateConfig.parse(Parameters.of(Map.of("backend", "cassandra", "cassandra.session", "own",
                "cassandra.contactPoints", "127.0.0.1:1", "cassandra.requestTimeout", "1s")));
        assertThatThrownBy(() -> CassandraSessions.open(nowhere, Paths.get(".")))
                .isInstanceOf(StateException.class).hasMessageContaining("cassandra:127.0.0.1:1/tollgate");
    }
}
