package dev.tollgate.core.tls;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tollgate.core.state.StateException;
import dev.tollgate.core.state.TlsRptCounters;
import dev.tollgate.core.state.TlsRptPeriod;
import dev.tollgate.core.state.memory.InMemoryTlsRptCounters;

/**
 * Counts TLS sessions for TLS-RPT (RFC 8460 §4): per reporting period (one UTC day by default, RFC 8460 §4.1),
 * per policy domain and per {@link TlsRptPolicy}, the successful sessions and the failed ones grouped by
 * {@code result-type}, {@code sending-mta-ip}, {@code receiving-mx-hostname} and {@code receiving-ip}.
 *
 * <p>The counts live in the state store's {@link TlsRptCounters}. {@link #drainCompleted()} first flushes this
 * process's counts, then, for every period that ended at least {@code settle} ago (time for the other nodes to
 * flush theirs) and that no node reported yet, takes the period's report lease and, if this node holds it, hands
 * over the counts of every node summed: on a cluster exactly one node reports each period and domain.
 * {@link #drainAll()} (on shutdown) does the same, and with a store of this process only (memory, file) also hands
 * over the current period, as a single node always did; a shared store keeps the current period for whichever node
 * reports it when it ends. A store that cannot answer is logged and asked again on the next drain.
 *
 * <p>Memory is bounded: at most {@code maxPolicies} policy entries per period are counted by this process;
 * sessions for further policies are not counted (and {@link #dropped()} says how many). Thread-safe.
 */
public final class TlsRptAggregator {
    private static final Logger LOG = LoggerFactory.getLogger(TlsRptAggregator.class);
    private static final long DAY_SECONDS = Duration.ofDays(1).getSeconds();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Clock clock;
    private final long periodSeconds;
    private final int maxPolicies;
    private final TlsRptCounters counters;
    private final String holder;
    private final Duration settle;
    private final String storeName;
    /** Period start (epoch seconds) → policies this process counted in it, for the bound. */
    private final TreeMap<Long, Set<TlsRptPolicy>> seen = new TreeMap<>();
    private long dropped;

    /**
     * An aggregator whose counts stay in this process's memory.
     *
     * @param clock       the time source deciding which period a session belongs to
     * @param period      the reporting period: a whole number of seconds that divides one day (so periods start at
     *                    UTC midnight); one day outside tests
     * @param maxPolicies the bound on policy entries per period; positive
     * @throws IllegalArgumentException on a period that does not divide a day, or a non-positive bound
     */
    public TlsRptAggregator(Clock clock, Duration period, int maxPolicies) {
        this(clock, period, maxPolicies, new InMemoryTlsRptCounters(clock), "local", Duration.ZERO, "memory");
    }

    /**
     * @param clock       the time source deciding which period a session belongs to
     * @param period      the reporting period, as above
     * @param maxPolicies the bound on policy entries per period counted by this process; positive
     * @param counters    where counts are kept ({@code StateStore#tlsRptCounters()})
     * @param holder      this process's name for report leases, unique per process
     * @param settle      how long after a period's end it is reported (time for every node to flush); not negative
     * @param storeName   names the store in log lines
     * @throws IllegalArgumentException on a period that does not divide a day, a non-positive bound or a negative settle
     */
    public TlsRptAggregator(Clock clock, Duration period, int maxPolicies, TlsRptCounters counters, String holder,
            Duration settle, String storeName) {
        this.clock = Objects.requireNonNull(clock);
        long seconds = period.getSeconds();
        if (period.getNano() != 0 || seconds <= 0 || DAY_SECONDS % seconds != 0) {
            throw new IllegalArgumentException("the period must be a whole number of seconds dividing one day");
        }
        if (maxPolicies <= 0) {
            throw new IllegalArgumentException("maxPolicies must be positive");
        }
        if (settle.isNegative()) {
            throw new IllegalArgumentException("settle must not be negative");
        }
        this.periodSeconds = seconds;
        this.maxPolicies = maxPolicies;
        this.counters = Objects.requireNonNull(counters);
        this.holder = Objects.requireNonNull(holder);
        this.settle = settle;
        this.storeName = Objects.requireNonNull(storeName);
    }

    /** Counts one TLS session that met the policy ({@code total-successful-session-count}). */
    public void recordSuccess(TlsRptPolicy policy) {
        count(policy, TlsRptCounters.SUCCESS);
    }

    /**
     * Counts one failed session ({@code failure-details}, RFC 8460 §4.4).
     *
     * @param reason              why; its result type is reported
     * @param sendingMtaIp        this MTA's address on the connection, or null when unknown
     * @param receivingMxHostname the MX host name, or null
     * @param receivingIp         the address connected to, or null
     */
    public void recordFailure(TlsRptPolicy policy, TlsFailureReason reason, String sendingMtaIp,
            String receivingMxHostname, String receivingIp) {
        ObjectNode detail = JSON.createObjectNode();
        detail.put("reason", Objects.requireNonNull(reason).code());
        detail.put("sending-mta-ip", sendingMtaIp);
        detail.put("receiving-mx-hostname", receivingMxHostname);
        detail.put("receiving-ip", receivingIp);
        count(policy, detail.toString());
    }

    private void count(TlsRptPolicy policy, String outcome) {
        long now = clock.instant().getEpochSecond();
        long start = Math.floorDiv(now, periodSeconds) * periodSeconds;
        synchronized (this) {
            Set<TlsRptPolicy> policies = seen.computeIfAbsent(start, s -> new HashSet<>());
            if (!policies.contains(policy)) {
                if (policies.size() >= maxPolicies) {
                    dropped++;
                    return;
                }
                policies.add(policy);
            }
            // Periods before the previous one take no more sessions.
            seen.headMap(start - periodSeconds).clear();
        }
        TlsRptPeriod period = new TlsRptPeriod(Instant.ofEpochSecond(start), Instant.ofEpochSecond(start + periodSeconds),
                policy.policyDomain());
        counters.add(period, encode(policy), outcome, 1);
    }

    /** @return the results of every period that has ended and this node reports, oldest first */
    public List<DomainResults> drainCompleted() {
        return drain(false);
    }

    /**
     * @return as {@link #drainCompleted()}; with counts of this process only, also the current period (its end is
     *     now)
     */
    public List<DomainResults> drainAll() {
        return drain(true);
    }

    private synchronized List<DomainResults> drain(boolean includeCurrent) {
        Instant now = clock.instant();
        boolean current = includeCurrent && !counters.shared();
        List<DomainResults> out = new ArrayList<>();
        try {
            counters.flush();
            List<TlsRptPeriod> pending = counters.pending(current ? Instant.MAX : now.minus(settle));
            for (TlsRptPeriod p : pending) {
                if (!counters.claim(p, holder)) {
                    continue;
                }
                Instant end = p.end();
                if (end.isAfter(now)) {
                    end = now.isAfter(p.start()) ? now : p.start().plusSeconds(1);
                }
                out.add(new DomainResults(p.policyDomain(), p.start(), end, results(counters.counts(p))));
                counters.reported(p);
            }
        } catch (StateException e) {
            LOG.warn("tollgate.tls.rpt state store {} unavailable; reports of ended periods wait for the next run: {}",
                    storeName, e.getMessage());
        }
        return out;
    }

    private static List<TlsRptReport.PolicyResult> results(Map<String, Map<String, Long>> counts) {
        List<TlsRptReport.PolicyResult> out = new ArrayList<>();
        for (String policyKey : new java.util.TreeSet<>(counts.keySet())) {
            Map<String, Long> outcomes = counts.get(policyKey);
            TlsRptPolicy policy = decode(policyKey);
            if (policy == null) {
                continue;
            }
            long success = outcomes.getOrDefault(TlsRptCounters.SUCCESS, 0L);
            List<Map.Entry<String, Long>> failures = new ArrayList<>();
            for (Map.Entry<String, Long> e : outcomes.entrySet()) {
                if (!e.getKey().equals(TlsRptCounters.SUCCESS) && e.getValue() > 0) {
                    failures.add(e);
                }
            }
            failures.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                    .thenComparing(Map.Entry.comparingByKey()));
            List<TlsRptReport.FailureDetail> details = new ArrayList<>();
            for (Map.Entry<String, Long> f : failures) {
                TlsRptReport.FailureDetail d = detail(f.getKey(), f.getValue());
                if (d != null) {
                    details.add(d);
                }
            }
            out.add(TlsRptReport.PolicyResult.of(policy.type(), policy.policyDomain(), policy.policyStrings(),
                    policy.mxHosts(), success, details));
        }
        return out;
    }

    private static String encode(TlsRptPolicy policy) {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", policy.type().name());
        node.put("domain", policy.policyDomain());
        ArrayNode strings = node.putArray("strings");
        policy.policyStrings().forEach(strings::add);
        ArrayNode mx = node.putArray("mx");
        policy.mxHosts().forEach(mx::add);
        return node.toString();
    }

    /** @return the policy of a stored key, null (logged) for a key this code did not write */
    private static TlsRptPolicy decode(String key) {
        try {
            JsonNode node = JSON.readTree(key);
            List<String> strings = new ArrayList<>();
            node.path("strings").forEach(n -> strings.add(n.asText()));
            List<String> mx = new ArrayList<>();
            node.path("mx").forEach(n -> mx.add(n.asText()));
            return TlsRptPolicy.of(TlsRptReport.PolicyType.valueOf(node.path("type").asText()),
                    node.path("domain").asText(), strings, mx);
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warn("tollgate.tls.rpt a stored policy key could not be read; its counts are left out");
            return null;
        }
    }

    private static TlsRptReport.FailureDetail detail(String key, long count) {
        try {
            JsonNode node = JSON.readTree(key);
            return TlsRptReport.FailureDetail.of(TlsFailureReason.fromCode(node.path("reason").asText()),
                    text(node, "sending-mta-ip"), text(node, "receiving-mx-hostname"), text(node, "receiving-ip"), count);
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warn("tollgate.tls.rpt a stored failure key could not be read; its counts are left out");
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** @return sessions not counted because the per-period bound was reached */
    public synchronized long dropped() {
        return dropped;
    }

    /** The results for one policy domain over one period: the content of one report. Immutable. */
    public static final class DomainResults {
        private final String policyDomain;
        private final Instant start;
        private final Instant end;
        private final List<TlsRptReport.PolicyResult> policies;

        DomainResults(String policyDomain, Instant start, Instant end, List<TlsRptReport.PolicyResult> policies) {
            this.policyDomain = policyDomain;
            this.start = start;
            this.end = end;
            this.policies = List.copyOf(policies);
        }

        /** @return the policy domain, A-labels */
        public String policyDomain() {
            return policyDomain;
        }

        /** @return the start of the period (inclusive) */
        public Instant start() {
            return start;
        }

        /** @return the end of the period (exclusive) */
        public Instant end() {
            return end;
        }

        /** @return one result per policy seen */
        public List<TlsRptReport.PolicyResult> policies() {
            return policies;
        }
    }
}
