package dev.tollgate.core.state.cassandra;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;

import dev.tollgate.core.state.LinkKeyStore;
import dev.tollgate.core.state.StateException;
import dev.tollgate.core.state.StoredLinkKey;
import dev.tollgate.core.state.memory.InMemoryLinkKeyStore;

/**
 * {@link LinkKeyStore} in Cassandra: table {@code link_keys (ring text, id text, created timestamp, material blob,
 * PRIMARY KEY (ring, id))}, one partition ({@code ring = 'links'}) holding every key, read whole and ordered newest
 * first by the caller's rule. The material is stored as given: callers seal it with the MFA store key first.
 * {@code LOCAL_QUORUM} reads and writes, so a key added on one node is read by every other node of the data centre;
 * {@link #add} is an {@code INSERT ... IF NOT EXISTS} (rotation is rare, and two nodes must never overwrite each
 * other's key under one id). Thread-safe.
 */
final class CassandraLinkKeyStore implements LinkKeyStore {
    private static final String RING = "links";

    private final CqlSession session;
    private final String description;
    private final PreparedStatement list;
    private final PreparedStatement insert;
    private final PreparedStatement exists;
    private final PreparedStatement delete;

    private CassandraLinkKeyStore(CqlSession session, String ks, String description) {
        this.session = session;
        this.description = description;
        this.list = session.prepare("SELECT id, created, material FROM " + ks + "link_keys WHERE ring = ?");
        this.insert = session.prepare("INSERT INTO " + ks + "link_keys (ring, id, created, material) VALUES (?, ?, ?, ?) IF NOT EXISTS");
        this.exists = session.prepare("SELECT id FROM " + ks + "link_keys WHERE ring = ? AND id = ?");
        this.delete = session.prepare("DELETE FROM " + ks + "link_keys WHERE ring = ? AND id = ?");
    }

    /** Creates the table when missing and prepares the statements; @throws DriverException when unreachable */
    static CassandraLinkKeyStore create(CqlSession session, String keyspace, String description) {
        String ks = keyspace + ".";
        session.execute(SimpleStatement.newInstance("CREATE TABLE IF NOT EXISTS " + ks + "link_keys (ring text, id text, "
                + "created timestamp, material blob, PRIMARY KEY (ring, id))").setTimeout(Duration.ofSeconds(60)));
        return new CassandraLinkKeyStore(session, ks, description);
    }

    private StateException failure(String what, DriverException e) {
        return new StateException("Cassandra state store " + description + " unavailable while " + what + ": "
                + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }

    @Override
    public List<StoredLinkKey> keys() throws StateException {
        List<StoredLinkKey> out = new ArrayList<>();
        try {
            for (Row r : session.execute(list.bind(RING).setConsistencyLevel(ConsistencyLevel.LOCAL_QUORUM))) {
                ByteBuffer b = r.getByteBuffer(2);
                byte[] material = new byte[b == null ? 0 : b.remaining()];
                if (b != null) {
                    b.get(material);
                }
                try {
                    out.add(new StoredLinkKey(r.getString(0), r.getInstant(1), material));
                } catch (IllegalArgumentException | NullPointerException e) {
                    throw new StateException("Cassandra state store " + description + ": link key "
                            + r.getString(0) + " is invalid: " + e.getMessage());
                }
            }
        } catch (DriverException e) {
            throw failure("reading link keys", e);
        }
        out.sort(InMemoryLinkKeyStore.NEWEST_FIRST);
        return out;
    }

    @Override
    public boolean add(StoredLinkKey key) throws StateException {
        try {
            return session.execute(insert.bind(RING, key.id(), key.created(), ByteBuffer.wrap(key.material()))
                    .setConsistencyLevel(ConsistencyLevel.LOCAL_QUORUM)
                    .setSerialConsistencyLevel(ConsistencyLevel.LOCAL_SERIAL)).wasApplied();
        } catch (DriverException e) {
            throw failure("adding a link key", e);
        }
    }

    @Override
    public boolean remove(String id) throws StateException {
        try {
            boolean existed = session.execute(exists.bind(RING, id).setConsistencyLevel(ConsistencyLevel.LOCAL_QUORUM)).one() != null;
            session.execute(delete.bind(RING, id).setConsistencyLevel(ConsistencyLevel.LOCAL_QUORUM));
            return existed;
        } catch (DriverException e) {
            throw failure("removing a link key", e);
        }
    }
}
