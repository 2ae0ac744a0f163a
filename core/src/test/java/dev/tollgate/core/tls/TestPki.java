package dev.tollgate.core.tls;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Real certificates for tests, generated with Bouncy Castle: EC P-256 keys, SHA-256 signatures. */
final class TestPki {
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final AtomicLong SERIAL = new AtomicLong(1000);

    /** A certificate and its key. */
    static final class Issued {
        final X509Certificate cert;
        final KeyPair keys;

        Issued(X509Certificate cert, KeyPair keys) {
            this.cert = cert;
            this.keys = keys;
        }
    }

    private TestPki() {
    }

    static KeyPair ecKeys() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Issued root(String cn) {
        KeyPair keys = ecKeys();
        return new Issued(build(cn, keys.getPublic(), cn, keys.getPrivate(), true, NOW.minus(Duration.ofDays(365)),
                NOW.plus(Duration.ofDays(3650)), List.of()), keys);
    }

    static Issued intermediate(String cn, Issued issuer) {
        KeyPair keys = ecKeys();
        return new Issued(build(cn, keys.getPublic(), name(issuer), issuer.keys.getPrivate(), true,
                NOW.minus(Duration.ofDays(30)), NOW.plus(Duration.ofDays(365)), List.of()), keys);
    }

    static Issued leaf(String cn, Issued issuer, List<GeneralName> altNames) {
        return leaf(cn, issuer, altNames, NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(90)));
    }

    static Issued leaf(String cn, Issued issuer, List<GeneralName> altNames, Instant notBefore, Instant notAfter) {
        KeyPair keys = ecKeys();
        return new Issued(build(cn, keys.getPublic(), name(issuer), issuer.keys.getPrivate(), false,
                notBefore, notAfter, altNames), keys);
    }

    static List<GeneralName> dns(String... names) {
        List<GeneralName> out = new ArrayList<>();
        for (String n : names) {
            out.add(new GeneralName(GeneralName.dNSName, n));
        }
        return out;
    }

    private static String name(Issued issued) {
        return issued.cert.getSubjectX500Principal().getName();
    }

    private static X509Certificate build(String subjectCn, PublicKey subjectKey, String issuerDn, PrivateKey issuerKey,
            boolean ca, Instant notBefore, Instant notAfter, List<GeneralName> altNames) {
        try {
            String subjectDn = subjectCn.contains("=") ? subjectCn : "CN=" + subjectCn;
            String issuer = issuerDn.contains("=") ? issuerDn : "CN=" + issuerDn;
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                    BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(notBefore), Date.from(notAfter),
                    new X500Name(subjectDn), subjectKey);
            b.addExtension(Extension.basicConstraints, true, ca ? new BasicConstraints(1) : new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, ca
                    ? new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)
                    : new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            if (!altNames.isEmpty()) {
                b.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(altNames.toArray(new GeneralName[0])));
            }
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A server-side context presenting {@code leaf} with its chain (leaf first). */
    static SSLContext serverContext(Issued leaf, X509Certificate... chainAfterLeaf) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        X509Certificate[] chain = new X509Certificate[chainAfterLeaf.length + 1];
        chain[0] = leaf.cert;
        System.arraycopy(chainAfterLeaf, 0, chain, 1, chainAfterLeaf.length);
        char[] pw = "test".toCharArray();
        ks.setKeyEntry("server", leaf.keys.getPrivate(), pw, chain);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pw);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, new SecureRandom());
        return ctx;
    }

    /** A client-side context trusting only {@code anchor}. */
    static SSLContext clientContext(X509Certificate anchor) throws Exception {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("anchor", anchor);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), new SecureRandom());
        return ctx;
    }
}
