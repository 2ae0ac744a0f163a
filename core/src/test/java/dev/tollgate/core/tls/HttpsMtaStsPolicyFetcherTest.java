package dev.tollgate.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.StandardConstants;
import org.bouncycastle.asn1.x509.GeneralName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HttpsMtaStsPolicyFetcherTest {
    private static final String POLICY = "version: STSv1\r\nmode: enforce\r\nmx: mx.ok.example\r\nmax_age: 86400\r\n";

    private static final List<String> SNI_SEEN = new CopyOnWriteArrayList<>();
    private static final List<String> RESOLVED = new CopyOnWriteArrayList<>();
    private static HttpsServer server;
    private static TestPki.Issued root;

    @BeforeAll
    static void start() throws Exception {
        root = TestPki.root("Test Root");
        List<GeneralName> names = new ArrayList<>();
        for (String d : List.of("ok", "missing", "moved", "html", "invalid", "huge", "iplit", "allip")) {
            names.add(new GeneralName(GeneralName.dNSName, "mta-sts." + d + ".example"));
        }
        TestPki.Issued leaf = TestPki.leaf("mta-sts.ok.example", root, names,
                Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(1))); // JSSE uses the real clock
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(TestPki.serverContext(leaf)) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters ssl = getSSLContext().getDefaultSSLParameters();
                ssl.setSNIMatchers(List.of(new SNIMatcher(StandardConstants.SNI_HOST_NAME) {
                    @Override
                    public boolean matches(SNIServerName name) {
                        SNI_SEEN.add(((SNIHostName) name).getAsciiName());
                        return true;
                    }
                }));
                params.setSSLParameters(ssl);
            }
        });
        server.createContext("/", HttpsMtaStsPolicyFetcherTest::handle);
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    private static void handle(HttpExchange ex) throws IOException {
        String host = ex.getRequestHeaders().getFirst("Host");
        String domain = host.substring("mta-sts.".length(), host.indexOf(':'));
        try {
            switch (domain) {
                case "ok.example":
                    send(ex, 200, "text/plain; charset=utf-8", POLICY.getBytes(StandardCharsets.UTF_8));
                    break;
                case "missing.example":
                    send(ex, 404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8));
                    break;
                case "moved.example":
                    ex.getResponseHeaders().add("Location", "https://mta-sts.ok.example/.well-known/mta-sts.txt");
                    send(ex, 301, "text/plain", new byte[0]);
                    break;
                case "html.example":
                    send(ex, 200, "text/html", POLICY.getBytes(StandardCharsets.UTF_8));
                    break;
                case "invalid.example":
                    send(ex, 200, "text/plain", "version: STSv1\nmode: maybe\n".getBytes(StandardCharsets.UTF_8));
                    break;
                case "iplit.example":
                    send(ex, 200, "text/plain", ("version: STSv1\nmode: enforce\nmx: [192.0.2.25]\n"
                            + "mx: mx.iplit.example\nmx: 2001:db8::25\nmax_age: 86400\n").getBytes(StandardCharsets.UTF_8));
                    break;
                case "allip.example":
                    send(ex, 200, "text/plain", ("version: STSv1\nmode: enforce\nmx: 192.0.2.25\n"
                            + "mx: [2001:db8::25]\nmax_age: 86400\n").getBytes(StandardCharsets.UTF_8));
                    break;
                case "huge.example":
                    ex.getResponseHeaders().add("Content-Type", "text/plain");
                    ex.sendResponseHeaders(200, 0); // chunked, no length announced
                    byte[] chunk = new byte[8192];
                    java.util.Arrays.fill(chunk, (byte) 'x');
                    try (OutputStream out = ex.getResponseBody()) {
                        for (int i = 0; i < 1024; i++) { // up to 8 MiB unless the client stops reading
                            out.write(chunk);
                        }
                    } catch (IOException clientWentAway) {
                        // expected once the fetcher cancels
                    }
                    break;
                default:
                    send(ex, 500, "text/plain", new byte[0]);
            }
        } finally {
            ex.close();
        }
    }

    private static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        ex.getResponseHeaders().add("Content-Type", contentType);
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            ex.getResponseBody().write(body);
        }
    }

    private static HttpsMtaStsPolicyFetcher fetcher(javax.net.ssl.SSLContext ctx) {
        int port = server.getAddress().getPort();
        return HttpsMtaStsPolicyFetcher.builder()
                .sslContext(ctx)
                .connectTimeout(Duration.ofSeconds(10))
                .readTimeout(Duration.ofSeconds(20))
                .resolver(host -> {
                    RESOLVED.add(host);
                    if (host.startsWith("mta-sts.unresolvable")) {
                        throw new UnknownHostException(host);
                    }
                    return List.of(InetAddress.getLoopbackAddress());
                })
                .uriForDomain(d -> URI.create("https://mta-sts." + d + ":" + port
                        + HttpsMtaStsPolicyFetcher.WELL_KNOWN_PATH))
                .build();
    }

    private static HttpsMtaStsPolicyFetcher trusting() throws Exception {
        return fetcher(TestPki.clientContext(root.cert));
    }

    @Test
    void defaultUriFollowsRfc8461() {
        assertThat(HttpsMtaStsPolicyFetcher.defaultUri("example.com"))
                .hasToString("https://mta-sts.example.com/.well-known/mta-sts.txt");
    }

    @Test
    void fetchesAndParsesPolicyOn200() throws Exception {
        MtaStsPolicy policy = trusting().fetch("OK.example.");
        assertThat(policy.mode()).isEqualTo(MtaStsPolicy.Mode.ENFORCE);
        assertThat(policy.permitsMx("mx.ok.example")).isTrue();
    }

    @Test
    void policyHostIsResolvedByTheGivenResolverAndNamedInSni() throws Exception {
        trusting().fetch("ok.example");
        assertThat(RESOLVED).contains("mta-sts.ok.example");
        assertThat(SNI_SEEN).contains("mta-sts.ok.example");
    }

    @Test
    void certificateNotNamingThePolicyHostIsWebPkiInvalid() throws Exception {
        // Trusted chain, but the certificate names no mta-sts.other.example (RFC 8461 §3.3: host name check).
        assertReason(trusting(), "other.example", TlsFailureReason.STS_WEBPKI_INVALID);
    }

    @Test
    void unresolvablePolicyHostIsFetchError() throws Exception {
        assertReason(trusting(), "unresolvable.example", TlsFailureReason.STS_POLICY_FETCH_ERROR);
    }

    @Test
    void notFoundIsFetchError() throws Exception {
        assertReason(trusting(), "missing.example", TlsFailureReason.STS_POLICY_FETCH_ERROR);
    }

    @Test
    void redirectIsNotFollowed() throws Exception {
        assertThatThrownBy(() -> trusting().fetch("moved.example"))
                .isInstanceOf(TlsPolicyException.class)
                .hasMessageContaining("301")
                .extracting(e -> ((TlsPolicyException) e).reason())
                .isEqualTo(TlsFailureReason.STS_POLICY_FETCH_ERROR);
    }

    @Test
    void wrongContentTypeIsInvalid() throws Exception {
        assertReason(trusting(), "html.example", TlsFailureReason.STS_POLICY_INVALID);
    }

    @Test
    void invalidBodyIsInvalid() throws Exception {
        assertReason(trusting(), "invalid.example", TlsFailureReason.STS_POLICY_INVALID);
    }

    @Test
    void ipLiteralMxLinesAreIgnoredAndTheHostPatternKept() throws Exception {
        MtaStsPolicy policy = trusting().fetch("iplit.example");
        assertThat(policy.mode()).isEqualTo(MtaStsPolicy.Mode.ENFORCE);
        assertThat(policy.mxPatterns()).containsExactly("mx.iplit.example");
    }

    @Test
    void enforcePolicyWithOnlyIpLiteralsIsInvalidAndDefers() throws Exception {
        assertThatThrownBy(() -> trusting().fetch("allip.example"))
                .isInstanceOf(TlsPolicyException.class)
                .satisfies(e -> {
                    assertThat(((TlsPolicyException) e).reason()).isEqualTo(TlsFailureReason.STS_POLICY_INVALID);
                    assertThat(((TlsPolicyException) e).defersDelivery()).isTrue();
                });
    }

    @Test
    void quotedPolicyTextIsPrintableAndBounded() {
        assertThat(HttpsMtaStsPolicyFetcher.quotable("fe80::1%\u001b[31m\"x")).isEqualTo("fe80::1%?[31m?x");
        assertThat(HttpsMtaStsPolicyFetcher.quotable("1".repeat(300))).hasSize(103).endsWith("...");
    }

    @Test
    void oversizedChunkedBodyIsRefused() throws Exception {
        assertThatThrownBy(() -> trusting().fetch("huge.example"))
                .isInstanceOf(TlsPolicyException.class)
                .hasMessageContaining("64 KiB")
                .extracting(e -> ((TlsPolicyException) e).reason())
                .isEqualTo(TlsFailureReason.STS_POLICY_INVALID);
    }

    @Test
    void untrustedServerCertificateIsWebPkiInvalid() throws Exception {
        TestPki.Issued otherRoot = TestPki.root("Other Root");
        assertReason(fetcher(TestPki.clientContext(otherRoot.cert)), "ok.example", TlsFailureReason.STS_WEBPKI_INVALID);
    }

    @Test
    void invalidDomainIsRefusedBeforeConnecting() throws Exception {
        assertReason(trusting(), "bad..example", TlsFailureReason.STS_POLICY_FETCH_ERROR);
    }

    @Test
    void builderRefusesNonPositiveTimeouts() {
        assertThatThrownBy(() -> HttpsMtaStsPolicyFetcher.builder().connectTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HttpsMtaStsPolicyFetcher.builder().readTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static void assertReason(HttpsMtaStsPolicyFetcher f, String domain, TlsFailureReason reason) {
        assertThatThrownBy(() -> f.fetch(domain))
                .isInstanceOf(TlsPolicyException.class)
                .extracting(e -> ((TlsPolicyException) e).reason())
                .isEqualTo(reason);
    }
}
