package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;

import dev.tollgate.core.mfa.OtpAuthUri;
import dev.tollgate.core.testing.TestIssuer;
import dev.tollgate.it.harness.ConfEdit;
import dev.tollgate.it.harness.JamesContainer;
import dev.tollgate.it.harness.Teardown;
import dev.tollgate.it.harness.Messages;
import dev.tollgate.it.harness.Peers;
import dev.tollgate.it.harness.SmtpClient;
import dev.tollgate.it.harness.SmtpClient.Reply;
import dev.tollgate.it.peers.OidcIssuer;

/**
 * OAUTHBEARER and XOAUTH2 (RFC 7628) on 587 against a real James 3.8.1 with {@code <oidc>} configured and a real
 * OpenID provider peer publishing a JWKS; tokens are RS256, signed by the test. James 3.8.1 drops a SASL hook's
 * 535 and takes its own hook's success, so each refusal is checked end to end: the reply code, and that the
 * session cannot then relay (MAIL FROM, RCPT to an external address). Also AUTH with an empty or blank
 * password (James turns AUTH PLAIN's into a delegation call), and the refusals of {@code MfaAuthHook} itself on a
 * submission server without {@code RequireStartTls} (port 2587, {@code oauth=deny}, {@code requireSSL=false}).
 *
 * <p>The throttle locks a user after 8 failures (backoff 1 ms), so each refusal kind has its own user.
 */
class OAuthSubmissionIT {
    static final String DOMAIN = "oauth.test";
    static final String ALICE = "alice@" + DOMAIN;
    static final String BOB = "bob@" + DOMAIN;
    static final String PASSWORD = "s3cret-Passw0rd";
    static final String AUDIENCE = "smtp.oauth.test";
    static final String ISSUER = "http://idp:8080";
    static final String EXTERNAL = "someone@elsewhere.test";
    static final int BARE = 2587;
    static final Duration WAIT = Duration.ofSeconds(60);
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TOLLGATE_535 = "5.7.8 Authentication credentials invalid; with two-step verification give "
            + "your password followed by the current code, or an app password";
    static final String OTP = ",\"amr\":[\"pwd\",\"otp\"]";

    static final TestIssuer ISSUER_KEYS = new TestIssuer("tollgate-it-1");
    static Network network;
    static GenericContainer<?> idp;
    static JamesContainer james;

    @BeforeAll
    static void start() throws Exception {
        network = Network.newNetwork();
        idp = Peers.java(network, "idp", OidcIssuer.class, ".*ISSUER READY.*\\n", "8080", ISSUER, ISSUER_KEYS.jwks());
        idp.start();
        String base = "http://" + Peers.ipOf(idp) + ":8080";
        james = new JamesContainer().withNetwork(network).withNetworkAliases("james")
                .withConfFile("tollgate-mfa.properties", "throttle.baseDelay=1ms\nthrottle.maxDelay=1ms\n"
                        + "throttle.userLockoutThreshold=8\nthrottle.ipLockoutThreshold=1000\nthrottle.lockoutDuration=10m\n")
                .withConfTransform("smtpserver.xml", xml -> withOidc(xml, base));
        james.addExposedPort(BARE);
        james.start();
        james.webAdmin().addDomain(DOMAIN).addUser(ALICE, PASSWORD).addUser(BOB, PASSWORD);
        for (String user : List.of("audience", "expired", "victim", "forged", "blank", "empty", "loginblank", "bare")) {
            james.webAdmin().addUser(user + "@" + DOMAIN, PASSWORD);
        }
        enrol(ALICE);
    }

    @AfterAll
    static void stop() {
        if (james != null) {
            assertThat(james.logs()).as("no token in James's log").doesNotContain(ISSUER_KEYS.sign("{}").split("\\.")[0] + ".eyJ");
        }
        Teardown.stopAll(network, james, idp);
    }

    /**
     * 587 gets {@code <oidc>} (JWKS of the peer, user claim {@code email}) and the hook's audience and issuer;
     * a copy of it on 2587 without {@code RequireStartTls} and {@code requireSSL}, with {@code oauth=deny}.
     */
    static String withOidc(String xml, String base) {
        String oidc = "<oidc><oidcConfigurationURL>" + base + "/.well-known/openid-configuration</oidcConfigurationURL>"
                + "<jwksURL>" + base + "/jwks</jwksURL><claim>email</claim><scope>email</scope></oidc>";
        int bind = xml.indexOf("<bind>0.0.0.0:587</bind>");
        assertThat(bind).as("smtpserver.xml: the submission server's <bind>0.0.0.0:587</bind>").isNotNegative();
        int start = xml.lastIndexOf("<smtpserver ", bind);
        int end = xml.indexOf("</smtpserver>", bind) + "</smtpserver>".length();
        assertThat(start).as("smtpserver.xml: <smtpserver> around port 587").isNotNegative();
        assertThat(end).as("smtpserver.xml: </smtpserver> after port 587").isGreaterThan(bind);
        String file = "smtpserver.xml (submission server on 587)";
        String submission = ConfEdit.of(file, xml.substring(start, end))
                .replaceOnce("<plainAuthEnabled>true</plainAuthEnabled>", "<plainAuthEnabled>true</plainAuthEnabled>" + oidc)
                .text();
        String tuned = ConfEdit.of(file, submission).replaceOnce("<requireTls>true</requireTls>",
                "<requireTls>true</requireTls><oauthAudience>" + AUDIENCE + "</oauthAudience><oauthIssuer>" + ISSUER
                        + "</oauthIssuer>").text();
        String bare = ConfEdit.of(file, submission)
                .replaceOnce("<bind>0.0.0.0:587</bind>", "<bind>0.0.0.0:" + BARE + "</bind>")
                .replaceOnce("<jmxName>smtpserver-submission</jmxName>", "<jmxName>smtpserver-bare</jmxName>")
                .replaceOnce("<requireSSL>true</requireSSL>", "<requireSSL>false</requireSSL>")
                .replaceOnce("<handler class=\"dev.tollgate.james.tls.RequireStartTls\"/>", "")
                .replaceOnce("<requireTls>true</requireTls>", "<requireTls>true</requireTls><oauth>deny</oauth>")
                .text();
        String result = xml.substring(0, start) + tuned + "\n    " + bare + xml.substring(end);
        assertThat(result).contains("<jwksURL>" + base + "/jwks</jwksURL>").contains("<oauthAudience>" + AUDIENCE)
                .contains("<bind>0.0.0.0:" + BARE + "</bind>").contains("<oauth>deny</oauth>")
                .contains("<requireSSL>false</requireSSL>");
        assertThat(bare).doesNotContain("RequireStartTls").contains("MfaAuthHook");
        return result;
    }

    static void enrol(String user) throws Exception {
        HttpResponse<String> started = james.webAdmin().send("POST", "/mfa/users/" + user + "/totp", "");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        OtpAuthUri uri = OtpAuthUri.parse(JSON.readTree(started.body()).get("otpauthUri").asText());
        String code = uri.totpBuilder().build().generate(uri.secret(), Instant.now());
        HttpResponse<String> confirmed = james.webAdmin().send("POST", "/mfa/users/" + user + "/totp/confirm",
                "{\"code\":\"" + code + "\"}");
        assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(204);
    }

    static String claims(String email, long expiresIn, String audience, String extra) {
        long now = Instant.now().getEpochSecond();
        return "{\"iss\":\"" + ISSUER + "\",\"sub\":\"" + email.hashCode() + "\",\"email\":\"" + email + "\",\"aud\":\""
                + audience + "\",\"iat\":" + now + ",\"exp\":" + (now + expiresIn) + extra + "}";
    }

    static String token(String email, String extra) {
        return ISSUER_KEYS.sign(claims(email, 300, AUDIENCE, extra));
    }

    static SmtpClient submission(int port) {
        SmtpClient smtp = james.smtp(port);
        smtp.ehlo("client.test");
        assertThat(smtp.startTls().code).isEqualTo(220);
        smtp.ehlo("client.test");
        return smtp;
    }

    /** One way of sending the initial response: mechanism, form, and whether it follows AUTH on the same line. */
    enum Form {
        XOAUTH2_INLINE("XOAUTH2", true), XOAUTH2_AFTER_334("XOAUTH2", false),
        OAUTHBEARER_INLINE("OAUTHBEARER", true), OAUTHBEARER_AFTER_334("OAUTHBEARER", false),
        /** The {@code n,user=} form of James's own parser (RFC 7628's {@code n,a=} form is not read by James). */
        OAUTHBEARER_JAMES_FORM("OAUTHBEARER", true);

        final String mechanism;
        final boolean inline;

        Form(String mechanism, boolean inline) {
            this.mechanism = mechanism;
            this.inline = inline;
        }

        String initial(String user, String token) {
            if (mechanism.equals("XOAUTH2")) {
                return TestIssuer.xoauth2(user, token);
            }
            return this == OAUTHBEARER_JAMES_FORM ? TestIssuer.oauthBearerJamesForm(user, token)
                    : TestIssuer.oauthBearer(user, token);
        }

        /** @return the server's reply to the initial response */
        Reply auth(SmtpClient smtp, String user, String token) {
            if (inline) {
                return smtp.command("AUTH " + mechanism + " " + initial(user, token));
            }
            Reply prompt = smtp.command("AUTH " + mechanism);
            assertThat(prompt.code).as(this + " prompt").isEqualTo(334);
            assertThat(prompt.text).as("RFC 4954 §4: empty challenge").isEmpty();
            return smtp.command(initial(user, token));
        }
    }

    /** RFC 7628 §3.2.2: the error status as a 334 challenge; the final reply answers the client's dummy %x01. */
    static Reply refusedAfterChallenge(SmtpClient smtp, Reply challenge, String status) throws Exception {
        assertThat(challenge.code).as(challenge.toString()).isEqualTo(334);
        JsonNode error = JSON.readTree(Base64.getDecoder().decode(challenge.text));
        assertThat(error.path("status").asText()).isEqualTo(status);
        assertThat(error.path("scope").asText()).isEqualTo("email");
        return smtp.command("AQ==");
    }

    /** After a refused AUTH the session relays nothing. */
    static void cannotRelay(SmtpClient smtp, String user) {
        Reply mail = smtp.mailFrom(user);
        assertThat(mail.code).as("MAIL FROM after a refused AUTH").isEqualTo(530);
        assertThat(mail.text).startsWith("5.7.1");
        smtp.command("RSET");
        assertThat(smtp.mailFrom("").code).isEqualTo(250);
        Reply rcpt = smtp.rcptTo(EXTERNAL);
        assertThat(rcpt.code).as("RCPT to an external address after a refused AUTH").isEqualTo(530);
    }

    @Test
    void oauthIsOfferedAfterStartTlsWithTheOidcConfiguration() {
        try (SmtpClient smtp = james.smtp(JamesContainer.SUBMISSION)) {
            assertThat(smtp.ehlo("client.test").text).doesNotContain("AUTH");
            assertThat(smtp.startTls().code).isEqualTo(220);
            assertThat(smtp.ehlo("client.test").text).contains("AUTH LOGIN PLAIN OAUTHBEARER XOAUTH2");
        }
    }

    /** The defect as found: a signed token without a second factor was accepted and the mail marked mfa=none. */
    @Test
    void tokenWithoutMfaClaimIsRefusedWith534() throws Exception {
        for (String amr : List.of("", ",\"amr\":[\"pwd\"]")) {
            for (Form form : Form.values()) {
                try (SmtpClient smtp = submission(JamesContainer.SUBMISSION)) {
                    Reply challenge = form.auth(smtp, ALICE, token(ALICE, amr));
                    assertThat(challenge.code).as(form + " amr" + amr + ": a token without a second factor must not "
                            + "authenticate: " + challenge).isNotEqualTo(235);
                    Reply last = refusedAfterChallenge(smtp, challenge, "insufficient_user_authentication");
                    assertThat(last.code).as(form + " amr" + amr).isEqualTo(534);
                    assertThat(last.text).startsWith("5.7.9");
                    cannotRelay(smtp, ALICE);
                }
            }
        }
    }

    @Test
    void invalidTokensAreRefusedWith535() throws Exception {
        TestIssuer forger = new TestIssuer("tollgate-it-1");
        String audience = "audience@" + DOMAIN;
        String expired = "expired@" + DOMAIN;
        String victim = "victim@" + DOMAIN;
        String forged = "forged@" + DOMAIN;
        for (Form form : Form.values()) {
            check(form, audience, ISSUER_KEYS.sign(claims(audience, 300, "another-service", OTP)));
            check(form, expired, ISSUER_KEYS.sign(claims(expired, -5, AUDIENCE, OTP)));
            check(form, victim, token(ALICE, OTP));
            check(form, forged, forger.sign(claims(forged, 300, AUDIENCE, OTP)));
        }
        assertThat(idp.getLogs()).contains("ISSUER GET /jwks status=200");
    }

    private static void check(Form form, String user, String token) throws Exception {
        try (SmtpClient smtp = submission(JamesContainer.SUBMISSION)) {
            Reply last = refusedAfterChallenge(smtp, form.auth(smtp, user, token), "invalid_token");
            assertThat(last.code).as(form + " " + user).isEqualTo(535);
            assertThat(last.text).isEqualTo("5.7.8 Authentication credentials invalid");
            cannotRelay(smtp, user);
        }
    }

    @Test
    void tokenWithMfaClaimAuthenticatesAndTheMailCarriesTheMark() {
        for (Form form : Form.values()) {
            String subject = "OAuth " + form;
            try (SmtpClient smtp = submission(JamesContainer.SUBMISSION)) {
                Reply ok = form.auth(smtp, ALICE, token(ALICE, OTP));
                assertThat(ok.code).as(form + ": " + ok).isEqualTo(235);
                assertThat(smtp.mailFrom(ALICE).code).isEqualTo(250);
                assertThat(smtp.rcptTo(EXTERNAL).code).as("relaying allowed").isEqualTo(250);
                smtp.command("RSET");
                assertThat(smtp.mailFrom(ALICE).code).isEqualTo(250);
                assertThat(smtp.rcptTo(BOB).code).isEqualTo(250);
                assertThat(smtp.data(Messages.text(ALICE, BOB, subject, "hello")).code).isEqualTo(250);
            }
            String received = james.imap(BOB, PASSWORD).awaitMessageContaining(subject, WAIT);
            assertThat(SubmissionIT.headerLine(received, "Authentication-Results"))
                    .contains("auth=pass (mfa=oauth-mfa) smtp.auth=" + ALICE);
        }
    }

    @Test
    void malformedOrCancelledExchangesAre501() {
        try (SmtpClient smtp = submission(JamesContainer.SUBMISSION)) {
            Reply malformed = smtp.command("AUTH OAUTHBEARER " + b64("n,,\u0001auth=Bearer x\u0001\u0001"));
            assertThat(malformed.code).isEqualTo(501);
            assertThat(malformed.text).isEqualTo("5.5.2 Malformed OAuth initial response");
            assertThat(smtp.command("AUTH XOAUTH2 not-base64!").code).isEqualTo(501);
            assertThat(smtp.command("AUTH OAUTHBEARER").code).isEqualTo(334);
            Reply cancelled = smtp.command("*");
            assertThat(cancelled.code).isEqualTo(501);
            assertThat(cancelled.text).isEqualTo("5.7.0 Authentication aborted");
            Reply challenge = smtp.command("AUTH XOAUTH2 " + TestIssuer.xoauth2(ALICE, token(ALICE, "")));
            assertThat(challenge.code).isEqualTo(334);
            assertThat(smtp.command("*").code).isEqualTo(501);
            cannotRelay(smtp, ALICE);
        }
    }

    /** James drops a blank AUTH PLAIN password and calls the hooks' doDelegation: Tollgate's 535, counted. */
    @Test
    void blankPasswordsAreRefusedWithTollgates535AndCounted() {
        String blank = "blank@" + DOMAIN;
        try (SmtpClient smtp = submission(JamesContainer.SUBMISSION)) {
            for (int attempt = 1; attempt <= 8; attempt++) {
                // Past the 1 ms backoff of the previous failure: on an idle machine a loopback AUTH can be faster.
                sleepQuietly(5);
                Reply reply = smtp.authPlain(blank, attempt % 2 == 0 ? "   " : "");
                assertThat(reply.code).as("attempt " + attempt).isEqualTo(535);
                assertThat(reply.text).isEqualTo(TOLLGATE_535);
            }
            Reply locked = smtp.authPlain(blank, PASSWORD);
            assertThat(locked.code).as("8 blank attempts lock the user, even for the right password").isEqualTo(454);
            assertThat(locked.text).startsWith("4.7.0");
            Reply oauth = smtp.command("AUTH XOAUTH2 " + TestIssuer.xoauth2(blank, token(blank, OTP)));
            assertThat(oauth.code).as("the same throttle holds OAuth; James passes the 454 on").isEqualTo(454);
            cannotRelay(smtp, blank);
        }
        String empty = "empty@" + DOMAIN;
        try (SmtpClient smtp = submission(JamesContainer.SUBMISSION)) {
            Reply reply = smtp.command("AUTH PLAIN " + Base64.getEncoder().encodeToString(
                    (empty + "\0\0").getBytes(StandardCharsets.UTF_8)));
            assertThat(reply.code).isEqualTo(535);
            assertThat(reply.text).isEqualTo(TOLLGATE_535);
            sleepQuietly(5);
            assertThat(smtp.authPlain(empty, PASSWORD).code).as("one failure: not locked").isEqualTo(235);
        }
        String secret = "Pa55-never-logged";
        try (SmtpClient smtp = submission(JamesContainer.SUBMISSION)) {
            Reply reply = smtp.command("AUTH PLAIN " + b64("\0\0" + secret));
            // Empty user name: James passes the password as the name. Not 535, on which James would log that name.
            assertThat(reply.code).isEqualTo(501);
            assertThat(reply.text).isEqualTo("5.5.2 AUTH PLAIN needs a user name and a password");
        }
        assertThat(james.logsOnceContaining("MFA: AUTH failed for (not a user)")).contains("MFA: AUTH failed for " + blank)
                .doesNotContain(secret);
    }

    @Test
    void blankLoginPasswordReachesTheHook() {
        String user = "loginblank@" + DOMAIN;
        try (SmtpClient smtp = submission(JamesContainer.SUBMISSION)) {
            for (String password : List.of("   ", "")) {
                assertThat(smtp.command("AUTH LOGIN").code).isEqualTo(334);
                assertThat(smtp.command(b64(user)).code).isEqualTo(334);
                Reply reply = smtp.command(b64(password));
                assertThat(reply.code).as("LOGIN with '" + password + "'").isEqualTo(535);
                assertThat(reply.text).isEqualTo(TOLLGATE_535);
            }
            cannotRelay(smtp, user);
        }
    }

    /** Without RequireStartTls in the chain, MfaAuthHook itself refuses AUTH before TLS (doAuth and doSasl). */
    @Test
    void authBeforeTlsIsRefusedByTheHookWhereRequireStartTlsIsMissing() {
        String user = "bare@" + DOMAIN;
        try (SmtpClient smtp = james.smtp(BARE)) {
            assertThat(smtp.ehlo("client.test").text).as("requireSSL=false: AUTH announced before TLS")
                    .contains("OAUTHBEARER");
            Reply plain = smtp.authPlain(user, PASSWORD);
            assertThat(plain.code).isEqualTo(530);
            assertThat(plain.text).isEqualTo("5.7.0 Must issue a STARTTLS command first");
            Reply blank = smtp.authPlain(user, "   ");
            assertThat(blank.code).as("doDelegation").isEqualTo(530);
            assertThat(blank.text).startsWith("5.7.0");
            Reply oauth = smtp.command("AUTH OAUTHBEARER " + TestIssuer.oauthBearer(user, token(user, OTP)));
            assertThat(oauth.code).isEqualTo(530);
            assertThat(oauth.text).startsWith("5.7.0");
            cannotRelay(smtp, user);
        }
    }

    @Test
    void oauthRefusedOnThePortIs504() {
        String user = "bare@" + DOMAIN;
        for (Form form : List.of(Form.OAUTHBEARER_INLINE, Form.XOAUTH2_AFTER_334)) {
            try (SmtpClient smtp = submission(BARE)) {
                Reply reply = form.inline ? form.auth(smtp, user, token(user, OTP))
                        : smtp.command("AUTH " + form.mechanism);
                assertThat(reply.code).as(form.toString()).isEqualTo(504);
                assertThat(reply.text).isEqualTo("5.5.4 OAuth is not accepted on this port");
                cannotRelay(smtp, user);
            }
        }
        try (SmtpClient smtp = submission(BARE)) {
            assertThat(smtp.authPlain(user, PASSWORD).code).as("passwords still work on that port").isEqualTo(235);
        }
    }

    static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
