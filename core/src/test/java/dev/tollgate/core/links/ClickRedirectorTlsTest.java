package dev.tollgate.core.links;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Parameters;

/** The redirector serving HTTPS itself ({@code tls=true}) with a keystore, as the security page does. */
class ClickRedirectorTlsTest {
    private static final String SECRET = "keystore-pass";

    @TempDir
    Path dir;

    /** A PKCS12 keystore with a self-signed EC certificate for 127.0.0.1, written by the JDK's keytool. */
    private Path keystore() throws Exception {
        Path ks = dir.resolve("keystore.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "redirector", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", ks.toString(), "-storepass", SECRET, "-keypass", SECRET)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        return ks;
    }

    private Map<String, String> params(Path keystore) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("keyFile", dir.resolve("keys").toString());
        params.put("bindAddress", "127.0.0.1");
        params.put("port", "0");
        params.put("tls", "true");
        params.put("tls.keystore", keystore.toString());
        params.put("tls.secret", SECRET);
        return params;
    }

    private static HttpClient trusting(Path keystore) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, SECRET.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ssl).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    @Test
    void withTlsOnAClickIsServedOverHttpsAndPlainHttpGetsNoAnswer() throws Exception {
        Path ks = keystore();
        ClickRedirector.Config config = ClickRedirector.Config.parse(Parameters.of(params(ks)));
        assertThat(config.tls()).isTrue();
        LinkTokenSigner issuer = LinkKeys.load("keyFile", dir.resolve("keys"), true, Duration.ofDays(1),
                Clock.systemUTC());
        String token = issuer.sign("https://shop.example/a", "", "");
        try (ClickRedirector r = ClickRedirector.start(config, Clock.systemUTC())) {
            int port = r.address().getPort();
            HttpResponse<String> click = trusting(ks).send(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + port + "/r/" + token)).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(click.statusCode()).isEqualTo(302);
            assertThat(click.headers().firstValue("Location")).hasValue("https://shop.example/a");
            HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/r/"
                    + token)).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString()))
                    .as("a plain HTTP request to the HTTPS port is never redirected").isInstanceOf(IOException.class);
        }
    }

    @Test
    void tlsSettingsAreCheckedNamingTheParameter() throws Exception {
        Path ks = keystore();
        Map<String, String> noSecret = params(ks);
        noSecret.remove("tls.secret");
        assertThatThrownBy(() -> ClickRedirector.Config.parse(Parameters.of(noSecret)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("tls.secret");
        Map<String, String> lowerCase = params(ks);
        lowerCase.put("tls.keystoreType", "pkcs12");
        assertThat(ClickRedirector.Config.parse(Parameters.of(lowerCase)).tls()).isTrue();
        Map<String, String> badType = params(ks);
        badType.put("tls.keystoreType", "PEM");
        assertThatThrownBy(() -> ClickRedirector.Config.parse(Parameters.of(badType)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("tls.keystoreType");
        Map<String, String> missing = params(dir.resolve("nowhere.p12"));
        ClickRedirector.Config config = ClickRedirector.Config.parse(Parameters.of(missing));
        assertThatThrownBy(() -> ClickRedirector.start(config, Clock.systemUTC()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("tls.keystore").hasMessageContaining("nowhere.p12");
        // the default stays plain HTTP, and a wrong password does not start a listener
        Map<String, String> off = params(ks);
        off.remove("tls");
        assertThat(ClickRedirector.Config.parse(Parameters.of(off)).tls()).isFalse();
        Map<String, String> wrong = params(ks);
        wrong.put("tls.secret", "not-the-password");
        assertThatThrownBy(() -> ClickRedirector.start(ClickRedirector.Config.parse(Parameters.of(wrong)),
                Clock.systemUTC())).isInstanceOf(IOException.class);
    }
}
