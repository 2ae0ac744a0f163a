package dev.tollgate.core.links;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.mail.BodyPart;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import javax.mail.internet.MimePart;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.tollgate.core.mime.TransferEncoding;

class MessageLinkRewriterTest {
    static final String BASE = "https://links.tollgate.test";
    private static final Session SESSION = Session.getInstance(new Properties());
    private final LinkTokenSigner signer = LinkTokenSigner.builder().signingKey("k1", key()).build();
    private final LinkRewritePolicy policy = LinkRewritePolicy.of(BASE, DoNotRewriteList.of(List.of("*.trusted.test")),
            List.of(), signer);
    private final MessageLinkRewriter rewriter = MessageLinkRewriter.builder().policy(policy)
            .scanner(LinkScanner.withDefaultChecks()).build();

    private static byte[] key() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return k;
    }

    static MimeMessage parse(String raw) throws Exception {
        return parse(raw.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    static MimeMessage parse(byte[] raw) throws Exception {
        return new MessageLinkRewriter.KeepIdMimeMessage(SESSION, new ByteArrayInputStream(raw));
    }

    static byte[] bytes(MimeMessage m) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeTo(out);
        return out.toByteArray();
    }

    /** The message after processing, serialised and parsed again as a receiver would. */
    private MimeMessage roundTrip(MimeMessage m, MessageLinkRewriter.Outcome o) throws Exception {
        MimeMessage result = o.replacement().orElse(m);
        if (o.changedInPlace()) {
            result.saveChanges();
        }
        return parse(bytes(result));
    }

    private String original(String redirectorUrl) {
        assertThat(redirectorUrl).startsWith(BASE + "/r/");
        LinkTokenSigner.Verification v = signer.verify(redirectorUrl.substring((BASE + "/r/").length()));
        assertThat(v.isValid()).as("token of " + redirectorUrl).isTrue();
        return v.token().orElseThrow().url();
    }

    private static String decodedText(MimePart part) throws Exception {
        try (InputStream in = part.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private List<String> hrefs(String html) {
        return HtmlLinkExtractor.create().extract(html, "").stream()
                .filter(l -> l.attribute().orElse("").equals("href")).map(HtmlLink::raw).collect(Collectors.toList());
    }

    @Test
    void htmlWithBytesThatAreNotValidUtf8IsScannedButNotRewrittenWhileALiteralReplacementCharIsRewritten() throws Exception {
        String head = "From: a@sender.test\r\nTo: b@rcpt.test\r\nSubject: bytes\r\nMessage-ID: <u8-1@sender.test>\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n";
        byte[] link = "<a href=\"https://shop.example/a\">shop</a>\r\n".getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream invalid = new ByteArrayOutputStream();
        invalid.write(head.getBytes(StandardCharsets.US_ASCII));
        invalid.write(new byte[] {'<', 'p', '>', (byte) 0xC3, '(', '<', '/', 'p', '>', '\r', '\n'});
        invalid.write(link);
        MessageLinkRewriter.Outcome bad = rewriter.process(parse(invalid.toByteArray()), "rcpt-1", "<u8-1@sender.test>", true);
        assertThat(bad.skipped()).containsExactly("1: bytes not valid UTF-8, scanned but not rewritten");
        assertThat(bad.links()).extracting(MessageLinkRewriter.FoundLink::url).containsExactly("https://shop.example/a");
        assertThat(bad.rewritten()).isZero();
        assertThat(bad.replacement()).isEmpty();

        ByteArrayOutputStream valid = new ByteArrayOutputStream();
        valid.write(head.getBytes(StandardCharsets.US_ASCII));
        valid.write("<p>\uFFFD marks a lost char</p>\r\n".getBytes(StandardCharsets.UTF_8));
        valid.write(link);
        MessageLinkRewriter.Outcome good = rewriter.process(parse(valid.toByteArray()), "rcpt-1", "<u8-1@sender.test>", true);
        assertThat(good.skipped()).isEmpty();
        assertThat(good.rewritten()).isEqualTo(1);
        assertThat(decodedText(roundTrip(parse(valid.toByteArray()), good))).contains("\uFFFD marks a lost char");
    }

    /** What {@code html} reads with each redirector link of it put back to the URL its token holds. */
    private String linksPutBack(String html) {
        String back = html;
        for (String h : hrefs(html)) {
            back = back.replace(h, original(h));
        }
        return back;
    }

    /**
     * A quoted-printable part whose escapes give a lone LF or CR ({@code =0A}, {@code =0D}, RFC 2045 §6.7 rule 1)
     * cannot have only its changed soft lines re-encoded, and is encoded whole: the lone LF and CR come back as
     * they were, not as CRLF line breaks.
     */
    @Test
    void aQuotedPrintablePartWithEscapedLoneLineFeedsKeepsThemWhenEncodedWhole() throws Exception {
        String encoded = "<p>un =0D deux=0D=0A trois =0a quatre</p>\r\n<p><a href=3D\"https://shop.example/lf\">lf</a> caf=C3=A9</p>\r\n";
        String decoded = "<p>un \r deux\r\n trois \n quatre</p>\r\n<p><a href=\"https://shop.example/lf\">lf</a> caf\u00e9</p>\r\n";
        byte[] raw = ("From: a@sender.test\r\nTo: b@rcpt.test\r\nSubject: lf\r\nMessage-ID: <lf-1@sender.test>\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: quoted-printable\r\n\r\n" + encoded).getBytes(StandardCharsets.US_ASCII);
        assertThat(decodedText(parse(raw))).isEqualTo(decoded);
        MimeMessage m = parse(raw);
        MessageLinkRewriter.Outcome o = rewriter.process(m, "rcpt-1", "<lf-1@sender.test>", true);
        assertThat(o.rewritten()).isEqualTo(1);
        MimeMessage back = roundTrip(m, o);
        assertThat(back.getEncoding()).isEqualTo("quoted-printable");
        assertThat(hrefs(decodedText(back))).hasSize(1).allMatch(h -> h.startsWith(BASE + "/r/"));
        assertThat(linksPutBack(decodedText(back))).isEqualTo(decoded);
    }

    /**
     * A part sent as it is (7bit, 8bit) whose rewritten links lengthen a line past 998 octets (RFC 5322 §2.1.1) is
     * written quoted-printable instead, its Content-Transfer-Encoding header saying so; its text is the same with
     * the links put back. Lines that stay short keep the part as sent.
     */
    @Test
    void aLineARewrittenLinkLengthensPast998OctetsIsWrittenQuotedPrintable() throws Exception {
        String line = "<p>" + "word ".repeat(130) + "<a href=\"https://shop.example/1\">one</a> "
                + "<a href=\"https://shop.example/2\">two</a> <a href=\"https://shop.example/3\">three</a> caf\u00e9</p>";
        assertThat(line.length()).isLessThan(TransferEncoding.MAX_LINE_OCTETS);
        String html = line + "\r\n<p>short</p>\r\n";
        String head = "From: a@sender.test\r\nTo: b@rcpt.test\r\nSubject: long\r\nMessage-ID: <long-1@sender.test>\r\n"
                + "MIME-Version: 1.0\r\n";

        byte[] single = (head + "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + html)
                .getBytes(StandardCharsets.UTF_8);
        MimeMessage m = parse(single);
        MessageLinkRewriter.Outcome o = rewriter.process(m, "rcpt-1", "<long-1@sender.test>", true);
        assertThat(o.rewritten()).isEqualTo(3);
        MimeMessage back = roundTrip(m, o);
        assertThat(back.getEncoding()).isEqualTo("quoted-printable");
        assertThat(TransferEncoding.longestLine(bytes(back))).isLessThanOrEqualTo(TransferEncoding.MAX_LINE_OCTETS);
        assertThat(hrefs(decodedText(back))).hasSize(3).allMatch(h -> h.startsWith(BASE + "/r/"));
        assertThat(linksPutBack(decodedText(back))).isEqualTo(html);

        String plain = "Three links, see the HTML.\r\n";
        byte[] alternative = (head + "Content-Type: multipart/alternative; boundary=\"b\"\r\n\r\n"
                + "--b\r\nContent-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: 7bit\r\n\r\n" + plain
                + "--b\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + html
                + "--b--\r\n").getBytes(StandardCharsets.UTF_8);
        MimeMessage a = parse(alternative);
        MessageLinkRewriter.Outcome ao = rewriter.process(a, "rcpt-1", "<long-1@sender.test>", true);
        assertThat(ao.rewritten()).isEqualTo(3);
        MimeMultipart parts = (MimeMultipart) roundTrip(a, ao).getContent();
        MimePart text = (MimePart) parts.getBodyPart(0);
        MimePart rich = (MimePart) parts.getBodyPart(1);
        assertThat(text.getEncoding()).isEqualTo("7bit");
        assertThat(decodedText(text)).isEqualTo(plain.substring(0, plain.length() - 2));
        assertThat(rich.getEncoding()).isEqualTo("quoted-printable");
        assertThat(TransferEncoding.longestLine(bytes(roundTrip(a, ao)))).isLessThanOrEqualTo(TransferEncoding.MAX_LINE_OCTETS);
        assertThat(linksPutBack(decodedText(rich))).isEqualTo(html.substring(0, html.length() - 2));

        // a lone CR does not end a line (RFC 5322 §2.3): the line is as long as its two halves
        String crLine = "<p>" + "a".repeat(440) + "\r" + "b".repeat(440) + " <a href=\"https://shop.example/cr\">cr</a></p>\r\n";
        MimeMessage c = parse((head + "Content-Type: text/html; charset=us-ascii\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                + crLine).getBytes(StandardCharsets.US_ASCII));
        MessageLinkRewriter.Outcome co = rewriter.process(c, "rcpt-1", "<long-1@sender.test>", true);
        assertThat(co.rewritten()).isEqualTo(1);
        MimeMessage crBack = roundTrip(c, co);
        assertThat(crBack.getEncoding()).isEqualTo("quoted-printable");
        assertThat(linksPutBack(decodedText(crBack))).isEqualTo(crLine);

        String shortHtml = "<p><a href=\"https://shop.example/1\">one</a> caf\u00e9</p>\r\n";
        byte[] shortLines = (head + "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                + shortHtml).getBytes(StandardCharsets.UTF_8);
        MimeMessage s = parse(shortLines);
        MessageLinkRewriter.Outcome so = rewriter.process(s, "rcpt-1", "<long-1@sender.test>", true);
        assertThat(so.rewritten()).isEqualTo(1);
        MimeMessage shortBack = roundTrip(s, so);
        assertThat(shortBack.getEncoding()).isEqualTo("8bit");
        assertThat(linksPutBack(decodedText(shortBack))).isEqualTo(shortHtml);
    }

    /**
     * JavaMail saves a message by parsing every part's Content-Type again, down to parts the walk never visits: with a
     * part whose parameters do not parse, a message changed in place could not be saved, so the parts are put back
     * and nothing is counted as rewritten, wherever that part sits.
     */
    @Test
    void aMessageWithAPartJavaMailCannotSaveKeepsItsPartsAsSent() throws Exception {
        String html = "--mm\nContent-Type: text/html\n\n<a href=\"https://shop.example/q\">q</a>\n";
        String bad = "Content-Type: application/octet-stream; name=\"a\nContent-Transfer-Encoding: base64\n\nAAEC\n";
        Map<String, String> shapes = new java.util.LinkedHashMap<>();
        shapes.put("after the link", html + "--mm\n" + bad);
        shapes.put("before the link", "--mm\n" + bad + html);
        shapes.put("in a digest", html + "--mm\nContent-Type: multipart/digest; boundary=\"dd\"\n\n--dd\n" + bad
                + "--dd--\n");
        shapes.put("in a multipart/encrypted", html + "--mm\nContent-Type: multipart/encrypted;"
                + " protocol=\"application/pgp-encrypted\"; boundary=\"ee\"\n\n--ee\nContent-Type:"
                + " application/pgp-encrypted\n\nVersion: 1\n--ee\n" + bad + "--ee--\n");
        for (Map.Entry<String, String> shape : shapes.entrySet()) {
            String raw = "From: a@sender.test\nTo: b@rcpt.test\nSubject: bad part\nMessage-ID: <bad-1@sender.test>\n"
                    + "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"mm\"\n\n" + shape.getValue() + "--mm--\n";
            MimeMessage m = parse(raw);
            byte[] before = bytes(m);
            MessageLinkRewriter.Outcome o = rewriter.process(m, "rcpt-1", "<bad-1@sender.test>", true);

            assertThat(o.changedInPlace()).as(shape.getKey()).isFalse();
            assertThat(o.rewritten()).as(shape.getKey()).isZero();
            assertThat(o.links()).as(shape.getKey()).extracting(MessageLinkRewriter.FoundLink::url)
                    .contains("https://shop.example/q");
            assertThat(o.links()).as(shape.getKey()).noneMatch(MessageLinkRewriter.FoundLink::rewritten);
            String why = "message: a part JavaMail cannot save (unparsable Content-Type or multipart), links not"
                    + " rewritten, not examined";
            assertThat(o.skipped()).as(shape.getKey()).contains(why);
            // reported as not examined: by the part itself where the walk reads it, else by the put-back
            assertThat(o.unexamined()).as(shape.getKey()).hasSize(1);
            assertThat(new String(bytes(m), StandardCharsets.UTF_8)).as(shape.getKey())
                    .isEqualTo(new String(before, StandardCharsets.UTF_8)).contains("https://shop.example/q");
        }
        // the same message with a well-formed part is rewritten as usual
        MimeMessage good = parse("From: a@sender.test\nTo: b@rcpt.test\nSubject: good part\nMIME-Version: 1.0\n"
                + "Content-Type: multipart/mixed; boundary=\"mm\"\n\n" + html + "--mm\n"
                + bad.replace("name=\"a\n", "name=\"a\"\n") + "--mm--\n");
        MessageLinkRewriter.Outcome o = rewriter.process(good, "rcpt-1", "", true);
        assertThat(o.changedInPlace()).isTrue();
        assertThat(o.rewritten()).isEqualTo(1);
        assertThat(new String(bytes(roundTrip(good, o)), StandardCharsets.UTF_8)).contains(BASE + "/r/")
                .doesNotContain("https://shop.example/q");
    }

    /** A soft break with trailing blanks inside the attribute name: an RFC 2045 reader sees the href, so do we. */
    @Test
    void aHrefSplitBySoftBreakWithTrailingBlanksIsRewritten() throws Exception {
        MimeMessage m = parse("From: a@sender.test\nTo: b@rcpt.test\nSubject: QP\nMessage-ID: <qp-2@sender.test>\n"
                + "MIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n"
                + "<a h= \nref=3D\"https://shop.example/login\">shop</a>\n");
        MessageLinkRewriter.Outcome o = rewriter.process(m, "rcpt-1", "<qp-2@sender.test>", true);
        assertThat(o.links()).extracting(MessageLinkRewriter.FoundLink::url).containsExactly("https://shop.example/login");
        assertThat(o.rewritten()).isEqualTo(1);
        List<String> hrefs = hrefs(decodedText(roundTrip(m, o)));
        assertThat(original(hrefs.get(0))).isEqualTo("https://shop.example/login");
    }

    /** A malformed escape elsewhere must not make the padded soft break (or tab padding) part of the text. */
    @Test
    void aBodyWithAMalformedEscapeIsStillReadAsTheRfcSays() throws Exception {
        MimeMessage m = parse("From: a@sender.test\nTo: b@rcpt.test\nSubject: QP\nMessage-ID: <qp-3@sender.test>\n"
                + "MIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n"
                + "<p>caf=  \n=C3=A9 <a href=3D\"https://shop.example/login\">shop</a> =G1 a = b</p>\t\nend\n");
        MessageLinkRewriter.Outcome o = rewriter.process(m, "rcpt-1", "<qp-3@sender.test>", true);
        assertThat(o.rewritten()).isEqualTo(1);
        String text = decodedText(roundTrip(m, o));
        assertThat(text).startsWith("<p>caf\u00e9 <a href=").contains("</a> =G1 a = b</p>\r\nend");
        assertThat(original(hrefs(text).get(0))).isEqualTo("https://shop.example/login");
    }

    @Test
    void aBodyReadersReadDifferentlyIsNotExamined() throws Exception {
        String head = "From: a@sender.test\nTo: b@rcpt.test\nSubject: two\nMessage-ID: <amb-1@sender.test>\nMIME-Version: 1.0\n";
        String parts = "\n--A\nContent-Type: text/html\n\n<a href=\"https://a.example/\">a</a>\n"
                + "--B\nContent-Type: text/html\n\n<a href=\"https://b.example/\">b</a>\n--B--\n--A--\n";
        MessageLinkRewriter.Outcome boundaries = rewriter.process(parse(head
                + "Content-Type: multipart/mixed; boundary=\"B\"; boundary*=us-ascii''A\n" + parts), "rcpt-1",
                "<amb-1@sender.test>", true);
        assertThat(boundaries.unexamined()).singleElement().asString().contains("boundary given 2 times");
        assertThat(boundaries.rewritten()).isZero();
        MessageLinkRewriter.Outcome none = rewriter.process(parse(head + "Content-Type: multipart/mixed\n"
                + parts.replace("--B", "--A")), "rcpt-1", "<amb-1@sender.test>", true);
        assertThat(none.unexamined()).singleElement().asString().contains("no boundary parameter");
        MessageLinkRewriter.Outcome charsets = rewriter.process(parse(head
                + "Content-Type: text/html; charset=us-ascii; charset=utf-16le\n\n<a href=\"https://c.example/\">c</a>\n"),
                "rcpt-1", "<amb-1@sender.test>", true);
        assertThat(charsets.unexamined()).containsExactly("1: Content-Type with charset given 2 times, not examined");
        assertThat(charsets.replacement()).isEmpty();
        // UTF-16 without a byte order mark: Java reads big-endian, browsers little-endian
        String le = java.util.Base64.getMimeEncoder().encodeToString(
                "<a href=\"https://d.example/\">d</a>".getBytes(StandardCharsets.UTF_16LE));
        MessageLinkRewriter.Outcome wide = rewriter.process(parse(head + "Content-Type: text/html; charset=utf-16\n"
                + "Content-Transfer-Encoding: base64\n\n" + le + "\n"), "rcpt-1", "<amb-1@sender.test>", true);
        assertThat(wide.unexamined()).containsExactly("1: utf-16 without a byte order mark, not examined");
        // a boundary with a backslash escape: JavaMail removes it, James's IMAP server keeps it
        MessageLinkRewriter.Outcome escaped = rewriter.process(parse(head
                + "Content-Type: multipart/mixed; boundary=\"a\\\\xb\"\n" + parts.replace("--A", "--axb")), "rcpt-1",
                "<amb-1@sender.test>", true);
        assertThat(escaped.unexamined()).singleElement().asString().contains("boundary given with a backslash escape");
        // a part header without its empty line: JavaMail reads the HTML line as a header field, other readers as body
        MessageLinkRewriter.Outcome noBlank = rewriter.process(parse(head + "Content-Type: multipart/mixed; boundary=b\n"
                + "\n--b\nContent-Type: text/html\n<p><a href=\"https://e.example/\">e</a></p>\n\n--b--\n"),
                "rcpt-1", "<amb-1@sender.test>", true);
        assertThat(noBlank.unexamined()).containsExactly(
                "1: malformed part (header line 2 is not a header field: readers read its body differently), "
                        + "not examined");
        assertThat(noBlank.replacement()).isEmpty();
    }

    @Test
    void anAttachmentAnyOfWhoseNamesIsHtmlIsScannedAsHtml() throws Exception {
        String head = "From: a@sender.test\nTo: b@rcpt.test\nSubject: names\nMessage-ID: <names-1@sender.test>\n"
                + "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nhi\n--b\n"
                + "Content-Type: application/octet-stream\n";
        String file = "\n\n<a href=\"https://evil.example/login\">x</a>\n--b--\n";
        for (String disposition : new String[] {"attachment; filename=\"a.html\"; filename=\"a.txt\"",
            "attachment; filename=\"a.txt\"; filename=\"a.html\"", "attachment; filename*0=\"a.txt\"; filename*1=\".htm\""}) {
            MessageLinkRewriter.Outcome o = rewriter.process(parse(head + "Content-Disposition: " + disposition + file),
                    "rcpt-1", "<names-1@sender.test>", true);
            assertThat(o.links()).as(disposition).hasSize(1);
        }
        MessageLinkRewriter.Outcome txt = rewriter.process(parse(head + "Content-Disposition: attachment; filename=a.txt"
                + file), "rcpt-1", "<names-1@sender.test>", true);
        assertThat(txt.links()).isEmpty();
    }

    @Test
    void aPartWithTwoTransferEncodingsOrTypesIsNotExaminedAndAPartWithOneIs() throws Exception {
        String head = "From: a@sender.test\nTo: b@rcpt.test\nSubject: two\nMessage-ID: <two-1@sender.test>\nMIME-Version: 1.0\n";
        String link = "\n<a href=3D\"https://shop.example/a\">shop</a>\n";
        MessageLinkRewriter.Outcome two = rewriter.process(parse(head + "Content-Type: text/html; charset=utf-8\n"
                + "Content-Transfer-Encoding: 7bit\nContent-Transfer-Encoding: quoted-printable\n" + link),
                "rcpt-1", "<two-1@sender.test>", true);
        assertThat(two.unexamined()).containsExactly("1: 2 Content-Transfer-Encoding fields, not examined");
        assertThat(two.replacement()).isEmpty();
        MessageLinkRewriter.Outcome types = rewriter.process(parse(head + "Content-Type: text/plain\n"
                + "Content-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n" + link),
                "rcpt-1", "<two-1@sender.test>", true);
        assertThat(types.unexamined()).containsExactly("1: 2 Content-Type fields, not examined");
        MessageLinkRewriter.Outcome one = rewriter.process(parse(head + "Content-Type: text/html; charset=utf-8\n"
                + "Content-Transfer-Encoding: quoted-printable\n" + link), "rcpt-1", "<two-1@sender.test>", true);
        assertThat(one.unexamined()).isEmpty();
        assertThat(one.rewritten()).isEqualTo(1);
    }

    @Test
    void quotedPrintableHtmlIsRewrittenAndStaysQuotedPrintable() throws Exception {
        String longPath = "/" + "p".repeat(90);
        MimeMessage m = parse("From: a@sender.test\nTo: b@rcpt.test\nSubject: QP\nMessage-ID: <qp-1@sender.test>\n"
                + "MIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n"
                + "<p>H=C3=A9llo <a href=3D\"https://shop.example/a?x=3D1&amp;y=3D2\">shop</a>\n"
                + "<a href=3Dhttps://unquoted.example/u>u</a> <a href =3D 'https://spaced.example=\n"
                + longPath + "'>s</a>\n"
                + "<a href=3D\"mailto:a@b.test\">m</a><a href=3D\"tel:+123\">t</a><a href=3D\"#top\">a</a>\n"
                + "<a href=3D\"cid:img1\">c</a><a href=3D\"ftp://f.example/\">f</a><a href=3D\"https://x.trusted.test/\">ok</a>\n"
                + ".leading dot line</p>\n");
        MessageLinkRewriter.Outcome o = rewriter.process(m, "rcpt-1", "<qp-1@sender.test>", true);
        assertThat(o.rewritten()).isEqualTo(3);
        assertThat(o.replacement()).isPresent();
        MimeMessage back = roundTrip(m, o);
        assertThat(back.getMessageID()).isEqualTo("<qp-1@sender.test>");
        assertThat(back.getEncoding()).isEqualTo("quoted-printable");
        assertThat(back.getContentType()).isEqualTo("text/html; charset=utf-8");
        String raw = new String(bytes(back), StandardCharsets.US_ASCII);
        String body = raw.substring(raw.indexOf("\r\n\r\n") + 4);
        // re-encoded lines keep the 76-char limit (RFC 2045 §6.7 rule 5) and escape a leading dot; the lines
        // without a rewritten link stay as the sender wrote them (two over the limit, one with a leading dot)
        List<String> unchanged = List.of(
                "<a href=3D\"mailto:a@b.test\">m</a><a href=3D\"tel:+123\">t</a><a href=3D\"#top\">a</a>",
                "<a href=3D\"cid:img1\">c</a><a href=3D\"ftp://f.example/\">f</a><a href=3D\"https://x.trusted.test/\">ok</a>",
                ".leading dot line</p>");
        assertThat(body.split("\r\n")).containsAll(unchanged);
        for (String line : body.split("\r\n")) {
            if (!unchanged.contains(line)) {
                assertThat(line.length()).isLessThanOrEqualTo(76);
                assertThat(line).doesNotStartWith(".");
            }
        }
        String html = decodedText(back);
        assertThat(html).contains("Héllo").contains("\n.leading dot line");
        List<String> hrefs = hrefs(html);
        assertThat(original(hrefs.get(0))).isEqualTo("https://shop.example/a?x=1&y=2");
        assertThat(original(hrefs.get(1))).isEqualTo("https://unquoted.example/u");
        assertThat(original(hrefs.get(2))).isEqualTo("https://spaced.example" + longPath);
        assertThat(hrefs.subList(3, hrefs.size())).containsExactly("mailto:a@b.test", "tel:+123", "#top", "cid:img1",
                "ftp://f.example/", "https://x.trusted.test/");
        assertThat(o.links()).hasSize(9);
    }

    @Test
    void signerTokenCarriesRecipientAndMessageId() throws Exception {
        MimeMessage m = parse("Content-Type: text/html\n\n<a href=\"https://a.example/\">a</a>");
        MessageLinkRewriter.Outcome o = rewriter.process(m, "rcpt-9", "<m9@x>", true);
        String href = hrefs(decodedText(roundTrip(m, o))).get(0);
        LinkToken token = signer.verify(href.substring((BASE + "/r/").length())).token().orElseThrow();
        assertThat(token.recipientId()).isEqualTo("rcpt-9");
        assertThat(token.messageId()).isEqualTo("<m9@x>");
    }

    private static final String ALTERNATIVE = "From: a@sender.test\nTo: b@rcpt.test\nSubject: alt\n"
            + "Message-ID: <alt-1@sender.test>\nMIME-Version: 1.0\n"
            + "Content-Type: multipart/mixed; boundary=\"outer\"\n\npreamble\n--outer\n"
            + "Content-Type: multipart/alternative; boundary=\"inner\"\n\n--inner\n"
            + "Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\n"
            + "Gr=FC=DFe, see https://plain.example/x?y=3D1. Mail me at mailto:a@b.test\n--inner\n"
            + "Content-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: base64\n\n%s\n--inner--\n"
            + "--outer\nContent-Type: text/calendar; method=REQUEST; charset=utf-8\n\n"
            + "BEGIN:VCALENDAR\nURL:https://calendar.example/meeting\nEND:VCALENDAR\n"
            + "--outer\nContent-Type: text/html; name=\"att.html\"\nContent-Disposition: attachment; filename=\"att.html\"\n\n"
            + "<a href=\"https://attachment.example/\">x</a>\n--outer--\n";

    private static String alternative() {
        String html = "<html><body><a href=\"https://html.example/ü\">é</a>"
                + "<a href=\"https://eur01.safelinks.protection.outlook.com/?url=https%3A%2F%2Fx.example\">w</a>"
                + "<a href=\"" + BASE + "/r/AAAA\">ours</a></body></html>";
        return String.format(ALTERNATIVE, java.util.Base64.getMimeEncoder().encodeToString(html.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void multipartHtmlRewrittenBase64StaysBase64CalendarAttachmentAndWrappersUntouched() throws Exception {
        MimeMessage m = parse(alternative());
        byte[] before = bytes(parse(alternative()));
        MessageLinkRewriter.Outcome o = rewriter.process(m, "", "", true);
        assertThat(o.rewritten()).isEqualTo(1);
        assertThat(o.changedInPlace()).isTrue();
        assertThat(o.skipped()).anyMatch(s -> s.startsWith("2: text/calendar"))
                .anyMatch(s -> s.startsWith("3: text/html attachment"));
        MimeMessage back = roundTrip(m, o);
        assertThat(back.getMessageID()).isEqualTo("<alt-1@sender.test>");
        MimeMultipart outer = (MimeMultipart) back.getContent();
        MimeMultipart inner = (MimeMultipart) outer.getBodyPart(0).getContent();
        BodyPart html = inner.getBodyPart(1);
        assertThat(((MimePart) html).getEncoding()).isEqualTo("base64");
        List<String> hrefs = hrefs(decodedText((MimePart) html));
        assertThat(original(hrefs.get(0))).isEqualTo("https://html.example/ü");
        assertThat(hrefs.get(1)).startsWith("https://eur01.safelinks.protection.outlook.com/");
        assertThat(hrefs.get(2)).isEqualTo(BASE + "/r/AAAA");
        // plain text is not rewritten by default; the calendar and attachment parts keep their bytes
        String after = new String(bytes(back), StandardCharsets.UTF_8);
        String orig = new String(before, StandardCharsets.UTF_8);
        assertThat(after).contains("Gr=FC=DFe, see https://plain.example/x?y=3D1.");
        assertThat(after).contains(section(orig, "BEGIN:VCALENDAR", "END:VCALENDAR"));
        assertThat(after).contains(section(orig, "--outer\r\nContent-Type: text/html; name", "--outer--"));
    }

    @Test
    void aRewrittenMultipartKeepsTheSendersPreamblesAndEpiloguesWithTheirLineEnds() throws Exception {
        String raw = "From: a@sender.test\r\nTo: b@rcpt.test\r\nSubject: frame\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n"
                + "This is a multi-part message in MIME format.  \r\n\r\n--outer\r\n"
                + "Content-Type: multipart/alternative; boundary=\"inner\"\r\n\r\ninner preamble\r\n--inner\r\n"
                + "Content-Type: text/html; charset=us-ascii\r\n\r\n<a href=\"https://html.example/\">x</a>\r\n"
                + "--inner--\r\ninner epilogue\r\n\r\n--outer\r\nContent-Type: text/plain\r\n\r\nsecond\r\n"
                + "--outer--\r\nouter epilogue, line 1\r\nline 2\r\n";
        MimeMessage m = parse(raw.getBytes(StandardCharsets.US_ASCII));
        MessageLinkRewriter.Outcome o = rewriter.process(m, "", "", true);
        assertThat(o.rewritten()).isEqualTo(1);
        m.saveChanges();
        String after = new String(bytes(m), StandardCharsets.US_ASCII);
        String body = after.substring(after.indexOf("\r\n\r\n") + 4);
        assertThat(body).startsWith("This is a multi-part message in MIME format.  \r\n\r\n--outer\r\n")
                .contains("\r\n\r\ninner preamble\r\n--inner\r\n")
                .contains("--inner--\r\ninner epilogue\r\n\r\n--outer\r\n")
                .endsWith("--outer--\r\nouter epilogue, line 1\r\nline 2\r\n")
                .doesNotContain("https://html.example/\"");
        assertThat(after.replace("\r\n", "")).as("no bare LF or CR").doesNotContain("\n").doesNotContain("\r");
    }

    private static String section(String s, String from, String to) {
        int a = s.indexOf(from);
        return s.substring(a, s.indexOf(to, a) + to.length());
    }

    @Test
    void plainTextIsRewrittenWhenEnabled() throws Exception {
        MessageLinkRewriter withText = MessageLinkRewriter.builder().policy(policy).rewritePlainText(true).build();
        MimeMessage m = parse(alternative());
        MessageLinkRewriter.Outcome o = withText.process(m, "", "", true);
        assertThat(o.rewritten()).isEqualTo(2);
        MimeMessage back = roundTrip(m, o);
        MimePart plain = (MimePart) ((MimeMultipart) ((MimeMultipart) back.getContent()).getBodyPart(0).getContent()).getBodyPart(0);
        assertThat(plain.getEncoding()).isEqualTo("quoted-printable");
        String text = (String) plain.getContent();
        assertThat(text).startsWith("Grüße, see " + BASE + "/r/").contains(". Mail me at mailto:a@b.test");
        String url = text.substring(text.indexOf(BASE), text.indexOf(". Mail"));
        assertThat(original(url)).isEqualTo("https://plain.example/x?y=1");
    }

    private static final String SIGNED = "From: a@sender.test\nTo: b@rcpt.test\nSubject: signed\nMIME-Version: 1.0\n"
            + "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256; boundary=\"sig\"\n\n"
            + "--sig\nContent-Type: text/html; charset=us-ascii\nContent-Transfer-Encoding: 7bit\n\n"
            + "<a href=\"https://evil.example@bank.example/\">https://bank.example/</a>\n"
            + "--sig\nContent-Type: application/pkcs7-signature; name=smime.p7s\nContent-Transfer-Encoding: base64\n\n"
            + "MIAGCSqGSIb3DQEHAqCAMIACAQExDzANBglghkgBZQMEAgEFADCABgkqhkiG9w0BBwEAAKCAMIIC\n--sig--\n";

    @Test
    void signedMessageIsScannedButItsBytesAreUnchanged() throws Exception {
        MimeMessage m = parse(SIGNED);
        byte[] before = bytes(parse(SIGNED));
        MessageLinkRewriter.Outcome o = rewriter.process(m, "", "", true);
        assertThat(o.rewritten()).isZero();
        assertThat(o.changedInPlace()).isFalse();
        assertThat(o.replacement()).isEmpty();
        assertThat(o.skipped()).anyMatch(s -> s.contains("multipart/signed"));
        assertThat(o.worst()).isEqualTo(LinkVerdict.Level.MALICIOUS);
        assertThat(bytes(m)).isEqualTo(before);
    }

    @Test
    void encryptedAndPkcs7AndInlinePgpAreNotRewritten() throws Exception {
        MimeMessage pgp = parse("Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=b\n\n"
                + "--b\nContent-Type: application/pgp-encrypted\n\nVersion: 1\n--b\nContent-Type: application/octet-stream\n\nxx\n--b--\n");
        assertThat(rewriter.process(pgp, "", "", true).skipped()).anyMatch(s -> s.contains("multipart/encrypted"));
        MimeMessage p7 = parse("Content-Type: application/pkcs7-mime; smime-type=enveloped-data\nContent-Transfer-Encoding: base64\n\nMIAG\n");
        MessageLinkRewriter.Outcome o = rewriter.process(p7, "", "", true);
        assertThat(o.skipped()).anyMatch(s -> s.contains("application/pkcs7-mime"));
        assertThat(o.replacement()).isEmpty();
        MimeMessage inline = parse("Content-Type: text/plain\n\n-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n"
                + "see https://a.example/\n-----BEGIN PGP SIGNATURE-----\nxx\n-----END PGP SIGNATURE-----\n");
        MessageLinkRewriter withText = MessageLinkRewriter.builder().policy(policy).rewritePlainText(true).build();
        MessageLinkRewriter.Outcome i = withText.process(inline, "", "", true);
        assertThat(i.replacement()).isEmpty();
        assertThat(i.links()).hasSize(1);
        assertThat(i.skipped()).anyMatch(s -> s.contains("inline PGP"));
    }

    @Test
    void aPgpMarkerInHtmlOrInsideALineDoesNotSwitchRewritingOff() throws Exception {
        MimeMessage html = parse("Content-Type: text/html\n\n<!-- -----BEGIN PGP SIGNED MESSAGE----- -->"
                + "<a href=\"https://a.example/reset\">here</a>\n");
        MessageLinkRewriter.Outcome h = rewriter.process(html, "", "", true);
        assertThat(h.rewritten()).isEqualTo(1);
        assertThat(h.skipped()).noneMatch(s -> s.contains("inline PGP"));
        MimeMessage quoted = parse("Content-Type: text/plain\n\nthe marker is \"-----BEGIN PGP SIGNED MESSAGE-----\"\n"
                + "see https://a.example/\n");
        MessageLinkRewriter withText = MessageLinkRewriter.builder().policy(policy).rewritePlainText(true).build();
        assertThat(withText.process(quoted, "", "", true).rewritten()).isEqualTo(1);
    }

    @Test
    void dkimSignedMailIsLeftAloneOnlyWhenItsSignatureVerifies() throws Exception {
        String raw = "DKIM-Signature: v=1; a=rsa-sha256; d=sender.test; s=s; h=from; bh=x; b=y\n"
                + "Content-Type: text/html\n\n<a href=\"https://a.example/\">a</a>\n";
        // no verifier configured: the header alone protects nothing
        MessageLinkRewriter.Outcome unchecked = rewriter.process(parse(raw), "", "", true);
        assertThat(unchecked.rewritten()).isEqualTo(1);
        assertThat(unchecked.dkim()).hasValueSatisfying(d -> assertThat(d.verified()).isFalse());

        MessageLinkRewriter failing = MessageLinkRewriter.builder().policy(policy)
                .dkimCheck(m -> DkimCheck.Result.failed("body hash did not verify")).build();
        MessageLinkRewriter.Outcome failed = failing.process(parse(raw), "", "", true);
        assertThat(failed.rewritten()).isEqualTo(1);
        assertThat(failed.skipped()).noneMatch(s -> s.contains("DKIM"));

        MessageLinkRewriter verifying = MessageLinkRewriter.builder().policy(policy)
                .dkimCheck(m -> DkimCheck.Result.verified("d=sender.test s=s")).build();
        MessageLinkRewriter.Outcome kept = verifying.process(parse(raw), "", "", true);
        assertThat(kept.rewritten()).isZero();
        assertThat(kept.links()).hasSize(1);
        assertThat(kept.skipped()).anyMatch(s -> s.contains("DKIM signature verified (d=sender.test s=s)"));

        MessageLinkRewriter always = MessageLinkRewriter.builder().policy(policy).rewriteDkimSigned(true)
                .dkimCheck(m -> DkimCheck.Result.verified("d=sender.test s=s")).build();
        MessageLinkRewriter.Outcome forced = always.process(parse(raw), "", "", true);
        assertThat(forced.rewritten()).isEqualTo(1);
        assertThat(forced.dkim()).isEmpty();
    }

    @Test
    void unsignedMailIsNotChecked() throws Exception {
        MessageLinkRewriter verifying = MessageLinkRewriter.builder().policy(policy)
                .dkimCheck(m -> { throw new AssertionError("checked an unsigned message"); }).build();
        MessageLinkRewriter.Outcome o = verifying.process(
                parse("Content-Type: text/html\n\n<a href=\"https://a.example/\">a</a>\n"), "", "", true);
        assertThat(o.rewritten()).isEqualTo(1);
        assertThat(o.dkim()).isEmpty();
    }

    @Test
    void scanOnlyNeverChangesTheMessage() throws Exception {
        MimeMessage m = parse(alternative());
        MessageLinkRewriter.Outcome o = rewriter.process(m, "", "", false);
        assertThat(o.rewritten()).isZero();
        assertThat(o.changedInPlace()).isFalse();
        assertThat(o.links()).extracting(MessageLinkRewriter.FoundLink::url)
                .contains("https://html.example/ü", "https://plain.example/x?y=1");
    }

    static final String DANGEROUS_HTML = "<p>Invoice <a href=\"javascript:alert(1)\">Pay now</a>\n"
            + "<a class=b href=' JaVa&#x0A;Script:alert(2)'>Second</a> <a href=javascript:alert(3)>Third</a>\n"
            + "<map><area href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCg0KTwvc2NyaXB0Pg==\" alt=\"Map\"></map>\n"
            + "<a href=\"VBScript:msgbox(5)\">Fifth</a> <a href=\"mailto:help@shop.example\">Mail</a>\n"
            + "<a href=\"https://shop.example/\">Shop</a></p>\n";

    private String originalOfAny(String redirectorUrl) {
        assertThat(redirectorUrl).startsWith(BASE + "/r/");
        LinkTokenSigner.Verification v = signer.verify(redirectorUrl.substring((BASE + "/r/").length()));
        assertThat(v.isValid()).isTrue();
        return v.token().orElseThrow().url();
    }

    @Test
    void maliciousLinksThatAreNotHttpAreNeutralisedAndTheirTextStays() throws Exception {
        MimeMessage m = parse("Content-Type: text/html; charset=utf-8\n\n" + DANGEROUS_HTML);
        MessageLinkRewriter.Outcome o = rewriter.process(m, "rcpt", "<n@x>", true);
        assertThat(o.neutralised()).isEqualTo(5);
        assertThat(o.rewritten()).isEqualTo(6);
        String html = decodedText(roundTrip(m, o));
        assertThat(html.toLowerCase(java.util.Locale.ROOT)).doesNotContain("script:").doesNotContain("data:");
        assertThat(html).contains(">Pay now</a>").contains("class=b href=").contains(">Second</a>")
                .contains(">Third</a>").contains("alt=\"Map\"").contains(">Fifth</a>");
        List<String> hrefs = hrefs(html);
        assertThat(hrefs).hasSize(7);
        assertThat(originalOfAny(hrefs.get(0))).isEqualTo("javascript:alert(1)");
        assertThat(LinkRewritePolicy.scheme(originalOfAny(hrefs.get(1)))).isEqualTo("javascript");
        assertThat(originalOfAny(hrefs.get(2))).isEqualTo("javascript:alert(3)");
        assertThat(originalOfAny(hrefs.get(3))).startsWith("data:text/html;base64,");
        assertThat(originalOfAny(hrefs.get(4))).isEqualTo("VBScript:msgbox(5)");
        assertThat(hrefs.get(5)).isEqualTo("mailto:help@shop.example");
        assertThat(original(hrefs.get(6))).isEqualTo("https://shop.example/");
        assertThat(o.links()).filteredOn(MessageLinkRewriter.FoundLink::neutralised).hasSize(5)
                .allMatch(l -> l.rewritten() && l.verdict().level() == LinkVerdict.Level.MALICIOUS
                        && l.verdict().reasons().contains(LinkVerdict.Reason.DANGEROUS_SCHEME));
        assertThat(LinkSummary.header(o, "enforce")).contains("rewritten=6; neutralised=5;")
                .contains("malicious=5").contains("reasons=DANGEROUS_SCHEME");
    }

    @Test
    void testingModeReportsDangerousLinksAndChangesNothing() throws Exception {
        MimeMessage m = parse("Content-Type: text/html; charset=utf-8\n\n" + DANGEROUS_HTML);
        byte[] before = bytes(m);
        MessageLinkRewriter.Outcome o = rewriter.process(m, "", "", false);
        assertThat(o.neutralised()).isZero();
        assertThat(o.replacement()).isEmpty();
        assertThat(bytes(m)).isEqualTo(before);
        assertThat(o.count(LinkVerdict.Level.MALICIOUS)).isEqualTo(5);
        assertThat(LinkSummary.header(o, "testing")).doesNotContain("neutralised").contains("malicious=5")
                .contains("reasons=DANGEROUS_SCHEME");
    }

    @Test
    void aHugeDataUrlIsNeutralisedWithItsBeginningInTheToken() throws Exception {
        String data = "data:text/html;base64," + "QUFB".repeat(3000);
        MimeMessage m = parse("Content-Type: text/html\n\n<a href=\"" + data + "\">open</a>\n");
        MessageLinkRewriter.Outcome o = rewriter.process(m, "", "", true);
        assertThat(o.neutralised()).isEqualTo(1);
        String href = hrefs(decodedText(roundTrip(m, o))).get(0);
        assertThat(originalOfAny(href)).hasSize(LinkRewritePolicy.MAX_NEUTRALISED_URL + 1)
                .startsWith("data:text/html;base64,QUFB").endsWith("\u2026");
    }

    @Test
    void withoutAScannerNothingIsJudgedSoNothingIsNeutralised() throws Exception {
        MessageLinkRewriter unscanned = MessageLinkRewriter.builder().policy(policy).build();
        MessageLinkRewriter.Outcome o = unscanned.process(
                parse("Content-Type: text/html\n\n<a href=\"javascript:alert(1)\">x</a>\n"), "", "", true);
        assertThat(o.neutralised()).isZero();
        assertThat(o.rewritten()).isZero();
    }

    @Test
    void limitsBoundTheWork() throws Exception {
        StringBuilder html = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            html.append("<a href=\"https://l").append(i).append(".example/\">x</a>");
        }
        MessageLinkRewriter limited = MessageLinkRewriter.builder().policy(policy).maxLinks(10).build();
        MimeMessage m = parse("Content-Type: text/html\n\n" + html);
        MessageLinkRewriter.Outcome o = limited.process(m, "", "", true);
        assertThat(o.limitReached()).isTrue();
        assertThat(o.links()).hasSize(10);
        assertThat(o.rewritten()).isEqualTo(10);
        MessageLinkRewriter tiny = MessageLinkRewriter.builder().policy(policy).maxPartBytes(100).build();
        assertThat(tiny.process(parse("Content-Type: text/html\n\n" + html), "", "", true).skipped())
                .anyMatch(s -> s.contains("larger than"));
    }

    @Test
    void aBodyItsEncodingCannotDecodeIsUnexaminedNotAnError() throws Exception {
        // x-uuencode without its "begin" line: JavaMail's decoder throws on the first read
        MessageLinkRewriter.Outcome o = rewriter.process(parse("MIME-Version: 1.0\nContent-Type: text/html\n"
                + "Content-Transfer-Encoding: x-uuencode\n\n<a href=\"https://evil.example/\">x</a>\n"), "", "", true);
        assertThat(o.unexamined()).containsExactly("1: text/html body not decodable as x-uuencode, not examined");
        assertThat(o.rewritten()).isZero();
    }

    @Test
    void aPartWhoseLinksAreNotReadIsReportedUnexaminedNeverClean() throws Exception {
        String padded = "<a href=\"https://evil.example/login\">Log in</a>" + "<!-- pad -->".repeat(20);
        MessageLinkRewriter tiny = MessageLinkRewriter.builder().policy(policy).scanner(LinkScanner.withDefaultChecks())
                .maxPartBytes(100).build();
        String multipart = "MIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=b\n\n--b\n"
                + "Content-Type: text/plain\n\nsmall https://a.example/\n--b\nContent-Type: text/html\n\n" + padded
                + "\n--b--\n";
        MessageLinkRewriter.Outcome o = tiny.process(parse(multipart), "", "", true);
        assertThat(o.unexamined()).containsExactly("2: text/html larger than 100 bytes, not examined");
        assertThat(o.skipped()).containsAll(o.unexamined());
        assertThat(o.rewritten()).isZero();
        assertThat(LinkSummary.header(o, "enforce")).contains("skipped=1; unexamined=1; mode=enforce")
                .as("the plain part's link is clean, the HTML part was not read").startsWith("verdict=unexamined; links=1;");
        assertThat(LinkSummary.header(o, "testing")).as("reported in testing mode too").contains("unexamined=1")
                .startsWith("verdict=unexamined;");
        // a worse link read elsewhere in the message gives its level
        MessageLinkRewriter.Outcome worse = tiny.process(parse(multipart.replace("https://a.example/", "http://192.0.2.10/x")),
                "", "", true);
        assertThat(worse.unexamined()).hasSize(1);
        assertThat(LinkSummary.verdict(worse, true)).isEqualTo("suspicious");

        // not counted as unexamined: parts that were scanned, or are never rewritten by design
        MessageLinkRewriter.Outcome fine = tiny.process(parse("Content-Type: text/html\n\n<a href=\"https://a.example/\">a</a>\n"),
                "", "", true);
        assertThat(fine.unexamined()).isEmpty();
        assertThat(LinkSummary.header(fine, "enforce")).doesNotContain("unexamined").startsWith("verdict=clean;");
        MessageLinkRewriter.Outcome calendar = rewriter.process(parse("MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\n"
                + "Content-Type: text/calendar\n\nURL:https://a.example/\n--b--\n"), "", "", true);
        assertThat(calendar.skipped()).isNotEmpty();
        assertThat(calendar.unexamined()).isEmpty();

        MessageLinkRewriter.Outcome charset = rewriter.process(parse("Content-Type: text/html; charset=x-no-such-charset\n\n"
                + "<a href=\"https://evil.example/\">x</a>\n"), "", "", true);
        assertThat(charset.unexamined()).containsExactly("1: unknown charset, not examined");
    }

    @Test
    void linksAndPartsBeyondTheLimitsAreUnexamined() throws Exception {
        StringBuilder html = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            html.append("<a href=\"https://l").append(i).append(".example/\">x</a>");
        }
        MessageLinkRewriter.Outcome links = MessageLinkRewriter.builder().policy(policy).scanner(LinkScanner.withDefaultChecks())
                .maxLinks(10).build().process(parse("Content-Type: text/html\n\n" + html), "", "", true);
        assertThat(links.unexamined()).containsExactly("1: link limit reached, rest not examined");
        StringBuilder parts = new StringBuilder("MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n");
        for (int i = 0; i < 5; i++) {
            parts.append("--b\nContent-Type: text/html\n\n<a href=\"https://p").append(i).append(".example/\">x</a>\n");
        }
        parts.append("--b--\n");
        MessageLinkRewriter.Outcome fewParts = MessageLinkRewriter.builder().policy(policy).maxParts(3).build()
                .process(parse(parts.toString()), "", "", true);
        assertThat(fewParts.unexamined()).hasSize(1).allMatch(u -> u.contains("more than 3 parts"));
    }

    @Test
    void anAttachedMessageOverTheLimitIsWalkedAndOnlyItsTextPartsAreHeldToIt() throws Exception {
        // a bounce returning a message with a large attachment: the attached message is over maxPartBytes, its
        // text part is not
        String attachment = "QUJD".repeat(19) + "\n";
        String inner = "Subject: returned\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=i\n\n"
                + "--i\nContent-Type: text/html\n\n<a href=\"https://evil.example/\">x</a>\n"
                + "--i\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n\n" + attachment.repeat(40)
                + "--i--\n";
        String raw = "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nsee attached\n"
                + "--b\nContent-Type: message/rfc822\n\n" + inner + "--b--\n";
        MessageLinkRewriter.Outcome o = MessageLinkRewriter.builder().policy(policy).maxPartBytes(200).build()
                .process(parse(raw), "", "", true);
        assertThat(o.unexamined()).isEmpty();
        assertThat(o.links()).extracting(MessageLinkRewriter.FoundLink::url).contains("https://evil.example/");

        String bigText = "Subject: returned\nContent-Type: text/html\n\n<a href=\"https://evil.example/\">x</a>"
                + "<!-- pad -->".repeat(30) + "\n";
        MessageLinkRewriter.Outcome tooLong = MessageLinkRewriter.builder().policy(policy).maxPartBytes(200).build()
                .process(parse(raw.replace(inner, bigText)), "", "", true);
        assertThat(tooLong.unexamined()).hasSize(1).allMatch(u -> u.startsWith("2") && u.contains("text/html larger than 200 bytes"));
    }

    @Test
    void anAttachedMessageDeeperThanTheLimitIsUnexamined() throws Exception {
        String inner = "Content-Type: text/html\n\n<a href=\"https://192.0.2.7/login\">your bank</a>\n";
        for (int level = 0; level < 2; level++) {
            inner = "Subject: fwd\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b" + level + "\n\n--b" + level
                    + "\nContent-Type: message/rfc822\n\n" + inner + "--b" + level + "--\n";
        }
        MessageLinkRewriter.Outcome o = MessageLinkRewriter.builder().policy(policy).maxMessageDepth(1).build()
                .process(parse(inner), "", "", true);
        assertThat(o.links()).isEmpty();
        assertThat(o.unexamined()).containsExactly("1.1: attached message deeper than 1, not examined");
        MessageLinkRewriter.Outcome deep = MessageLinkRewriter.builder().policy(policy).maxMessageDepth(2).build()
                .process(parse(inner), "", "", true);
        assertThat(deep.unexamined()).isEmpty();
        assertThat(deep.links()).extracting(MessageLinkRewriter.FoundLink::url).containsExactly("https://192.0.2.7/login");
    }

    @Test
    void globalMessagesAndDigestItemsAreScannedAsAttachedMessages() throws Exception {
        String inner = "Subject: item\nContent-Type: text/html\n\n<a href=\"https://192.0.2.7/login\">your bank</a>\n";
        for (String raw : new String[] {"MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\n"
                + "Content-Type: message/global\n\n" + inner + "--b--\n",
            "MIME-Version: 1.0\nContent-Type: multipart/digest; boundary=d\n\n--d\n\n" + inner + "--d--\n",
            "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: message/news\n\n" + inner
                    + "--b--\n"}) {
            MessageLinkRewriter.Outcome o = rewriter.process(parse(raw), "", "", true);
            assertThat(o.links()).as(raw).extracting(MessageLinkRewriter.FoundLink::url)
                    .containsExactly("https://192.0.2.7/login");
            assertThat(o.rewritten()).isZero();
            assertThat(o.unexamined()).isEmpty();
        }
    }

    @Test
    void anAttachedMessageWhoseHeaderLinesEndWithALoneCrIsUnexamined() throws Exception {
        String raw = "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
                + "Content-Type: message/rfc822\r\n\r\nSubject: item\r\nMIME-Version: 1.0\r\n\r\r\n"
                + "Content-Type: text/html\r\n\r\n<a href=\"https://192.0.2.7/login\">your bank</a>\r\n--b--\r\n";
        MessageLinkRewriter.Outcome o = rewriter.process(dev.tollgate.core.mime.MimeParts.parse(new ByteArrayInputStream(
                raw.getBytes(StandardCharsets.ISO_8859_1))), "", "", true);
        assertThat(o.unexamined()).singleElement().asString().startsWith("1: attached message with a lone CR");
    }

    @Test
    void aMultipartWhoseBoundaryNeverComesIsUnexamined() throws Exception {
        String inner = "Subject: fwd\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"A\"\n\n"
                + "<a href=\"https://192.0.2.7/login\">your bank</a>\n";
        String raw = "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nsee attached\n"
                + "--b\nContent-Type: message/rfc822\n\n" + inner + "--b--\n";
        MessageLinkRewriter.Outcome o = rewriter.process(parse(raw), "", "", true);
        assertThat(o.unexamined()).hasSize(1).allMatch(u -> u.startsWith("2") && u.contains("malformed multipart")
                && u.endsWith("not examined"));
    }

    @Test
    void aPartWithAnUnparsableContentTypeIsUnexamined() throws Exception {
        String inner = "Subject: fwd\nContent-Type: text/html; charset=utf-8; x\n\n<a href=\"https://192.0.2.7/pay\">your bank</a>\n";
        String raw = "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nsee attached\n"
                + "--b\nContent-Type: message/rfc822\n\n" + inner + "--b--\n";
        MessageLinkRewriter.Outcome o = rewriter.process(parse(raw), "", "", true);
        assertThat(o.unexamined()).hasSize(1).allMatch(u -> u.startsWith("2") && u.contains("unparsable Content-Type"));
        MessageLinkRewriter.Outcome part = rewriter.process(parse(raw.replace("Content-Type: text/plain\n",
                "Content-Type: text/html; charset=\"us-ascii\n")), "", "", true);
        assertThat(part.unexamined()).anyMatch(u -> u.startsWith("1") && u.contains("unparsable Content-Type"));
    }

    @Test
    void anEncodedAttachedMessageTooLargeToDecodeIsUnexamined() throws Exception {
        String inner = "Content-Type: text/html\n\n<a href=\"https://evil.example/\">x</a>" + "<!-- pad -->".repeat(20) + "\n";
        String raw = "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nsee attached\n"
                + "--b\nContent-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\n"
                + java.util.Base64.getMimeEncoder().encodeToString(inner.getBytes(StandardCharsets.US_ASCII)) + "\n--b--\n";
        MessageLinkRewriter.Outcome o = MessageLinkRewriter.builder().policy(policy).maxPartBytes(100).build()
                .process(parse(raw), "", "", true);
        assertThat(o.unexamined()).containsExactly("2: attached message larger than 100 bytes, not examined");
    }

    @Test
    void invalidBytesForTheCharsetAreNotRewritten() throws Exception {
        byte[] raw = "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n<a href=\"https://a.example/\">\u00ff</a>"
                .getBytes(StandardCharsets.ISO_8859_1);
        MessageLinkRewriter.Outcome o = rewriter.process(parse(raw), "", "", true);
        assertThat(o.rewritten()).isZero();
        assertThat(o.links()).hasSize(1);
    }

    static Stream<Path> corpus() throws IOException, URISyntaxException {
        Path dir = Paths.get(MessageLinkRewriterTest.class.getResource("/corpus").toURI());
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("LICENSE")).forEach(files::add);
        }
        return files.stream().sorted();
    }

    /** Every corpus message survives: links found before are found after, each either kept or wrapped. */
    @ParameterizedTest
    @MethodSource("corpus")
    void corpusRoundTrip(Path file) throws Exception {
        byte[] raw = Files.readAllBytes(file);
        MessageLinkRewriter all = MessageLinkRewriter.builder().policy(policy).rewritePlainText(true).build();
        MessageLinkRewriter.Outcome first;
        MimeMessage m = parse(raw);
        try {
            first = all.process(m, "r", "m", true);
        } catch (javax.mail.MessagingException | IOException unreadable) {
            return; // malformed beyond JavaMail: the mailet routes these by onMailetException
        }
        MimeMessage back = roundTrip(m, first);
        MessageLinkRewriter.Outcome second = MessageLinkRewriter.builder().build().process(back, "", "", false);
        assertThat(second.links()).hasSameSizeAs(first.links());
        for (int i = 0; i < first.links().size(); i++) {
            MessageLinkRewriter.FoundLink a = first.links().get(i);
            String b = second.links().get(i).url();
            assertThat(a.rewritten() ? original(b) : b).isEqualTo(a.url());
        }
        if (first.rewritten() == 0) {
            assertThat(first.changedInPlace()).isFalse();
            assertThat(first.replacement()).isEmpty();
        }
    }
}
