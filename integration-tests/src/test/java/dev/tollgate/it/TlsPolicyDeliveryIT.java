package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.utility.MountableFile;

import dev.tollgate.it.harness.ItSettings;
import dev.tollgate.it.harness.JamesContainer;
import dev.tollgate.it.harness.Teardown;
import dev.tollgate.it.harness.Messages;
import dev.tollgate.it.harness.Peers;
import dev.tollgate.it.harness.TestCa;
import dev.tollgate.it.peers.TlsSmtpPeer;

/**
 * TLS-only outbound delivery: James (the shipped {@code conf/} with {@code TlsPolicyDelivery} in the relay
 * processor, level {@code verify} for every test destination, a test CA as extra trust anchor, one retry after
 * 30 s) relays one mail to each of eight receiving MTAs, each misbehaving in one way:
 * no STARTTLS, 454 to STARTTLS, close during the handshake, TLS 1.0 only, a certificate for another name,
 * a self-signed certificate, an expired certificate, and a valid chain (delivered).
 *
 * <p>For every failure: the peer saw no MAIL FROM (nor RCPT) in plain text, the mail was still in Tollgate's queue
 * after the first attempt, and after the retry the sender got a DSN (read over IMAP) naming the precise reason.
 */
class TlsPolicyDeliveryIT {
    static final String DOMAIN = "tollgate.test";
    static final String ALICE = "alice@" + DOMAIN;
    static final String PASSWORD = "s3cret-Passw0rd";
    static final String QUEUE = "tollgate-outgoing";
    static final String BOB = "bob@" + DOMAIN;

    /** One receiving MTA that fails TLS in one way, and the reason the DSN and the log must give. */
    static final class FailureCase {
        /** Destination domain; its MX is {@code mx.<domain>}. */
        final String domain;
        /** {@link TlsSmtpPeer} mode. */
        final String peerMode;
        /** Certificate of the peer's key store, a kind of {@link #keyStore}; {@code none} for no key store. */
        final String certificate;
        /** Reason Tollgate gives: in the DSN's Diagnostic-Code and as {@code result=} in the log. */
        final String expectedReason;

        private FailureCase(String domain, String peerMode, String certificate, String expectedReason) {
            this.domain = domain;
            this.peerMode = peerMode;
            this.certificate = certificate;
            this.expectedReason = expectedReason;
        }

        static FailureCase of(String domain, String peerMode, String certificate, String expectedReason) {
            return new FailureCase(domain, peerMode, certificate, expectedReason);
        }
    }

    static final FailureCase[] FAILURES = {
        FailureCase.of("notls.test", "plain", "none", "starttls-not-supported"),
        FailureCase.of("refuse.test", "refuse454", "none", "starttls-refused"),
        FailureCase.of("drop.test", "drop", "none", "handshake-failure"),
        FailureCase.of("old.test", "tls10", "valid", "protocol-too-old"),
        FailureCase.of("wrongname.test", "tls", "wrongname", "certificate-host-mismatch"),
        FailureCase.of("selfsigned.test", "tls", "selfsigned", "certificate-not-trusted"),
        FailureCase.of("expired.test", "tls", "expired", "certificate-expired"),
    };
    static final String VALID = "valid.test";

    static Network network;
    static final Map<String, GenericContainer<?>> PEERS = new LinkedHashMap<>();
    static GenericContainer<?> dns;
    static JamesContainer james;
    static String queuedAfterFirstAttempts;

    @BeforeAll
    static void start() throws Exception {
        network = Network.newNetwork();
        TestCa ca = new TestCa("Tollgate Test CA");
        Path keys = Files.createTempDirectory(Files.createDirectories(ItSettings.workDir()), "tls-peers-");
        List<GenericContainer<?>> all = new ArrayList<>();
        for (FailureCase c : FAILURES) {
            PEERS.put(c.domain, peer(c.domain, c.peerMode, keyStore(ca, keys, c.domain, c.certificate)));
        }
        PEERS.put(VALID, peer(VALID, "tls", keyStore(ca, keys, VALID, "valid")));
        all.addAll(PEERS.values());
        Startables.deepStart(all.stream()).join();

        Peers.DnsRecords records = new Peers.DnsRecords();
        StringBuilder policyMap = new StringBuilder();
        for (Map.Entry<String, GenericContainer<?>> p : PEERS.entrySet()) {
            records.mx(p.getKey(), "mx." + p.getKey(), 10).a("mx." + p.getKey(), Peers.ipOf(p.getValue()));
            policyMap.append(p.getKey()).append(" verify;");
        }
        dns = Peers.dns(network, "dns", records);
        dns.start();

        String map = policyMap.toString();
        james = new JamesContainer().withNetwork(network).withNetworkAliases("james")
                .withConfFile("dnsservice.xml", Peers.dnsServiceXml(Peers.ipOf(dns)))
                .withConfFile("tollgate-test-ca.pem", ca.pem())
                .withConfEdit("mailetcontainer.xml", xml -> xml
                        .replaceOnce("<defaultLevel>may</defaultLevel>", "<defaultLevel>may</defaultLevel>\n"
                                + "                <policyMap>" + map + "</policyMap>\n"
                                + "                <trustStore>conf/tollgate-test-ca.pem</trustStore>")
                        .replaceOnce("<delays>5m, 15m, 1h, 4h</delays>", "<delays>30s</delays>")
                        .replaceOnce("<maxRetries>5</maxRetries>", "<maxRetries>1</maxRetries>"));
        james.start();
        james.webAdmin().addDomain(DOMAIN).addUser(ALICE, PASSWORD);

        for (String domain : PEERS.keySet()) {
            send("someone@" + domain, "TLS test to " + domain);
        }
        // Every failing peer has seen its first attempt; the mails must now all wait in Tollgate's queue.
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            for (FailureCase c : FAILURES) {
                if (!PEERS.get(c.domain).getLogs().contains("CONNECT from")) {
                    return false;
                }
            }
            return true;
        });
        // GET /mailQueues/<name> only: in James 3.8.1, listing a memory queue's mails (GET .../mails) closes the
        // queue twice and, after a few calls, disposes its scheduler (see README, known issues).
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300)).until(() -> {
            String body = james.webAdmin().send("GET", "/mailQueues/" + QUEUE, null).body();
            queuedAfterFirstAttempts = body.replace(" ", "");
            return body.replace(" ", "").contains("\"size\":" + FAILURES.length);
        });
    }

    static Path keyStore(TestCa ca, Path dir, String domain, String kind) {
        String mx = "mx." + domain;
        Instant now = Instant.now();
        switch (kind) {
            case "valid":
                return ca.serverKeyStore(dir, domain + ".p12", mx);
            case "wrongname":
                return ca.serverKeyStore(dir, domain + ".p12", "mx.somewhere-else.test");
            case "expired":
                return ca.serverKeyStore(dir, domain + ".p12", mx, now.minus(Duration.ofDays(60)), now.minus(Duration.ofDays(30)));
            case "selfsigned":
                return TestCa.selfSignedKeyStore(dir, domain + ".p12", mx);
            default:
                return null;
        }
    }

    @SuppressWarnings("resource")
    static GenericContainer<?> peer(String domain, String mode, Path keyStore) {
        List<String> args = new ArrayList<>(List.of("25", "/peer/inbox", mode));
        if (keyStore != null) {
            args.add("/peer/server.p12");
            args.add(TestCa.PASSWORD);
        }
        GenericContainer<?> peer = Peers.java(network, "mx." + domain, TlsSmtpPeer.class, ".*PEER READY.*\\n",
                args.toArray(new String[0]));
        if (keyStore != null) {
            peer.withCopyFileToContainer(MountableFile.forHostPath(keyStore), "/peer/server.p12");
        }
        return peer;
    }

    static void send(String to, String subject) {
        james.submit(ALICE, PASSWORD, Messages.text(ALICE, to, subject, "body of " + subject), to);
    }

    @AfterAll
    static void stop() {
        // For diagnosis in the build log: Tollgate's decision lines and errors, and what each peer saw.
        Teardown.printLog(james, "JAMES", 300, Teardown.TOLLGATE_AND_ERRORS);
        PEERS.forEach((d, p) -> Teardown.printLog(p, d, 40, l -> true));
        Teardown.stopAll(network, james, dns);
        PEERS.values().forEach(GenericContainer::stop);
    }

    static Stream<Arguments> failures() {
        return Stream.of(FAILURES).map(c -> Arguments.of(c.domain, c.peerMode, c.expectedReason));
    }

    @ParameterizedTest(name = "{0} ({1}) -> {2}")
    @MethodSource("failures")
    void tlsFailureDefersThenBouncesWithTheReason(String domain, String mode, String reason) {
        String rcpt = "someone@" + domain;
        assertThat(queuedAfterFirstAttempts).as("all failed mails still queued after the first attempt")
                .contains("\"size\":" + FAILURES.length);
        assertThat(james.logs()).contains("domain=" + domain + " level=verify source=policy_map mode=enforce attempt=1")
                .containsPattern("domain=" + domain.replace(".", "\\.") + " .* attempt=1 .* action=retry-in-30000ms");

        String dsn = james.imap(ALICE, PASSWORD).awaitMessageContaining(rcpt, Duration.ofSeconds(100));
        assertThat(dsn).contains("Diagnostic-Code:").contains(reason).contains("5.7.10");

        String peerLog = PEERS.get(domain).getLogs();
        assertThat(peerLog.split("CONNECT from", -1).length - 1).as("first attempt and one retry").isGreaterThanOrEqualTo(2);
        assertThat(peerLog).as("nothing sent in plain text").doesNotContain("TLS=no MAIL FROM")
                .doesNotContain("TLS=no RCPT TO").doesNotContain("TLS=no AUTH");
        assertThat(peerLog).doesNotContain("STORED");
        assertThat(james.logs()).contains("domain=" + domain + " level=verify source=policy_map")
                .contains("result=" + reason);
    }

    @Test
    void validChainFromTheConfiguredCaIsDelivered() throws Exception {
        GenericContainer<?> peer = PEERS.get(VALID);
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> peer.getLogs().contains("STORED 1"));
        String log = peer.getLogs();
        assertThat(log).contains("PEER TLS=no STARTTLS").contains("HANDSHAKE ok TLSv1.").contains("PEER TLS=yes MAIL FROM:<" + ALICE + ">")
                .doesNotContain("TLS=no MAIL FROM");
        String stored = peer.execInContainer("cat", "/peer/inbox/1.eml").getStdout();
        assertThat(stored).contains("Subject: TLS test to " + VALID);
        assertThat(james.logs()).contains("domain=" + VALID + " level=verify").contains("result=sent");
    }

    /**
     * A clean mail with a 5 MiB attachment that cannot be delivered: the DSN returning it (an attached message
     * larger than {@code RewriteLinks}' {@code maxPartBytes}) reaches the sender's INBOX, its links scanned, and not
     * the link quarantine as unexamined mail. Bob's own mailbox, so that the other tests' reads of Alice's stay small.
     */
    @Test
    void aBounceReturningALargeMessageReachesTheSender() throws Exception {
        james.webAdmin().addUser(BOB, PASSWORD);
        String to = "large@selfsigned.test";
        StringBuilder minutes = new StringBuilder();
        for (int i = 0; minutes.length() < 5 * 1024 * 1024; i++) {
            minutes.append("Minutes of the planning meeting, item ").append(i).append(": budgets reviewed, no action.\n");
        }
        String raw = "From: " + BOB + "\r\nTo: " + to + "\r\nSubject: Large minutes\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"m\"\r\n\r\n--m\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n"
                + "The minutes are attached, and on https://intranet.tollgate.test/minutes\r\n--m\r\n"
                + "Content-Type: text/plain; charset=us-ascii; name=minutes.txt\r\n"
                + "Content-Disposition: attachment; filename=minutes.txt\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + java.util.Base64.getMimeEncoder().encodeToString(minutes.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                + "\r\n--m--\r\n";
        james.submit(BOB, PASSWORD, raw.getBytes(java.nio.charset.StandardCharsets.US_ASCII), to);

        String dsn = james.imap(BOB, PASSWORD).awaitMessageContaining(to, Duration.ofSeconds(150));
        assertThat(dsn.length()).as("the DSN returns the whole message").isGreaterThan(5 * 1024 * 1024);
        assertThat(dsn).contains("Diagnostic-Code:").contains("certificate-not-trusted").contains("Subject: Large minutes");
        assertThat(dsn).containsPattern("X-Tollgate-Links: verdict=clean; links=[1-9]").doesNotContain("unexamined=");
        String quarantine = "memory://var/mail/link-quarantine/";
        if (dev.tollgate.it.harness.MailAccounting.repositoryExists(james.webAdmin(), quarantine)) {
            assertThat(james.webAdmin().mailKeys(quarantine)).as(quarantine).isEmpty();
        }
    }
}
