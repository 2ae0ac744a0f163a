package dev.tollgate.core.state.cassandra;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.uuid.Uuids;

import dev.tollgate.core.state.AppPasswordUse;
import dev.tollgate.core.state.AppPasswordUses;
import dev.tollgate.core.state.FailureLog;
import dev.tollgate.core.state.LinkKeyStore;
import dev.tollgate.core.state.ReplayWatermarks;
import dev.tollgate.core.state.SealedRecords;
import dev.tollgate.core.state.StateException;
import dev.tollgate.core.state.StateStore;

/**
 * {@link StateStore} in Cassandra, shared by every James node of a cluster, through the DataStax Java driver 4 that
 * James 3.8.1 ships. Tables (schema version {@value #SCHEMA_VERSION}, created with {@code IF NOT EXISTS} in the
 * configured keyspace, every statement naming the keyspace):
 * <ul>
 *   <li>{@code tollgate_schema (component text PRIMARY KEY, version int)}: the schema version; a keyspace written
 *       by a newer Tollgate stops startup rather than being misread;</li>
 *   <li>{@code mfa_records (name text PRIMARY KEY, sealed blob)}: sealed enrolments, bytes exactly as the file
 *       backend holds them;</li>
 *   <li>{@code totp_watermarks (name text PRIMARY KEY, step bigint)}: replay watermarks, written only by lightweight
 *       transactions ({@code UPDATE ... IF step < ?}, and {@code INSERT ... IF NOT EXISTS} for the first), so of concurrent
 *       accepts of one step on any nodes exactly one is applied (Paxos, serial consistency {@code LOCAL_SERIAL});</li>
 *   <li>{@code auth_failures ((dimension, key), at, id)}: one row per failure with a TTL of the throttle's
 *       forget time; concurrent failures on several nodes are separate rows, so none is lost and no LWT is needed;</li>
 *   <li>{@code app_password_uses ((name), id)}: last use per app password (last write wins);</li>
 *   <li>{@code link_keys ((ring), id)}: the link-signing keys, sealed (see {@link CassandraLinkKeyStore}).</li>
 *   <li>the MTA-STS policy cache and the TLS-RPT counts and report leases: see {@link CassandraTlsState}.</li>
 * </ul>
 * Consistency: {@code LOCAL_QUORUM} for reads and writes, so a write acknowledged on one node is seen by a read on
 * any other node of the data centre (W + R > RF); {@code LOCAL_SERIAL} for the watermark's compare-and-set. Every
 * driver error (no host available, timeout, unavailable replicas) is a {@link StateException} naming the store: the
 * caller fails closed. A write whose outcome is unknown (a timed-out LWT) is reported as a failure, so a code is
 * never accepted unless its step was recorded. Thread-safe.
 */
public final class CassandraStateStore implements StateStore {
    /** The schema version this code writes and reads. */
    public static final int SCHEMA_VERSION = 1;
    private static final String COMPONENT = "state";

    private final CqlSession session;
    private final boolean ownsSession;
    private final String description;
    private final PreparedStatement getRecord;
    private final PreparedStatement putRecord;
    private final PreparedStatement existsRecord;
    private final PreparedStatement deleteRecord;
    private final PreparedStatement listRecords;
    private final PreparedStatement insertMark;
    private final PreparedStatement updateMark;
    private final PreparedStatement getMark;
    private final PreparedStatement insertFailure;
    private final PreparedStatement recentFailures;
    private final PreparedStatement clearFailures;
    private final PreparedStatement putUse;
    private final PreparedStatement getUses;
    private final PreparedStatement forgetUses;
    private final LinkKeyStore linkKeys;
    private final CassandraTlsState tls;

    private CassandraStateStore(CqlSession session, boolean ownsSession, String keyspace, String description,
            LinkKeyStore linkKeys) {
        this.session = session;
        this.linkKeys = linkKeys;
        this.ownsSession = ownsSession;
        this.description = description;
        String ks = keyspace + ".";
        this.getRecord = session.prepare("SELECT sealed FROM " + ks + "mfa_records WHERE name = ?");
        this.putRecord = session.prepare("INSERT INTO " + ks + "mfa_records (name, sealed) VALUES (?, ?)");
        this.existsRecord = session.prepare("SELECT name FROM " + ks + "mfa_records WHERE name = ?");
        this.deleteRecord = session.prepare("DELETE FROM " + ks + "mfa_records WHERE name = ?");
        this.listRecords = session.prepare("SELECT name FROM " + ks + "mfa_records");
        this.insertMark = session.prepare("INSERT INTO " + ks + "totp_watermarks (name, step) VALUES (?, ?) IF NOT EXISTS");
        this.updateMark = session.prepare("UPDATE " + ks + "totp_watermarks SET step = ? WHERE name = ? IF step < ?");
        this.getMark = session.prepare("SELECT step FROM " + ks + "totp_watermarks WHERE name = ?");
        this.insertFailure = session.prepare("INSERT INTO " + ks
                + "auth_failures (dimension, key, at, id) VALUES (?, ?, ?, ?) USING TTL ?");
        this.recentFailures = session.prepare("SELECT at FROM " + ks
                + "auth_failures WHERE dimension = ? AND key = ? LIMIT ?");
        this.clearFailures = session.prepare("DELETE FROM " + ks + "auth_failures WHERE dimension = ? AND key = ?");
        this.putUse = session.prepare("INSERT INTO " + ks
                + "app_password_uses (name, id, last_used, last_address) VALUES (?, ?, ?, ?) USING TIMESTAMP ?");
        this.getUses = session.prepare("SELECT id, last_used, last_address FROM " + ks + "app_password_uses WHERE name = ?");
        this.forgetUses = session.prepare("DELETE FROM " + ks + "app_password_uses WHERE name = ?");
        this.tls = new CassandraTlsState(session, keyspace, description, java.time.Clock.systemUTC());
    }

    /**
     * Creates the keyspace (optionally) and the tables when missing, checks the schema version, prepares the
     * statements.
     *
     * @param session           an open session (James's, or one from {@link CassandraSessions})
     * @param ownsSession       whether {@link #close()} closes it
     * @param keyspace          the keyspace, already validated as an identifier
     * @param createKeyspace    whether to create a missing keyspace
     * @param localDatacenter   the data centre of a created keyspace's replicas
     * @param replicationFactor replicas in that data centre
     * @param description       names the store in logs and errors (never a credential)
     * @throws StateException when Cassandra cannot be reached or the keyspace has a newer schema version
     */
    public static CassandraStateStore open(CqlSession session, boolean ownsSession, String keyspace,
            boolean createKeyspace, String localDatacenter, int replicationFactor, String description)
            throws StateException {
        try {
            if (createKeyspace) {
                ddl(session, "CREATE KEYSPACE IF NOT EXISTS " + keyspace + " WITH replication = {'class': "
                        + "'NetworkTopologyStrategy', '" + localDatacenter + "': " + replicationFactor + "}");
            }
            String ks = keyspace + ".";
            ddl(session, "CREATE TABLE IF NOT EXISTS " + ks + "tollgate_schema (component text PRIMARY KEY, version int)");
            ddl(session, "CREATE TABLE IF NOT EXISTS " + ks + "mfa_records (name text PRIMARY KEY, sealed blob)");
            ddl(session, "CREATE TABLE IF NOT EXISTS " + ks + "totp_watermarks (name text PRIMARY KEY, step bigint)");
            ddl(session, "CREATE TABLE IF NOT EXISTS " + ks + "auth_failures (dimension text, key text, at timestamp, "
                    + "id timeuuid, PRIMARY KEY ((dimension, key), at, id)) WITH CLUSTERING ORDER BY (at DESC, id DESC)");
            ddl(session, "CREATE TABLE IF NOT EXISTS " + ks + "app_password_uses (name text, id text, last_used timestamp, "
                    + "last_address text, PRIMARY KEY (name, id))");
            CassandraTlsState.createTables(session, keyspace);
            Row version = session.execute(SimpleStatement.newInstance("SELECT version FROM " + ks
                    + "tollgate_schema WHERE component = ?", COMPONENT).setConsistencyLevel(ConsistencyLevel.LOCAL_QUORUM)).one();
            if (version == null) {
                session.execute(SimpleStatement.newInstance("INSERT INTO " + ks
                        + "tollgate_schema (component, version) VALUES (?, ?) IF NOT EXISTS", COMPONENT, SCHEMA_VERSION)
                        .setConsistencyLevel(ConsistencyLevel.LOCAL_QUORUM)
                        .setSerialConsistencyLevel(ConsistencyLevel.LOCAL_SERIAL));
            } else if (version.getInt(0) > SCHEMA_VERSION) {
                throw new StateException("Cassandra keyspace " + keyspace + " has Tollgate schema version "
                        + version.getInt(0) + ", newer than this Tollgate's " + SCHEMA_VERSION);
            }
            return new CassandraStateStore(session, ownsSession, keyspace, description,
                    CassandraLinkKeyStore.create(session, keyspace, description));
        } catch (DriverException e) {
            throw new StateException("Cassandra state store " + description + " unavailable: " + e.getMessage(), e);
        }
    }

    private static void ddl(CqlSession session, String cql) {
        session.execute(SimpleStatement.newInstance(cql).setTimeout(Duration.ofSeconds(60)));
    }

    private static BoundStatement quorum(BoundStatement s) {
        return s.setConsistencyLevel(ConsistencyLevel.LOCAL_QUORUM);
    }

    private interface Call<T> {
        T run();
    }

    private <T> T call(String what, Call<T> call) throws StateException {
        try {
            return call.run();
        } catch (DriverException e) {
            throw new StateException("Cassandra state store " + description + " unavailable while " + what + ": "
                    + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    private final SealedRecords records = new SealedRecords() {
        @Override
        public Optional<byte[]> get(String name) throws StateException {
            return call("reading a record", () -> {
                Row row = session.execute(quorum(getRecord.bind(name))).one();
                if (row == null) {
                    return Optional.empty();
                }
                ByteBuffer b = row.getByteBuffer(0);
                byte[] out = new byte[b == null ? 0 : b.remaining()];
                if (b != null) {
                    b.get(out);
                }
                return Optional.of(out);
            });
        }

        @Override
        public void put(String name, byte[] sealed) throws StateException {
            if (sealed.length > MAX_RECORD_BYTES) {
                throw new StateException("record " + name + " is larger than " + MAX_RECORD_BYTES + " bytes");
            }
            call("writing a record", () -> session.execute(quorum(putRecord.bind(name, ByteBuffer.wrap(sealed)))));
        }

        @Override
        public boolean delete(String name) throws StateException {
            return call("deleting a record", () -> {
                boolean existed = session.execute(quorum(existsRecord.bind(name))).one() != null;
                session.execute(quorum(deleteRecord.bind(name)));
                return existed;
            });
        }

        @Override
        public List<String> names() throws StateException {
            return call("listing records", () -> {
                List<String> out = new ArrayList<>();
                for (Row r : session.execute(quorum(listRecords.bind()))) {
                    out.add(r.getString(0));
                }
                Collections.sort(out);
                return out;
            });
        }
    };

    private final ReplayWatermarks watermarks = new ReplayWatermarks() {
        @Override
        public boolean advance(String key, long step) throws StateException {
            Boolean moved = call("moving a replay watermark", () -> {
                // The usual case (a row exists) costs one LWT: the conditional update. A missing row is created with
                // INSERT IF NOT EXISTS; losing that race to another node means trying the update again.
                for (int attempt = 0; attempt < 3; attempt++) {
                    ResultSet updated = session.execute(quorum(updateMark.bind(step, key, step))
                            .setSerialConsistencyLevel(ConsistencyLevel.LOCAL_SERIAL));
                    if (updated.wasApplied()) {
                        return true;
                    }
                    Row current = updated.one();
                    if (current != null && current.getColumnDefinitions().contains("step") && !current.isNull("step")) {
                        return false;
                    }
                    ResultSet inserted = session.execute(quorum(insertMark.bind(key, step))
                            .setSerialConsistencyLevel(ConsistencyLevel.LOCAL_SERIAL));
                    if (inserted.wasApplied()) {
                        return true;
                    }
                    Row existing = inserted.one();
                    if (existing != null && !existing.isNull("step") && existing.getLong("step") >= step) {
                        return false;
                    }
                }
                return null;
            });
            if (moved == null) {
                throw new StateException("Cassandra state store " + description + ": replay watermark too contended");
            }
            return moved;
        }

        @Override
        public OptionalLong current(String key) throws StateException {
            return call("reading a replay watermark", () -> {
                // SERIAL read: sees a watermark whose Paxos round is still being committed.
                Row row = session.execute(getMark.bind(key).setConsistencyLevel(ConsistencyLevel.LOCAL_SERIAL)).one();
                return row == null ? OptionalLong.empty() : OptionalLong.of(row.getLong(0));
            });
        }
    };

    private final FailureLog failures = new FailureLog() {
        @Override
        public void record(Dimension dimension, String key, Instant at, Duration keep) throws StateException {
            int ttl = (int) Math.max(1, Math.min(Integer.MAX_VALUE, (keep.toMillis() + 999) / 1000));
            call("recording a failure", () -> session.execute(quorum(insertFailure.bind(dimension.name(), key, at,
                    Uuids.timeBased(), ttl))));
        }

        @Override
        public List<Instant> recent(Dimension dimension, String key, Instant now, int limit) throws StateException {
            return call("reading failures", () -> {
                List<Instant> out = new ArrayList<>();
                for (Row r : session.execute(quorum(recentFailures.bind(dimension.name(), key, limit)))) {
                    out.add(r.getInstant(0));
                }
                Collections.reverse(out);
                return out;
            });
        }

        @Override
        public void clear(Dimension dimension, String key) throws StateException {
            call("clearing failures", () -> session.execute(quorum(clearFailures.bind(dimension.name(), key))));
        }
    };

    private final AppPasswordUses uses = new AppPasswordUses() {
        @Override
        public void recordUse(String key, String id, Instant at, String address) throws StateException {
            // The write timestamp is the use's time, so an older use arriving late never replaces a newer one.
            long micros = at.getEpochSecond() * 1_000_000L + at.getNano() / 1000;
            call("recording an app password use", () -> session.execute(quorum(putUse.bind(key, id, at, address, micros))));
        }

        @Override
        public Map<String, AppPasswordUse> uses(String key) throws StateException {
            return call("reading app password uses", () -> {
                Map<String, AppPasswordUse> out = new HashMap<>();
                for (Row r : session.execute(quorum(getUses.bind(key)))) {
                    out.put(r.getString(0), new AppPasswordUse(r.getInstant(1), r.getString(2)));
                }
                return out;
            });
        }

        @Override
        public void forget(String key) throws StateException {
            call("forgetting app password uses", () -> session.execute(quorum(forgetUses.bind(key))));
        }
    };

    @Override
    public SealedRecords records() {
        return records;
    }

    @Override
    public ReplayWatermarks watermarks() {
        return watermarks;
    }

    @Override
    public FailureLog failures() {
        return failures;
    }

    @Override
    public AppPasswordUses appPasswordUses() {
        return uses;
    }

    @Override
    public LinkKeyStore linkKeys() {
        return linkKeys;
    }

    @Override
    public dev.tollgate.core.state.MtaStsPolicies mtaStsPolicies() {
        return tls.policies;
    }

    @Override
    public dev.tollgate.core.state.TlsRptCounters tlsRptCounters() {
        return tls.counters;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        if (ownsSession) {
            session.close();
        }
    }

    @Override
    public String toString() {
        return "CassandraStateStore[" + description + "]";
    }
}
