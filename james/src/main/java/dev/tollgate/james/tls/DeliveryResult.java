package dev.tollgate.james.tls;

import java.util.List;
import java.util.Optional;

import org.apache.james.core.MailAddress;

import dev.tollgate.core.tls.TlsFailureReason;

/**
 * What one delivery attempt of one mail (one destination domain) came to. Immutable.
 */
final class DeliveryResult {
    /** Overall outcome. */
    enum Kind {
        /** Every recipient accepted. */
        SENT,
        /** Retry later (TLS failure, 4xx, connection problem); nothing was sent in plain text against policy. */
        TEMPORARY,
        /** Give up now (5xx from the server, no mail server for the domain). */
        PERMANENT
    }

    private final Kind kind;
    private final Optional<TlsFailureReason> tlsReason;
    private final String diagnostic;
    private final String mxHost;
    private final List<MailAddress> delivered;
    private final List<MailAddress> rejected;

    private DeliveryResult(Kind kind, TlsFailureReason tlsReason, String diagnostic, String mxHost,
            List<MailAddress> delivered, List<MailAddress> rejected) {
        this.kind = kind;
        this.tlsReason = Optional.ofNullable(tlsReason);
        this.diagnostic = diagnostic;
        this.mxHost = mxHost;
        this.delivered = List.copyOf(delivered);
        this.rejected = List.copyOf(rejected);
    }

    static DeliveryResult sent(String mxHost) {
        return new DeliveryResult(Kind.SENT, null, "250 delivered", mxHost, List.of(), List.of());
    }

    /** Some recipients accepted, some refused permanently, the rest (if any) to retry. */
    static DeliveryResult partial(String mxHost, List<MailAddress> delivered, List<MailAddress> rejected, String diagnostic) {
        return new DeliveryResult(Kind.TEMPORARY, null, diagnostic, mxHost, delivered, rejected);
    }

    static DeliveryResult tlsFailure(TlsFailureReason reason, String mxHost) {
        return new DeliveryResult(Kind.TEMPORARY, reason, reason.code() + ": " + reason.diagnostic(), mxHost,
                List.of(), List.of());
    }

    static DeliveryResult temporary(String diagnostic, String mxHost) {
        return new DeliveryResult(Kind.TEMPORARY, null, diagnostic, mxHost, List.of(), List.of());
    }

    static DeliveryResult permanent(String diagnostic, String mxHost) {
        return new DeliveryResult(Kind.PERMANENT, null, diagnostic, mxHost, List.of(), List.of());
    }

    Kind kind() {
        return kind;
    }

    /** @return the TLS reason when the attempt failed because of the TLS policy */
    Optional<TlsFailureReason> tlsReason() {
        return tlsReason;
    }

    /** @return one line for logs and DSNs, without message content */
    String diagnostic() {
        return diagnostic;
    }

    /** @return the MX host last tried, or "-" */
    String mxHost() {
        return mxHost == null ? "-" : mxHost;
    }

    /** @return recipients accepted by the server in a partial delivery */
    List<MailAddress> delivered() {
        return delivered;
    }

    /** @return recipients refused permanently in a partial delivery */
    List<MailAddress> rejected() {
        return rejected;
    }

    /** @return the outcome label for logs and metrics: {@code sent}, a TLS reason code, {@code temporary} or {@code permanent} */
    String label() {
        if (kind == Kind.SENT) {
            return "sent";
        }
        return tlsReason.map(TlsFailureReason::code).orElse(kind == Kind.PERMANENT ? "permanent" : "temporary");
    }
}
