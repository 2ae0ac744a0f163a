package dev.tollgate.core.links;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;

import javax.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;

/** Links inside attached and forwarded messages ({@code message/rfc822}, RFC 2046 §5.2.1). */
class AttachedMessageLinksTest {
    private static final String BASE = "https://links.tollgate.test";
    private final LinkRewritePolicy policy;

    AttachedMessageLinksTest() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        policy = LinkRewritePolicy.of(BASE, DoNotRewriteList.empty(), List.of(),
                LinkTokenSigner.builder().signingKey("k", key).build());
    }

    private static final String INNER = "From: phisher@evil.test\r\nSubject: reset\r\nMessage-ID: <inner@evil.test>\r\n"
            + "Content-Type: multipart/alternative; boundary=in\r\n\r\n--in\r\nContent-Type: text/plain\r\n\r\n"
            + "Go to https://inner-plain.test/\r\n--in\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
            + "<a href=\"https://inner.test/reset\">reset</a>\r\n--in\r\n"
            + "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; boundary=sig\r\n\r\n"
            + "--sig\r\nContent-Type: text/html\r\n\r\n<a href=\"https://signed-inner.test/\">s</a>\r\n--sig\r\n"
            + "Content-Type: application/pkcs7-signature\r\nContent-Transfer-Encoding: base64\r\n\r\nAAAA\r\n--sig--\r\n"
            + "\r\n--in--\r\n";

    private static String outer(String inner) {
        return "From: alice@example.com\r\nTo: bob@example.com\r\nMessage-ID: <outer@example.com>\r\n"
                + "Content-Type: multipart/mixed; boundary=out\r\n\r\n--out\r\nContent-Type: text/html\r\n\r\n"
                + "<a href=\"https://outer.test/\">fwd</a>\r\n--out\r\nContent-Type: message/rfc822\r\n"
                + "Content-Disposition: attachment; filename=fwd.eml\r\n\r\n" + inner + "\r\n--out--\r\n";
    }

    private static MimeMessage parse(String raw) throws Exception {
        return MessageLinkRewriterTest.parse(raw.getBytes(StandardCharsets.UTF_8));
    }

    private static String wire(MimeMessage m, MessageLinkRewriter.Outcome o) throws Exception {
        MimeMessage result = o.replacement().orElse(m);
        if (o.changedInPlace()) {
            result.saveChanges();
        }
        return new String(MessageLinkRewriterTest.bytes(result), StandardCharsets.UTF_8);
    }

    @Test
    void attachedMessageLinksAreScannedButNotRewrittenByDefault() throws Exception {
        MimeMessage m = parse(outer(INNER));
        MessageLinkRewriter.Outcome o = MessageLinkRewriter.builder().policy(policy)
                .scanner(LinkScanner.withDefaultChecks()).build().process(m, "r", "<outer@example.com>", true);
        assertThat(o.links()).extracting(MessageLinkRewriter.FoundLink::url).contains("https://outer.test/",
                "https://inner.test/reset", "https://signed-inner.test/");
        assertThat(o.links()).filteredOn(l -> l.url().contains("inner")).allMatch(l -> !l.rewritten());
        assertThat(o.links()).filteredOn(l -> l.url().equals("https://inner.test/reset"))
                .extracting(MessageLinkRewriter.FoundLink::part).containsExactly("2.2");
        assertThat(o.rewritten()).isEqualTo(1);
        assertThat(wire(m, o)).contains(INNER).doesNotContain("https://outer.test/");
    }

    @Test
    void attachedMessageWithDkimSignatureIsLeftAloneOnlyWhenItVerifies() throws Exception {
        String signedInner = "DKIM-Signature: v=1; a=rsa-sha256; d=evil.test; s=s; h=from; bh=x; b=y\r\n" + INNER;
        MimeMessage forged = parse(outer(signedInner));
        MessageLinkRewriter.Outcome f = MessageLinkRewriter.builder().policy(policy).rewriteAttachedMessages(true)
                .dkimCheck(msg -> DkimCheck.Result.failed("signature did not verify")).build()
                .process(forged, "r", "<outer@example.com>", true);
        assertThat(f.rewritten()).isEqualTo(2);
        assertThat(wire(forged, f)).doesNotContain("https://inner.test/reset");

        MimeMessage genuine = parse(outer(signedInner));
        MessageLinkRewriter.Outcome g = MessageLinkRewriter.builder().policy(policy).rewriteAttachedMessages(true)
                .dkimCheck(msg -> DkimCheck.Result.verified("d=evil.test s=s")).build()
                .process(genuine, "r", "<outer@example.com>", true);
        assertThat(g.rewritten()).isEqualTo(1);
        assertThat(g.skipped()).anyMatch(s -> s.contains("attached message DKIM signature verified"));
        assertThat(wire(genuine, g)).contains("https://inner.test/reset");
    }

    @Test
    void withRewriteAttachedMessagesTheInnerLinksAreRewrittenExceptSignedParts() throws Exception {
        MimeMessage m = parse(outer(INNER));
        MessageLinkRewriter.Outcome o = MessageLinkRewriter.builder().policy(policy).rewriteAttachedMessages(true)
                .build().process(m, "r", "<outer@example.com>", true);
        assertThat(o.rewritten()).isEqualTo(2);
        String out = wire(m, o);
        assertThat(out).doesNotContain("https://inner.test/reset").doesNotContain("https://outer.test/")
                .contains("<a href=\"https://signed-inner.test/\">s</a>").contains("Message-ID: <inner@evil.test>")
                .contains("Go to https://inner-plain.test/");
        // the rewritten mail parses again and the attached message still carries its links, now wrapped
        MessageLinkRewriter.Outcome again = MessageLinkRewriter.builder().build().process(parse(out), "", "", false);
        assertThat(again.links()).extracting(MessageLinkRewriter.FoundLink::url).filteredOn(u -> u.startsWith(BASE)).hasSize(2);
    }

    @Test
    void depthIsBounded() throws Exception {
        String nested = INNER;
        for (int i = 0; i < 4; i++) {
            nested = "Content-Type: multipart/mixed; boundary=l" + i + "\r\n\r\n--l" + i + "\r\nContent-Type: message/rfc822\r\n\r\n"
                    + nested + "\r\n--l" + i + "--\r\n";
        }
        MessageLinkRewriter.Outcome o = MessageLinkRewriter.builder().policy(policy).maxMessageDepth(2)
                .build().process(parse(outer(nested)), "r", "m", true);
        assertThat(o.links()).extracting(MessageLinkRewriter.FoundLink::url).containsExactly("https://outer.test/");
        assertThat(o.skipped()).anyMatch(s -> s.contains("deeper than 2"));
        assertThat(o.unexamined()).hasSize(1).allMatch(s -> s.contains("deeper than 2"));
        MessageLinkRewriter.Outcome none = MessageLinkRewriter.builder().policy(policy).maxMessageDepth(0)
                .build().process(parse(outer(INNER)), "r", "m", true);
        assertThat(none.links()).hasSize(1);
        assertThat(none.unexamined()).hasSize(1).allMatch(s -> s.contains("deeper than 0"));
    }

    @Test
    void aFragmentOfAMessageIsUnexaminedAsAPartAndAsTheWholeMail() throws Exception {
        MessageLinkRewriter.Outcome part = MessageLinkRewriter.builder().policy(policy).build().process(
                parse(outer(INNER).replace("Content-Type: message/rfc822", "Content-Type: message/partial; id=\"f@x\";"
                        + " number=1; total=2")), "r", "m", true);
        assertThat(part.rewritten()).isEqualTo(1);
        assertThat(part.unexamined()).hasSize(1).allMatch(s -> s.contains("message/partial"));
        MessageLinkRewriter.Outcome whole = MessageLinkRewriter.builder().policy(policy).build().process(
                parse("Subject: f\r\nMIME-Version: 1.0\r\nContent-Type: message/partial; id=\"f@x\"; number=1; total=2"
                        + "\r\n\r\n" + INNER), "r", "m", true);
        assertThat(whole.links()).isEmpty();
        assertThat(whole.unexamined()).hasSize(1).allMatch(s -> s.startsWith("1: message/partial"));
    }

    @Test
    void aTypeWithABlankAroundItsSlashIsUnexamined() throws Exception {
        MessageLinkRewriter.Outcome single = MessageLinkRewriter.builder().policy(policy).build().process(
                parse("Subject: t\r\nContent-Type: text /html\r\n\r\n<a href=\"https://a.test/\">a</a>\r\n"), "r", "m", true);
        assertThat(single.rewritten()).isZero();
        assertThat(single.unexamined()).hasSize(1).allMatch(s -> s.contains("blank, control character or comment"));
        MessageLinkRewriter.Outcome multi = MessageLinkRewriter.builder().policy(policy).build().process(
                parse(outer(INNER).replace("multipart/mixed; boundary=out", "multipart /mixed; boundary=out")), "r", "m", true);
        assertThat(multi.unexamined()).hasSize(1).allMatch(s -> s.startsWith("message: Content-Type with a blank"));
        // control characters Java counts as white space, which James's cleaner does not skip and mime4j trims
        for (char c : new char[] {0x0b, 0x0c, 0x1c, 0x1d, 0x1e, 0x1f}) {
            MessageLinkRewriter.Outcome o = MessageLinkRewriter.builder().policy(policy).build().process(
                    parse("Subject: t\r\nContent-Type: " + c + "text/html\r\n\r\n<a href=\"https://a.test/\">a</a>\r\n"),
                    "r", "m", true);
            assertThat(o.unexamined()).as("0x%x", (int) c).hasSize(1);
        }
        // a tab or a fold before the type is skipped by every reader: read as usual
        MessageLinkRewriter.Outcome folded = MessageLinkRewriter.builder().policy(policy).build().process(
                parse("Subject: t\r\nContent-Type:\r\n\ttext/html\r\n\r\n<a href=\"https://a.test/\">a</a>\r\n"), "r", "m", true);
        assertThat(folded.unexamined()).isEmpty();
        assertThat(folded.rewritten()).isEqualTo(1);
    }
}
