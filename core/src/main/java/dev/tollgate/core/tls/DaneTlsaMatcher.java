package dev.tollgate.core.tls;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Authenticates an SMTP server's certificate chain against a TLSA RRset, following RFC 7672 §3 (DANE for
 * SMTP) and RFC 7671:
 *
 * <ul>
 *   <li>Only DANE-TA(2) and DANE-EE(3) records with selector 0 (Cert) or 1 (SPKI) and matching type
 *       0 (Full), 1 (SHA2-256) or 2 (SHA2-512) are usable; others are ignored (RFC 7672 §3.1.3).
 *   <li>DANE-EE(3): the leaf certificate (or its key) matches; names and validity dates are not checked
 *       (RFC 7672 §3.1.1).
 *   <li>DANE-TA(2): a certificate in the presented chain (or, for {@code 2 1 0}, the published key itself)
 *       matches; every certificate from the leaf up to it is signed by the next, intermediate
 *       certificates are CAs, certificates below the trust anchor are within their validity period
 *       (by the injected {@link Clock}), and the leaf names one of the reference identifiers: the MX
 *       host or the next-hop domain (RFC 7672 §3.2.2, §3.2.3). The trust anchor's own dates are not
 *       checked.
 * </ul>
 *
 * <p>Work is bounded: chains longer than {@value #MAX_CHAIN} and RRsets beyond {@value #MAX_RECORDS}
 * usable records are cut. Thread-safe.
 */
public final class DaneTlsaMatcher {
    /** Longest chain examined. */
    static final int MAX_CHAIN = 10;
    /** Most usable records examined. */
    static final int MAX_RECORDS = 64;

    private final Clock clock;

    /** @param clock time source for certificate validity checks under DANE-TA */
    public DaneTlsaMatcher(Clock clock) {
        this.clock = Objects.requireNonNull(clock);
    }

    /**
     * @param rrset          the TLSA records of {@code _25._tcp.<mx-host>}, DNSSEC-validated by the caller
     * @param chain          the peer chain as sent, leaf first
     * @param referenceNames acceptable names for DANE-TA: the MX host, the next-hop domain; a name
     *                       starting with {@code .} accepts any subdomain of it
     * @return the outcome; never null
     */
    public DaneMatchResult match(Collection<TlsaRecord> rrset, X509Certificate[] chain,
            Collection<String> referenceNames) {
        List<TlsaRecord> usable = new ArrayList<>();
        for (TlsaRecord r : rrset) {
            if (r.isUsable() && usable.size() < MAX_RECORDS) {
                usable.add(r);
            }
        }
        if (usable.isEmpty()) {
            return rrset.isEmpty()
                    ? DaneMatchResult.noUsableRecords(TlsFailureReason.DANE_REQUIRED, "no TLSA records")
                    : DaneMatchResult.noUsableRecords(TlsFailureReason.TLSA_INVALID, "no usable TLSA records");
        }
        if (chain == null || chain.length == 0) {
            return DaneMatchResult.mismatch(TlsFailureReason.VALIDATION_FAILURE, "no peer certificate");
        }
        int length = Math.min(chain.length, MAX_CHAIN);
        Selected[] selected = new Selected[length];
        for (int i = 0; i < length; i++) {
            selected[i] = new Selected(chain[i]);
        }
        for (TlsaRecord r : usable) {
            if (r.usage() == TlsaRecord.USAGE_DANE_EE && selected[0].matches(r)) {
                return DaneMatchResult.match(r, "DANE-EE record matches the server certificate");
            }
        }
        TlsFailureReason best = TlsFailureReason.DANE_MISMATCH;
        String bestDetail = "no TLSA record matches the certificate chain";
        for (TlsaRecord r : usable) {
            if (r.usage() != TlsaRecord.USAGE_DANE_TA) {
                continue;
            }
            TlsFailureReason failure = tryTrustAnchor(r, chain, selected, length, referenceNames);
            if (failure == null) {
                return DaneMatchResult.match(r, "chain leads to a DANE-TA trust anchor and names a reference identifier");
            }
            if (rank(failure) > rank(best)) {
                best = failure;
                bestDetail = "DANE-TA record matches but " + failure.diagnostic();
            }
        }
        return DaneMatchResult.mismatch(best, bestDetail);
    }

    private static int rank(TlsFailureReason r) {
        switch (r) {
            case CERTIFICATE_HOST_MISMATCH:
                return 3;
            case CERTIFICATE_EXPIRED:
                return 2;
            case VALIDATION_FAILURE:
                return 1;
            default:
                return 0;
        }
    }

    /** @return null on success, else why the anchor did not authenticate the chain */
    private TlsFailureReason tryTrustAnchor(TlsaRecord r, X509Certificate[] chain, Selected[] selected, int length,
            Collection<String> referenceNames) {
        int anchor = -1;
        for (int i = 0; i < length; i++) {
            if (selected[i].matches(r)) {
                anchor = i;
                break;
            }
        }
        PublicKey externalKey = null;
        if (anchor < 0) {
            if (r.selector() != TlsaRecord.SELECTOR_SPKI || r.matchingType() != TlsaRecord.MATCHING_FULL) {
                return TlsFailureReason.DANE_MISMATCH;
            }
            externalKey = publicKey(r.data());
            if (externalKey == null) {
                return TlsFailureReason.DANE_MISMATCH;
            }
        }
        int top = anchor < 0 ? length - 1 : anchor;
        Date now = Date.from(clock.instant());
        try {
            for (int i = 0; i < top; i++) {
                if (!chain[i].getIssuerX500Principal().equals(chain[i + 1].getSubjectX500Principal())) {
                    return TlsFailureReason.VALIDATION_FAILURE;
                }
                chain[i].verify(chain[i + 1].getPublicKey());
                if (chain[i + 1].getBasicConstraints() < 0) {
                    return TlsFailureReason.VALIDATION_FAILURE;
                }
            }
            if (externalKey != null) {
                chain[top].verify(externalKey);
            }
            int lastChecked = externalKey != null ? top : top - 1;
            for (int i = 0; i <= lastChecked; i++) {
                chain[i].checkValidity(now);
            }
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            return TlsFailureReason.CERTIFICATE_EXPIRED;
        } catch (GeneralSecurityException | RuntimeException e) {
            return TlsFailureReason.VALIDATION_FAILURE;
        }
        return namesMatch(chain[0], referenceNames) ? null : TlsFailureReason.CERTIFICATE_HOST_MISMATCH;
    }

    private static PublicKey publicKey(byte[] spki) {
        try {
            return new JcaPEMKeyConverter().getPublicKey(SubjectPublicKeyInfo.getInstance(spki));
        } catch (Exception e) {
            return null;
        }
    }

    /**
     * Whether the certificate names one of the reference identifiers (RFC 7672 §3.2.3, RFC 6125): DNS
     * subject alternative names, or the subject CN when there are none; a {@code *} is accepted only as
     * the whole leftmost label and matches exactly one label.
     */
    static boolean namesMatch(X509Certificate cert, Collection<String> referenceNames) {
        List<String> presented = presentedNames(cert);
        for (String ref : referenceNames) {
            boolean parent = ref.startsWith(".");
            String ascii = DomainNames.toAsciiOrNull(parent ? ref.substring(1) : ref);
            if (ascii == null) {
                continue;
            }
            String wanted = parent ? "." + ascii : ascii;
            for (String name : presented) {
                if (nameMatches(name, wanted)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean nameMatches(String presented, String wanted) {
        if (wanted.startsWith(".")) {
            String host = presented.startsWith("*.") ? presented.substring(2) : presented;
            return host.endsWith(wanted) && host.length() > wanted.length() || presented.equals("*" + wanted);
        }
        if (presented.startsWith("*.")) {
            return MtaStsPolicy.matches(presented, wanted);
        }
        return presented.equals(wanted);
    }

    private static List<String> presentedNames(X509Certificate cert) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> alt = cert.getSubjectAlternativeNames();
            if (alt != null) {
                for (List<?> entry : alt) {
                    if (entry.size() >= 2 && Integer.valueOf(2).equals(entry.get(0)) && entry.get(1) instanceof String) {
                        names.add(normalise((String) entry.get(1)));
                    }
                }
            }
        } catch (CertificateException e) {
            return names;
        }
        if (names.isEmpty()) {
            try {
                X500Name subject = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
                for (RDN rdn : subject.getRDNs(BCStyle.CN)) {
                    names.add(normalise(IETFUtils.valueToString(rdn.getFirst().getValue())));
                }
            } catch (RuntimeException e) {
                return names;
            }
        }
        return names;
    }

    private static String normalise(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    /** Lazily computed selector content and digests of one certificate. */
    private static final class Selected {
        private final X509Certificate cert;
        private final byte[][][] cache = new byte[2][3][];

        Selected(X509Certificate cert) {
            this.cert = cert;
        }

        boolean matches(TlsaRecord r) {
            byte[] value = value(r.selector(), r.matchingType());
            return value != null && MessageDigest.isEqual(value, r.data());
        }

        private byte[] value(int selector, int matchingType) {
            byte[] v = cache[selector][matchingType];
            if (v == null) {
                try {
                    byte[] content = selector == TlsaRecord.SELECTOR_CERT
                            ? cert.getEncoded() : cert.getPublicKey().getEncoded();
                    v = matchingType == TlsaRecord.MATCHING_FULL ? content
                            : MessageDigest.getInstance(matchingType == TlsaRecord.MATCHING_SHA256
                                    ? "SHA-256" : "SHA-512").digest(content);
                } catch (CertificateException | NoSuchAlgorithmException | RuntimeException e) {
                    return null;
                }
                cache[selector][matchingType] = v;
            }
            return v;
        }
    }
}
