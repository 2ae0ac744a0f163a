package dev.tollgate.it.harness;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away certificate authority for container tests, generated with Bouncy Castle at run time (RSA 2048,
 * SHA-256): its PEM goes into James's trust store, server key stores (PKCS#12) go to test peers. Nothing is
 * committed; nothing outlives the test run.
 */
public final class TestCa {
    public static final String PASSWORD = "peer-test";
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private final KeyPair keys;
    private final X500Name name;
    private final X509Certificate cert;

    public TestCa(String cn) {
        this.keys = rsa();
        this.name = new X500Name("CN=" + cn);
        Instant now = Instant.now();
        this.cert = sign(name, name, keys, keys.getPrivate(),
                now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)), null, true);
    }

    /** @return the CA certificate */
    public X509Certificate certificate() {
        return cert;
    }

    /** @return the first certificate (the leaf) of a key store written by this class */
    public static X509Certificate leaf(Path keyStore) {
        try (java.io.InputStream in = Files.newInputStream(keyStore)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, PASSWORD.toCharArray());
            return (X509Certificate) ks.getCertificateChain(ks.aliases().nextElement())[0];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read key store " + keyStore, e);
        }
    }

    /** @return the CA certificate as PEM */
    public String pem() {
        return pem(cert);
    }

    /** A server certificate from this CA for {@code dnsName}, valid from {@code notBefore} to {@code notAfter}. */
    public Path serverKeyStore(Path dir, String file, String dnsName, Instant notBefore, Instant notAfter) {
        KeyPair leaf = rsa();
        X509Certificate c = sign(name, new X500Name("CN=" + dnsName), leaf, keys.getPrivate(), notBefore, notAfter, dnsName, false);
        return write(dir.resolve(file), leaf.getPrivate(), new Certificate[] {c, cert});
    }

    /** A server certificate valid now for several names (subjectAltName DNS entries), e.g. an HTTPS host. */
    public Path serverKeyStore(Path dir, String file, java.util.List<String> dnsNames) {
        KeyPair leaf = rsa();
        Instant now = Instant.now();
        X509Certificate c = sign(name, new X500Name("CN=" + dnsNames.get(0)), leaf, keys.getPrivate(),
                now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)), String.join(",", dnsNames), false);
        return write(dir.resolve(file), leaf.getPrivate(), new Certificate[] {c, cert});
    }

    /** A server certificate valid now (one day back, thirty days ahead). */
    public Path serverKeyStore(Path dir, String file, String dnsName) {
        Instant now = Instant.now();
        return serverKeyStore(dir, file, dnsName, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)));
    }

    /** A self-signed server certificate for {@code dnsName}, from no CA anybody trusts. */
    public static Path selfSignedKeyStore(Path dir, String file, String dnsName) {
        KeyPair leaf = rsa();
        Instant now = Instant.now();
        X509Certificate c = sign(new X500Name("CN=" + dnsName), new X500Name("CN=" + dnsName), leaf, leaf.getPrivate(),
                now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)), dnsName, false);
        return write(dir.resolve(file), leaf.getPrivate(), new Certificate[] {c});
    }

    private static Path write(Path file, PrivateKey key, Certificate[] chain) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("server", key, PASSWORD.toCharArray(), chain);
            Files.createDirectories(file.getParent());
            try (OutputStream out = Files.newOutputStream(file)) {
                ks.store(out, PASSWORD.toCharArray());
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot write key store", e);
        }
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate sign(X500Name issuer, X500Name subject, KeyPair subjectKeys, PrivateKey issuerKey,
            Instant notBefore, Instant notAfter, String dnsName, boolean ca) {
        try {
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer,
                    BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(notBefore), Date.from(notAfter), subject,
                    subjectKeys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (ca) {
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
                String[] names = dnsName.split(",");
                GeneralName[] general = new GeneralName[names.length];
                for (int i = 0; i < names.length; i++) {
                    general[i] = new GeneralName(GeneralName.dNSName, names[i]);
                }
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(general));
            }
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKey)));
        } catch (Exception e) {
            throw new IllegalStateException("cannot sign certificate", e);
        }
    }

    private static String pem(X509Certificate c) {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(c.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
