package dev.tollgate.core.tls;

/**
 * Why a TLS-only delivery failed or a TLS policy could not be applied.
 *
 * <p>Where RFC 8460 §4.3 defines a result type, {@link #resultType()} returns it and is what a TLS-RPT
 * report carries. The Tollgate-specific reasons give a sharper DSN diagnostic and report under the
 * closest RFC 8460 result type (see each constant).
 */
public enum TlsFailureReason {
    /** RFC 8460 §4.3.1: the receiving MTA did not offer STARTTLS. */
    STARTTLS_NOT_SUPPORTED("starttls-not-supported", "starttls-not-supported",
            "the receiving server does not offer STARTTLS"),
    /** RFC 8460 §4.3.1: the certificate does not name the MX host (or a permitted name). */
    CERTIFICATE_HOST_MISMATCH("certificate-host-mismatch", "certificate-host-mismatch",
            "the server certificate does not match the host name"),
    /** RFC 8460 §4.3.1: the certificate has expired. */
    CERTIFICATE_EXPIRED("certificate-expired", "certificate-expired",
            "the server certificate has expired"),
    /** RFC 8460 §4.3.1: the chain does not lead to a trusted root. */
    CERTIFICATE_NOT_TRUSTED("certificate-not-trusted", "certificate-not-trusted",
            "the server certificate is not issued by a trusted authority"),
    /** RFC 8460 §4.3.1: any other validation failure. */
    VALIDATION_FAILURE("validation-failure", "validation-failure",
            "the server certificate could not be validated"),
    /** RFC 8460 §4.3.2: TLSA records were unusable or malformed. */
    TLSA_INVALID("tlsa-invalid", "tlsa-invalid", "the destination's TLSA records are invalid"),
    /** RFC 8460 §4.3.2: DNSSEC validation failed (bogus answers or lookup failure). */
    DNSSEC_INVALID("dnssec-invalid", "dnssec-invalid",
            "DNSSEC validation of the destination's records failed"),
    /** RFC 8460 §4.3.2: DANE is required but no usable TLSA records were found. */
    DANE_REQUIRED("dane-required", "dane-required",
            "DANE is required but the destination publishes no usable TLSA records"),
    /** RFC 8460 §4.3.3: the MTA-STS policy could not be fetched. */
    STS_POLICY_FETCH_ERROR("sts-policy-fetch-error", "sts-policy-fetch-error",
            "the MTA-STS policy could not be fetched"),
    /** RFC 8460 §4.3.3: the MTA-STS policy (or its TXT record) is invalid. */
    STS_POLICY_INVALID("sts-policy-invalid", "sts-policy-invalid", "the MTA-STS policy is invalid"),
    /** RFC 8460 §4.3.3: the certificate of the MTA-STS policy host failed WebPKI validation. */
    STS_WEBPKI_INVALID("sts-webpki-invalid", "sts-webpki-invalid",
            "the MTA-STS policy server's certificate is not valid"),
    /** Tollgate: STARTTLS was advertised but refused with a 454 reply; reported as {@code starttls-not-supported}. */
    STARTTLS_REFUSED("starttls-refused", "starttls-not-supported",
            "the receiving server refused STARTTLS (454)"),
    /** Tollgate: the TLS handshake failed for a non-certificate reason; reported as {@code validation-failure}. */
    HANDSHAKE_FAILURE("handshake-failure", "validation-failure", "the TLS handshake failed"),
    /** Tollgate: no common protocol version at or above the required minimum; reported as {@code validation-failure}. */
    PROTOCOL_TOO_OLD("protocol-too-old", "validation-failure",
            "the receiving server does not support the required TLS protocol version"),
    /** Tollgate: the MX host is not listed by the enforced MTA-STS policy (RFC 8461 §4.1); reported as {@code validation-failure}. */
    MX_NOT_PERMITTED("mx-not-permitted", "validation-failure",
            "the MX host is not permitted by the destination's MTA-STS policy"),
    /** Tollgate: usable TLSA records exist but none matches the certificate chain; reported as {@code validation-failure}. */
    DANE_MISMATCH("dane-mismatch", "validation-failure",
            "the server certificate does not match the destination's TLSA records"),
    /**
     * Tollgate: the mail carries REQUIRETLS but the next hop does not offer the {@code REQUIRETLS} EHLO keyword
     * (RFC 8689 §4.2.1); TLS itself succeeded, so a TLS-RPT report counts the session as successful.
     */
    REQUIRETLS_NOT_SUPPORTED("requiretls-not-supported", "validation-failure",
            "the mail requires REQUIRETLS (RFC 8689) but the receiving server does not offer it"),
    /**
     * Tollgate: the shared state store holding the MTA-STS policy cache could not be read, so a cached policy may be
     * in force; delivery defers. Not a session with the destination: never counted in TLS-RPT reports (its result
     * type, {@code sts-policy-fetch-error}, only classifies it in metrics).
     */
    STATE_UNAVAILABLE("state-store-unavailable", "sts-policy-fetch-error",
            "Tollgate's shared state store could not be read to find a cached MTA-STS policy");

    private final String code;
    private final String resultType;
    private final String diagnostic;

    TlsFailureReason(String code, String resultType, String diagnostic) {
        this.code = code;
        this.resultType = resultType;
        this.diagnostic = diagnostic;
    }

    /** @return the Tollgate code, equal to {@link #resultType()} for RFC 8460 reasons, e.g. {@code dane-mismatch} */
    public String code() {
        return code;
    }

    /** @return the RFC 8460 §4.3 result type string used in TLS-RPT reports */
    public String resultType() {
        return resultType;
    }

    /** @return true when {@link #code()} is itself an RFC 8460 result type */
    public boolean isRfc8460() {
        return code.equals(resultType);
    }

    /** @return a one-line English explanation for the DSN diagnostic text, without secrets or peer data */
    public String diagnostic() {
        return diagnostic;
    }

    /**
     * @param code a {@link #code()} value, e.g. {@code starttls-refused}
     * @return the reason
     * @throws IllegalArgumentException when unknown
     */
    public static TlsFailureReason fromCode(String code) {
        for (TlsFailureReason r : values()) {
            if (r.code.equals(code)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown TLS failure reason code");
    }

    @Override
    public String toString() {
        return code;
    }
}
