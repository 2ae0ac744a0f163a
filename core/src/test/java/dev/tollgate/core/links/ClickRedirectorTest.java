package dev.tollgate.core.links;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tollgate.core.config.Parameters;
import dev.tollgate.core.testing.MutableClock;

class ClickRedirectorTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final byte[] key = key();
    private final LinkTokenSigner signer = LinkTokenSigner.builder().signingKey("k1", key).clock(clock)
            .maxAge(Duration.ofDays(30)).build();
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final AtomicInteger scans = new AtomicInteger();
    private ClickRedirector redirector;

    private static byte[] key() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return k;
    }

    @BeforeEach
    void start() throws Exception {
        LinkScanner scanner = LinkScanner.builder().defaultChecks()
                .check(LinkChecks.blockList(DoNotRewriteList.of(List.of("evil.example", "*.evil.example"))))
                .check(link -> {
                    scans.incrementAndGet();
                    return List.of();
                }).build();
        redirector = ClickRedirector.start(new InetSocketAddress("127.0.0.1", 0), signer, scanner,
                ClickRedirector.ClickThrough.SUSPICIOUS, 2);
    }

    @AfterEach
    void stop() {
        redirector.close();
    }

    private HttpResponse<String> get(String pathAndQuery) throws Exception {
        return get(redirector, pathAndQuery);
    }

    private HttpResponse<String> get(ClickRedirector r, String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + r.address().getPort() + pathAndQuery))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> head(String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + redirector.address().getPort() + pathAndQuery))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
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
    void tamperedAndMalformedTokensGet400() throws Exception {
        String token = signer.sign("https://shop.example/", "", "");
        for (int i = 0; i < token.length(); i += 7) {
            char c = token.charAt(i);
            String changed = token.substring(0, i) + (c == 'A' ? 'B' : 'A') + token.substring(i + 1);
            HttpResponse<String> r = get("/r/" + changed);
            assertThat(r.statusCode()).as("byte %d changed", i).isEqualTo(400);
            assertThat(r.headers().firstValue("Location")).isEmpty();
        }
        // Well-formed but not of this format's structure: a field length running past the MAC.
        byte[] bytes = java.util.Base64.getUrlDecoder().decode(token);
        bytes[2 + 2 + 8] = (byte) 0x7f;
        assertThat(get("/r/" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes)).statusCode())
                .isEqualTo(400);
        assertThat(get("/r/").statusCode()).isEqualTo(400);
        assertThat(get("/r/%0d%0aLocation:%20https://evil.example/").statusCode()).isEqualTo(400);
    }

    @Test
    void aTokenWhoseKeyIsNotHeldGets410WithoutShowingWhatItCarries() throws Exception {
        String other = LinkTokenSigner.builder().signingKey("k2", key()).clock(clock).build()
                .sign("https://shop.example/secret-path", "rcpt", "<m@x>");
        int scansBefore = scans.get();
        HttpResponse<String> r = get("/r/" + other);
        assertThat(r.statusCode()).isEqualTo(410);
        assertThat(r.headers().firstValue("Location")).isEmpty();
        assertThat(r.body()).contains("Link expired").contains("retired").doesNotContain("shop.example")
                .doesNotContain("href=");
        assertThat(get("/r/" + other + "?continue=1").statusCode()).isEqualTo(410);
        assertThat(head("/r/" + other).statusCode()).isEqualTo(410);
        assertThat(scans.get()).as("nothing it carries is scanned").isEqualTo(scansBefore);
    }

    @Test
    void afterARotationRemovedItsKeyAnOldTokenGets410AndAForgedOneStill400() throws Exception {
        dev.tollgate.core.state.memory.InMemoryLinkKeyStore store = new dev.tollgate.core.state.memory.InMemoryLinkKeyStore();
        LinkKeyRing ring = LinkKeyRing.open(store, "keys", LinkKeyRing.Protection.CLEAR, true, Duration.ofSeconds(60), clock);
        Duration maxAge = Duration.ofDays(30);
        String old = ring.signer(maxAge).sign("https://shop.example/a", "", "");
        Map<String, String> params = new LinkedHashMap<>();
        params.put("keyFile", "unused");
        params.put("bindAddress", "127.0.0.1");
        params.put("port", "0");
        params.put("tokenMaxAge", "30d");
        ClickRedirector r = ClickRedirector.start(ClickRedirector.Config.parse(Parameters.of(params)), ring, clock);
        try {
            assertThat(get(r, "/r/" + old).statusCode()).isEqualTo(302);
            clock.advance(Duration.ofDays(1));
            ring.rotate(maxAge);
            assertThat(get(r, "/r/" + old).statusCode()).as("the old key still verifies").isEqualTo(302);
            clock.advance(Duration.ofDays(31));
            ring.rotate(maxAge);
            assertThat(store.keys()).hasSize(2);
            HttpResponse<String> gone = get(r, "/r/" + old);
            assertThat(gone.statusCode()).as("its key was removed").isEqualTo(410);
            assertThat(gone.body()).doesNotContain("shop.example");
            String current = ring.signer(maxAge).sign("https://shop.example/b", "", "");
            String forged = current.substring(0, current.length() - 3) + (current.endsWith("AAA") ? "BBB" : "AAA");
            assertThat(get(r, "/r/" + forged).statusCode()).isEqualTo(400);
        } finally {
            stopQuietly(r);
        }
    }

    /** This test is about answers, not shutdown: a graceful stop slower than its bound on a loaded machine is no failure. */
    private static void stopQuietly(ClickRedirector r) {
        try {
            r.close();
        } catch (IllegalStateException e) {
            System.err.println("redirector stop: " + e.getMessage());
        }
    }

    @Test
    void aTokenIssuedInTheFutureIsRefusedEvenWithoutALifetime() throws Exception {
        LinkTokenSigner noExpiry = LinkTokenSigner.builder().signingKey("k1", key).clock(clock).build();
        MutableClock ahead = new MutableClock(clock.instant().plus(Duration.ofHours(1)));
        String future = LinkTokenSigner.builder().signingKey("k1", key).clock(ahead).build()
                .sign("https://shop.example/", "", "");
        MutableClock skewed = new MutableClock(clock.instant().plus(Duration.ofMinutes(4)));
        String withinSkew = LinkTokenSigner.builder().signingKey("k1", key).clock(skewed).build()
                .sign("https://shop.example/", "", "");
        try (ClickRedirector r = ClickRedirector.start(new InetSocketAddress("127.0.0.1", 0), noExpiry,
                LinkScanner.builder().defaultChecks().build(), ClickRedirector.ClickThrough.SUSPICIOUS, 2)) {
            HttpResponse<String> refused = get(r, "/r/" + future);
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.headers().firstValue("Location")).isEmpty();
            assertThat(get(r, "/r/" + withinSkew).statusCode()).as("within the clock-skew allowance").isEqualTo(302);
        }
    }

    @Test
    void expiredTokenIsNeverRedirectedButTheInterstitialNamesAndLinksTheRecheckedDestination() throws Exception {
        String token = signer.sign("https://shop.example/a?x=1&y=2", "rcpt", "<m@x>");
        clock.advance(Duration.ofDays(30));
        assertThat(get("/r/" + token).statusCode()).as("still within tokenMaxAge").isEqualTo(302);
        clock.advance(Duration.ofDays(1));
        int scansBefore = scans.get();
        for (String query : new String[] {"", "?continue=1"}) {
            HttpResponse<String> r = get("/r/" + token + query);
            assertThat(r.statusCode()).isEqualTo(410);
            assertThat(r.headers().firstValue("Location")).isEmpty();
            assertThat(r.body()).contains("Link expired").contains("issued on 2026-03-01")
                    .contains("<code>https://shop.example/a?x=1&amp;y=2</code>")
                    .contains("no problem was found")
                    // a direct link, never one through the redirector
                    .contains("href=\"https://shop.example/a?x=1&amp;y=2\">Go to this address</a>")
                    .doesNotContain("/r/" + token);
        }
        assertThat(scans.get()).as("the destination is checked again for the interstitial").isEqualTo(scansBefore + 2);
    }

    @Test
    void expiredTokenOfADangerousUrlOffersNoLink() throws Exception {
        String token = signer.sign("https://www.evil.example/login", "", "");
        clock.advance(Duration.ofDays(31));
        HttpResponse<String> r = get("/r/" + token);
        assertThat(r.statusCode()).isEqualTo(410);
        assertThat(r.headers().firstValue("Location")).isEmpty();
        assertThat(r.body()).contains("https://www.evil.example/login").contains("dangerous")
                .doesNotContain("Go to this address").doesNotContain("href=\"https://www.evil.example");
    }

    @Test
    void headIsNotAClickNothingIsScannedOrRedirectedAndNoBodyIsSent() throws Exception {
        String token = signer.sign("https://shop.example/", "rcpt", "<m@x>");
        HttpResponse<String> valid = head("/r/" + token);
        assertThat(valid.statusCode()).isEqualTo(200);
        assertThat(valid.headers().firstValue("Location")).isEmpty();
        assertThat(valid.body()).isEmpty();
        assertThat(valid.headers().firstValue("Cache-Control")).hasValue("no-store");
        String evil = signer.sign("https://www.evil.example/", "", "");
        assertThat(head("/r/" + evil).statusCode()).isEqualTo(200);
        assertThat(head("/r/" + token.substring(0, token.length() - 2) + "AA").statusCode()).isEqualTo(400);
        assertThat(head("/nothing").statusCode()).isEqualTo(404);
        assertThat(scans.get()).as("HEAD never runs the click-time scan").isZero();
        clock.advance(Duration.ofDays(31));
        HttpResponse<String> expired = head("/r/" + token);
        assertThat(expired.statusCode()).isEqualTo(410);
        assertThat(expired.body()).isEmpty();
        assertThat(scans.get()).isZero();
        clock.advance(Duration.ofDays(-31));
        assertThat(get("/r/" + token).statusCode()).as("a GET is a click").isEqualTo(302);
        assertThat(scans.get()).isEqualTo(1);
    }

    @Test
    void tokenLifetimeDefaultsTo90DaysAndZeroMustBeExplicit(@TempDir Path dir) throws Exception {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("keyFile", dir.resolve("keys").toString());
        params.put("bindAddress", "127.0.0.1");
        params.put("port", "0");
        ClickRedirector.Config defaults = ClickRedirector.Config.parse(Parameters.of(params));
        assertThat(defaults.tokenMaxAge()).isEqualTo(Duration.ofDays(90));
        LinkTokenSigner issuer = LinkKeys.load("keyFile", dir.resolve("keys"), true, Duration.ZERO, clock);
        String token = issuer.sign("https://shop.example/", "", "");
        clock.advance(Duration.ofDays(91));
        try (ClickRedirector r = ClickRedirector.start(defaults, clock)) {
            assertThat(get(r, "/r/" + token).statusCode()).isEqualTo(410);
        }
        params.put("tokenMaxAge", "0");
        ClickRedirector.Config never = ClickRedirector.Config.parse(Parameters.of(params));
        assertThat(never.tokenMaxAge()).isZero();
        try (ClickRedirector r = ClickRedirector.start(never, clock)) {
            assertThat(get(r, "/r/" + token).statusCode()).isEqualTo(302);
        }
        params.put("tokenMaxAge", "7d");
        try (ClickRedirector r = ClickRedirector.start(ClickRedirector.Config.parse(Parameters.of(params)), clock)) {
            assertThat(get(r, "/r/" + issuer.sign("https://shop.example/", "", "")).statusCode()).isEqualTo(302);
            assertThat(get(r, "/r/" + token).statusCode()).isEqualTo(410);
        }
    }

    @Test
    void theShippedConfigurationGivesTokensALifetime() throws Exception {
        Properties shipped = new Properties();
        try (Reader in = Files.newBufferedReader(Paths.get("..", "conf", "tollgate-links.properties"))) {
            shipped.load(in);
        }
        Duration maxAge = Parameters.of(Map.of("tokenMaxAge", shipped.getProperty("tokenMaxAge", "")))
                .duration("tokenMaxAge", Duration.ZERO);
        assertThat(maxAge).isEqualTo(ClickRedirector.Config.DEFAULT_TOKEN_MAX_AGE);
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

    @Test
    void nonHttpUrlIsNeverRedirectedToEvenWhenEveryWarningMayBeClickedThrough() throws Exception {
        try (ClickRedirector all = ClickRedirector.start(new InetSocketAddress("127.0.0.1", 0), signer,
                LinkScanner.withDefaultChecks(), ClickRedirector.ClickThrough.ALL, 2)) {
            for (String url : new String[] {"javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "vbscript:x"}) {
                String token = signer.sign(url, "", "");
                HttpResponse<String> r = get(all, "/r/" + token + "?continue=1");
                assertThat(r.statusCode()).as(url).isEqualTo(200);
                assertThat(r.headers().firstValue("Location")).as(url).isEmpty();
                assertThat(r.body()).as(url).contains("dangerous").doesNotContain("continue=1").doesNotContain("<script");
            }
            // the click-through itself still works for http(s) under clickThrough=all
            HttpResponse<String> ip = get(all, "/r/" + signer.sign("https://192.0.2.7/", "", "") + "?continue=1");
            assertThat(ip.statusCode()).isEqualTo(302);
        }
    }

    /** The listener's limits: an oversized request head is refused before any token is read; no server banner. */
    @Test
    void oversizedRequestHeadsAreRefusedWith431() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + redirector.address().getPort() + "/r/abc")).header("X-Padding", "a".repeat(10_000)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(431);
        assertThat(r.body()).doesNotContain("Jetty").doesNotContain("jetty");
        assertThat(r.headers().firstValue("Content-Security-Policy")).contains("default-src 'none'; frame-ancestors 'none'");
        assertThat(r.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(get("/r/abc").headers().firstValue("Server")).isEmpty();
    }

    @Test
    void traceIsRefusedWithoutEchoingTheRequest() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + redirector.address().getPort() + "/r/abc")).header("Cookie", "session=SECRET-COOKIE")
                .method("TRACE", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.body()).doesNotContain("SECRET-COOKIE");
        assertThat(r.headers().firstValue("Content-Security-Policy")).isPresent();
    }
}
