package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.HttpsURLConnection;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import dev.tollgate.it.harness.JamesContainer;
import dev.tollgate.it.harness.SmtpClient;

/**
 * The click-time redirector serving HTTPS itself ({@code tls=true} in {@code tollgate-links.properties}, with the
 * keystore James's SMTP server uses): links in delivered mail point at {@code https://}, a click over TLS is
 * redirected, and a plain HTTP request to the same port gets no answer.
 */
@Testcontainers
class RedirectorTlsIT {
    static final String DOMAIN = "tls-links.tollgate.test";
    static final String BOB = "bob@" + DOMAIN;
    static final String PASSWORD = "s3cret-Passw0rd";
    static final int REDIRECTOR = 8480;
    static final String PUBLIC_BASE = "https://links." + DOMAIN + ":" + REDIRECTOR;

    @Container
    static final JamesContainer JAMES = new JamesContainer()
            .withExposedPorts(JamesContainer.SMTP, JamesContainer.IMAPS, JamesContainer.WEBADMIN, REDIRECTOR)
            .withConfEdit("mailetcontainer.xml", xml -> xml.replaceExactly( // RewriteLinks in transport and dlp-released
                    "<redirectorUrl>http://localhost:8480</redirectorUrl>", "<redirectorUrl>" + PUBLIC_BASE + "</redirectorUrl>", 2))
            .withConfEdit("tollgate-links.properties", p -> p.replaceOnce("#tls=true", "tls=true")
                    .replaceOnce("#tls.keystore=conf/keystore", "tls.keystore=conf/keystore")
                    .replaceOnce("#tls.keystoreType=PKCS12", "tls.keystoreType=PKCS12")
                    .replaceOnce("#tls.secret=tollgate-change-me", "tls.secret=tollgate-change-me"));

    @BeforeAll
    static void users() {
        JAMES.webAdmin().addDomain(DOMAIN).addUser(BOB, PASSWORD);
    }

    /** James's generated certificate is self-signed and names no test host: trusted as is, names not checked. */
    private static HttpURLConnection open(String url) throws Exception {
        HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
        if (c instanceof HttpsURLConnection) {
            ((HttpsURLConnection) c).setSSLSocketFactory(SmtpClient.trustAll().getSocketFactory());
            ((HttpsURLConnection) c).setHostnameVerifier((host, session) -> true);
        }
        c.setInstanceFollowRedirects(false);
        c.setConnectTimeout(10_000);
        c.setReadTimeout(20_000);
        return c;
    }

    @Test
    void deliveredLinksPointAtHttpsAndAClickIsServedOverTlsOnly() throws Exception {
        String message = "From: news@shop.example\r\nTo: " + BOB + "\r\nSubject: TLS redirector\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/html; charset=utf-8\r\n\r\n<p><a href=\"https://shop.example/offer\">Offer</a></p>\r\n";
        try (SmtpClient smtp = JAMES.smtp(JamesContainer.SMTP)) {
            smtp.ehlo("mx.sender.test");
            assertThat(smtp.mailFrom("news@shop.example").code).isEqualTo(250);
            assertThat(smtp.rcptTo(BOB).code).isEqualTo(250);
            assertThat(smtp.data(message).code).isEqualTo(250);
        }
        String raw = JAMES.imap(BOB, PASSWORD).awaitMessageContaining("TLS redirector", Duration.ofSeconds(60));
        Matcher m = Pattern.compile("href=\"(" + Pattern.quote(PUBLIC_BASE) + "(/r/[^\"]+))\"").matcher(raw);
        assertThat(m.find()).as(raw).isTrue();
        String path = m.group(2);
        String local = JAMES.getHost() + ":" + JAMES.getMappedPort(REDIRECTOR);

        HttpURLConnection click = open("https://" + local + path);
        assertThat(click.getResponseCode()).isEqualTo(302);
        assertThat(click.getHeaderField("Location")).isEqualTo("https://shop.example/offer");
        assertThat(((HttpsURLConnection) click).getCipherSuite()).isNotEmpty();
        click.disconnect();

        assertThatThrownBy(() -> open("http://" + local + path).getResponseCode())
                .as("plain HTTP to the HTTPS listener is not answered").isInstanceOf(IOException.class);
    }
}
