package dev.tollgate.core.state.cassandra;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;

import dev.tollgate.core.state.MtaStsPolicies;
import dev.tollgate.core.state.MtaStsPolicyRecord;
import dev.tollgate.core.state.StateException;
import dev.tollgate.core.state.TlsRptCounters;
import dev.tollgate.core.state.TlsRptPeriod;

/**
 * The TLS delivery part of the Cassandra state: the shared MTA-STS policy cache and the TLS-RPT counts and report
 * leases. Tables, created with {@code IF NOT EXISTS} beside the MFA tables (additive: an older Tollgate ignores
 * them, so the schema version is unchanged):
 * <ul>
 *   <li>{@code mta_sts_policies (domain text PRIMARY KEY, id text, policy text, fetched_at timestamp, max_age bigint)},
 *       written with a TTL of the policy's remaining {@code max_age} (RFC 8461 §3.2);</li>
 *   <li>{@code tlsrpt_counts ((period_start, period_end, domain), policy, outcome, writer) count bigint}: each
 *       process ({@code writer}, a random id per process) writes its own running total of each key, so writes are
 *       idempotent, need no read and no lightweight transaction, and a report sums the writers' rows. Cassandra
 *       counter columns are not used: they cannot carry a TTL and a timed-out increment cannot be retried safely;</li>
 *   <li>{@code tlsrpt_pending (day, period_start, period_end, domain) reported boolean}: the periods with counts, per
 *       UTC day of the period's end; {@code reported} is set (an update, not a delete, so no tombstones) once a
 *       report was sent;</li>
 *   <li>{@code tlsrpt_leases ((period_start, period_end, domain)) holder text, taken_at timestamp}: who sends the
 *       report, taken by {@code INSERT ... IF NOT EXISTS} (Paxos, serial consistency {@code LOCAL_SERIAL}): of any
 *       number of nodes racing, exactly one is applied.</li>
 * </ul>
 * Every TLS-RPT row has a TTL of {@link TlsRptCounters#RETENTION} after its period's end. Reads and writes use
 * {@code LOCAL_QUORUM}: a total flushed by one node is seen by the reporting node's read (W + R > RF). Thread-safe.
 */
final class CassandraTlsState {
    private final CqlSession session;
    private final String description;
    private final Clock clock;
    private final String writer = UUID.randomUUID().toString();
    private final PreparedStatement getPolicy;
    private final PreparedStatement putPolicy;
    private final PreparedStatement deletePolicy;
    private final PreparedStatement putCount;
    private final PreparedStatement getCounts;
    private final PreparedStatement putPending;
    private final PreparedStatement getPending;
    private final PreparedStatement markReported;
    private final PreparedStatement getLease;
    private final PreparedStatement takeLease;

    /** This process's running totals, by period, policy and outcome. */
    private final ConcurrentMap<TlsRptPeriod, ConcurrentMap<Key, Total>> totals = new ConcurrentHashMap<>();
    /** Serialises flushes, so an older total is never written after a newer one. */
    private final Object flushLock = new Object();
    /** Periods whose pending row this process has written. */
    private final Set<TlsRptPeriod> pendingWritten = ConcurrentHashMap.newKeySet();

    private static final class Key {
        final String policy;
        final String outcome;

        Key(String policy, String outcome) {
            this.policy = policy;
            this.outcome = outcome;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key && ((Key) o).policy.equals(policy) && ((Key) o).outcome.equals(outcome);
        }

        @Override
        public int hashCode() {
            return Objects.hash(policy, outcome);
        }
    }

    private static final class Total {
        final LongAdder sum = new LongAdder();
        volatile long written;
    }

    /** Creates the tables when missing. */
    static void createTables(CqlSession session, String keyspace) {
        String ks = keyspace + ".";
        ddl(session, "CREATE TABLE IF NOT EXISTS " + ks + "mta_sts_policies (domain text PRIMARY KEY, id text, "
                + "policy text, fetched_at timestamp, max_age bigint)");
        ddl(session, "CREATE TABLE IF NOT EXISTS " + ks + "tlsrpt_counts (period_start timestamp, period_end timestamp, "
                + "domain text, policy text, outcome text, writer text, count bigint, "
                + "PRIMARY KEY ((period_start, period_end, domain), policy, outcome, writer))");
        ddl(session, "CREATE TABLE IF NOT EXISTS " + ks + "tlsrpt_pending (day int, period_start timestamp, "
                + "period_end timestamp, domain text, reported boolean, PRIMARY KEY (day, period_start, period_end, domain))");
        ddl(session, "CREATE TABLE IF NOT EXISTS " + ks + "tlsrpt_leases (period_start timestamp, period_end timestamp, "
                + "domain text, holder text, taken_at timestamp, PRIMARY KEY ((period_start, period_end, domain)))");
    }

    private static void ddl(CqlSession session, String cql) {
        session.execute(SimpleStatement.newInstance(cql).setTimeout(Duration.ofSeconds(60)));
    }

    CassandraTlsState(CqlSession session, String keyspace, String description, Clock clock) {
        this.session = session;
        this.description = description;
        this.clock = clock;
        String ks = keyspace + ".";
        this.getPolicy = session.prepare("SELECT id, policy, fetched_at, max_age FROM " + ks
                + "mta_sts_policies WHERE domain = ?");
        this.putPolicy = session.prepare("INSERT INTO " + ks
                + "mta_sts_policies (domain, id, policy, fetched_at, max_age) VALUES (?, ?, ?, ?, ?) USING TTL ?");
        this.deletePolicy = session.prepare("DELETE FROM " + ks + "mta_sts_policies WHERE domain = ?");
        this.putCount = session.prepare("INSERT INTO " + ks + "tlsrpt_counts (period_start, period_end, domain, policy, "
                + "outcome, writer, count) VALUES (?, ?, ?, ?, ?, ?, ?) USING TTL ?");
        this.getCounts = session.prepare("SELECT policy, outcome, count FROM " + ks
                + "tlsrpt_counts WHERE period_start = ? AND period_end = ? AND domain = ?");
        this.putPending = session.prepare("INSERT INTO " + ks
                + "tlsrpt_pending (day, period_start, period_end, domain) VALUES (?, ?, ?, ?) USING TTL ?");
        this.getPending = session.prepare("SELECT period_start, period_end, domain, reported FROM " + ks
                + "tlsrpt_pending WHERE day = ?");
        this.markReported = session.prepare("UPDATE " + ks + "tlsrpt_pending USING TTL ? SET reported = true "
                + "WHERE day = ? AND period_start = ? AND period_end = ? AND domain = ?");
        this.getLease = session.prepare("SELECT holder FROM " + ks
                + "tlsrpt_leases WHERE period_start = ? AND period_end = ? AND domain = ?");
        this.takeLease = session.prepare("INSERT INTO " + ks + "tlsrpt_leases (period_start, period_end, domain, holder, "
                + "taken_at) VALUES (?, ?, ?, ?, ?) IF NOT EXISTS USING TTL ?");
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

    /** @return seconds until {@code until}, at least 1 */
    private int ttl(Instant until) {
        long seconds = (Duration.between(clock.instant(), until).toMillis() + 999) / 1000;
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, seconds));
    }

    private static int day(TlsRptPeriod p) {
        return (int) LocalDate.ofInstant(p.end(), ZoneOffset.UTC).toEpochDay();
    }

    final MtaStsPolicies policies = new MtaStsPolicies() {
        @Override
        public Optional<MtaStsPolicyRecord> get(String domain) throws StateException {
            return call("reading the MTA-STS policy of " + domain, () -> {
                Row row = session.execute(quorum(getPolicy.bind(domain))).one();
                if (row == null) {
                    return Optional.empty();
                }
                return Optional.of(new MtaStsPolicyRecord(domain, row.getString(0), row.getString(1), row.getInstant(2),
                        Duration.ofSeconds(row.getLong(3))));
            });
        }

        @Override
        public void put(MtaStsPolicyRecord r) throws StateException {
            if (!r.expiresAt().isAfter(clock.instant())) {
                return;
            }
            call("caching the MTA-STS policy of " + r.domain(), () -> session.execute(quorum(putPolicy.bind(r.domain(),
                    r.id(), r.policy(), r.fetchedAt(), r.maxAge().getSeconds(), ttl(r.expiresAt())))));
        }

        @Override
        public void delete(String domain) throws StateException {
            call("forgetting the MTA-STS policy of " + domain, () -> session.execute(quorum(deletePolicy.bind(domain))));
        }
    };

    final TlsRptCounters counters = new TlsRptCounters() {
        @Override
        public boolean shared() {
            return true;
        }

        @Override
        public void add(TlsRptPeriod period, String policy, String outcome, long delta) {
            TlsRptCounters.checkKey(policy, outcome, delta);
            totals.computeIfAbsent(period, p -> new ConcurrentHashMap<>())
                    .computeIfAbsent(new Key(policy, outcome), k -> new Total()).sum.add(delta);
        }

        @Override
        public void flush() throws StateException {
            synchronized (flushLock) {
                flushTotals();
            }
        }

        private void flushTotals() throws StateException {
            Instant now = clock.instant();
            totals.keySet().removeIf(p -> !TlsRptCounters.expiry(p).isAfter(now));
            pendingWritten.removeIf(p -> !TlsRptCounters.expiry(p).isAfter(now));
            for (Map.Entry<TlsRptPeriod, ConcurrentMap<Key, Total>> e : totals.entrySet()) {
                TlsRptPeriod p = e.getKey();
                int ttl = ttl(TlsRptCounters.expiry(p));
                for (Map.Entry<Key, Total> c : e.getValue().entrySet()) {
                    long sum = c.getValue().sum.sum();
                    if (sum != c.getValue().written) {
                        call("writing TLS-RPT counts", () -> session.execute(quorum(putCount.bind(p.start(), p.end(),
                                p.policyDomain(), c.getKey().policy, c.getKey().outcome, writer, sum, ttl))));
                        c.getValue().written = sum;
                    }
                }
                if (!pendingWritten.contains(p)) {
                    call("writing a TLS-RPT period", () -> session.execute(quorum(putPending.bind(day(p), p.start(),
                            p.end(), p.policyDomain(), ttl))));
                    pendingWritten.add(p);
                }
            }
        }

        @Override
        public List<TlsRptPeriod> pending(Instant endedBy) throws StateException {
            int last = (int) LocalDate.ofInstant(endedBy, ZoneOffset.UTC).toEpochDay();
            int first = last - (int) RETENTION.toDays() - 1;
            List<TlsRptPeriod> out = new ArrayList<>();
            for (int day = first; day <= last; day++) {
                int d = day;
                call("listing TLS-RPT periods", () -> {
                    for (Row r : session.execute(quorum(getPending.bind(d)))) {
                        TlsRptPeriod p = new TlsRptPeriod(r.getInstant(0), r.getInstant(1), r.getString(2));
                        if (!p.end().isAfter(endedBy) && !(!r.isNull(3) && r.getBoolean(3))) {
                            out.add(p);
                        }
                    }
                    return null;
                });
            }
            out.sort(Comparator.comparing(TlsRptPeriod::start).thenComparing(TlsRptPeriod::policyDomain));
            return out;
        }

        @Override
        public Map<String, Map<String, Long>> counts(TlsRptPeriod p) throws StateException {
            return call("reading TLS-RPT counts", () -> {
                Map<String, Map<String, Long>> out = new HashMap<>();
                for (Row r : session.execute(quorum(getCounts.bind(p.start(), p.end(), p.policyDomain())))) {
                    out.computeIfAbsent(r.getString(0), k -> new HashMap<>()).merge(r.getString(1), r.getLong(2), Long::sum);
                }
                return out;
            });
        }

        @Override
        public boolean claim(TlsRptPeriod p, String holder) throws StateException {
            return call("taking a TLS-RPT report lease", () -> {
                // A plain read first: once a lease is taken, the other nodes learn it without a Paxos round.
                Row current = session.execute(quorum(getLease.bind(p.start(), p.end(), p.policyDomain()))).one();
                if (current != null) {
                    return holder.equals(current.getString(0));
                }
                ResultSet taken = session.execute(quorum(takeLease.bind(p.start(), p.end(), p.policyDomain(), holder,
                        clock.instant(), ttl(TlsRptCounters.expiry(p)))).setSerialConsistencyLevel(ConsistencyLevel.LOCAL_SERIAL));
                if (taken.wasApplied()) {
                    return true;
                }
                Row existing = taken.one();
                return existing != null && holder.equals(existing.getString("holder"));
            });
        }

        @Override
        public void reported(TlsRptPeriod p) throws StateException {
            call("marking a TLS-RPT period reported", () -> session.execute(quorum(markReported.bind(
                    ttl(TlsRptCounters.expiry(p)), day(p), p.start(), p.end(), p.policyDomain()))));
        }
    };
}
