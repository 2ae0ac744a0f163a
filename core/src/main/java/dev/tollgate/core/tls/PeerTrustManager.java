package dev.tollgate.core.tls;

import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.X509TrustManager;

/**
 * Checks the server certificate of one SMTP connection as its TLS level says: nothing ({@code may},
 * {@code encrypt}: unauthenticated encryption) or a PKIX chain to a trust anchor followed by a host name
 * check against the accepted names ({@code verify}, {@code mta-sts}). Names are the DNS-ID subjectAltNames
 * (the subject CN only when there is none), matched case-insensitively, with a {@code *} wildcard standing for
 * exactly one whole left-most label (RFC 6125 §6.4.3, RFC 8461 §4.1).
 *
 * <p>A mismatch throws {@code CertificateException("No subject alternative DNS name matching ... found.")},
 * the wording {@link dev.tollgate.core.tls.TlsFailureClassifier} maps to {@code certificate-host-mismatch}.
 * <p>In report-only mode (MTA-STS {@code testing}, RFC 8461 §5) the same checks run, but a failure is only
 * remembered ({@link #observedFailure()}) and the handshake goes on, so the mail is delivered and the failure
 * reported (TLS-RPT). One instance per connection.
 */
public final class PeerTrustManager extends ServerTrustManager {
    private static final X509Certificate[] NONE = new X509Certificate[0];

    private final X509TrustManager pkix;
    private final List<String> acceptedNames;
    private final boolean reportOnly;
    private volatile CertificateException observed;

    /**
     * @param pkix          the chain validator, or null to accept any certificate
     * @param acceptedNames lower-case A-label names, or {@code .parent} for any subdomain; ignored without pkix
     */
    public PeerTrustManager(X509TrustManager pkix, List<String> acceptedNames) {
        this(pkix, acceptedNames, false);
    }

    /**
     * @param reportOnly true to remember a failed check instead of failing the handshake
     */
    public PeerTrustManager(X509TrustManager pkix, List<String> acceptedNames, boolean reportOnly) {
        this.pkix = pkix;
        this.acceptedNames = List.copyOf(acceptedNames);
        this.reportOnly = reportOnly;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (pkix == null) {
            return;
        }
        try {
            pkix.checkServerTrusted(chain, authType);
            checkName(chain[0]);
        } catch (CertificateException e) {
            if (!reportOnly) {
                throw e;
            }
            observed = e;
        }
    }

    /** @return in report-only mode, the check that failed during the handshake; null when none failed */
    public CertificateException observedFailure() {
        return observed;
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return pkix == null ? NONE : pkix.getAcceptedIssuers();
    }

    public void checkName(X509Certificate leaf) throws CertificateException {
        List<String> presented = dnsNames(leaf);
        for (String name : presented) {
            for (String accepted : acceptedNames) {
                if (matches(name, accepted)) {
                    return;
                }
            }
        }
        throw new CertificateException("No subject alternative DNS name matching "
                + String.join(" or ", acceptedNames) + " found.");
    }

    public static List<String> dnsNames(X509Certificate leaf) throws CertificateParsingException {
        List<String> names = new ArrayList<>();
        Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
        if (sans != null) {
            for (List<?> san : sans) {
                if (san.size() >= 2 && Integer.valueOf(2).equals(san.get(0)) && san.get(1) instanceof String) {
                    names.add(((String) san.get(1)).toLowerCase(Locale.ROOT));
                }
            }
        }
        if (names.isEmpty()) {
            try {
                for (Rdn rdn : new LdapName(leaf.getSubjectX500Principal().getName()).getRdns()) {
                    if (rdn.getType().equalsIgnoreCase("CN")) {
                        names.add(rdn.getValue().toString().toLowerCase(Locale.ROOT));
                    }
                }
            } catch (InvalidNameException e) {
                // no usable CN
            }
        }
        return names;
    }

    /**
     * @param presented a name from the certificate, lower case, possibly {@code *.example.com}
     * @param accepted  a host name, or {@code .parent} for any name below parent
     */
    public static boolean matches(String presented, String accepted) {
        String name = stripDot(presented);
        if (accepted.startsWith(".")) {
            String parent = accepted.substring(1);
            String concrete = name.startsWith("*.") ? name.substring(2) : name;
            return concrete.endsWith("." + parent) || name.startsWith("*.") && concrete.equals(parent);
        }
        String host = stripDot(accepted);
        if (name.startsWith("*.")) {
            int dot = host.indexOf('.');
            return dot > 0 && host.substring(dot + 1).equals(name.substring(2)) && name.substring(2).contains(".");
        }
        return name.equals(host);
    }

    private static String stripDot(String s) {
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
