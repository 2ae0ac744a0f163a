package dev.tollgate.core.tls;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;



/**
 * Authenticates an MX host by its DNSSEC-validated TLSA records (RFC 7672 §3) instead of PKIX: the chain must
 * match a usable DANE-EE(3) or DANE-TA(2) record ({@link DaneTlsaMatcher}); WebPKI trust anchors play no part and
 * there is no fallback. The failure reason is kept ({@link #failure()}) so the delivery reports it precisely
 * ({@code dane-mismatch}, ...). One instance per connection.
 */
public final class DaneTrustManager extends ServerTrustManager {
    private static final X509Certificate[] NONE = new X509Certificate[0];

    private final List<TlsaRecord> records;
    private final List<String> referenceNames;
    private final DaneTlsaMatcher matcher;
    private final boolean reportOnly;
    private volatile TlsFailureReason failure;

    /**
     * @param records        the MX host's validated TLSA RRset
     * @param referenceNames names a DANE-TA leaf must carry: the MX host, the next-hop domain
     */
    public DaneTrustManager(List<TlsaRecord> records, List<String> referenceNames, Clock clock) {
        this(records, referenceNames, clock, false);
    }

    /**
     * @param reportOnly true to remember a mismatch ({@link #failure()}) and let the handshake go on (testing mode)
     */
    public DaneTrustManager(List<TlsaRecord> records, List<String> referenceNames, Clock clock, boolean reportOnly) {
        this.reportOnly = reportOnly;
        this.records = List.copyOf(records);
        this.referenceNames = List.copyOf(referenceNames);
        this.matcher = new DaneTlsaMatcher(clock);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        DaneMatchResult result = matcher.match(records, chain, referenceNames);
        if (!result.isMatch()) {
            TlsFailureReason reason = result.failure().orElse(TlsFailureReason.DANE_MISMATCH);
            failure = reason == TlsFailureReason.VALIDATION_FAILURE ? TlsFailureReason.DANE_MISMATCH : reason;
            if (reportOnly) {
                return;
            }
            throw new CertificateException("DANE: " + failure.code() + " (" + result.detail() + ")");
        }
    }

    /** @return why the chain was refused, or null */
    public TlsFailureReason failure() {
        return failure;
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return NONE;
    }
}
