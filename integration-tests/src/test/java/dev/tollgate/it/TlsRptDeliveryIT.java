package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.lifecycle.Startables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tollgate.it.harness.ItSettings;
import dev.tollgate.it.harness.JamesContainer;
import dev.tollgate.it.harness.Messages;
import dev.tollgate.it.harness.Peers;
import dev.tollgate.it.harness.TestCa;
import dev.tollgate.it.harness.TlsDeliveryConf;
import dev.tollgate.it.harness.Teardown;

/**
 * TLS-RPT reports reaching their {@code rua} (RFC 8460 §5.3): James ({@code TlsPolicyDelivery}, reports every
 * 20 s, {@code tlsRptSender} set, one {@code https:} retry after 5 s, mail retries after 10 min) sends one mail to
 * each of two domains, then reports on them:
 *
 * <ul>
 *   <li>{@code https.test} (valid certificate) publishes {@code rua=https://collector.test/tlsrpt}: the collector
 *       (HTTPS, a certificate from the test CA James trusts) answers the first POST {@code 503} and the retry
 *       {@code 200}; the report is POSTed as {@code application/tlsrpt+gzip} and its JSON has RFC 8460 §4's
 *       structure;
 *   <li>{@code reports.test} publishes an {@code enforce} MTA-STS policy its MX (self-signed certificate) fails, and
 *       {@code rua=mailto:tlsrpt@reports.test}: the ordinary mail is deferred, the report mail carries
 *       {@code TLS-Required: No} (RFC 8689 §5) and is delivered to that same MX;
 *   <li>each domain gets exactly one report although later periods pass: the report mail's own delivery session is
 *       not counted, and the retried POST sends the same report, not a new one.
 * </ul>
 */
class TlsRptDeliveryIT {
    static final String DOMAIN = "tollgate.test";
    static final String ALICE = "alice@" + DOMAIN;
    static final String PASSWORD = "s3cret-Passw0rd";
    static final String REPORTS = "/root/var/tlsrpt";

    static Network network;
    static GenericContainer<?> mx;
    static GenericContainer<?> collector;
    static GenericContainer<?> dns;
    static JamesContainer james;

    @BeforeAll
    static void start() throws Exception {
        network = Network.newNetwork();
        TestCa ca = new TestCa("Tollgate TLS-RPT IT CA");
        Path dir = Files.createTempDirectory(Files.createDirectories(ItSettings.workDir()), "tlsrpt-");
        Path keys = Files.createDirectories(dir.resolve("sni"));
        ca.serverKeyStore(keys, "mx.https.test.p12", "mx.https.test");
        TestCa.selfSignedKeyStore(keys, "mx.reports.test.p12", "mx.reports.test");
        mx = Peers.sniSmtpPeer(network, keys, "mx.https.test", "mx.reports.test");
        Path hostKeys = ca.serverKeyStore(dir, "collector.p12", List.of("collector.test", "mta-sts.reports.test"));
        collector = Peers.policyHost(network, "collector", hostKeys,
                Map.of("mta-sts.reports.test", Peers.mtaStsPolicy("enforce", "mx.reports.test")), "1");
        Startables.deepStart(Stream.of(mx, collector)).join();

        dns = Peers.dns(network, "dns", new Peers.DnsRecords()
                .mx("https.test", "mx.https.test", 10).a("mx.https.test", Peers.ipOf(mx))
                .txt("_smtp._tls.https.test", "v=TLSRPTv1; rua=https://collector.test/tlsrpt")
                .a("collector.test", Peers.ipOf(collector))
                .mx("norecord.test", "mx.https.test", 10)
                .mx("reports.test", "mx.reports.test", 10).a("mx.reports.test", Peers.ipOf(mx))
                .txt("_mta-sts.reports.test", "v=STSv1; id=r1")
                .a("mta-sts.reports.test", Peers.ipOf(collector))
                .txt("_smtp._tls.reports.test", "v=TLSRPTv1; rua=mailto:tlsrpt@reports.test"));
        dns.start();

        james = new JamesContainer().withNetwork(network).withNetworkAliases("james")
                .withConfFile("dnsservice.xml", Peers.dnsServiceXml(Peers.ipOf(dns)))
                .withConfFile("tollgate-test-ca.pem", ca.pem())
                .withConfEdit("mailetcontainer.xml", xml -> TlsDeliveryConf.trustTestCaAndReport(xml, "tollgate.test", "20s",
                                "<tlsRptSender>tlsrpt-noreply@tollgate.test</tlsRptSender>",
                                "<tlsRptRetryDelays>5s</tlsRptRetryDelays>")
                        .replaceOnce("<delays>5m, 15m, 1h, 4h</delays>", "<delays>10m</delays>"));
        james.start();
        james.webAdmin().addDomain(DOMAIN).addUser(ALICE, PASSWORD);
        send("someone@https.test", "TLS-RPT over https");
        send("someone@reports.test", "held by MTA-STS");
    }

    static void send(String to, String subject) {
        james.submit(ALICE, PASSWORD, Messages.text(ALICE, to, subject, "body of " + subject), to);
    }

    @AfterAll
    static void stop() {
        Teardown.printLog(james, "JAMES", 300, Teardown.TOLLGATE_AND_ERRORS);
        Teardown.printPeerLogs(80, l -> true, mx, collector, dns);
        Teardown.stopAll(network, james, mx, collector, dns);
    }

    /**
     * Lets at least one more reporting period end: sends a mail to {@code norecord.test} (no TLS-RPT record) and
     * waits for the report writer's next run, which drains every period up to that mail's.
     */
    static synchronized void awaitALaterPeriod() {
        String marker = "tollgate.tls.rpt reports written=";
        String decision = "domain=norecord.test level=";
        int before = james.logs().split(decision, -1).length;
        send("someone@norecord.test", "a later period");
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            String logs = james.logs();
            return logs.split(decision, -1).length > before
                    && logs.substring(logs.lastIndexOf(decision)).contains(marker);
        });
    }

    static List<String> reportFiles(String policyDomain) throws Exception {
        List<String> files = new ArrayList<>();
        for (String f : james.execInContainer("ls", "-1", REPORTS).getStdout().split("\n")) {
            if (f.endsWith(".json") && f.startsWith("tollgate.test!" + policyDomain + "!")) {
                files.add(f);
            }
        }
        return files;
    }

    @Test
    void httpsRuaGetsTheGzippedReportOnceAfterARetry() throws Exception {
        Awaitility.await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(2))
                .until(() -> collector.getLogs().contains("TLSRPT POST n=2 "));
        String log = collector.getLogs();
        assertThat(log).contains("TLSRPT POST n=1 content-type=application/tlsrpt+gzip")
                .containsPattern("TLSRPT POST n=1 .* sni=collector\\.test status=503")
                .containsPattern("TLSRPT POST n=2 content-type=application/tlsrpt\\+gzip bytes=\\d+ sni=collector\\.test "
                        + "status=200");
        assertThat(james.logs()).contains("tollgate.tls.rpt report post failed policy-domain=https.test "
                + "rua=https://collector.test/tlsrpt attempt=1 status=503 retry-in=5s")
                .contains("tollgate.tls.rpt report posted policy-domain=https.test rua=https://collector.test/tlsrpt "
                        + "attempt=2 status=200");

        JsonNode report = new ObjectMapper().readTree(collector.execInContainer("cat", "/peer/tlsrpt/2.json")
                .getStdout());
        checkRfc8460Structure(report);
        JsonNode policy = report.path("policies").get(0);
        assertThat(policy.path("policy").path("policy-domain").asText()).isEqualTo("https.test");
        assertThat(policy.path("policy").path("policy-type").asText()).isEqualTo("no-policy-found");
        assertThat(policy.path("summary").path("total-successful-session-count").asLong()).isEqualTo(1);
        assertThat(policy.path("summary").path("total-failure-session-count").asLong()).isZero();

        // Later periods: no second report for the domain, no further POST.
        awaitALaterPeriod();
        assertThat(reportFiles("https.test")).hasSize(1);
        assertThat(collector.getLogs()).doesNotContain("TLSRPT POST n=3");
    }

    @Test
    void reportMailCarriesTlsRequiredNoAndPassesTheDestinationsOwnPolicy() throws Exception {
        Awaitility.await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(2))
                .until(() -> mx.getLogs().contains("RCPT TO:<tlsrpt@reports.test>") && mx.getLogs().contains("STORED"));
        assertThat(james.logs()).as("the ordinary mail is held by the enforced MTA-STS policy")
                .containsPattern("domain=reports\\.test level=mta-sts source=mta_sts mode=enforce attempt=1 "
                        + "mx=mx\\.reports\\.test result=certificate-not-trusted action=retry-in-600000ms")
                .containsPattern("domain=reports\\.test level=may source=mta_sts mode=enforce attempt=1 "
                        + "mx=mx\\.reports\\.test result=sent");
        assertThat(mx.getLogs()).doesNotContain("RCPT TO:<someone@reports.test>")
                .contains("PEER TLS=yes RCPT TO:<tlsrpt@reports.test>");
        String stored = "";
        for (String f : mx.execInContainer("ls", "-1", "/peer/inbox").getStdout().split("\n")) {
            String text = mx.execInContainer("cat", "/peer/inbox/" + f.trim()).getStdout();
            if (text.contains("TLS-Report-Domain: reports.test")) {
                stored = text;
            }
        }
        assertThat(stored).contains("TLS-Required: No").contains("TLS-Report-Submitter: tollgate.test")
                .contains("report-type=\"tlsrpt\"").contains("application/tlsrpt+gzip");
        Matcher attachment = Pattern.compile("(?s)Content-Type: application/tlsrpt\\+gzip.*?\\r?\\n\\r?\\n(.*?)\\r?\\n--")
                .matcher(stored);
        assertThat(attachment.find()).isTrue();
        byte[] gz = Base64.getMimeDecoder().decode(attachment.group(1));
        JsonNode report;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            report = new ObjectMapper().readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        checkRfc8460Structure(report);
        JsonNode policy = report.path("policies").get(0);
        assertThat(policy.path("policy").path("policy-type").asText()).isEqualTo("sts");
        assertThat(policy.path("summary").path("total-failure-session-count").asLong()).isEqualTo(1);
        assertThat(policy.path("failure-details").get(0).path("result-type").asText())
                .isEqualTo("certificate-not-trusted");

        // The report mail's own session is not counted: no new report for reports.test in later periods.
        awaitALaterPeriod();
        assertThat(reportFiles("reports.test")).hasSize(1);
        assertThat(mx.getLogs().split("RCPT TO:<tlsrpt@reports.test>", -1)).hasSize(2);
    }

    /** RFC 8460 §4.3/§4.4: required fields and their JSON types. */
    static void checkRfc8460Structure(JsonNode report) {
        assertThat(report.path("organization-name").isTextual()).isTrue();
        assertThat(report.path("contact-info").isTextual()).isTrue();
        assertThat(report.path("report-id").isTextual()).isTrue();
        JsonNode range = report.path("date-range");
        OffsetDateTime start = OffsetDateTime.parse(range.path("start-datetime").asText());
        OffsetDateTime end = OffsetDateTime.parse(range.path("end-datetime").asText());
        assertThat(end).isAfter(start);
        assertThat(report.path("policies").isArray()).isTrue();
        assertThat(report.path("policies").size()).isGreaterThan(0);
        for (JsonNode p : report.path("policies")) {
            JsonNode policy = p.path("policy");
            assertThat(policy.path("policy-type").asText()).isIn("tlsa", "sts", "no-policy-found");
            assertThat(policy.path("policy-domain").isTextual()).isTrue();
            if (policy.has("policy-string")) {
                assertThat(policy.path("policy-string").isArray()).isTrue();
            }
            if (policy.has("mx-host")) {
                assertThat(policy.path("mx-host").isArray()).isTrue();
            }
            assertThat(p.path("summary").path("total-successful-session-count").isIntegralNumber()).isTrue();
            assertThat(p.path("summary").path("total-failure-session-count").isIntegralNumber()).isTrue();
            if (p.has("failure-details")) {
                for (JsonNode d : p.path("failure-details")) {
                    assertThat(d.path("result-type").isTextual()).isTrue();
                    assertThat(d.path("failed-session-count").isIntegralNumber()).isTrue();
                }
            }
        }
    }
}
