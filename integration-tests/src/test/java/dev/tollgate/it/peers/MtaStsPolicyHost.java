package dev.tollgate.it.peers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyStore;
import java.util.List;
import java.util.Locale;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.StandardConstants;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

/**
 * An MTA-STS policy host (RFC 8461 §3.3) for container tests: HTTPS on the given port with a PKCS#12 key store
 * (a test-CA certificate naming every {@code mta-sts.<domain>} served), answering
 * {@code GET /.well-known/mta-sts.txt} with the file {@code <dir>/<Host header without port>} as
 * {@code text/plain}, 404 when there is none. Logs {@code POLICY GET host=<host> sni=<server name> status=<n>} per
 * request, so a test can see the client resolved the name itself and sent SNI.
 *
 * <p>It is also a TLS-RPT collector (RFC 8460 §5.3.2): {@code POST /tlsrpt} stores the body, gunzipped, as
 * {@code <policy-dir>/../tlsrpt/<n>.json} and logs {@code TLSRPT POST n=<n> content-type=<type> bytes=<gzipped size>
 * status=<n>}; with a fifth argument {@code k}, the first {@code k} POSTs are answered {@code 503} (to prove retries).
 *
 * <p>Arguments: {@code <port> <policy-dir> <pkcs12-keystore> <password> [failing-posts]}.
 */
public final class MtaStsPolicyHost {
    private static volatile String lastSni = "-";

    private MtaStsPolicyHost() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path dir = Paths.get(args[1]);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(Paths.get(args[2]))) {
            ks.load(in, args[3].toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, args[3].toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(port), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters ssl = context.getDefaultSSLParameters();
                ssl.setSNIMatchers(List.of(new SNIMatcher(StandardConstants.SNI_HOST_NAME) {
                    @Override
                    public boolean matches(SNIServerName name) {
                        lastSni = ((SNIHostName) name).getAsciiName();
                        return true;
                    }
                }));
                params.setSSLParameters(ssl);
            }
        });
        server.createContext("/", exchange -> serve(exchange, dir));
        int failing = args.length > 4 ? Integer.parseInt(args[4]) : 0;
        Path reports = Files.createDirectories(dir.toAbsolutePath().getParent().resolve("tlsrpt"));
        java.util.concurrent.atomic.AtomicInteger posts = new java.util.concurrent.atomic.AtomicInteger();
        server.createContext("/tlsrpt", exchange -> collect(exchange, reports, posts, failing));
        server.start();
        System.out.println("POLICY HOST READY on " + port);
        System.out.flush();
    }

    private static void collect(HttpExchange exchange, Path reports, java.util.concurrent.atomic.AtomicInteger posts,
            int failing) throws IOException {
        try {
            byte[] body = exchange.getRequestBody().readAllBytes();
            int n = posts.incrementAndGet();
            String type = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"));
            int status;
            if (!exchange.getRequestMethod().equals("POST")) {
                status = 405;
            } else if (n <= failing) {
                status = 503;
            } else {
                try (InputStream gz = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
                    Files.write(reports.resolve(n + ".json"), gz.readAllBytes());
                    status = 200;
                } catch (IOException notGzip) {
                    status = 400;
                }
            }
            exchange.sendResponseHeaders(status, -1);
            System.out.println("TLSRPT " + exchange.getRequestMethod() + " n=" + n + " content-type=" + type + " bytes="
                    + body.length + " sni=" + lastSni + " status=" + status);
            System.out.flush();
        } finally {
            exchange.close();
        }
    }

    private static void serve(HttpExchange exchange, Path dir) throws IOException {
        try {
            String host = String.valueOf(exchange.getRequestHeaders().getFirst("Host")).toLowerCase(Locale.ROOT);
            int colon = host.indexOf(':');
            String name = colon < 0 ? host : host.substring(0, colon);
            Path file = dir.resolve(name).normalize();
            int status;
            if (exchange.getRequestURI().getPath().equals("/.well-known/mta-sts.txt") && file.startsWith(dir)
                    && Files.isRegularFile(file)) {
                byte[] body = Files.readAllBytes(file);
                exchange.getResponseHeaders().add("Content-Type", "text/plain");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
                status = 200;
            } else {
                exchange.sendResponseHeaders(404, -1);
                status = 404;
            }
            System.out.println("POLICY " + exchange.getRequestMethod() + " host=" + name + " sni=" + lastSni
                    + " status=" + status);
            System.out.flush();
        } finally {
            exchange.close();
        }
    }
}
