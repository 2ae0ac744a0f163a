package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.utility.MountableFile;

import dev.tollgate.it.harness.ItSettings;
import dev.tollgate.it.harness.JamesContainer;
import dev.tollgate.it.harness.Messages;
import dev.tollgate.it.harness.Peers;
import dev.tollgate.it.harness.TestCa;
import dev.tollgate.it.peers.TlsSmtpPeer;
import dev.tollgate.it.harness.Teardown;

/**
 * {@code TlsPolicyDelivery} with {@code mode=testing} in a real James: the policy map says {@code verify} for a peer
 * with a self-signed certificate and for a peer without STARTTLS; both mails are delivered at once (the first over
 * TLS, the second in plain text) and each failure is logged as {@code action=report-only} with the intended level.
 */
class TlsTestingModeIT {
    static final String ALICE = "alice@" + TlsPolicyDeliveryIT.DOMAIN;
    static Network network;
    static GenericContainer<?> selfSigned;
    static GenericContainer<?> noTls;
    static GenericContainer<?> dns;
    static JamesContainer james;

    @BeforeAll
    static void start() throws Exception {
        network = Network.newNetwork();
        Path keys = Files.createTempDirectory(Files.createDirectories(ItSettings.workDir()), "tls-testing-");
        Path p12 = TestCa.selfSignedKeyStore(keys, "selfsigned.p12", "mx.selfsigned.test");
        selfSigned = peer("selfsigned.test", "tls", p12);
        noTls = peer("notls.test", "plain", null);
        Startables.deepStart(List.of(selfSigned, noTls).stream()).join();
        dns = Peers.dns(network, "dns", new Peers.DnsRecords()
                .mx("selfsigned.test", "mx.selfsigned.test", 10).a("mx.selfsigned.test", Peers.ipOf(selfSigned))
                .mx("notls.test", "mx.notls.test", 10).a("mx.notls.test", Peers.ipOf(noTls)));
        dns.start();
        james = new JamesContainer().withNetwork(network).withNetworkAliases("james")
                .withConfFile("dnsservice.xml", Peers.dnsServiceXml(Peers.ipOf(dns)))
                .withConfEdit("mailetcontainer.xml", xml -> xml
                        .replaceOnce("<defaultLevel>may</defaultLevel>", "<defaultLevel>may</defaultLevel>\n"
                                + "                <mode>testing</mode>\n"
                                + "                <policyMap>selfsigned.test verify; notls.test verify</policyMap>"));
        james.start();
        james.webAdmin().addDomain(TlsPolicyDeliveryIT.DOMAIN).addUser(ALICE, TlsPolicyDeliveryIT.PASSWORD);
        send("someone@selfsigned.test", "testing mode self-signed");
        send("someone@notls.test", "testing mode no STARTTLS");
    }

    @SuppressWarnings("resource")
    static GenericContainer<?> peer(String domain, String mode, Path keyStore) {
        String[] args = keyStore == null ? new String[] {"25", "/peer/inbox", mode}
                : new String[] {"25", "/peer/inbox", mode, "/peer/server.p12", TestCa.PASSWORD};
        GenericContainer<?> peer = Peers.java(network, "mx." + domain, TlsSmtpPeer.class, ".*PEER READY.*\\n", args);
        if (keyStore != null) {
            peer.withCopyFileToContainer(MountableFile.forHostPath(keyStore), "/peer/server.p12");
        }
        return peer;
    }

    static void send(String to, String subject) {
        james.submit(ALICE, TlsPolicyDeliveryIT.PASSWORD, Messages.text(ALICE, to, subject, "body of " + subject), to);
    }

    @AfterAll
    static void stop() {
        Teardown.printLog(james, "JAMES", 100, l -> l.contains("tollgate"));
        Teardown.stopAll(network, james, dns, selfSigned, noTls);
    }

    @Test
    void failuresAreReportedAndMailIsDelivered() {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> selfSigned.getLogs().contains("STORED 1") && noTls.getLogs().contains("STORED 1"));
        assertThat(selfSigned.getLogs()).contains("HANDSHAKE ok").contains("PEER TLS=yes MAIL FROM:<" + ALICE + ">");
        assertThat(noTls.getLogs()).contains("PEER TLS=no MAIL FROM:<" + ALICE + ">");
        String logs = james.logs();
        assertThat(logs).contains("TLS failures are reported, not enforced")
                .containsPattern("tollgate\\.tls\\.session domain=selfsigned\\.test .*level=verify source=policy_map "
                        + "mode=testing result=certificate-not-trusted .*action=report-only")
                .containsPattern("tollgate\\.tls\\.session domain=notls\\.test .*level=verify source=policy_map "
                        + "mode=testing result=starttls-not-supported .*action=report-only")
                .doesNotContain("action=retry-in");
    }
}
