package dev.tollgate.james.links;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Date;

import javax.mail.internet.MimeMessage;

import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tollgate.james.testing.JamesMessages;

/**
 * Signed and otherwise untouchable content through {@link RewriteLinks} in enforce mode:
 * a real S/MIME multipart/signed message (RFC 8551 §3.5, detached CMS signature made with Bouncy Castle)
 * still verifies over the bytes written after the mailet; PGP/MIME and text/calendar bytes are unchanged;
 * DKIM-signed mail is covered by {@link RewriteLinksDkimTest}.
 */
class RewriteLinksSignedMailTest {
    private static KeyPair keys;
    private static X509Certificate certificate;

    @TempDir
    Path dir;

    @BeforeAll
    static void signer() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        keys = g.generateKeyPair();
        X500Name name = new X500Name("CN=alice@sender.test");
        ContentSigner self = new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate());
        certificate = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name,
                BigInteger.ONE, new Date(System.currentTimeMillis() - 86_400_000L),
                new Date(System.currentTimeMillis() + 86_400_000L), name, keys.getPublic()).build(self));
    }

    private RewriteLinks mailet(String... params) throws Exception {
        FakeMailetConfig.Builder config = FakeMailetConfig.builder().mailetName("RewriteLinks")
                .setProperty("redirectorUrl", "https://links.test")
                .setProperty("keyFile", dir.resolve("keys").toString());
        for (int i = 0; i < params.length; i += 2) {
            config.setProperty(params[i], params[i + 1]);
        }
        RewriteLinks m = new RewriteLinks();
        m.init(config.build());
        return m;
    }

    private static final String SIGNED_CONTENT = "Content-Type: multipart/alternative; boundary=\"inner\"\r\n\r\n"
            + "--inner\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSee https://shop.example/offer\r\n"
            + "--inner\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
            + "<p>See <a href=3D\"https://shop.example/offer?a=3D1\">the offer</a></p>\r\n--inner--\r\n";

    /** A detached CMS signature over {@code content}, base64 with CRLF lines. */
    private static String sign(byte[] content) throws Exception {
        CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
        gen.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate()), certificate));
        gen.addCertificates(new JcaCertStore(java.util.List.of(certificate)));
        byte[] der = gen.generate(new CMSProcessableByteArray(content), false).getEncoded();
        return Base64.getMimeEncoder(76, new byte[] {'\r', '\n'}).encodeToString(der);
    }

    /** Verifies the first part of the multipart/signed with boundary {@code outer} against its signature part. */
    private static boolean verifies(byte[] wire) throws Exception {
        String s = new String(wire, StandardCharsets.ISO_8859_1);
        String delimiter = "--outer";
        int first = s.indexOf(delimiter + "\r\n") + delimiter.length() + 2;
        int second = s.indexOf("\r\n" + delimiter, first);
        byte[] signedBytes = s.substring(first, second).getBytes(StandardCharsets.ISO_8859_1);
        int sigStart = s.indexOf("\r\n\r\n", second + 2) + 4;
        int sigEnd = s.indexOf("\r\n" + delimiter + "--", sigStart);
        byte[] der = Base64.getMimeDecoder().decode(s.substring(sigStart, sigEnd));
        CMSSignedData cms = new CMSSignedData(new CMSProcessableByteArray(signedBytes), der);
        SignerInformation signer = cms.getSignerInfos().getSigners().iterator().next();
        try {
            return signer.verify(new JcaSimpleSignerInfoVerifierBuilder().build(certificate));
        } catch (org.bouncycastle.cms.CMSSignerDigestMismatchException changed) {
            return false;
        }
    }

    private static String smime(String signedContent, String signature) {
        return "From: alice@sender.test\r\nTo: bob@example.com\r\nMessage-ID: <signed@sender.test>\r\nSubject: signed\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; "
                + "micalg=sha-256; boundary=\"outer\"\r\n\r\nThis is an S/MIME signed message\r\n"
                + "--outer\r\n" + signedContent + "\r\n--outer\r\n"
                + "Content-Type: application/pkcs7-signature; name=smime.p7s\r\nContent-Transfer-Encoding: base64\r\n"
                + "Content-Disposition: attachment; filename=smime.p7s\r\n\r\n" + signature + "\r\n--outer--\r\n";
    }

    private static Mail mail(String raw) throws Exception {
        return FakeMail.builder().name("m1")
                .mimeMessage(JamesMessages.parse(raw.getBytes(StandardCharsets.UTF_8)))
                .recipient("bob@example.com").build();
    }

    private static byte[] wire(MimeMessage m) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeTo(out);
        return out.toByteArray();
    }

    @Test
    void smimeSignedMailStillVerifiesAfterThePipeline() throws Exception {
        String raw = smime(SIGNED_CONTENT, sign(SIGNED_CONTENT.getBytes(StandardCharsets.US_ASCII)));
        assertThat(verifies(raw.getBytes(StandardCharsets.US_ASCII))).isTrue();
        Mail mail = mail(raw);
        mailet().service(mail);
        byte[] after = wire(mail.getMessage());
        assertThat(mail.getMessage().getHeader("X-Tollgate-Links")[0]).contains("rewritten=0").contains("skipped=1");
        assertThat(new String(after, StandardCharsets.US_ASCII)).contains(SIGNED_CONTENT);
        assertThat(verifies(after)).isTrue();
    }

    @Test
    void theVerifierWouldNoticeAChangedLink() throws Exception {
        String raw = smime(SIGNED_CONTENT, sign(SIGNED_CONTENT.getBytes(StandardCharsets.US_ASCII)));
        String tampered = raw.replace("offer?a=3D1", "offer?a=3D2");
        assertThat(verifies(tampered.getBytes(StandardCharsets.US_ASCII))).isFalse();
    }

    @Test
    void signedPartInsideMixedMailKeepsItsBytesWhileTheRestIsRewritten() throws Exception {
        String signature = sign(SIGNED_CONTENT.getBytes(StandardCharsets.US_ASCII));
        String signedPart = "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256; "
                + "boundary=\"outer\"\r\n\r\n--outer\r\n" + SIGNED_CONTENT + "\r\n--outer\r\n"
                + "Content-Type: application/pkcs7-signature; name=smime.p7s\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + signature + "\r\n--outer--\r\n";
        String calendar = "Content-Type: text/calendar; method=REQUEST; charset=utf-8\r\n\r\nBEGIN:VCALENDAR\r\n"
                + "BEGIN:VEVENT\r\nURL:https://meet.example/j/123\r\nDESCRIPTION:Join https://meet.example/j/123\r\n"
                + "END:VEVENT\r\nEND:VCALENDAR\r\n";
        String pgp = "Content-Type: multipart/signed; micalg=pgp-sha256; protocol=\"application/pgp-signature\"; "
                + "boundary=\"pgp\"\r\n\r\n--pgp\r\nContent-Type: text/html; charset=us-ascii\r\n\r\n"
                + "<a href=\"https://pgp.example/\">p</a>\r\n--pgp\r\nContent-Type: application/pgp-signature\r\n\r\n"
                + "-----BEGIN PGP SIGNATURE-----\r\n\r\niQEzBAEBCAAdFiEE\r\n-----END PGP SIGNATURE-----\r\n\r\n--pgp--\r\n";
        String raw = "From: alice@sender.test\r\nTo: bob@example.com\r\nMessage-ID: <mixed@sender.test>\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"mix\"\r\n\r\n"
                + "--mix\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<a href=\"https://plain.example/\">x</a>\r\n"
                + "--mix\r\n" + signedPart + "\r\n--mix\r\n" + calendar + "\r\n--mix\r\n" + pgp + "\r\n--mix--\r\n";
        Mail mail = mail(raw);
        mailet().service(mail);
        String after = new String(wire(mail.getMessage()), StandardCharsets.US_ASCII);
        assertThat(after).doesNotContain("https://plain.example/").contains("https://links.test/r/");
        assertThat(after).contains(signedPart).contains(calendar).contains(pgp);
        assertThat(verifies(after.substring(after.indexOf("Content-Type: multipart/signed; protocol=\"application/pkcs7"))
                .getBytes(StandardCharsets.US_ASCII))).isTrue();
        assertThat(mail.getMessage().getHeader("X-Tollgate-Links")[0]).contains("rewritten=1");
    }
}
