package dev.tollgate.it.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.utility.MountableFile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tollgate.it.harness.CassandraContainer;
import dev.tollgate.it.harness.ItSettings;
import dev.tollgate.it.harness.JamesContainer;
import dev.tollgate.it.harness.Messages;
import dev.tollgate.it.harness.Peers;
import dev.tollgate.it.harness.SmtpClient;
import dev.tollgate.it.harness.TestCa;
import dev.tollgate.it.harness.TlsDeliveryConf;
import dev.tollgate.it.harness.Teardown;

/**
 * Two James nodes with the same conf/ (state {@code backend=cassandra}, TLS-RPT every 30 s) and one Cassandra, both
 * delivering to {@code reports.test}, whose MTA-STS {@code testing} policy its MX (a self-signed certificate) fails:
 * the policy fetched by node A is applied by node B without fetching it again, and exactly one TLS-RPT report for
 * that period and domain is POSTed to the domain's {@code https:} rua, by one of the nodes, with both nodes' failed
 * sessions summed. With Cassandra paused (after the sender authenticated: AUTH itself needs the store), a mail to
 * another domain is deferred ({@code state-store-unavailable}: the
 * MTA-STS cache cannot be read) and stays queued, never delivered; unpaused, the retry delivers it without
 * restarting James.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoNodeTlsRptIT {
    static final String DOMAIN = "cluster.test";
    static final String ALICE = "alice@" + DOMAIN;
    static final String PASSWORD = "s3cret-Passw0rd";
    static final long PERIOD_SECONDS = 30;
    static final String STATE = "backend=cassandra\ncassandra.session=own\ncassandra.contactPoints=cassandra:9042\n"
            + "cassandra.localDatacenter=datacenter1\ncassandra.keyspace=tollgate\ncassandra.requestTimeout=2s\n";

    static Network network;
    static CassandraContainer cassandra;
    static GenericContainer<?> mx;
    static GenericContainer<?> collector;
    static GenericContainer<?> dns;
    static JamesContainer a;
    static JamesContainer b;

    @BeforeAll
    static void start() throws Exception {
        network = Network.newNetwork();
        cassandra = new CassandraContainer().withNetwork(network).withNetworkAliases("cassandra");
        TestCa ca = new TestCa("Tollgate two-node TLS-RPT IT CA");
        Path dir = Files.createTempDirectory(Files.createDirectories(ItSettings.workDir()), "two-node-tlsrpt-");
        Path keys = Files.createDirectories(dir.resolve("sni"));
        TestCa.selfSignedKeyStore(keys, "mx.reports.test.p12", "mx.reports.test");
        TestCa.selfSignedKeyStore(keys, "mx.later.test.p12", "mx.later.test");
        mx = Peers.sniSmtpPeer(network, keys, "mx.reports.test", "mx.later.test");
        Path hostKeys = ca.serverKeyStore(dir, "collector.p12", List.of("collector.test", "mta-sts.reports.test"));
        collector = Peers.policyHost(network, "collector", hostKeys,
                Map.of("mta-sts.reports.test", Peers.mtaStsPolicy("testing", "mx.reports.test")));
        Startables.deepStart(Stream.of(cassandra, mx, collector)).join();

        dns = Peers.dns(network, "dns", new Peers.DnsRecords()
                .mx("reports.test", "mx.reports.test", 10).a("mx.reports.test", Peers.ipOf(mx))
                .txt("_mta-sts.reports.test", "v=STSv1; id=r1")
                .a("mta-sts.reports.test", Peers.ipOf(collector))
                .txt("_smtp._tls.reports.test", "v=TLSRPTv1; rua=https://collector.test/tlsrpt")
                .a("collector.test", Peers.ipOf(collector))
                .mx("later.test", "mx.later.test", 10).a("mx.later.test", Peers.ipOf(mx)));
        dns.start();

        // Every node of a cluster has the same MFA store key: it also seals the shared link-signing keys.
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        storeKey = dir.resolve("tollgate-mfa.key");
        Files.writeString(storeKey, java.util.Base64.getEncoder().encodeToString(key) + "\n");
        a = node("james-a", ca);
        b = node("james-b", ca);
        a.start();
        b.start();
        for (JamesContainer node : new JamesContainer[] {a, b}) {
            node.webAdmin().addDomain(DOMAIN).addUser(ALICE, PASSWORD);
        }
    }

    static Path storeKey;

    static JamesContainer node(String alias, TestCa ca) {
        return new JamesContainer().withNetwork(network).withNetworkAliases(alias)
                .withConfFile("tollgate-state.properties", STATE)
                .withCopyFileToContainer(MountableFile.forHostPath(storeKey, 0600), "/root/conf/tollgate-mfa.key")
                .withConfFile("dnsservice.xml", Peers.dnsServiceXml(Peers.ipOf(dns)))
                .withConfFile("tollgate-test-ca.pem", ca.pem())
                .withConfEdit("mailetcontainer.xml", xml -> TlsDeliveryConf.trustTestCaAndReport(xml, "cluster.test", PERIOD_SECONDS + "s")
                        .replaceOnce("<delays>5m, 15m, 1h, 4h</delays>", "<delays>5s</delays>"));
    }

    @AfterAll
    static void stop() {
        Teardown.printLog(a, "JAMES-A", 200, l -> l.contains("tollgate") || l.contains("ERROR"));
        Teardown.printLog(b, "JAMES-B", 200, l -> l.contains("tollgate") || l.contains("ERROR"));
        Teardown.printPeerLogs(80, l -> true, mx, collector, dns);
        Teardown.stopAll(network, a, b, mx, collector, dns, cassandra);
    }

    static void send(JamesContainer node, String to, String subject) {
        node.submit(ALICE, PASSWORD, Messages.text(ALICE, to, subject, "body of " + subject), to);
    }

    static int count(String text, String needle) {
        return text.split(Pattern.quote(needle), -1).length - 1;
    }

    @Test
    @Order(1)
    void bothNodesCountAndExactlyOneReportCarriesTheSum() throws Exception {
        // Start right after a period boundary, so both sessions fall into one period.
        long now = Instant.now().getEpochSecond();
        long next = (now / PERIOD_SECONDS + 1) * PERIOD_SECONDS;
        if (next - now < PERIOD_SECONDS - 5) {
            Thread.sleep((next - now) * 1000 + 500);
        }
        String session = "tollgate.tls.session domain=reports.test";
        send(a, "someone@reports.test", "from node A");
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> a.logs().contains(session));
        send(b, "someone@reports.test", "from node B");
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> b.logs().contains(session));
        assertThat(count(collector.getLogs(), "POLICY GET host=mta-sts.reports.test"))
                .as("node B applied the policy node A fetched").isEqualTo(1);
        assertThat(resultType(b.logs())).isEqualTo(resultType(a.logs()));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> count(mx.getLogs(), "RCPT TO:<someone@reports.test>") >= 2);

        Awaitility.await().atMost(Duration.ofSeconds(PERIOD_SECONDS * 3)).pollInterval(Duration.ofSeconds(2))
                .until(() -> collector.getLogs().contains("TLSRPT POST n=1 "));
        // Another whole period passes: still one report.
        Thread.sleep((PERIOD_SECONDS + 15) * 1000);
        assertThat(count(collector.getLogs(), "TLSRPT POST")).isEqualTo(1);
        String posted = "tollgate.tls.rpt report posted policy-domain=reports.test";
        assertThat(count(a.logs(), posted) + count(b.logs(), posted)).as("one node holds the lease").isEqualTo(1);

        JsonNode report = new ObjectMapper().readTree(collector.execInContainer("cat", "/peer/tlsrpt/1.json").getStdout());
        assertThat(report.path("policies")).hasSize(1);
        JsonNode policy = report.path("policies").get(0);
        assertThat(policy.path("policy").path("policy-type").asText()).isEqualTo("sts");
        assertThat(policy.path("policy").path("policy-domain").asText()).isEqualTo("reports.test");
        assertThat(policy.path("summary").path("total-failure-session-count").asLong()).as("both nodes' sessions")
                .isEqualTo(2);
        // One failure detail per sending MTA: each node's session, counted by that node, in the one report.
        List<String> senders = new java.util.ArrayList<>();
        for (JsonNode detail : policy.path("failure-details")) {
            assertThat(detail.path("result-type").asText()).isEqualTo(resultType(a.logs()));
            assertThat(detail.path("failed-session-count").asLong()).isEqualTo(1);
            senders.add(detail.path("sending-mta-ip").asText());
        }
        assertThat(senders).containsExactlyInAnyOrder(Peers.ipOf(a), Peers.ipOf(b));
    }

    static String resultType(String logs) {
        Matcher m = Pattern.compile("tollgate\\.tls\\.session domain=reports\\.test .* result-type=(\\S+)").matcher(logs);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    @Test
    @Order(2)
    void withCassandraPausedDeliveryDefersThenDeliversWhenItIsBack() throws Exception {
        Pattern deferred = Pattern.compile("domain=later\\.test level=mta-sts source=mta_sts mode=enforce attempt=1 .*"
                + "result=state-store-unavailable action=retry-in-5000ms");
        Pattern sent = Pattern.compile("domain=later\\.test level=may source=default mode=enforce attempt=\\d+ .*"
                + "result=sent action=done");
        // AUTH needs the store (MFA answers 454 while it is down): authenticate first, then pause it and send.
        try (SmtpClient smtp = a.smtp(JamesContainer.SUBMISSION)) {
            smtp.ehlo("client.test");
            assertThat(smtp.startTls().code).isEqualTo(220);
            smtp.ehlo("client.test");
            assertThat(smtp.authPlain(ALICE, PASSWORD).code).isEqualTo(235);
            cassandra.getDockerClient().pauseContainerCmd(cassandra.getContainerId()).exec();
            assertThat(smtp.mailFrom(ALICE).code).isEqualTo(250);
            assertThat(smtp.rcptTo("someone@later.test").code).isEqualTo(250);
            assertThat(smtp.data(Messages.text(ALICE, "someone@later.test", "during the outage", "queued")).code)
                    .isEqualTo(250);
        }
        try {
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> deferred.matcher(a.logs()).find());
            assertThat(a.logs()).contains("MTA-STS: state store cassandra:cassandra:9042/tollgate unreadable for the "
                    + "cached policy of later.test");
            Thread.sleep(10_000);
            assertThat(mx.getLogs()).as("nothing reaches the MX, in plain text or otherwise")
                    .doesNotContain("RCPT TO:<someone@later.test>");
        } finally {
            cassandra.getDockerClient().unpauseContainerCmd(cassandra.getContainerId()).exec();
        }
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2))
                .until(() -> sent.matcher(a.logs()).find());
        assertThat(mx.getLogs()).contains("RCPT TO:<someone@later.test>");
    }
}
