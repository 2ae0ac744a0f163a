package dev.tollgate.core.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Date;
import java.util.Properties;

import javax.mail.Session;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientId;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Test-only S/MIME keys: a self-signed RSA certificate for an address, and decryption of enveloped mail. */
public final class SmimeTestKeys {
    private final KeyPair keys;
    private final X509Certificate certificate;

    private SmimeTestKeys(KeyPair keys, X509Certificate certificate) {
        this.keys = keys;
        this.certificate = certificate;
    }

    /** @return a new 2048-bit RSA key with a one-year self-signed certificate for the address */
    public static SmimeTestKeys generate(String address) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair kp = g.generateKeyPair();
        Instant now = Instant.now();
        X500Name name = new X500Name("CN=" + address + ",E=" + address);
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(1, ChronoUnit.DAYS)), Date.from(now.plus(365, ChronoUnit.DAYS)), name, kp.getPublic());
        byte[] der = b.build(new JcaContentSignerBuilder("SHA256withRSA").build(kp.getPrivate())).getEncoded();
        X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
        return new SmimeTestKeys(kp, cert);
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public PrivateKey privateKey() {
        return keys.getPrivate();
    }

    /** @return the certificate in PEM */
    public String certificatePem() throws IOException {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(certificate);
        }
        return w.toString();
    }

    /**
     * Decrypts an {@code application/pkcs7-mime} enveloped message with this key.
     *
     * @return the inner MIME entity
     */
    public MimeBodyPart decrypt(MimeMessage message) throws Exception {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        try (InputStream in = message.getInputStream()) {
            in.transferTo(raw);
        }
        CMSEnvelopedData ed = new CMSEnvelopedData(raw.toByteArray());
        Collection<RecipientInformation> rs = ed.getRecipientInfos().getRecipients(new JceKeyTransRecipientId(certificate));
        if (rs.isEmpty()) {
            throw new IllegalStateException("not encrypted to this certificate");
        }
        byte[] content = rs.iterator().next().getContent(new JceKeyTransEnvelopedRecipient(keys.getPrivate()));
        return new MimeBodyPart(new ByteArrayInputStream(content));
    }

    /** @return a message parsed from bytes */
    public static MimeMessage parse(byte[] bytes) throws Exception {
        return new MimeMessage(Session.getDefaultInstance(new Properties()), new ByteArrayInputStream(bytes));
    }
}
