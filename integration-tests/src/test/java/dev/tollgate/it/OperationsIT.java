package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tollgate.core.mfa.OtpAuthUri;
import dev.tollgate.core.mfa.Totp;
import dev.tollgate.it.harness.JamesContainer;
import dev.tollgate.it.harness.Messages;
import dev.tollgate.it.harness.PartnerMx;
import dev.tollgate.it.harness.SmtpClient;
import dev.tollgate.it.harness.Teardown;

/**
 * Operations end to end in a James 3.8.1 container with the shipped conf/: one scenario touches every
 * capability (MFA pass and replay over SMTP submission, a DLP quarantine, a link rewrite with a clean click,
 * a blocked click and a tampered token on the redirector, a delivery deferred because the peer offers no
 * STARTTLS), then WebAdmin {@code GET /metrics} must show exactly the counter deltas the scenario caused and
 * every series the shipped Grafana dashboard names. The health checks turn unhealthy when a key file
 * disappears or the extractor workers are stopped, and recover. Nothing secret the scenario used may appear
 * in James's log or in the audit file.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperationsIT {
    static final String DOMAIN = "ops.test";
    static final String ALICE = "alice@" + DOMAIN;
    static final String BOB = "bob@" + DOMAIN;
    static final String CARL = "carl@" + DOMAIN;
    static final String ALICE_PASSWORD = "Alice-Pa55word";
    static final String BOB_PASSWORD = "Bob-Pa55word";
    static final String CARL_PASSWORD = "Carl-Pa55word";
    static final String CARD = "4111 1111 1111 1111";
    static final String QUARANTINE = "memory://var/mail/dlp-quarantine/";
    static final int REDIRECTOR = 8480;
    static final String PUBLIC_BASE = "https://go.ops.test";
    static final Duration WAIT = Duration.ofSeconds(90);
    static final String AUDIT_FILE = "/root/logs/tollgate-audit.log";
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> SECRETS = Collections.synchronizedList(new ArrayList<>(
            List.of(ALICE_PASSWORD, BOB_PASSWORD, CARL_PASSWORD, CARD, CARD.replace(" ", ""))));

    static final String POLICY = "<dlp-policy mode='enforce' unscannable='quarantine'>\n"
            + "  <rule id='cards-out' detectors='payment-card' external-only='true' action='quarantine'/>\n"
            + "</dlp-policy>\n";

    static Network network;
    static GenericContainer<?> sink;
    static GenericContainer<?> dns;
    static JamesContainer james;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void start() {
        PartnerMx partner = PartnerMx.start("partner.test", "notls.test");
        network = partner.network();
        sink = partner.sink();
        dns = partner.dns();
        james = partner.james()
                .withExposedPorts(JamesContainer.SMTP, JamesContainer.SMTPS, JamesContainer.SUBMISSION,
                        JamesContainer.IMAP, JamesContainer.IMAPS, JamesContainer.WEBADMIN, REDIRECTOR)
                .withConfFile("tollgate-dlp-policy.xml", POLICY)
                .withConfFile("tollgate-link-blocklist.txt", "evil.example\n*.evil.example\n")
                .withConfEdit("tollgate-mfa.properties", p -> p.insertBefore("#authservId=",
                        "throttle.baseDelay=1ms\nthrottle.maxDelay=1ms\n"))
                .withConfEdit("mailetcontainer.xml", xml -> xml
                        .replaceExactly("<redirectorUrl>http://localhost:8480</redirectorUrl>",
                                "<redirectorUrl>" + PUBLIC_BASE + "</redirectorUrl>", 2) // transport and dlp-released
                        .replaceOnce("<defaultLevel>may</defaultLevel>",
                                "<defaultLevel>may</defaultLevel>\n                <policyMap>notls.test encrypt</policyMap>"));
        james.start();
        james.webAdmin().addDomain(DOMAIN).addUser(ALICE, ALICE_PASSWORD).addUser(BOB, BOB_PASSWORD)
                .addUser(CARL, CARL_PASSWORD);
    }

    @AfterAll
    static void stop() {
        Teardown.stopAll(network, james, dns, sink);
    }

    /** @return every sample of {@code GET /metrics}: name (with its labels, if any) to value */
    static Map<String, Double> metrics() {
        HttpResponse<String> r = james.webAdmin().send("GET", "/metrics", null);
        assertThat(r.statusCode()).isEqualTo(200);
        Map<String, Double> out = new LinkedHashMap<>();
        for (String line : r.body().split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            out.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return out;
    }

    static Map<String, Double> deltas(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Double> d = new HashMap<>();
        for (Map.Entry<String, Double> e : after.entrySet()) {
            if (e.getKey().startsWith("tollgate_") && e.getKey().endsWith("_total")) {
                double change = e.getValue() - before.getOrDefault(e.getKey(), 0.0);
                if (change != 0) {
                    d.put(e.getKey(), change);
                }
            }
        }
        return d;
    }

    static String remember(String secret) {
        SECRETS.add(secret);
        return secret;
    }

    static SmtpClient submission() {
        SmtpClient smtp = james.smtp(JamesContainer.SUBMISSION);
        smtp.ehlo("client.test");
        assertThat(smtp.startTls().code).isEqualTo(220);
        smtp.ehlo("client.test");
        return smtp;
    }

    static int auth(String user, String credential) {
        try (SmtpClient smtp = submission()) {
            return smtp.authPlain(user, remember(credential)).code;
        }
    }

    /** Enrols {@code user} through WebAdmin and confirms with the current code; @return the authenticator's view */
    static OtpAuthUri enrol(String user) throws Exception {
        HttpResponse<String> started = james.webAdmin().send("POST", "/mfa/users/" + user + "/totp", "");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        OtpAuthUri uri = OtpAuthUri.parse(JSON.readTree(started.body()).get("otpauthUri").asText());
        remember(uri.secret().toBase32());
        remember(uri.secret().toBase32().replace("=", ""));
        Totp totp = uri.totpBuilder().build();
        HttpResponse<String> confirmed = james.webAdmin().send("POST", "/mfa/users/" + user + "/totp/confirm",
                "{\"code\":\"" + remember(totp.generate(uri.secret(), Instant.now())) + "\"}");
        assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(204);
        return uri;
    }

    HttpResponse<String> click(String link) throws Exception {
        assertThat(link).startsWith(PUBLIC_BASE + "/r/");
        URI local = URI.create("http://" + james.getHost() + ":" + james.getMappedPort(REDIRECTOR)
                + link.substring(PUBLIC_BASE.length()));
        return http.send(HttpRequest.newBuilder(local).timeout(Duration.ofSeconds(20)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static List<String> redirectorLinks(String raw) {
        Matcher m = Pattern.compile(Pattern.quote(PUBLIC_BASE) + "/r/[A-Za-z0-9_.~-]+").matcher(raw.replace("=\r\n", ""));
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    @Test
    @Order(1)
    void scenarioCountsEveryDecisionOnceInGetMetrics() throws Exception {
        Map<String, Double> before = metrics();

        // MFA: password followed by the code passes; the same code again is a replay.
        OtpAuthUri uri = enrol(ALICE);
        String code = remember(uri.totpBuilder().build().generate(uri.secret(), Instant.now().plusSeconds(30)));
        assertThat(auth(ALICE, ALICE_PASSWORD + code)).isEqualTo(235);
        assertThat(auth(ALICE, ALICE_PASSWORD + code)).isEqualTo(535);

        // DLP: a card number to an external recipient is quarantined (bob is not enrolled: password alone).
        james.submit(BOB, BOB_PASSWORD, Messages.text(BOB, "carol@partner.test", "Card for you",
                "The card is " + CARD + " as discussed."), "carol@partner.test");
        // The repository exists once the first mail is stored in it (404 before).
        Awaitility.await().atMost(WAIT).ignoreExceptions().until(() -> !james.webAdmin().mailKeys(QUARANTINE).isEmpty());

        // TLS: notls.test requires encryption, its MX offers no STARTTLS: the delivery defers.
        james.submit(BOB, BOB_PASSWORD, Messages.text(BOB, "dave@notls.test", "Plain peer", "Nothing sensitive."),
                "dave@notls.test");
        Awaitility.await().atMost(WAIT).until(() -> metrics().getOrDefault(
                "tollgate_tls_delivery:encrypt:starttls_not_supported_total", 0.0) > 0);

        // Links: an external sender's mail to carl is rewritten; a clean click, a blocked click, a tampered token.
        String html = "<html><body><a href=\"https://shop.example/p\">Shop</a> "
                + "<a href=\"https://www.evil.example/login\">Log in</a></body></html>";
        try (SmtpClient smtp = james.smtp(JamesContainer.SMTP)) {
            smtp.ehlo("mx.sender.test");
            assertThat(smtp.mailFrom("news@shop.example").code).isEqualTo(250);
            assertThat(smtp.rcptTo(CARL).code).isEqualTo(250);
            assertThat(smtp.data(new String(Messages.text("news@shop.example", CARL, "Offers", html,
                    "MIME-Version: 1.0", "Content-Type: text/html; charset=utf-8"), StandardCharsets.UTF_8)).code)
                    .isEqualTo(250);
        }
        String raw = james.imap(CARL, CARL_PASSWORD).awaitMessageContaining("Offers", WAIT);
        List<String> links = redirectorLinks(raw);
        assertThat(links).hasSize(2);
        links.forEach(OperationsIT::remember);
        assertThat(click(links.get(0)).statusCode()).isEqualTo(302);
        HttpResponse<String> blocked = click(links.get(1));
        assertThat(blocked.statusCode()).isEqualTo(200);
        assertThat(blocked.body()).contains("dangerous");
        String token = links.get(0);
        char last = token.charAt(token.length() - 1);
        assertThat(click(token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A')).statusCode()).isEqualTo(400);

        Map<String, Double> after = metrics();
        Map<String, Double> expected = new HashMap<>();
        expected.put("tollgate_mfa_auth:smtp:totp:pass_total", 1.0);
        expected.put("tollgate_mfa_auth:smtp:totp:replay_total", 1.0);
        expected.put("tollgate_mfa_auth:smtp:password:pass_total", 2.0);
        expected.put("tollgate_dlp_decision:quarantine_total", 1.0);
        expected.put("tollgate_dlp_rule:cards_out:quarantine_total", 1.0);
        expected.put("tollgate_dlp_decision:allow_total", 1.0);
        expected.put("tollgate_tls_delivery:encrypt:starttls_not_supported_total", 1.0);
        expected.put("tollgate_tls_failure:starttls_not_supported_total", 1.0);
        expected.put("tollgate_links_verdict:clean_total", 1.0);
        expected.put("tollgate_links_verdict:malicious_total", 1.0);
        expected.put("tollgate_links_finding:blocklisted_total", 1.0);
        expected.put("tollgate_links_rewritten_total", 2.0);
        expected.put("tollgate_links_click:allowed_total", 1.0);
        expected.put("tollgate_links_click:blocked_total", 1.0);
        expected.put("tollgate_links_click:tampered_total", 1.0);
        Map<String, Double> actual = deltas(before, after);
        // Extractor workers start lazily and the health probe may run: counted, but not part of the scenario.
        actual.keySet().removeIf(k -> k.startsWith("tollgate_dlp_worker:"));
        // Reading the mailbox logs in over IMAP once per poll until the message is there: at least one IMAP pass
        // by password (carl is not enrolled), and nothing else on IMAP.
        assertThat(actual.remove("tollgate_mfa_auth:imap:password:pass_total")).isGreaterThanOrEqualTo(1.0);
        assertThat(actual).isEqualTo(expected);
        assertThat(after.get("tollgate_mfa_auth_check:smtp_count")).isGreaterThanOrEqualTo(2.0);
        assertThat(after.get("tollgate_dlp_scan_count")).isGreaterThanOrEqualTo(2.0);
        assertThat(after.get("tollgate_links_rewrite_count")).isGreaterThanOrEqualTo(1.0);
        assertThat(after.get("tollgate_tls_delivery_attempt_count")).isGreaterThanOrEqualTo(1.0);
        assertThat(after).containsKey("tollgate_tls_queue_size");
    }

    @Test
    @Order(2)
    void everySeriesTheDashboardNamesIsInGetMetrics() throws Exception {
        // The extraction timer exists once a document went through a worker: the health probe sends one.
        assertThat(healthOf("Tollgate DLP extractor")).isEqualTo("healthy");
        Path dashboard = Paths.get("..", "dist", "src", "grafana", "Tollgate.json");
        JsonNode root = JSON.readTree(Files.readString(dashboard));
        Set<String> names = new TreeSet<>();
        for (JsonNode panel : root.get("panels")) {
            for (JsonNode target : panel.path("targets")) {
                // Selectors by name pattern ({__name__=~"..."}) list whatever exists; only literal names are checked.
                String expr = target.get("expr").asText().replaceAll("\\{__name__=~\"[^\"]*\"[^}]*}", "");
                Matcher m = Pattern.compile("tollgate_[a-z0-9_:]+").matcher(expr);
                while (m.find()) {
                    names.add(m.group());
                }
            }
        }
        assertThat(names).hasSizeGreaterThan(50);
        Set<String> exported = new TreeSet<>();
        for (String sample : metrics().keySet()) {
            exported.add(sample.contains("{") ? sample.substring(0, sample.indexOf('{')) : sample);
        }
        assertThat(exported).containsAll(names);
    }

    static String healthOf(String component) {
        HttpResponse<String> r = james.webAdmin().send("GET", "/healthcheck/checks/"
                + URLEncoder.encode(component, StandardCharsets.UTF_8).replace("+", "%20"), null);
        System.out.println("healthcheck " + component + ": " + r.statusCode() + " " + r.body());
        try {
            JsonNode node = JSON.readTree(r.body());
            return node.path("status").asText(r.body());
        } catch (Exception e) {
            return r.statusCode() + " " + r.body();
        }
    }

    static void exec(String... command) throws Exception {
        ExecResult r = james.execInContainer(command);
        assertThat(r.getExitCode()).as(r.getStderr()).isZero();
    }

    @Test
    @Order(3)
    void everyTollgateCheckIsHealthyInTheShippedConfiguration() {
        HttpResponse<String> all = james.webAdmin().send("GET", "/healthcheck", null);
        for (String component : List.of("Tollgate key files", "Tollgate link redirector", "Tollgate MFA store",
                "Tollgate DLP extractor", "Tollgate DNS resolver")) {
            assertThat(all.body()).contains(component);
            assertThat(healthOf(component)).as(component).isEqualTo("healthy");
        }
    }

    @Test
    @Order(4)
    void aMissingKeyFileTurnsTheKeyCheckUnhealthyUntilItIsBack() throws Exception {
        exec("mv", "/root/conf/tollgate-links.keys", "/root/conf/tollgate-links.keys.away");
        try {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> "unhealthy".equals(healthOf("Tollgate key files")));
            HttpResponse<String> r = james.webAdmin().send("GET", "/healthcheck/checks/Tollgate%20key%20files", null);
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.body()).contains("tollgate-links.keys is missing");
        } finally {
            exec("mv", "/root/conf/tollgate-links.keys.away", "/root/conf/tollgate-links.keys");
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> "healthy".equals(healthOf("Tollgate key files")));
    }

    @Test
    @Order(5)
    void stoppedExtractorWorkersTurnTheExtractorCheckUnhealthyUntilTheyCanRunAgain() throws Exception {
        String jar = james.execInContainer("sh", "-c", "ls /root/extensions-jars/tollgate/tollgate-extractor*.jar")
                .getStdout().strip();
        assertThat(jar).endsWith(".jar");
        exec("mv", jar, jar + ".away");
        // The bracketed pattern matches the workers' command line, not this shell's own.
        exec("sh", "-c", "for p in /proc/[0-9]*; do if grep -q 'tollgate[.]extractor[.]ExtractorWorker' $p/cmdline "
                + "2>/dev/null; then kill -9 ${p#/proc/} || true; fi; done");
        try {
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2))
                    .until(() -> "unhealthy".equals(healthOf("Tollgate DLP extractor")));
        } finally {
            exec("mv", jar + ".away", jar);
        }
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2))
                .until(() -> "healthy".equals(healthOf("Tollgate DLP extractor")));
    }

    @Test
    @Order(6)
    void theAuditFileHasOneJsonLinePerDecisionAndNoLogHoldsASecret() throws Exception {
        String audit = james.execInContainer("cat", AUDIT_FILE).getStdout();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : audit.split("\n")) {
            JsonNode node = JSON.readTree(line);
            assertThat(node.size()).as(line).isEqualTo(10);
            lines.add(node);
        }
        assertThat(lines).anyMatch(n -> n.get("capability").asText().equals("mfa") && n.get("decision").asText().equals("pass")
                && n.get("user").asText().equals(ALICE) && n.get("details").get("method").asText().equals("totp"));
        assertThat(lines).anyMatch(n -> n.get("capability").asText().equals("mfa") && n.get("reason").asText().equals("replay"));
        assertThat(lines).anyMatch(n -> n.get("capability").asText().equals("dlp") && n.get("decision").asText().equals("quarantine")
                && n.get("rules").toString().contains("cards-out") && n.get("user").asText().equals(BOB)
                && !n.get("message_id").isNull());
        assertThat(lines).anyMatch(n -> n.get("capability").asText().equals("links") && n.get("decision").asText().equals("rewrite"));
        for (String click : List.of("allowed", "blocked", "tampered")) {
            assertThat(lines).anyMatch(n -> n.get("capability").asText().equals("links") && n.get("decision").asText().equals(click));
        }
        assertThat(lines).anyMatch(n -> n.get("capability").asText().equals("tls") && n.get("decision").asText().equals("defer")
                && n.get("reason").asText().equals("starttls-not-supported"));

        String logs = james.logs() + "\n" + audit + "\n" + james.execInContainer("sh", "-c", "cat /logs/*.log 2>/dev/null").getStdout();
        assertThat(logs).contains("tollgate");
        for (String secret : SECRETS) {
            assertThat(Pattern.compile("(?<![0-9A-Za-z])" + Pattern.quote(secret) + "(?![0-9A-Za-z])").matcher(logs).find())
                    .as("a secret, code, password, token or card number appears in the logs").isFalse();
        }
    }
}
