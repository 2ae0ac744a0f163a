package dev.tollgate.core.state;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * TLS-RPT session counts (RFC 8460 §4.4) every node adds to, and the lease deciding which node sends each report.
 * A count is keyed by a {@link TlsRptPeriod} (period and policy domain), a policy and an outcome; policy and
 * outcome are opaque, non-empty strings of the caller (e.g. its JSON of the {@code policy} object and of one
 * {@code failure-details} entry, or {@link #SUCCESS}). Counts, pending marks and leases are kept until
 * {@link #RETENTION} after the period's end; a period nobody reported by then is forgotten.
 *
 * <p>Adding never blocks delivery: {@link #add} only updates this process's totals; {@link #flush} makes them
 * visible to the other nodes (a shared backend writes this process's running total of each key, an idempotent
 * write that a retry cannot double). {@link #counts} sums every node's totals. Thread-safe.
 */
public interface TlsRptCounters {
    /** The outcome of a successful session ({@code total-successful-session-count}). */
    String SUCCESS = "success";
    /** How long after a period's end its counts, pending mark and lease are kept. */
    Duration RETENTION = Duration.ofDays(2);

    /** @return whether other processes see these counts (a cluster backend); a local one is reported by its own process only */
    boolean shared();

    /**
     * Adds to one count of this process.
     *
     * @param period  the period and policy domain
     * @param policy  the policy, non-empty, at most 64 KiB
     * @param outcome {@link #SUCCESS} or a failure detail, non-empty, at most 4 KiB
     * @param delta   positive
     * @throws IllegalArgumentException on an empty or over-long key or a non-positive delta
     */
    void add(TlsRptPeriod period, String policy, String outcome, long delta);

    /**
     * Writes this process's totals not yet written, so other nodes count them; what could not be written stays and
     * is written by the next call.
     *
     * @throws StateException when the store cannot answer
     */
    void flush() throws StateException;

    /**
     * @param endedBy only periods ending at or before this instant
     * @return the periods with counts that no node has reported yet (by any node, flushed), oldest first
     * @throws StateException when the store cannot answer
     */
    List<TlsRptPeriod> pending(Instant endedBy) throws StateException;

    /**
     * @return the summed counts of every node for the period, by policy then outcome
     * @throws StateException when the store cannot answer
     */
    Map<String, Map<String, Long>> counts(TlsRptPeriod period) throws StateException;

    /**
     * Takes the lease of sending the period's report: atomic across every node sharing the store (of any number of
     * concurrent callers with different holders, exactly one gets {@code true}); a holder asking again for a lease
     * it holds gets {@code true} (a retry after an unknown outcome). Kept until {@link #RETENTION} after the end.
     *
     * @param holder this node's name (unique per process)
     * @return whether {@code holder} holds the lease
     * @throws StateException when the store cannot answer (then nothing is sent; the next run asks again)
     */
    boolean claim(TlsRptPeriod period, String holder) throws StateException;

    /**
     * Marks the period reported: {@link #pending} no longer lists it.
     *
     * @throws StateException when the store cannot answer
     */
    void reported(TlsRptPeriod period) throws StateException;

    /** @return the epoch-second expiry of a period's rows: {@link #RETENTION} after its end */
    static Instant expiry(TlsRptPeriod period) {
        return period.end().plus(RETENTION);
    }

    /** Checks an {@link #add} key; @throws IllegalArgumentException when invalid */
    static void checkKey(String policy, String outcome, long delta) {
        if (policy == null || policy.isEmpty() || policy.length() > 64 * 1024 || outcome == null || outcome.isEmpty()
                || outcome.length() > 4096 || delta <= 0) {
            throw new IllegalArgumentException("a TLS-RPT count needs a policy, an outcome and a positive delta");
        }
    }
}
