package dev.tollgate.core.state;

import java.time.Instant;
import java.util.Objects;

/**
 * One report's scope in TLS-RPT (RFC 8460 §4.4): a reporting period {@code [start, end)} and a policy domain.
 * Exactly one report is sent per value, by the node holding its lease ({@link TlsRptCounters#claim}). Immutable.
 */
public final class TlsRptPeriod {
    private final Instant start;
    private final Instant end;
    private final String policyDomain;

    /**
     * @param start        the period's start (whole seconds)
     * @param end          the period's end, after {@code start}
     * @param policyDomain the policy domain, A-labels, lower case
     * @throws IllegalArgumentException when {@code end} is not after {@code start} or the domain is blank
     */
    public TlsRptPeriod(Instant start, Instant end, String policyDomain) {
        this.start = Instant.ofEpochSecond(start.getEpochSecond());
        this.end = Instant.ofEpochSecond(end.getEpochSecond());
        this.policyDomain = Objects.requireNonNull(policyDomain);
        if (!this.start.isBefore(this.end) || policyDomain.isBlank()) {
            throw new IllegalArgumentException("a TLS-RPT period needs start before end and a policy domain");
        }
    }

    /** @return the start (inclusive) */
    public Instant start() {
        return start;
    }

    /** @return the end (exclusive) */
    public Instant end() {
        return end;
    }

    /** @return the policy domain */
    public String policyDomain() {
        return policyDomain;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TlsRptPeriod)) {
            return false;
        }
        TlsRptPeriod p = (TlsRptPeriod) o;
        return start.equals(p.start) && end.equals(p.end) && policyDomain.equals(p.policyDomain);
    }

    @Override
    public int hashCode() {
        return Objects.hash(start, end, policyDomain);
    }

    @Override
    public String toString() {
        return "TlsRptPeriod[" + policyDomain + " " + start + ".." + end + "]";
    }
}
