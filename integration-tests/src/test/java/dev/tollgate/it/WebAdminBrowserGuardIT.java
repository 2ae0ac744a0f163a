package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tollgate.it.harness.JamesContainer;
import dev.tollgate.it.harness.WebAdmin;

/**
 * Web pages cannot drive WebAdmin: the shipped conf/ (BrowserRequestGuard in extensions.routes) against a real
 * James 3.8.1 over HTTP. James itself answers every cross-origin request and preflight with
 * {@code Access-Control-Allow-Origin: *} whatever {@code cors.enable} says; here each browser-shaped request to
 * James's own routes is refused with 403 and has no effect, while the same requests as curl sends them work.
 * WebAdmin listens on 0.0.0.0 inside the container and is reached through the mapped port, so the Host header is
 * {@code localhost:PORT} (or the Docker host's IP).
 */
@Testcontainers
class WebAdminBrowserGuardIT {
    static final String DOMAIN = "guard.test";
    static final String EVIL = "https://evil.example";
    static final String ERROR_REPOSITORY = "/mailRepositories/var%2Fmail%2Ferror/mails";
    static final ObjectMapper JSON = new ObjectMapper();

    @Container
    static final JamesContainer JAMES = new JamesContainer();

    static WebAdmin admin;

    @BeforeAll
    static void domain() {
        admin = JAMES.webAdmin().addDomain(DOMAIN);
    }

    private static String ownOrigin() {
        return "http://" + JAMES.getHost() + ":" + JAMES.getMappedPort(JamesContainer.WEBADMIN);
    }

    private static void assertRefused(HttpResponse<String> response, String message) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(body.get("statusCode").asInt()).isEqualTo(403);
        assertThat(body.get("type").asText()).isEqualTo("Forbidden");
        assertThat(body.get("message").asText()).contains(message);
        assertNoCorsHeaders(response);
    }

    private static void assertNoCorsHeaders(HttpResponse<String> response) {
        assertThat(response.headers().map().keySet())
                .as("CORS headers of " + response.request().method() + " " + response.uri())
                .noneSatisfy(name -> assertThat(name.toLowerCase()).startsWith("access-control-"));
    }

    private static boolean userExists(String user) {
        int status = admin.send("HEAD", "/users/" + user, null).statusCode();
        assertThat(status).isIn(200, 404);
        return status == 200;
    }

    private static boolean domainExists(String domain) {
        int status = admin.send("GET", "/domains/" + domain, null).statusCode();
        assertThat(status).isIn(204, 404);
        return status == 204;
    }

    @Test
    void theGuardIsLoadedFromTheShippedConfiguration() {
        assertThat(JAMES.logs()).contains("Loading WebAdmin route extension dev.tollgate.james.webadmin.BrowserRequestGuard");
        // One guard, shared with MfaRoutes, reads its configuration once.
        assertThat(JAMES.logs().split("WebAdmin refuses browser requests", -1)).hasSize(2);
    }

    @Test
    void crossOriginUserCreationIsRefusedAndHasNoEffect() {
        String user = "mallory@" + DOMAIN;

        assertRefused(admin.sendRaw("PUT", "/users/" + user, "{\"password\":\"Evil123456\"}",
                "Origin", EVIL, "Content-Type", "application/json"), "cross-origin requests are refused");
        assertRefused(admin.sendRaw("PUT", "/users/" + user, "{\"password\":\"Evil123456\"}",
                "Origin", "null", "Content-Type", "application/json"), "cross-origin requests are refused");

        assertThat(userExists(user)).isFalse();
    }

    @Test
    void crossOriginPasswordChangeIsRefused() {
        String user = "victim@" + DOMAIN;
        admin.addUser(user, "Victim123456");

        assertRefused(admin.sendRaw("PUT", "/users/" + user + "?force", "{\"password\":\"Evil123456\"}",
                "Origin", EVIL, "Content-Type", "application/json"), "cross-origin requests are refused");

        // The password is unchanged: James's verify route accepts the old one only.
        assertThat(admin.send("POST", "/users/" + user + "/verify", "{\"password\":\"Victim123456\"}").statusCode())
                .isEqualTo(204);
        assertThat(admin.send("POST", "/users/" + user + "/verify", "{\"password\":\"Evil123456\"}").statusCode())
                .isEqualTo(401);
    }

    @Test
    void crossOriginDomainCreationIsRefusedAndHasNoEffect() {
        assertRefused(admin.sendRaw("PUT", "/domains/evil.test", "", "Origin", EVIL), "cross-origin requests are refused");

        assertThat(domainExists("evil.test")).isFalse();
    }

    @Test
    void crossOriginReprocessingOfAMailRepositoryIsRefused() {
        assertRefused(admin.sendRaw("POST", ERROR_REPOSITORY + "?action=reprocess", "", "Origin", EVIL),
                "cross-origin requests are refused");
        assertRefused(admin.sendRaw("PATCH", ERROR_REPOSITORY + "?action=reprocess&processor=transport", "",
                "Origin", EVIL), "cross-origin requests are refused");
        // As curl sends it, the same request starts the task.
        HttpResponse<String> curl = admin.send("PATCH", ERROR_REPOSITORY + "?action=reprocess&processor=transport", null);
        assertThat(curl.statusCode()).as(curl.body()).isEqualTo(201);
        assertThat(curl.body()).contains("taskId");
        assertNoCorsHeaders(curl);
    }

    @Test
    void corsPreflightIsRefusedWithoutAnyAllowHeader() {
        HttpResponse<String> preflight = admin.sendRaw("OPTIONS", "/users/x@" + DOMAIN, "", "Origin", EVIL,
                "Access-Control-Request-Method", "DELETE", "Access-Control-Request-Headers", "content-type");

        assertRefused(preflight, "cross-origin requests are refused");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods")).isEmpty();
    }

    @Test
    void crossSiteFetchMetadataIsRefusedEvenWithoutOrigin() {
        String user = "sitewise@" + DOMAIN;

        assertRefused(admin.sendRaw("GET", "/users", "", "Sec-Fetch-Site", "cross-site"), "cross-site requests are refused");
        assertRefused(admin.sendRaw("PUT", "/users/" + user, "{\"password\":\"Evil123456\"}",
                "Sec-Fetch-Site", "same-site", "Content-Type", "application/json"), "cross-site requests are refused");

        assertThat(userExists(user)).isFalse();
    }

    @Test
    void browserFormsAreRefusedEvenFromWebAdminsOwnOrigin() {
        String user = "formed@" + DOMAIN;

        // The Origin is WebAdmin's own, so only the form rule can refuse these.
        assertRefused(admin.sendRaw("PUT", "/users/" + user, "{\"password\":\"Evil123456\"}", "Origin", ownOrigin(),
                "Content-Type", "application/x-www-form-urlencoded"), "browser form submissions are refused");
        assertRefused(admin.sendRaw("POST", "/users/" + user + "/verify", "{\"password\":\"x\"}", "Origin", ownOrigin(),
                "Content-Type", "text/plain"), "browser form submissions are refused");
        assertRefused(admin.sendRaw("PUT", "/domains/formed.test", "a=b", "Referer", ownOrigin() + "/",
                "Content-Type", "multipart/form-data; boundary=x"), "browser form submissions are refused");

        assertThat(userExists(user)).isFalse();
        assertThat(domainExists("formed.test")).isFalse();
        // Proof that the own Origin alone is not refused: JSON from it is served.
        HttpResponse<String> json = admin.sendRaw("GET", "/domains", "", "Origin", ownOrigin());
        assertThat(json.statusCode()).isEqualTo(200);
        assertNoCorsHeaders(json);
    }

    @Test
    void dnsRebindingHostIsRefused() {
        // A rebinding page at evil.example sends its own name as Host and, being "same-origin", its own Origin.
        int port = JAMES.getMappedPort(JamesContainer.WEBADMIN);
        Raw rebound = raw("PUT /domains/rebound.test HTTP/1.1\r\nHost: evil.example:" + port + "\r\nOrigin: http://evil.example:"
                + port + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        Raw read = raw("GET /users HTTP/1.1\r\nHost: evil.example:" + port + "\r\nConnection: close\r\n\r\n");
        // The same request with the Host curl sends (the address it connected to) passes the guard.
        Raw direct = raw("GET /users HTTP/1.1\r\nHost: " + JAMES.getHost() + ":" + port + "\r\nConnection: close\r\n\r\n");

        assertThat(rebound.status).as(rebound.text).isEqualTo(403);
        assertThat(rebound.text).contains("\"type\":\"Forbidden\"").contains("Host header");
        assertThat(read.status).as(read.text).isEqualTo(403);
        assertThat(List.of(rebound, read, direct)).allSatisfy(r -> assertThat(r.text.toLowerCase()).doesNotContain("access-control-"));
        assertThat(direct.status).as(direct.text).isEqualTo(200);
        assertThat(domainExists("rebound.test")).isFalse();
    }

    @Test
    void anAcceptHeaderNamingOnlyAMailRepositoryTypeStillMeetsTheGuard() {
        // James declares GET .../mails/{key} for application/json and message/rfc822; Spark runs filters by Accept,
        // so "*/*;q=0, message/rfc822" skips a */* filter and reaches that route. A missing key makes the route 404.
        String mail = ERROR_REPOSITORY + "/no-such-key";
        for (String accept : List.of("*/*;q=0, message/rfc822", "*/*;q=0, application/json")) {
            assertRefused(admin.sendRaw("GET", mail, "", "Origin", EVIL, "Accept", accept),
                    "cross-origin requests are refused");
            HttpResponse<String> curl = admin.sendRaw("GET", mail, "", "Accept", accept);
            assertThat(curl.statusCode()).as(accept + " " + curl.body()).isEqualTo(404);
        }
        int port = JAMES.getMappedPort(JamesContainer.WEBADMIN);
        Raw rebound = raw("GET " + mail + " HTTP/1.1\r\nHost: evil.example:" + port
                + "\r\nAccept: */*;q=0, message/rfc822\r\nConnection: close\r\n\r\n");
        assertThat(rebound.status).as(rebound.text).isEqualTo(403);
    }

    @Test
    void forwardedHostOrMethodOverrideHeadersCannotCarryARebindingPagePastTheGuard() {
        // WebAdmin's Jetty takes X-Forwarded-Host / Forwarded for the Host, and Spark routes by
        // X-HTTP-Method-Override: a rebound page's plain GET could otherwise read WebAdmin or delete a domain.
        int port = JAMES.getMappedPort(JamesContainer.WEBADMIN);
        String own = JAMES.getHost() + ":" + port;
        assertThat(admin.send("PUT", "/domains/override.test", null).statusCode()).isEqualTo(204);
        Raw read = raw("GET /users HTTP/1.1\r\nHost: evil.example:" + port + "\r\nX-Forwarded-Host: " + own
                + "\r\nConnection: close\r\n\r\n");
        Raw rfc7239 = raw("GET /users HTTP/1.1\r\nHost: evil.example:" + port + "\r\nForwarded: host=\"" + own
                + "\"\r\nConnection: close\r\n\r\n");
        Raw delete = raw("GET /domains/override.test HTTP/1.1\r\nHost: evil.example:" + port + "\r\nX-Forwarded-Server: "
                + JAMES.getHost() + "\r\nX-HTTP-Method-Override: DELETE\r\nConnection: close\r\n\r\n");
        Raw override = raw("GET /domains/override.test HTTP/1.1\r\nHost: " + own
                + "\r\nX-HTTP-Method-Override: DELETE\r\nConnection: close\r\n\r\n");

        assertThat(List.of(read, rfc7239, delete, override)).allSatisfy(r -> {
            assertThat(r.status).as(r.text).isEqualTo(403);
            assertThat(r.text).contains("is refused");
        });
        assertThat(domainExists("override.test")).isTrue();
    }

    @Test
    void anAbsoluteFormTargetNamingAnotherHostIsRefused() {
        // RFC 9112 §3.2.2: the authority in an absolute-form target replaces Host.
        int port = JAMES.getMappedPort(JamesContainer.WEBADMIN);
        String host = JAMES.getHost() + ":" + port;
        Raw rebound = raw("PUT http://evil.example/domains/absolute.test HTTP/1.1\r\nHost: " + host
                + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        Raw own = raw("GET http://" + host + "/domains HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");

        assertThat(rebound.status).as(rebound.text).isEqualTo(403);
        assertThat(rebound.text).contains("request target");
        assertThat(own.status).as(own.text).isEqualTo(200);
        assertThat(domainExists("absolute.test")).isFalse();
    }

    @Test
    void requestsWithoutBrowserHeadersWorkAsCurlSendsThem() throws IOException {
        // curl -XPUT http://127.0.0.1:8000/domains/curl.test -d ''   (curl -d: application/x-www-form-urlencoded,
        // and no Origin, Sec-Fetch-* or Referer)
        HttpResponse<String> domain = admin.sendRaw("PUT", "/domains/curl.test", "",
                "Content-Type", "application/x-www-form-urlencoded");
        // curl -XPUT http://127.0.0.1:8000/users/carol@curl.test -H 'Content-Type: application/json' -d '{...}'
        HttpResponse<String> user = admin.sendRaw("PUT", "/users/carol@curl.test", "{\"password\":\"Carol123456\"}",
                "Content-Type", "application/json");
        HttpResponse<String> users = admin.send("GET", "/users", null);
        HttpResponse<String> options = admin.sendRaw("OPTIONS", "/users/x", "", "Access-Control-Request-Method", "DELETE");
        // A JSON body sent as a form passes the guard; James 3.8.1 itself then finds the body empty (its request
        // logging reads the query parameters first, and Jetty takes a PUT form body as parameters): 400, not 403.
        HttpResponse<String> formJson = admin.sendRaw("PUT", "/users/dave@curl.test", "{\"password\":\"Dave1234567\"}",
                "Content-Type", "application/x-www-form-urlencoded");

        assertThat(domain.statusCode()).as(domain.body()).isEqualTo(204);
        assertThat(user.statusCode()).as(user.body()).isEqualTo(204);
        assertThat(users.statusCode()).isEqualTo(200);
        assertThat(users.body()).contains("carol@curl.test");
        assertThat(domainExists("curl.test")).isTrue();
        assertThat(options.statusCode()).isEqualTo(200);
        assertThat(formJson.statusCode()).as(formJson.body()).isEqualTo(400);
        assertThat(JSON.readTree(formJson.body()).get("type").asText()).isEqualTo("InvalidArgument");
        assertThat(List.of(domain, user, users, options, formJson)).allSatisfy(WebAdminBrowserGuardIT::assertNoCorsHeaders);
    }

    /** A response read as text from a hand-written HTTP/1.1 request (HttpClient cannot send a chosen Host). */
    static final class Raw {
        final int status;
        final String text;

        Raw(String text) {
            this.text = text;
            this.status = Integer.parseInt(text.split(" ", 3)[1]);
        }
    }

    private static Raw raw(String request) {
        try (Socket socket = new Socket(JAMES.getHost(), JAMES.getMappedPort(JamesContainer.WEBADMIN))) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            in.transferTo(bytes);
            return new Raw(bytes.toString(StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
