package dev.tollgate.it.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.Container.ExecResult;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tollgate.core.mfa.OtpAuthUri;
import dev.tollgate.core.mfa.Totp;
import dev.tollgate.it.harness.JamesContainer;
import dev.tollgate.it.harness.SmtpClient;
import dev.tollgate.it.harness.WebAdmin;

/**
 * The MFA state store (file backend, the shipped default) unavailable while MFA authentications flow, then back,
 * without restarting James.
 *
 * <p>The fault: the store directory ({@code /root/var/tollgate/mfa}, {@code store.directory}'s default under
 * James's working directory) is moved away, as an unmounted or lost volume would leave it. Permissions cannot
 * stand in for it: James runs as root in the container, and root reads a {@code chmod 000} directory.
 *
 * <p>Asserted while the directory is away: every AUTH of an enrolled user is answered {@code 454 4.7.0}, whether
 * with an app password (the flowing load), password and a fresh TOTP code, or the bare password (which must not
 * pass as "not enrolled"), and so is an unenrolled user's password (the store cannot tell who is enrolled); never
 * {@code 235}; the health check {@code Tollgate MFA store} is unhealthy. After the
 * directory is back: the very code refused with 454 is accepted ({@code 235}: it was not used up), the user is not
 * locked out although more 454s were answered than the lockout threshold, the app passwords pass again, and the
 * health check is healthy.
 */
class MfaStateOutageIT {
    static final String DOMAIN = "mfa.test";
    static final String TOTP_USER = "totp@" + DOMAIN;
    static final String APPS_USER = "apps@" + DOMAIN;
    static final String PLAIN_USER = "plain@" + DOMAIN;
    static final String PASSWORD = "Winter123456";
    static final String STORE = "/root/var/tollgate/mfa";
    static final int LOCKOUT_THRESHOLD = 3;
    static final ObjectMapper JSON = new ObjectMapper();

    static JamesContainer james;

    @BeforeAll
    static void start() {
        // A busy machine can take minutes to start James.
        james = new JamesContainer().withStartupTimeout(Duration.ofMinutes(6)).withConfFile("tollgate-mfa.properties",
                "throttle.baseDelay=1ms\nthrottle.maxDelay=1ms\nthrottle.lockoutDuration=10m\n"
                        + "throttle.userLockoutThreshold=" + LOCKOUT_THRESHOLD + "\nthrottle.ipLockoutThreshold=1000\n"
                        + "policy=optional\n");
        james.start();
        james.webAdmin().addDomain(DOMAIN).addUser(TOTP_USER, PASSWORD).addUser(APPS_USER, PASSWORD)
                .addUser(PLAIN_USER, PASSWORD);
    }

    @AfterAll
    static void stop() {
        if (james != null) {
            james.stop();
        }
    }

    /** One AUTH of the flowing load: when it was sent, when answered, and the reply code. */
    static final class Attempt {
        final Instant sent;
        final Instant answered;
        final int code;

        Attempt(Instant sent, Instant answered, int code) {
            this.sent = sent;
            this.answered = answered;
            this.code = code;
        }

        @Override
        public String toString() {
            return code + " [" + sent + " .. " + answered + "]";
        }
    }

    @Test
    void authAnswers454WhileTheStoreIsGoneAndPassesAgainOnceItIsBack() throws Exception {
        OtpAuthUri totpUri = enrol(TOTP_USER);
        Totp totp = totpUri.totpBuilder().build();
        OtpAuthUri appsUri = enrol(APPS_USER);
        String appPassword = appPassword(APPS_USER, appsUri);
        assertThat(execOk("ls", STORE).getStdout()).contains(".mfa");
        assertThat(health()).isEqualTo("healthy");

        // The load: the app password, over and over, from two clients.
        List<Attempt> attempts = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stopLoad = new AtomicBoolean();
        ExecutorService load = Executors.newFixedThreadPool(2);
        List<Future<?>> loaders = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            loaders.add(load.submit(() -> {
                while (!stopLoad.get()) {
                    try (SmtpClient smtp = submission()) {
                        Instant sent = Instant.now();
                        int code = smtp.authPlain(APPS_USER, appPassword).code;
                        attempts.add(new Attempt(sent, Instant.now(), code));
                    }
                    Thread.sleep(100);
                }
                return null;
            }));
        }
        try {
            Thread.sleep(2000);
            // the move takes effect before docker exec returns: attempts answered in between are neither side
            Instant moving = Instant.now();
            execOk("mv", STORE, STORE + ".away");
            Instant outageStarted = Instant.now();

            String code = totp.generate(totpUri.secret(), Instant.now().plusSeconds(30));
            for (int i = 0; i < LOCKOUT_THRESHOLD + 2; i++) {
                SmtpClient.Reply r = auth(TOTP_USER, PASSWORD + code);
                assertThat(r.code).as(r.toString()).isEqualTo(454);
                assertThat(r.text).startsWith("4.7.0");
            }
            assertThat(auth(TOTP_USER, PASSWORD).code).as("bare password of an enrolled user").isEqualTo(454);
            assertThat(auth(APPS_USER, appPassword).code).isEqualTo(454);
            assertThat(auth(PLAIN_USER, PASSWORD).code).as("unenrolled user: the store cannot say so").isEqualTo(454);
            assertThat(health()).isEqualTo("unhealthy");
            Thread.sleep(2000);

            Instant outageEnding = Instant.now();
            execOk("mv", STORE + ".away", STORE);
            Instant back = Instant.now();

            SmtpClient.Reply same = auth(TOTP_USER, PASSWORD + code);
            assertThat(same.code).as("the code refused with 454, after the store is back: " + same).isEqualTo(235);
            assertThat(auth(APPS_USER, appPassword).code).isEqualTo(235);
            assertThat(auth(PLAIN_USER, PASSWORD).code).isEqualTo(235);
            assertThat(health()).isEqualTo("healthy");
            Thread.sleep(2000);
            stopLoad.set(true);
            for (Future<?> f : loaders) {
                f.get(2, TimeUnit.MINUTES);
            }

            List<Attempt> during = new ArrayList<>();
            List<Attempt> before = new ArrayList<>();
            List<Attempt> after = new ArrayList<>();
            synchronized (attempts) {
                for (Attempt a : attempts) {
                    if (a.sent.isAfter(outageStarted) && a.answered.isBefore(outageEnding)) {
                        during.add(a);
                    } else if (a.answered.isBefore(moving)) {
                        before.add(a);
                    } else if (a.sent.isAfter(back.plusMillis(500))) {
                        after.add(a);
                    }
                }
            }
            assertThat(before).isNotEmpty().allMatch(a -> a.code == 235, "235 before the outage");
            assertThat(during).isNotEmpty().allMatch(a -> a.code == 454, "454 during the outage");
            assertThat(after).isNotEmpty().allMatch(a -> a.code == 235, "235 after the outage");
            assertThat(attempts).allMatch(a -> a.code == 235 || a.code == 454, "only 235 or 454");
        } finally {
            stopLoad.set(true);
            load.shutdownNow();
        }
        assertThat(james.logs()).contains("var/tollgate/mfa is missing");
    }

    static ExecResult execOk(String... command) throws Exception {
        ExecResult r = james.execInContainer(command);
        assertThat(r.getExitCode()).as(String.join(" ", command) + ": " + r.getStderr()).isZero();
        return r;
    }

    static String health() throws Exception {
        HttpResponse<String> r = james.webAdmin().send("GET", "/healthcheck/checks/Tollgate%20MFA%20store", null);
        return JSON.readTree(r.body()).path("status").asText(r.statusCode() + " " + r.body());
    }

    static SmtpClient submission() {
        SmtpClient smtp = james.smtp(JamesContainer.SUBMISSION);
        smtp.ehlo("client.test");
        assertThat(smtp.startTls().code).isEqualTo(220);
        smtp.ehlo("client.test");
        return smtp;
    }

    static SmtpClient.Reply auth(String user, String credential) {
        try (SmtpClient smtp = submission()) {
            return smtp.authPlain(user, credential);
        }
    }

    /** Enrols and confirms with the code of the current step; @return the otpauth URI the app would hold */
    static OtpAuthUri enrol(String user) throws Exception {
        WebAdmin admin = james.webAdmin();
        HttpResponse<String> started = admin.send("POST", "/mfa/users/" + user + "/totp", "");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        OtpAuthUri uri = OtpAuthUri.parse(JSON.readTree(started.body()).get("otpauthUri").asText());
        String code = uri.totpBuilder().build().generate(uri.secret(), Instant.now());
        HttpResponse<String> confirmed = admin.send("POST", "/mfa/users/" + user + "/totp/confirm", "{\"code\":\"" + code + "\"}");
        assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(204);
        return uri;
    }

    /** Creates an smtp-scoped app password, proving the code of the next step. */
    static String appPassword(String user, OtpAuthUri uri) throws Exception {
        String code = uri.totpBuilder().build().generate(uri.secret(), Instant.now().plusSeconds(30));
        HttpResponse<String> created = james.webAdmin().send("POST", "/mfa/users/" + user + "/app-passwords",
                "{\"code\":\"" + code + "\",\"label\":\"load\",\"scopes\":[\"smtp\"]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode body = JSON.readTree(created.body());
        return body.get("password").asText();
    }
}
