package dev.tollgate.core.links;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import javax.mail.internet.MimePart;

import org.junit.jupiter.api.Test;

/**
 * Every link a reader's browser follows out of a mail (scheme-relative hrefs, relative hrefs under a base,
 * meta refresh, SVG links, form actions) is listed, scanned and rewritten; attached HTML files are scanned and
 * left as sent.
 */
class FollowedLinksTest {
    private static final String BASE = MessageLinkRewriterTest.BASE;
    private final LinkTokenSigner signer = LinkTokenSigner.builder().signingKey("k1", key()).build();
    private final LinkRewritePolicy policy = LinkRewritePolicy.of(BASE, DoNotRewriteList.of(List.of()), List.of(), signer);
    private final LinkScanner scanner = LinkScanner.builder().defaultChecks()
            .check(LinkChecks.blockList(h -> h.ascii().equals("evil.example") || h.ascii().equals("evil2.example")))
            .build();
    private final MessageLinkRewriter rewriter = MessageLinkRewriter.builder().policy(policy).scanner(scanner).build();

    private static byte[] key() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return k;
    }

    static final String HTML = "<html><head><meta http-equiv=\"refresh\" content=\"0;url=http://evil.example/x\">"
            + "<base href=\"//evil2.example/\"></head><body>\n"
            + "<a href=\"//evil.example/path\">a</a>\n"
            + "<svg><a xlink:href=\"http://svg.example/x\"><text>t</text></a></svg>\n"
            + "<form action=\"http://form.example/post\"><button>go</button></form>\n"
            + "<a href=\"rel/path\">rel</a>\n"
            + "<a href=\"mailto:a@b.test\">m</a><img src=\"cid:logo\"><script>var s = '<a href=\"http://script.example/\">';</script>"
            + "</body></html>\n";

    private Map<String, MessageLinkRewriter.FoundLink> byUrl(MessageLinkRewriter.Outcome o) {
        return o.links().stream().collect(Collectors.toMap(MessageLinkRewriter.FoundLink::url, l -> l, (a, b) -> a));
    }

    private String original(String redirectorUrl) {
        assertThat(redirectorUrl).startsWith(BASE + "/r/");
        return signer.verify(redirectorUrl.substring((BASE + "/r/").length())).token().orElseThrow().url();
    }

    @Test
    void everyFollowedLinkIsListedScannedAndRewritten() throws Exception {
        MimeMessage m = MessageLinkRewriterTest.parse("Content-Type: text/html; charset=utf-8\n\n" + HTML);
        MessageLinkRewriter.Outcome o = rewriter.process(m, "", "", true);
        Map<String, MessageLinkRewriter.FoundLink> links = byUrl(o);
        assertThat(links.keySet()).containsExactlyInAnyOrder("http://evil.example/x", "https://evil.example/path",
                "http://svg.example/x", "http://form.example/post", "https://evil2.example/rel/path", "mailto:a@b.test",
                "cid:logo");
        assertThat(links.get("http://evil.example/x").verdict().level()).isEqualTo(LinkVerdict.Level.MALICIOUS);
        assertThat(links.get("https://evil.example/path").verdict().level()).isEqualTo(LinkVerdict.Level.MALICIOUS);
        assertThat(links.get("https://evil2.example/rel/path").verdict().level()).isEqualTo(LinkVerdict.Level.MALICIOUS);
        for (String url : List.of("http://evil.example/x", "https://evil.example/path", "http://svg.example/x",
                "http://form.example/post", "https://evil2.example/rel/path")) {
            assertThat(links.get(url).rewritten()).as(url).isTrue();
        }
        assertThat(links.get("mailto:a@b.test").rewritten()).isFalse();
        assertThat(o.rewritten()).isEqualTo(5);

        String out = new String(MessageLinkRewriterTest.bytes(o.replacement().orElseThrow()), StandardCharsets.UTF_8);
        String body = out.substring(out.indexOf("<html>"));
        java.util.regex.Matcher tokens = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(BASE)
                + "/r/[A-Za-z0-9_.~-]+").matcher(body);
        List<String> originals = new java.util.ArrayList<>();
        while (tokens.find()) {
            originals.add(original(tokens.group()));
        }
        assertThat(originals).containsExactly("http://evil.example/x", "https://evil.example/path",
                "http://svg.example/x", "http://form.example/post", "https://evil2.example/rel/path");
        assertThat(body).contains("content=\"0;url=" + BASE + "/r/").contains("<a xlink:href=\"" + BASE + "/r/")
                .contains("<form action=\"" + BASE + "/r/").contains("<a href=\"mailto:a@b.test\">")
                .contains("<img src=\"cid:logo\">").contains("<base href=\"//evil2.example/\">")
                .contains("'<a href=\"http://script.example/\">'");
    }

    @Test
    void withoutABaseRelativeLinksStayAndSchemeRelativeOnesAreStillRewritten() throws Exception {
        String html = "<a href=\"rel/path\">r</a><a href=\"#top\">t</a><a href=\"\\\\evil.example\\p\">b</a>";
        MimeMessage m = MessageLinkRewriterTest.parse("Content-Type: text/html\n\n" + html + "\n");
        MessageLinkRewriter.Outcome o = rewriter.process(m, "", "", true);
        assertThat(o.links()).extracting(MessageLinkRewriter.FoundLink::url)
                .containsExactly("rel/path", "#top", "https://evil.example/p");
        assertThat(o.links()).extracting(MessageLinkRewriter.FoundLink::rewritten).containsExactly(false, false, true);
        assertThat(o.worst()).isEqualTo(LinkVerdict.Level.MALICIOUS);
    }

    @Test
    void aMaliciousFormActionOrRefreshThatIsNotHttpIsNeutralised() throws Exception {
        String html = "<meta http-equiv=refresh content=\"0;url=javascript:alert(1)\">"
                + "<form action=\"javascript:steal()\"><button formaction=\"data:text/html,x\">b</button></form>";
        MimeMessage m = MessageLinkRewriterTest.parse("Content-Type: text/html\n\n" + html + "\n");
        MessageLinkRewriter.Outcome o = rewriter.process(m, "", "", true);
        assertThat(o.neutralised()).isEqualTo(3);
        String out = new String(MessageLinkRewriterTest.bytes(o.replacement().orElseThrow()), StandardCharsets.UTF_8);
        assertThat(out).doesNotContain("javascript:").doesNotContain("data:text");
    }

    @Test
    void aCdataMarkerOutsideSvgEndsAtTheFirstGreaterThanAsInBrowsers() throws Exception {
        // a browser reads "<![CDATA[ x >" as a bogus comment: the link after it is live
        String html = "<p><![CDATA[ x > <a href=\"https://evil.example/c\">c</a> ]]></p>";
        MimeMessage m = MessageLinkRewriterTest.parse("Content-Type: text/html\n\n" + html + "\n");
        MessageLinkRewriter.Outcome o = rewriter.process(m, "", "", true);
        assertThat(o.links()).extracting(MessageLinkRewriter.FoundLink::url).containsExactly("https://evil.example/c");
        assertThat(o.worst()).isEqualTo(LinkVerdict.Level.MALICIOUS);
        assertThat(o.rewritten()).isEqualTo(1);
    }

    private static final String ATTACHED = "From: a@sender.test\nTo: b@rcpt.test\nSubject: invoice\nMIME-Version: 1.0\n"
            + "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nsee the attachment\n"
            + "--b\nContent-Type: text/html; charset=utf-8\nContent-Disposition: attachment; filename=\"invoice.html\"\n\n"
            + "<form action=\"https://evil.example/login\"><input name=p></form><a href=\"//evil2.example/\">x</a>\n"
            + "--b\nContent-Type: application/octet-stream; name=\"scan.htm\"\nContent-Transfer-Encoding: base64\n\n%s\n"
            + "--b\nContent-Type: image/svg+xml\nContent-Disposition: attachment; filename=\"logo.svg\"\n\n"
            + "<svg xmlns=\"http://www.w3.org/2000/svg\"><a xlink:href=\"https://svg.example/\"><text>t</text></a></svg>\n"
            + "--b\nContent-Type: text/plain\nContent-Disposition: attachment; filename=\"notes.txt\"\n\n"
            + "https://evil.example/in-a-text-file\n"
            + "--b\nContent-Type: application/pdf; name=\"doc.pdf\"\nContent-Disposition: attachment\n\n%%PDF-1.4\n--b--\n";

    @Test
    void attachedHtmlAndSvgFilesAreScannedButNeverRewritten() throws Exception {
        String octet = java.util.Base64.getMimeEncoder().encodeToString(
                "<meta http-equiv=refresh content='0;url=https://evil.example/octet'>".getBytes(StandardCharsets.UTF_8));
        String raw = String.format(ATTACHED, octet);
        MimeMessage m = MessageLinkRewriterTest.parse(raw);
        byte[] before = MessageLinkRewriterTest.bytes(MessageLinkRewriterTest.parse(raw));
        MessageLinkRewriter.Outcome o = rewriter.process(m, "", "", true);
        assertThat(o.links()).extracting(MessageLinkRewriter.FoundLink::part, MessageLinkRewriter.FoundLink::url)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("2", "https://evil.example/login"),
                        org.assertj.core.groups.Tuple.tuple("2", "https://evil2.example/"),
                        org.assertj.core.groups.Tuple.tuple("3", "https://evil.example/octet"),
                        org.assertj.core.groups.Tuple.tuple("4", "https://svg.example/"));
        assertThat(o.worst()).isEqualTo(LinkVerdict.Level.MALICIOUS);
        assertThat(o.rewritten()).isZero();
        assertThat(o.changedInPlace()).isFalse();
        assertThat(o.skipped()).contains("2: text/html attachment, scanned but not rewritten",
                "3: application/octet-stream attachment, scanned but not rewritten",
                "4: image/svg+xml attachment, scanned but not rewritten", "5: text/plain attachment, left untouched");
        assertThat(o.unexamined()).isEmpty();
        assertThat(MessageLinkRewriterTest.bytes(m)).isEqualTo(before);
    }

    @Test
    void anAttachedHtmlFileTooLargeToReadIsUnexamined() throws Exception {
        String raw = "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nhi\n"
                + "--b\nContent-Type: text/html\nContent-Disposition: attachment; filename=a.html\n\n"
                + "<a href=\"https://evil.example/\">x</a>" + "<!-- pad -->".repeat(20) + "\n--b--\n";
        MessageLinkRewriter.Outcome o = MessageLinkRewriter.builder().policy(policy).scanner(scanner).maxPartBytes(100)
                .build().process(MessageLinkRewriterTest.parse(raw), "", "", true);
        assertThat(o.unexamined()).containsExactly("2: text/html larger than 100 bytes, not examined");
    }

    @Test
    void aSignedMessagesAttachedHtmlIsScannedAndItsBytesKept() throws Exception {
        String raw = "MIME-Version: 1.0\nContent-Type: multipart/signed; protocol=\"application/pkcs7-signature\";"
                + " micalg=sha-256; boundary=s\n\n--s\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nhi\n"
                + "--b\nContent-Type: text/html\nContent-Disposition: attachment; filename=a.html\n\n"
                + "<a href=\"//evil.example/\">x</a>\n--b--\n\n--s\nContent-Type: application/pkcs7-signature\n\nAAAA\n--s--\n";
        MimeMessage m = MessageLinkRewriterTest.parse(raw);
        MessageLinkRewriter.Outcome o = rewriter.process(m, "", "", true);
        assertThat(o.links()).extracting(MessageLinkRewriter.FoundLink::url).containsExactly("https://evil.example/");
        assertThat(o.worst()).isEqualTo(LinkVerdict.Level.MALICIOUS);
        assertThat(o.rewritten()).isZero();
        assertThat(o.changedInPlace()).isFalse();
    }

    static String text(MimePart part) throws Exception {
        try (InputStream in = part.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static MimePart part(MimeMessage m, int i) throws Exception {
        return (MimePart) ((MimeMultipart) m.getContent()).getBodyPart(i);
    }
}
