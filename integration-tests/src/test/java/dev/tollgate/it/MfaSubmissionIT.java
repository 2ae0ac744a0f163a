package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.MultiFormatReader;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;

import dev.tollgate.core.mfa.OtpAuthUri;
import dev.tollgate.core.mfa.Totp;
import dev.tollgate.it.harness.JamesContainer;
import dev.tollgate.it.harness.Messages;
import dev.tollgate.it.harness.SmtpClient;
import dev.tollgate.it.harness.SmtpClient.Reply;
import dev.tollgate.it.harness.WebAdmin;

/**
 * MFA-backed submission end to end: the shipped conf/ with MfaAuthHook on 465/587, MfaModule,
 * the WebAdmin routes and RequireMfa, against a real James 3.8.1. Enrolment goes through WebAdmin; codes are
 * computed from the returned otpauth URI with Tollgate's TOTP engine. The lockout is shortened (6 s) and the
 * backoff made negligible (1 ms) through conf/tollgate-mfa.properties so the test does not wait minutes.
 * Each test uses its own users, so replay watermarks and failure counters do not interfere.
 */
@Testcontainers
class MfaSubmissionIT {
    static final String DOMAIN = "mfa.test";
    static final String STRICT = "strict.test";
    static final Duration WAIT = Duration.ofSeconds(60);
    static final Duration LOCKOUT = Duration.ofSeconds(6);
    static final ObjectMapper JSON = new ObjectMapper();
    /** Everything secret the tests handled: none of it may appear in James's log. */
    static final List<String> SECRETS = java.util.Collections.synchronizedList(new ArrayList<>());

    @Container
    static final JamesContainer JAMES = new JamesContainer()
            .withConfFile("tollgate-mfa.properties", "throttle.baseDelay=1ms\nthrottle.maxDelay=1ms\n"
                    + "throttle.lockoutDuration=" + LOCKOUT.getSeconds() + "s\nthrottle.userLockoutThreshold=10\n"
                    + "throttle.ipLockoutThreshold=1000\npolicy=optional\ndomainPolicies=" + STRICT + "=required\n");

    static final String[] PASSWORDS = {"a;b;c", "pa$$w0rd", "Winter123456"};

    @BeforeAll
    static void users() {
        WebAdmin admin = JAMES.webAdmin().addDomain(DOMAIN).addDomain(STRICT);
        for (int i = 0; i < PASSWORDS.length; i++) {
            admin.addUser("plain" + i + "@" + DOMAIN, PASSWORDS[i]);
            admin.addUser("totp" + i + "@" + DOMAIN, PASSWORDS[i]);
        }
        admin.addUser("replay@" + DOMAIN, "Winter123456").addUser("apps@" + DOMAIN, "a;b;c")
                .addUser("locked@" + DOMAIN, "pa$$w0rd").addUser("enrol@" + DOMAIN, "pa$$w0rd")
                .addUser("eve@" + STRICT, "Winter123456").addUser("rcpt@" + DOMAIN, "a;b;c");
    }

    @AfterAll
    static void logsHoldNoSecretsOrCodes() {
        String logs = JAMES.logs();
        assertThat(logs).contains("MFA: AUTH ok for").contains("Loading WebAdmin route extension");
        for (String secret : SECRETS) {
            assertThat(Pattern.compile("(?<![0-9A-Za-z])" + Pattern.quote(secret) + "(?![0-9A-Za-z])").matcher(logs).find())
                    .as("a secret or code appears in James's log").isFalse();
        }
    }

    /** An enrolled, confirmed user: the otpauth URI's TOTP parameters and secret, as the authenticator app has them. */
    static final class Enrolled {
        final OtpAuthUri uri;
        final Totp totp;

        Enrolled(OtpAuthUri uri) {
            this.uri = uri;
            this.totp = uri.totpBuilder().build();
        }

        /** @return the code of the step after now: later than the confirmed step, inside the ±1 window */
        String nextCode() {
            return remember(totp.generate(uri.secret(), Instant.now().plusSeconds(30)));
        }

        String code(Instant at) {
            return remember(totp.generate(uri.secret(), at));
        }
    }

    static String remember(String secret) {
        SECRETS.add(secret);
        return secret;
    }

    static Enrolled enrol(String user) throws Exception {
        WebAdmin admin = JAMES.webAdmin();
        HttpResponse<String> started = admin.send("POST", "/mfa/users/" + user + "/totp", "");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        JsonNode body = JSON.readTree(started.body());
        String uriText = body.get("otpauthUri").asText();
        OtpAuthUri uri = OtpAuthUri.parse(uriText);
        remember(uri.secret().toBase32());
        remember(uri.secret().toBase32().replace("=", ""));
        assertThat(uri.account()).isEqualTo(user);
        assertThat(uri.issuer()).isEqualTo("Tollgate");
        assertThat(decodeQr(Base64.getDecoder().decode(body.get("qrCodePng").asText()))).isEqualTo(uriText);

        Enrolled enrolled = new Enrolled(uri);
        HttpResponse<String> wrong = admin.send("POST", "/mfa/users/" + user + "/totp/confirm",
                "{\"code\":\"" + wrongCode(enrolled) + "\"}");
        assertThat(wrong.statusCode()).as(wrong.body()).isEqualTo(400);
        HttpResponse<String> confirmed = admin.send("POST", "/mfa/users/" + user + "/totp/confirm",
                "{\"code\":\"" + enrolled.code(Instant.now()) + "\"}");
        assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(204);
        return enrolled;
    }

    /** @return a well-formed code that matches no step of the window around now (nor the next one) */
    static String wrongCode(Enrolled e) {
        Set<String> valid = new java.util.HashSet<>();
        for (int i = -2; i <= 3; i++) {
            valid.add(e.totp.generate(e.uri.secret(), Instant.now().plusSeconds(30L * i)));
        }
        for (int n = 0; ; n++) {
            String candidate = String.format("%06d", (n * 7919 + 13) % 1_000_000);
            if (!valid.contains(candidate)) {
                return candidate;
            }
        }
    }

    static String decodeQr(byte[] png) throws Exception {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(image).isNotNull();
        // PURE_BARCODE: ZXing's general detector misses some larger synthetic codes (see QrCodesTest).
        return new MultiFormatReader().decode(new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image))),
                        java.util.Map.of(com.google.zxing.DecodeHintType.PURE_BARCODE, Boolean.TRUE))
                .getText();
    }

    static SmtpClient submission() {
        SmtpClient smtp = JAMES.smtp(JamesContainer.SUBMISSION);
        smtp.ehlo("client.test");
        assertThat(smtp.startTls().code).isEqualTo(220);
        smtp.ehlo("client.test");
        return smtp;
    }

    static Reply auth(String user, String credential) {
        try (SmtpClient smtp = submission()) {
            return smtp.authPlain(user, remember(credential));
        }
    }

    @Test
    void enrolledUserNeedsPasswordAndCodeAndTheMailCarriesTheMethod() throws Exception {
        String user = "totp2@" + DOMAIN;
        Enrolled e = enrol(user);
        assertThat(auth(user, "Winter123456").code).isEqualTo(535);
        assertThat(auth(user, "Winter123456").text).startsWith("5.7.8");

        String code = e.nextCode();
        try (SmtpClient smtp = submission()) {
            Reply ok = smtp.authPlain(user, remember("Winter123456" + code));
            assertThat(ok.code).as(ok.text).isEqualTo(235);
            assertThat(smtp.mailFrom(user).code).isEqualTo(250);
            assertThat(smtp.rcptTo("rcpt@" + DOMAIN).code).isEqualTo(250);
            assertThat(smtp.data(Messages.text(user, "rcpt@" + DOMAIN, "Sent with TOTP", "hello")).code).isEqualTo(250);
        }
        String received = JAMES.imap("rcpt@" + DOMAIN, "a;b;c").awaitMessageContaining("Sent with TOTP", WAIT);
        assertThat(SubmissionIT.headerLine(received, "Authentication-Results"))
                .contains("auth=pass (mfa=totp) smtp.auth=" + user);
        assertThat(received).doesNotContain(code).doesNotContain(e.uri.secret().toBase32().replace("=", ""));
    }

    @Test
    void theSameCodeTwiceIsAReplay() throws Exception {
        String user = "replay@" + DOMAIN;
        Enrolled e = enrol(user);
        String code = e.nextCode();
        assertThat(auth(user, "Winter123456" + code).code).isEqualTo(235);
        Reply replay = auth(user, "Winter123456" + code);
        assertThat(replay.code).isEqualTo(535);
        assertThat(replay.text).startsWith("5.7.8");
    }

    @Test
    void appPasswordWorksUntilRevoked() throws Exception {
        String user = "apps@" + DOMAIN;
        Enrolled e = enrol(user);
        WebAdmin admin = JAMES.webAdmin();
        HttpResponse<String> refused = admin.send("POST", "/mfa/users/" + user + "/app-passwords",
                "{\"label\":\"Thunderbird\",\"code\":\"" + wrongCode(e) + "\"}");
        assertThat(refused.statusCode()).isEqualTo(400);
        HttpResponse<String> created = admin.send("POST", "/mfa/users/" + user + "/app-passwords",
                "{\"label\":\"Thunderbird\",\"scopes\":[\"smtp\"],\"code\":\"" + e.nextCode() + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode body = JSON.readTree(created.body());
        String appPassword = remember(body.get("password").asText());
        remember(appPassword.replace("-", ""));
        String id = body.get("id").asText();

        try (SmtpClient smtp = JAMES.smtp(JamesContainer.SMTPS)) {
            smtp.ehlo("client.test");
            assertThat(smtp.authPlain(user, appPassword).code).isEqualTo(235);
        }
        assertThat(auth(user, appPassword).code).isEqualTo(235);
        JsonNode listed = JSON.readTree(admin.send("GET", "/mfa/users/" + user + "/app-passwords", null).body());
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("lastUsed").isNull()).isFalse();
        assertThat(listed.toString()).doesNotContain(appPassword).doesNotContain("argon2");

        assertThat(admin.send("DELETE", "/mfa/users/" + user + "/app-passwords/" + id, null).statusCode()).isEqualTo(204);
        assertThat(auth(user, appPassword).code).isEqualTo(535);
        assertThat(admin.send("DELETE", "/mfa/users/" + user + "/app-passwords/" + id, null).statusCode()).isEqualTo(404);
    }

    @Test
    void tenWrongCodesLockTheUserUntilTheLockoutEnds() throws Exception {
        String user = "locked@" + DOMAIN;
        Enrolled e = enrol(user);
        String wrong = remember(wrongCode(e));
        for (int i = 0; i < 10; i++) {
            assertThat(auth(user, "pa$$w0rd" + wrong).code).as("attempt " + (i + 1)).isEqualTo(535);
        }
        Reply locked = auth(user, "pa$$w0rd" + e.nextCode());
        assertThat(locked.code).isEqualTo(454);
        assertThat(locked.text).startsWith("4.7.0");
        Thread.sleep(LOCKOUT.toMillis() + 1500);
        Reply after = auth(user, "pa$$w0rd" + e.nextCode());
        assertThat(after.code).as(after.text).isEqualTo(235);
    }

    @Test
    void authBeforeStartTlsIsRefused() {
        try (SmtpClient smtp = JAMES.smtp(JamesContainer.SUBMISSION)) {
            smtp.ehlo("client.test");
            Reply reply = smtp.authPlain("plain0@" + DOMAIN, "a;b;c");
            assertThat(reply.code).isEqualTo(530);
            assertThat(reply.text).startsWith("5.7.0");
        }
    }

    @Test
    void awkwardPasswordsWorkWithAndWithoutMfa() throws Exception {
        for (int i = 0; i < PASSWORDS.length; i++) {
            String plain = "plain" + i + "@" + DOMAIN;
            assertThat(auth(plain, PASSWORDS[i]).code).as(PASSWORDS[i]).isEqualTo(235);
            assertThat(auth(plain, PASSWORDS[i] + "x").code).as(PASSWORDS[i]).isEqualTo(535);
        }
        for (int i = 0; i < 2; i++) {
            String user = "totp" + i + "@" + DOMAIN;
            Enrolled e = enrol(user);
            assertThat(auth(user, PASSWORDS[i]).code).as(PASSWORDS[i]).isEqualTo(535);
            assertThat(auth(user, PASSWORDS[i] + e.nextCode()).code).as(PASSWORDS[i]).isEqualTo(235);
        }
    }

    @Test
    void requiredPolicyRefusesUsersWithoutEnrolment() {
        Reply reply = auth("eve@" + STRICT, "Winter123456");
        assertThat(reply.code).isEqualTo(535);
        assertThat(reply.text).contains("5.7.8").contains("Two-step verification is required");
    }

    @Test
    void enrolmentRoundTripThroughWebAdmin() throws Exception {
        String user = "enrol@" + DOMAIN;
        WebAdmin admin = JAMES.webAdmin();
        JsonNode before = JSON.readTree(admin.send("GET", "/mfa/users/" + user, null).body());
        assertThat(before.get("enrolled").asBoolean()).isFalse();
        Enrolled e = enrol(user);
        JsonNode after = JSON.readTree(admin.send("GET", "/mfa/users/" + user, null).body());
        assertThat(after.get("enrolled").asBoolean()).isTrue();
        assertThat(after.get("digits").asInt()).isEqualTo(e.uri.digits());
        assertThat(admin.send("POST", "/mfa/users/" + user + "/totp", "").statusCode()).isEqualTo(409);
        assertThat(admin.send("GET", "/mfa/users/nobody@" + DOMAIN, null).statusCode()).isEqualTo(404);

        // The URI's secret is the stored one: a code computed from it logs in.
        assertThat(auth(user, "pa$$w0rd" + e.nextCode()).code).isEqualTo(235);

        // Reset: the bare password works again (policy optional), the old secret is gone.
        assertThat(admin.send("DELETE", "/mfa/users/" + user, null).statusCode()).isEqualTo(204);
        assertThat(auth(user, "pa$$w0rd").code).isEqualTo(235);
    }


    /** WebAdmin has no authentication in conf/: a web page must not be able to drive the MFA routes (CSRF). */
    @Test
    void mfaRoutesRefuseCrossSiteRequests() {
        WebAdmin admin = JAMES.webAdmin();
        String user = "csrf@" + DOMAIN;
        admin.addUser(user, "Winter123456");
        assertThat(admin.sendRaw("POST", "/mfa/users/" + user + "/totp", "", "Origin", "https://evil.example").statusCode())
                .isEqualTo(403);
        assertThat(admin.sendRaw("DELETE", "/mfa/users/" + user, "", "Origin", "https://evil.example").statusCode())
                .isEqualTo(403);
        assertThat(admin.sendRaw("POST", "/mfa/users/" + user + "/totp/confirm", "{\"code\":\"123456\"}",
                "Content-Type", "text/plain").statusCode()).isEqualTo(415);
        // (James 3.8.1 answers every CORS preflight with "*" whatever cors.enable says: BrowserRequestGuard, and the
        // routes' own use of its rules, are what protect them; WebAdminBrowserGuardIT covers James's routes.)
        assertThat(admin.sendRaw("GET", "/mfa/users/" + user, "", "Origin", "https://evil.example").statusCode())
                .isEqualTo(403);
    }
}
