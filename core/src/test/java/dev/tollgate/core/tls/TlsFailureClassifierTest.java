package dev.tollgate.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.PKIXReason;
import java.util.HashSet;
import java.util.Set;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class TlsFailureClassifierTest {
    private static <T extends Throwable> T caused(T outer, Throwable cause) {
        outer.initCause(cause);
        return outer;
    }

    @Test
    void expiredCertificateDeepInTheChain() {
        CertificateExpiredException expired = new CertificateExpiredException("NotAfter: ...");
        CertPathValidatorException cpve = new CertPathValidatorException("validity check failed", expired, null, -1,
                CertPathValidatorException.BasicReason.EXPIRED);
        Throwable t = caused(new SSLHandshakeException("PKIX path validation failed"),
                new CertificateException("PKIX path validation failed", cpve));
        assertThat(TlsFailureClassifier.classify(t)).isEqualTo(TlsFailureReason.CERTIFICATE_EXPIRED);
    }

    @Test
    void untrustedChain() {
        Throwable t = caused(new SSLHandshakeException("PKIX path building failed"),
                new CertificateException("x", new CertPathBuilderException("unable to find valid certification path")));
        assertThat(TlsFailureClassifier.classify(t)).isEqualTo(TlsFailureReason.CERTIFICATE_NOT_TRUSTED);
        Throwable noAnchor = new CertPathValidatorException("no anchor", null, null, -1, PKIXReason.NO_TRUST_ANCHOR);
        assertThat(TlsFailureClassifier.classify(noAnchor)).isEqualTo(TlsFailureReason.CERTIFICATE_NOT_TRUSTED);
    }

    @Test
    void revocationProblemsAreValidationFailures() {
        Throwable revoked = new CertPathValidatorException("revoked", null, null, -1,
                CertPathValidatorException.BasicReason.REVOKED);
        assertThat(TlsFailureClassifier.classify(revoked)).isEqualTo(TlsFailureReason.VALIDATION_FAILURE);
    }

    @Test
    void hostnameMismatchFromJsseWording() {
        Throwable t = caused(new SSLHandshakeException("No subject alternative DNS name matching mx.example.com found."),
                new CertificateException("No subject alternative DNS name matching mx.example.com found."));
        assertThat(TlsFailureClassifier.classify(t)).isEqualTo(TlsFailureReason.CERTIFICATE_HOST_MISMATCH);
        assertThat(TlsFailureClassifier.classify(new CertificateException("No name matching mx.example.com found")))
                .isEqualTo(TlsFailureReason.CERTIFICATE_HOST_MISMATCH);
    }

    @Test
    void protocolVersionProblems() {
        assertThat(TlsFailureClassifier.classify(new SSLHandshakeException("Received fatal alert: protocol_version")))
                .isEqualTo(TlsFailureReason.PROTOCOL_TOO_OLD);
        assertThat(TlsFailureClassifier.classify(new SSLHandshakeException(
                "No appropriate protocol (protocol is disabled or cipher suites are inappropriate)")))
                .isEqualTo(TlsFailureReason.PROTOCOL_TOO_OLD);
        assertThat(TlsFailureClassifier.classify(new SSLHandshakeException(
                "The server selected protocol version TLS10 is not accepted by client preferences [TLS13, TLS12]")))
                .isEqualTo(TlsFailureReason.PROTOCOL_TOO_OLD);
    }

    @Test
    void otherFailures() {
        assertThat(TlsFailureClassifier.classify(new SSLHandshakeException("Received fatal alert: handshake_failure")))
                .isEqualTo(TlsFailureReason.HANDSHAKE_FAILURE);
        assertThat(TlsFailureClassifier.classify(new CertificateException("bad encoding")))
                .isEqualTo(TlsFailureReason.VALIDATION_FAILURE);
        assertThat(TlsFailureClassifier.classify(new IOException("Connection reset")))
                .isEqualTo(TlsFailureReason.HANDSHAKE_FAILURE);
        assertThat(TlsFailureClassifier.classify(null)).isEqualTo(TlsFailureReason.HANDSHAKE_FAILURE);
    }

    @Test
    void cyclicCauseChainTerminates() {
        Exception a = new Exception("a");
        Exception b = new Exception("b", a);
        a.initCause(b);
        assertThat(TlsFailureClassifier.classify(a)).isEqualTo(TlsFailureReason.HANDSHAKE_FAILURE);
    }

    @Test
    void startTlsReplies() {
        assertThat(TlsFailureClassifier.classifyStartTlsReply(454)).isEqualTo(TlsFailureReason.STARTTLS_REFUSED);
        assertThat(TlsFailureClassifier.classifyStartTlsReply(502)).isEqualTo(TlsFailureReason.STARTTLS_NOT_SUPPORTED);
        assertThatThrownBy(() -> TlsFailureClassifier.classifyStartTlsReply(220)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void reasonsCarryRfc8460ResultTypes() {
        assertThat(TlsFailureReason.STARTTLS_REFUSED.resultType()).isEqualTo("starttls-not-supported");
        assertThat(TlsFailureReason.MX_NOT_PERMITTED.resultType()).isEqualTo("validation-failure");
        assertThat(TlsFailureReason.DANE_MISMATCH.isRfc8460()).isFalse();
        assertThat(TlsFailureReason.STS_WEBPKI_INVALID.isRfc8460()).isTrue();
        Set<String> rfc = Set.of("starttls-not-supported", "certificate-host-mismatch", "certificate-expired",
                "certificate-not-trusted", "validation-failure", "tlsa-invalid", "dnssec-invalid", "dane-required",
                "sts-policy-fetch-error", "sts-policy-invalid", "sts-webpki-invalid");
        Set<String> codes = new HashSet<>();
        for (TlsFailureReason r : TlsFailureReason.values()) {
            assertThat(rfc).contains(r.resultType());
            assertThat(r.diagnostic()).isNotBlank();
            assertThat(codes.add(r.code())).isTrue();
            assertThat(TlsFailureReason.fromCode(r.code())).isEqualTo(r);
        }
        assertThat(codes).containsAll(rfc);
    }
}
