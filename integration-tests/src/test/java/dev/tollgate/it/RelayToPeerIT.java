package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;

import dev.tollgate.it.harness.JamesContainer;
import dev.tollgate.it.harness.Messages;
import dev.tollgate.it.harness.PartnerMx;
import dev.tollgate.it.harness.Teardown;

/**
 * The peer harness end to end: a DNS container serves the MX of {@code peer.test}; James (pointed at that
 * DNS) relays an authenticated submission through RemoteDelivery to a receiving MTA container. All traffic
 * stays on the tests' Docker network.
 */
class RelayToPeerIT {
    static final String DOMAIN = "tollgate.test";
    static final String ALICE = "alice@" + DOMAIN;
    static final String PASSWORD = "s3cret-Passw0rd";

    static Network network;
    static GenericContainer<?> sink;
    static GenericContainer<?> dns;
    static JamesContainer james;

    @BeforeAll
    static void start() {
        PartnerMx partner = PartnerMx.start("peer.test");
        network = partner.network();
        sink = partner.sink();
        dns = partner.dns();
        james = partner.james();
        james.start();
        james.webAdmin().addDomain(DOMAIN).addUser(ALICE, PASSWORD);
    }

    @AfterAll
    static void stop() {
        Teardown.stopAll(network, james, dns, sink);
    }

    @Test
    void submissionIsRelayedToTheMxTheDnsPeerServes() throws Exception {
        james.submit(ALICE, PASSWORD, Messages.text(ALICE, "someone@peer.test", "To the peer", "hello peer"), "someone@peer.test");
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> sink.getLogs().contains("SINK STORED 1"));
        String stored = sink.execInContainer("cat", "/peer/inbox/1.eml").getStdout();
        assertThat(stored).contains("Subject: To the peer")
                .contains("X-Tollgate-Transport: tls=yes").contains("port=587").contains("user=" + ALICE);
        assertThat(sink.getLogs()).contains("SINK MAIL FROM:<" + ALICE + ">");
        assertThat(dns.getLogs()).contains("query[MX] peer.test");
    }
}
