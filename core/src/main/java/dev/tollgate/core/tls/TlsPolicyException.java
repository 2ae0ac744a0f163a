package dev.tollgate.core.tls;

import java.util.Objects;

/**
 * A TLS policy could not be obtained or is invalid: an MTA-STS TXT record or policy that does not
 * parse, a policy fetch that failed, a malformed TLSA record. Carries the {@link TlsFailureReason}
 * for DSNs and TLS-RPT reports. Messages describe the problem and never include fetched content.
 */
public final class TlsPolicyException extends Exception {
    private static final long serialVersionUID = 1L;

    private final TlsFailureReason reason;
    private final boolean defersDelivery;

    /**
     * @param reason  the failure classification; never null
     * @param message a description without secrets or hostile content
     */
    public TlsPolicyException(TlsFailureReason reason, String message) {
        this(reason, message, null);
    }

    /** Same as {@link #TlsPolicyException(TlsFailureReason, String)}, keeping the cause. */
    public TlsPolicyException(TlsFailureReason reason, String message, Throwable cause) {
        this(reason, message, cause, false);
    }

    /**
     * @param defersDelivery true when, without a still-valid cached policy, delivery must be deferred rather
     *                       than go on as if the domain had no policy (see {@link #defersDelivery()})
     */
    public TlsPolicyException(TlsFailureReason reason, String message, boolean defersDelivery) {
        this(reason, message, null, defersDelivery);
    }

    private TlsPolicyException(TlsFailureReason reason, String message, Throwable cause, boolean defersDelivery) {
        super(reason.code() + ": " + message, cause);
        this.reason = Objects.requireNonNull(reason);
        this.defersDelivery = defersDelivery;
    }

    /** @return the failure classification */
    public TlsFailureReason reason() {
        return reason;
    }

    /**
     * @return true when the failure must defer delivery instead of the RFC 8461 §3.3 fallback ("as though
     *     the domain has not implemented MTA-STS"): an authentic {@code enforce} policy that names no usable
     *     MX pattern. False for fetch errors and other invalid policies.
     */
    public boolean defersDelivery() {
        return defersDelivery;
    }
}
