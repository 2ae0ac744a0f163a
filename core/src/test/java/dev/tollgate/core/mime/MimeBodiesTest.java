package dev.tollgate.core.mime;

import static dev.tollgate.core.mime.MimeTestMessages.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;

import org.junit.jupiter.api.Test;

class MimeBodiesTest {
    private static MimeBodyPart onlyPart(String headers, String body) throws Exception {
        MimeMessage m = parse("Content-Type: multipart/mixed; boundary=b\n\n--b\n" + headers + "\n\n" + body + "\n--b--\n");
        return (MimeBodyPart) ((MimeMultipart) m.getContent()).getBodyPart(0);
    }

    @Test
    void aBodyOverTheLimitIsSizeLimitWithNoBytes() throws Exception {
        String text = "x".repeat(1000);
        for (String cte : new String[] {"7bit", "base64", "quoted-printable"}) {
            String body = cte.equals("base64") ? Base64.getMimeEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII)) : text;
            MimeBodyPart part = onlyPart("Content-Type: text/plain\nContent-Transfer-Encoding: " + cte, body);
            MimeBody over = MimeBodies.read(part, 999);
            assertThat(over.reason()).as(cte).contains(MimeSkipReason.SIZE_LIMIT);
            assertThat(over.hasBytes()).isFalse();
            assertThatThrownBy(over::bytes).isInstanceOf(IllegalStateException.class);
            MimeBody exact = MimeBodies.read(part, 1000);
            assertThat(exact.reason()).as(cte).isEmpty();
            assertThat(new String(exact.bytes(), StandardCharsets.US_ASCII)).isEqualTo(text);
        }
        assertThat(MimeBodies.readAtMost(new ByteArrayInputStream(new byte[11]), 10)).isNull();
        assertThat(MimeBodies.readAtMost(new ByteArrayInputStream(new byte[10]), 10)).hasSize(10);
    }

    @Test
    void strictQuotedPrintableKeepsTheRawBytesAndIrregularFallsBackToTheLenientDecoder() throws Exception {
        MimeBody strict = MimeBodies.read(onlyPart("Content-Transfer-Encoding: Quoted-Printable", "a=3Db=\nc"), 100);
        assertThat(strict.encoding()).isEqualTo("quoted-printable");
        assertThat(new String(strict.bytes(), StandardCharsets.US_ASCII)).isEqualTo("a=bc");
        assertThat(strict.rawQuotedPrintable()).hasValueSatisfying(raw ->
                assertThat(new String(raw, StandardCharsets.US_ASCII)).isEqualTo("a=3Db=\r\nc"));
        MimeBody lenient = MimeBodies.read(onlyPart("Content-Transfer-Encoding: quoted-printable", "a=zz b"), 100);
        assertThat(lenient.rawQuotedPrintable()).isEmpty();
        assertThat(new String(lenient.bytes(), StandardCharsets.US_ASCII)).isEqualTo("a=zz b");
    }

    @Test
    void aSinglePartMessagesOwnQuotedPrintableBodyIsReadStrictlyAndSharedThroughTheCache() throws Exception {
        MimeMessage message = parse("Content-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n"
                + "<p>caf=C3=A9 =\nau lait</p>\n");
        PartCache cache = PartCache.create();
        MimeBody body = MimeBodies.read(message, 100, cache);
        assertThat(new String(body.bytes(), StandardCharsets.UTF_8)).isEqualTo("<p>café au lait</p>\r\n");
        assertThat(body.rawQuotedPrintable()).hasValueSatisfying(raw ->
                assertThat(new String(raw, StandardCharsets.US_ASCII)).isEqualTo("<p>caf=C3=A9 =\r\nau lait</p>\r\n"));
        // a second reader of the same message gets the array the first one decoded
        assertThat(MimeBodies.read(message, 100, cache).bytes()).isSameAs(body.bytes());
    }

    @Test
    void anUnknownEncodingGivesTheRawBytesWithItsReason() throws Exception {
        MimeBody body = MimeBodies.read(onlyPart("Content-Transfer-Encoding: X-Weird", "card 4111"), 100);
        assertThat(body.reason()).contains(MimeSkipReason.UNKNOWN_ENCODING);
        assertThat(body.encoding()).isEqualTo("x-weird");
        assertThat(new String(body.bytes(), StandardCharsets.US_ASCII)).isEqualTo("card 4111");
        MimeBodies.Opened opened = MimeBodies.open(onlyPart("Content-Transfer-Encoding: x-weird", "card 4111"));
        assertThat(opened.undecoded()).isTrue();
    }

    @Test
    void encodedAttachedMessagesAndMultipartsAreDecoded() throws Exception {
        String inner = "Subject: inner\r\n\r\nhello\r\n";
        MimeBodyPart message = onlyPart("Content-Type: message/rfc822\nContent-Transfer-Encoding: base64",
                Base64.getMimeEncoder().encodeToString(inner.getBytes(StandardCharsets.US_ASCII)));
        assertThat(new String(MimeBodies.read(message, 1000).bytes(), StandardCharsets.US_ASCII)).isEqualTo(inner);

        String parts = "--in\r\nContent-Type: text/plain\r\n\r\nencoded child\r\n--in--\r\n";
        MimeBodyPart multipart = onlyPart("Content-Type: multipart/mixed; boundary=in\nContent-Transfer-Encoding: base64",
                Base64.getMimeEncoder().encodeToString(parts.getBytes(StandardCharsets.US_ASCII)));
        int[] metered = {0};
        MimeMultipart decoded = MimeBodies.multipart(multipart, in -> {
            metered[0]++;
            return in;
        });
        assertThat(metered[0]).isEqualTo(1);
        assertThat(decoded.getCount()).isEqualTo(1);
        assertThat(decoded.getBodyPart(0).getContent()).isEqualTo("encoded child");
    }
}
