package dev.tollgate.it.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.Network;
import org.testcontainers.utility.MountableFile;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;

import dev.tollgate.core.config.Parameters;
import dev.tollgate.core.links.LinkKeyRing;
import dev.tollgate.core.mfa.AppPasswordHasher;
import dev.tollgate.core.mfa.AppPasswordScope;
import dev.tollgate.core.mfa.MfaService;
import dev.tollgate.core.mfa.MfaServiceConfig;
import dev.tollgate.core.mfa.OtpAuthUri;
import dev.tollgate.core.mfa.RecordSealer;
import dev.tollgate.core.mfa.Totp;
import dev.tollgate.core.state.file.FileLinkKeyStore;
import dev.tollgate.core.state.file.FileStateStore;
import dev.tollgate.core.state.memory.InMemoryFailureLog;
import dev.tollgate.it.harness.CassandraContainer;
import dev.tollgate.it.harness.ItSettings;
import dev.tollgate.it.harness.JamesContainer;
import dev.tollgate.it.harness.SmtpClient;
import dev.tollgate.it.harness.Teardown;

/**
 * {@code tollgate state migrate} (the shipped {@code cli/target/tollgate.jar}, run as a process) from a single
 * node's MFA store directory and link key file to a Cassandra keyspace: the dry run writes nothing (not even the
 * keyspace), the real run copies the sealed bytes as they are and the link keys sealed, a second run copies nothing,
 * and a James started on that keyspace takes the migrated user's password+code and app password over SMTP
 * submission and redirects a link signed before the migration.
 */
class StateMigrationIT {
    static final String DOMAIN = "migrate.test";
    static final String USER = "moved@" + DOMAIN;
    static final String PASSWORD = "Winter123456";
    static final String KEYSPACE = "tollgate_migrated";
    static final int REDIRECTOR = 8480;

    static Network network;
    static CassandraContainer cassandra;
    static Path work;
    static Path store;
    static Path mfaKey;
    static Path linkKeys;
    static Path properties;
    static OtpAuthUri enrolled;
    static String appPassword;
    static String token;
    static long usedStep;

    @BeforeAll
    static void prepare() throws Exception {
        work = Files.createDirectories(ItSettings.workDir().resolve("state-migration-" + System.nanoTime()));
        store = work.resolve("mfa-store");
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        mfaKey = work.resolve("tollgate-mfa.key");
        Files.writeString(mfaKey, Base64.getEncoder().encodeToString(key) + "\n");
        Files.setPosixFilePermissions(mfaKey, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        // A single node's state, written by the engines James runs: enrolment, app password, link key file.
        MfaService mfa = new MfaService(FileStateStore.open(store, InMemoryFailureLog.create()), new RecordSealer(key),
                MfaServiceConfig.parse(Parameters.empty()), AppPasswordHasher.defaults(), Clock.systemUTC());
        enrolled = mfa.enroll(USER);
        Totp totp = enrolled.totpBuilder().build();
        Instant now = Instant.now();
        mfa.confirm(USER, totp.generate(enrolled.secret(), now));
        appPassword = mfa.createAppPassword(USER, totp.generate(enrolled.secret(), now.plusSeconds(30)), "Phone",
                Set.of(AppPasswordScope.SMTP)).plaintext();
        usedStep = now.getEpochSecond() / 30 + 1;
        linkKeys = work.resolve("tollgate-links.keys");
        LinkKeyRing ring = LinkKeyRing.open(FileLinkKeyStore.of(linkKeys), "file", LinkKeyRing.Protection.CLEAR, true,
                Duration.ofMinutes(1), Clock.systemUTC());
        token = ring.signer(Duration.ZERO).sign("https://docs.example/handbook", "", "<before@migration>");

        network = Network.newNetwork();
        cassandra = new CassandraContainer().withNetwork(network).withNetworkAliases("cassandra");
        cassandra.start();
        properties = work.resolve("tollgate-state.properties");
        Files.writeString(properties, "cassandra.contactPoints=" + cassandra.contactPoint() + "\ncassandra.keyspace="
                + KEYSPACE + "\ncassandra.requestTimeout=10s\n");
    }

    @AfterAll
    static void stop() {
        Teardown.stopAll(network, cassandra);
    }

    static final class Run {
        final int exit;
        final String out;

        Run(int exit, String out) {
            this.exit = exit;
            this.out = out;
        }
    }

    /** Runs the shipped command in its own JVM. */
    static Run migrate(String... extra) throws Exception {
        Path jar = Paths.get("..", "cli", "target", "tollgate.jar").toAbsolutePath().normalize();
        assertThat(jar).as("built by the reactor before the container tests").isRegularFile();
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-jar",
                jar.toString(), "state", "migrate", "--from", "file:" + store, "--to", "cassandra:" + properties,
                "--link-keys", linkKeys.toString(), "--mfa-key", mfaKey.toString()));
        command.addAll(List.of(extra));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    static CqlSession cql() {
        return CqlSession.builder().addContactPoint(new InetSocketAddress(cassandra.getHost(), cassandra.getMappedPort(CassandraContainer.CQL)))
                .withLocalDatacenter("datacenter1").build();
    }

    static List<Row> rows(CqlSession s, String table) {
        return s.execute("SELECT * FROM " + KEYSPACE + "." + table).all();
    }

    static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    @Test
    void aDryRunWritesNothingTheRunCopiesSealedBytesARerunCopiesNothingAndJamesServesTheMigratedUser() throws Exception {
        Run dry = migrate("--dry-run");
        assertThat(dry.exit).as(dry.out).isZero();
        assertThat(dry.out).contains("dry run: would copy 1 enrolments").contains("dry run: would copy 1 link keys");
        try (CqlSession s = cql()) {
            assertThat(s.getMetadata().getKeyspace(KEYSPACE)).as("the dry run created nothing").isEmpty();
        }

        Run real = migrate();
        assertThat(real.exit).as(real.out).isZero();
        assertThat(real.out).contains("copied 1 enrolments").contains("0 conflicts").contains("copied 1 link keys");
        String record;
        try (CqlSession s = cql()) {
            List<Row> records = rows(s, "mfa_records");
            assertThat(records).hasSize(1);
            record = records.get(0).getString("name");
            assertThat(bytes(records.get(0).getByteBuffer("sealed"))).as("the sealed bytes, as the file holds them")
                    .isEqualTo(Files.readAllBytes(store.resolve(record)));
            assertThat(rows(s, "totp_watermarks")).extracting(r -> r.getLong("step")).containsExactly(usedStep);
            List<Row> keys = rows(s, "link_keys");
            assertThat(keys).hasSize(1);
            byte[] plain = FileLinkKeyStore.of(linkKeys).keys().get(0).material();
            byte[] stored = bytes(keys.get(0).getByteBuffer("material"));
            assertThat(keys.get(0).getString("id")).isEqualTo(FileLinkKeyStore.of(linkKeys).keys().get(0).id());
            assertThat(stored).as("sealed, not the key").isNotEqualTo(plain).hasSize(4 + 12 + 32 + 16);
            assertThat(Base64.getEncoder().encodeToString(stored)).doesNotContain(Base64.getEncoder().encodeToString(plain));
        }

        Run again = migrate();
        assertThat(again.exit).as(again.out).isZero();
        assertThat(again.out).contains("copied 0 enrolments").contains("1 already there, 0 conflicts")
                .contains("copied 0 link keys");
        try (CqlSession s = cql()) {
            assertThat(rows(s, "mfa_records")).hasSize(1);
            assertThat(rows(s, "link_keys")).hasSize(1);
        }

        try (JamesContainer james = new JamesContainer().withNetwork(network)
                .withExposedPorts(JamesContainer.SMTP, JamesContainer.SUBMISSION, JamesContainer.WEBADMIN, REDIRECTOR)
                .withConfFile("tollgate-state.properties", "backend=cassandra\ncassandra.session=own\n"
                        + "cassandra.contactPoints=cassandra:9042\ncassandra.keyspace=" + KEYSPACE + "\ncassandra.requestTimeout=5s\n")
                .withCopyFileToContainer(MountableFile.forHostPath(mfaKey, 0600), "/root/conf/tollgate-mfa.key")) {
            james.start();
            james.webAdmin().addDomain(DOMAIN).addUser(USER, PASSWORD);
            assertThat(auth(james, USER, PASSWORD).code).as("bare password of an enrolled user").isEqualTo(535);
            // That failure starts the throttle's backoff (baseDelay 1 s): an attempt inside it is answered 454.
            Thread.sleep(2_500);
            while (Instant.now().getEpochSecond() / 30 <= usedStep) {
                Thread.sleep(1000);
            }
            String code = enrolled.totpBuilder().build().generate(enrolled.secret(), Instant.now());
            SmtpClient.Reply withCode = auth(james, USER, PASSWORD + code);
            assertThat(withCode.code).as(withCode.text).isEqualTo(235);
            SmtpClient.Reply app = auth(james, USER, appPassword);
            assertThat(app.code).as(app.text).isEqualTo(235);
            assertThat(james.logs()).contains("keys from state store cassandra:cassandra:9042/" + KEYSPACE);
            HttpResponse<String> click = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build().send(
                    HttpRequest.newBuilder(URI.create("http://" + james.getHost() + ":" + james.getMappedPort(REDIRECTOR)
                            + "/r/" + token)).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(click.statusCode()).as("a link signed before the migration").isEqualTo(302);
            assertThat(click.headers().firstValue("Location")).hasValue("https://docs.example/handbook");
        }
    }

    static SmtpClient.Reply auth(JamesContainer node, String user, String credential) throws IOException {
        try (SmtpClient smtp = node.smtp(JamesContainer.SUBMISSION)) {
            smtp.ehlo("client.test");
            assertThat(smtp.startTls().code).isEqualTo(220);
            smtp.ehlo("client.test");
            return smtp.authPlain(user, credential);
        }
    }
}
