package dev.tollgate.core.links;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Properties;

import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;

/**
 * URLs of a special scheme (http, https, ftp, ws, wss) written without {@code //}, with one slash, three, or
 * backslashes: a browser (WHATWG URL Standard §4.4, special authority ignore slashes state) reads them all as
 * {@code scheme://host}, so Tollgate must find the same host to check, rewrite and redirect to.
 */
class SpecialSchemeUrlTest {
    static final List<String> EVIL_FORMS = List.of("https:evil.example/path", "https:///evil.example/path",
            "http:\\\\evil.example\\path", "https:/evil.example/path", "HTTPS:\\/evil.example", "https:\t//evil.example",
            "http:/\\/\\evil.example/x");

    private final LinkTokenSigner signer = LinkTokenSigner.builder().signingKey("k1", key()).build();
    private final LinkRewritePolicy policy = LinkRewritePolicy.of("https://links.tollgate.test", DoNotRewriteList.of(List.of()),
            List.of(), signer);
    private final LinkScanner scanner = LinkScanner.builder().defaultChecks()
            .check(LinkChecks.blockList(DoNotRewriteList.of(List.of("evil.example")))).build();

    private static byte[] key() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return k;
    }

    @Test
    void aSpecialSchemeReadsItsHostAfterAnyRunOfSlashesOrBackslashes() {
        for (String url : EVIL_FORMS) {
            assertThat(HostNormalizer.hostOfUrl(url).ascii()).as(url).isEqualTo("evil.example");
        }
        assertThat(HostNormalizer.hostOfUrl("https:user@evil.example:8443/x").ascii()).isEqualTo("evil.example");
        assertThat(UrlParts.parse("https:user@evil.example:8443/x").userinfo()).isEqualTo("user");
        assertThat(UrlParts.parse("https:user@evil.example:8443/x").port()).isEqualTo("8443");
        assertThat(HostNormalizer.hostOfUrl("ftp:files.example/a").ascii()).isEqualTo("files.example");
    }

    @Test
    void otherSchemesAndRelativeReferencesAreNotReadAsHosts() {
        for (String url : List.of("mailto:someone@evil.example", "urn:evil.example", "tel:+15551234",
                "javascript:evil.example", "evil.example/path", "/evil.example", "\\\\evil.example", "cid:evil.example",
                "data:text/html,evil.example")) {
            assertThat(HostNormalizer.hostOfUrl(url).isValid()).as(url).isFalse();
            assertThat(policy.decide(url)).as(url).isEqualTo(LinkRewritePolicy.Decision.OTHER_SCHEME);
        }
        // a scheme that is not special needs // for an authority, as before
        assertThat(UrlParts.parse("foo:/evil.example").hasAuthority()).isFalse();
        assertThat(UrlParts.parse("foo://evil.example").host()).isEqualTo("evil.example");
        assertThat(UrlParts.parse("foo:\\\\evil.example").hasAuthority()).isFalse();
    }

    @Test
    void everyFormIsRewrittenAndJudgedByItsRealHost() {
        for (String url : EVIL_FORMS) {
            assertThat(policy.decide(url)).as(url).isEqualTo(LinkRewritePolicy.Decision.REWRITE);
            LinkVerdict v = scanner.scan(url);
            assertThat(v.level()).as(url).isEqualTo(LinkVerdict.Level.MALICIOUS);
            assertThat(v.reasons()).as(url).contains(LinkVerdict.Reason.BLOCKLISTED);
        }
        assertThat(policy.decide("https:links.tollgate.test/r/abc")).as("this redirector, written without //")
                .isEqualTo(LinkRewritePolicy.Decision.ALREADY_WRAPPED);
    }

    @Test
    void canonicalFormIsWhatABrowserNavigatesTo() {
        assertThat(UrlParts.canonicalSpecial("https:evil.example/path")).isEqualTo("https://evil.example/path");
        assertThat(UrlParts.canonicalSpecial("http:\\\\evil.example\\a\\b?q=\\x#f\\g")).isEqualTo("http://evil.example/a/b?q=\\x#f\\g");
        assertThat(UrlParts.canonicalSpecial("https:///evil.example")).isEqualTo("https://evil.example");
        assertThat(UrlParts.canonicalSpecial("https://shop.example/a")).isEqualTo("https://shop.example/a");
        assertThat(UrlParts.canonicalSpecial("mailto:a@b.example")).isEqualTo("mailto:a@b.example");
        assertThat(ClickRedirector.locationOf("https:/shop.example/a b")).isEqualTo("https://shop.example/a%20b");
    }

    @Test
    void htmlLinksWithoutDoubleSlashAreRewrittenInTheMessage() throws Exception {
        String raw = "From: a@sender.test\r\nTo: b@rcpt.test\r\nSubject: s\r\nMessage-ID: <m@x>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/html; charset=utf-8\r\n\r\n"
                + "<a href=\"https:evil.example/login\">a</a> <a href='http:\\\\evil.example\\x'>b</a>"
                + " <a href=https:///evil.example>c</a> <a href=\"mailto:x@evil.example\">d</a> <a href=\"urn:evil.example\">e</a>\r\n";
        MimeMessage m = new MessageLinkRewriter.KeepIdMimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)));
        MessageLinkRewriter.Outcome o = MessageLinkRewriter.builder().policy(policy).scanner(scanner).build()
                .process(m, "", "<m@x>", true);
        assertThat(o.rewritten()).isEqualTo(3);
        assertThat(o.count(LinkVerdict.Level.MALICIOUS)).isEqualTo(3);
        String body = new String(o.replacement().orElseThrow().getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(body).doesNotContain("https:evil").doesNotContain("http:\\\\evil").doesNotContain("https:///evil")
                .contains("mailto:x@evil.example").contains("urn:evil.example");
    }

    @Test
    void theRedirectorChecksAndRedirectsToTheHostABrowserWouldVisit() throws Exception {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        try (ClickRedirector r = ClickRedirector.start(new InetSocketAddress("127.0.0.1", 0), signer, scanner,
                ClickRedirector.ClickThrough.SUSPICIOUS, 2)) {
            String base = "http://127.0.0.1:" + r.address().getPort() + "/r/";
            HttpResponse<String> evil = http.send(HttpRequest.newBuilder(URI.create(base + signer.sign("https:evil.example/login", "", "")))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(evil.statusCode()).isEqualTo(200);
            assertThat(evil.headers().firstValue("Location")).isEmpty();
            assertThat(evil.body()).contains("dangerous").contains("evil.example");
            HttpResponse<String> clean = http.send(HttpRequest.newBuilder(URI.create(base + signer.sign("http:\\\\shop.example\\a?x=1", "", "")))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(clean.statusCode()).isEqualTo(302);
            assertThat(clean.headers().firstValue("Location")).hasValue("http://shop.example/a?x=1");
        }
    }
}
