package dev.tollgate.core.dlp.smime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tollgate.core.testing.SmimeTestKeys;

class SmimeEncryptorTest {
    private static final String MAIL = "From: alice@example.com\r\nTo: bob@partner.example\r\nSubject: invoice\r\n"
            + "Message-ID: <m1@example.com>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            + "card 4111 1111 1111 1111\r\n";

    @Test
    void encryptedMessageDecryptsWithEachRecipientKey() throws Exception {
        SmimeTestKeys bob = SmimeTestKeys.generate("bob@partner.example");
        SmimeTestKeys carol = SmimeTestKeys.generate("carol@partner.example");
        MimeMessage in = SmimeTestKeys.parse(MAIL.getBytes(StandardCharsets.UTF_8));
        MimeMessage out = SmimeEncryptor.encrypt(in, List.of(bob.certificate(), carol.certificate()));

        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        out.writeTo(wire);
        String text = wire.toString(StandardCharsets.US_ASCII);
        assertThat(text).doesNotContain("4111").contains("smime-type=enveloped-data")
                .contains("Content-Transfer-Encoding: base64").contains("Subject: invoice");
        MimeMessage received = SmimeTestKeys.parse(wire.toByteArray());
        assertThat(received.getContentType()).startsWith("application/pkcs7-mime");
        assertThat(received.getMessageID()).isEqualTo("<m1@example.com>");
        for (SmimeTestKeys k : List.of(bob, carol)) {
            MimeBodyPart inner = k.decrypt(received);
            assertThat(inner.getContentType()).startsWith("text/plain");
            assertThat((String) inner.getContent()).contains("card 4111 1111 1111 1111");
        }
    }

    @Test
    void directoryFindsValidCertificatesByAddressOnly(@TempDir Path dir) throws Exception {
        SmimeTestKeys bob = SmimeTestKeys.generate("bob@partner.example");
        Files.writeString(dir.resolve("bob@partner.example.pem"), bob.certificatePem());
        Files.writeString(dir.resolve("broken@partner.example.pem"), "not a certificate");
        CertificateDirectory d = new CertificateDirectory(dir, Clock.systemUTC());
        assertThat(d.find("Bob@Partner.Example")).contains(bob.certificate());
        assertThat(d.has("carol@partner.example")).isFalse();
        assertThat(d.has("broken@partner.example")).isFalse();
        assertThat(d.has("../bob@partner.example")).isFalse();
        CertificateDirectory later = new CertificateDirectory(dir,
                Clock.fixed(Instant.now().plusSeconds(400L * 86400), ZoneOffset.UTC));
        assertThat(later.has("bob@partner.example")).as("expired").isFalse();
    }
}
