package dev.tollgate.james.mfa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

import com.sun.net.httpserver.HttpServer;
import org.apache.james.protocols.api.OidcSASLConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tollgate.core.testing.TestIssuer;

/** James's own verifier as {@link OAuthTokenVerifier#JAMES} calls it, against a JWKS served on loopback. */
class OAuthTokenVerifierTest {
    final TestIssuer issuer = new TestIssuer("k1");
    HttpServer jwks;
    OidcSASLConfiguration oidc;

    @BeforeEach
    void serve() throws Exception {
        jwks = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] body = issuer.jwks().getBytes(StandardCharsets.UTF_8);
        jwks.createContext("/jwks", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        jwks.start();
        oidc = config(jwks.getAddress().getPort());
    }

    static OidcSASLConfiguration config(int port) throws Exception {
        return new OidcSASLConfiguration(new URL("http://127.0.0.1:" + port + "/jwks"), "email",
                new URL("http://127.0.0.1:" + port + "/.well-known/openid-configuration"), "email", Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    @AfterEach
    void stop() {
        jwks.stop(0);
    }

    static String claims(long exp) {
        return "{\"email\":\"alice@example.com\",\"exp\":" + exp + ",\"aud\":\"smtp\",\"amr\":[\"otp\"]}";
    }

    @Test
    void signedTokenGivesTheClaim() throws Exception {
        long exp = Instant.now().getEpochSecond() + 300;
        assertThat(OAuthTokenVerifier.JAMES.verify(issuer.sign(claims(exp)), oidc)).contains("alice@example.com");
    }

    @Test
    void otherKeyExpiryOrAlteredPayloadIsEmpty() throws Exception {
        long exp = Instant.now().getEpochSecond() + 300;
        TestIssuer forger = new TestIssuer("k1");
        assertThat(OAuthTokenVerifier.JAMES.verify(forger.sign(claims(exp)), oidc)).isEmpty();
        assertThat(OAuthTokenVerifier.JAMES.verify(issuer.sign(claims(Instant.now().getEpochSecond() - 5)), oidc)).isEmpty();
        String[] parts = issuer.sign(claims(exp)).split("\\.");
        String altered = parts[0] + "." + TestIssuer.B64URL.encodeToString(
                claims(exp).replace("alice", "admin").getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertThat(OAuthTokenVerifier.JAMES.verify(altered, oidc)).isEmpty();
        String unsigned = parts[0] + "." + parts[1] + ".";
        assertThat(OAuthTokenVerifier.JAMES.verify(unsigned, oidc)).isEmpty();
    }

    @Test
    void unreachableKeySetIsUnavailableNotInvalid() throws Exception {
        int port = jwks.getAddress().getPort();
        jwks.stop(0);
        OidcSASLConfiguration down = config(port);
        String token = issuer.sign(claims(Instant.now().getEpochSecond() + 300));
        assertThatThrownBy(() -> OAuthTokenVerifier.JAMES.verify(token, down))
                .isInstanceOf(OAuthTokenVerifier.Unavailable.class).hasMessageNotContaining(token);
        jwks = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    }
}
