package dev.tollgate.core.mime;

import static dev.tollgate.core.mime.MimeTestMessages.parse;
import static dev.tollgate.core.mime.MimeTestMessages.wire;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;

import org.junit.jupiter.api.Test;

class MimePartsTest {
    private static final String MIXED = "Content-Type: multipart/mixed; boundary=b\n\n"
            + "--b\nX-First: 1\nContent-Type: text/html;\n  charset=utf-8\nContent-Transfer-Encoding: base64\nX-Last: z\n\nPGI+eDwvYj4=\n"
            + "--b\nContent-Type: application/octet-stream; name=\"=?UTF-8?Q?Kundenliste_=C3=BC.bin?=\"\n"
            + "Content-Disposition: ATTACHMENT; filename*=UTF-8''Geh%C3%A4lter.bin\n\nxx\n--b--\n";

    @Test
    void aParameterGivenTwiceOrInRfc2231FormIsAmbiguous() throws Exception {
        String[][] cases = {
            {"multipart/mixed; boundary=b", null},
            {"multipart/mixed; boundary=\"a;boundary=c\"", null},
            {"multipart/mixed (boundary=x; boundary=y); boundary=b", null},
            {"multipart/mixed; name=x; name*=utf-8''y; boundary=b", null},
            {"multipart/mixed; boundary=\"B\"; boundary*=us-ascii''A", "boundary given 2 times"},
            {"multipart/mixed; boundary=\"A\"; BOUNDARY=\"B\"", "boundary given 2 times"},
            {"multipart/mixed; boundary*0=\"A\"; boundary*1=\"B\"", "boundary given 2 times"},
            {"multipart/mixed; boundary*=us-ascii''A", "boundary given in the form of RFC 2231"},
            {"multipart/mixed;\r\n boundary=a;\r\n\tboundary=b", "boundary given 2 times"},
            {"multipart/mixed; boundary=\"a\\\\xb\"", "boundary given with a backslash escape"},
            {"multipart/mixed; boundary=\"a b\"; name=\"x\\\\y\"", null},
            {"multipart/mixed; x=a@b; boundary=B; boundary*=us-ascii''A", "boundary given 2 times"},
            {"multipart/mixed; =x; ;boundary=B; (c) boundary=A", "boundary given 2 times"},
        };
        for (String[] c : cases) {
            MimeMessage m = parse("Content-Type: " + c[0] + "\n\n--b\n\nx\n--b--\n");
            assertThat(MimeParts.ambiguousParameter(m, "boundary")).as(c[0]).isEqualTo(c[1]);
        }
        MimeMessage text = parse("Content-Type: text/plain; charset=us-ascii; charset=utf-16le\n\nx\n");
        assertThat(MimeParts.ambiguousParameter(text, "charset")).isEqualTo("charset given 2 times");
        assertThat(MimeParts.ambiguousParameter(text, "boundary")).isNull();
        assertThat(MimeParts.ambiguousParameter(parse("Subject: no type\n\nx\n"), "charset")).isNull();
        MimeMessage named = parse("Content-Type: application/octet-stream; name=a.bin\n"
                + "Content-Disposition: attachment; filename=\"a.html\"; filename*0=\"a.t\"; filename*1=xt\n\nx\n");
        assertThat(MimeParts.parameterValuesAsWritten(named, "Content-Disposition", "filename"))
                .containsExactly("\"a.html\"", "\"a.t\"", "xt");
        assertThat(MimeParts.parameterValuesAsWritten(named, "Content-Type", "name")).containsExactly("a.bin");
    }

    @Test
    void aWideCharsetWithoutItsByteOrderMarkIsAmbiguous() {
        byte[] le = "<a>".getBytes(StandardCharsets.UTF_16LE);
        byte[] bomLe = new byte[le.length + 2];
        bomLe[0] = (byte) 0xFF;
        bomLe[1] = (byte) 0xFE;
        System.arraycopy(le, 0, bomLe, 2, le.length);
        java.nio.charset.Charset utf16 = StandardCharsets.UTF_16;
        assertThat(MimeParts.ambiguousByteOrder("utf-16", utf16, le)).isEqualTo("utf-16 without a byte order mark");
        assertThat(MimeParts.ambiguousByteOrder("unicode", utf16, le)).isNotNull();
        assertThat(MimeParts.ambiguousByteOrder("iso-10646-ucs-2", StandardCharsets.UTF_16BE, le)).isNotNull();
        assertThat(MimeParts.ambiguousByteOrder("utf-16", utf16, bomLe)).isNull();
        // aliases of UTF-16BE read big-endian whatever the mark: a little-endian mark is against them
        assertThat(MimeParts.ambiguousByteOrder("x-utf-16be", StandardCharsets.UTF_16BE, bomLe))
                .isEqualTo("a little-endian byte order mark on a body in x-utf-16be");
        assertThat(MimeParts.ambiguousByteOrder("iso-10646-ucs-2", StandardCharsets.UTF_16BE, bomLe)).isNotNull();
        assertThat(MimeParts.ambiguousByteOrder("utf-16le", StandardCharsets.UTF_16LE, le)).isNull();
        assertThat(MimeParts.ambiguousByteOrder("UTF-16BE", StandardCharsets.UTF_16BE, bomLe))
                .isEqualTo("a little-endian byte order mark on a body in UTF-16BE");
        assertThat(MimeParts.ambiguousByteOrder("us-ascii", StandardCharsets.US_ASCII, bomLe))
                .isEqualTo("a UTF-16 byte order mark on a body in us-ascii");
        assertThat(MimeParts.ambiguousByteOrder("utf-8", StandardCharsets.UTF_8, "<a>".getBytes(StandardCharsets.UTF_8)))
                .isNull();
    }

    @Test
    void replacingABodyKeepsEveryOtherHeaderLineAsWrittenAndInOrder() throws Exception {
        MimeMessage m = parse(MIXED);
        MimeMultipart multipart = (MimeMultipart) m.getContent();
        MimeBodyPart html = (MimeBodyPart) multipart.getBodyPart(0);
        byte[] body = TransferEncoding.encode("<i>new</i>".getBytes(StandardCharsets.US_ASCII), TransferEncoding.of(html));
        MimeParts.replaceBody(multipart, 0, html, body);
        m.setContent(multipart);
        m.saveChanges();
        String out = wire(m);
        assertThat(out).contains("X-First: 1\r\nContent-Type: text/html;\r\n  charset=utf-8\r\n"
                + "Content-Transfer-Encoding: base64\r\nX-Last: z\r\n\r\nPGk+bmV3PC9pPg==\r\n");
        MimeMessage back = MimeParts.parse(new ByteArrayInputStream(out.getBytes(StandardCharsets.ISO_8859_1)));
        assertThat(((MimeMultipart) back.getContent()).getBodyPart(0).getContent()).isEqualTo("<i>new</i>");
        assertThat(((MimeMultipart) back.getContent()).getCount()).isEqualTo(2);
    }

    @Test
    void aWholeMessageWithANewBodyKeepsItsHeaders() throws Exception {
        MimeMessage m = parse("Message-ID: <k@x>\nSubject: s\nContent-Type: text/plain\n\nold\n");
        byte[] whole = MimeParts.withBody(m, "new\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(whole, StandardCharsets.US_ASCII))
                .isEqualTo("Message-ID: <k@x>\r\nSubject: s\r\nContent-Type: text/plain\r\n\r\nnew\r\n");
        MimeParts.MessageBuffer buffer = MimeParts.headersOf(m, 1);
        buffer.writeBytes("new\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(buffer.toByteArray()).isEqualTo(whole);
        MimeMessage back = MimeParts.parse(buffer.stream());
        assertThat(back.getSubject()).isEqualTo("s");
        assertThat(back.getContent()).isEqualTo("new\r\n");
        assertThat(MimeParts.parse(MimeParts.withBodyStream(m, "new\r\n".getBytes(StandardCharsets.US_ASCII)))
                .getContent()).isEqualTo("new\r\n");
    }

    @Test
    void aTypeNotInThePlainFormIsTold() throws Exception {
        for (String plain : new String[] {"text/html", "text/html; charset=utf-8", "application/vnd.ms-excel",
                "image/svg+xml", "X-Foo_1/bar-2 ; a=b"}) {
            assertThat(MimeParts.typeNotPlain(parse("Content-Type: " + plain + "\n\nx\n"))).as(plain).isFalse();
        }
        // the spaces, tabs and line breaks after the colon are skipped by JavaMail, and so by James's cleaner
        assertThat(MimeParts.typeNotPlain(parse("Content-Type:\n\t text/html\n\nx\n"))).isFalse();
        assertThat(MimeParts.typeNotPlain(parse("Subject: none\n\nx\n"))).isFalse();
        // no type named: the default type to every reader (text/plain; message/rfc822 in a digest)
        for (String none : new String[] {"text", "; charset=utf-8", "(c)"}) {
            assertThat(MimeParts.typeNotPlain(parse("Content-Type: " + none + "\n\nx\n"))).as(none).isFalse();
        }
        for (String odd : new String[] {"text /html", "text/ html", "(c) text/html", "\"text/html\"", "text.x/html",
                "\u000btext/html", "\u000ctext/html", "\u001ctext/html", "\u001ftext/html"}) {
            assertThat(MimeParts.typeNotPlain(parse("Content-Type: " + odd + "\n\nx\n"))).as(odd).isTrue();
        }
    }

    @Test
    void dispositionFileNameAndCharsetHelpers() throws Exception {
        MimeMultipart multipart = (MimeMultipart) parse(MIXED).getContent();
        MimeBodyPart html = (MimeBodyPart) multipart.getBodyPart(0);
        MimeBodyPart file = (MimeBodyPart) multipart.getBodyPart(1);
        assertThat(MimeParts.disposition(html)).isNull();
        assertThat(MimeParts.isAttachmentDisposition(html)).isFalse();
        assertThat(MimeParts.isAttachmentDisposition(file)).isTrue();
        assertThat(MimeParts.fileName(file)).isEqualTo("Gehälter.bin");
        file.removeHeader("Content-Disposition");
        assertThat(MimeParts.fileName(file)).isEqualTo("Kundenliste ü.bin");
        assertThat(MimeParts.fileName(html)).isNull();
        assertThat(MimeParts.charset(MimeParts.contentType(html))).isEqualTo("utf-8");
        assertThat(MimeParts.charset(MimeParts.contentType(file))).isNull();
        assertThat(MimeParts.baseType(MimeParts.contentType(html))).isEqualTo("text/html");
        assertThat(MimeParts.javaCharset(" latin1 ")).contains(StandardCharsets.ISO_8859_1);
        assertThat(MimeParts.javaCharset("x-no-such-charset")).isEmpty();
    }
    @Test
    void aHeaderBlockWithALoneCrOrCrCrLfIsReadDifferently() {
        for (String raw : new String[] {"From: x\r\nMIME-Version: 1.0\r\n\r\r\nContent-Type: text/html\r\n\r\n<p>x</p>",
            "From: x\r\nX-A: b\rContent-Type: text/html\r\n\r\nx", "X-A: b\r\r\nSubject: s\r\n\r\nx"}) {
            byte[] b = raw.getBytes(StandardCharsets.ISO_8859_1);
            assertThat(MimeParts.ambiguousHeaderLineEnds(b, b.length, true)).as(raw).isNotNull();
        }
        // CRLF and LF headers; CRs after the empty line are the body's
        for (String raw : new String[] {"From: x\r\nSubject: s\r\n\r\nbody\rwith\r\r\nCRs", "From: x\nSubject: s\n\nbody\r",
            "Subject: no body"}) {
            byte[] b = raw.getBytes(StandardCharsets.ISO_8859_1);
            assertThat(MimeParts.ambiguousHeaderLineEnds(b, b.length, true)).as(raw).isNull();
        }
    }

    @Test
    void aHeaderLongerThanThePeekIsNotTakenAsChecked() {
        byte[] b = ("X-Pad: " + "p".repeat(100) + "\r\n").repeat(10).getBytes(StandardCharsets.ISO_8859_1);
        assertThat(MimeParts.ambiguousHeaderLineEnds(b, b.length, false)).startsWith("a header longer than");
        assertThat(MimeParts.ambiguousHeaderLineEnds(b, b.length, true)).isNull();
    }

    @Test
    void messageTypesThatHoldAMessage() {
        assertThat(MimeParts.isAttachedMessageType("message/rfc822")).isTrue();
        assertThat(MimeParts.isAttachedMessageType("message/global")).isTrue();
        assertThat(MimeParts.isAttachedMessageType("message/news")).isTrue();
        assertThat(MimeParts.isAttachedMessageType("message/delivery-status")).isFalse();
        assertThat(MimeParts.isAttachedMessageType("message/partial")).isFalse();
        assertThat(MimeParts.isAttachedMessageType("text/plain")).isFalse();
    }
}
