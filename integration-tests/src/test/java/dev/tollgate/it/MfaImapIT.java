package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tollgate.core.mfa.OtpAuthUri;
import dev.tollgate.core.mfa.Totp;
import dev.tollgate.it.harness.ImapClient;
import dev.tollgate.it.harness.JamesContainer;
import dev.tollgate.it.harness.Messages;
import dev.tollgate.it.harness.SmtpClient;
import dev.tollgate.it.harness.WebAdmin;

/**
 * MFA on IMAP end to end: the shipped conf/ (MfaImapPackage on 143 and 993, MfaAuthHook on 587) against a real
 * James 3.8.1, spoken to in raw IMAP so the exact tagged replies are asserted. A user locks after 4 failures
 * (lockout 6 s, backoff 1 ms) so the shared-lockout test stays short; every test has its own users.
 */
@Testcontainers
class MfaImapIT {
    static final String DOMAIN = "imap.test";
    static final String PASSWORD = "Winter123456";
    static final ObjectMapper JSON = new ObjectMapper();
    static final String FAILED = "NO [AUTHENTICATIONFAILED]";

    @Container
    static final JamesContainer JAMES = new JamesContainer()
            .withConfFile("tollgate-mfa.properties", "throttle.baseDelay=1ms\nthrottle.maxDelay=1ms\n"
                    + "throttle.lockoutDuration=6s\nthrottle.userLockoutThreshold=4\n"
                    + "throttle.ipLockoutThreshold=1000\npolicy=optional\n");

    @BeforeAll
    static void users() {
        WebAdmin admin = JAMES.webAdmin().addDomain(DOMAIN);
        for (String u : new String[] {"bare", "reader", "scopes", "scopes2", "locked", "plain", "coded", "sender"}) {
            admin.addUser(u + "@" + DOMAIN, PASSWORD);
        }
    }

    /** The enrolled user's authenticator: secret and TOTP parameters from the otpauth URI WebAdmin returned. */
    static final class Enrolled {
        final OtpAuthUri uri;
        final Totp totp;

        Enrolled(OtpAuthUri uri) {
            this.uri = uri;
            this.totp = uri.totpBuilder().build();
        }

        String code(int stepsFromNow) {
            return totp.generate(uri.secret(), Instant.now().plusSeconds(30L * stepsFromNow));
        }
    }

    static Enrolled enrol(String user) throws Exception {
        WebAdmin admin = JAMES.webAdmin();
        HttpResponse<String> started = admin.send("POST", "/mfa/users/" + user + "/totp", "");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        Enrolled e = new Enrolled(OtpAuthUri.parse(JSON.readTree(started.body()).get("otpauthUri").asText()));
        HttpResponse<String> confirmed = admin.send("POST", "/mfa/users/" + user + "/totp/confirm",
                "{\"code\":\"" + e.code(0) + "\"}");
        assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(204);
        return e;
    }

    /** Creates an app password with the given scopes; each creation uses up a later code (replay guard). */
    static String appPassword(String user, Enrolled e, int step, String label, String scopes) throws Exception {
        HttpResponse<String> created = JAMES.webAdmin().send("POST", "/mfa/users/" + user + "/app-passwords",
                "{\"code\":\"" + e.code(step) + "\",\"label\":\"" + label + "\",\"scopes\":[" + scopes + "]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return JSON.readTree(created.body()).get("password").asText();
    }

    static ImapClient imap143() {
        ImapClient imap = JAMES.imapClient(JamesContainer.IMAP);
        assertThat(imap.startTls().ok()).isTrue();
        return imap;
    }

    static ImapClient.Reply login(int port, String user, String credential) {
        try (ImapClient imap = port == JamesContainer.IMAP ? imap143() : JAMES.imapClient(port)) {
            return imap.login(user, credential);
        }
    }

    static SmtpClient.Reply smtpAuth(String user, String credential) {
        try (SmtpClient smtp = JAMES.smtp(JamesContainer.SUBMISSION)) {
            smtp.ehlo("client.test");
            assertThat(smtp.startTls().code).isEqualTo(220);
            smtp.ehlo("client.test");
            return smtp.authPlain(user, credential);
        }
    }

    @Test
    void enrolledUsersBarePasswordIsRefusedOn143AfterStartTlsAndOn993() throws Exception {
        String user = "bare@" + DOMAIN;
        enrol(user);
        ImapClient.Reply on143 = login(JamesContainer.IMAP, user, PASSWORD);
        assertThat(on143.status()).startsWith(FAILED + " LOGIN");
        ImapClient.Reply on993 = login(JamesContainer.IMAPS, user, PASSWORD);
        assertThat(on993.status()).startsWith(FAILED + " LOGIN");
        try (ImapClient imap = JAMES.imapClient(JamesContainer.IMAPS)) {
            ImapClient.Reply plain = imap.authenticatePlain(user, PASSWORD);
            assertThat(plain.status()).startsWith(FAILED + " AUTHENTICATE");
            assertThat(imap.command("SELECT INBOX").ok()).as("not authenticated").isFalse();
        }
        assertThat(JAMES.logsOnceContaining("MFA: IMAP AUTHENTICATE PLAIN failed for " + user)).doesNotContain(PASSWORD);
    }

    @Test
    void imapAppPasswordSelectsInboxAndFetchesAMessageAndItsUseIsListed() throws Exception {
        String user = "reader@" + DOMAIN;
        Enrolled e = enrol(user);
        String app = appPassword(user, e, 1, "Thunderbird", "\"imap\"");
        JAMES.submit("sender@" + DOMAIN, PASSWORD,
                Messages.text("sender@" + DOMAIN, user, "Read over IMAP", "hello"), user);

        for (int port : new int[] {JamesContainer.IMAP, JamesContainer.IMAPS}) {
            try (ImapClient imap = port == JamesContainer.IMAP ? imap143() : JAMES.imapClient(port)) {
                ImapClient.Reply ok = imap.login(user, app);
                assertThat(ok.ok()).as(ok.all()).isTrue();
                Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                        .until(() -> imap.command("SELECT INBOX").all().contains("1 EXISTS"));
                ImapClient.Reply fetched = imap.command("FETCH 1 BODY.PEEK[]");
                assertThat(fetched.ok()).as(fetched.all()).isTrue();
                assertThat(fetched.all()).contains("Subject: Read over IMAP").contains("hello");
            }
        }
        assertThat(JAMES.logsOnceContaining("MFA: IMAP LOGIN ok for " + user + " by app-password from"))
                .doesNotContain(app);

        JsonNode listed = JSON.readTree(JAMES.webAdmin().send("GET", "/mfa/users/" + user + "/app-passwords", "").body());
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("lastUsed").isTextual()).as(listed.toString()).isTrue();
        assertThat(listed.get(0).get("lastAddress").asText()).as(listed.toString()).matches("[0-9a-fA-F.:]+");
    }

    @Test
    void appPasswordScopesAreEnforcedPerProtocol() throws Exception {
        // One app password per user: each creation uses up a code, and the window holds one later step.
        String user = "scopes@" + DOMAIN;
        String smtpOnly = appPassword(user, enrol(user), 1, "phone mail", "\"smtp\"");
        String reader = "scopes2@" + DOMAIN;
        String imapOnly = appPassword(reader, enrol(reader), 1, "phone reader", "\"imap\"");

        assertThat(login(JamesContainer.IMAPS, user, smtpOnly).status()).startsWith(FAILED);
        assertThat(smtpAuth(reader, imapOnly).code).isEqualTo(535);
        assertThat(smtpAuth(user, smtpOnly).code).isEqualTo(235);
        assertThat(login(JamesContainer.IMAPS, reader, imapOnly).ok()).isTrue();
    }

    @Test
    void failuresOnImapAndSmtpShareOneLockout() throws Exception {
        String user = "locked@" + DOMAIN;
        Enrolled e = enrol(user);
        String app = appPassword(user, e, 1, "reader", "\"imap\",\"smtp\"");
        assertThat(login(JamesContainer.IMAPS, user, "wrong-1").status()).startsWith(FAILED);
        assertThat(login(JamesContainer.IMAP, user, "wrong-2").status()).startsWith(FAILED);
        assertThat(login(JamesContainer.IMAPS, user, "wrong-3").status()).startsWith(FAILED);
        assertThat(smtpAuth(user, "wrong-4").code).isEqualTo(535);

        // The fourth failure, on SMTP, locked the user everywhere: correct credentials are refused on both.
        ImapClient.Reply imapLocked = login(JamesContainer.IMAPS, user, app);
        assertThat(imapLocked.status()).startsWith("NO [UNAVAILABLE] LOGIN");
        assertThat(smtpAuth(user, app).code).isEqualTo(454);
        assertThat(JAMES.logsOnceContaining("MFA: " + user + " locked out of SMTP submission and IMAP")).isNotEmpty();

        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                .until(() -> login(JamesContainer.IMAPS, user, app).ok());
    }

    @Test
    void unenrolledUserUnderOptionalLogsInWithThePassword() {
        String user = "plain@" + DOMAIN;
        assertThat(login(JamesContainer.IMAP, user, PASSWORD).ok()).isTrue();
        try (ImapClient imap = JAMES.imapClient(JamesContainer.IMAPS)) {
            assertThat(imap.authenticatePlain(user, PASSWORD).ok()).isTrue();
            assertThat(imap.command("SELECT INBOX").ok()).isTrue();
        }
        assertThat(login(JamesContainer.IMAPS, user, "not-the-password").status()).startsWith(FAILED);
        assertThat(JAMES.logsOnceContaining("MFA: IMAP AUTHENTICATE PLAIN ok for " + user + " by password from"))
                .isNotEmpty();
    }

    @Test
    void passwordFollowedByTheCurrentCodeIsAcceptedOnImapOnceAndLoginNeedsStartTlsOn143() throws Exception {
        String user = "coded@" + DOMAIN;
        Enrolled e = enrol(user);
        try (ImapClient clear = JAMES.imapClient(JamesContainer.IMAP)) {
            assertThat(clear.login(user, PASSWORD + e.code(1)).status()).as("LOGIN before STARTTLS").startsWith("NO");
        }
        String code = e.code(1);
        assertThat(login(JamesContainer.IMAPS, user, PASSWORD + code).ok()).isTrue();
        assertThat(login(JamesContainer.IMAPS, user, PASSWORD + code).status()).as("replayed code").startsWith(FAILED);
        assertThat(smtpAuth(user, PASSWORD + code).code).as("replayed on SMTP").isEqualTo(535);
        assertThat(JAMES.logsOnceContaining("MFA: IMAP LOGIN ok for " + user + " by totp from")).isNotEmpty();
    }
}
