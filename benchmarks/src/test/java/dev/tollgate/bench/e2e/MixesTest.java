package dev.tollgate.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.mail.BodyPart;
import javax.mail.Multipart;
import javax.mail.Part;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;

/** The mixes are the messages the benchmark says it sends. */
class MixesTest {
    private static final Path TESTDATA = Paths.get("..", "testdata");

    private static MimeMessage parse(byte[] bytes) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(bytes));
    }

    @Test
    void htmlIsAbout20KbQuotedPrintableWithTenLinks() throws Exception {
        byte[] raw = Mixes.HTML.template(TESTDATA, "alice@demo.test", "bob@demo.test");
        MimeMessage message = parse(raw);
        assertThat(Mixes.HTML.hasAttachment()).isFalse();
        assertThat(Mixes.PLAIN.hasAttachment()).isFalse();

        assertThat(message.getContentType()).startsWith("text/html");
        assertThat(message.getEncoding()).isEqualTo("quoted-printable");
        String html = (String) message.getContent();
        assertThat(html.length()).isBetween(18_000, 24_000);
        Matcher links = Pattern.compile("<a href=\"https://").matcher(html);
        int count = 0;
        while (links.find()) {
            count++;
        }
        assertThat(count).isEqualTo(Mixes.LINKS);
        assertThat(html).contains("café").doesNotContainPattern("\\d{6,}");
    }

    @Test
    void attachmentMixesCarryTheHtmlAndOneAttachment() throws Exception {
        for (Mixes mix : new Mixes[] {Mixes.PDF, Mixes.PDF100, Mixes.DOCX, Mixes.XLSX, Mixes.ZIP}) {
            MimeMessage message = parse(mix.template(TESTDATA, "alice@demo.test", "bob@demo.test"));
            Multipart parts = (Multipart) message.getContent();

            assertThat(mix.hasAttachment()).as(mix.label()).isTrue();
            assertThat(parts.getCount()).as(mix.label()).isEqualTo(2);
            assertThat(parts.getBodyPart(0).getContentType()).startsWith("text/html");
            BodyPart attachment = parts.getBodyPart(1);
            if (mix == Mixes.PDF100) {
                assertThat(attachment.getSize()).as("base64 of about 100 KB").isBetween(130_000, 140_000);
            }
            assertThat(attachment.getDisposition()).isEqualTo(Part.ATTACHMENT);
            assertThat(((javax.mail.internet.MimeBodyPart) attachment).getEncoding()).isEqualTo("base64");
            ByteArrayOutputStream decoded = new ByteArrayOutputStream();
            attachment.getDataHandler().writeTo(decoded);
            byte[] head = decoded.toByteArray();
            String magic = new String(head, 0, 4, StandardCharsets.ISO_8859_1);
            assertThat(magic).as(mix.label()).isEqualTo(mix == Mixes.PDF || mix == Mixes.PDF100 ? "%PDF" : "PK\u0003\u0004");
        }
    }

    @Test
    void eachMessageGetsItsOwnIdInFront() throws Exception {
        byte[] template = Mixes.PLAIN.template(TESTDATA, "alice@demo.test", "bob@demo.test");
        MimeMessage message = parse(Mixes.withId(template, "r7-12"));

        assertThat(message.getHeader("X-Bench-Id")).containsExactly("r7-12");
        assertThat(message.getMessageID()).isEqualTo("<r7-12@load.bench>");
        assertThat(new String(template, StandardCharsets.US_ASCII)).doesNotContain("Message-ID").contains("\r\n");
        assertThat(Mixes.parse("pdf")).isEqualTo(Mixes.PDF);
        assertThat(Mixes.parse("pdf100")).isEqualTo(Mixes.PDF100);
    }
}
