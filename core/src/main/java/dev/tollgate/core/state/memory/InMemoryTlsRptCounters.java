package dev.tollgate.core.state.memory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

import dev.tollgate.core.state.TlsRptCounters;
import dev.tollgate.core.state.TlsRptPeriod;

/**
 * {@link TlsRptCounters} in this JVM's memory: one process counts and reports alone (not {@link #shared()}), as
 * Tollgate always did on a single node. Counts are {@link LongAdder}s, so concurrent adds sum exactly; leases are
 * taken with {@link ConcurrentMap#putIfAbsent}. A reported period is forgotten with its lease (see {@link #reported}). Periods whose retention ended are dropped on the next
 * {@link #pending} call. Thread-safe.
 */
public final class InMemoryTlsRptCounters implements TlsRptCounters {
    private final ConcurrentMap<TlsRptPeriod, ConcurrentMap<String, ConcurrentMap<String, LongAdder>>> counts =
            new ConcurrentHashMap<>();
    private final ConcurrentMap<TlsRptPeriod, String> leases = new ConcurrentHashMap<>();
    private final Clock clock;

    /** @param clock the time source of retention */
    public InMemoryTlsRptCounters(Clock clock) {
        this.clock = clock;
    }

    /** @return counters timed by the system clock */
    public static InMemoryTlsRptCounters create() {
        return new InMemoryTlsRptCounters(Clock.systemUTC());
    }

    @Override
    public boolean shared() {
        return false;
    }

    @Override
    public void add(TlsRptPeriod period, String policy, String outcome, long delta) {
        TlsRptCounters.checkKey(policy, outcome, delta);
        counts.computeIfAbsent(period, p -> new ConcurrentHashMap<>())
                .computeIfAbsent(policy, p -> new ConcurrentHashMap<>())
                .computeIfAbsent(outcome, o -> new LongAdder()).add(delta);
    }

    @Override
    public void flush() {
        // Nothing to share.
    }

    @Override
    public List<TlsRptPeriod> pending(Instant endedBy) {
        Instant now = clock.instant();
        counts.keySet().removeIf(p -> !TlsRptCounters.expiry(p).isAfter(now));
        leases.keySet().removeIf(p -> !TlsRptCounters.expiry(p).isAfter(now));
        List<TlsRptPeriod> out = new ArrayList<>();
        for (TlsRptPeriod p : counts.keySet()) {
            if (!p.end().isAfter(endedBy)) {
                out.add(p);
            }
        }
        out.sort(Comparator.comparing(TlsRptPeriod::start).thenComparing(TlsRptPeriod::policyDomain));
        return out;
    }

    @Override
    public Map<String, Map<String, Long>> counts(TlsRptPeriod period) {
        Map<String, Map<String, Long>> out = new HashMap<>();
        ConcurrentMap<String, ConcurrentMap<String, LongAdder>> byPolicy = counts.get(period);
        if (byPolicy != null) {
            byPolicy.forEach((policy, outcomes) -> {
                Map<String, Long> m = new HashMap<>();
                outcomes.forEach((o, n) -> m.put(o, n.sum()));
                out.put(policy, m);
            });
        }
        return out;
    }

    @Override
    public boolean claim(TlsRptPeriod period, String holder) {
        String current = leases.putIfAbsent(period, holder);
        return current == null || current.equals(holder);
    }

    @Override
    public void reported(TlsRptPeriod period) {
        // One process reports alone: the period and its lease are forgotten, so counts arriving later (after a
        // report of the current period on demand) start the period again and are reported in turn, as before.
        counts.remove(period);
        leases.remove(period);
    }

    @Override
    public String toString() {
        return "InMemoryTlsRptCounters[" + counts.size() + " periods]";
    }
}
