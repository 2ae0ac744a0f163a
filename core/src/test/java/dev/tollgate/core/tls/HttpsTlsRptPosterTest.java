package dev.tollgate.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/** {@link HttpsTlsRptPoster} against a loopback HTTPS collector with a test-PKI certificate. */
class HttpsTlsRptPosterTest {
    private static final List<String> RECEIVED = new CopyOnWriteArrayList<>();
    private static HttpsServer server;
    private static TestPki.Issued root;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        root = TestPki.root("Collector Root");
        TestPki.Issued leaf = TestPki.leaf("collector.example", root, TestPki.dns("collector.example"),
                Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(1))); // JSSE uses the real clock
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(TestPki.serverContext(leaf)));
        server.createContext("/", HttpsTlsRptPosterTest::handle);
        server.start();
        port = server.getAddress().getPort();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    /** {@code /ok} stores the gunzipped body; {@code /busy} answers 503, {@code /gone} 404, {@code /moved} 302. */
    private static void handle(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        String path = ex.getRequestURI().getPath();
        int status;
        switch (path) {
            case "/ok":
                try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                    RECEIVED.add(ex.getRequestMethod() + " " + ex.getRequestHeaders().getFirst("Content-Type") + " "
                            + new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
                status = 200;
                break;
            case "/busy":
                status = 503;
                break;
            case "/moved":
                ex.getResponseHeaders().add("Location", "https://collector.example:" + port + "/ok");
                status = 302;
                break;
            default:
                status = 404;
        }
        ex.sendResponseHeaders(status, -1);
        ex.close();
    }

    private static HttpsTlsRptPoster poster(SSLContext ssl, int limit) {
        return new HttpsTlsRptPoster(ssl, host -> {
            if (!host.equals("collector.example")) {
                throw new UnknownHostException(host);
            }
            return List.of(InetAddress.getLoopbackAddress());
        }, Duration.ofSeconds(5), limit);
    }

    private static URI uri(String path) {
        return URI.create("https://collector.example:" + port + path);
    }

    @Test
    void postsTheGzippedReportWithItsMediaType() throws Exception {
        try (HttpsTlsRptPoster p = poster(TestPki.clientContext(root.cert), HttpsTlsRptPoster.MAX_BODY_BYTES)) {
            HttpsTlsRptPoster.Result r = p.post(uri("/ok"), "{\"report-id\":\"r1\"}");
            assertThat(r.delivered()).isTrue();
            assertThat(r.detail()).isEqualTo("status=200");
        }
        assertThat(RECEIVED).contains("POST application/tlsrpt+gzip {\"report-id\":\"r1\"}");
    }

    @Test
    void serverErrorsAndUntrustedCertificatesAreRetriedOtherAnswersAreFinal() throws Exception {
        try (HttpsTlsRptPoster p = poster(TestPki.clientContext(root.cert), HttpsTlsRptPoster.MAX_BODY_BYTES)) {
            HttpsTlsRptPoster.Result busy = p.post(uri("/busy"), "{}");
            assertThat(busy.delivered()).isFalse();
            assertThat(busy.retry()).isTrue();
            assertThat(busy.detail()).isEqualTo("status=503");
            HttpsTlsRptPoster.Result gone = p.post(uri("/gone"), "{}");
            assertThat(gone.retry()).isFalse();
            HttpsTlsRptPoster.Result moved = p.post(uri("/moved"), "{}");
            assertThat(moved.delivered()).as("redirects are not followed").isFalse();
            assertThat(moved.detail()).isEqualTo("status=302");
            assertThat(p.post(URI.create("http://collector.example:" + port + "/ok"), "{}").detail())
                    .isEqualTo("error=not-an-https-uri");
        }
        TestPki.Issued other = TestPki.root("Other Root");
        try (HttpsTlsRptPoster p = poster(TestPki.clientContext(other.cert), HttpsTlsRptPoster.MAX_BODY_BYTES)) {
            HttpsTlsRptPoster.Result untrusted = p.post(uri("/ok"), "{\"report-id\":\"untrusted\"}");
            assertThat(untrusted.delivered()).isFalse();
            assertThat(untrusted.retry()).isTrue();
            assertThat(untrusted.detail()).startsWith("error=");
        }
        assertThat(RECEIVED).noneMatch(s -> s.contains("untrusted"));
    }

    @Test
    void aReportAboveTheSizeLimitIsNotSent() throws Exception {
        StringBuilder big = new StringBuilder();
        java.util.Random random = new java.util.Random(1);
        for (int i = 0; i < 20_000; i++) {
            big.append(Integer.toHexString(random.nextInt()));
        }
        try (HttpsTlsRptPoster p = poster(TestPki.clientContext(root.cert), 1024)) {
            HttpsTlsRptPoster.Result r = p.post(uri("/ok"), "{\"report-id\":\"" + big + "\"}");
            assertThat(r.delivered()).isFalse();
            assertThat(r.retry()).isFalse();
            assertThat(r.detail()).startsWith("error=report-too-large");
        }
        assertThat(RECEIVED).noneMatch(s -> s.length() > 100_000);
    }
}
