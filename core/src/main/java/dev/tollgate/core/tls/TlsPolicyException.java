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

    /**
     * @param reason  the failure classification; never null
     * @param message a description without secrets or hostile content
     */
    public TlsPolicyException(TlsFailureReason reason, String message) {
        this(reason, message, null);
    }

    /** Same as {@link #TlsPolicyException(TlsFailureReason, String)}, keeping the cause. */
    public TlsPolicyException(TlsFailureReason reason, String message, Throwable cause) {
        super(reason.code() + ": " + message, cause);
        this.reason = Objects.requireNonNull(reason);
    }

    /** @return the failure classification */
    public TlsFailureReason reason() {
        return reason;
    }
}
