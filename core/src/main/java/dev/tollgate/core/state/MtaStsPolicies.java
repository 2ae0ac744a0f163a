package dev.tollgate.core.state;

import java.util.Optional;

/**
 * The MTA-STS policy cache (RFC 8461 §3.3, §5.1) every node shares, so a policy fetched by one node is applied by
 * all, and a policy cached by any node stays in force while its {@code max_age} runs even if the TXT record or the
 * policy host disappears. {@code dev.tollgate.core.tls.MtaStsPolicyCache} decides when to fetch; this only keeps
 * the results. Records are forgotten after their expiry (Cassandra: a TTL of the remaining {@code max_age}) or,
 * in memory, when the bound of domains is reached (least recently used first); {@link #get} may still return an
 * expired record, the caller checks {@link MtaStsPolicyRecord#expiresAt()}. Concurrent writers of one domain:
 * the last write wins. Thread-safe.
 */
public interface MtaStsPolicies {
    /**
     * @param domain the policy domain, A-labels, lower case
     * @return the cached record, empty when none is kept
     * @throws StateException when the store cannot answer; delivery must then defer, since a policy in force
     *     might be cached (never downgrade TLS because the cache could not be read)
     */
    Optional<MtaStsPolicyRecord> get(String domain) throws StateException;

    /**
     * Caches a freshly fetched policy, replacing the domain's record; a record already expired is not kept.
     *
     * @throws StateException when it could not be stored (the caller still applies the policy it holds)
     */
    void put(MtaStsPolicyRecord record) throws StateException;

    /** Forgets a domain's record; @throws StateException when the store cannot answer */
    void delete(String domain) throws StateException;
}
