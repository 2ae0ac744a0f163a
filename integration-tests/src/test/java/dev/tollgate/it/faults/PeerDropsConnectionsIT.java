package dev.tollgate.it.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.utility.MountableFile;

import dev.tollgate.it.harness.ItSettings;
import dev.tollgate.it.harness.JamesContainer;
import dev.tollgate.it.harness.MailAccounting;
import dev.tollgate.it.harness.Peers;
import dev.tollgate.it.harness.TestCa;
import dev.tollgate.it.peers.FaultySmtpPeer;
import dev.tollgate.it.harness.Teardown;

/**
 * A receiving MTA that breaks every third connection (the first six such), alternately right after the TLS handshake
 * and in the middle of DATA, while a load of submissions flows through {@code TlsPolicyDelivery} (level
 * {@code encrypt}, 2 s retry delay, six retries: more attempts than broken connections, so no peer.test message can
 * be broken on every attempt). Mail for {@code dead.test} (same MX) is broken mid-DATA on every attempt and must bounce after the
 * retries. In the end every accepted (message, recipient) pair is found exactly once: in the peer's store, in a
 * local mailbox, or named in a DSN to the sender; the peer never stored one Message-ID twice, never saw a
 * command in plain text, and the error repositories are empty.
 */
class PeerDropsConnectionsIT {
    static final String DOMAIN = "tollgate.test";
    static final String ALICE = "alice@" + DOMAIN;
    static final String BOB = "bob@" + DOMAIN;
    static final String PASSWORD = "s3cret-Passw0rd";
    static final int MESSAGES = 24;
    /** Attempts are 1 + this; the peer breaks at most this many connections (besides dead.test's). */
    static final int MAX_RETRIES = 6;

    static Network network;
    static GenericContainer<?> peer;
    static GenericContainer<?> dns;
    static JamesContainer james;

    @BeforeAll
    static void start() throws Exception {
        network = Network.newNetwork();
        Path dir = Files.createTempDirectory(Files.createDirectories(ItSettings.workDir()), "drops-");
        Path keys = TestCa.selfSignedKeyStore(dir, "mx.p12", "mx.peer.test");
        peer = Peers.java(network, "mx.peer.test", FaultySmtpPeer.class, ".*PEER READY.*\\n",
                "25", "/peer/inbox", "/peer/mx.p12", TestCa.PASSWORD, "3:" + MAX_RETRIES, "dead.test")
                .withCopyFileToContainer(MountableFile.forHostPath(keys), "/peer/mx.p12");
        peer.start();
        dns = Peers.dns(network, "dns", new Peers.DnsRecords()
                .mx("peer.test", "mx.peer.test", 10).mx("dead.test", "mx.peer.test", 10)
                .a("mx.peer.test", Peers.ipOf(peer)));
        dns.start();
        // A busy CI machine can take minutes to start James under load; the faults come later.
        james = new JamesContainer().withNetwork(network).withNetworkAliases("james")
                .withStartupTimeout(Duration.ofMinutes(8))
                .withConfFile("dnsservice.xml", Peers.dnsServiceXml(Peers.ipOf(dns)))
                .withConfEdit("mailetcontainer.xml", xml -> xml
                        .replaceOnce("<defaultLevel>may</defaultLevel>", "<defaultLevel>may</defaultLevel>\n"
                                + "                <policyMap>peer.test encrypt; dead.test encrypt</policyMap>")
                        .replaceOnce("<delays>5m, 15m, 1h, 4h</delays>", "<delays>2s</delays>")
                        .replaceOnce("<maxRetries>5</maxRetries>", "<maxRetries>" + MAX_RETRIES + "</maxRetries>"));
        james.start();
        james.webAdmin().addDomain(DOMAIN).addUser(ALICE, PASSWORD).addUser(BOB, PASSWORD);
    }

    @AfterAll
    static void stop() {
        Teardown.printLog(james, "JAMES", 200, l -> l.contains("domain=") || l.contains("ERROR"));
        Teardown.stopAll(network, james, peer, dns);
    }

    /** Message n: to peer.test, every fourth also to bob (local), every fifth to dead.test instead. */
    static List<String> recipients(int n) {
        List<String> to = new ArrayList<>();
        to.add(n % 5 == 4 ? "user" + n + "@dead.test" : "user" + n + "@peer.test");
        if (n % 4 == 1) {
            to.add(BOB);
        }
        return to;
    }

    @Test
    void everyAcceptedMailIsDeliveredOnceOrBouncedDespiteDroppedConnections() throws Exception {
        MailAccounting ledger = new MailAccounting("drops" + System.nanoTime());
        MailAccounting.Load load = ledger.startLoad(james, ALICE, PASSWORD, MESSAGES, 3, Duration.ofMillis(300),
                (n, id) -> new MailAccounting.Submission(recipients(n),
                        MailAccounting.textMessage(id, ALICE, recipients(n), "Drops")));
        load.await(Duration.ofMinutes(5));
        MailAccounting.Report first = ledger.report();
        assertThat(first.acceptedMessages).as(first.toString()).isEqualTo(MESSAGES);

        Awaitility.await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(3)).until(() -> {
            count(ledger);
            return ledger.report().foundPairs() >= ledger.report().acceptedPairs;
        });
        // Longer than a retry delay: a late second delivery of one message would show now.
        Thread.sleep(6000);
        count(ledger);
        MailAccounting.Report report = ledger.report();
        System.out.println("ACCOUNTING " + report);
        assertThat(report.uncertain).as(report.toString()).isEmpty();
        assertThat(report.refused).as(report.toString()).isEmpty();
        assertThat(report.missing).as(report.toString()).isEmpty();
        assertThat(report.duplicated).as(report.toString()).isEmpty();
        assertThat(report.unknown).as(report.toString()).isEmpty();
        assertThat(report.foundPairs()).isEqualTo(report.acceptedPairs);

        // Each bucket holds exactly the pairs it should: dead.test only in DSNs, bob only in his mailbox.
        Map<String, Integer> dsn = ledger.bucket(MailAccounting.DSN);
        assertThat(dsn.keySet()).as("every dead.test pair bounced, named in a DSN to the sender")
                .allMatch(k -> k.endsWith("@dead.test"));
        long deadPairs = Stream.iterate(0, n -> n + 1).limit(MESSAGES).filter(n -> n % 5 == 4).count();
        assertThat(dsn).hasSize((int) deadPairs);
        assertThat(ledger.bucket(MailAccounting.PEER).keySet()).allMatch(k -> k.endsWith("@peer.test"));
        assertThat(ledger.bucket(MailAccounting.MAILBOX).keySet()).allMatch(k -> k.endsWith(" " + BOB));

        String peerLog = peer.getLogs();
        assertThat(peerLog).as("both faults happened").contains("DROP after-starttls").contains("DROP mid-data");
        assertThat(peerLog).as("nothing sent in plain text").doesNotContain("TLS=no MAIL FROM");
        assertThat(duplicateMessageIds()).as("the peer stored each Message-ID once").isEmpty();
        String logs = james.logs();
        assertThat(logs).as("the 2 s retry delay applies").contains("action=retry-in-2000ms");
        assertThat(logs).as("a mail broken once was delivered on a later attempt")
                .containsPattern("domain=peer\\.test level=encrypt \\S+ mode=enforce attempt=[2-9] mx=mx\\.peer\\.test result=sent");
        for (String repository : new String[] {"memory://var/mail/error/", "memory://var/mail/tollgate-delivery-error/"}) {
            if (MailAccounting.repositoryExists(james.webAdmin(), repository)) {
                assertThat(james.webAdmin().mailKeys(repository)).as(repository).isEmpty();
            }
        }
    }

    static void count(MailAccounting ledger) throws Exception {
        ledger.clearFound();
        ledger.countPeer(peer, "/peer/inbox");
        ledger.countMailboxes(james, Map.of(ALICE, PASSWORD, BOB, PASSWORD));
    }

    /** @return Message-IDs the peer stored more than once */
    static List<String> duplicateMessageIds() throws Exception {
        String out = peer.execInContainer("sh", "-c", "cat /peer/inbox/*.eml | grep -i '^Message-ID:' | sort | uniq -d")
                .getStdout();
        List<String> dups = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^.+$").matcher(out);
        while (m.find()) {
            dups.add(m.group());
        }
        return dups;
    }
}
