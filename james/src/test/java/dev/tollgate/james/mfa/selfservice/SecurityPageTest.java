package dev.tollgate.james.mfa.selfservice;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tollgate.core.config.Parameters;
import dev.tollgate.core.mfa.AppPasswordHasher;
import dev.tollgate.core.mfa.FileSecretStore;
import dev.tollgate.core.mfa.MfaService;
import dev.tollgate.core.mfa.MfaServiceConfig;
import dev.tollgate.core.mfa.OtpAuthUri;
import dev.tollgate.core.web.WebServer;

/** The page's servlet on a real Jetty (plain HTTP on loopback) with a real MFA service on a temporary store. */
class SecurityPageTest {
    static final String PASSWORD = "secret-password";
    @TempDir
    Path tmp;
    WebServer server;
    MfaService mfa;
    final List<String> notices = new ArrayList<>();
    final dev.tollgate.core.testing.MutableClock clock = new dev.tollgate.core.testing.MutableClock(
            java.time.Instant.parse("2026-12-03T10:00:05Z"));
    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeEach
    void start() throws Exception {
        mfa = new MfaService(FileSecretStore.open(tmp, new byte[32]),
                MfaServiceConfig.parse(Parameters.of(Map.of("policy", "optional", "domainPolicies", "strict.test=required",
                        "throttle.baseDelay", "1ms", "throttle.maxDelay", "1ms", "authservId", "mx.test"))),
                AppPasswordHasher.argon2id(1024, 1, 1), clock);
        SelfServiceConfig config = SelfServiceConfig.parse(Parameters.of(Map.of("tls", "false",
                "domainAccess", "closed.test=off")));
        SecurityPage page = new SecurityPage(mfa, (u, p) -> PASSWORD.equals(p),
                (user, subject, text) -> notices.add(user + ": " + subject), config,
                new Sessions(Duration.ofMinutes(5), 100, Clock.systemUTC()));
        server = WebServer.start(new WebServer.Settings("test-page", "127.0.0.1", 0, Optional.empty(), 4, 4096, 4096,
                Duration.ofSeconds(5), Duration.ofSeconds(1)), page);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    HttpResponse<String> get(String path, String cookie) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String cookie, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Cookie", cookie).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String cookie(HttpResponse<?> r) {
        return r.headers().firstValue("set-cookie").orElseThrow().split(";")[0];
    }

    static String csrf(String html) {
        Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(html);
        assertThat(m.find()).as("a CSRF field").isTrue();
        return m.group(1);
    }

    /** @return the signed-in session cookie */
    String signIn(String address, String code, int expectedStatus) throws Exception {
        HttpResponse<String> form = get("/", null);
        String body = "csrf=" + csrf(form.body()) + "&address=" + address.replace("@", "%40") + "&password=" + PASSWORD
                + (code == null ? "" : "&code=" + code);
        HttpResponse<String> r = post("/signin", cookie(form), body);
        assertThat(r.statusCode()).isEqualTo(expectedStatus);
        return cookie(r);
    }

    @Test
    void securityHeadersAndCookieFlags() throws Exception {
        HttpResponse<String> r = get("/", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-security-policy")).contains(SecurityPage.CSP);
        assertThat(r.headers().firstValue("x-frame-options")).contains("DENY");
        assertThat(r.headers().firstValue("set-cookie").orElseThrow()).contains("; Secure; HttpOnly; SameSite=Strict");
        assertThat(r.body()).contains("<label for=\"address\">Email address</label>");
        assertThat(get("/style.css", null).headers().firstValue("content-type").orElseThrow()).startsWith("text/css");
    }

    @Test
    void postsWithoutTheSessionsTokenAreRefused() throws Exception {
        HttpResponse<String> form = get("/", null);
        assertThat(post("/signin", cookie(form), "address=a%40x.test&password=" + PASSWORD).statusCode()).isEqualTo(403);
        HttpResponse<String> other = get("/", null);
        assertThat(post("/signin", cookie(form), "csrf=" + csrf(other.body()) + "&address=a%40x.test&password="
                + PASSWORD).statusCode()).as("another session's token").isEqualTo(403);
    }

    @Test
    void refusalsAndOutagesArePagesOfTheSite() throws Exception {
        HttpResponse<String> form = get("/", null);
        HttpResponse<String> refused = post("/signin", cookie(form), "address=a%40x.test&password=" + PASSWORD);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("<h1>Form refused</h1>").contains("Nothing was changed");

        String session = signIn("carol@x.test", null, 302);
        try (var files = java.nio.file.Files.walk(tmp)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
        assertThat(tmp).doesNotExist();
        HttpResponse<String> down = get("/", session);
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.headers().firstValue("retry-after")).contains("60");
        assertThat(down.body()).contains("<h1>Service unavailable</h1>");
    }

    @Test
    void otherMethodsAndTokensInTheUrlAreRefusedWithTheHeaders() throws Exception {
        for (String method : List.of("PUT", "DELETE", "TRACE", "OPTIONS")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/"))
                    .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(method).isEqualTo(405);
            assertThat(r.headers().firstValue("content-security-policy").orElseThrow()).as(method)
                    .startsWith("default-src 'none'");
            assertThat(r.headers().firstValue("x-frame-options")).as(method).contains("DENY");
        }
        String session = signIn("dave@x.test", null, 302);
        String token = csrf(get("/", session).body());
        assertThat(post("/signout?csrf=" + token, session, "").statusCode()).isEqualTo(403);
        assertThat(get("/", session).body()).as("still signed in").contains("Your account security");
    }

    @Test
    void postsFromAnotherOriginAreRefusedEvenWithTheToken() throws Exception {
        HttpResponse<String> form = get("/", null);
        String body = "csrf=" + csrf(form.body()) + "&address=a%40x.test&password=" + PASSWORD;
        String own = "http://127.0.0.1:" + server.port();
        assertThat(postWith("/signin", cookie(form), body, "Origin", "https://evil.test").statusCode()).isEqualTo(403);
        assertThat(postWith("/signin", cookie(form), body, "Sec-Fetch-Site", "cross-site").statusCode()).isEqualTo(403);
        assertThat(postWith("/signin", cookie(form), body, "Sec-Fetch-Site", "same-site").statusCode()).isEqualTo(403);
        HttpResponse<String> second = get("/", null);
        assertThat(postWith("/signin", cookie(second), "csrf=" + csrf(second.body()) + "&address=a%40x.test&password="
                + PASSWORD, "Origin", "null").statusCode())
                .as("what a browser sends under Referrer-Policy: no-referrer").isNotEqualTo(403);
        assertThat(postWith("/signin", cookie(form), body, "Origin", own).statusCode())
                .as("the page's own origin passes to the password check").isNotEqualTo(403);
    }

    HttpResponse<String> postWith(String path, String cookie, String body, String header, String value)
            throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Cookie", cookie).header("Content-Type", "application/x-www-form-urlencoded")
                .header(header, value).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void enrolThenSignInWithACodeOnceOnly() throws Exception {
        String session = signIn("bob@open.test", null, 302);
        HttpResponse<String> home = get("/", session);
        assertThat(home.body()).contains("action=\"/enrol\"");
        HttpResponse<String> enrol = post("/enrol", session, "csrf=" + csrf(home.body()));
        assertThat(enrol.body()).contains("src=\"data:image/png;base64,");
        Matcher secret = Pattern.compile("<code id=\"secret\">([A-Z2-7 ]+)</code>").matcher(enrol.body());
        assertThat(secret.find()).isTrue();
        OtpAuthUri uri = OtpAuthUri.of("Tollgate", "bob@open.test",
                dev.tollgate.core.mfa.TotpSecret.fromBase32(secret.group(1).replace(" ", "")));
        String code = uri.totpBuilder().build().generate(uri.secret(), clock.instant());
        assertThat(post("/enrol/confirm", session, "csrf=" + csrf(home.body()) + "&code=" + code).statusCode()).isEqualTo(302);
        assertThat(mfa.status("bob@open.test").orElseThrow().confirmed()).isTrue();
        assertThat(notices).containsExactly("bob@open.test: Two-step sign-in was turned on for your account");

        signIn("bob@open.test", null, 401);
        clock.advance(Duration.ofSeconds(30));
        String next = uri.totpBuilder().build().generate(uri.secret(), clock.instant());
        signIn("bob@open.test", next, 302);
        signIn("bob@open.test", next, 401);

        clock.advance(Duration.ofSeconds(30));
        String later = uri.totpBuilder().build().generate(uri.secret(), clock.instant());
        String signedIn = signIn("bob@open.test", later, 302);
        String token = csrf(get("/", signedIn).body());
        clock.advance(Duration.ofSeconds(30));
        String after = uri.totpBuilder().build().generate(uri.secret(), clock.instant());
        HttpResponse<String> created = post("/app-passwords", signedIn, "csrf=" + token + "&label=Phone+mail&scope=smtp&code=" + after);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        assertThat(created.body()).contains("id=\"app-password\"");
    }

    @Test
    void errorPagesNameTheStatusOnly() throws Exception {
        HttpResponse<String> r = get("/nothing-here", null);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("<h1>Not found</h1>").doesNotContain("jetty").doesNotContain("Servlet");
        assertThat(r.headers().firstValue("content-security-policy")).contains(SecurityPage.CSP);
        assertThat(r.headers().firstValue("server")).isEmpty();
        HttpResponse<String> huge = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/"))
                .header("X-Padding", "a".repeat(8000)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(huge.statusCode()).isEqualTo(431);
    }

    @Test
    void refusedForAClosedDomainAndForUnenrolledUsersUnderRequired() throws Exception {
        signIn("eve@closed.test", null, 403);
        signIn("eve@strict.test", null, 401);
    }
}
