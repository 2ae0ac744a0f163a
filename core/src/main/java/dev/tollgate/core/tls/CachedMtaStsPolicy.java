package dev.tollgate.core.tls;

import java.time.Instant;
import java.util.Objects;

/**
 * An MTA-STS policy as held by {@link MtaStsPolicyCache}: the policy, the TXT {@code id} it was fetched
 * under and the fetch time. Valid until {@code fetchedAt + max_age} (RFC 8461 §3.2). Immutable.
 */
public final class CachedMtaStsPolicy {
    private final String domain;
    private final String id;
    private final MtaStsPolicy policy;
    private final Instant fetchedAt;

    CachedMtaStsPolicy(String domain, String id, MtaStsPolicy policy, Instant fetchedAt) {
        this.domain = Objects.requireNonNull(domain);
        this.id = Objects.requireNonNull(id);
        this.policy = Objects.requireNonNull(policy);
        this.fetchedAt = Objects.requireNonNull(fetchedAt);
    }

    /** @return the policy domain, A-labels */
    public String domain() {
        return domain;
    }

    /** @return the TXT record id current when the policy was fetched */
    public String id() {
        return id;
    }

    /** @return the policy */
    public MtaStsPolicy policy() {
        return policy;
    }

    /** @return when the policy was fetched */
    public Instant fetchedAt() {
        return fetchedAt;
    }

    /** @return the first instant at which the policy is no longer valid */
    public Instant expiresAt() {
        return fetchedAt.plus(policy.maxAge());
    }

    /** @return true when {@code now} is before {@link #expiresAt()} */
    public boolean isValidAt(Instant now) {
        return now.isBefore(expiresAt());
    }

    @Override
    public String toString() {
        return "CachedMtaStsPolicy[" + domain + ", id=" + id + ", " + policy + ", fetchedAt=" + fetchedAt + "]";
    }
}
