package dev.tollgate.core.dlp.content;

import static dev.tollgate.core.dlp.content.TestMessages.parse;
import static dev.tollgate.core.dlp.content.TestMessages.withAttachment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import javax.mail.internet.MimeMessage;

import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSAuthEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.tollgate.core.dlp.smime.SmimeEncryptor;
import dev.tollgate.core.testing.SmimeTestKeys;

/**
 * Sender-encrypted content (S/MIME, OpenPGP) is unscannable with reason ENCRYPTED at the part that holds it;
 * signed-only content, keys and the words "BEGIN PGP MESSAGE" are not. The OpenPGP files are GnuPG 2 output
 * for a throw-away key (see the README beside them).
 */
class SenderEncryptionTest {
    static final String PLAIN = "From: alice@example.com\r\nTo: bob@partner.example\r\nSubject: list\r\n"
            + "Message-ID: <e1@example.com>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            + "card 4111 1111 1111 1111\r\n";
    static SmimeTestKeys bob;
    final MimeContentExtractor extractor = MimeContentExtractor.builder().build();

    @BeforeAll
    static void keys() throws Exception {
        bob = SmimeTestKeys.generate("bob@partner.example");
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = SenderEncryptionTest.class.getResourceAsStream("/dev/tollgate/core/dlp/openpgp/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return in.readAllBytes();
        }
    }

    static byte[] wire(MimeMessage m) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeTo(out);
        return out.toByteArray();
    }

    static byte[] envelopedDer() throws Exception {
        MimeMessage smime = SmimeEncryptor.encrypt(parse(PLAIN), List.of(bob.certificate()));
        return parse(wire(smime)).getInputStream().readAllBytes();
    }

    static byte[] authEnvelopedDer() throws Exception {
        CMSAuthEnvelopedDataGenerator gen = new CMSAuthEnvelopedDataGenerator();
        gen.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(bob.certificate()));
        return gen.generate(new CMSProcessableByteArray("card 4111 1111 1111 1111".getBytes(StandardCharsets.US_ASCII)),
                (org.bouncycastle.operator.OutputAEADEncryptor) new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_GCM)
                        .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider()).build()).getEncoded();
    }

    static byte[] signedDataDer() throws Exception {
        CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
        gen.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(bob.privateKey()), bob.certificate()));
        return gen.generate(new CMSProcessableByteArray("card 4111 1111 1111 1111".getBytes(StandardCharsets.US_ASCII)),
                true).getEncoded();
    }

    static List<Unscannable> encrypted(ExtractedContent c) {
        return c.unscannable().stream().filter(Unscannable::isEncryptedMessage).collect(java.util.stream.Collectors.toList());
    }

    // ---- the detector on its own

    @Test
    void cmsEnvelopedAndAuthEnvelopedAreEncryptedSignedDataIsNot() throws Exception {
        byte[] enveloped = envelopedDer();
        assertThat(SenderEncryption.binary(enveloped, enveloped.length)).contains("S/MIME enveloped-data (CMS, RFC 5652)");
        byte[] auth = authEnvelopedDer();
        assertThat(SenderEncryption.binary(auth, auth.length))
                .contains("S/MIME authenticated enveloped-data (CMS, RFC 5083)");
        byte[] signed = signedDataDer();
        assertThat(SenderEncryption.binary(signed, signed.length)).isEmpty();
        // only the head of a large file is given: the content type is read, the outer length is not checked
        assertThat(SenderEncryption.binary(enveloped, 40)).isPresent();
        assertThat(SenderEncryption.binary(enveloped, 8)).isEmpty();
        // hostile lengths are not believed: a 2 GiB "content type" is neither allocated nor read
        byte[] hostile = {0x30, (byte) 0x80, 0x06, (byte) 0x84, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2, 3};
        assertThat(SenderEncryption.binary(hostile, hostile.length)).isEmpty();
        byte[] longLength = {0x30, (byte) 0x89, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0x06, 0x09};
        assertThat(SenderEncryption.binary(longLength, longLength.length)).isEmpty();
    }

    @Test
    void openPgpBinaryEncryptedToAKeyOrAPassphraseIsEncrypted() throws Exception {
        byte[] pk = resource("encrypted.gpg");
        byte[] sym = resource("symmetric.gpg");
        assertThat(SenderEncryption.binary(pk, pk.length)).contains("OpenPGP encrypted message");
        assertThat(SenderEncryption.binary(sym, sym.length)).contains("OpenPGP encrypted message");
        // a session key packet cut by the end of the head still counts; a lone header byte does not
        assertThat(SenderEncryption.binary(pk, 20)).isPresent();
        assertThat(SenderEncryption.binary(pk, 1)).isEmpty();
    }

    @Test
    void openPgpSignaturesKeysAndLookAlikesAreNotEncrypted() throws Exception {
        for (String name : List.of("signed-only.asc", "clearsigned.asc", "detached.sig", "public-key.asc")) {
            String text = new String(resource(name), StandardCharsets.US_ASCII);
            assertThat(SenderEncryption.armoured(text)).as(name).isEmpty();
            byte[] packets = dearmour(text);
            assertThat(SenderEncryption.binary(packets, packets.length)).as(name + " dearmoured").isEmpty();
        }
        // a session key packet header with an unknown version, and one with no packets after a random first byte
        assertThat(SenderEncryption.binary(new byte[] {(byte) 0x85, 1, 12, 9, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 13)).isEmpty();
        assertThat(SenderEncryption.binary(new byte[] {(byte) 0x85}, 1)).isEmpty();
        assertThat(SenderEncryption.binary("plain text".getBytes(StandardCharsets.US_ASCII), 10)).isEmpty();
    }

    @Test
    void armourMustBeAWholeBlockOfEncryptedPackets() throws Exception {
        String real = new String(resource("encrypted.asc"), StandardCharsets.US_ASCII);
        assertThat(SenderEncryption.armoured(real)).contains("OpenPGP encrypted message, ASCII-armoured");
        assertThat(SenderEncryption.armoured("Hi,\r\n\r\n" + real.replace("\n", "\r\n") + "\r\nBye"))
                .as("CRLF, inside a letter").isPresent();
        assertThat(SenderEncryption.armoured("Paste the -----BEGIN PGP MESSAGE----- block here, up to "
                + "-----END PGP MESSAGE-----")).as("words in a sentence").isEmpty();
        assertThat(SenderEncryption.armoured(real.substring(0, real.indexOf("-----END")))).as("no END line").isEmpty();
        String fake = "-----BEGIN PGP MESSAGE-----\n\n"
                + Base64.getMimeEncoder().encodeToString("card 4111 1111 1111 1111".getBytes(StandardCharsets.US_ASCII))
                + "\n-----END PGP MESSAGE-----\n";
        assertThat(SenderEncryption.armoured(fake)).as("armour around plain text").isEmpty();
    }

    static byte[] dearmour(String text) {
        String[] lines = text.split("\r?\n");
        StringBuilder b64 = new StringBuilder();
        boolean body = false;
        for (String l : lines) {
            if (l.startsWith("-----BEGIN PGP SIGNATURE") || l.startsWith("-----BEGIN PGP MESSAGE")
                    || l.startsWith("-----BEGIN PGP PUBLIC")) {
                body = false;
                b64.setLength(0);
                continue;
            }
            if (!body && l.isEmpty()) {
                body = true;
                continue;
            }
            if (body && !l.startsWith("=") && !l.startsWith("-----")) {
                b64.append(l);
            }
            if (l.startsWith("-----END")) {
                break;
            }
        }
        return Base64.getMimeDecoder().decode(b64.toString());
    }

    // ---- every form in a message, reported at the part that holds it

    @Test
    void smimeEnvelopedMessageIsUnscannableAtItsPart() throws Exception {
        MimeMessage smime = parse(wire(SmimeEncryptor.encrypt(parse(PLAIN), List.of(bob.certificate()))));
        ExtractedContent c = extractor.extract(smime);
        assertThat(encrypted(c)).extracting(Unscannable::location, Unscannable::reason).containsExactly(
                tuple("attachment:smime.p7m", Unscannable.Reason.ENCRYPTED));
    }

    @Test
    void xPkcs7MimeAuthEnvelopedWithoutSmimeTypeIsRecognisedByItsContent() throws Exception {
        String raw = "Subject: s\r\nMIME-Version: 1.0\r\nContent-Type: application/x-pkcs7-mime\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n" + Base64.getMimeEncoder().encodeToString(authEnvelopedDer())
                + "\r\n";
        ExtractedContent c = extractor.extract(parse(raw));
        assertThat(encrypted(c)).extracting(Unscannable::location, Unscannable::detail).containsExactly(
                tuple("attachment[1]", "S/MIME authenticated enveloped-data (CMS, RFC 5083)"));
    }

    @Test
    void p7mAttachmentIsRecognisedByContentAndSignedDataIsNot() throws Exception {
        ExtractedContent enveloped = extractor.extract(withAttachment("see attached", envelopedDer(), "report.p7m",
                "application/octet-stream"));
        assertThat(encrypted(enveloped)).extracting(Unscannable::location).containsExactly("attachment:report.p7m");
        ExtractedContent signed = extractor.extract(withAttachment("see attached", signedDataDer(), "report.p7m",
                "application/pkcs7-mime; smime-type=signed-data"));
        assertThat(signed.unscannable()).isEmpty();
        // a declared enveloped type over plain text is read as text, not believed
        ExtractedContent liar = extractor.extract(withAttachment("x", "card 4111 1111 1111 1111".getBytes(
                StandardCharsets.US_ASCII), "smime.p7m", "application/pkcs7-mime; smime-type=enveloped-data"));
        assertThat(liar.unscannable()).isEmpty();
    }

    @Test
    void textInTheClearBehindAnEncryptedHeaderIsScannedAllTheSame() throws Exception {
        // a CMS enveloped-data header (indefinite length) followed by a MIME body in the clear
        byte[] header = {0x30, (byte) 0x80, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01,
            0x07, 0x03, (byte) 0xa0};
        byte[] clear = "Content-Type: text/plain\r\n\r\ncard 4111 1111 1111 1111".getBytes(StandardCharsets.US_ASCII);
        byte[] fake = new byte[header.length + clear.length];
        System.arraycopy(header, 0, fake, 0, header.length);
        System.arraycopy(clear, 0, fake, header.length, clear.length);
        ExtractedContent c = extractor.extract(withAttachment("x", fake, "smime.p7m",
                "application/pkcs7-mime; smime-type=enveloped-data"));
        assertThat(encrypted(c)).extracting(Unscannable::location).containsExactly("attachment:smime.p7m");
        assertThat(c.segments()).filteredOn(s -> s.location().equals("attachment:smime.p7m \u2192 text runs"))
                .singleElement().satisfies(s -> assertThat(s.text().toString()).contains("card 4111 1111 1111 1111"));
        // a real enveloped message: its ciphertext carries no text worth scanning
        ExtractedContent real = extractor.extract(withAttachment("x", envelopedDer(), "report.p7m",
                "application/octet-stream"));
        assertThat(real.segments()).filteredOn(s -> s.location().endsWith("text runs"))
                .allSatisfy(s -> assertThat(s.text().toString()).doesNotContainPattern("\\d{6}"));
    }

    @Test
    void rfc3156MultipartEncryptedIsUnscannableAtTheEncryptedPart() throws Exception {
        String raw = "Subject: s\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=b\r\n\r\n"
                + "--b\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n"
                + "--b\r\nContent-Type: application/octet-stream; name=\"encrypted.asc\"\r\n"
                + "Content-Disposition: inline; filename=\"encrypted.asc\"\r\n\r\n"
                + new String(resource("encrypted.asc"), StandardCharsets.US_ASCII) + "\r\n--b--\r\n";
        ExtractedContent c = extractor.extract(parse(raw));
        assertThat(encrypted(c)).extracting(Unscannable::location, Unscannable::reason).containsExactly(
                tuple("attachment:encrypted.asc", Unscannable.Reason.ENCRYPTED));
    }

    @Test
    void multipartEncryptedOfAnUnknownProtocolIsUnscannableItselfAndItsPartsAreStillRead() throws Exception {
        String raw = "Subject: s\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/encrypted; protocol=\"application/x-other\"; boundary=b\r\n\r\n"
                + "--b\r\nContent-Type: application/x-other\r\n\r\nVersion: 1\r\n"
                + "--b\r\nContent-Type: text/plain\r\n\r\ncard 4111 1111 1111 1111\r\n--b--\r\n";
        ExtractedContent c = extractor.extract(parse(raw));
        assertThat(encrypted(c)).extracting(Unscannable::location).containsExactly("multipart");
        assertThat(MimeContentExtractorTest.all(c)).contains("4111 1111 1111 1111");
    }

    @Test
    void inlineArmouredMessageInATextBodyIsUnscannableAtTheBody() throws Exception {
        String raw = "Subject: s\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n"
                + "Hi,\r\n\r\n" + new String(resource("encrypted.asc"), StandardCharsets.US_ASCII).replace("\n", "\r\n");
        ExtractedContent c = extractor.extract(parse(raw));
        assertThat(encrypted(c)).extracting(Unscannable::location).containsExactly("body[1]");
    }

    @Test
    void armouredMessageInsideHtmlIsUnscannableAtTheHtmlPart() throws Exception {
        String armour = new String(resource("encrypted.asc"), StandardCharsets.US_ASCII);
        String pre = "<html><body><p>Hi,</p><pre>" + armour.replace("\n", "\r\n") + "</pre><p>Bye</p></body></html>";
        String html = "Subject: s\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=us-ascii\r\n\r\n" + pre;
        assertThat(encrypted(extractor.extract(parse(html)))).extracting(Unscannable::location).containsExactly("body[1]");
        // one line per paragraph or <br>, as some clients paste it
        String paragraphs = "<div>" + String.join("<br>", armour.split("\n")) + "</div>";
        String alternative = "Subject: s\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=b\r\n\r\n"
                + "--b\r\nContent-Type: text/plain\r\n\r\nsee the HTML part\r\n"
                + "--b\r\nContent-Type: text/html\r\n\r\n" + paragraphs + "\r\n--b--\r\n";
        assertThat(encrypted(extractor.extract(parse(alternative)))).extracting(Unscannable::location)
                .containsExactly("body[2]");
        assertThat(encrypted(extractor.extract(withAttachment("x", pre.getBytes(StandardCharsets.US_ASCII), "mail.html",
                "text/html")))).extracting(Unscannable::location).containsExactly("attachment:mail.html");
        // counter-cases: the armour line inside a sentence, and a signed-only armour, are not encryption
        String mention = "Subject: s\r\nContent-Type: text/html\r\n\r\n<p>Paste the -----BEGIN PGP MESSAGE----- block</p>"
                + "<pre>" + new String(resource("signed-only.asc"), StandardCharsets.US_ASCII) + "</pre>";
        assertThat(encrypted(extractor.extract(parse(mention)))).isEmpty();
    }

    @Test
    void pgpAndGpgAndAscAttachmentsAreRecognisedByContentNotName() throws Exception {
        assertThat(encrypted(extractor.extract(withAttachment("x", resource("encrypted.gpg"), "data.gpg",
                "application/pgp-encrypted")))).extracting(Unscannable::location).containsExactly("attachment:data.gpg");
        assertThat(encrypted(extractor.extract(withAttachment("x", resource("symmetric.gpg"), "holiday.jpg",
                "image/jpeg")))).extracting(Unscannable::location).containsExactly("attachment:holiday.jpg");
        assertThat(encrypted(extractor.extract(withAttachment("x", resource("encrypted.asc"), "notes.asc",
                "application/pgp-encrypted")))).extracting(Unscannable::location).containsExactly("attachment:notes.asc");
        assertThat(encrypted(extractor.extract(withAttachment("x", "card 4111 1111 1111 1111".getBytes(
                StandardCharsets.US_ASCII), "data.pgp", "application/pgp-encrypted")))).isEmpty();
    }

    @Test
    void signedOnlyMessagesKeysAndMentionsAreNotEncrypted() throws Exception {
        String signedMultipart = "Subject: s\r\nMIME-Version: 1.0\r\nContent-Type: multipart/signed; "
                + "protocol=\"application/pgp-signature\"; micalg=pgp-sha256; boundary=b\r\n\r\n"
                + "--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n"
                + "--b\r\nContent-Type: application/pgp-signature; name=\"signature.asc\"\r\n\r\n"
                + new String(resource("detached.sig"), StandardCharsets.US_ASCII) + "\r\n--b--\r\n";
        assertThat(extractor.extract(parse(signedMultipart)).unscannable()).isEmpty();
        String body = "Subject: s\r\nContent-Type: text/plain\r\n\r\n"
                + new String(resource("clearsigned.asc"), StandardCharsets.US_ASCII) + "\r\n"
                + new String(resource("public-key.asc"), StandardCharsets.US_ASCII)
                + "\r\nTo reply, paste your -----BEGIN PGP MESSAGE----- block.\r\n";
        assertThat(extractor.extract(parse(body)).unscannable()).isEmpty();
        assertThat(extractor.extract(withAttachment("x", signedDataDer(), "smime.p7m",
                "application/pkcs7-mime; smime-type=signed-data")).unscannable()).isEmpty();
    }

    @Test
    void encryptedFileInsideAZipIsUnscannableAtTheEntry() throws Exception {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(zip)) {
            z.putNextEntry(new java.util.zip.ZipEntry("inner/data.bin"));
            z.write(resource("encrypted.gpg"));
            z.closeEntry();
        }
        ExtractedContent c = extractor.extract(withAttachment("x", zip.toByteArray(), "a.zip", "application/zip"));
        assertThat(encrypted(c)).extracting(Unscannable::location).containsExactly("attachment:a.zip!/inner/data.bin");
    }
}
