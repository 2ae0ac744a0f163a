package dev.tollgate.it.peers;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An OpenID provider's public half for container tests, over plain HTTP: {@code GET /.well-known/openid-configuration}
 * (OpenID Connect Discovery 1.0 §4: {@code issuer}, {@code jwks_uri}) and {@code GET /jwks} (the JWK set, RFC 7517 §5,
 * given by the test, which keeps the private key and signs the tokens). Anything else is 404. Logs
 * {@code ISSUER GET <path> status=<n>} per request.
 *
 * <p>Arguments: {@code <port> <issuer URL> <JWK set JSON>}.
 */
public final class OidcIssuer {
    private OidcIssuer() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String issuer = args[1];
        byte[] jwks = args[2].getBytes(StandardCharsets.UTF_8);
        byte[] discovery = ("{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer + "/jwks\"}")
                .getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/jwks")) {
                send(exchange, 200, jwks);
            } else if (path.equals("/.well-known/openid-configuration")) {
                send(exchange, 200, discovery);
            } else {
                send(exchange, 404, null);
            }
        });
        server.start();
        System.out.println("ISSUER READY on " + port);
        System.out.flush();
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        try {
            if (body == null) {
                exchange.sendResponseHeaders(status, -1);
            } else {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(status, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            System.out.println("ISSUER " + exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath()
                    + " status=" + status);
            System.out.flush();
        } finally {
            exchange.close();
        }
    }
}
