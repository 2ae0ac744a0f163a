package dev.tollgate.core.links;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tollgate.core.testing.MutableClock;

class ClickRedirectorTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final byte[] key = key();
    private final LinkTokenSigner signer = LinkTokenSigner.builder().signingKey("k1", key).clock(clock)
            .maxAge(Duration.ofDays(30)).build();
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private ClickRedirector redirector;

    private static byte[] key() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return k;
    }

    @BeforeEach
    void start() throws Exception {
        LinkScanner scanner = LinkScanner.builder().defaultChecks()
                .check(LinkChecks.blockList(DoNotRewriteList.of(List.of("evil.example", "*.evil.example")))).build();
        redirector = ClickRedirector.start(new InetSocketAddress("127.0.0.1", 0), signer, scanner,
                ClickRedirector.ClickThrough.SUSPICIOUS, 2);
    }

    @AfterEach
    void stop() {
        redirector.close();
    }

    private HttpResponse<String> get(String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + redirector.address().getPort() + pathAndQuery))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void cleanLinkRedirects() throws Exception {
        HttpResponse<String> r = get("/r/" + signer.sign("https://shop.example/a?x=1&y=ü", "rcpt", "<m@x>"));
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.headers().firstValue("Location")).hasValue("https://shop.example/a?x=1&y=%C3%BC");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    @Test
    void blocklistedLinkGetsAnEscapedWarningPageWithoutClickThrough() throws Exception {
        HttpResponse<String> r = get("/r/" + signer.sign("https://www.evil.example/<script>alert(1)</script>", "", ""));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Location")).isEmpty();
        assertThat(r.body()).contains("dangerous").contains("&lt;script&gt;").doesNotContain("<script")
                .doesNotContain("continue=1");
        assertThat(r.headers().firstValue("Content-Security-Policy").orElse("")).contains("default-src 'none'");
        assertThat(get("/r/" + signer.sign("https://www.evil.example/", "", "") + "?continue=1").statusCode()).isEqualTo(200);
    }

    @Test
    void suspiciousLinkOffersClickThrough() throws Exception {
        String token = signer.sign("https://192.0.2.7/login", "", "");
        HttpResponse<String> r = get("/r/" + token);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("suspicious").contains("/r/" + token + "?continue=1");
        HttpResponse<String> c = get("/r/" + token + "?continue=1");
        assertThat(c.statusCode()).isEqualTo(302);
        assertThat(c.headers().firstValue("Location")).hasValue("https://192.0.2.7/login");
    }

    @Test
    void tamperedUnknownKeyAndMalformedTokensGet400() throws Exception {
        String token = signer.sign("https://shop.example/", "", "");
        for (int i = 0; i < token.length(); i += 7) {
            char c = token.charAt(i);
            String changed = token.substring(0, i) + (c == 'A' ? 'B' : 'A') + token.substring(i + 1);
            HttpResponse<String> r = get("/r/" + changed);
            assertThat(r.statusCode()).as("byte %d changed", i).isEqualTo(400);
            assertThat(r.headers().firstValue("Location")).isEmpty();
        }
        String other = LinkTokenSigner.builder().signingKey("k2", key()).build().sign("https://shop.example/", "", "");
        assertThat(get("/r/" + other).statusCode()).isEqualTo(400);
        assertThat(get("/r/").statusCode()).isEqualTo(400);
        assertThat(get("/r/%0d%0aLocation:%20https://evil.example/").statusCode()).isEqualTo(400);
    }

    @Test
    void expiredTokenGets410() throws Exception {
        String token = signer.sign("https://shop.example/", "", "");
        clock.advance(Duration.ofDays(31));
        assertThat(get("/r/" + token).statusCode()).isEqualTo(410);
    }

    @Test
    void otherPathsAndMethods() throws Exception {
        assertThat(get("/").statusCode()).isEqualTo(404);
        assertThat(get("/x/abc").statusCode()).isEqualTo(404);
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + redirector.address().getPort() + "/r/abc")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
    }

    @Test
    void nonHttpUrlIsNeverRedirectedTo() throws Exception {
        HttpResponse<String> r = get("/r/" + signer.sign("javascript:alert(1)", "", "") + "?continue=1");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Location")).isEmpty();
    }
}
