package dev.tollgate.core.tls;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Counts TLS sessions for TLS-RPT (RFC 8460 §4): per reporting period (one UTC day by default, RFC 8460 §4.1),
 * per policy domain and per {@link TlsRptPolicy}, the successful sessions and the failed ones grouped by
 * {@code result-type}, {@code sending-mta-ip}, {@code receiving-mx-hostname} and {@code receiving-ip}.
 * {@link #drainCompleted()} hands over the periods that have ended (at the day boundary); {@link #drainAll()}
 * also the current one (on shutdown, or on demand).
 *
 * <p>Memory is bounded: at most {@code maxPolicies} policy entries per period; sessions for further policies are
 * not counted (and {@link #dropped()} says how many). Thread-safe (one lock; a few operations per delivery).
 */
public final class TlsRptAggregator {
    private static final long DAY_SECONDS = Duration.ofDays(1).getSeconds();

    private final Clock clock;
    private final long periodSeconds;
    private final int maxPolicies;
    /** Period start (epoch seconds) → policy domain → policy → counts. */
    private final TreeMap<Long, Map<String, Map<TlsRptPolicy, Counts>>> periods = new TreeMap<>();
    private long dropped;

    /**
     * @param clock       the time source deciding which period a session belongs to
     * @param period      the reporting period: a whole number of seconds that divides one day (so periods start at
     *                    UTC midnight); one day outside tests
     * @param maxPolicies the bound on policy entries per period; positive
     * @throws IllegalArgumentException on a period that does not divide a day, or a non-positive bound
     */
    public TlsRptAggregator(Clock clock, Duration period, int maxPolicies) {
        this.clock = Objects.requireNonNull(clock);
        long seconds = period.getSeconds();
        if (period.getNano() != 0 || seconds <= 0 || DAY_SECONDS % seconds != 0) {
            throw new IllegalArgumentException("the period must be a whole number of seconds dividing one day");
        }
        if (maxPolicies <= 0) {
            throw new IllegalArgumentException("maxPolicies must be positive");
        }
        this.periodSeconds = seconds;
        this.maxPolicies = maxPolicies;
    }

    /** Counts one TLS session that met the policy ({@code total-successful-session-count}). */
    public void recordSuccess(TlsRptPolicy policy) {
        synchronized (this) {
            Counts c = counts(policy);
            if (c != null) {
                c.success++;
            }
        }
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
        FailureKey key = new FailureKey(Objects.requireNonNull(reason), sendingMtaIp, receivingMxHostname, receivingIp);
        synchronized (this) {
            Counts c = counts(policy);
            if (c != null) {
                c.failures.merge(key, 1L, Long::sum);
            }
        }
    }

    private Counts counts(TlsRptPolicy policy) {
        long now = clock.instant().getEpochSecond();
        long start = Math.floorDiv(now, periodSeconds) * periodSeconds;
        Map<String, Map<TlsRptPolicy, Counts>> byDomain = periods.computeIfAbsent(start, s -> new LinkedHashMap<>());
        Map<TlsRptPolicy, Counts> byPolicy = byDomain.get(policy.policyDomain());
        if (byPolicy == null || !byPolicy.containsKey(policy)) {
            int size = 0;
            for (Map<TlsRptPolicy, Counts> m : byDomain.values()) {
                size += m.size();
            }
            if (size >= maxPolicies) {
                dropped++;
                return null;
            }
        }
        return byDomain.computeIfAbsent(policy.policyDomain(), d -> new LinkedHashMap<>())
                .computeIfAbsent(policy, p -> new Counts());
    }

    /** @return the results of every period that has ended, oldest first, removed from the aggregator */
    public List<DomainResults> drainCompleted() {
        return drain(false);
    }

    /** @return the results of every period including the current one (its end is now), removed */
    public List<DomainResults> drainAll() {
        return drain(true);
    }

    private List<DomainResults> drain(boolean includeCurrent) {
        Instant now = clock.instant();
        List<DomainResults> out = new ArrayList<>();
        synchronized (this) {
            Iterator<Map.Entry<Long, Map<String, Map<TlsRptPolicy, Counts>>>> it = periods.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<Long, Map<String, Map<TlsRptPolicy, Counts>>> period = it.next();
                Instant start = Instant.ofEpochSecond(period.getKey());
                Instant end = start.plusSeconds(periodSeconds);
                if (end.isAfter(now)) {
                    if (!includeCurrent) {
                        continue;
                    }
                    end = now.isAfter(start) ? now : start.plusSeconds(1);
                }
                for (Map.Entry<String, Map<TlsRptPolicy, Counts>> domain : period.getValue().entrySet()) {
                    List<TlsRptReport.PolicyResult> results = new ArrayList<>();
                    for (Map.Entry<TlsRptPolicy, Counts> p : domain.getValue().entrySet()) {
                        results.add(p.getValue().toResult(p.getKey()));
                    }
                    out.add(new DomainResults(domain.getKey(), start, end, results));
                }
                it.remove();
            }
        }
        return out;
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

    private static final class Counts {
        long success;
        final Map<FailureKey, Long> failures = new LinkedHashMap<>();

        TlsRptReport.PolicyResult toResult(TlsRptPolicy policy) {
            List<TlsRptReport.FailureDetail> details = new ArrayList<>();
            failures.forEach((k, n) -> details.add(TlsRptReport.FailureDetail.of(k.reason, k.sendingMtaIp,
                    k.receivingMxHostname, k.receivingIp, n)));
            return TlsRptReport.PolicyResult.of(policy.type(), policy.policyDomain(), policy.policyStrings(),
                    policy.mxHosts(), success, details);
        }
    }

    private static final class FailureKey {
        final TlsFailureReason reason;
        final String sendingMtaIp;
        final String receivingMxHostname;
        final String receivingIp;

        FailureKey(TlsFailureReason reason, String sendingMtaIp, String receivingMxHostname, String receivingIp) {
            this.reason = reason;
            this.sendingMtaIp = sendingMtaIp;
            this.receivingMxHostname = receivingMxHostname;
            this.receivingIp = receivingIp;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof FailureKey)) {
                return false;
            }
            FailureKey k = (FailureKey) o;
            return reason == k.reason && Objects.equals(sendingMtaIp, k.sendingMtaIp)
                    && Objects.equals(receivingMxHostname, k.receivingMxHostname)
                    && Objects.equals(receivingIp, k.receivingIp);
        }

        @Override
        public int hashCode() {
            return Objects.hash(reason, sendingMtaIp, receivingMxHostname, receivingIp);
        }
    }
}
