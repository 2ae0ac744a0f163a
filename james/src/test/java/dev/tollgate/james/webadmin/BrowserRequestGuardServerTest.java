package dev.tollgate.james.webadmin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.apache.james.server.core.configuration.Configuration;
import org.apache.james.server.core.filesystem.FileSystemImpl;
import org.apache.james.utils.PropertiesProvider;
import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.WebAdminConfiguration;
import org.apache.james.webadmin.WebAdminServer;
import org.apache.james.webadmin.authentication.NoAuthenticationFilter;
import org.apache.james.webadmin.mdc.LoggingRequestFilter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import spark.Service;

/**
 * The guard inside James 3.8.1's own {@link WebAdminServer} (its CORS filter and preflight route included),
 * spoken to over HTTP/1.1 on loopback with hand-written requests (so the Host header is whatever the test says).
 */
class BrowserRequestGuardServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    private WebAdminServer server;
    /** Users created through the stand-in of James's user routes. */
    private final Set<String> users = Collections.synchronizedSet(new java.util.LinkedHashSet<>());

    /** A stand-in for James's {@code UserRoutes}: {@code PUT /users/:user} creates, {@code GET /users} lists. */
    private final Routes userRoutes = new Routes() {
        @Override
        public String getBasePath() {
            return "/users";
        }

        @Override
        public void define(Service service) {
            service.put("/users/:user", (req, res) -> {
                users.add(req.params(":user"));
                res.status(204);
                return "";
            });
            service.get("/users", (req, res) -> JSON.writeValueAsString(users));
        }
    };

    /** Routes declared for one media type, as James's {@code GET /mailRepositories/.../mails/{key}} are. */
    private final List<String> mailReads = Collections.synchronizedList(new ArrayList<>());
    private final Routes typedRoutes = new Routes() {
        @Override
        public String getBasePath() {
            return "/mails";
        }

        @Override
        public void define(Service service) {
            service.get("/mails/:key", "message/rfc822", (req, res) -> {
                mailReads.add(req.params(":key"));
                return "Subject: secret\r\n\r\nbody\r\n";
            });
            service.get("/mails/:key", "application/json", (req, res) -> {
                mailReads.add(req.params(":key"));
                return "{}";
            });
        }
    };

    @AfterEach
    void stop() {
        if (server != null) {
            server.destroy();
        }
    }

    private int start(Routes... routes) {
        server = new WebAdminServer(WebAdminConfiguration.TEST_CONFIGURATION, List.of(routes),
                new NoAuthenticationFilter(), new RecordingMetricFactory(), LoggingRequestFilter.create()) {
        };
        server.start();
        return server.getPort().getValue();
    }

    @Test
    void withoutTheGuardJamesAnswersCrossOriginRequestsAndPreflights() throws IOException {
        // The defect this guard exists for: cors.enable is false in TEST_CONFIGURATION, yet CORS is on.
        int port = start(userRoutes);

        Reply put = send(port, "PUT /users/mallory HTTP/1.1", "Host: 127.0.0.1:" + port,
                "Origin: https://evil.example", "Content-Type: text/plain", "Content-Length: 2", "", "{}");
        Reply preflight = send(port, "OPTIONS /users/x HTTP/1.1", "Host: 127.0.0.1:" + port,
                "Origin: https://evil.example", "Access-Control-Request-Method: DELETE");

        assertThat(put.status).isEqualTo(204);
        assertThat(users).containsExactly("mallory");
        assertThat(put.header("Access-Control-Allow-Origin")).isEqualTo("*");
        assertThat(preflight.status).isEqualTo(200);
        assertThat(preflight.header("Access-Control-Allow-Methods")).isEqualTo("DELETE");
    }

    @Test
    void anAcceptHeaderRefusingEveryTypeButARoutesOwnStillMeetsTheGuard() throws IOException {
        // Spark matches filters by Accept like routes: a filter for */* alone is skipped by "*/*;q=0, <type>".
        int unguarded = start(typedRoutes);
        Reply bypass = send(unguarded, "GET /mails/k1 HTTP/1.1", "Host: evil.example",
                "Origin: https://evil.example", "Accept: */*;q=0, message/rfc822");
        assertThat(bypass.status).isEqualTo(200);
        server.destroy();
        mailReads.clear();

        int port = start(typedRoutes, new BrowserRequestGuard(BrowserRequestGuardConfig.defaults()));
        for (String accept : List.of("*/*;q=0, message/rfc822", "*/*;q=0, application/json", "message/rfc822",
                "application/json", "*/*")) {
            Reply reply = send(port, "GET /mails/k2 HTTP/1.1", "Host: 127.0.0.1:" + port,
                    "Origin: https://evil.example", "Accept: " + accept);
            assertThat(reply.status).as(accept).isEqualTo(403);
            assertThat(reply.corsHeaders()).as(accept).isEmpty();
        }
        Reply curl = send(port, "GET /mails/k3 HTTP/1.1", "Host: 127.0.0.1:" + port,
                "Accept: */*;q=0, message/rfc822");
        assertThat(curl.status).isEqualTo(200);
        assertThat(mailReads).containsExactly("k3");
        // James's JSON filter is skipped here, so a 404 is text/html with the decoded path: kept inert.
        Reply notFound = send(port, "GET /nope/%3Cscript%3E HTTP/1.1", "Host: 127.0.0.1:" + port,
                "Accept: application/json, */*;q=0");
        assertThat(notFound.status).isEqualTo(404);
        assertThat(notFound.header("Content-Security-Policy")).isEqualTo("default-src 'none'; frame-ancestors 'none'; sandbox");
        assertThat(notFound.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(curl.header("Content-Security-Policy")).startsWith("default-src 'none'");
    }

    @Test
    void forwardedHostAndMethodOverrideCannotCarryARebindingPagePastTheGuard() throws IOException {
        // Spark's Jetty takes X-Forwarded-Host for the Host, and Spark routes by X-HTTP-Method-Override: without
        // the guard, a rebound page's GET with both headers runs the PUT route.
        int unguarded = start(userRoutes);
        Reply bypass = send(unguarded, "GET /users/mallory HTTP/1.1", "Host: evil.example:" + unguarded,
                "X-Forwarded-Host: 127.0.0.1:" + unguarded, "X-HTTP-Method-Override: PUT");
        assertThat(bypass.status).isEqualTo(204);
        assertThat(users).containsExactly("mallory");
        server.destroy();
        users.clear();

        int port = start(userRoutes, new BrowserRequestGuard(BrowserRequestGuardConfig.defaults()));
        Reply forwarded = send(port, "GET /users HTTP/1.1", "Host: evil.example:" + port,
                "X-Forwarded-Host: 127.0.0.1:" + port);
        Reply rfc7239 = send(port, "GET /users HTTP/1.1", "Host: evil.example:" + port, "Forwarded: host=127.0.0.1");
        Reply override = send(port, "GET /users/mallory HTTP/1.1", "Host: 127.0.0.1:" + port,
                "X-HTTP-Method-Override: PUT");

        assertThat(forwarded.status).isEqualTo(403);
        assertThat(rfc7239.status).isEqualTo(403);
        assertThat(override.status).isEqualTo(403);
        assertThat(users).isEmpty();
    }

    @Test
    void anAbsoluteFormTargetIsJudgedByItsAuthority() throws IOException {
        // RFC 9112 §3.2.2: the authority of an absolute-form target replaces the Host header.
        int port = start(userRoutes, new BrowserRequestGuard(BrowserRequestGuardConfig.defaults()));

        Reply rebound = send(port, "PUT http://evil.example/users/mallory HTTP/1.1", "Host: 127.0.0.1:" + port,
                "Content-Type: application/json", "Content-Length: 2", "", "{}");
        Reply own = send(port, "PUT http://127.0.0.1:" + port + "/users/alice HTTP/1.1", "Host: 127.0.0.1:" + port,
                "Content-Type: application/json", "Content-Length: 2", "", "{}");

        assertThat(rebound.status).isEqualTo(403);
        assertThat(own.status).isEqualTo(204);
        assertThat(users).containsExactly("alice");
    }

    @Test
    void crossOriginRequestIsRefusedBeforeTheRouteRuns() throws IOException {
        int port = start(userRoutes, new BrowserRequestGuard(BrowserRequestGuardConfig.defaults()));

        Reply put = send(port, "PUT /users/mallory HTTP/1.1", "Host: 127.0.0.1:" + port,
                "Origin: https://evil.example", "Content-Type: application/json", "Content-Length: 2", "", "{}");

        assertThat(put.status).isEqualTo(403);
        assertThat(put.header("Content-Type")).startsWith("application/json");
        JsonNode body = JSON.readTree(put.body);
        assertThat(body.get("statusCode").asInt()).isEqualTo(403);
        assertThat(body.get("type").asText()).isEqualTo("Forbidden");
        assertThat(body.get("message").asText()).isEqualTo("cross-origin requests are refused");
        assertThat(put.corsHeaders()).isEmpty();
        assertThat(users).isEmpty();
    }

    @Test
    void preflightIsRefusedAndCarriesNoCorsHeader() throws IOException {
        int port = start(userRoutes, new BrowserRequestGuard(BrowserRequestGuardConfig.defaults()));

        Reply preflight = send(port, "OPTIONS /users/x HTTP/1.1", "Host: localhost:" + port,
                "Origin: https://evil.example", "Access-Control-Request-Method: DELETE",
                "Access-Control-Request-Headers: content-type");

        assertThat(preflight.status).isEqualTo(403);
        assertThat(preflight.corsHeaders()).isEmpty();
    }

    @Test
    void rebindingHostCrossSiteFetchAndBrowserFormsAreRefused() throws IOException {
        int port = start(userRoutes, new BrowserRequestGuard(BrowserRequestGuardConfig.defaults()));

        // DNS rebinding: the page's own name now points at loopback, so its requests are "same-origin".
        Reply rebound = send(port, "PUT /users/mallory HTTP/1.1", "Host: evil.example:" + port,
                "Origin: http://evil.example:" + port, "Content-Type: application/json", "Content-Length: 2", "", "{}");
        Reply crossSite = send(port, "GET /users HTTP/1.1", "Host: 127.0.0.1:" + port, "Sec-Fetch-Site: cross-site");
        Reply form = send(port, "PUT /users/mallory HTTP/1.1", "Host: 127.0.0.1:" + port,
                "Referer: http://127.0.0.1:" + port + "/", "Content-Type: application/x-www-form-urlencoded",
                "Content-Length: 3", "", "a=b");

        assertThat(rebound.status).isEqualTo(403);
        assertThat(rebound.body).contains("Host header");
        assertThat(crossSite.status).isEqualTo(403);
        assertThat(crossSite.body).contains("cross-site requests are refused");
        assertThat(form.status).isEqualTo(403);
        assertThat(form.body).contains("browser form submissions are refused");
        assertThat(List.of(rebound, crossSite, form)).allSatisfy(r -> assertThat(r.corsHeaders()).isEmpty());
        assertThat(users).isEmpty();
    }

    @Test
    void requestsAsCurlSendsThemPassAndCarryNoCorsHeader() throws IOException {
        int port = start(userRoutes, new BrowserRequestGuard(BrowserRequestGuardConfig.defaults()));

        // curl -XPUT http://127.0.0.1:PORT/users/alice -d '{"password":"x"}'
        Reply put = send(port, "PUT /users/alice HTTP/1.1", "Host: 127.0.0.1:" + port, "User-Agent: curl/7.88.1",
                "Accept: */*", "Content-Type: application/x-www-form-urlencoded", "Content-Length: 16", "",
                "{\"password\":\"x\"}");
        Reply list = send(port, "GET /users HTTP/1.1", "Host: localhost:" + port, "User-Agent: curl/7.88.1");
        Reply options = send(port, "OPTIONS /users/x HTTP/1.1", "Host: localhost:" + port,
                "Access-Control-Request-Method: DELETE");
        Reply notFound = send(port, "GET /nowhere HTTP/1.1", "Host: localhost:" + port);

        assertThat(put.status).isEqualTo(204);
        assertThat(list.status).isEqualTo(200);
        assertThat(list.body).contains("alice");
        assertThat(options.status).isEqualTo(200);
        assertThat(notFound.status).isEqualTo(404);
        assertThat(List.of(put, list, options, notFound)).allSatisfy(r -> assertThat(r.corsHeaders()).isEmpty());
    }

    @Test
    void allowedHostsFromWebadminPropertiesTakeEffect() throws Exception {
        writeWebadminProperties("enabled=true\nport=8000\ntollgate.allowedHosts=admin.example.com, mail.example.net\n");
        BrowserRequestGuard guard = new BrowserRequestGuard(properties());
        assertThat(guard.config().allowedHosts()).containsExactly("admin.example.com", "mail.example.net");
        int port = start(userRoutes, guard);

        Reply listed = send(port, "GET /users HTTP/1.1", "Host: mail.example.net:" + port);
        Reply other = send(port, "GET /users HTTP/1.1", "Host: other.example.net:" + port);

        assertThat(listed.status).isEqualTo(200);
        assertThat(other.status).isEqualTo(403);
    }

    @Test
    void badAllowedHostStopsStartupNamingTheKey() throws Exception {
        writeWebadminProperties("enabled=true\ntollgate.allowedHosts=admin.example.com:8000\n");
        assertThatThrownBy(() -> new BrowserRequestGuard(properties()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("webadmin.properties: parameter 'tollgate.allowedHosts': ");

        writeWebadminProperties("enabled=true\ntollgate.allowedhosts=admin.example.com\n");
        assertThatThrownBy(() -> new BrowserRequestGuard(properties()))
                .hasMessageStartingWith("webadmin.properties: parameter 'tollgate.allowedhosts': unknown parameter");
    }

    private void writeWebadminProperties(String text) throws IOException {
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/webadmin.properties"), text, StandardCharsets.UTF_8);
    }

    private PropertiesProvider properties() {
        Configuration.Basic configuration = Configuration.builder().workingDirectory(home.toFile()).build();
        return new PropertiesProvider(new FileSystemImpl(configuration.directories()), configuration.configurationPath());
    }

    /** One HTTP/1.1 exchange; lines are the request line, headers, "" and an optional body. */
    private static Reply send(int port, String... lines) throws IOException {
        StringBuilder request = new StringBuilder();
        boolean hasBody = false;
        for (String line : lines) {
            if (line.isEmpty()) {
                hasBody = true;
                request.append("Connection: close\r\n\r\n");
                continue;
            }
            request.append(line);
            if (!hasBody) {
                request.append("\r\n");
            }
        }
        if (!hasBody) {
            request.append("Connection: close\r\n\r\n");
        }
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            in.transferTo(bytes);
            return Reply.parse(bytes.toString(StandardCharsets.ISO_8859_1));
        }
    }

    static final class Reply {
        final int status;
        final Map<String, List<String>> headers;
        final String body;

        private Reply(int status, Map<String, List<String>> headers, String body) {
            this.status = status;
            this.headers = headers;
            this.body = body;
        }

        static Reply parse(String raw) {
            int end = raw.indexOf("\r\n\r\n");
            String[] head = raw.substring(0, end).split("\r\n");
            int status = Integer.parseInt(head[0].split(" ")[1]);
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (int i = 1; i < head.length; i++) {
                int colon = head[i].indexOf(':');
                headers.computeIfAbsent(head[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        k -> new ArrayList<>()).add(head[i].substring(colon + 1).trim());
            }
            String body = raw.substring(end + 4);
            if ("chunked".equalsIgnoreCase(String.join("", headers.getOrDefault("transfer-encoding", List.of())))) {
                body = dechunk(body);
            }
            return new Reply(status, headers, body);
        }

        private static String dechunk(String chunked) {
            StringBuilder out = new StringBuilder();
            int at = 0;
            while (true) {
                int eol = chunked.indexOf("\r\n", at);
                int size = Integer.parseInt(chunked.substring(at, eol).split(";")[0].trim(), 16);
                if (size == 0) {
                    return out.toString();
                }
                out.append(chunked, eol + 2, eol + 2 + size);
                at = eol + 2 + size + 2;
            }
        }

        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : String.join(",", values);
        }

        List<String> corsHeaders() {
            List<String> out = new ArrayList<>();
            headers.keySet().stream().filter(n -> n.startsWith("access-control-")).forEach(out::add);
            return out;
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + body;
        }
    }
}
