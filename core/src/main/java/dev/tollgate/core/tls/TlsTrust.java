package dev.tollgate.core.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import dev.tollgate.core.config.ConfigException;

/**
 * The trust anchors outbound delivery verifies peers against: the configured trust store (PEM bundle
 * or PKCS#12) and, unless {@code useJvmTrustStore=false}, the JVM's default CAs, all in one PKIX trust
 * manager (so one validation decides, and its precise error is what gets classified).
 *
 * <p>Public for {@code tollgate tls-policy}, which fetches MTA-STS policies with the same trust. Immutable and
 * thread-safe.
 */
public final class TlsTrust {
    private final X509TrustManager pkix;
    private final int anchors;

    private TlsTrust(X509TrustManager pkix, int anchors) {
        this.pkix = pkix;
        this.anchors = anchors;
    }

    /**
     * @param useJvmTrustStore whether the JVM's default CAs are anchors too
     * @param trustStore       an extra anchors file, if any
     * @param type             how {@code trustStore} is read
     * @param password         the PKCS#12 password (ignored for PEM); the caller clears it afterwards
     * @throws ConfigException naming {@code trustStore} when the file is unreadable, has no certificate, or
     *     the PKCS#12 password is wrong
     */
    public static TlsTrust load(boolean useJvmTrustStore, Optional<Path> trustStore, TrustStoreType type,
            char[] password) {
        List<X509Certificate> certificates = new ArrayList<>();
        if (useJvmTrustStore) {
            certificates.addAll(List.of(jvmDefault().getAcceptedIssuers()));
        }
        if (trustStore.isPresent()) {
            certificates.addAll(read(trustStore.get(), type, password));
        }
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (X509Certificate c : certificates) {
                store.setCertificateEntry("anchor-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(store);
            return new TlsTrust(x509(tmf.getTrustManagers()), certificates.size());
        } catch (GeneralSecurityException | IOException e) {
            throw new ConfigException("trustStore", "cannot build the trust manager: " + e.getClass().getSimpleName(), e);
        }
    }

    private static List<X509Certificate> read(Path file, TrustStoreType type, char[] password) {
        if (!Files.isReadable(file)) {
            throw new ConfigException("trustStore", "file is missing or unreadable: " + file);
        }
        List<X509Certificate> out = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            if (type == TrustStoreType.PKCS12) {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(in, password);
                for (String alias : Collections.list(store.aliases())) {
                    Certificate c = store.getCertificate(alias);
                    if (c instanceof X509Certificate) {
                        out.add((X509Certificate) c);
                    }
                }
            } else {
                Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
                for (Certificate c : certs) {
                    out.add((X509Certificate) c);
                }
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException("trustStore", "cannot read " + type.name() + " trust store " + file
                    + " (" + e.getClass().getSimpleName() + ")", e);
        }
        if (out.isEmpty()) {
            throw new ConfigException("trustStore", "no certificate found in " + file);
        }
        return out;
    }

    private static X509TrustManager jvmDefault() {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init((KeyStore) null);
            return x509(tmf.getTrustManagers());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JVM has no default trust manager", e);
        }
    }

    private static X509TrustManager x509(TrustManager[] managers) {
        for (TrustManager m : managers) {
            if (m instanceof X509TrustManager) {
                return (X509TrustManager) m;
            }
        }
        throw new IllegalStateException("no X509TrustManager");
    }

    /** @return the PKIX trust manager over all anchors (no host name check) */
    public X509TrustManager pkix() {
        return pkix;
    }

    /** @return an SSL context trusting the same anchors (for HTTPS: the MTA-STS policy fetch, RFC 8461 §3.3) */
    public SSLContext sslContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {pkix}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create a TLS context", e);
        }
    }

    /** @return how many trust anchors were loaded */
    public int anchors() {
        return anchors;
    }
}
