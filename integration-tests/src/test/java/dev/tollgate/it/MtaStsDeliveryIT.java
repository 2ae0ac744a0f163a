package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.utility.MountableFile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tollgate.it.harness.ItSettings;
import dev.tollgate.it.harness.JamesContainer;
import dev.tollgate.it.harness.Messages;
import dev.tollgate.it.harness.Peers;
import dev.tollgate.it.harness.TestCa;
import dev.tollgate.it.harness.TlsDeliveryConf;
import dev.tollgate.it.peers.TlsSmtpPeer;
import dev.tollgate.it.harness.Teardown;

/**
 * MTA-STS end to end (RFC 8461) and TLS-RPT (RFC 8460): James with the shipped {@code conf/}
 * ({@code TlsPolicyDelivery}, default level {@code may}, MTA-STS on), a test CA as extra trust anchor, TLS-RPT
 * reports every 20 s, and a dnsmasq peer as its only DNS server. The HTTPS policy host's container is named
 * {@code policyhost}: {@code mta-sts.<domain>} exists only in dnsmasq, so a fetch resolved by anything but James's
 * DNSService would fail.
 *
 * <ul>
 *   <li>{@code enforce.test}: MX 10 {@code mx1.enforce.test}, MX 20 {@code mx2.enforce.test}; policy
 *       {@code enforce}, {@code mx: mx2.enforce.test}: the preferred MX is never connected to, the mail goes to mx2;
 *   <li>{@code deferred.test}: only MX {@code mx1.enforce.test}, policy {@code enforce} naming another host: deferred
 *       ({@code mx-not-permitted}), mx1 still never connected to;
 *   <li>{@code testing.test}: policy {@code testing}, its MX presents a certificate for another name: delivered, and
 *       the failure reported in a log line and in the TLS-RPT JSON file for the domain (it publishes
 *       {@code _smtp._tls}); {@code enforce.test} publishes no TLS-RPT record and gets no report;
 *   <li>IP-literal {@code mx} lines (RFC 8461 §3.2 allows host name patterns only): {@code iplit.test}
 *       ({@code mx: 192.0.2.25}) and {@code bracket.test} ({@code mx: [192.0.2.25]}) each have MX 10
 *       {@code mx.rogue.test} (its certificate names only itself) and MX 20 {@code mx2.enforce.test}, and a policy
 *       naming {@code mx2.enforce.test} beside the IP literal: the literal is ignored with a warning, the mail goes to
 *       mx2 only; {@code allip.test} (MX {@code mx.rogue.test}) publishes a policy of IP literals only: deferred with
 *       {@code sts-policy-invalid}, never delivered to the rogue MX.
 * </ul>
 */
class MtaStsDeliveryIT {
    static final String DOMAIN = "tollgate.test";
    static final String ALICE = "alice@" + DOMAIN;
    static final String PASSWORD = "s3cret-Passw0rd";
    static final String REPORTS = "/root/var/tlsrpt";

    static Network network;
    static GenericContainer<?> mx1;
    static GenericContainer<?> mx2;
    static GenericContainer<?> mxTesting;
    static GenericContainer<?> mxRogue;
    static GenericContainer<?> policyHost;
    static GenericContainer<?> dns;
    static JamesContainer james;

    @BeforeAll
    static void start() throws Exception {
        network = Network.newNetwork();
        TestCa ca = new TestCa("Tollgate MTA-STS Test CA");
        Path keys = Files.createTempDirectory(Files.createDirectories(ItSettings.workDir()), "mta-sts-");
        mx1 = smtpPeer("mx1.enforce.test", ca.serverKeyStore(keys, "mx1.p12", "mx1.enforce.test"));
        mx2 = smtpPeer("mx2.enforce.test", ca.serverKeyStore(keys, "mx2.p12", "mx2.enforce.test"));
        mxTesting = smtpPeer("mx.testing.test", ca.serverKeyStore(keys, "mxt.p12", "mx.somewhere-else.test"));
        mxRogue = smtpPeer("mx.rogue.test", ca.serverKeyStore(keys, "rogue.p12", "mx.rogue.test"));
        Path hostKeys = ca.serverKeyStore(keys, "policy.p12", List.of("mta-sts.enforce.test", "mta-sts.deferred.test",
                "mta-sts.testing.test", "mta-sts.iplit.test", "mta-sts.bracket.test", "mta-sts.allip.test"));
        Map<String, String> policies = new java.util.LinkedHashMap<>();
        policies.put("mta-sts.enforce.test", Peers.mtaStsPolicy("enforce", "mx2.enforce.test"));
        policies.put("mta-sts.deferred.test", Peers.mtaStsPolicy("enforce", "mx.elsewhere.test"));
        policies.put("mta-sts.testing.test", Peers.mtaStsPolicy("testing", "mx.testing.test"));
        policies.put("mta-sts.iplit.test", Peers.mtaStsPolicy("enforce", "mx2.enforce.test", "192.0.2.25"));
        policies.put("mta-sts.bracket.test", Peers.mtaStsPolicy("enforce", "[192.0.2.25]", "mx2.enforce.test"));
        policies.put("mta-sts.allip.test", Peers.mtaStsPolicy("enforce", "192.0.2.25", "[2001:db8::25]"));
        policyHost = Peers.policyHost(network, "policyhost", hostKeys, policies);
        Startables.deepStart(Stream.of(mx1, mx2, mxTesting, mxRogue, policyHost)).join();

        Peers.DnsRecords records = new Peers.DnsRecords()
                .mx("enforce.test", "mx1.enforce.test", 10).mx("enforce.test", "mx2.enforce.test", 20)
                .a("mx1.enforce.test", Peers.ipOf(mx1)).a("mx2.enforce.test", Peers.ipOf(mx2))
                .txt("_mta-sts.enforce.test", "v=STSv1; id=enforce1")
                .a("mta-sts.enforce.test", Peers.ipOf(policyHost))
                .mx("deferred.test", "mx1.enforce.test", 10)
                .txt("_mta-sts.deferred.test", "v=STSv1; id=deferred1")
                .a("mta-sts.deferred.test", Peers.ipOf(policyHost))
                .mx("testing.test", "mx.testing.test", 10).a("mx.testing.test", Peers.ipOf(mxTesting))
                .txt("_mta-sts.testing.test", "v=STSv1; id=testing1")
                .a("mta-sts.testing.test", Peers.ipOf(policyHost))
                .txt("_smtp._tls.testing.test", "v=TLSRPTv1; rua=mailto:tlsrpt@testing.test")
                .a("mx.rogue.test", Peers.ipOf(mxRogue));
        for (String domain : List.of("iplit.test", "bracket.test", "allip.test")) {
            records.mx(domain, "mx.rogue.test", 10)
                    .txt("_mta-sts." + domain, "v=STSv1; id=" + domain.replace(".", ""))
                    .a("mta-sts." + domain, Peers.ipOf(policyHost));
            if (!domain.equals("allip.test")) {
                records.mx(domain, "mx2.enforce.test", 20);
            }
        }
        dns = Peers.dns(network, "dns", records);
        dns.start();

        james = new JamesContainer().withNetwork(network).withNetworkAliases("james")
                .withConfFile("dnsservice.xml", Peers.dnsServiceXml(Peers.ipOf(dns)))
                .withConfFile("tollgate-test-ca.pem", ca.pem())
                .withConfEdit("mailetcontainer.xml", xml -> TlsDeliveryConf.trustTestCaAndReport(xml, "tollgate.test", "20s")
                        .replaceOnce("<delays>5m, 15m, 1h, 4h</delays>", "<delays>30s</delays>")
                        .replaceOnce("<maxRetries>5</maxRetries>", "<maxRetries>1</maxRetries>"));
        james.start();
        james.webAdmin().addDomain(DOMAIN).addUser(ALICE, PASSWORD);

        send("someone@enforce.test", "MTA-STS enforce");
        send("someone@deferred.test", "MTA-STS deferred");
        send("someone@testing.test", "MTA-STS testing");
        send("someone@iplit.test", "MTA-STS IP literal");
        send("someone@bracket.test", "MTA-STS bracketed IP literal");
        send("someone@allip.test", "MTA-STS only IP literals");
    }

    @SuppressWarnings("resource")
    static GenericContainer<?> smtpPeer(String alias, Path keyStore) {
        return Peers.java(network, alias, TlsSmtpPeer.class, ".*PEER READY.*\\n",
                "25", "/peer/inbox", "tls", "/peer/server.p12", TestCa.PASSWORD)
                .withCopyFileToContainer(MountableFile.forHostPath(keyStore), "/peer/server.p12");
    }

    static void send(String to, String subject) {
        james.submit(ALICE, PASSWORD, Messages.text(ALICE, to, subject, "body of " + subject), to);
    }

    @AfterAll
    static void stop() {
        Teardown.printLog(james, "JAMES", 300, Teardown.TOLLGATE_AND_ERRORS);
        Teardown.printPeerLogs(40, l -> true, policyHost, mx1, mx2, mxTesting, mxRogue, dns);
        Teardown.stopAll(network, james, policyHost, mx1, mx2, mxTesting, mxRogue, dns);
    }

    @Test
    void enforcedPolicyNeverUsesTheExcludedPreferredMx() {
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> mx2.getLogs().contains("STORED 1"));
        assertThat(mx2.getLogs()).contains("HANDSHAKE ok TLSv1.").contains("PEER TLS=yes MAIL FROM:<" + ALICE + ">")
                .doesNotContain("TLS=no MAIL FROM");
        assertThat(james.logs())
                .contains("mx-skipped domain=enforce.test mx=mx1.enforce.test reason=mx-not-permitted")
                .containsPattern("domain=enforce\\.test level=mta-sts source=mta_sts mode=enforce attempt=1 "
                        + "mx=mx2\\.enforce\\.test result=sent");
        assertThat(policyHost.getLogs()).as("fetched over HTTPS with SNI, the name resolved by James's DNS")
                .contains("POLICY GET host=mta-sts.enforce.test sni=mta-sts.enforce.test status=200");
        assertThat(dns.getLogs()).contains("mta-sts.enforce.test");
        assertThat(mx1.getLogs()).as("the preferred MX outside the policy is never connected to")
                .doesNotContain("CONNECT from");
    }

    @Test
    void enforcedPolicyWithNoAllowedMxDefers() {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> james.logs().contains("domain=deferred.test level=mta-sts"));
        assertThat(james.logs()).containsPattern("domain=deferred\\.test level=mta-sts source=mta_sts mode=enforce "
                + "attempt=1 mx=mx1\\.enforce\\.test result=mx-not-permitted action=retry-in-30000ms");
        assertThat(mx1.getLogs()).doesNotContain("CONNECT from");
    }

    @Test
    void testingPolicyDeliversAndReportsTheFailure() throws Exception {
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> mxTesting.getLogs().contains("STORED 1"));
        assertThat(mxTesting.getLogs()).contains("PEER TLS=yes MAIL FROM:<" + ALICE + ">");
        assertThat(james.logs()).containsPattern("tollgate\\.tls\\.session domain=testing\\.test mx=mx\\.testing\\.test "
                + "ip=[0-9.]+ level=may source=mta_sts mode=testing result=certificate-host-mismatch "
                + "result-type=certificate-host-mismatch action=report-only");

        // The TLS-RPT period is 20 s: the report appears once it ends.
        List<String> files = new ArrayList<>();
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).until(() -> {
            files.clear();
            String ls = james.execInContainer("ls", "-1", REPORTS).getStdout();
            for (String f : ls.split("\n")) {
                if (f.endsWith(".json")) {
                    files.add(f);
                }
            }
            return !files.isEmpty();
        });
        assertThat(files).as("one report, for the only domain publishing _smtp._tls").hasSize(1);
        assertThat(files.get(0)).startsWith("tollgate.test!testing.test!");
        JsonNode report = new ObjectMapper().readTree(
                james.execInContainer("cat", REPORTS + "/" + files.get(0)).getStdout());
        assertThat(report.path("organization-name").asText()).isEqualTo("Tollgate IT");
        assertThat(report.path("contact-info").asText()).isEqualTo("mailto:postmaster@tollgate.test");
        JsonNode policy = report.path("policies").get(0);
        assertThat(policy.path("policy").path("policy-type").asText()).isEqualTo("sts");
        assertThat(policy.path("policy").path("policy-domain").asText()).isEqualTo("testing.test");
        assertThat(policy.path("policy").path("policy-string").toString()).contains("mode: testing");
        assertThat(policy.path("policy").path("mx-host").get(0).asText()).isEqualTo("mx.testing.test");
        assertThat(policy.path("summary").path("total-successful-session-count").asLong()).isZero();
        assertThat(policy.path("summary").path("total-failure-session-count").asLong()).isEqualTo(1);
        JsonNode detail = policy.path("failure-details").get(0);
        assertThat(detail.path("result-type").asText()).isEqualTo("certificate-host-mismatch");
        assertThat(detail.path("receiving-mx-hostname").asText()).isEqualTo("mx.testing.test");
        assertThat(detail.path("receiving-ip").asText()).isEqualTo(Peers.ipOf(mxTesting));
        assertThat(detail.path("sending-mta-ip").asText()).isEqualTo(Peers.ipOf(james));
        assertThat(detail.path("failed-session-count").asLong()).isEqualTo(1);
    }

    @Test
    void bareIpLiteralLineIsIgnoredAndTheNamedMxAloneGetsTheMail() {
        ipLiteralLineIsIgnored("iplit.test", "192.0.2.25");
    }

    @Test
    void bracketedIpLiteralLineIsIgnoredAndTheNamedMxAloneGetsTheMail() {
        ipLiteralLineIsIgnored("bracket.test", "[192.0.2.25]");
    }

    private static void ipLiteralLineIsIgnored(String domain, String literal) {
        String quoted = domain.replace(".", "\\.");
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> james.logs().contains("domain=" + domain + " level="));
        assertThat(james.logs())
                .contains("tollgate.tls.mta-sts policy-domain=" + domain + " ignored line \"mx: " + literal
                        + "\": an IP literal is not a host name pattern")
                .contains("mx-skipped domain=" + domain + " mx=mx.rogue.test reason=mx-not-permitted")
                .containsPattern("domain=" + quoted + " level=mta-sts source=mta_sts mode=enforce attempt=1 "
                        + "mx=mx2\\.enforce\\.test result=sent");
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                .until(() -> mx2.getLogs().contains("RCPT TO:<someone@" + domain + ">"));
        assertThat(mx2.getLogs()).contains("PEER TLS=yes RCPT TO:<someone@" + domain + ">");
        assertThat(mxRogue.getLogs()).as("the MX outside the policy's host pattern gets nothing")
                .doesNotContain("someone@" + domain);
    }

    @Test
    void policyOfIpLiteralsOnlyDefersWithStsPolicyInvalid() {
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> james.logs().contains("domain=allip.test level="));
        assertThat(james.logs())
                .contains("tollgate.tls.mta-sts policy-domain=allip.test ignored line \"mx: 192.0.2.25\"")
                .contains("tollgate.tls.mta-sts policy-domain=allip.test ignored line \"mx: [2001:db8::25]\"")
                .containsPattern("domain=allip\\.test level=mta-sts source=mta_sts mode=enforce attempt=1 mx=- "
                        + "result=sts-policy-invalid action=retry-in-30000ms diagnostic=\"sts-policy-invalid: ");
        assertThat(policyHost.getLogs()).contains("POLICY GET host=mta-sts.allip.test sni=mta-sts.allip.test status=200");
        assertThat(mxRogue.getLogs()).as("never delivered as 'may' to the only MX").doesNotContain("someone@allip.test");
    }
}
