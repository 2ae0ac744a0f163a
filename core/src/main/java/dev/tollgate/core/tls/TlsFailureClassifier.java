package dev.tollgate.core.tls;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXReason;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Maps what JSSE throws during an SMTP STARTTLS handshake to a {@link TlsFailureReason}, for DSNs and
 * TLS-RPT. The whole cause chain is examined (at most {@value #MAX_DEPTH} links, cycles ignored) and the
 * most specific finding wins: an expired certificate or a host-name mismatch over an untrusted chain
 * or a protocol version problem, those over a generic validation failure, and that over a handshake
 * failure.
 *
 * <p>Stateless and thread-safe.
 */
public final class TlsFailureClassifier {
    /** Most cause links examined. */
    static final int MAX_DEPTH = 16;
    /** Longest message prefix inspected for JSSE wording. */
    private static final int MAX_MESSAGE = 512;

    private TlsFailureClassifier() {
    }

    /**
     * @param failure what the TLS connection attempt threw; null gives {@link TlsFailureReason#HANDSHAKE_FAILURE}
     * @return the most specific reason found
     */
    public static TlsFailureReason classify(Throwable failure) {
        TlsFailureReason best = TlsFailureReason.HANDSHAKE_FAILURE;
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Throwable t = failure;
        for (int depth = 0; t != null && depth < MAX_DEPTH && seen.add(t); depth++, t = t.getCause()) {
            TlsFailureReason found = classifyOne(t);
            if (found != null && rank(found) > rank(best)) {
                best = found;
            }
        }
        return best;
    }

    /**
     * Classifies the reply to {@code STARTTLS} (RFC 3207 §4): 454 (TLS not available due to a temporary
     * reason) gives {@link TlsFailureReason#STARTTLS_REFUSED}; other refusals such as 500/502 (command not
     * recognised) give {@link TlsFailureReason#STARTTLS_NOT_SUPPORTED}.
     *
     * @param replyCode the SMTP reply code, 100..599
     * @throws IllegalArgumentException for a 2xx reply, which is not a failure, or an out-of-range code
     */
    public static TlsFailureReason classifyStartTlsReply(int replyCode) {
        if (replyCode < 100 || replyCode > 599 || replyCode / 100 == 2) {
            throw new IllegalArgumentException("not a STARTTLS refusal: " + replyCode);
        }
        return replyCode == 454 ? TlsFailureReason.STARTTLS_REFUSED : TlsFailureReason.STARTTLS_NOT_SUPPORTED;
    }

    private static int rank(TlsFailureReason r) {
        switch (r) {
            case CERTIFICATE_EXPIRED:
            case CERTIFICATE_HOST_MISMATCH:
                return 5;
            case CERTIFICATE_NOT_TRUSTED:
            case PROTOCOL_TOO_OLD:
                return 4;
            case VALIDATION_FAILURE:
                return 3;
            default:
                return 1;
        }
    }

    private static TlsFailureReason classifyOne(Throwable t) {
        String message = message(t);
        if (t instanceof CertificateExpiredException) {
            return TlsFailureReason.CERTIFICATE_EXPIRED;
        }
        if (t instanceof CertificateNotYetValidException) {
            return TlsFailureReason.VALIDATION_FAILURE;
        }
        if (t instanceof CertPathValidatorException) {
            CertPathValidatorException.Reason reason = ((CertPathValidatorException) t).getReason();
            if (reason == CertPathValidatorException.BasicReason.EXPIRED) {
                return TlsFailureReason.CERTIFICATE_EXPIRED;
            }
            if (reason == PKIXReason.NO_TRUST_ANCHOR || reason == CertPathValidatorException.BasicReason.INVALID_SIGNATURE
                    || reason == CertPathValidatorException.BasicReason.UNSPECIFIED) {
                return TlsFailureReason.CERTIFICATE_NOT_TRUSTED;
            }
            return TlsFailureReason.VALIDATION_FAILURE;
        }
        if (t instanceof CertPathBuilderException) {
            return TlsFailureReason.CERTIFICATE_NOT_TRUSTED;
        }
        if (t instanceof CertificateException) {
            if (message.startsWith("no subject alternative") || message.startsWith("no name matching")) {
                return TlsFailureReason.CERTIFICATE_HOST_MISMATCH;
            }
            return TlsFailureReason.VALIDATION_FAILURE;
        }
        if (t instanceof SSLException) {
            if (message.contains("protocol_version") || message.contains("no appropriate protocol")
                    || message.contains("protocol version") && message.contains("not accepted")) {
                return TlsFailureReason.PROTOCOL_TOO_OLD;
            }
            if (message.contains("unable to find valid certification path")) {
                return TlsFailureReason.CERTIFICATE_NOT_TRUSTED;
            }
            if (message.contains("certificate_expired")) {
                return TlsFailureReason.CERTIFICATE_EXPIRED;
            }
            return t instanceof SSLHandshakeException ? TlsFailureReason.HANDSHAKE_FAILURE : null;
        }
        return null;
    }

    private static String message(Throwable t) {
        String m = t.getMessage();
        if (m == null) {
            return "";
        }
        return (m.length() > MAX_MESSAGE ? m.substring(0, MAX_MESSAGE) : m).toLowerCase(Locale.ROOT);
    }
}
