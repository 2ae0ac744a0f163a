package dev.tollgate.it.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.testcontainers.containers.Network;
import org.testcontainers.utility.MountableFile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tollgate.core.mfa.OtpAuthUri;
import dev.tollgate.core.mfa.Totp;
import dev.tollgate.it.harness.CassandraContainer;
import dev.tollgate.it.harness.ItSettings;
import dev.tollgate.it.harness.JamesContainer;
import dev.tollgate.it.harness.SmtpClient;
import dev.tollgate.it.harness.SmtpClient.Reply;
import dev.tollgate.it.harness.WebAdmin;
import dev.tollgate.it.harness.Teardown;

/**
 * Two James nodes with the bundle and the same conf/ (state {@code backend=cassandra}, one MFA store key) and one
 * Cassandra on a Docker network: the MFA state is shared, over real SMTP submission. Enrolment, replay, lockout and
 * app passwords cross nodes; with Cassandra paused, AUTH answers {@code 454 4.7.0} and accepts nothing; unpaused, it
 * works again without restarting James. The containers are shared by the tests, which run in order (pause last).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoNodeMfaIT {
    static final String DOMAIN = "cluster.test";
    static final String PASSWORD = "Winter123456";
    static final ObjectMapper JSON = new ObjectMapper();
    static final String STATE = "backend=cassandra\ncassandra.session=own\ncassandra.contactPoints=cassandra:9042\n"
            + "cassandra.localDatacenter=datacenter1\ncassandra.keyspace=tollgate\ncassandra.requestTimeout=2s\n";
    static final String MFA = "throttle.baseDelay=1ms\nthrottle.maxDelay=1ms\nthrottle.lockoutDuration=120s\n"
            + "throttle.userLockoutThreshold=6\nthrottle.ipLockoutThreshold=1000\npolicy=optional\n";

    static final int REDIRECTOR = 8480;
    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10)).build();
    /** A link node A rewrote, clicked again while Cassandra is paused. */
    static String linkFromA;

    static Network network;
    static CassandraContainer cassandra;
    static JamesContainer a;
    static JamesContainer b;

    @BeforeAll
    static void start() throws Exception {
        network = Network.newNetwork();
        cassandra = new CassandraContainer().withNetwork(network).withNetworkAliases("cassandra");
        cassandra.start();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        java.nio.file.Path keyFile = java.nio.file.Files.createDirectories(ItSettings.workDir()).resolve("two-node-mfa.key");
        java.nio.file.Files.writeString(keyFile, Base64.getEncoder().encodeToString(key) + "\n");
        a = node(keyFile, "james-a");
        b = node(keyFile, "james-b");
        a.start();
        b.start();
        for (JamesContainer node : new JamesContainer[] {a, b}) {
            WebAdmin admin = node.webAdmin().addDomain(DOMAIN);
            for (String u : new String[] {"roam", "guess", "apps", "outage", "links"}) {
                admin.addUser(u + "@" + DOMAIN, PASSWORD);
            }
        }
    }

    static JamesContainer node(java.nio.file.Path keyFile, String alias) {
        return new JamesContainer().withNetwork(network).withNetworkAliases(alias)
                .withExposedPorts(JamesContainer.SMTP, JamesContainer.SMTPS, JamesContainer.SUBMISSION, JamesContainer.IMAP,
                        JamesContainer.IMAPS, JamesContainer.WEBADMIN, REDIRECTOR)
                .withConfFile("tollgate-state.properties", STATE)
                // Link keys re-read every 3 s rather than every minute, so a rotation reaches the other node quickly.
                .withConfEdit("tollgate-links.properties", p -> p.replaceOnce("createKeyFile=true\n",
                        "createKeyFile=true\nkeyRefresh=3s\n"))
                .withConfFile("tollgate-mfa.properties", MFA)
                .withCopyFileToContainer(MountableFile.forHostPath(keyFile, 0600), "/root/conf/tollgate-mfa.key");
    }

    @AfterAll
    static void stop() {
        Teardown.stopAll(network, b, a, cassandra);
    }

    static final class Enrolled {
        final OtpAuthUri uri;
        final Totp totp;

        Enrolled(OtpAuthUri uri) {
            this.uri = uri;
            this.totp = uri.totpBuilder().build();
        }

        String code(Instant at) {
            return totp.generate(uri.secret(), at);
        }

        String nextCode() {
            return code(Instant.now().plusSeconds(30));
        }

        String wrongCode() {
            Set<String> valid = new HashSet<>();
            for (int i = -2; i <= 3; i++) {
                valid.add(code(Instant.now().plusSeconds(30L * i)));
            }
            for (int n = 0; ; n++) {
                String candidate = String.format("%06d", (n * 7919 + 13) % 1_000_000);
                if (!valid.contains(candidate)) {
                    return candidate;
                }
            }
        }
    }

    static Enrolled enrolOn(JamesContainer node, String user) throws Exception {
        WebAdmin admin = node.webAdmin();
        HttpResponse<String> started = admin.send("POST", "/mfa/users/" + user + "/totp", "");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        Enrolled e = new Enrolled(OtpAuthUri.parse(JSON.readTree(started.body()).get("otpauthUri").asText()));
        HttpResponse<String> confirmed = admin.send("POST", "/mfa/users/" + user + "/totp/confirm",
                "{\"code\":\"" + e.code(Instant.now()) + "\"}");
        assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(204);
        return e;
    }

    static Reply auth(JamesContainer node, String user, String credential) {
        try (SmtpClient smtp = node.smtp(JamesContainer.SUBMISSION)) {
            smtp.ehlo("client.test");
            assertThat(smtp.startTls().code).isEqualTo(220);
            smtp.ehlo("client.test");
            return smtp.authPlain(user, credential);
        }
    }

    @Test
    @Order(1)
    void enrolledOnAAuthenticatesOnBAndTheSameCodeIsAReplayOnA() throws Exception {
        String user = "roam@" + DOMAIN;
        Enrolled e = enrolOn(a, user);
        assertThat(b.webAdmin().send("GET", "/mfa/users/" + user, null).body()).contains("\"enrolled\":true");
        assertThat(auth(b, user, PASSWORD).code).as("bare password of an enrolled user on B").isEqualTo(535);
        String code = e.nextCode();
        Reply onB = auth(b, user, PASSWORD + code);
        assertThat(onB.code).as(onB.text).isEqualTo(235);
        Reply replay = auth(a, user, PASSWORD + code);
        assertThat(replay.code).as(replay.text).isEqualTo(535);
        assertThat(replay.text).startsWith("5.7.8");
    }

    @Test
    @Order(2)
    void failuresSpreadOverBothNodesLockTheUserOnBoth() throws Exception {
        String user = "guess@" + DOMAIN;
        Enrolled e = enrolOn(a, user);
        String wrong = e.wrongCode();
        for (int i = 0; i < 6; i++) {
            JamesContainer node = i % 2 == 0 ? a : b;
            assertThat(auth(node, user, PASSWORD + wrong).code).as("failure " + (i + 1)).isEqualTo(535);
        }
        String right = e.nextCode();
        Reply lockedOnA = auth(a, user, PASSWORD + right);
        assertThat(lockedOnA.code).as(lockedOnA.text).isEqualTo(454);
        assertThat(lockedOnA.text).startsWith("4.7.0");
        assertThat(auth(b, user, PASSWORD + right).code).isEqualTo(454);
    }

    @Test
    @Order(3)
    void anAppPasswordCreatedOnAWorksOnBAndRevokedOnBFailsOnA() throws Exception {
        String user = "apps@" + DOMAIN;
        Enrolled e = enrolOn(a, user);
        HttpResponse<String> created = a.webAdmin().send("POST", "/mfa/users/" + user + "/app-passwords",
                "{\"label\":\"Thunderbird\",\"scopes\":[\"smtp\"],\"code\":\"" + e.nextCode() + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode body = JSON.readTree(created.body());
        String appPassword = body.get("password").asText();
        String id = body.get("id").asText();
        assertThat(auth(b, user, appPassword).code).isEqualTo(235);
        JsonNode listedOnA = JSON.readTree(a.webAdmin().send("GET", "/mfa/users/" + user + "/app-passwords", null).body());
        assertThat(listedOnA.get(0).get("lastUsed").isNull()).as("the use on B is seen on A").isFalse();
        assertThat(b.webAdmin().send("DELETE", "/mfa/users/" + user + "/app-passwords/" + id, null).statusCode()).isEqualTo(204);
        assertThat(auth(a, user, appPassword).code).isEqualTo(535);
    }

    /** Sends an HTML mail with one link to {@code links@} on {@code node} over port 25; @return the rewritten link */
    static String rewrittenOn(JamesContainer node, String subject, String url) throws Exception {
        String user = "links@" + DOMAIN;
        try (SmtpClient smtp = node.smtp(JamesContainer.SMTP)) {
            smtp.ehlo("mx.sender.test");
            assertThat(smtp.mailFrom("news@shop.example").code).isEqualTo(250);
            assertThat(smtp.rcptTo(user).code).isEqualTo(250);
            assertThat(smtp.data("From: news@shop.example\r\nTo: " + user + "\r\nSubject: " + subject + "\r\n"
                    + "MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
                    + "<html><body><a href=\"" + url + "\">Read</a></body></html>\r\n").code).isEqualTo(250);
        }
        String raw = node.imap(user, PASSWORD).awaitMessageContaining(subject, Duration.ofSeconds(90));
        String html = new javax.mail.internet.MimeMessage(javax.mail.Session.getInstance(new java.util.Properties()),
                new java.io.ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8))).getContent().toString();
        Matcher m = Pattern.compile("href=\"(http://localhost:8480/r/[A-Za-z0-9_-]+)\"").matcher(html);
        assertThat(m.find()).as("a rewritten link in " + raw).isTrue();
        return m.group(1);
    }

    static HttpResponse<String> click(JamesContainer node, String link) throws Exception {
        String path = link.substring("http://localhost:8480".length());
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + node.getHost() + ":" + node.getMappedPort(REDIRECTOR)
                + path)).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The key id a token names (payload: version, key id length, key id, ...). */
    static String keyIdOf(String link) {
        byte[] t = Base64.getUrlDecoder().decode(link.substring(link.lastIndexOf('/') + 1));
        return new String(t, 2, t[1], StandardCharsets.US_ASCII);
    }

    static String signingKey(JamesContainer node) throws Exception {
        HttpResponse<String> keys = node.webAdmin().send("GET", "/tollgate/link-keys", null);
        assertThat(keys.statusCode()).as(keys.body()).isEqualTo(200);
        JsonNode first = JSON.readTree(keys.body()).get(0);
        assertThat(first.get("signing").asBoolean()).isTrue();
        return first.get("id").asText();
    }

    @Test
    @Order(4)
    void aLinkRewrittenByAIsRedirectedByBAndARotationOnBReachesA() throws Exception {
        String key = signingKey(a);
        assertThat(signingKey(b)).as("one ring for both nodes").isEqualTo(key);
        String link = rewrittenOn(a, "Cluster link one", "https://docs.example/one");
        assertThat(keyIdOf(link)).isEqualTo(key);
        HttpResponse<String> onB = click(b, link);
        assertThat(onB.statusCode()).as(onB.body()).isEqualTo(302);
        assertThat(onB.headers().firstValue("Location")).hasValue("https://docs.example/one");
        linkFromA = link;

        HttpResponse<String> rotated = b.webAdmin().send("POST", "/tollgate/link-keys", "");
        assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(201);
        String newKey = JSON.readTree(rotated.body()).get("id").asText();
        assertThat(newKey).isNotEqualTo(key);
        assertThat(signingKey(b)).isEqualTo(newKey);
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> signingKey(a).equals(newKey));
        String second = rewrittenOn(a, "Cluster link two", "https://docs.example/two");
        assertThat(keyIdOf(second)).as("A signs with the key rotated on B").isEqualTo(newKey);
        assertThat(click(b, second).headers().firstValue("Location")).hasValue("https://docs.example/two");
        assertThat(click(a, link).headers().firstValue("Location")).as("the old key still verifies on A")
                .hasValue("https://docs.example/one");
        assertThat(click(b, link).statusCode()).as("and on B").isEqualTo(302);
    }

    @Test
    @Order(5)
    void withCassandraPausedAuthAnswers454AndAcceptsNothingThenResumes() throws Exception {
        String user = "outage@" + DOMAIN;
        Enrolled e = enrolOn(a, user);
        cassandra.getDockerClient().pauseContainerCmd(cassandra.getContainerId()).exec();
        String code;
        try {
            code = e.nextCode();
            Reply right = auth(a, user, PASSWORD + code);
            assertThat(right.code).as(right.text).isEqualTo(454);
            assertThat(right.text).startsWith("4.7.0");
            assertThat(auth(b, user, PASSWORD + code).code).isEqualTo(454);
            for (int i = 0; i < 7; i++) {
                assertThat(auth(i % 2 == 0 ? a : b, user, PASSWORD + e.wrongCode()).code).as("wrong code " + i).isEqualTo(454);
            }
            assertThat(auth(a, "roam@" + DOMAIN, PASSWORD).code).as("even a bare password").isEqualTo(454);
            assertThat(a.logs()).contains("state store cassandra:cassandra:9042/tollgate unreachable");
            // The redirector keeps verifying with the keys it holds, and says it cannot re-read them.
            assertThat(linkFromA).as("set by the link test").isNotNull();
            Thread.sleep(3500);
            HttpResponse<String> clicked = click(b, linkFromA);
            assertThat(clicked.statusCode()).as(clicked.body()).isEqualTo(302);
            assertThat(clicked.headers().firstValue("Location")).hasValue("https://docs.example/one");
            // The next key refresh says so; a loaded machine may take a while to reach it.
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> b.logs()
                    .contains("Tollgate link keys: cannot read state store cassandra:cassandra:9042/tollgate"));
        } finally {
            cassandra.getDockerClient().unpauseContainerCmd(cassandra.getContainerId()).exec();
        }
        // Nothing was counted during the outage (seven wrong codes would lock at six) and the code was not used up.
        String[] accepted = new String[1];
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).until(() -> {
            String next = e.nextCode();
            int reply = auth(b, user, PASSWORD + next).code;
            assertThat(reply).as("only 454 while Cassandra comes back, then 235").isIn(235, 454);
            accepted[0] = next;
            return reply == 235;
        });
        assertThat(auth(a, user, PASSWORD + accepted[0]).code).as("replay after the outage").isEqualTo(535);
    }
}
