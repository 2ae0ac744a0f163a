package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.Random;

import javax.mail.BodyPart;
import javax.mail.Multipart;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import dev.tollgate.it.harness.JamesContainer;
import dev.tollgate.it.harness.Messages;
import dev.tollgate.it.harness.SmtpClient;
import dev.tollgate.it.harness.SmtpClient.Reply;

/**
 * The foundation end to end: a James 3.8.1 container with the shipped conf/ and the drop-in bundle,
 * a real submission over 587 (STARTTLS + AUTH) and 465 (implicit TLS), read back over IMAPS with the
 * transport facts Tollgate recorded (SessionFactsHook → AddSecurityHeaders).
 */
@Testcontainers
class SubmissionIT {
    static final String DOMAIN = "tollgate.test";
    static final String ALICE = "alice@" + DOMAIN;
    static final String BOB = "bob@" + DOMAIN;
    static final String CAROL = "carol@" + DOMAIN;
    static final String PASSWORD = "s3cret-Passw0rd";
    static final Duration WAIT = Duration.ofSeconds(60);

    @Container
    static final JamesContainer JAMES = new JamesContainer();

    @BeforeAll
    static void users() {
        JAMES.webAdmin().addDomain(DOMAIN).addUser(ALICE, PASSWORD).addUser(BOB, PASSWORD).addUser(CAROL, PASSWORD)
                .addUser("dave@" + DOMAIN, PASSWORD);
    }

    @Test
    void submissionOverStartTlsIsDeliveredWithTransportFactsAndIntactAttachment() throws Exception {
        byte[] pdf = new byte[48 * 1024];
        new Random(42).nextBytes(pdf);
        byte[] message = Messages.multipartWithAttachment(ALICE, BOB, "Quarterly report 587", pdf, "report.pdf");

        try (SmtpClient smtp = JAMES.smtp(JamesContainer.SUBMISSION)) {
            assertThat(smtp.ehlo("client.test").text).contains("STARTTLS");
            assertThat(smtp.startTls().code).isEqualTo(220);
            assertThat(smtp.ehlo("client.test").text).contains("AUTH");
            assertThat(smtp.authPlain(ALICE, PASSWORD).code).isEqualTo(235);
            assertThat(smtp.mailFrom(ALICE).code).isEqualTo(250);
            assertThat(smtp.rcptTo(BOB).code).isEqualTo(250);
            assertThat(smtp.data(message).code).isEqualTo(250);
        }

        String received = JAMES.imap(BOB, PASSWORD).awaitMessageContaining("Quarterly report 587", WAIT);
        String header = headerLine(received, "X-Tollgate-Transport");
        assertThat(header).contains("tls=yes").contains("protocol=TLSv1.").contains("port=587").contains("user=" + ALICE);

        MimeMessage parsed = new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(received.getBytes(StandardCharsets.ISO_8859_1)));
        Multipart mixed = (Multipart) parsed.getContent();
        BodyPart attachment = mixed.getBodyPart(1);
        assertThat(attachment.getFileName()).isEqualTo("report.pdf");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        attachment.getDataHandler().writeTo(bytes);
        assertThat(bytes.toByteArray()).isEqualTo(pdf);
    }

    @Test
    void implicitTlsSubmissionOn465IsRecorded() {
        try (SmtpClient smtp = JAMES.smtp(JamesContainer.SMTPS)) {
            assertThat(smtp.isTls()).isTrue();
            smtp.ehlo("client.test");
            assertThat(smtp.authPlain(ALICE, PASSWORD).code).isEqualTo(235);
            assertThat(smtp.mailFrom(ALICE).code).isEqualTo(250);
            assertThat(smtp.rcptTo(CAROL).code).isEqualTo(250);
            assertThat(smtp.data(Messages.text(ALICE, CAROL, "Over 465", "hello")).code).isEqualTo(250);
        }
        String received = JAMES.imap(CAROL, PASSWORD).awaitMessageContaining("Over 465", WAIT);
        assertThat(headerLine(received, "X-Tollgate-Transport")).contains("tls=yes").contains("port=465").contains("user=" + ALICE);
    }

    @Test
    void forgedTransportHeaderFromTheInternetIsReplaced() {
        String forged = "X-Tollgate-Transport: tls=yes; protocol=TLSv1.3; port=587; user=ceo@" + DOMAIN;
        try (SmtpClient smtp = JAMES.smtp(JamesContainer.SMTP)) {
            smtp.ehlo("mx.sender.test");
            assertThat(smtp.mailFrom("someone@sender.test").code).isEqualTo(250);
            assertThat(smtp.rcptTo(BOB).code).isEqualTo(250);
            assertThat(smtp.data(Messages.text("someone@sender.test", BOB, "Forged facts", "hi", forged)).code).isEqualTo(250);
        }
        String received = JAMES.imap(BOB, PASSWORD).awaitMessageContaining("Forged facts", WAIT);
        List<String> headers = headerLines(received, "X-Tollgate-Transport");
        assertThat(headers).hasSize(1);
        assertThat(headers.get(0)).contains("tls=no").contains("port=25").doesNotContain("user=").doesNotContain("ceo@");
    }

    @Test
    void webAdminQueueListingsDoNotEmptyOrStopTheSpool() {
        // James 3.8.1 defect: one listing of an in-memory queue's mails releases a reference too many and can
        // clear and stop the queue; TlsPolicyDelivery pins the spool and its own queue (MemoryQueuePin).
        for (int i = 0; i < 3; i++) {
            assertThat(JAMES.webAdmin().send("GET", "/mailQueues/spool/mails", null).statusCode()).isEqualTo(200);
            assertThat(JAMES.webAdmin().send("GET", "/mailQueues/tollgate-outgoing/mails", null).statusCode()).isEqualTo(200);
        }
        try (SmtpClient smtp = JAMES.smtp(JamesContainer.SMTP)) {
            smtp.ehlo("mx.sender.test");
            assertThat(smtp.mailFrom("someone@sender.test").code).isEqualTo(250);
            assertThat(smtp.rcptTo(BOB).code).isEqualTo(250);
            assertThat(smtp.data(Messages.text("someone@sender.test", BOB, "After queue listings", "hi")).code).isEqualTo(250);
        }
        assertThat(JAMES.imap(BOB, PASSWORD).awaitMessageContaining("After queue listings", WAIT)).contains("hi");
        assertThat(JAMES.logs()).contains("tollgate.queue pinned in-memory queue spool");
    }

    @Test
    void mxPortRefusesAuthAndRelay() {
        String token = java.util.Base64.getEncoder().encodeToString(("\0" + ALICE + "\0" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        try (SmtpClient smtp = JAMES.smtp(JamesContainer.SMTP)) {
            assertThat(smtp.ehlo("client.test").text).doesNotContain("AUTH");
            assertThat(smtp.command("AUTH PLAIN " + token).code).isNotEqualTo(235);
            assertThat(smtp.mailFrom(ALICE).code).isEqualTo(250);
            assertThat(smtp.rcptTo("someone@elsewhere.test").code).isEqualTo(550);
        }
    }

    /** A message made only of whitespace header lines passes through the chain. */
    @Test
    void whitespaceOnlyMessagePassesThroughWithoutError() {
        byte[] message = Base64.getDecoder().decode("ICAgIAogICAKCg==");
        try (SmtpClient smtp = JAMES.smtp(JamesContainer.SMTP)) {
            smtp.ehlo("mx.sender.test");
            assertThat(smtp.mailFrom("odd@sender.test").code).isEqualTo(250);
            assertThat(smtp.rcptTo("dave@" + DOMAIN).code).isEqualTo(250);
            Reply reply = smtp.data(message);
            assertThat(reply.code).isEqualTo(250);
        }
        List<String> inbox = JAMES.imap("dave@" + DOMAIN, PASSWORD).awaitMessages(1, WAIT);
        assertThat(inbox.get(0)).contains("X-Tollgate-Transport: tls=no; port=25");
        assertThat(JAMES.webAdmin().mailKeys("memory://var/mail/error/")).isEmpty();
        assertThat(JAMES.logs()).doesNotContain("[ERROR").doesNotContain("Exception");
    }

    /** A 5 KB single-line HTML body with a 1,500-character References header. */
    @Test
    void longLineHtmlWithHugeReferencesPassesThrough() {
        StringBuilder references = new StringBuilder("References:");
        int n = 0;
        while (references.length() < 1500) {
            references.append(" <ref-").append(n++).append("-abcdefghij@lists.example>");
        }
        StringBuilder html = new StringBuilder("<html><body>");
        while (html.length() < 5000) {
            html.append("<span>long line of html text without any line break</span>");
        }
        html.append("</body></html>");
        String message = "From: list@sender.test\r\nTo: " + BOB + "\r\nSubject: Long references\r\n"
                + references.substring(0, 1500) + ">\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n" + html + "\r\n";
        try (SmtpClient smtp = JAMES.smtp(JamesContainer.SMTP)) {
            smtp.ehlo("mx.sender.test");
            assertThat(smtp.mailFrom("list@sender.test").code).isEqualTo(250);
            assertThat(smtp.rcptTo(BOB).code).isEqualTo(250);
            assertThat(smtp.data(message).code).isEqualTo(250);
        }
        String received = JAMES.imap(BOB, PASSWORD).awaitMessageContaining("Long references", WAIT);
        assertThat(received).contains(html.toString()).contains("ref-0-abcdefghij@lists.example");
        assertThat(headerLine(received, "X-Tollgate-Transport")).contains("tls=no");
        assertThat(JAMES.webAdmin().mailKeys("memory://var/mail/error/")).isEmpty();
    }

    static String headerLine(String raw, String name) {
        List<String> lines = headerLines(raw, name);
        assertThat(lines).as("header " + name + " in\n" + raw).isNotEmpty();
        return lines.get(0);
    }

    static List<String> headerLines(String raw, String name) {
        String head = raw.split("\r?\n\r?\n", 2)[0];
        return head.lines().filter(l -> l.regionMatches(true, 0, name + ":", 0, name.length() + 1))
                .collect(java.util.stream.Collectors.toList());
    }
}
