package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import javax.activation.DataHandler;
import javax.mail.Session;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import javax.mail.util.ByteArrayDataSource;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tollgate.core.testing.SmimeTestKeys;
import dev.tollgate.it.harness.JamesContainer;
import dev.tollgate.it.harness.Messages;
import dev.tollgate.it.harness.PartnerMx;
import dev.tollgate.it.peers.SmtpSink;
import dev.tollgate.it.harness.Teardown;

/**
 * Outbound DLP in a James 3.8.1 container with the shipped conf/ (ScanSensitiveData and the
 * action mailets in the transport processor) and a test policy: a receiving MTA ({@link SmtpSink}) for
 * {@code partner.test}, local users on {@code tollgate.test}.
 *
 * <ul>
 *   <li>a card number in a numeric cell of an XLSX attachment (read by the Tika worker), to one internal and
 *       one external recipient: the external copy is
 *       quarantined (listed through WebAdmin with the rule id), the internal recipient gets the mail untouched;
 *       releasing it (reprocess to {@code dlp-released}) delivers it to the peer;</li>
 *   <li>an IBAN to a recipient whose certificate is in the certificate directory: the peer receives
 *       {@code application/pkcs7-mime} that the recipient's private key decrypts;</li>
 *   <li>a cloud credential: the sender gets a DSN (over IMAP) naming the rule, not the credential; the peer gets nothing;</li>
 *   <li>an SSN in HTML with a link to a local recipient: quarantined as sent; released, it reaches the recipient
 *       with the link rewritten to the redirector, as mail that was never held does.</li>
 * </ul>
 */
class DlpIT {
    static final String DOMAIN = "tollgate.test";
    static final String ALICE = "alice@" + DOMAIN;
    static final String BOB = "bob@" + DOMAIN;
    static final String PASSWORD = "s3cret-Passw0rd";
    static final String CAROL = "carol@partner.test";
    static final String DAVE = "dave@partner.test";
    static final String ERIN = "erin@partner.test";
    static final String FRANK = "frank@partner.test";
    static final String QUARANTINE = "memory://var/mail/dlp-quarantine/";
    static final Duration WAIT = Duration.ofSeconds(90);
    static final String CARD = "4111 1111 1111 1111";
    static final String IBAN = "DE89 3704 0044 0532 0130 00";
    static final String AWS = "AKIAIOSFODNN7EXAMPLE";

    static final String POLICY = "<dlp-policy mode='enforce' unscannable='quarantine'>\n"
            + "  <rule id='cards-out' detectors='payment-card' external-only='true' action='quarantine'/>\n"
            + "  <rule id='iban-encrypt' detectors='iban' external-only='true' action='encrypt' else='reject'/>\n"
            + "  <rule id='secrets-out' detectors='cloud-credential,private-key' external-only='true' action='reject'/>\n"
            // internal mail too: a released internal mail must still have its links rewritten
            + "  <rule id='ssn-hold' detectors='us-ssn' action='quarantine'/>\n"
            + "</dlp-policy>\n";

    static Network network;
    static GenericContainer<?> sink;
    static GenericContainer<?> dns;
    static JamesContainer james;
    static SmimeTestKeys carolKeys;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        carolKeys = SmimeTestKeys.generate(CAROL);
        PartnerMx partner = PartnerMx.start("partner.test");
        network = partner.network();
        sink = partner.sink();
        dns = partner.dns();
        james = partner.james()
                .withConfFile("tollgate-dlp-policy.xml", POLICY)
                .withConfFile(CAROL + ".pem", carolKeys.certificatePem())
                // One certificate directory: ScanSensitiveData's, which DlpEncrypt reads from the mail.
                .withConfEdit("mailetcontainer.xml", xml -> xml.replaceOnce(
                        "<certificates>conf/tollgate-dlp-certificates</certificates>", "<certificates>conf</certificates>"));
        james.start();
        james.webAdmin().addDomain(DOMAIN).addUser(ALICE, PASSWORD).addUser(BOB, PASSWORD);
    }

    @AfterAll
    static void stop() {
        Teardown.stopAll(network, james, dns, sink);
    }

    static void submit(List<String> recipients, byte[] message) {
        james.submit(ALICE, PASSWORD, message, recipients.toArray(new String[0]));
    }

    static byte[] withAttachment(String to, String subject, byte[] attachment, String filename, String type) throws Exception {
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()));
        m.setFrom(new InternetAddress(ALICE));
        m.setRecipients(MimeMessage.RecipientType.TO, to);
        m.setSubject(subject, "UTF-8");
        MimeBodyPart text = new MimeBodyPart();
        text.setText("Hello,\n\nthe list is attached.\n", "UTF-8");
        MimeBodyPart file = new MimeBodyPart();
        file.setDataHandler(new DataHandler(new ByteArrayDataSource(attachment, type)));
        file.setFileName(filename);
        file.setHeader("Content-Transfer-Encoding", "base64");
        MimeMultipart mixed = new MimeMultipart("mixed");
        mixed.addBodyPart(text);
        mixed.addBodyPart(file);
        m.setContent(mixed);
        m.saveChanges();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeTo(out);
        return out.toByteArray();
    }

    /**
     * A minimal Office Open XML workbook (ECMA-376 part 1: content types, package and workbook relationships,
     * one worksheet) whose cell B2 holds the card number as a <b>numeric</b> value, as spreadsheets store it.
     */
    static byte[] xlsxWithNumericCard() throws Exception {
        ZipPart[] parts = {
            ZipPart.of("[Content_Types].xml", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
                + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
                + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
                + "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
                + "<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
                + "</Types>"),
            ZipPart.of("_rels/.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
                + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>"
                + "</Relationships>"),
            ZipPart.of("xl/workbook.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
                + "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
                + "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
                + "<sheets><sheet name=\"Customers\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"),
            ZipPart.of("xl/_rels/workbook.xml.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
                + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
                + "</Relationships>"),
            ZipPart.of("xl/worksheets/sheet1.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
                + "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
                + "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>customer</t></is></c><c r=\"B1\" t=\"inlineStr\"><is><t>card</t></is></c></row>"
                + "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>ACME</t></is></c><c r=\"B2\"><v>" + CARD.replace(" ", "") + "</v></c></row>"
                + "</sheetData></worksheet>"),
        };
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(bytes)) {
            for (ZipPart part : parts) {
                zip.putNextEntry(new java.util.zip.ZipEntry(part.name));
                zip.write(part.content.getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** One part of a zip package: its entry name and its text, written as UTF-8. */
    static final class ZipPart {
        final String name;
        final String content;

        private ZipPart(String name, String content) {
            this.name = name;
            this.content = content;
        }

        static ZipPart of(String name, String content) {
            return new ZipPart(name, content);
        }
    }

    static String repo(String url) {
        String path = url.replaceFirst("^[a-z0-9]+://", "").replaceAll("/+$", "");
        return "/mailRepositories/" + URLEncoder.encode(path, StandardCharsets.UTF_8);
    }

    @Test
    void cardInAttachmentToAnExternalRecipientIsQuarantinedWhileTheInternalRecipientGetsIt() throws Exception {
        submit(List.of(BOB, DAVE), withAttachment(BOB + ", " + DAVE, "DLP quarantine test", xlsxWithNumericCard(),
                "customers.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));

        String internal = james.imap(BOB, PASSWORD).awaitMessageContaining("DLP quarantine test", WAIT);
        assertThat(internal).doesNotContain("X-Tollgate-DLP").doesNotContain("[SENSITIVE]");

        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofSeconds(1))
                .until(() -> !james.webAdmin().mailKeys(QUARANTINE).isEmpty());
        List<String> keys = james.webAdmin().mailKeys(QUARANTINE);
        assertThat(keys).hasSize(1);
        String key = keys.get(0);
        HttpResponse<String> details = james.webAdmin().send("GET",
                repo(QUARANTINE) + "/mails/" + URLEncoder.encode(key, StandardCharsets.UTF_8) + "?additionalFields=attributes", null);
        JsonNode d = JSON.readTree(details.body());
        assertThat(d.get("recipients").toString()).contains(DAVE).doesNotContain(BOB);
        assertThat(details.body()).contains("\"dev.tollgate.dlp.rules\":\"cards-out\"").contains("payment-card:4111********1111")
                .doesNotContain("4111111111111111");
        assertThat(james.webAdmin().mailContent(QUARANTINE, key)).contains("DLP quarantine test");
        assertThat(sink.getLogs()).doesNotContain("RCPT TO:<" + DAVE + ">");

        HttpResponse<String> release = james.webAdmin().reprocess(QUARANTINE, key, "dlp-released");
        assertThat(release.statusCode()).as(release.body()).isEqualTo(201);
        String delivered = PartnerMx.awaitStored(sink, "DLP quarantine test", WAIT);
        assertThat(delivered).contains("customers.xlsx");
        Awaitility.await().atMost(WAIT).until(() -> james.webAdmin().mailKeys(QUARANTINE).isEmpty());
    }

    @Test
    void aListOfOrderNumbersOnePerLineIsDeliveredNotReadAsCards() throws Exception {
        // 4000..4099 one per line: 15 windows of four lines pass the IIN and Luhn checks, yet no card label is near
        StringBuilder orders = new StringBuilder("Orders shipped today:\n");
        for (int n = 4000; n < 4100; n++) {
            orders.append(n).append('\n');
        }
        submit(List.of(FRANK), withAttachment(FRANK, "DLP order list test",
                orders.toString().getBytes(StandardCharsets.UTF_8), "orders.txt", "text/plain"));
        String delivered = PartnerMx.awaitStored(sink, "DLP order list test", WAIT);
        assertThat(delivered).contains("orders.txt").doesNotContain("X-Tollgate-DLP");
    }

    @Test
    void ibanToARecipientWithACertificateArrivesEncryptedAndTheRecipientKeyDecryptsIt() throws Exception {
        submit(List.of(CAROL), Messages.text(ALICE, CAROL, "DLP encrypt test", "Please pay to IBAN " + IBAN + " today."));
        String raw = PartnerMx.awaitStored(sink, "DLP encrypt test", WAIT);
        assertThat(raw).doesNotContain("DE89").doesNotContain("3704 0044");
        MimeMessage received = SmimeTestKeys.parse(raw.getBytes(StandardCharsets.UTF_8));
        assertThat(received.getContentType()).startsWith("application/pkcs7-mime").contains("enveloped-data");
        MimeBodyPart inner = carolKeys.decrypt(received);
        assertThat(new String(inner.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).contains("IBAN " + IBAN);
    }

    @Test
    void credentialToAnExternalRecipientIsRejectedWithADsnNamingTheRuleNotTheData() throws Exception {
        submit(List.of(ERIN), Messages.text(ALICE, ERIN, "DLP reject test", "aws_access_key_id=" + AWS));
        String dsn = james.imap(ALICE, PASSWORD).awaitMessageContaining("secrets-out", WAIT);
        assertThat(dsn).contains("multipart/report").contains("delivery-status").contains("Status: 5.7.1")
                .contains(ERIN).doesNotContain(AWS).doesNotContain("AKIA");
        MimeMessage parsed = new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(dsn.getBytes(StandardCharsets.UTF_8)));
        assertThat(parsed.getSubject()).contains("blocked by data loss prevention");
        assertThat(sink.getLogs()).doesNotContain("RCPT TO:<" + ERIN + ">");
        assertThat(james.logs()).contains("dlp mail=").contains("rules=secrets-out").doesNotContain(AWS);
    }

    @Test
    void anInternalMailReleasedFromTheQuarantineArrivesWithItsLinksRewritten() throws Exception {
        String subject = "DLP released links test";
        submit(List.of(BOB), Messages.text(ALICE, BOB, subject,
                "<html><body><p>SSN 123-45-6789</p><p><a href=\"https://reports.example/q3\">Q3 report</a></p></body></html>",
                "MIME-Version: 1.0", "Content-Type: text/html; charset=UTF-8"));

        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofSeconds(1))
                .until(() -> !james.webAdmin().mailKeys(QUARANTINE).isEmpty());
        List<String> keys = james.webAdmin().mailKeys(QUARANTINE);
        assertThat(keys).hasSize(1);
        String key = keys.get(0);
        // held as sent: the link rewriting further down "transport" never saw it
        assertThat(james.webAdmin().mailContent(QUARANTINE, key)).contains(subject)
                .contains("href=\"https://reports.example/q3\"").doesNotContain("/r/");

        HttpResponse<String> release = james.webAdmin().reprocess(QUARANTINE, key, "dlp-released");
        assertThat(release.statusCode()).as(release.body()).isEqualTo(201);
        String delivered = james.imap(BOB, PASSWORD).awaitMessageContaining(subject, WAIT);
        assertThat(SubmissionIT.headerLine(delivered, "X-Tollgate-Links")).contains("links=1; rewritten=1;");
        assertThat(delivered).contains("href=\"http://localhost:8480/r/").doesNotContain("https://reports.example/q3");
        Awaitility.await().atMost(WAIT).until(() -> james.webAdmin().mailKeys(QUARANTINE).isEmpty());
    }
}
