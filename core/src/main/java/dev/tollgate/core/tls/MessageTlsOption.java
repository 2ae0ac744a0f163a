package dev.tollgate.core.tls;

import java.util.Locale;

/** What a message itself asks for about TLS (RFC 8689). */
public enum MessageTlsOption {
    /** Nothing: the destination's policy applies as resolved. */
    DEFAULT,
    /** {@code MAIL FROM:<...> REQUIRETLS} (RFC 8689 §4): verified TLS on every hop. */
    REQUIRETLS,
    /** {@code TLS-Required: No} header (RFC 8689 §5): deliver even if TLS policies fail. */
    TLS_REQUIRED_NO;

    /**
     * Derives the option from the envelope and the header. REQUIRETLS wins: RFC 8689 §5 says the
     * {@code TLS-Required} header is ignored when the REQUIRETLS parameter is present.
     *
     * @param requireTlsParameter whether the message arrived with the REQUIRETLS MAIL FROM parameter
     * @param tlsRequiredHeader   the value of the {@code TLS-Required} header, or null if absent
     */
    public static MessageTlsOption of(boolean requireTlsParameter, String tlsRequiredHeader) {
        if (requireTlsParameter) {
            return REQUIRETLS;
        }
        if (tlsRequiredHeader != null && tlsRequiredHeader.trim().toLowerCase(Locale.ROOT).equals("no")) {
            return TLS_REQUIRED_NO;
        }
        return DEFAULT;
    }
}
