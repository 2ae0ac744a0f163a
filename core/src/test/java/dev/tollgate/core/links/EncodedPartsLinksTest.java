package dev.tollgate.core.links;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;

import org.junit.jupiter.api.Test;

/** Transfer encodings the link rewriter reads through core.mime (RFC 2045 §6). */
class EncodedPartsLinksTest {
    private static final String BASE = "https://links.tollgate.test";
    private final MessageLinkRewriter rewriter;

    EncodedPartsLinksTest() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        LinkRewritePolicy policy = LinkRewritePolicy.of(BASE, DoNotRewriteList.empty(), List.of(),
                LinkTokenSigner.builder().signingKey("k", key).build());
        rewriter = MessageLinkRewriter.builder().policy(policy).rewriteAttachedMessages(true).build();
    }

    @Test
    void anUnknownTransferEncodingIsScannedAsTransmittedAndNotRewritten() throws Exception {
        MimeMessage m = MessageLinkRewriterTest.parse("Content-Type: multipart/mixed; boundary=b\n\n--b\n"
                + "Content-Type: text/html\nContent-Transfer-Encoding: x-weird\n\n<a href=\"https://a.example/\">a</a>\n--b--\n");
        MessageLinkRewriter.Outcome o = rewriter.process(m, "", "", true);
        assertThat(o.links()).extracting(MessageLinkRewriter.FoundLink::url).containsExactly("https://a.example/");
        assertThat(o.rewritten()).isZero();
        assertThat(o.changedInPlace()).isFalse();
        assertThat(o.skipped()).containsExactly("1: Content-Transfer-Encoding x-weird, scanned but not rewritten");
    }

    @Test
    void aBase64AttachedMessageIsDecodedRewrittenAndWrittenBackBase64() throws Exception {
        String inner = "Subject: inner\r\nContent-Type: text/html\r\n\r\n<a href=\"https://inner.example/\">i</a>\r\n";
        MimeMessage m = MessageLinkRewriterTest.parse("Content-Type: multipart/mixed; boundary=b\n\n--b\n"
                + "Content-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\n"
                + Base64.getMimeEncoder().encodeToString(inner.getBytes(StandardCharsets.US_ASCII)) + "\n--b--\n");
        MessageLinkRewriter.Outcome o = rewriter.process(m, "", "", true);
        assertThat(o.rewritten()).isEqualTo(1);
        m.saveChanges();
        MimeMessage back = MessageLinkRewriterTest.parse(MessageLinkRewriterTest.bytes(m));
        MimeBodyPart attached = (MimeBodyPart) ((MimeMultipart) back.getContent()).getBodyPart(0);
        assertThat(attached.getEncoding()).isEqualTo("base64");
        String decoded = new String(Base64.getMimeDecoder().decode(attached.getRawInputStream().readAllBytes()),
                StandardCharsets.US_ASCII);
        assertThat(decoded).contains("Subject: inner").contains("href=\"" + BASE + "/r/")
                .doesNotContain("https://inner.example/");
    }
}
