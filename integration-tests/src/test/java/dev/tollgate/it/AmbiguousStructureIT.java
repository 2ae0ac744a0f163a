package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.tollgate.it.harness.JamesContainer;
import dev.tollgate.it.harness.PartnerMx;
import dev.tollgate.it.harness.Teardown;

/**
 * Messages that JavaMail (so Tollgate) reads one way and mail clients another, submitted over SMTP to a local and
 * an external recipient through James with the repository's {@code conf/} (shipped DLP policy: unscannable mail
 * to external recipients quarantined; link protection: mail whose links cannot all be examined link-quarantined):
 * a boundary parameter given twice, in RFC 2231 form, with a backslash escape or not at all, a close delimiter
 * with text after it, a charset given twice, UTF-16 without a byte order mark, a blank around a type's {@code /}
 * (James's Content-Type cleaner makes it text/plain for JavaMail), a Content-Type whose parameters do not parse,
 * and a fragment of a message ({@code message/partial}), which a client that joins fragments reads as another
 * message. Each hides a card from JavaMail's reading and a link from rewriting; each must reach neither
 * recipient: the external copy in the DLP quarantine as unscannable, the local copy in the link quarantine.
 */
class AmbiguousStructureIT {
    static final String DOMAIN = "corp.test";
    static final String ALICE = "alice@" + DOMAIN;
    static final String BOB = "bob@" + DOMAIN;
    static final String PASSWORD = "s3cret-Passw0rd";
    static final String DAVE = "dave@partner.test";
    static final String DLP_QUARANTINE = "memory://var/mail/dlp-quarantine/";
    static final String LINK_QUARANTINE = "memory://var/mail/link-quarantine/";
    static final Duration WAIT = Duration.ofSeconds(120);
    static final String CARD = "4111 1111 1111 1111";
    static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    static final String LINK = "<a href=\"https://shop.example/offer\">offer</a>";

    static PartnerMx partner;
    static JamesContainer james;

    @BeforeAll
    static void start() {
        partner = PartnerMx.start("partner.test");
        james = partner.james();
        james.start();
        james.webAdmin().addDomain(DOMAIN).addUser(ALICE, PASSWORD).addUser(BOB, PASSWORD);
    }

    @AfterAll
    static void stop() {
        Teardown.stopAll(partner.network(), james, partner.dns(), partner.sink());
    }

    static String head(String subject, String contentType) {
        return "From: " + ALICE + "\r\nTo: " + BOB + ", " + DAVE + "\r\nSubject: " + subject + "\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: " + contentType + "\r\n";
    }

    static String zipWithCard() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("cards.txt"));
            zip.write(("card " + CARD + "\n").getBytes(StandardCharsets.US_ASCII));
            zip.closeEntry();
        }
        return Base64.getMimeEncoder().encodeToString(out.toByteArray());
    }

    /** Parts a client splits by B (the first boundary given, the plain one) and JavaMail by A. */
    static String splitTwoWays() throws Exception {
        return "\r\n--A\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n"
                + "--B\r\nContent-Type: text/html\r\n\r\n<p>" + LINK + "</p>\r\n"
                + "--B\r\nContent-Type: application/zip; name=data.zip\r\nContent-Disposition: attachment; filename=data.zip\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n" + zipWithCard() + "\r\n--B--\r\n--A--\r\n";
    }

    static Map<String, String> messages() throws Exception {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("ambiguous-boundary-2231", head("ambiguous-boundary-2231", "multipart/mixed; boundary=\"B\"; boundary*=us-ascii''A")
                + splitTwoWays());
        m.put("ambiguous-boundary-twice", head("ambiguous-boundary-twice", "multipart/mixed; boundary=\"B\"; boundary=\"A\"")
                + splitTwoWays());
        m.put("ambiguous-boundary-continued", head("ambiguous-boundary-continued",
                "multipart/mixed; boundary=\"B\"; boundary*0=\"A\"; boundary*1=\"\"") + splitTwoWays());
        // JavaMail guesses the boundary from the first "--" line; clients differ
        m.put("ambiguous-boundary-missing", head("ambiguous-boundary-missing", "multipart/mixed")
                + splitTwoWays().replace("--B", "--A"));
        // JavaMail ends the multipart at "--b--x"; Python's email and others read the parts after it
        m.put("ambiguous-close-text", head("ambiguous-close-text", "multipart/mixed; boundary=b")
                + "\r\n--b\r\nContent-Type: text/plain\r\n\r\nHello.\r\n--b--x\r\n"
                + "--b\r\nContent-Type: text/html\r\n\r\n<p>" + LINK + "</p>\r\n"
                + "--b\r\nContent-Type: text/plain; name=a.txt\r\nContent-Disposition: attachment; filename=a.txt\r\n"
                + "Content-Transfer-Encoding: quoted-printable\r\n\r\n4111 1111 11=\r\n11 1111\r\n--b--\r\n");
        // JavaMail decodes the last charset given (UTF-16: no card, no link), clients the first
        m.put("ambiguous-charset-twice", head("ambiguous-charset-twice", "text/html; charset=us-ascii; charset=utf-16le")
                + "\r\n<p>Card " + CARD + " " + LINK + "</p>\r\n");
        // JavaMail removes the backslash of a quoted boundary (axb), James's IMAP server keeps it (a\xb)
        m.put("ambiguous-boundary-escape", head("ambiguous-boundary-escape", "multipart/mixed; boundary=\"a\\xb\"")
                + splitTwoWays().replace("--A", "--axb").replace("--B", "--a\\xb"));
        // UTF-16 without a byte order mark: Java reads it big-endian (no card, no link), clients little-endian
        m.put("ambiguous-utf16-no-bom", head("ambiguous-utf16-no-bom", "text/html; charset=utf-16")
                + "Content-Transfer-Encoding: base64\r\n\r\n" + Base64.getMimeEncoder().encodeToString(
                ("<p>Card " + CARD + " " + LINK + "</p>").getBytes(StandardCharsets.UTF_16LE)) + "\r\n");
        // no empty line after a part's header: JavaMail and James's IMAP server read the HTML line as a header
        // field (nothing to rewrite), Python's email and others as the start of the body
        m.put("ambiguous-header-no-blank-line", head("ambiguous-header-no-blank-line", "multipart/mixed; boundary=b")
                + "\r\n--b\r\nContent-Type: text/plain\r\n\r\nHello.\r\n--b\r\nContent-Type: text/html\r\n"
                + "<p>Card " + CARD + " " + LINK + "</p>\r\n\r\n--b--\r\n");
        // a multipart sent base64: a decoder reads a harmless multipart, JavaMail and James the parts after it
        String decoy = "--b\r\nContent-Type: text/plain\r\n\r\nHello.\r\n--b--\r\n";
        while (decoy.length() % 3 != 0) {
            decoy += " ";
        }
        m.put("ambiguous-encoded-multipart", head("ambiguous-encoded-multipart", "multipart/mixed; boundary=b")
                + "Content-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getEncoder().encodeToString(decoy.getBytes(StandardCharsets.US_ASCII)) + "\r\n"
                + "--b\r\nContent-Type: text/html\r\n\r\n<p>Card " + CARD + " " + LINK + "</p>\r\n--b--\r\n");
        // the last part's header has no empty line: JavaMail drops the part, Python's email shows it
        m.put("ambiguous-last-header-unended", head("ambiguous-last-header-unended", "multipart/mixed; boundary=b")
                + "\r\n--b\r\nContent-Type: text/plain\r\n\r\nHello.\r\n--b\r\nContent-Type: text/html\r\n"
                + "<p>Card " + CARD + " " + LINK + "</p>\r\n--b--\r\n");
        // a lone CR: JavaMail ends a header line or finds a delimiter there, James's IMAP server does not
        m.put("ambiguous-lone-cr-header", head("ambiguous-lone-cr-header", "multipart/mixed; boundary=b")
                + "\r\n--b\r\nContent-Type: text/plain\r\n\r\nHello.\r\n--b\r\nX-Foo: bar\r\r \r\n"
                + "Content-Type: text/html\r\n\r\n<p>Card " + CARD + " " + LINK + "</p>\r\n--b--\r\n");
        m.put("ambiguous-lone-cr-delimiter", head("ambiguous-lone-cr-delimiter", "multipart/mixed; boundary=b")
                + "\r\n--b\r\nContent-Type: text/html\r\n\r\n<p>Hello</p>\r--b\r\nContent-Type: text/plain\r\n\r\n"
                + "<p>Card " + CARD + " " + LINK + "</p>\r\n--b--\r\n");
        // JavaMail decodes "quoted-printable (c)", James's IMAP server and clients do not: =41 is A or "=41"
        m.put("ambiguous-encoding-comment", head("ambiguous-encoding-comment", "text/html; charset=utf-8")
                + "Content-Transfer-Encoding: quoted-printable (c)\r\n\r\n=3C!-- <p>Card " + CARD + " " + LINK
                + "</p> --=3E\r\n");
        // a "From " line ending a part's header: Python's email starts the body there
        m.put("ambiguous-from-line", head("ambiguous-from-line", "multipart/mixed; boundary=b")
                + "\r\n--b\r\nContent-Type: text/plain\r\n\r\nHello.\r\n--b\r\nContent-Type: text/html\r\n"
                + "From <p>Card " + CARD + " " + LINK + "</p>\r\n\r\n--b--\r\n");
        // the boundary, a blank and text: a delimiter to James's IMAP server, content to JavaMail and Python
        m.put("ambiguous-delimiter-text", head("ambiguous-delimiter-text", "multipart/mixed; boundary=b")
                + "\r\n--b\r\nContent-Type: text/plain\r\n\r\nHello.\r\n--b x\r\nContent-Type: text/html\r\n\r\n"
                + "<p>Card " + CARD + " " + LINK + "</p>\r\n--b--\r\n");
        // CR CR LF as the empty line after a part's header: JavaMail's header ends there, James's IMAP server's not
        m.put("ambiguous-crcrlf-header", head("ambiguous-crcrlf-header", "multipart/mixed; boundary=b")
                + "\r\n--b\r\nContent-Type: text/plain\r\n\r\nHello.\r\n--b\r\nX-A: b\r\n\r\r\n"
                + "Content-Type: text/html\r\n\r\n<p>Card " + CARD + " " + LINK + "</p>\r\n--b--\r\n");
        // CR CR LF as the empty line of an attached message's header: JavaMail reads the rest as text/plain (no card
        // there), James's IMAP server reads on to the text/html Content-Type
        m.put("ambiguous-attached-crcrlf", head("ambiguous-attached-crcrlf", "multipart/mixed; boundary=b")
                + "\r\n--b\r\nContent-Type: text/plain\r\n\r\nForwarded.\r\n--b\r\nContent-Type: message/rfc822\r\n\r\n"
                + "From: x@partner.example\r\nSubject: inner\r\nMIME-Version: 1.0\r\n\r\r\n"
                + "Content-Type: text/html; charset=utf-8\r\n\r\n<p>Card: 41<b></b>11 11<i></i>11 1111 1111 " + LINK
                + "</p>\r\n--b--\r\n");
        // CR CR LF ending a later delimiter line: JavaMail's part starts with an empty line (no header, text/plain),
        // James's IMAP server reads its text/html header
        m.put("ambiguous-delimiter-crcrlf", head("ambiguous-delimiter-crcrlf", "multipart/mixed; boundary=b")
                + "\r\n--b\r\nContent-Type: text/plain\r\n\r\nHello.\r\n--b\r\r\nContent-Type: text/html\r\n\r\n"
                + "<p>Card: 41<b></b>11 11<i></i>11 1111 1111 " + LINK + "</p>\r\n--b--\r\n");
        // a fragment of a message (RFC 2046 §5.2.2): a client that joins the fragments shows a message no single
        // mail holds, so neither its attachment nor its link can be read from this one
        m.put("fragment-message-partial", head("fragment-message-partial",
                "message/partial; id=\"f1@corp.test\"; number=1; total=2")
                + "\r\nContent-Type: multipart/mixed; boundary=in\r\n\r\n--in\r\nContent-Type: text/html\r\n\r\n<p>" + LINK
                + "</p>\r\n--in\r\nContent-Type: application/zip; name=data.zip\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + zipWithCard() + "\r\n");
        // a blank around the '/': James's IMAP server and clients read the type, JavaMail under James text/plain
        m.put("ambiguous-type-blank", head("ambiguous-type-blank", "multipart /mixed; boundary=b")
                + "\r\n--b\r\nContent-Type: text/html\r\n\r\n<p>" + LINK + "</p>\r\n--b\r\n"
                + "Content-Type: application/zip; name=data.zip\r\nContent-Disposition: attachment; filename=data.zip\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n" + zipWithCard() + "\r\n--b--\r\n");
        // a control character before the type: mime4j trims it, James's cleaner does not (text/plain again)
        m.put("ambiguous-type-control", head("ambiguous-type-control", "\u000bmultipart/mixed; boundary=b")
                + "\r\n--b\r\nContent-Type: text/html\r\n\r\n<p>" + LINK + "</p>\r\n--b\r\n"
                + "Content-Type: application/zip; name=data.zip\r\nContent-Disposition: attachment; filename=data.zip\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n" + zipWithCard() + "\r\n--b--\r\n");
        m.put("ambiguous-type-blank-html", head("ambiguous-type-blank-html", "text /html; charset=utf-8")
                + "\r\n<p>Card " + CARD + " " + LINK + "</p>\r\n");
        // parameters that do not parse (a quote never closed): clients read the type before them
        m.put("ambiguous-type-unparsable", head("ambiguous-type-unparsable",
                "message/partial; id=\"f2@corp.test; number=1")
                + "\r\nContent-Type: multipart/mixed; boundary=in\r\n\r\n--in\r\nContent-Type: text/html\r\n\r\n<p>" + LINK
                + "</p>\r\n--in\r\nContent-Type: application/zip; name=data.zip\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + zipWithCard() + "\r\n");
        // a link, then an attachment whose Content-Type does not parse: JavaMail cannot save the message once the
        // link is rewritten, so it is kept as sent (not left half-rewritten in the error repository)
        m.put("unparsable-after-link", head("unparsable-after-link", "multipart/mixed; boundary=b")
                + "\r\n--b\r\nContent-Type: text/html\r\n\r\n<p>" + LINK + "</p>\r\n--b\r\n"
                + "Content-Type: application/zip; name=\"data.zip\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + zipWithCard() + "\r\n--b--\r\n");
        return m;
    }

    @Test
    void messagesReadersReadDifferentlyReachNeitherRecipient() throws Exception {
        Map<String, String> messages = messages();
        for (String raw : messages.values()) {
            james.submit(ALICE, PASSWORD, raw.getBytes(StandardCharsets.US_ASCII), BOB, DAVE);
        }
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofSeconds(1))
                .until(() -> james.webAdmin().mailKeys(DLP_QUARANTINE).size() >= messages.size()
                        && james.webAdmin().mailKeys(LINK_QUARANTINE).size() >= messages.size());
        List<String> dlp = new ArrayList<>();
        for (String key : james.webAdmin().mailKeys(DLP_QUARANTINE)) {
            HttpResponse<String> details = james.webAdmin().send("GET", DlpIT.repo(DLP_QUARANTINE) + "/mails/"
                    + URLEncoder.encode(key, StandardCharsets.UTF_8) + "?additionalFields=attributes", null);
            assertThat(details.body()).contains("\"dev.tollgate.dlp.verdict\":\"unscannable\"");
            assertThat(JSON.readTree(details.body()).get("recipients").toString()).contains(DAVE).doesNotContain(BOB);
            String content = james.webAdmin().mailContent(DLP_QUARANTINE, key);
            messages.keySet().stream().filter(s -> content.contains("Subject: " + s + "\r\n")).forEach(dlp::add);
        }
        assertThat(dlp).containsExactlyInAnyOrderElementsOf(messages.keySet());
        List<String> links = new ArrayList<>();
        for (String key : james.webAdmin().mailKeys(LINK_QUARANTINE)) {
            String content = james.webAdmin().mailContent(LINK_QUARANTINE, key);
            // stored as sent: nothing rewritten
            assertThat(content).doesNotContain("/r/");
            assertThat(SubmissionIT.headerLine(content, "X-Tollgate-Links")).contains("rewritten=0").contains("unexamined=1");
            if (content.contains("Subject: unparsable-after-link\r\n")) {
                assertThat(content).contains("Content-Type: multipart/mixed; boundary=b\r\n").contains(LINK)
                        .contains("Content-Type: application/zip; name=\"data.zip\r\n");
            }
            messages.keySet().stream().filter(s -> content.contains("Subject: " + s + "\r\n")).forEach(links::add);
        }
        assertThat(links).containsExactlyInAnyOrderElementsOf(messages.keySet());
        // the links audit line of each says how many parts were not read
        String audit = james.execInContainer("sh", "-c", "grep -F '\"capability\":\"links\"' /root/logs/tollgate-audit.log")
                .getStdout();
        assertThat(audit.lines().filter(l -> l.contains("\"unexamined\":\"1\"")).count())
                .isGreaterThanOrEqualTo(messages.size());
        assertThat(james.webAdmin().mailKeys("memory://var/mail/error/")).isEmpty();
        assertThat(partner.sink().getLogs()).doesNotContain("RCPT TO:<" + DAVE + ">").doesNotContain("SINK STORED");
    }
}
