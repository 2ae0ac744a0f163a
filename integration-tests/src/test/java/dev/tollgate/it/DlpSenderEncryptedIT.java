package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;

import dev.tollgate.core.dlp.smime.SmimeEncryptor;
import dev.tollgate.core.testing.SmimeTestKeys;
import dev.tollgate.it.harness.JamesContainer;
import dev.tollgate.it.harness.Messages;
import dev.tollgate.it.harness.PartnerMx;
import dev.tollgate.it.harness.Teardown;

/**
 * Mail its sender encrypted, submitted over 587 by an authenticated user to an external recipient (whose MX is a
 * real SMTP sink), with the shipped conf/ and the shipped DLP policy: an S/MIME enveloped message (made with
 * Bouncy Castle) and an inline-PGP message are quarantined with the pseudo-rule {@code encrypted}, not delivered;
 * a clear message carrying a PGP public key block is delivered.
 */
class DlpSenderEncryptedIT {
    static final String DOMAIN = "corp.test";
    static final String ALICE = "alice@" + DOMAIN;
    static final String PASSWORD = "s3cret-Passw0rd";
    static final String DAVE = "dave@partner.test";
    static final String QUARANTINE = "memory://var/mail/dlp-quarantine/";
    static final Duration WAIT = Duration.ofSeconds(120);

    static Network network;
    static GenericContainer<?> sink;
    static GenericContainer<?> dns;
    static JamesContainer james;

    @BeforeAll
    static void start() {
        PartnerMx partner = PartnerMx.start("partner.test");
        network = partner.network();
        sink = partner.sink();
        dns = partner.dns();
        // the shipped policy: no tollgate-dlp-policy.xml of the test's own
        james = partner.james();
        james.start();
        james.webAdmin().addDomain(DOMAIN).addUser(ALICE, PASSWORD);
    }

    @AfterAll
    static void stop() {
        Teardown.stopAll(network, james, dns, sink);
    }

    static String openPgp(String name) throws Exception {
        try (InputStream in = DlpSenderEncryptedIT.class.getResourceAsStream("/dev/tollgate/core/dlp/openpgp/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).replace("\n", "\r\n");
        }
    }

    static byte[] smime(String subject) throws Exception {
        SmimeTestKeys dave = SmimeTestKeys.generate(DAVE);
        byte[] clear = Messages.text(ALICE, DAVE, subject, "The figures we spoke about, for your eyes only.");
        MimeMessage message = SmimeEncryptor.encrypt(SmimeTestKeys.parse(clear), List.of(dave.certificate()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        byte[] wire = out.toByteArray();
        // what the sender's client sends: S/MIME, nothing readable of the body
        MimeMessage check = new MimeMessage(Session.getInstance(new Properties()), new java.io.ByteArrayInputStream(wire));
        assertThat(check.getContentType()).contains("smime-type=enveloped-data");
        return wire;
    }

    @Test
    void smimeAndInlinePgpEncryptedMailIsQuarantinedAndAClearMailWithAKeyIsDelivered() throws Exception {
        String smimeSubject = "encrypted-smime-" + System.nanoTime();
        String pgpSubject = "encrypted-inline-pgp-" + System.nanoTime();
        String keySubject = "my-public-key-" + System.nanoTime();
        String htmlSubject = "encrypted-html-pgp-" + System.nanoTime();
        james.submit(ALICE, PASSWORD, smime(smimeSubject), DAVE);
        james.submit(ALICE, PASSWORD, Messages.text(ALICE, DAVE, pgpSubject, "Hi Dave,\r\n\r\n" + openPgp("encrypted.asc")),
                DAVE);
        // the armoured block in the <pre> of the HTML alternative, as an HTML mail client sends it
        String html = "From: " + ALICE + "\r\nTo: " + DAVE + "\r\nSubject: " + htmlSubject + "\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/alternative; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nHi Dave\r\n"
                + "--b\r\nContent-Type: text/html\r\n\r\n<html><body><p>Hi Dave,</p><pre>" + openPgp("encrypted.asc")
                + "</pre></body></html>\r\n--b--\r\n";
        james.submit(ALICE, PASSWORD, html.getBytes(StandardCharsets.US_ASCII), DAVE);
        james.submit(ALICE, PASSWORD, Messages.text(ALICE, DAVE, keySubject, "Here is my key.\r\n\r\n"
                + openPgp("public-key.asc")), DAVE);

        String delivered = PartnerMx.awaitStored(sink, keySubject, WAIT);
        assertThat(delivered).contains("BEGIN PGP PUBLIC KEY BLOCK");
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofSeconds(1))
                .until(() -> james.webAdmin().mailKeys(QUARANTINE).size() >= 3);
        List<String> keys = james.webAdmin().mailKeys(QUARANTINE);
        assertThat(keys).hasSize(3);
        List<String> subjects = new ArrayList<>();
        for (String key : keys) {
            HttpResponse<String> details = james.webAdmin().send("GET", DlpIT.repo(QUARANTINE) + "/mails/"
                    + URLEncoder.encode(key, StandardCharsets.UTF_8) + "?additionalFields=attributes", null);
            assertThat(details.body()).contains("\"dev.tollgate.dlp.rules\":\"encrypted\"")
                    .contains("\"dev.tollgate.dlp.verdict\":\"encrypted\"");
            String content = james.webAdmin().mailContent(QUARANTINE, key);
            for (String s : List.of(smimeSubject, pgpSubject, htmlSubject)) {
                if (content.contains(s)) {
                    subjects.add(s);
                }
            }
        }
        assertThat(subjects).containsExactlyInAnyOrder(smimeSubject, pgpSubject, htmlSubject);
        String sunk = sink.getLogs();
        assertThat(sunk).doesNotContain(smimeSubject).doesNotContain(pgpSubject).doesNotContain(htmlSubject);
        for (int i = 1; i <= PartnerMx.storedCount(sink); i++) {
            String m = sink.execInContainer("cat", "/peer/inbox/" + i + ".eml").getStdout();
            assertThat(m).doesNotContain(smimeSubject).doesNotContain(pgpSubject).doesNotContain(htmlSubject);
        }
        assertThat(james.logs()).contains("verdict=encrypted action=quarantine rules=encrypted");
    }
}
