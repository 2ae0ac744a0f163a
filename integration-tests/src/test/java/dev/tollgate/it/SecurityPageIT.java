package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.MultiFormatReader;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;

import dev.tollgate.core.mfa.OtpAuthUri;
import dev.tollgate.it.harness.ImapClient;
import dev.tollgate.core.mfa.Totp;
import dev.tollgate.it.harness.JamesContainer;
import dev.tollgate.it.harness.Messages;
import dev.tollgate.it.harness.SmtpClient;

/**
 * The self-service security page against a real James 3.8.1 with the shipped conf/ and bundle, driven by a real
 * headless Chromium (Debian's chromium + chromium-driver; nothing downloaded). HTTPS uses James's generated
 * self-signed keystore, which the browser is told to accept. Screenshots of every step go to
 * {@code target/screenshots/security-page/} (the user guide's images come from them).
 */
@Testcontainers
class SecurityPageIT {
    static final int PAGE = 8443;
    static final String DOMAIN = "page.test";
    static final String CLOSED = "closed.test";
    static final String PASSWORD = "Correct horse 42!";
    static final Duration WAIT = Duration.ofSeconds(60);
    static final int MAX_SESSIONS = 10;
    static final Path SHOTS = Paths.get(System.getProperty("tollgate.it.screenshots", "target/screenshots"), "security-page");

    @Container
    static final JamesContainer JAMES = new JamesContainer()
            .withConfFile("tollgate-mfa.properties", "throttle.baseDelay=1ms\nthrottle.maxDelay=1ms\npolicy=optional\n")
            .withConfEdit("tollgate-selfservice.properties",
                    e -> e.replaceOnce("#domainAccess=example.com=off", "domainAccess=" + CLOSED + "=off")
                            .replaceOnce("#maxSessions=10000", "maxSessions=" + MAX_SESSIONS));

    static {
        JAMES.addExposedPort(PAGE);
    }

    static WebDriver browser;
    static Path profile;

    @BeforeAll
    static void setUp() throws IOException {
        JAMES.webAdmin().addDomain(DOMAIN).addDomain(CLOSED)
                .addUser("alice@" + DOMAIN, PASSWORD).addUser("replay@" + DOMAIN, PASSWORD)
                .addUser("csrf@" + DOMAIN, PASSWORD).addUser("eve@" + CLOSED, PASSWORD)
                .addUser("flood@" + DOMAIN, PASSWORD);
        Files.createDirectories(SHOTS);
        profile = Files.createTempDirectory("tollgate-chromium-");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--user-data-dir=" + profile,
                "--ignore-certificate-errors", "--window-size=1000,1300", "--lang=en");
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(WAIT);
    }

    @AfterAll
    static void tearDown() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (profile != null) {
            try (var walk = Files.walk(profile)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static String base() {
        // An IPv4 literal: "localhost" lets Chromium try [::1] first, where Docker's port proxy may accept and then
        // close the connection (ERR_SSL_PROTOCOL_ERROR) on hosts without IPv6 in the container network.
        return "https://127.0.0.1:" + JAMES.getMappedPort(PAGE);
    }

    static void shot(String name) throws IOException {
        byte[] png = ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES);
        Files.write(SHOTS.resolve(name + ".png"), png);
    }

    static void signIn(String address, String password, String code) {
        browser.manage().deleteAllCookies();
        browser.get(base() + "/");
        browser.findElement(By.id("address")).sendKeys(address);
        browser.findElement(By.id("password")).sendKeys(password);
        if (code != null) {
            browser.findElement(By.id("code")).sendKeys(code);
        }
        submit(browser.findElement(By.cssSelector("#signin button[type=submit]")));
    }

    /**
     * Submits a form and waits until the browser has left the page (the button is gone with it). While the next
     * page replaces the old one, ChromeDriver may answer a look at the old button with "Node with given id does not
     * belong to the document" instead of a stale-element error; both mean the old page is gone.
     */
    static void submit(WebElement button) {
        button.click();
        new org.openqa.selenium.support.ui.WebDriverWait(browser, WAIT).until(driver -> {
            try {
                button.isEnabled();
                return false;
            } catch (org.openqa.selenium.StaleElementReferenceException e) {
                return true;
            } catch (org.openqa.selenium.WebDriverException e) {
                if (String.valueOf(e.getMessage()).contains("does not belong to the document")) {
                    return true;
                }
                throw e;
            }
        });
    }

    /**
     * The QR code as the browser drew it, read the way a phone's camera app would: from a screenshot of the
     * {@code #qr} element, else from a screenshot of the whole window (the decoder finds the code within). A busy
     * machine may shoot before the image is painted, so both are shot again until one reads; the element is looked
     * up again each time. On timeout the failure names what the last attempts threw, and the last shots are kept.
     */
    static String readQrCodeOnScreen() throws IOException {
        java.util.Map<com.google.zxing.DecodeHintType, Object> hints =
                java.util.Map.of(com.google.zxing.DecodeHintType.TRY_HARDER, Boolean.TRUE);
        String[] failures = new String[2];
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            byte[][] shots = new byte[2][];
            try {
                shots[0] = browser.findElement(By.id("qr")).getScreenshotAs(OutputType.BYTES);
            } catch (RuntimeException e) {
                failures[0] = "element screenshot: " + e;
            }
            try {
                shots[1] = ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES);
            } catch (RuntimeException e) {
                failures[1] = "window screenshot: " + e;
            }
            for (int i = 0; i < 2; i++) {
                if (shots[i] == null) {
                    continue;
                }
                Files.write(SHOTS.resolve("03-qr-attempt-" + (i == 0 ? "element" : "window") + ".png"), shots[i]);
                try {
                    BufferedImage image = ImageIO.read(new ByteArrayInputStream(shots[i]));
                    if (i == 0 && image.getWidth() > 2 && image.getHeight() > 2) {
                        // The element is the code and its quiet zone inside a 1 px border: without the border it is
                        // a pure barcode, which ZXing reads also where its general detector misses (about 6 codes in
                        // 1,000 of these otpauth URIs; see QrCodesTest).
                        String pure = decodePure(image.getSubimage(1, 1, image.getWidth() - 2, image.getHeight() - 2));
                        if (pure != null) {
                            return pure;
                        }
                    }
                    return new MultiFormatReader().decode(new BinaryBitmap(new HybridBinarizer(
                            new BufferedImageLuminanceSource(image))), hints).getText();
                } catch (Exception e) {
                    failures[i] = (i == 0 ? "element" : "window") + " decode: " + e;
                }
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("no QR code read on screen within " + WAIT + ": " + failures[0] + "; " + failures[1]);
    }

    /** @return the text of {@code image} read as a pure barcode (the code and its quiet zone only), or null */
    static String decodePure(BufferedImage image) {
        try {
            return new MultiFormatReader().decode(new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(
                    image))), java.util.Map.of(com.google.zxing.DecodeHintType.PURE_BARCODE, Boolean.TRUE)).getText();
        } catch (com.google.zxing.NotFoundException e) {
            return null;
        }
    }

    static String codeAt(OtpAuthUri uri, Instant when) {
        Totp totp = uri.totpBuilder().build();
        return totp.generate(uri.secret(), when);
    }

    /** The client protocols an app password is proven on: SMTP submission, then IMAPS (LOGIN and SELECT INBOX). */
    static void assertMailClientsAccept(String user, String appPassword) {
        JAMES.submit(user, appPassword, Messages.text(user, user, "sent with an app password", "hello"), user);
        try (ImapClient imap = JAMES.imapClient(JamesContainer.IMAPS)) {
            assertThat(imap.login(user, appPassword).ok()).isTrue();
            assertThat(imap.command("SELECT INBOX").ok()).isTrue();
        }
    }

    static void assertMailClientsRefuse(String user, String appPassword) {
        try (SmtpClient smtp = JAMES.smtp(JamesContainer.SUBMISSION)) {
            smtp.ehlo("client.test");
            assertThat(smtp.startTls().code).isEqualTo(220);
            smtp.ehlo("client.test");
            assertThat(smtp.authPlain(user, appPassword).code).isEqualTo(535);
        }
        try (ImapClient imap = JAMES.imapClient(JamesContainer.IMAPS)) {
            assertThat(imap.login(user, appPassword).status()).startsWith("NO [AUTHENTICATIONFAILED]");
        }
    }

    static int inboxCount(String user) {
        HttpResponse<String> r = JAMES.webAdmin().send("GET", "/users/" + user + "/mailboxes/INBOX/messageCount", null);
        return r.statusCode() == 200 ? Integer.parseInt(r.body().trim()) : -1;
    }

    @Test
    void enrolCreateUseAndRevokeAnAppPasswordInTheBrowser() throws Exception {
        String alice = "alice@" + DOMAIN;
        signIn(alice, PASSWORD, null);
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Your account security");
        shot("02-signed-in-not-enrolled");

        submit(browser.findElement(By.cssSelector("#enrol button")));
        WebElement qr = browser.findElement(By.id("qr"));
        shot("03-enrol-qr-code");
        String decoded = readQrCodeOnScreen();
        OtpAuthUri uri = OtpAuthUri.parse(decoded);
        assertThat(uri.account()).isEqualTo(alice);
        assertThat(browser.findElement(By.id("secret")).getText().replace(" ", "")).isEqualTo(uri.secret().toBase32());
        assertThat(qr.getAttribute("alt")).isNotBlank();

        Instant confirmedAt = Instant.now();
        browser.findElement(By.id("code")).sendKeys(codeAt(uri, confirmedAt));
        submit(browser.findElement(By.cssSelector("#confirm button")));
        assertThat(browser.findElement(By.cssSelector(".notice")).getText()).contains("now on");
        shot("04-enrolled");

        browser.findElement(By.id("label")).sendKeys("Phone mail");
        browser.findElement(By.id("scope-imap")).click();
        assertThat(browser.findElement(By.id("scope-smtp")).isSelected()).isTrue();
        assertThat(browser.findElement(By.id("scope-imap")).isSelected()).isTrue();
        browser.findElement(By.id("create-code")).sendKeys(codeAt(uri, confirmedAt.plusSeconds(30)));
        shot("05-create-app-password");
        submit(browser.findElement(By.cssSelector("#create button")));
        String appPassword = browser.findElement(By.id("app-password")).getText();
        assertThat(appPassword).matches("[A-Za-z0-9 -]{20,}");
        shot("06-app-password-shown-once");

        // The page never takes an app password, and such an attempt is no use of it.
        assertThat(signInOverHttp(trustingClient(), alice, appPassword).statusCode()).isEqualTo(401);
        browser.get(base() + "/");
        assertThat(browser.findElement(By.id("app-passwords")).getText()).contains("Phone mail").contains("never");

        assertMailClientsAccept(alice, appPassword);

        browser.get(base() + "/");
        WebElement table = browser.findElement(By.id("app-passwords"));
        assertThat(table.getText()).contains("Phone mail").contains("SMTP").contains("IMAP").doesNotContain("never");
        assertThat(browser.getPageSource()).doesNotContain(appPassword);
        shot("07-app-password-listed");

        submit(table.findElement(By.cssSelector("form[action='/app-passwords/revoke'] button")));
        assertThat(browser.findElement(By.cssSelector(".notice")).getText()).contains("Phone mail").contains("revoked");
        assertThat(browser.findElement(By.id("app-passwords")).getText()).doesNotContain("Phone mail");
        shot("08-app-password-revoked");

        assertMailClientsRefuse(alice, appPassword);

        // Notices: enrolment, app password created, app password revoked, plus the message sent above.
        await().atMost(WAIT).until(() -> inboxCount(alice) >= 4);
        String audit = JAMES.execInContainer("cat", "/root/logs/tollgate-audit.log").getStdout();
        assertThat(audit).contains("\"capability\":\"mfa\",\"decision\":\"allow\",\"user\":\"" + alice)
                .contains("\"source\":\"security_page\"")
                .doesNotContain(appPassword).doesNotContain(uri.secret().toBase32());
        assertThat(JAMES.logs()).doesNotContain(appPassword).doesNotContain(uri.secret().toBase32());
    }

    @Test
    void signInFormShownFirst() throws IOException {
        browser.manage().deleteAllCookies();
        browser.get(base() + "/");
        assertThat(browser.findElement(By.cssSelector("label[for=address]")).getText()).isEqualTo("Email address");
        shot("01-sign-in");
    }

    @Test
    void aReplayedCodeIsRefusedAtSignIn() throws Exception {
        String user = "replay@" + DOMAIN;
        OtpAuthUri uri = enrolOverHttp(user);
        String code = codeAt(uri, Instant.now().plusSeconds(30));
        signIn(user, PASSWORD, code);
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Your account security");
        signIn(user, PASSWORD, code);
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Sign in");
        assertThat(browser.findElement(By.cssSelector(".error")).getText()).contains("only once");
        shot("09-replayed-code-refused");
    }

    @Test
    void aDomainWithSelfServiceOffIsRefused() throws IOException {
        signIn("eve@" + CLOSED, PASSWORD, null);
        assertThat(browser.findElement(By.cssSelector(".error")).getText()).contains("not available for your domain");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Sign in");
    }

    @Test
    void aFormPostWithoutTheCsrfTokenIsRefused() throws Exception {
        HttpClient http = trustingClient();
        HttpResponse<String> form = http.send(HttpRequest.newBuilder(URI.create(base() + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        String cookie = form.headers().firstValue("set-cookie").orElseThrow().split(";")[0];
        Matcher token = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(form.body());
        assertThat(token.find()).isTrue();
        String body = "address=csrf%40" + DOMAIN + "&password=" + java.net.URLEncoder.encode(PASSWORD, "UTF-8");
        HttpResponse<String> without = post(http, "/signin", cookie, body);
        assertThat(without.statusCode()).isEqualTo(403);
        HttpResponse<String> wrong = post(http, "/signin", cookie, body + "&csrf=" + "x".repeat(43));
        assertThat(wrong.statusCode()).isEqualTo(403);
        HttpResponse<String> with = post(http, "/signin", cookie, body + "&csrf=" + token.group(1));
        assertThat(with.statusCode()).isEqualTo(302);
        String session = with.headers().firstValue("set-cookie").orElseThrow().split(";")[0];
        assertThat(post(http, "/enrol", session, "").statusCode()).isEqualTo(403);
    }

    @Test
    void aFloodOfSignInFormsPushesOutNeitherOpenFormsNorSignedInUsers() throws Exception {
        HttpClient http = trustingClient();
        HttpResponse<String> signedIn = signInOverHttp(http, "flood@" + DOMAIN, PASSWORD);
        assertThat(signedIn.statusCode()).isEqualTo(302);
        String session = signedIn.headers().firstValue("set-cookie").orElseThrow().split(";")[0];
        String firstCookie = null;
        String firstToken = null;
        for (int i = 0; i < 5 * MAX_SESSIONS; i++) {
            HttpResponse<String> form = http.send(HttpRequest.newBuilder(URI.create(base() + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(form.body()).contains("name=\"csrf\"");
            if (firstCookie == null) {
                firstCookie = form.headers().firstValue("set-cookie").orElseThrow().split(";")[0];
                firstToken = csrf(form.body());
            }
        }
        HttpResponse<String> home = http.send(HttpRequest.newBuilder(URI.create(base() + "/")).header("Cookie", session)
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(home.body()).contains("Your account security");
        // The form opened first, before five times maxSessions others, still signs in.
        HttpResponse<String> late = post(http, "/signin", firstCookie, "csrf=" + firstToken + "&address="
                + java.net.URLEncoder.encode("flood@" + DOMAIN, "UTF-8") + "&password="
                + java.net.URLEncoder.encode(PASSWORD, "UTF-8"));
        assertThat(late.statusCode()).isEqualTo(302);
    }

    @Test
    void signedInSessionsBeyondMaxSessionsEndOldestFirst() throws Exception {
        // The edited maxSessions applied: one sign-in more than it allows ends the oldest signed-in session.
        HttpClient http = trustingClient();
        List<String> cookies = new java.util.ArrayList<>();
        for (int i = 0; i <= MAX_SESSIONS; i++) {
            HttpResponse<String> signedIn = signInOverHttp(http, "flood@" + DOMAIN, PASSWORD);
            assertThat(signedIn.statusCode()).isEqualTo(302);
            cookies.add(signedIn.headers().firstValue("set-cookie").orElseThrow().split(";")[0]);
        }
        assertThat(home(http, cookies.get(0))).doesNotContain("Your account security").contains("name=\"csrf\"");
        assertThat(home(http, cookies.get(1))).contains("Your account security");
        assertThat(home(http, cookies.get(MAX_SESSIONS))).contains("Your account security");
    }

    static String home(HttpClient http, String cookie) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base() + "/")).header("Cookie", cookie).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Signs in through the page's own form over HTTP: GET the form, POST it with its token. */
    static HttpResponse<String> signInOverHttp(HttpClient http, String user, String password) throws Exception {
        HttpResponse<String> form = http.send(HttpRequest.newBuilder(URI.create(base() + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        String cookie = form.headers().firstValue("set-cookie").orElseThrow().split(";")[0];
        return post(http, "/signin", cookie, "csrf=" + csrf(form.body()) + "&address="
                + java.net.URLEncoder.encode(user, "UTF-8") + "&password=" + java.net.URLEncoder.encode(password, "UTF-8"));
    }

    @Test
    void everyResponseCarriesTheSecurityHeaders() throws Exception {
        HttpResponse<String> r = trustingClient().send(HttpRequest.newBuilder(URI.create(base() + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-security-policy").orElseThrow())
                .startsWith("default-src 'none'").contains("frame-ancestors 'none'").doesNotContain("unsafe");
        assertThat(r.headers().firstValue("strict-transport-security").orElseThrow()).startsWith("max-age=");
        assertThat(r.headers().firstValue("x-frame-options")).contains("DENY");
        assertThat(r.headers().firstValue("referrer-policy")).contains("no-referrer");
        assertThat(r.headers().firstValue("x-content-type-options")).contains("nosniff");
        assertThat(r.headers().firstValue("set-cookie").orElseThrow()).startsWith("__Host-tollgate-session=")
                .contains("; Secure").contains("; HttpOnly").contains("; SameSite=Strict").contains("; Path=/");
        assertThat(r.headers().firstValue("server")).isEmpty();
        assertThat(r.body()).doesNotContain("<script").doesNotContain("http://").doesNotContain("https://");

        HttpResponse<String> huge = trustingClient().send(HttpRequest.newBuilder(URI.create(base() + "/"))
                .header("X-Padding", "a".repeat(20_000)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(huge.statusCode()).isEqualTo(431);
    }

    /** Enrols through the page's own HTTP forms (no browser), returning the otpauth URI the QR code carries. */
    static OtpAuthUri enrolOverHttp(String user) throws Exception {
        HttpClient http = trustingClient();
        HttpResponse<String> signedIn = signInOverHttp(http, user, PASSWORD);
        assertThat(signedIn.statusCode()).isEqualTo(302);
        String session = signedIn.headers().firstValue("set-cookie").orElseThrow().split(";")[0];
        HttpResponse<String> home = http.send(HttpRequest.newBuilder(URI.create(base() + "/")).header("Cookie", session)
                .build(), HttpResponse.BodyHandlers.ofString());
        String token = csrf(home.body());
        HttpResponse<String> enrol = post(http, "/enrol", session, "csrf=" + token);
        Matcher qr = Pattern.compile("src=\"data:image/png;base64,([^\"]+)\"").matcher(enrol.body());
        assertThat(qr.find()).isTrue();
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(java.util.Base64.getDecoder().decode(qr.group(1))));
        String text = decodePure(image);
        assertThat(text).as("QR code of the enrol page").isNotNull();
        OtpAuthUri uri = OtpAuthUri.parse(text);
        HttpResponse<String> confirmed = post(http, "/enrol/confirm", session, "csrf=" + token + "&code="
                + codeAt(uri, Instant.now()));
        assertThat(confirmed.statusCode()).isEqualTo(302);
        return uri;
    }

    static String csrf(String html) {
        Matcher token = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(html);
        assertThat(token.find()).isTrue();
        return token.group(1);
    }

    static HttpResponse<String> post(HttpClient http, String path, String cookie, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base() + path)).header("Cookie", cookie)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** James's keystore is self-signed and names no test host: trust it blindly, on the test's loopback only. */
    static HttpClient trustingClient() throws Exception {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {new X509ExtendedTrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, new SecureRandom());
        SSLParameters parameters = new SSLParameters();
        parameters.setEndpointIdentificationAlgorithm(null);
        return HttpClient.newBuilder().sslContext(tls).sslParameters(parameters)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(WAIT).build();
    }
}
