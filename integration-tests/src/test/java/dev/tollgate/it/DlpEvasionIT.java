package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import dev.tollgate.it.harness.JamesContainer;
import dev.tollgate.it.harness.PartnerMx;
import dev.tollgate.it.harness.Teardown;

/**
 * Messages written to walk around DLP, one per evasion class, submitted over 587 by an authenticated user to an
 * external recipient (whose MX is a real SMTP sink): every one is quarantined by the policy rule that names its
 * detector (not as unscannable), and none reaches the sink.
 */
class DlpEvasionIT {
    static final String DOMAIN = "corp.test";
    static final String ALICE = "alice@" + DOMAIN;
    static final String PASSWORD = "s3cret-Passw0rd";
    static final String DAVE = "dave@partner.test";
    static final String QUARANTINE = "memory://var/mail/dlp-quarantine/";
    static final Duration WAIT = Duration.ofSeconds(120);

    static final String POLICY = "<dlp-policy mode='enforce' unscannable='quarantine'>\n"
            + "  <rule id='evasion-out' detectors='payment-card,iban,us-ssn,cloud-credential' external-only='true'"
            + " action='quarantine'/>\n"
            + "</dlp-policy>\n";

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
        james = partner.james()
                .withConfFile("tollgate-dlp-policy.xml", POLICY);
        james.start();
        james.webAdmin().addDomain(DOMAIN).addUser(ALICE, PASSWORD);
    }

    @AfterAll
    static void stop() {
        Teardown.stopAll(network, james, dns, sink);
    }

    static String head(String subject, String contentType) {
        return "From: " + ALICE + "\r\nTo: " + DAVE + "\r\nSubject: " + subject + "\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: " + contentType + "\r\n";
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A one-page PDF drawing each text at its (x, y) with its own text operator, in the order given, 10 pt Helvetica. */
    static byte[] pdf(Object... xyText) throws IOException {
        try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDPage page = new PDPage();
            doc.addPage(page);
            try (PDPageContentStream content = new PDPageContentStream(doc, page)) {
                for (int i = 0; i < xyText.length; i += 3) {
                    content.beginText();
                    content.setFont(PDType1Font.HELVETICA, 10);
                    content.newLineAtOffset(((Number) xyText[i]).floatValue(), ((Number) xyText[i + 1]).floatValue());
                    content.showText((String) xyText[i + 2]);
                    content.endText();
                }
            }
            doc.save(out);
            return out.toByteArray();
        }
    }

    /** A one-page PDF with a line of text and one Info dictionary entry. */
    static byte[] pdfWithInfo(String text, String key, String value) throws IOException {
        try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            doc.getDocumentInformation().setCustomMetadataValue(key, value);
            PDPage page = new PDPage();
            doc.addPage(page);
            try (PDPageContentStream content = new PDPageContentStream(doc, page)) {
                content.beginText();
                content.setFont(PDType1Font.HELVETICA, 10);
                content.newLineAtOffset(72, 700);
                content.showText(text);
                content.endText();
            }
            doc.save(out);
            return out.toByteArray();
        }
    }

    static String withPdf(String subject, byte[] pdf) {
        return head(subject, "multipart/mixed; boundary=b") + "\r\n--b\r\nContent-Type: text/plain\r\n\r\nStatement attached.\r\n"
                + "--b\r\nContent-Type: application/pdf; name=statement.pdf\r\n"
                + "Content-Disposition: attachment; filename=statement.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(pdf) + "\r\n--b--\r\n";
    }

    /** Subject marker → raw message. */
    static Map<String, String> evasions() throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("evasion-overlap", head("evasion-overlap", "text/plain; charset=utf-8") + "\r\n"
                + "Valid until 2027 4111 1111 1111 1111, thanks\r\n");
        m.put("evasion-separator", head("evasion-separator", "text/plain; charset=utf-8") + "\r\n"
                + "Card on file 4111.1111.1111.1111 ok\r\n");
        // one group per line, indented, between lines of text (an expiry after it): a card, no label needed
        m.put("evasion-group-per-line", head("evasion-group-per-line", "text/plain; charset=utf-8") + "\r\n"
                + "Please charge\r\n  5555\r\n  5555\r\n  5555\r\n  4444\r\n12/27\r\n");
        m.put("evasion-digits", head("evasion-digits", "text/plain; charset=utf-8")
                + "Content-Transfer-Encoding: base64\r\n\r\n"
                + b64("Card \u0664\u0661\u0661\u0661 \u0661\u0661\u0661\u0661 \u0661\u0661\u0661\u0661 \u0661\u0661\u0661\u0661")
                + "\r\n");
        String json = "{\"name\": \"prod\", \"blob\": \"" + b64("{\"inner\": \"" + b64("aws_access_key_id = AKIAIOSFODNN7EXAMPLE")
                + "\"}") + "\"}\n";
        m.put("evasion-encoded", head("evasion-encoded", "multipart/mixed; boundary=b") + "\r\n--b\r\n"
                + "Content-Type: text/plain\r\n\r\nConfig attached.\r\n--b\r\n"
                + "Content-Type: application/json; name=cfg.json\r\nContent-Disposition: attachment; filename=cfg.json\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n" + b64(json) + "\r\n--b--\r\n");
        m.put("evasion-epilogue", head("evasion-epilogue", "multipart/mixed; boundary=b") + "\r\n--b\r\n"
                + "Content-Type: text/plain\r\n\r\nHello\r\n--b--\r\nIBAN DE89 3704 0044 0532 0130 00\r\n");
        m.put("evasion-html-comment", head("evasion-html-comment", "text/html; charset=utf-8") + "\r\n"
                + "<html><body><p>Hello</p><!-- SSN 123-45-6789 --></body></html>\r\n");
        // a card drawn as four text runs in the order third, first, fourth, second (Tika's text: 11114111 11111111)
        m.put("evasion-pdf-runs", withPdf("evasion-pdf-runs", pdf(72, 700, "Card number:", 240, 700, "1111",
                160, 700, "4111", 280, 700, "1111", 200, 700, "1111")));
        // a card cell and an amount cell whose glyphs touch (Tika's text: 41111111111111111250.00); Helvetica
        // digits are 5.56 pt wide at 10 pt, so the 16 digits at x 200 end at 288.96
        m.put("evasion-pdf-cells", withPdf("evasion-pdf-cells", pdf(72, 700, "Order 17", 200, 700, "4111111111111111",
                288.96f, 700, "1250.00")));
        // separators other than single spaces and dashes between the groups of a card
        m.put("evasion-tab", head("evasion-tab", "text/plain; charset=utf-8") + "\r\n"
                + "Card\t4111\t1111\t1111\t1111\t12/28\r\n");
        m.put("evasion-double-space", head("evasion-double-space", "text/plain; charset=utf-8") + "\r\n"
                + "Card number:  4111  1111  1111  1111  thanks\r\n");
        m.put("evasion-underscore", head("evasion-underscore", "text/plain; charset=utf-8") + "\r\n"
                + "Saved as 4111_1111_1111_1111.txt\r\n");
        m.put("evasion-comma", head("evasion-comma", "text/plain; charset=utf-8") + "\r\n"
                + "id,card\r\n17,4111,1111,1111,1111\r\n");
        m.put("evasion-mixed", head("evasion-mixed", "text/plain; charset=utf-8") + "\r\n"
                + "Please charge 4111 1111-1111 1111 or 4111.1111 1111-1111 today\r\n");
        // column separators with blanks, quoted CSV cells and a pipe table: cells need a card label near them
        m.put("evasion-blank-comma", head("evasion-blank-comma", "text/plain; charset=utf-8") + "\r\n"
                + "Card: 4111, 1111, 1111, 1111\r\n");
        m.put("evasion-quoted-csv", head("evasion-quoted-csv", "text/plain; charset=utf-8") + "\r\n"
                + "\"name\",\"card\"\r\n\"Ann\",\"4111\",\"1111\",\"1111\",\"1111\"\r\n");
        m.put("evasion-pipe", head("evasion-pipe", "text/plain; charset=utf-8") + "\r\n"
                + "| Visa | 4111 | 1111 | 1111 | 1111 |\r\n");
        m.put("evasion-href-plain", head("evasion-href-plain", "text/html; charset=utf-8") + "\r\n"
                + "<html><body><p><a href=\"https://x.example/p?card=4111111111111111\">pay</a></p></body></html>\r\n");
        m.put("evasion-href-percent", head("evasion-href-percent", "text/html; charset=utf-8") + "\r\n"
                + "<html><body><p><a href=\"https://x.example/p?card=4111%201111%201111%201111\">pay</a></p>"
                + "</body></html>\r\n");
        m.put("evasion-style", head("evasion-style", "text/html; charset=utf-8") + "\r\n"
                + "<html><head><style>/* card 4111 1111 1111 1111 */ p { color: #333 }</style></head>"
                + "<body><p>Hello</p></body></html>\r\n");
        m.put("evasion-script", head("evasion-script", "text/html; charset=utf-8") + "\r\n"
                + "<html><body><p>Hello</p><script>var key = \"AKIAIOSFODNN7EXAMPLE\";</script></body></html>\r\n");
        m.put("evasion-x-comment", head("evasion-x-comment", "text/plain; charset=utf-8")
                + "X-Comment: card 4111 1111 1111 1111\r\n\r\nHello\r\n");
        m.put("evasion-content-description", head("evasion-content-description", "text/plain; charset=utf-8")
                + "Content-Description: AKIAIOSFODNN7EXAMPLE\r\n\r\nHello\r\n");
        m.put("evasion-base32", head("evasion-base32", "text/plain; charset=utf-8") + "\r\n"
                // RFC 4648 base32 of "card 4111 1111 1111 1111"
                + "backup: MNQXEZBAGQYTCMJAGEYTCMJAGEYTCMJAGEYTCMI=\r\n");
        // a right-to-left override: stored as 1111 1111 1111 1114, shown by a client as 4111 1111 1111 1111
        m.put("evasion-rlo", head("evasion-rlo", "text/plain; charset=utf-8") + "Content-Transfer-Encoding: base64\r\n\r\n"
                + b64("Card on file: \u202E1111 1111 1111 1114\u202C, thanks") + "\r\n");
        // a PDF whose card is only in its Info dictionary (a custom key), not in its text
        m.put("evasion-pdf-metadata", withPdf("evasion-pdf-metadata", pdfWithInfo("Monthly statement", "BillingRef",
                "4111 1111 1111 1111")));
        // junk between the groups that a client does not show: transparent, tiny, white on white, hidden by a sheet
        for (String[] hide : new String[][] {{"evasion-opacity", "<span style=\"opacity:0\">x</span>"},
            {"evasion-sheet-class", "<span class=\"h\">x</span>"}, {"evasion-tiny-font", "<span style=\"font-size:0.01px\">x</span>"},
            {"evasion-white", "<span style=\"color:#fff\">x</span>"}}) {
            m.put(hide[0], head(hide[0], "text/html; charset=utf-8") + "\r\n<html><head><style>.h{display:none}</style></head>"
                    + "<body><p>4111" + hide[1] + "1111" + hide[1] + "1111" + hide[1] + "1111</p></body></html>\r\n");
        }
        m.put("evasion-css-direction", head("evasion-css-direction", "text/html; charset=utf-8") + "\r\n"
                + "<html><body><div style=\"direction:rtl\">1111 1111 1111 4111</div></body></html>\r\n");
        // a junk digit between the groups hidden by markup or CSS: a white <font>, off-screen, CSS with a comment,
        // CSS not read as hiding at all (the reading without the short elements between digits); a card split over
        // two <div> lines; a right-to-left override from a style sheet rule
        for (String[] hide : new String[][] {{"evasion-font-white", "<font color=\"#ffffff\">9</font>"},
            {"evasion-off-screen", "<span style=\"position:absolute;left:-9999px\">9</span>"},
            {"evasion-css-comment", "<span style=\"display:/**/none\">9</span>"},
            {"evasion-inline-gap", "<span style=\"filter:opacity(0)\">9</span>"}}) {
            m.put(hide[0], head(hide[0], "text/html; charset=utf-8") + "\r\n<html><body><p>Card 4111 " + hide[1]
                    + "1111 1111 1111</p></body></html>\r\n");
        }
        m.put("evasion-div-lines", head("evasion-div-lines", "text/html; charset=utf-8") + "\r\n"
                + "<html><body><div>4111 1111</div><div>1111 1111</div></body></html>\r\n");
        m.put("evasion-sheet-direction", head("evasion-sheet-direction", "text/html; charset=utf-8") + "\r\n"
                + "<html><head><style>.n{direction:rtl;unicode-bidi:bidi-override}</style></head>"
                + "<body><p>Card <span class=\"n\">1111 1111 1111 1114</span></p></body></html>\r\n");
        m.put("evasion-adlam", head("evasion-adlam", "text/plain; charset=utf-8") + "Content-Transfer-Encoding: base64\r\n\r\n"
                + b64("\uD83A\uDD00 1111 1111 1111 4111") + "\r\n");
        m.put("evasion-label-rlo", head("evasion-label-rlo", "text/plain; charset=utf-8")
                + "Content-Transfer-Encoding: base64\r\n\r\n" + b64("Card number:\n\u202E1111;1111;1111;1114") + "\r\n");
        // a keycap on every digit (4 U+FE0F U+20E3 ...): the marks are dropped, the digits read
        StringBuilder keycaps = new StringBuilder("Pay ");
        for (char c : "4111 1111 1111 1111".toCharArray()) {
            keycaps.append(c).append(c == ' ' ? "" : "\uFE0F\u20E3");
        }
        m.put("evasion-keycaps", head("evasion-keycaps", "text/plain; charset=utf-8")
                + "Content-Transfer-Encoding: base64\r\n\r\n" + b64(keycaps.toString()) + "\r\n");
        // a card label in Russian, and one spelt with a Cyrillic Es: figures joined like cells need a label
        m.put("evasion-label-russian", head("evasion-label-russian", "text/plain; charset=utf-8")
                + "Content-Transfer-Encoding: base64\r\n\r\n"
                + b64("\u041D\u043E\u043C\u0435\u0440 \u043A\u0430\u0440\u0442\u044B: 4111;1111;1111;1111") + "\r\n");
        m.put("evasion-label-confusable", head("evasion-label-confusable", "text/plain; charset=utf-8")
                + "Content-Transfer-Encoding: base64\r\n\r\n" + b64("\u0421ard number: 4111|1111|1111|1111") + "\r\n");
        m.put("evasion-colon", head("evasion-colon", "text/plain; charset=utf-8") + "\r\n"
                + "Card: 4111:1111:1111:1111\r\n");
        // letters glued after a card or before it in a layout; a Hebrew label after the digits (logical order);
        // a lower-case L typed for a 1 under a label
        m.put("evasion-glued-suffix", head("evasion-glued-suffix", "text/plain; charset=utf-8") + "\r\n"
                + "Please charge 5555555555554444USD today\r\n");
        m.put("evasion-glued-prefix", head("evasion-glued-prefix", "text/plain; charset=utf-8") + "\r\n"
                + "Use x4111 1111 1111 1111 please\r\n");
        m.put("evasion-label-hebrew", head("evasion-label-hebrew", "text/plain; charset=utf-8")
                + "Content-Transfer-Encoding: base64\r\n\r\n" + b64("4111;1111;1111;1111 \u05d4\u05d5\u05d0 \u05de\u05e1"
                + "\u05e4\u05e8 \u05d4\u05db\u05e8\u05d8\u05d9\u05e1") + "\r\n");
        m.put("evasion-letter-for-digit", head("evasion-letter-for-digit", "text/plain; charset=utf-8") + "\r\n"
                + "Card: 4111 111l 1111 1111\r\n");
        // a PDF whose card is only the name of an Info dictionary key
        m.put("evasion-pdf-info-key", withPdf("evasion-pdf-info-key", pdfWithInfo("Monthly statement", "4111111111111111",
                "x")));
        // what an HTML client shows beyond text nodes: a complete card with a footnote mark, a ruby annotation
        // after the first group, halves in a ::before string, groups reordered by flex order, four input values
        m.put("evasion-sup-footnote", head("evasion-sup-footnote", "text/html; charset=utf-8") + "\r\n"
                + "<html><body><p>Total charged to 4111 1111 1111 1111<sup>1</sup></p></body></html>\r\n");
        m.put("evasion-ruby", head("evasion-ruby", "text/html; charset=utf-8") + "\r\n"
                + "<html><body><p><ruby>4111<rp>(</rp><rt>ok</rt><rp>)</rp></ruby> <ruby>1111<rp>(</rp><rt>ok</rt>"
                + "<rp>)</rp></ruby> 1111 1111</p></body></html>\r\n");
        m.put("evasion-css-before", head("evasion-css-before", "text/html; charset=utf-8") + "\r\n"
                + "<html><head><style>.c::before{content:\"\\34 111 1111 \"}</style></head>"
                + "<body><p>Card <span class=\"c\">1111 1111</span></p></body></html>\r\n");
        m.put("evasion-flex-order", head("evasion-flex-order", "text/html; charset=utf-8") + "\r\n"
                + "<html><body><p>Card</p><div style=\"display:flex\"><span style=\"order:2\">1111 1111</span>"
                + "<span style=\"order:1\">4111 1111</span></div></body></html>\r\n");
        m.put("evasion-input-values", head("evasion-input-values", "text/html; charset=utf-8") + "\r\n"
                + "<html><body><p>Card <input value=\"4111\"><input value=\"1111\"><input value=\"1111\">"
                + "<input value=\"1111\"></p></body></html>\r\n");
        // in <svg> and <math>, a <b> inside <style> or <textarea> ends the foreign content: a browser shows its text
        m.put("evasion-svg-style", head("evasion-svg-style", "text/html; charset=utf-8") + "\r\n"
                + "<html><body><p>Card: <svg><style><b>4111 1111 </b></style></svg>1111 1111</p></body></html>\r\n");
        m.put("evasion-math-textarea", head("evasion-math-textarea", "text/html; charset=utf-8") + "\r\n"
                + "<html><body><p>4111 <math><textarea><b>1111 1111 </b></textarea></math>1111</p></body></html>\r\n");
        // "fake bold": each group drawn twice over itself in its own text object; Tika's own text keeps both copies
        m.put("evasion-pdf-overprint", withPdf("evasion-pdf-overprint", pdf(72, 700, "Card number:", 160, 700, "4111",
                160, 700, "4111", 190, 700, "1111", 190, 700, "1111", 220, 700, "1111", 220, 700, "1111", 250, 700, "1111",
                250, 700, "1111")));
        // quoted-printable soft break with transport padding (RFC 2045 §6.7 rule 3): "= " then a line break
        m.put("evasion-qp-padding", head("evasion-qp-padding", "text/plain; charset=utf-8")
                + "Content-Transfer-Encoding: quoted-printable\r\n\r\nCard 41111111= \r\n11111111 ok\r\n");
        // the same padded soft break in a part that also holds a malformed escape (read leniently, still as the RFC says)
        m.put("evasion-qp-malformed-padding", head("evasion-qp-malformed-padding", "text/plain; charset=utf-8")
                + "Content-Transfer-Encoding: quoted-printable\r\n\r\nCard 4111 1111 11=\t \r\n11 1111 thanks =G1\r\n");
        // and in a quoted-printable attachment, which is decoded as a stream
        m.put("evasion-qp-attachment-padding", head("evasion-qp-attachment-padding", "multipart/mixed; boundary=b")
                + "\r\n--b\r\nContent-Type: text/plain\r\n\r\nAttached.\r\n--b\r\nContent-Type: text/plain; name=card.txt\r\n"
                + "Content-Disposition: attachment; filename=card.txt\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                + "Card 4111 1111 11=  \r\n11 1111 thanks\r\n--b--\r\n");
        // base64 glued to a word whose last byte decodes printable, and hex with a word glued after it
        m.put("evasion-b64-word", head("evasion-b64-word", "text/plain; charset=utf-8") + "\r\n"
                + "note data" + b64("4111111111111111") + " end\r\n");
        m.put("evasion-hexword-after", head("evasion-hexword-after", "text/plain; charset=utf-8") + "\r\n"
                + "note key34313131313131313131313131313131X end\r\n");
        // binary bytes after a base64 value, and 0x-prefixed hex with a letter glued after it
        m.put("evasion-b64-trailer", head("evasion-b64-trailer", "text/plain; charset=utf-8") + "\r\n" + "v "
                + Base64.getEncoder().encodeToString("4111111111111111\0\0".getBytes(StandardCharsets.ISO_8859_1)) + " x\r\n");
        m.put("evasion-0x-hexletter", head("evasion-0x-hexletter", "text/plain; charset=utf-8") + "\r\n"
                + "v 0x34313131313131313131313131313131z x\r\n");
        m.put("evasion-cyrillic-glued", head("evasion-cyrillic-glued", "text/plain; charset=utf-8")
                + "Content-Transfer-Encoding: base64\r\n\r\n" + b64("\u043e\u043f\u043b\u0430\u0442\u04304111111111111111")
                + "\r\n");
        // each shown digit drawn over an invisible decoy digit (text rendering mode 3)
        m.put("evasion-pdf-decoys", withPdf("evasion-pdf-decoys", pdfWithDecoys("4111111111111111", "97")));
        // UTF-16 text under a name and type that do not say text
        byte[] utf16 = "\uFEFFCard on file 4111 1111 1111 1111, expires 12/28\r\n".getBytes(StandardCharsets.UTF_16LE);
        m.put("evasion-utf16-attachment", attached("evasion-utf16-attachment", "application/octet-stream", "notes.dat",
                utf16));
        // a text file labelled utf-16 without a byte order mark, written little-endian: Java reads the label
        // big-endian, an editor opening the saved file guesses little-endian
        // RFC 6532's message/global and a digest's item without a Content-Type (RFC 2046 §5.1.5) are messages
        String inner = "From: member@partner.example\r\nSubject: item\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
                + "<p>Card &#52;111 1111 1111 1111</p>\r\n";
        m.put("evasion-message-global", head("evasion-message-global", "multipart/mixed; boundary=b") + "\r\n--b\r\n"
                + "Content-Type: text/plain\r\n\r\nForwarded.\r\n--b\r\nContent-Type: message/global\r\n\r\n" + inner
                + "--b--\r\n");
        m.put("evasion-digest-item", head("evasion-digest-item", "multipart/digest; boundary=d") + "\r\n--d\r\n\r\n"
                + inner + "--d--\r\n");
        m.put("evasion-message-news", head("evasion-message-news", "multipart/mixed; boundary=b") + "\r\n--b\r\n"
                + "Content-Type: text/plain\r\n\r\nForwarded.\r\n--b\r\nContent-Type: message/news\r\n\r\n" + inner
                + "--b--\r\n");
        m.put("evasion-digest-bad-type", head("evasion-digest-bad-type", "multipart/digest; boundary=d") + "\r\n--d\r\n"
                + "Content-Type: text\r\n\r\n" + inner + "--d--\r\n");
        // a byte order mark against a label Java reads big-endian whatever the mark says
        m.put("evasion-utf16be-alias", attached("evasion-utf16be-alias", "text/plain; charset=x-utf-16be", "card.txt",
                "\uFEFFCard on file 4111 1111 1111 1111, expires 12/28\r\n".getBytes(StandardCharsets.UTF_16LE)));
        m.put("evasion-utf16-label", attached("evasion-utf16-label", "text/plain; charset=utf-16", "card.txt",
                "Card on file 4111 1111 1111 1111, expires 12/28\r\n".getBytes(StandardCharsets.UTF_16LE)));
        // a Word style name (shown in Word's Styles pane) written as character references, in a part the
        // document parser does not read: only the part read as XML gives the digits
        String refs = "Card &#52;&#49;&#49;&#49; &#49;&#49;&#49;&#49; &#49;&#49;&#49;&#49; &#49;&#49;&#49;&#49;";
        m.put("evasion-docx-style-refs", attached("evasion-docx-style-refs",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "report.docx",
                withPart(ContentExtractionIT.corpus("testWORD.docx"), "word/styles.xml", xml -> xml.replace("</w:styles>",
                        "<w:style w:type=\"paragraph\" w:customStyle=\"1\" w:styleId=\"CardNo\"><w:name w:val=\""
                                + refs + "\"/></w:style></w:styles>"))));
        return m;
    }

    /** A text part and {@code data} attached as {@code name} of type {@code type}, base64. */
    static String attached(String subject, String type, String name, byte[] data) {
        return head(subject, "multipart/mixed; boundary=b") + "\r\n--b\r\nContent-Type: text/plain\r\n\r\nAttached.\r\n"
                + "--b\r\nContent-Type: " + type + "; name=" + name + "\r\n"
                + "Content-Disposition: attachment; filename=" + name + "\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(data) + "\r\n--b--\r\n";
    }

    /** The zip at {@code zip} with the UTF-8 text of entry {@code entry} changed by {@code edit}. */
    static byte[] withPart(java.nio.file.Path zip, String entry, java.util.function.UnaryOperator<String> edit)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(java.nio.file.Files.newInputStream(zip));
             java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(bytes)) {
            boolean edited = false;
            for (java.util.zip.ZipEntry e; (e = in.getNextEntry()) != null; ) {
                byte[] data = in.readAllBytes();
                if (e.getName().equals(entry)) {
                    String changed = edit.apply(new String(data, StandardCharsets.UTF_8));
                    assertThat(changed).isNotEqualTo(new String(data, StandardCharsets.UTF_8));
                    data = changed.getBytes(StandardCharsets.UTF_8);
                    edited = true;
                }
                out.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                out.write(data);
            }
            assertThat(edited).as("entry " + entry + " in " + zip).isTrue();
        }
        return bytes.toByteArray();
    }

    /** A one-page PDF with {@code text}'s digits drawn one per text object, each over an invisible decoy digit. */
    static byte[] pdfWithDecoys(String text, String decoys) throws IOException {
        try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDPage page = new PDPage();
            doc.addPage(page);
            try (PDPageContentStream content = new PDPageContentStream(doc, page)) {
                content.beginText();
                content.setFont(PDType1Font.HELVETICA, 10);
                content.newLineAtOffset(72, 700);
                content.showText("Card number:");
                content.endText();
                float x = 160;
                for (int i = 0; i < text.length(); i++) {
                    for (boolean decoy : new boolean[] {true, false}) {
                        content.beginText();
                        content.setFont(PDType1Font.HELVETICA, 10);
                        content.setRenderingMode(decoy ? org.apache.pdfbox.pdmodel.graphics.state.RenderingMode.NEITHER
                                : org.apache.pdfbox.pdmodel.graphics.state.RenderingMode.FILL);
                        content.newLineAtOffset(x, 700);
                        content.showText(decoy ? String.valueOf(decoys.charAt(i % decoys.length())) : text.substring(i, i + 1));
                        content.endText();
                    }
                    x += PDType1Font.HELVETICA.getStringWidth(text.substring(i, i + 1)) / 1000 * 10;
                }
            }
            doc.save(out);
            return out.toByteArray();
        }
    }

    @Test
    void everyEvasionClassIsQuarantinedByItsDetectorRuleAndNothingIsDelivered() throws Exception {
        Map<String, String> messages = evasions();
        for (String raw : messages.values()) {
            james.submit(ALICE, PASSWORD, raw.getBytes(StandardCharsets.UTF_8), DAVE);
        }
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofSeconds(1))
                .until(() -> james.webAdmin().mailKeys(QUARANTINE).size() >= messages.size());
        List<String> keys = james.webAdmin().mailKeys(QUARANTINE);
        assertThat(keys).hasSize(messages.size());
        List<String> subjects = new ArrayList<>();
        for (String key : keys) {
            HttpResponse<String> details = james.webAdmin().send("GET", DlpIT.repo(QUARANTINE) + "/mails/"
                    + URLEncoder.encode(key, StandardCharsets.UTF_8) + "?additionalFields=attributes", null);
            assertThat(details.body()).contains("\"dev.tollgate.dlp.rules\":\"evasion-out\"");
            String content = james.webAdmin().mailContent(QUARANTINE, key);
            messages.keySet().stream().filter(content::contains).forEach(subjects::add);
        }
        assertThat(subjects).containsExactlyInAnyOrderElementsOf(messages.keySet());
        assertThat(sink.getLogs()).doesNotContain("RCPT TO:<" + DAVE + ">").doesNotContain("SINK STORED");
    }
}
