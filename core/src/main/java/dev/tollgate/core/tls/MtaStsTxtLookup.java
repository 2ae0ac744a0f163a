package dev.tollgate.core.tls;

import java.util.List;

/**
 * Finds the TXT records at {@code _mta-sts.<domain>} (RFC 8461 §3.1). Implementations must be
 * thread-safe and must not throw: on DNS failure they return an empty list, and
 * {@link MtaStsPolicyCache} keeps using a still-valid cached policy.
 */
@FunctionalInterface
public interface MtaStsTxtLookup {
    /**
     * @param domain the policy domain, A-labels, lower case
     * @return every TXT record's strings concatenated, one element per record; empty when none
     */
    List<String> txtRecords(String domain);
}
