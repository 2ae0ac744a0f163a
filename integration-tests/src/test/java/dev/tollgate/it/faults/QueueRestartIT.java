package dev.tollgate.it.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.output.FrameConsumerResultCallback;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.output.ToStringConsumer;
import org.testcontainers.utility.DockerImageName;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;

import dev.tollgate.it.harness.MailAccounting;
import dev.tollgate.it.harness.Images;
import dev.tollgate.it.harness.JamesContainer;
import dev.tollgate.it.harness.Messages;
import dev.tollgate.it.harness.Peers;
import dev.tollgate.it.harness.WebAdmin;
import dev.tollgate.it.harness.Teardown;

/**
 * James (memory app, the shipped conf/) stopped with mail deferred in Tollgate's outgoing queue, then the same
 * container started again: what the restart loses, counted exactly.
 *
 * <p>Mail to {@code partner.test} is deferred (its MX resolves to a host where nothing listens on port 25), so it
 * waits in {@code tollgate-outgoing} for the next retry. One more mail is delivered to a local mailbox. Then
 * {@code docker stop} (SIGTERM, James shuts down normally) and {@code docker start} of the same container.
 *
 * <p>Observed and asserted: before the stop the queue holds exactly the {@value #DEFERRED} deferred mails; after
 * the start it holds 0, the domain and users added through WebAdmin are gone, the local mailbox is empty, and no
 * mail repository holds anything: every accepted message is lost ({@value #DEFERRED} + 1 of
 * {@value #DEFERRED} + 1), and no DSN will tell the sender. docs/operations.md says so.
 */
class QueueRestartIT {
    static final String DOMAIN = "tollgate.test";
    static final String ALICE = "alice@" + DOMAIN;
    static final String BOB = "bob@" + DOMAIN;
    static final String CAROL = "carol@partner.test";
    static final String PASSWORD = "s3cret-Passw0rd";
    static final String QUEUE = "tollgate-outgoing";
    static final int DEFERRED = 5;
    static final List<String> REPOSITORIES = List.of("memory://var/mail/dlp-quarantine/", "memory://var/mail/error/",
            "memory://var/mail/tollgate-delivery-error/", "memory://var/mail/address-error/",
            "memory://var/mail/relay-denied/", "memory://var/mail/mfa-required/", "memory://var/mail/rrt-error/");
    static final Duration WAIT = Duration.ofMinutes(3);
    static final ObjectMapper JSON = new ObjectMapper();

    static Network network;
    static GenericContainer<?> dns;
    static GenericContainer<?> downPeer;
    static JamesContainer james;

    @BeforeAll
    static void start() {
        network = Network.newNetwork();
        // partner.test's MX: a host on the network where nothing listens, so every connection to port 25 is refused.
        downPeer = new GenericContainer<>(DockerImageName.parse(Images.base())).withNetwork(network)
                .withNetworkAliases("mx.partner.test").withCommand("sleep", "infinity");
        downPeer.start();
        dns = Peers.dns(network, "dns", new Peers.DnsRecords().mx("partner.test", "mx.partner.test", 10)
                .a("mx.partner.test", Peers.ipOf(downPeer)));
        dns.start();
        // A busy machine can take minutes to start James.
        james = new JamesContainer().withNetwork(network).withNetworkAliases("james").withStartupTimeout(Duration.ofMinutes(6))
                .withConfFile("dnsservice.xml", Peers.dnsServiceXml(Peers.ipOf(dns)));
        james.start();
        james.webAdmin().addDomain(DOMAIN).addUser(ALICE, PASSWORD).addUser(BOB, PASSWORD);
    }

    @AfterAll
    static void stop() {
        Teardown.stopAll(network, james, dns, downPeer);
    }

    @Test
    void aRestartOfTheMemoryAppLosesTheDeferredMailAndEverythingElse() throws Exception {
        MailAccounting accounting = new MailAccounting();
        for (int i = 0; i < DEFERRED; i++) {
            String id = accounting.next("deferred");
            james.submit(ALICE, PASSWORD, Messages.text(ALICE, CAROL, "to the partner " + i, "hello", accounting.header(id)), CAROL);
            accounting.accepted(id, List.of(CAROL));
        }
        String local = accounting.next("local");
        james.submit(ALICE, PASSWORD, Messages.text(ALICE, BOB, "to bob", "hello", accounting.header(local)), BOB);
        accounting.accepted(local, List.of(BOB));

        WebAdmin admin = james.webAdmin();
        // Each deferred mail had its first attempt (connection refused: temporary) and waits for the next retry.
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).until(() ->
                queueSize(admin) == DEFERRED && temporaryAttempts(admin) >= DEFERRED);
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptionsInstanceOf(IllegalStateException.class).until(() -> {
            accounting.clearFound();
            accounting.countMailbox(james.getHost(), james.getMappedPort(JamesContainer.IMAPS), BOB, PASSWORD);
            return accounting.placesOf(local).size() == 1;
        });
        assertThat(queueSize(admin)).isEqualTo(DEFERRED);

        DockerClient docker = james.getDockerClient();
        String id = james.getContainerId();
        docker.stopContainerCmd(id).withTimeout(60).exec();
        docker.startContainerCmd(id).exec();
        Map<ExposedPort, Ports.Binding[]> bindings = docker.inspectContainerCmd(id).exec().getNetworkSettings()
                .getPorts().getBindings();
        int webAdminPort = Integer.parseInt(bindings.get(ExposedPort.tcp(JamesContainer.WEBADMIN))[0].getHostPortSpec());
        int imapsPort = Integer.parseInt(bindings.get(ExposedPort.tcp(JamesContainer.IMAPS))[0].getHostPortSpec());
        WebAdmin restarted = new WebAdmin("http://" + james.getHost() + ":" + webAdminPort);
        Awaitility.await().atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofSeconds(2))
                .ignoreExceptionsInstanceOf(IllegalStateException.class)
                .until(() -> restarted.send("GET", "/domains", null).statusCode() == 200);
        String logs = logsOfBothRuns(docker, id);
        assertThat(logs.split("JAMES server started", -1)).as("two starts of James in one container").hasSize(3);

        // The queue and every repository are empty; the domain and users are gone too.
        assertThat(queueSize(restarted)).isZero();
        assertThat(restarted.send("GET", "/domains", null).body()).doesNotContain(DOMAIN);
        assertThat(restarted.send("GET", "/users", null).body()).doesNotContain(ALICE).doesNotContain(BOB);
        restarted.addDomain(DOMAIN).addUser(ALICE, PASSWORD).addUser(BOB, PASSWORD);
        accounting.clearFound();
        accounting.countMailbox(james.getHost(), imapsPort, BOB, PASSWORD);
        accounting.countMailbox(james.getHost(), imapsPort, ALICE, PASSWORD);
        for (String repository : REPOSITORIES) {
            accounting.countRepository(restarted, repository, "repository:" + repository);
        }
        MailAccounting.Report report = accounting.report();
        List<String> all = new ArrayList<>();
        for (String accepted : accounting.acceptedIds()) {
            all.add(accepted + " " + (accepted.equals(local) ? BOB : CAROL));
        }
        java.util.Collections.sort(all);
        assertThat(report.missing).as("lost by the restart").containsExactlyElementsOf(all).hasSize(DEFERRED + 1);
        assertThat(report.duplicated).isEmpty();
        assertThat(report.unknown).isEmpty();
    }

    static int queueSize(WebAdmin admin) throws Exception {
        HttpResponse<String> r = admin.send("GET", "/mailQueues/" + QUEUE, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode queue = JSON.readTree(r.body());
        return queue.path("size").asInt(-1);
    }

    /** @return the delivery attempts counted as temporary failures since James started */
    static double temporaryAttempts(WebAdmin admin) {
        double sum = 0;
        for (String line : admin.send("GET", "/metrics", null).body().split("\n")) {
            if (line.startsWith("tollgate_tls_delivery") && line.contains("temporary")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    /** The container's whole log, read again until it shows James's second start (WebAdmin answers a bit before). */
    static String logsOfBothRuns(DockerClient docker, String id) throws Exception {
        java.util.concurrent.atomic.AtomicReference<String> logs = new java.util.concurrent.atomic.AtomicReference<>("");
        Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            ToStringConsumer consumer = new ToStringConsumer();
            try (FrameConsumerResultCallback callback = new FrameConsumerResultCallback()) {
                callback.addConsumer(OutputFrame.OutputType.STDOUT, consumer);
                callback.addConsumer(OutputFrame.OutputType.STDERR, consumer);
                docker.logContainerCmd(id).withStdOut(true).withStdErr(true).exec(callback).awaitCompletion();
            }
            logs.set(consumer.toUtf8String());
            return logs.get().split("JAMES server started", -1).length >= 3;
        });
        return logs.get();
    }
}
