package dev.tollgate.core.state;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One cached MTA-STS policy as the state store holds it (RFC 8461 §3.3): the policy domain (A-labels), the TXT
 * record {@code id} it was fetched under, the policy text (its {@code key: value} lines, LF-separated, as
 * {@code dev.tollgate.core.tls.MtaStsPolicy#toPolicyLines()} writes them), when it was fetched and its
 * {@code max_age}. Valid until {@code fetchedAt + maxAge}. Immutable.
 */
public final class MtaStsPolicyRecord {
    /** Largest policy text accepted, in characters (RFC 8461 §3.3 bounds a policy body to 64 KiB). */
    public static final int MAX_POLICY_CHARS = 64 * 1024;

    private final String domain;
    private final String id;
    private final String policy;
    private final Instant fetchedAt;
    private final Duration maxAge;

    /**
     * @param domain    the policy domain, A-labels, lower case
     * @param id        the TXT record id (RFC 8461 §3.1, 1 to 32 letters and digits)
     * @param policy    the policy text, at most {@link #MAX_POLICY_CHARS}
     * @param fetchedAt when it was fetched
     * @param maxAge    its {@code max_age}, not negative
     * @throws IllegalArgumentException on a blank domain or id, an over-long policy or a negative max_age
     */
    public MtaStsPolicyRecord(String domain, String id, String policy, Instant fetchedAt, Duration maxAge) {
        this.domain = Objects.requireNonNull(domain);
        this.id = Objects.requireNonNull(id);
        this.policy = Objects.requireNonNull(policy);
        this.fetchedAt = Objects.requireNonNull(fetchedAt);
        this.maxAge = Objects.requireNonNull(maxAge);
        if (domain.isBlank() || id.isBlank() || policy.length() > MAX_POLICY_CHARS || maxAge.isNegative()) {
            throw new IllegalArgumentException("invalid MTA-STS policy record for " + domain);
        }
    }

    /** @return the policy domain */
    public String domain() {
        return domain;
    }

    /** @return the TXT record id current when the policy was fetched */
    public String id() {
        return id;
    }

    /** @return the policy text */
    public String policy() {
        return policy;
    }

    /** @return when the policy was fetched */
    public Instant fetchedAt() {
        return fetchedAt;
    }

    /** @return the policy's max_age */
    public Duration maxAge() {
        return maxAge;
    }

    /** @return the first instant at which the record is no longer valid */
    public Instant expiresAt() {
        return fetchedAt.plus(maxAge);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof MtaStsPolicyRecord)) {
            return false;
        }
        MtaStsPolicyRecord r = (MtaStsPolicyRecord) o;
        return domain.equals(r.domain) && id.equals(r.id) && policy.equals(r.policy)
                && fetchedAt.toEpochMilli() == r.fetchedAt.toEpochMilli() && maxAge.equals(r.maxAge);
    }

    @Override
    public int hashCode() {
        return Objects.hash(domain, id, policy, fetchedAt.toEpochMilli(), maxAge);
    }

    @Override
    public String toString() {
        return "MtaStsPolicyRecord[" + domain + ", id=" + id + ", fetchedAt=" + fetchedAt + ", maxAge=" + maxAge + "]";
    }
}
