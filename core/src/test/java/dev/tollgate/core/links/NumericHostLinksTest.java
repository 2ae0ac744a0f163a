package dev.tollgate.core.links;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;

/**
 * Links whose host is an IP address written as browsers accept it (WHATWG IPv4 parser: hexadecimal, octal, one
 * number, fewer parts; IPv6 literals) are rewritten like any other link, also when the redirector itself runs on an
 * address (the launcher's {@code http://127.0.0.1:28480}), and the redirector reads them the same way at click time.
 */
class NumericHostLinksTest {
    /** Every spelling here is 127.0.0.1 to a browser. */
    static final List<String> OBFUSCATED = List.of("http://0x7f000001/", "http://2130706433/", "http://127.1/",
            "http://0177.0.0.1/", "http://0x7f.1/", "http://0x7F.0.0.01/x", "https://0177.1:28480/r/abc",
            "http://0x7f000001:28480/r/abc");
    static final List<String> IPV6 = List.of("http://[::ffff:7f00:1]/", "http://[::ffff:127.0.0.1]:28480/x",
            "http://[0:0:0:0:0:0:0:1]/", "http://[::1]/p");

    private final LinkTokenSigner signer = LinkTokenSigner.builder().signingKey("k1", key()).build();

    private static byte[] key() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return k;
    }

    private LinkRewritePolicy policy(String base, String... doNotRewrite) {
        return LinkRewritePolicy.of(base, DoNotRewriteList.of(List.of(doNotRewrite)), List.of(), signer);
    }

    @Test
    void obfuscatedAndIpv6HostsAreRewrittenWhenTheRedirectorRunsOnLoopback() {
        LinkRewritePolicy p = policy("http://127.0.0.1:28480");
        for (String url : OBFUSCATED) {
            assertThat(p.decide(url)).as(url).isEqualTo(LinkRewritePolicy.Decision.REWRITE);
            assertThat(p.rewrite(url, "r", "<m@x>")).as(url).isPresent();
        }
        for (String url : IPV6) {
            assertThat(p.decide(url)).as(url).isEqualTo(LinkRewritePolicy.Decision.REWRITE);
        }
        // plain dotted 127.0.0.1, but not one of the redirector's links: another port, another path, no port
        for (String url : List.of("http://127.0.0.1/", "http://127.0.0.1:8080/r/abc", "http://127.0.0.1:28480/",
                "http://127.0.0.1:28480/rr/abc", "https://127.0.0.1:28480x/r/abc")) {
            assertThat(p.decide(url)).as(url).isNotIn(LinkRewritePolicy.Decision.ALREADY_WRAPPED,
                    LinkRewritePolicy.Decision.DO_NOT_REWRITE);
        }
    }

    @Test
    void theRedirectorsOwnLinksAreStillRecognisedByHostPortAndPath() {
        LinkRewritePolicy loopback = policy("http://127.0.0.1:28480");
        for (String url : List.of("http://127.0.0.1:28480/r/abc", "http:127.0.0.1:28480/r/abc",
                "http://127.0.0.1:028480/r/abc", "http://u@127.0.0.1:28480/r/abc")) {
            assertThat(loopback.decide(url)).as(url).isEqualTo(LinkRewritePolicy.Decision.ALREADY_WRAPPED);
        }
        LinkRewritePolicy named = policy("https://links.example/go");
        assertThat(named.decide("https://links.example/go/r/abc")).isEqualTo(LinkRewritePolicy.Decision.ALREADY_WRAPPED);
        assertThat(named.decide("https://LINKS.example:443/go/r/abc")).isEqualTo(LinkRewritePolicy.Decision.ALREADY_WRAPPED);
        assertThat(named.decide("https://links.example/r/abc")).isEqualTo(LinkRewritePolicy.Decision.REWRITE);
        assertThat(named.decide("https://links.example/go/other")).isEqualTo(LinkRewritePolicy.Decision.REWRITE);
        assertThat(named.decide("http://links.example/go/r/abc")).as("port 80, not the redirector's 443")
                .isEqualTo(LinkRewritePolicy.Decision.REWRITE);
        // a path a browser resolves out of /r/ first is no token link
        for (String url : List.of("http://127.0.0.1:28480/r/../admin/x", "http://127.0.0.1:28480/r/%2e%2e/admin",
                "http://127.0.0.1:28480/r\\..\\admin", "http://127.0.0.1:28480/r/./../x", "http://127.0.0.1:28480/r/",
                "http://127.0.0.1:28480/r/abc/def")) {
            assertThat(loopback.decide(url)).as(url).isEqualTo(LinkRewritePolicy.Decision.REWRITE);
        }
        assertThat(loopback.decide("http://127.0.0.1:28480/r/abc_-9?continue=1")).isEqualTo(
                LinkRewritePolicy.Decision.ALREADY_WRAPPED);
        LinkRewritePolicy v6 = policy("http://[::1]:28480");
        assertThat(v6.decide("http://[0:0:0:0:0:0:0:1]:28480/r/abc")).isEqualTo(LinkRewritePolicy.Decision.ALREADY_WRAPPED);
        assertThat(v6.decide("http://[0:0:0:0:0:0:0:1]/")).isEqualTo(LinkRewritePolicy.Decision.REWRITE);
    }

    @Test
    void noListEntryExemptsAnObfuscatedAddressButTheDottedOneStaysExempt() {
        LinkRewritePolicy p = policy("https://links.example", "127.0.0.1", "192.0.2.7");
        assertThat(p.decide("http://127.0.0.1/")).isEqualTo(LinkRewritePolicy.Decision.DO_NOT_REWRITE);
        assertThat(p.decide("http://192.0.2.7:8080/app")).isEqualTo(LinkRewritePolicy.Decision.DO_NOT_REWRITE);
        for (String url : OBFUSCATED) {
            assertThat(p.decide(url)).as(url).isEqualTo(LinkRewritePolicy.Decision.REWRITE);
        }
        assertThat(p.decide("http://3221225991/")).isEqualTo(LinkRewritePolicy.Decision.REWRITE);
        LinkRewritePolicy wrapped = LinkRewritePolicy.of("https://links.example", DoNotRewriteList.empty(),
                List.of("10.0.0.1"), signer);
        assertThat(wrapped.decide("http://10.0.0.1/w")).isEqualTo(LinkRewritePolicy.Decision.ALREADY_WRAPPED);
        assertThat(wrapped.decide("http://10.1/w")).isEqualTo(LinkRewritePolicy.Decision.REWRITE);
    }

    @Test
    void aMailsNumericHostLinksAreRewrittenAndTheRedirectorsOwnAndMailtoAreKept() throws Exception {
        LinkRewritePolicy p = policy("http://127.0.0.1:28480");
        StringBuilder html = new StringBuilder("<html><body>\n");
        for (String url : OBFUSCATED) {
            html.append("<a href=\"").append(url).append("\">o</a>\n");
        }
        for (String url : IPV6) {
            html.append("<a href=").append(url).append(">v6</a>\n");
        }
        html.append("<a href=\"http://127.0.0.1:28480/r/AAAA\">ours</a> <a href=\"mailto:a@127.0.0.1\">m</a>\n</body></html>\n");
        MimeMessage m = MessageLinkRewriterTest.parse("From: a@sender.test\nTo: b@rcpt.test\nSubject: ip\n"
                + "Message-ID: <ip@sender.test>\nMIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n\n" + html);
        MessageLinkRewriter rewriter = MessageLinkRewriter.builder().policy(p).scanner(LinkScanner.withDefaultChecks()).build();
        MessageLinkRewriter.Outcome o = rewriter.process(m, "r", "<ip@sender.test>", true);
        assertThat(o.rewritten()).isEqualTo(OBFUSCATED.size() + IPV6.size());
        assertThat(o.links()).filteredOn(l -> OBFUSCATED.contains(l.url()))
                .allMatch(l -> l.rewritten() && l.verdict().level() == LinkVerdict.Level.MALICIOUS);
        String out = new String(MessageLinkRewriterTest.bytes(o.replacement().orElseThrow()), java.nio.charset.StandardCharsets.UTF_8);
        Matcher tokens = Pattern.compile("http://127\\.0\\.0\\.1:28480/r/([A-Za-z0-9_-]{20,})").matcher(out);
        List<String> all = new java.util.ArrayList<>(OBFUSCATED);
        all.addAll(IPV6);
        for (String url : all) {
            assertThat(tokens.find()).as(url).isTrue();
            assertThat(signer.verify(tokens.group(1)).token().orElseThrow().url()).isEqualTo(url);
            assertThat(out).doesNotContain("\"" + url + "\"").doesNotContain("=" + url + ">");
        }
        assertThat(out).contains("<a href=\"http://127.0.0.1:28480/r/AAAA\">ours</a>").contains("href=\"mailto:a@127.0.0.1\"");
    }

    @Test
    void theRedirectorReadsTheHostAsTheBrowserDoesAndNeverFollowsAnObfuscatedOne() throws Exception {
        LinkScanner scanner = LinkScanner.withDefaultChecks();
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        try (ClickRedirector r = ClickRedirector.start(new InetSocketAddress("127.0.0.1", 0), signer, scanner,
                ClickRedirector.ClickThrough.SUSPICIOUS, 2)) {
            for (String url : OBFUSCATED) {
                for (String query : new String[] {"", "?continue=1"}) {
                    HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                            + r.address().getPort() + "/r/" + signer.sign(url, "", "") + query)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(resp.statusCode()).as(url).isEqualTo(200);
                    assertThat(resp.headers().firstValue("Location")).as(url).isEmpty();
                    assertThat(resp.body()).as(url).contains("dangerous").contains("obfuscated form (127.0.0.1)")
                            .doesNotContain("continue=1");
                }
            }
            // the dotted form is only suspicious: the reader may go on, to the address as written
            HttpResponse<String> dotted = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + r.address().getPort() + "/r/" + signer.sign("http://127.0.0.1/x", "", "") + "?continue=1")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(dotted.statusCode()).isEqualTo(302);
            assertThat(dotted.headers().firstValue("Location")).hasValue("http://127.0.0.1/x");
        }
    }
}
