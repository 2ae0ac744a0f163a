package dev.tollgate.core.tls;

/**
 * DNSSEC-aware TLSA discovery for a next-hop domain (RFC 7672 §2): resolve the MX RRset with DNSSEC
 * validation and, for each MX host in a secure zone, the TLSA RRset at {@code _25._tcp.<mx-host>}.
 * Implementations (e.g. on dnsjava with a validating resolver) must be thread-safe and must not throw:
 * DNS errors and bogus answers are reported as {@link DaneLookupResult.Status#LOOKUP_FAILURE}.
 */
@FunctionalInterface
public interface DaneLookup {
    /**
     * @param domain the next-hop domain, A-labels, lower case
     * @return the lookup outcome; never null
     */
    DaneLookupResult lookup(String domain);
}
