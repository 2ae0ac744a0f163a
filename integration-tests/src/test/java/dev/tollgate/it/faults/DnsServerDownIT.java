package dev.tollgate.it.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.utility.MountableFile;

import dev.tollgate.it.harness.DnssecZones;
import dev.tollgate.it.harness.ItSettings;
import dev.tollgate.it.harness.JamesContainer;
import dev.tollgate.it.harness.MailAccounting;
import dev.tollgate.it.harness.Peers;
import dev.tollgate.it.harness.TestCa;
import dev.tollgate.it.peers.FaultySmtpPeer;
import dev.tollgate.it.harness.Teardown;

/**
 * The DNS server James uses (BIND, signed zones, DANE TLSA records for both destinations) stops answering while
 * mail flows: its container is frozen ({@code docker pause}), so every query times out, as with a server that is
 * down or unreachable. A first batch to {@code a.dane.test} is delivered before the outage; during it a load goes
 * to {@code a.dane.test} and to {@code b.dane.test}, never looked up before. Nothing for {@code b.dane.test} is
 * sent while the server is down (the delivery defers: no MX, no TLSA, no plain text), and once it answers again
 * everything is delivered, each (message, recipient) exactly once.
 */
class DnsServerDownIT {
    static final String DOMAIN = "tollgate.test";
    static final String ALICE = "alice@" + DOMAIN;
    static final String PASSWORD = "s3cret-Passw0rd";
    static final int BEFORE = 4;
    static final int DURING = 16;
    static final Duration OUTAGE = Duration.ofSeconds(30);

    static Network network;
    static GenericContainer<?> peer;
    static GenericContainer<?> dns;
    static JamesContainer james;

    @BeforeAll
    static void start() throws Exception {
        network = Network.newNetwork();
        Path dir = Files.createTempDirectory(Files.createDirectories(ItSettings.workDir()), "dnsdown-");
        Path keys = Files.createDirectories(dir.resolve("sni"));
        Path a = TestCa.selfSignedKeyStore(keys, "mx.a.dane.test.p12", "mx.a.dane.test");
        Path b = TestCa.selfSignedKeyStore(keys, "mx.b.dane.test.p12", "mx.b.dane.test");
        peer = Peers.java(network, "mx", FaultySmtpPeer.class, ".*PEER READY.*\\n",
                "25", "/peer/inbox", "/peer/keys", TestCa.PASSWORD, "0")
                .withNetworkAliases("mx.a.dane.test", "mx.b.dane.test")
                .withCopyFileToContainer(MountableFile.forHostPath(keys), "/peer/keys");
        peer.start();
        String ip = Peers.ipOf(peer);
        DnssecZones zones = new DnssecZones("dane.test");
        zones.anchor()
                .mx("a.dane.test", "mx.a.dane.test", 10).a("mx.a.dane.test", ip)
                .tlsa("mx.a.dane.test", 3, 1, 1, DnssecZones.spkiSha256(TestCa.leaf(a)))
                .mx("b.dane.test", "mx.b.dane.test", 10).a("mx.b.dane.test", ip)
                .tlsa("mx.b.dane.test", 3, 1, 1, DnssecZones.spkiSha256(TestCa.leaf(b)));
        dns = zones.container(network, "dns");
        dns.start();
        String anchors = DnssecZones.trustAnchor(dns);
        // A busy CI machine can take minutes to start James under load; the faults come later.
        james = new JamesContainer().withNetwork(network).withNetworkAliases("james")
                .withStartupTimeout(Duration.ofMinutes(8))
                .withConfFile("dnsservice.xml", Peers.dnsServiceXml(Peers.ipOf(dns)))
                .withConfFile("dane-anchors.txt", anchors)
                .withConfEdit("mailetcontainer.xml", xml -> xml
                        .replaceOnce("<defaultLevel>may</defaultLevel>", "<defaultLevel>may</defaultLevel>\n"
                                + "                <dane>true</dane>\n"
                                + "                <daneDnsServer>" + Peers.ipOf(dns) + "</daneDnsServer>\n"
                                + "                <daneTrustAnchors>conf/dane-anchors.txt</daneTrustAnchors>")
                        .replaceOnce("<delays>5m, 15m, 1h, 4h</delays>", "<delays>2s</delays>")
                        .replaceOnce("<maxRetries>5</maxRetries>", "<maxRetries>60</maxRetries>"));
        james.start();
        assertThat(james.logs()).as("the DANE configuration took effect").contains("dane=true");
        james.webAdmin().addDomain(DOMAIN).addUser(ALICE, PASSWORD);
    }

    @AfterAll
    static void stop() {
        Teardown.printLog(james, "JAMES", 300, l -> l.contains("domain=") || l.contains("ERROR"));
        Teardown.stopAll(network, james, peer, dns);
    }

    static void pause(boolean down) {
        if (down) {
            dns.getDockerClient().pauseContainerCmd(dns.getContainerId()).exec();
        } else {
            dns.getDockerClient().unpauseContainerCmd(dns.getContainerId()).exec();
        }
    }

    @Test
    void lookupsTimingOutDeferDeliveryAndEverythingIsDeliveredOnceWhenDnsAnswersAgain() throws Exception {
        MailAccounting ledger = new MailAccounting("dns" + System.nanoTime());
        MailAccounting.Load before = ledger.startLoad(james, ALICE, PASSWORD, BEFORE, 2, Duration.ofMillis(200),
                (n, id) -> submission(id, "someone" + n + "@a.dane.test"));
        before.await(Duration.ofMinutes(2));
        Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2))
                .until(() -> peer.getLogs().split("PEER STORED", -1).length - 1 >= BEFORE);

        pause(true);
        long downSince = System.nanoTime();
        String peerBefore;
        try {
            // The load runs while the server is down: n from BEFORE on, alternately to a.dane.test and b.dane.test.
            MailAccounting.Load during = ledger.startLoad(james, ALICE, PASSWORD, BEFORE, DURING, 2,
                    Duration.ofMillis(500), (n, id) -> submission(id, "someone" + n + "@"
                            + (n % 2 == 0 ? "a" : "b") + ".dane.test"));
            during.await(Duration.ofMinutes(2));
            // Deferred without connecting: the DNSSEC status of its records cannot be established (fail closed).
            Awaitility.await().atMost(OUTAGE).pollInterval(Duration.ofSeconds(1))
                    .until(() -> Pattern.compile("domain=b\\.dane\\.test level=dane source=dane mode=enforce "
                            + "attempt=\\d+ mx=- result=dnssec-invalid action=retry-in-2000ms").matcher(james.logs()).find());
            long left = OUTAGE.toNanos() - (System.nanoTime() - downSince);
            Thread.sleep(Math.max(0, left / 1_000_000));
            ledger.clearFound();
            ledger.countPeer(peer, "/peer/inbox");
            peerBefore = peer.getLogs();
        } finally {
            pause(false);
        }
        assertThat(ledger.bucket(MailAccounting.PEER).keySet()).as("nothing for b.dane.test stored during the outage")
                .noneMatch(k -> k.endsWith("@b.dane.test"));
        assertThat(peerBefore).as("no connection to b.dane.test's MX during the outage")
                .doesNotContain("sni=mx.b.dane.test");

        Awaitility.await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(3)).until(() -> {
            count(ledger);
            return ledger.report().foundPairs() >= ledger.report().acceptedPairs;
        });
        Thread.sleep(5000);
        count(ledger);
        MailAccounting.Report report = ledger.report();
        System.out.println("ACCOUNTING " + report);
        assertThat(report.uncertain).as(report.toString()).isEmpty();
        assertThat(report.refused).as(report.toString()).isEmpty();
        assertThat(report.acceptedMessages).isEqualTo(BEFORE + DURING);
        assertThat(report.missing).as(report.toString()).isEmpty();
        assertThat(report.duplicated).as(report.toString()).isEmpty();
        assertThat(report.unknown).as(report.toString()).isEmpty();
        assertThat(report.foundPairs()).isEqualTo(report.acceptedPairs);
        assertThat(ledger.bucket(MailAccounting.PEER)).hasSize(BEFORE + DURING);

        String peerLog = peer.getLogs();
        assertThat(peerLog).as("nothing sent in plain text").doesNotContain("TLS=no MAIL FROM");
        assertThat(peerLog).contains("sni=mx.b.dane.test");
        assertThat(james.logs()).as("b.dane.test delivered under DANE once DNS answered")
                .containsPattern("domain=b\\.dane\\.test level=dane source=dane mode=enforce attempt=\\d+ "
                        + "mx=mx\\.b\\.dane\\.test result=sent");
        for (String repository : new String[] {"memory://var/mail/error/", "memory://var/mail/tollgate-delivery-error/"}) {
            if (MailAccounting.repositoryExists(james.webAdmin(), repository)) {
                assertThat(james.webAdmin().mailKeys(repository)).as(repository).isEmpty();
            }
        }
    }

    static MailAccounting.Submission submission(String id, String to) {
        return new MailAccounting.Submission(List.of(to), MailAccounting.textMessage(id, ALICE, List.of(to), "DNS down"));
    }

    static void count(MailAccounting ledger) throws Exception {
        ledger.clearFound();
        ledger.countPeer(peer, "/peer/inbox");
        ledger.countMailboxes(james, Map.of(ALICE, PASSWORD));
    }
}
