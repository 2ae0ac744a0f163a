package dev.tollgate.it;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.CMSSignerDigestMismatchException;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/** A throwaway S/MIME signer (RFC 8551 §3.5 detached CMS signatures) and verifier for tests, with Bouncy Castle. */
final class Smime {
    private final KeyPair keys;
    private final X509Certificate certificate;

    Smime(String subject) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        keys = g.generateKeyPair();
        X500Name name = new X500Name("CN=" + subject);
        long now = System.currentTimeMillis();
        certificate = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name, BigInteger.ONE,
                new Date(now - 86_400_000L), new Date(now + 86_400_000L), name, keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
    }

    /** @return a detached signature over {@code content}, base64 in CRLF lines */
    String sign(String content) throws Exception {
        CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
        gen.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate()), certificate));
        gen.addCertificates(new JcaCertStore(List.of(certificate)));
        byte[] der = gen.generate(new CMSProcessableByteArray(content.getBytes(StandardCharsets.US_ASCII)), false).getEncoded();
        return Base64.getMimeEncoder(76, new byte[] {'\r', '\n'}).encodeToString(der);
    }

    /**
     * Verifies a multipart/signed body as received: the bytes between the first two {@code --boundary}
     * delimiters against the signature in the second part.
     */
    boolean verifies(String body, String boundary) throws Exception {
        String delimiter = "--" + boundary;
        int first = body.indexOf(delimiter + "\r\n") + delimiter.length() + 2;
        int second = body.indexOf("\r\n" + delimiter, first);
        byte[] signed = body.substring(first, second).getBytes(StandardCharsets.ISO_8859_1);
        int sigStart = body.indexOf("\r\n\r\n", second + 2) + 4;
        int sigEnd = body.indexOf("\r\n" + delimiter + "--", sigStart);
        CMSSignedData cms = new CMSSignedData(new CMSProcessableByteArray(signed),
                Base64.getMimeDecoder().decode(body.substring(sigStart, sigEnd)));
        SignerInformation signer = cms.getSignerInfos().getSigners().iterator().next();
        try {
            return signer.verify(new JcaSimpleSignerInfoVerifierBuilder().build(certificate));
        } catch (CMSSignerDigestMismatchException changed) {
            return false;
        }
    }
}
