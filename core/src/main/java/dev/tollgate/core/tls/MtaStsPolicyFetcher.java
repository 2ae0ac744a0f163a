package dev.tollgate.core.tls;

/**
 * Retrieves the MTA-STS policy of a policy domain (RFC 8461 §3.3). Implementations must be thread-safe.
 *
 * @see HttpsMtaStsPolicyFetcher
 */
@FunctionalInterface
public interface MtaStsPolicyFetcher {
    /**
     * @param policyDomain the recipient domain, A-labels, e.g. {@code example.com}
     * @return the parsed policy
     * @throws TlsPolicyException carrying {@link TlsFailureReason#STS_POLICY_FETCH_ERROR},
     *     {@link TlsFailureReason#STS_POLICY_INVALID} or {@link TlsFailureReason#STS_WEBPKI_INVALID}
     */
    MtaStsPolicy fetch(String policyDomain) throws TlsPolicyException;
}
