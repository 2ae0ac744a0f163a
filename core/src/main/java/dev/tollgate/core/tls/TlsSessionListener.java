package dev.tollgate.core.tls;

import java.net.InetAddress;


/**
 * Told about every SMTP session in which TLS was attempted or required (RFC 8460's unit of counting): a success
 * when TLS was negotiated and met the policy, otherwise the failure reason. Sessions without TLS by policy
 * ({@code none}) and plain connection errors are not sessions in this sense. Implementations must be
 * thread-safe and must not throw.
 */
public interface TlsSessionListener {
    /** Ignores everything. */
    TlsSessionListener NONE = (policy, mx, receivingIp, sendingIp, failure) -> { };

    /**
     * @param policy      the policy the session was checked against
     * @param mx          the MX host name, or null when the failure came before any host was chosen
     * @param receivingIp the address connected to, or null when no connection was made
     * @param sendingIp   this side's address, or null when unknown
     * @param failure     null for a successful session, else why it failed
     */
    void session(EffectiveTlsPolicy policy, String mx, InetAddress receivingIp, InetAddress sendingIp,
            TlsFailureReason failure);
}
