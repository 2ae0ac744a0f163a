package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.mail.Session;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import javax.mail.internet.MimePart;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import dev.tollgate.core.links.LinkTokenSigner;
import dev.tollgate.it.harness.JamesContainer;
import dev.tollgate.it.harness.SmtpClient;

/**
 * Link protection end to end in a James 3.8.1 container with the shipped conf/: mail arriving over SMTP
 * for a local user is rewritten by RewriteLinks, read back over IMAPS, and its links are followed to the
 * click-time redirector that ClickRedirectorStartable started inside James (container port 8480).
 */
@Testcontainers
class LinkProtectionIT {
    static final String DOMAIN = "links.tollgate.test";
    static final String BOB = "bob@" + DOMAIN;
    static final String CAROL = "carol@" + DOMAIN;
    static final String DAVE = "dave@" + DOMAIN;
    static final String PASSWORD = "s3cret-Passw0rd";
    static final Duration WAIT = Duration.ofSeconds(60);
    static final int REDIRECTOR = 8480;
    /**
     * The redirector as the launcher's demo publishes it, on an address rather than a name: links to that address in
     * any spelling must still be rewritten; only its own /r/ links are left as they are.
     */
    static final String PUBLIC_BASE = "http://127.0.0.1:" + REDIRECTOR;
    static final String AUTHSERV_ID = "mx." + DOMAIN;

    @Container
    static final JamesContainer JAMES = new JamesContainer()
            .withExposedPorts(JamesContainer.SMTP, JamesContainer.SMTPS, JamesContainer.SUBMISSION, JamesContainer.IMAP,
                    JamesContainer.IMAPS, JamesContainer.WEBADMIN, REDIRECTOR)
            .withConfEdit("mailetcontainer.xml", xml -> xml.replaceExactly("<redirectorUrl>http://localhost:8480</redirectorUrl>",
                    "<redirectorUrl>" + PUBLIC_BASE + "</redirectorUrl>", 2)) // RewriteLinks in transport and dlp-released
            // One authserv-id for RequireMfa and RemoveForgedTrustHeaders.
            .withConfEdit("tollgate-mfa.properties", p -> p.replaceOnce("#authservId=", "authservId=" + AUTHSERV_ID))
            .withConfFile("tollgate-link-blocklist.txt", "# test list\nevil.example\n*.evil.example\n")
            // Tokens that never expire (tokenMaxAge=0) must still be refused when issued in the future; key changes
            // are read within 2 s instead of 60 s so that a retired key is seen quickly.
            .withConfEdit("tollgate-links.properties", p -> p.replaceOnce("tokenMaxAge=90d", "tokenMaxAge=0")
                    .replaceOnce("#keyRefresh=60s", "keyRefresh=2s"));
    static final String KEY_FILE = "/root/conf/tollgate-links.keys";
    static final String LINK_QUARANTINE = "memory://var/mail/link-quarantine/";

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void users() {
        JAMES.webAdmin().addDomain(DOMAIN).addUser(BOB, PASSWORD).addUser(CAROL, PASSWORD).addUser(DAVE, PASSWORD);
    }

    static final String CONDITIONAL = "<!--[if mso]><v:roundrect xmlns:v=3D\"urn:schemas-microsoft-com:vml\" href=3D\"https://vml.example/cta\" style=3D\"height:40px\"><center>Buy</center></v:roundrect><![endif]-->";

    static final String HTML_QP = "<html><body><p>Dear customer &amp; friend,</p>=\r\n"
            + "<a href=3D\"https://shop.example/p?x=3D1&amp;y=3D2\">Shop</a>\r\n"
            + "<a href=3Dhttps://unquoted.example/u>Unquoted</a>\r\n"
            + "<a class=3Dbtn href =3D 'https://www.evil.example/login'>Log in</a>\r\n"
            + "<a href=3D\"mailto:help@shop.example\">Mail</a> <a href=3D\"tel:+15551234\">Call</a> <a href=3D\"#top\">Top</a>\r\n"
            + "<a href=3D\"https://eur01.safelinks.protection.outlook.com/?url=3Dhttps%3A%2F%2Fx.example&amp;data=3D1\">Wrapped</a>\r\n"
            + CONDITIONAL + "\r\n"
            + "</body></html>\r\n";

    private static void send(String from, String to, String message) {
        try (SmtpClient smtp = JAMES.smtp(JamesContainer.SMTP)) {
            smtp.ehlo("mx.sender.test");
            assertThat(smtp.mailFrom(from).code).isEqualTo(250);
            assertThat(smtp.rcptTo(to).code).isEqualTo(250);
            assertThat(smtp.data(message).code).isEqualTo(250);
        }
    }

    private HttpResponse<String> click(String link) throws Exception {
        return request("GET", link);
    }

    private HttpResponse<String> request(String method, String link) throws Exception {
        assertThat(link).startsWith(PUBLIC_BASE + "/r/");
        String path = link.substring(PUBLIC_BASE.length());
        URI local = URI.create("http://" + JAMES.getHost() + ":" + JAMES.getMappedPort(REDIRECTOR) + path);
        return http.send(HttpRequest.newBuilder(local).timeout(Duration.ofSeconds(20))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static MimeMessage parse(String raw) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)));
    }

    private static String decoded(MimePart part) throws Exception {
        try (InputStream in = part.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String group(String text, String regex, int group) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as(regex + " in " + text).isTrue();
        return m.group(group);
    }

    private static List<String> hrefs(String html) {
        Matcher m = Pattern.compile("<a\\b[^>]*?\\bhref\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)'|([^\\s>]+))", Pattern.CASE_INSENSITIVE).matcher(html);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            String v = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
            out.add(v.replace("&amp;", "&"));
        }
        return out;
    }

    @Test
    void htmlLinksAreRewrittenAndTheRedirectorChecksThemAtClickTime() throws Exception {
        String message = "From: news@shop.example\r\nTo: " + BOB + "\r\nSubject: Link protection QP\r\n"
                + "Message-ID: <qp-links@shop.example>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" + HTML_QP;
        send("news@shop.example", BOB, message);
        String raw = JAMES.imap(BOB, PASSWORD).awaitMessageContaining("Link protection QP", WAIT);

        assertThat(SubmissionIT.headerLine(raw, "X-Tollgate-Links")).contains("verdict=malicious").contains("rewritten=3")
                .contains("reasons=BLOCKLISTED").contains("mode=enforce");
        assertThat(SubmissionIT.headerLine(raw, "X-Tollgate-Link-Warning")).contains("suspicious-or-malicious-links");
        MimeMessage parsed = parse(raw);
        assertThat(parsed.getMessageID()).isEqualTo("<qp-links@shop.example>");
        assertThat(parsed.getEncoding()).isEqualTo("quoted-printable");
        String body = raw.substring(raw.indexOf("\r\n\r\n") + 4);
        // re-encoded lines keep the 76-char limit; a line without a rewritten link stays as the sender wrote it
        List<String> sent = List.of(HTML_QP.split("\r\n"));
        assertThat(body.split("\r\n")).anyMatch(line -> line.length() > 76 && sent.contains(line));
        for (String line : body.split("\r\n")) {
            if (!sent.contains(line)) {
                assertThat(line.length()).as(line).isLessThanOrEqualTo(76);
            }
        }
        String html = decoded(parsed);
        List<String> links = hrefs(html);
        assertThat(links).hasSize(7); // the VML href lives in a comment: not a link, kept as is
        assertThat(links.subList(3, 7)).containsExactly("mailto:help@shop.example", "tel:+15551234", "#top",
                "https://eur01.safelinks.protection.outlook.com/?url=https%3A%2F%2Fx.example&data=1");
        assertThat(html).contains("Dear customer &amp; friend,");
        // Outlook conditional comment (VML) byte for byte, as decoded
        assertThat(html).contains(CONDITIONAL.replace("=3D", "="));

        HttpResponse<String> shop = click(links.get(0));
        assertThat(shop.statusCode()).isEqualTo(302);
        assertThat(shop.headers().firstValue("Location")).hasValue("https://shop.example/p?x=1&y=2");
        HttpResponse<String> unquoted = click(links.get(1));
        assertThat(unquoted.statusCode()).isEqualTo(302);
        assertThat(unquoted.headers().firstValue("Location")).hasValue("https://unquoted.example/u");

        HttpResponse<String> evil = click(links.get(2));
        assertThat(evil.statusCode()).isEqualTo(200);
        assertThat(evil.headers().firstValue("Location")).isEmpty();
        assertThat(evil.body()).contains("dangerous").contains("https://www.evil.example/login").doesNotContain("<script");

        String token = links.get(0);
        int at = token.length() - 10;
        char c = token.charAt(at);
        String tampered = token.substring(0, at) + (c == 'A' ? 'B' : 'A') + token.substring(at + 1);
        HttpResponse<String> bad = click(tampered);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.headers().firstValue("Location")).isEmpty();

        assertThat(JAMES.logsOnceContaining("verdict=MALICIOUS")).contains("Tollgate click: recipient=")
                .doesNotContain("Dear customer");
        assertThat(JAMES.logs()).contains("generated a new link token key");
        assertThat(JAMES.webAdmin().mailKeys("memory://var/mail/error/")).isEmpty();
    }

    @Test
    void signedMessageStillVerifiesAndAnExistingRedirectorLinkIsNotWrappedAgain() throws Exception {
        Smime smime = new Smime("signer@sender.test");
        String signedContent = "Content-Type: text/html; charset=us-ascii\r\nContent-Transfer-Encoding: 7bit\r\n\r\n"
                + "<a href=\"https://signed.example/a\">signed</a> <a href=\"" + PUBLIC_BASE + "/r/AAAA\">ours</a>\r\n";
        String body = "--sig\r\n" + signedContent + "\r\n--sig\r\n"
                + "Content-Type: application/pkcs7-signature; name=smime.p7s\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + smime.sign(signedContent) + "\r\n--sig--\r\n";
        assertThat(smime.verifies(body, "sig")).isTrue();
        String message = "From: signer@sender.test\r\nTo: " + CAROL + "\r\nSubject: Signed links\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256; boundary=\"sig\"\r\n\r\n" + body;
        send("signer@sender.test", CAROL, message);
        String raw = JAMES.imap(CAROL, PASSWORD).awaitMessageContaining("Signed links", WAIT);
        String received = raw.substring(raw.indexOf("\r\n\r\n") + 4);
        assertThat(received).isEqualTo(body);
        assertThat(smime.verifies(received, "sig")).as("S/MIME signature after James, RewriteLinks and IMAP").isTrue();
        assertThat(SubmissionIT.headerLine(raw, "X-Tollgate-Links")).contains("links=2").contains("rewritten=0")
                .contains("skipped=1");
    }

    static final String PREAMBLE = "This is a multi-part message in MIME format.  \r\n\r\n";
    static final String EPILOGUE = "Epilogue, line 1.\r\nLine 2.\r\n";

    @Test
    void calendarPartIsUntouchedWhileItsSiblingIsRewritten() throws Exception {
        String calendar = "Content-Type: text/calendar; method=REQUEST; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n"
                + "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nURL:https://meet.example/j/123\r\n"
                + "DESCRIPTION:Join https://meet.example/j/123\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        String message = "From: boss@sender.test\r\nTo: " + DAVE + "\r\nSubject: Meeting links\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"mix\"\r\n\r\n" + PREAMBLE + "--mix\r\n"
                + "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + java.util.Base64.getMimeEncoder().encodeToString("<a href=\"https://meet.example/j/123\">Join</a>".getBytes(StandardCharsets.UTF_8))
                + "\r\n--mix\r\n" + calendar + "--mix--\r\n" + EPILOGUE;
        send("boss@sender.test", DAVE, message);
        String raw = JAMES.imap(DAVE, PASSWORD).awaitMessageContaining("Meeting links", WAIT);
        assertThat(raw).contains(calendar);
        // the multipart around the rewritten part keeps the sender's preamble and epilogue, CRLF line ends included
        assertThat(raw).contains("\r\n\r\n" + PREAMBLE + "--mix\r\n").contains("--mix--\r\n" + EPILOGUE);
        assertThat(raw.replace("\r\n", "")).as("no bare LF or CR").doesNotContain("\n").doesNotContain("\r");
        MimeMultipart mixed = (MimeMultipart) parse(raw).getContent();
        MimePart html = (MimePart) mixed.getBodyPart(0);
        assertThat(html.getEncoding()).isEqualTo("base64");
        String link = hrefs(decoded(html)).get(0);
        HttpResponse<String> r = click(link);
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.headers().firstValue("Location")).hasValue("https://meet.example/j/123");
    }

    /**
     * A link prefetcher's or mail scanner's HEAD is answered from the token alone (no body, no redirect) and is
     * not logged as a click; the user's GET is.
     */
    @Test
    void headIsAnsweredWithoutBodyAndIsNotLoggedAsAClick() throws Exception {
        String messageId = "<head-probe-" + System.nanoTime() + "@shop.example>";
        String message = "From: news@shop.example\r\nTo: " + BOB + "\r\nSubject: Link HEAD probe\r\n"
                + "Message-ID: " + messageId + "\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
                + "<a href=\"https://shop.example/head\">Shop</a>\r\n";
        send("news@shop.example", BOB, message);
        String raw = JAMES.imap(BOB, PASSWORD).awaitMessageContaining("Link HEAD probe", WAIT);
        String link = hrefs(decoded(parse(raw))).get(0);
        String clickLine = "message=" + messageId + " host=shop.example";

        HttpResponse<String> head = request("HEAD", link);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("Location")).isEmpty();
        HttpResponse<String> damaged = request("HEAD", link.substring(0, link.length() - 4) + "AAAA");
        assertThat(damaged.statusCode()).isEqualTo(400);
        assertThat(damaged.body()).isEmpty();
        Thread.sleep(1000); // the container log is read asynchronously: give a wrongly logged click time to appear
        assertThat(JAMES.logs()).doesNotContain(clickLine);

        HttpResponse<String> get = click(link);
        assertThat(get.statusCode()).isEqualTo(302);
        assertThat(get.headers().firstValue("Location")).hasValue("https://shop.example/head");
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> JAMES.logs().contains(clickLine + " verdict=CLEAN reasons=[] action=redirect"));
    }

    /**
     * A part whose Content-Type does not parse where the link walk reads a message (a digest's child): JavaMail could
     * not save the message once its link was rewritten, so it is quarantined as sent (its link would otherwise reach
     * the reader unprotected), never put in the error repository; with no link at all (and the digest's child a
     * well-formed message) it reaches its recipient.
     */
    @Test
    void aPartJavaMailCannotSaveNeverSendsTheMailToTheErrorRepository() throws Exception {
        String digest = "--mm\r\nContent-Type: multipart/digest; boundary=\"dd\"\r\n\r\n--dd\r\n"
                + "Content-Type: application/octet-stream; name=\"a\r\n\r\nSubject: inner\r\n\r\nhello\r\n--dd--\r\n--mm--\r\n";
        String head = "From: news@sender.test\r\nTo: " + CAROL + "\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"mm\"\r\nSubject: ";
        send("news@sender.test", CAROL, head + "Digest with a link\r\n\r\n--mm\r\nContent-Type: text/html\r\n\r\n"
                + "<a href=\"https://shop.example/digest\">x</a>\r\n" + digest);
        send("news@sender.test", CAROL, head + "Digest without links\r\n\r\n--mm\r\nContent-Type: text/plain\r\n\r\n"
                + "no link\r\n" + digest);
        String plain = JAMES.imap(CAROL, PASSWORD).awaitMessageContaining("Digest without links", WAIT);
        assertThat(plain).contains("Content-Type: multipart/mixed; boundary=\"mm\"").contains("name=\"a\r\n");
        // its link was scanned but cannot be rewritten: not examined, so quarantined as sent
        String key = JAMES.webAdmin().awaitKeyOfSubject(LINK_QUARANTINE, "Digest with a link", WAIT);
        String stored = JAMES.webAdmin().mailContent(LINK_QUARANTINE, key);
        assertThat(stored).contains("Content-Type: multipart/mixed; boundary=\"mm\"")
                .contains("<a href=\"https://shop.example/digest\">x</a>").doesNotContain("/r/");
        assertThat(SubmissionIT.headerLine(stored, "X-Tollgate-Links")).contains("verdict=unexamined;").contains("rewritten=0")
                .contains("unexamined=1");
        assertThat(JAMES.imap(CAROL, PASSWORD).messages()).noneMatch(m -> m.contains("Subject: Digest with a link"));
        assertThat(JAMES.webAdmin().mailKeys("memory://var/mail/error/")).isEmpty();
        // the other tests find the link quarantine as they left it
        JAMES.webAdmin().removeMail(LINK_QUARANTINE, key);
    }

    /**
     * The link quarantine holds a group's mail under the group's address: released to {@code link-released} (the
     * shipped processor for it), James's recipient rewrite table hands it to the members, as sent.
     */
    @Test
    void aGroupsMailReleasedFromTheLinkQuarantineReachesItsMembers() throws Exception {
        String readers = "readers@" + DOMAIN;
        assertThat(JAMES.webAdmin().send("PUT", "/address/groups/" + readers + "/" + CAROL, null).statusCode()).isEqualTo(204);
        send("news@sender.test", readers, "From: news@sender.test\r\nTo: " + readers + "\r\nSubject: Unread group links\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: text/html; charset=x-no-such-charset\r\n\r\n"
                + "<p><a href=\"https://shop.example/unread\">shop</a></p>\r\n");
        String key = JAMES.webAdmin().awaitKeyOfSubject(LINK_QUARANTINE, "Unread group links", WAIT);

        HttpResponse<String> release = JAMES.webAdmin().reprocess(LINK_QUARANTINE, key, "link-released");
        assertThat(release.statusCode()).as(release.body()).isEqualTo(201);
        String raw = JAMES.imap(CAROL, PASSWORD).awaitMessageContaining("Unread group links", WAIT);
        assertThat(raw).contains("<a href=\"https://shop.example/unread\">shop</a>");
        assertThat(SubmissionIT.headerLine(raw, "X-Tollgate-Links")).contains("unexamined=1");
        assertThat(JAMES.webAdmin().mailKeys(LINK_QUARANTINE)).doesNotContain(key);
        assertThat(JAMES.webAdmin().mailKeys("memory://var/mail/error/")).isEmpty();
    }

    /**
     * A group address (James's recipient rewrite table) is no user: its mail is rewritten, for the group's address,
     * before James's RecipientRewriteTable mailet hands it to the members.
     */
    @Test
    void mailToALocalGroupArrivesRewritten() throws Exception {
        String team = "team@" + DOMAIN;
        assertThat(JAMES.webAdmin().send("PUT", "/address/groups/" + team + "/" + CAROL, null).statusCode()).isEqualTo(204);
        assertThat(JAMES.webAdmin().send("GET", "/address/groups/" + team, null).body()).contains(CAROL);
        send("news@sender.test", team, "From: news@sender.test\r\nTo: " + team + "\r\nSubject: Group links\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
                + "<p><a href=\"https://shop.example/group\">shop</a></p>\r\n");
        String raw = JAMES.imap(CAROL, PASSWORD).awaitMessageContaining("Group links", WAIT);

        assertThat(SubmissionIT.headerLine(raw, "X-Tollgate-Links")).contains("links=1; rewritten=1;");
        List<String> links = hrefs(decoded(parse(raw)));
        assertThat(links).singleElement().asString().startsWith(PUBLIC_BASE + "/r/");
        HttpResponse<String> clicked = click(links.get(0));
        assertThat(clicked.statusCode()).isEqualTo(302);
        assertThat(clicked.headers().firstValue("Location")).hasValue("https://shop.example/group");
    }

    /**
     * Three links in an 8bit line of about 800 octets: rewritten, the line would pass the 998 octets a line may hold
     * (RFC 5322 §2.1.1), which a relay breaks inside a link or refuses. The part arrives quoted-printable, every line
     * short, its links leading to the originals.
     */
    @Test
    void aLineTheRewrittenLinksWouldLengthenPast998OctetsArrivesQuotedPrintable() throws Exception {
        String line = "<p>" + "word ".repeat(130) + "<a href=\"https://shop.example/l1\">one</a> "
                + "<a href=\"https://shop.example/l2\">two</a> <a href=\"https://shop.example/l3\">three</a> caf\u00e9</p>";
        send("news@sender.test", CAROL, "From: news@sender.test\r\nTo: " + CAROL + "\r\nSubject: Long line links\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                + line + "\r\n");
        String raw = JAMES.imap(CAROL, PASSWORD).awaitMessageContaining("Long line links", WAIT);

        MimeMessage m = parse(raw);
        assertThat(m.getEncoding()).isEqualTo("quoted-printable");
        assertThat(raw.split("\r\n")).allMatch(l -> l.length() <= 998);
        String html = decoded(m);
        assertThat(html).contains("word word").contains("caf\u00e9");
        List<String> links = hrefs(html);
        assertThat(links).hasSize(3).allMatch(l -> l.startsWith(PUBLIC_BASE + "/r/"));
        HttpResponse<String> clicked = click(links.get(2));
        assertThat(clicked.statusCode()).isEqualTo(302);
        assertThat(clicked.headers().firstValue("Location")).hasValue("https://shop.example/l3");
    }

    /**
     * A javascript: link submitted over 587 is judged malicious and cannot go through the redirector: it arrives
     * neutralised (its href leads to the redirector's warning page), its anchor text kept.
     */
    @Test
    void javascriptLinkSubmittedOverSubmissionArrivesNeutralised() throws Exception {
        String html = "<p>Your invoice: <a href=\"javascript:alert(document.cookie)\">Open invoice</a> or "
                + "<a href=\"https://shop.example/invoice\">view it online</a></p>\r\n";
        String message = "From: " + BOB + "\r\nTo: " + DAVE + "\r\nSubject: Script link\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/html; charset=utf-8\r\n\r\n" + html;
        JAMES.submit(BOB, PASSWORD, message.getBytes(StandardCharsets.UTF_8), DAVE);
        String raw = JAMES.imap(DAVE, PASSWORD).awaitMessageContaining("Script link", WAIT);

        assertThat(SubmissionIT.headerLine(raw, "X-Tollgate-Links")).contains("rewritten=2; neutralised=1;")
                .contains("malicious=1").contains("reasons=DANGEROUS_SCHEME").contains("mode=enforce");
        String delivered = decoded(parse(raw));
        assertThat(delivered.toLowerCase(Locale.ROOT)).doesNotContain("javascript:");
        assertThat(delivered).contains(">Open invoice</a>").contains(">view it online</a>");
        List<String> links = hrefs(delivered);
        assertThat(links).hasSize(2).allMatch(l -> l.startsWith(PUBLIC_BASE + "/r/"));

        for (String query : new String[] {"", "?continue=1"}) {
            HttpResponse<String> blocked = click(links.get(0) + query);
            assertThat(blocked.statusCode()).isEqualTo(200);
            assertThat(blocked.headers().firstValue("Location")).isEmpty();
            assertThat(blocked.body()).contains("dangerous").contains("javascript:alert(document.cookie)")
                    .doesNotContain("continue=1");
        }
        HttpResponse<String> online = click(links.get(1));
        assertThat(online.statusCode()).isEqualTo(302);
        assertThat(online.headers().firstValue("Location")).hasValue("https://shop.example/invoice");
    }

    /**
     * Links whose host is 127.0.0.1 written as browsers also accept it (hexadecimal, one number, fewer parts, octal,
     * mixed, IPv6), submitted over 587 to a redirector published on 127.0.0.1 itself, arrive rewritten: none stays live
     * in the delivered mail. The redirector reads each host as the browser would (127.0.0.1, written to hide it:
     * malicious) and never sends the reader there, not even with continue=1. The redirector's own /r/ link and a
     * mailto: stay as written.
     */
    @Test
    void numericHostLinksSubmittedOverSubmissionArriveRewritten() throws Exception {
        String[] obfuscated = {"http://0x7f000001/", "http://2130706433/admin", "http://127.1/", "http://0177.0.0.1/",
            "http://0x7f.1/x", "http://0x7f000001:8480/r/AAAA"};
        String[] ipv6 = {"http://[::ffff:7f00:1]/", "http://[0:0:0:0:0:0:0:1]/"};
        StringBuilder html = new StringBuilder("<p>Numeric hosts</p>\r\n");
        for (String url : obfuscated) {
            html.append("<a href=\"").append(url).append("\">o</a>\r\n");
        }
        for (String url : ipv6) {
            html.append("<a href=").append(url).append(">v6</a>\r\n");
        }
        String ours = PUBLIC_BASE + "/r/AAAA";
        html.append("<a href=\"").append(ours).append("\">ours</a> <a href=\"mailto:help@127.0.0.1\">m</a>\r\n");
        String messageId = "<numeric-" + System.nanoTime() + "@" + DOMAIN + ">";
        String message = "From: " + BOB + "\r\nTo: " + DAVE + "\r\nSubject: Numeric hosts\r\nMessage-ID: " + messageId
                + "\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html;
        JAMES.submit(BOB, PASSWORD, message.getBytes(StandardCharsets.UTF_8), DAVE);
        String raw = JAMES.imap(DAVE, PASSWORD).awaitMessageContaining("Numeric hosts", WAIT);

        int numeric = obfuscated.length + ipv6.length;
        assertThat(SubmissionIT.headerLine(raw, "X-Tollgate-Links")).contains("links=" + (numeric + 2))
                .contains("rewritten=" + numeric + ";").contains("malicious=" + obfuscated.length)
                .contains("OBFUSCATED_IP").contains("mode=enforce");
        String delivered = decoded(parse(raw));
        List<String> links = hrefs(delivered);
        assertThat(links).hasSize(numeric + 2);
        assertThat(links.subList(0, numeric)).allMatch(l -> l.startsWith(PUBLIC_BASE + "/r/") && !l.equals(ours));
        assertThat(links.subList(numeric, numeric + 2)).containsExactly(ours, "mailto:help@127.0.0.1");
        for (String url : obfuscated) {
            assertThat(delivered).doesNotContain("\"" + url + "\"");
        }
        for (int i = 0; i < obfuscated.length; i++) {
            for (String query : new String[] {"", "?continue=1"}) {
                HttpResponse<String> warned = click(links.get(i) + query);
                assertThat(warned.statusCode()).as(obfuscated[i]).isEqualTo(200);
                assertThat(warned.headers().firstValue("Location")).as(obfuscated[i]).isEmpty();
                assertThat(warned.body()).contains("dangerous").contains("obfuscated form (127.0.0.1)")
                        .doesNotContain("continue=1");
            }
        }
        assertThat(JAMES.logsOnceContaining("message=" + messageId + " host=127.0.0.1 verdict=MALICIOUS"))
                .contains("OBFUSCATED_IP");
    }

    /**
     * What a browser requests beyond a/area hrefs arrives rewritten: a link whose scheme holds a tab (under a base,
     * which must not swallow it as a relative path), an iframe src, the links of an iframe srcdoc document, a ping
     * list, a MathML href. An image source and an href on a span, which nothing follows, arrive as sent.
     */
    @Test
    void framesSrcdocPingMathAndTabbedLinksArriveRewritten() throws Exception {
        String html = "<html><head><base href=\"https://base.example/d/\"></head><body>\r\n"
                + "<a href=\"ht&#9;tps://www.evil.example/tab\">tab</a>\r\n"
                + "<iframe src=\"https://shop.example/frame\"></iframe>\r\n"
                + "<iframe srcdoc=\"<p>Framed</p><a href=&quot;https://www.evil.example/framed&quot;>f</a>\"></iframe>\r\n"
                + "<a href=\"https://shop.example/pinged\" ping=\"https://tracker.example/p\">pinged</a>\r\n"
                + "<math><mi href=\"https://shop.example/math\">m</mi></math>\r\n"
                + "<img src=\"https://img.example/x.png\"><span href=\"https://span.example/\">s</span>\r\n"
                + "</body></html>\r\n";
        String messageId = "<frames-" + System.nanoTime() + "@sender.test>";
        String message = "From: a@sender.test\r\nTo: " + CAROL + "\r\nSubject: Frames and pings\r\nMessage-ID: "
                + messageId + "\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html;
        send("a@sender.test", CAROL, message);
        String raw = JAMES.imap(CAROL, PASSWORD).awaitMessageContaining("Frames and pings", WAIT);
        assertThat(SubmissionIT.headerLine(raw, "X-Tollgate-Links")).contains("links=7;").contains("rewritten=6;").contains("malicious=2")
                .contains("reasons=BLOCKLISTED");
        String body = decoded(parse(raw));
        String tab = group(body, "<a href=\"([^\"]*)\">tab</a>", 1);
        String frame = group(body, "<iframe src=\"([^\"]*)\"></iframe>", 1);
        // the srcdoc document comes back escaped for its double-quoted attribute, its text as it was
        String srcdoc = group(body, "<iframe srcdoc=\"([^\"]*)\"></iframe>", 1).replace("&quot;", "\"").replace("&amp;", "&");
        assertThat(srcdoc).startsWith("<p>Framed</p><a href=\"");
        String framed = group(srcdoc, "<a href=\"([^\"]*)\">f</a>", 1);
        String pinged = group(body, "<a href=\"([^\"]*)\" ping=\"([^\"]*)\">pinged</a>", 1);
        String ping = group(body, "<a href=\"([^\"]*)\" ping=\"([^\"]*)\">pinged</a>", 2);
        String math = group(body, "<math><mi href=\"([^\"]*)\">m</mi></math>", 1);
        for (String link : List.of(tab, frame, framed, pinged, ping, math)) {
            assertThat(link).startsWith(PUBLIC_BASE + "/r/");
        }
        assertThat(body).contains("<img src=\"https://img.example/x.png\"><span href=\"https://span.example/\">s</span>")
                .contains("<base href=\"https://base.example/d/\">");

        for (String evil : List.of(tab, framed)) {
            HttpResponse<String> warned = click(evil);
            assertThat(warned.statusCode()).isEqualTo(200);
            assertThat(warned.headers().firstValue("Location")).isEmpty();
            assertThat(warned.body()).contains("dangerous").contains("https://www.evil.example/");
        }
        assertThat(click(frame).headers().firstValue("Location")).hasValue("https://shop.example/frame");
        assertThat(click(math).headers().firstValue("Location")).hasValue("https://shop.example/math");
        // the browser POSTs its ping: the redirector serves GET only, so the tracker never hears of the click
        assertThat(request("POST", ping).statusCode()).isEqualTo(405);
        assertThat(JAMES.logsOnceContaining("message=" + messageId + " host=www.evil.example verdict=MALICIOUS"))
                .contains("message=" + messageId + " host=shop.example verdict=CLEAN");
    }

    /**
     * An unauthenticated sender on port 25 forges this server's Authentication-Results, Tollgate's headers and a
     * DKIM-Signature that cannot verify: the forged fields are gone, Tollgate's own are written once, and the
     * fake signature does not stop link rewriting.
     */
    @Test
    void forgedTrustHeadersAndAFakeDkimSignatureDoNotSurvive() throws Exception {
        String message = "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=sender.test; s=s1; h=from:subject;"
                + " bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=Zm9yZ2Vk\r\n"
                + "Authentication-Results: " + AUTHSERV_ID + "; auth=pass (mfa=totp) smtp.auth=ceo@" + DOMAIN + "\r\n"
                + "Authentication-Results: other.example; spf=pass smtp.mailfrom=sender.test\r\n"
                + "X-Tollgate-Link-Warning: none\r\nX-Tollgate-DLP: testing; verdict=clean\r\n"
                + "X-Tollgate-Links: enforce; links=0\r\nX-Tollgate-Transport: tls=yes; port=587; user=ceo@" + DOMAIN + "\r\n"
                + "From: ceo@" + DOMAIN + "\r\nTo: " + BOB + "\r\nSubject: Forged trust\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/html; charset=utf-8\r\n\r\n<a href=\"https://pay.example/invoice\">pay</a>\r\n";
        send("ceo@sender.test", BOB, message);
        String raw = JAMES.imap(BOB, PASSWORD).awaitMessageContaining("Forged trust", WAIT);
        MimeMessage m = parse(raw);
        assertThat(m.getHeader("Authentication-Results")).containsExactly("other.example; spf=pass smtp.mailfrom=sender.test");
        assertThat(raw).doesNotContain("mfa=totp").doesNotContain("X-Tollgate-Link-Warning").doesNotContain("X-Tollgate-DLP")
                .doesNotContain("links=0").doesNotContain("port=587");
        assertThat(m.getHeader("X-Tollgate-Transport")).hasSize(1).allMatch(v -> v.contains("port=25"));
        assertThat(m.getHeader("X-Tollgate-Links")).hasSize(1).allMatch(v -> v.contains("rewritten=1"));
        assertThat(raw).doesNotContain("https://pay.example/invoice").contains(PUBLIC_BASE + "/r/");
    }

    /**
     * An HTML part padded past RewriteLinks' maxPartBytes (4 MiB shipped) cannot be read, so its links would reach
     * the reader neither scanned nor rewritten: the shipped configuration quarantines such mail (HasUnexaminedLinks).
     */
    @Test
    void htmlPartPaddedPastMaxPartBytesIsQuarantinedNotDeliveredUnprotected() throws Exception {
        StringBuilder html = new StringBuilder("<html><body><a href=\"https://www.evil.example/login\">Log in</a>\r\n");
        String pad = "<p style=\"display:none\">" + "x".repeat(60) + "</p>\r\n";
        while (html.length() < 4 * 1024 * 1024 + 100_000) {
            html.append(pad);
        }
        html.append("</body></html>\r\n");
        String message = "From: news@pad.example\r\nTo: " + CAROL + "\r\nSubject: Padded links\r\n"
                + "Message-ID: <padded@pad.example>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/html; charset=utf-8\r\n\r\n" + html;
        send("news@pad.example", CAROL, message);

        Awaitility.await().atMost(WAIT).until(() -> JAMES.webAdmin().mailKeys(LINK_QUARANTINE).size() == 1);
        String key = JAMES.webAdmin().mailKeys(LINK_QUARANTINE).get(0);
        String stored = JAMES.webAdmin().mailContent(LINK_QUARANTINE, key);
        assertThat(SubmissionIT.headerLine(stored, "X-Tollgate-Links")).contains("rewritten=0").contains("skipped=1")
                .contains("unexamined=1").contains("mode=enforce");
        assertThat(stored).contains("Subject: Padded links");
        assertThat(JAMES.logsOnceContaining("links not examined (neither scanned nor rewritten)"))
                .contains("1: text/html larger than 4194304 bytes, not examined");
        assertThat(JAMES.webAdmin().mailKeys("memory://var/mail/error/")).isEmpty();

        // the same message, small enough to read, is delivered with its link rewritten
        String unpadded = message.replace("Padded links", "Unpadded links").replace("<padded@", "<unpadded@");
        String small = unpadded.substring(0, unpadded.indexOf("</a>") + 4) + "\r\n";
        send("news@pad.example", CAROL, small);
        String raw = JAMES.imap(CAROL, PASSWORD).awaitMessageContaining("Unpadded links", WAIT);
        assertThat(SubmissionIT.headerLine(raw, "X-Tollgate-Links")).contains("rewritten=1").doesNotContain("unexamined");
        assertThat(JAMES.webAdmin().mailKeys(LINK_QUARANTINE)).hasSize(1);
    }

    /**
     * An HTML part with two Content-Transfer-Encoding fields (base64 and quoted-printable): a client reading the first
     * sees a link, one reading the second sees none, so its links are not examined and the mail goes to the link
     * quarantine. The mail is removed from there afterwards, so the other tests find the repository as they left it.
     */
    @Test
    void htmlPartWithTwoTransferEncodingsIsQuarantinedNotDeliveredUnprotected() throws Exception {
        List<String> before = JAMES.webAdmin().mailKeys(LINK_QUARANTINE);
        String html = "<html><body><a href=\"https://www.evil.example/login\">Log in</a></body></html>";
        String message = "From: news@twice.example\r\nTo: " + CAROL + "\r\nSubject: Two encodings\r\n"
                + "Message-ID: <twice@twice.example>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
                + "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n"
                + "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
                + java.util.Base64.getMimeEncoder().encodeToString(html.getBytes(StandardCharsets.UTF_8)) + "\r\n--b--\r\n";
        send("news@twice.example", CAROL, message);

        Awaitility.await().atMost(WAIT).until(() -> JAMES.webAdmin().mailKeys(LINK_QUARANTINE).size() == before.size() + 1);
        List<String> keys = new ArrayList<>(JAMES.webAdmin().mailKeys(LINK_QUARANTINE));
        keys.removeAll(before);
        assertThat(keys).hasSize(1);
        String stored = JAMES.webAdmin().mailContent(LINK_QUARANTINE, keys.get(0));
        assertThat(stored).contains("Subject: Two encodings");
        assertThat(SubmissionIT.headerLine(stored, "X-Tollgate-Links")).contains("verdict=unexamined;").contains("rewritten=0")
                .contains("unexamined=1");
        assertThat(JAMES.logsOnceContaining("2 Content-Transfer-Encoding fields, not examined"))
                .contains("links not examined (neither scanned nor rewritten)");
        assertThat(JAMES.imap(CAROL, PASSWORD).messages()).noneMatch(m -> m.contains("Subject: Two encodings"));
        assertThat(JAMES.webAdmin().mailKeys("memory://var/mail/error/")).isEmpty();
        JAMES.webAdmin().removeMail(LINK_QUARANTINE, keys.get(0));
        assertThat(JAMES.webAdmin().mailKeys(LINK_QUARANTINE)).containsExactlyInAnyOrderElementsOf(before);
    }

    /**
     * Links a sender hides from the scan, each over SMTP: in a message attached four levels deep (deeper than the
     * shipped maxMessageDepth of 3), in an attached message whose multipart boundary never comes (a client shows
     * that body as text, links and all), and in an attached message whose Content-Type does not parse (a client reads
     * the type before the first ';'). No mail reaches the mailbox: all are in the link quarantine as not examined,
     * then removed from there, so the other tests find the repository as they left it.
     */
    @Test
    void linksHiddenByNestingABrokenMultipartOrAnUnparsableTypeAreQuarantined() throws Exception {
        List<String> before = JAMES.webAdmin().mailKeys(LINK_QUARANTINE);
        String nested = "Content-Type: text/html; charset=utf-8\r\n\r\n<a href=\"https://www.evil.example/login\">Log in</a>\r\n";
        for (int level = 0; level < 4; level++) {
            nested = "Subject: Fwd " + level + "\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=n" + level
                    + "\r\n\r\n--n" + level + "\r\nContent-Type: message/rfc822\r\n\r\n" + nested + "--n" + level + "--\r\n";
        }
        send("news@deep.example", CAROL, "From: news@deep.example\r\nTo: " + CAROL + "\r\nMessage-ID: <deep@deep.example>\r\n"
                + nested.replace("Subject: Fwd 3", "Subject: Deeply nested"));
        String broken = "Subject: inner\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"never\"\r\n\r\n"
                + "<a href=\"https://www.evil.example/login\">Log in</a>\r\n";
        sendWithAttachedMessage("news@broken.example", "Broken inner multipart", broken);

        String badType = "Subject: inner\r\nContent-Type: text/html; charset=utf-8; x\r\n\r\n"
                + "<a href=\"https://www.evil.example/login\">Log in</a>\r\n";
        sendWithAttachedMessage("news@badtype.example", "Unparsable inner type", badType);

        Awaitility.await().atMost(WAIT).until(() -> JAMES.webAdmin().mailKeys(LINK_QUARANTINE).size() == before.size() + 3);
        List<String> keys = new ArrayList<>(JAMES.webAdmin().mailKeys(LINK_QUARANTINE));
        keys.removeAll(before);
        List<String> stored = new ArrayList<>();
        for (String key : keys) {
            stored.add(JAMES.webAdmin().mailContent(LINK_QUARANTINE, key));
        }
        assertThat(stored).anyMatch(m -> m.contains("Subject: Deeply nested")).anyMatch(m -> m.contains("Subject: Broken inner multipart"))
                .anyMatch(m -> m.contains("Subject: Unparsable inner type"))
                .allMatch(m -> SubmissionIT.headerLine(m, "X-Tollgate-Links").contains("unexamined=1"));
        assertThat(JAMES.logsOnceContaining("attached message deeper than 3, not examined"))
                .contains("links not examined (neither scanned nor rewritten)");
        assertThat(JAMES.logsOnceContaining("malformed multipart")).contains("links not examined (neither scanned nor rewritten)");
        assertThat(JAMES.imap(CAROL, PASSWORD).messages()).noneMatch(m -> m.contains("Subject: Deeply nested"))
                .noneMatch(m -> m.contains("Subject: Broken inner multipart")).noneMatch(m -> m.contains("Subject: Unparsable inner type"));
        assertThat(JAMES.webAdmin().mailKeys("memory://var/mail/error/")).isEmpty();
        for (String key : keys) {
            JAMES.webAdmin().removeMail(LINK_QUARANTINE, key);
        }
        assertThat(JAMES.webAdmin().mailKeys(LINK_QUARANTINE)).containsExactlyInAnyOrderElementsOf(before);
    }

    /** Sends CAROL a mail from {@code sender} with a line of text and {@code attached} as a message/rfc822 part. */
    private static void sendWithAttachedMessage(String sender, String subject, String attached) {
        String id = "<" + subject.replace(' ', '-') + "@" + sender.substring(sender.indexOf('@') + 1) + ">";
        send(sender, CAROL, "From: " + sender + "\r\nTo: " + CAROL + "\r\nSubject: " + subject + "\r\nMessage-ID: " + id
                + "\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain"
                + "\r\n\r\nsee attached\r\n--b\r\nContent-Type: message/rfc822\r\n\r\n" + attached + "--b--\r\n");
    }

    /**
     * Links a browser reads as https://host although they lack the "//" (https:host, https:///host, http:\\host) are
     * rewritten like any other and checked at click time against the host the browser would visit.
     */
    @Test
    void linksWithoutDoubleSlashAreRewrittenAndCheckedAsTheBrowserReadsThem() throws Exception {
        String html = "<a href=\"https:www.evil.example/login\">one</a>\r\n"
                + "<a href=\"http:\\\\shop.example\\p?q=1\">two</a>\r\n"
                + "<a href=\"https:///evil.example/x\">three</a>\r\n"
                + "<a href=\"mailto:help@evil.example\">four</a> <a href=\"urn:evil.example\">five</a>\r\n";
        String messageId = "<slashes-" + System.nanoTime() + "@sender.test>";
        String message = "From: a@sender.test\r\nTo: " + DAVE + "\r\nSubject: Slashless links\r\nMessage-ID: " + messageId
                + "\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html;
        send("a@sender.test", DAVE, message);
        String raw = JAMES.imap(DAVE, PASSWORD).awaitMessageContaining("Slashless links", WAIT);
        assertThat(SubmissionIT.headerLine(raw, "X-Tollgate-Links")).contains("rewritten=3").contains("malicious=2")
                .contains("reasons=BLOCKLISTED");
        List<String> links = hrefs(decoded(parse(raw)));
        assertThat(links).hasSize(5);
        assertThat(links.subList(0, 3)).allMatch(l -> l.startsWith(PUBLIC_BASE + "/r/"));
        assertThat(links.subList(3, 5)).containsExactly("mailto:help@evil.example", "urn:evil.example");

        HttpResponse<String> evil = click(links.get(0));
        assertThat(evil.statusCode()).isEqualTo(200);
        assertThat(evil.headers().firstValue("Location")).isEmpty();
        assertThat(evil.body()).contains("dangerous");
        HttpResponse<String> shop = click(links.get(1));
        assertThat(shop.statusCode()).isEqualTo(302);
        assertThat(shop.headers().firstValue("Location")).hasValue("http://shop.example/p?q=1");
        assertThat(click(links.get(2)).statusCode()).isEqualTo(200);
        assertThat(JAMES.logsOnceContaining("message=" + messageId + " host=www.evil.example verdict=MALICIOUS"))
                .contains("message=" + messageId + " host=shop.example verdict=CLEAN");
    }

    /**
     * Everything a reader's browser follows out of an HTML mail, not only a/area hrefs: a meta refresh, a
     * scheme-relative href (read as https: as in a webmail page), an SVG xlink:href, a form action and a button
     * formaction, a relative href under a scheme-relative base. Each arrives rewritten and is checked at click
     * time; a form's POST is refused by the redirector. mailto:, cid:, the base element and script text are kept.
     * An attached HTML file is scanned (its malicious form flags the mail) but arrives as it was sent.
     */
    @Test
    void everyLinkABrowserFollowsIsRewrittenAndAnAttachedHtmlFileIsScannedNotChanged() throws Exception {
        String html = "<html><head><meta http-equiv=\"refresh\" content=\"0;url=http://www.evil.example/x\">"
                + "<base href=\"//base.example/d/\"></head><body>\r\n"
                + "<a href=\"//www.evil.example/path\">a</a>\r\n"
                + "<svg><a xlink:href=\"http://svg.example/x\"><text>t</text></a></svg>\r\n"
                + "<form action=\"http://form.example/post\" method=\"post\"><input name=\"p\">"
                + "<button formaction=\"https://form.example/alt\">go</button></form>\r\n"
                + "<a href=\"rel/path\">rel</a>\r\n"
                + "<a href=\"mailto:help@shop.example\">m</a> <img src=\"cid:logo\">\r\n"
                + "<script>var s = '<a href=\"http://script.example/\">';</script>\r\n</body></html>\r\n";
        String attached = "<html><body><form action=\"https://login.evil.example/\" method=\"post\">"
                + "<input name=\"password\" type=\"password\"></form></body></html>\r\n";
        String messageId = "<followed-" + System.nanoTime() + "@sender.test>";
        String message = "From: a@sender.test\r\nTo: " + DAVE + "\r\nSubject: Followed links\r\nMessage-ID: " + messageId
                + "\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
                + "--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html
                + "--b\r\nContent-Type: text/html; charset=utf-8; name=\"invoice.html\"\r\n"
                + "Content-Disposition: attachment; filename=\"invoice.html\"\r\n\r\n" + attached + "--b--\r\n";
        send("a@sender.test", DAVE, message);
        String raw = JAMES.imap(DAVE, PASSWORD).awaitMessageContaining("Followed links", WAIT);

        assertThat(SubmissionIT.headerLine(raw, "X-Tollgate-Links")).contains("verdict=malicious").contains("links=9")
                .contains("rewritten=6").contains("malicious=3").contains("reasons=BLOCKLISTED").contains("skipped=1");
        assertThat(SubmissionIT.headerLine(raw, "X-Tollgate-Link-Warning")).contains("suspicious-or-malicious-links");
        MimeMultipart parts = (MimeMultipart) parse(raw).getContent();
        String body = decoded((MimePart) parts.getBodyPart(0));
        assertThat(decoded((MimePart) parts.getBodyPart(1)) + "\r\n").isEqualTo(attached);

        Matcher tokens = Pattern.compile(Pattern.quote(PUBLIC_BASE) + "/r/[A-Za-z0-9_-]+").matcher(body);
        List<String> links = new ArrayList<>();
        while (tokens.find()) {
            links.add(tokens.group());
        }
        assertThat(links).hasSize(6);
        assertThat(body).contains("<meta http-equiv=\"refresh\" content=\"0;url=" + links.get(0) + "\">")
                .contains("<a href=\"" + links.get(1) + "\">a</a>").contains("<a xlink:href=\"" + links.get(2) + "\">")
                .contains("<form action=\"" + links.get(3) + "\" method=\"post\">")
                .contains("<button formaction=\"" + links.get(4) + "\">").contains("<a href=\"" + links.get(5) + "\">rel</a>")
                .contains("<base href=\"//base.example/d/\">").contains("<a href=\"mailto:help@shop.example\">")
                .contains("<img src=\"cid:logo\">").contains("'<a href=\"http://script.example/\">'");

        for (String evil : links.subList(0, 2)) {
            HttpResponse<String> warned = click(evil);
            assertThat(warned.statusCode()).isEqualTo(200);
            assertThat(warned.headers().firstValue("Location")).isEmpty();
            assertThat(warned.body()).contains("dangerous");
        }
        String[] expected = {"http://svg.example/x", "http://form.example/post", "https://form.example/alt",
            "https://base.example/d/rel/path"};
        for (int i = 0; i < expected.length; i++) {
            HttpResponse<String> followed = click(links.get(2 + i));
            assertThat(followed.statusCode()).as(expected[i]).isEqualTo(302);
            assertThat(followed.headers().firstValue("Location")).hasValue(expected[i]);
        }
        // the form posts to the redirector, which serves GET only: the password never leaves
        assertThat(request("POST", links.get(3)).statusCode()).isEqualTo(405);
        assertThat(JAMES.logsOnceContaining("message=" + messageId + " host=www.evil.example verdict=MALICIOUS"))
                .contains("message=" + messageId + " host=base.example verdict=CLEAN");
    }

    private static LinkTokenSigner containerSigner(java.time.Clock clock) throws Exception {
        String keys = JAMES.copyFileFromContainer(KEY_FILE, in -> new String(in.readAllBytes(), StandardCharsets.UTF_8));
        String first = keys.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).findFirst().orElseThrow();
        int colon = first.indexOf(':');
        return LinkTokenSigner.builder().signingKey(first.substring(0, colon),
                java.util.Base64.getDecoder().decode(first.substring(colon + 1).trim())).clock(clock).build();
    }

    /**
     * With tokenMaxAge=0 (tokens never expire) a token issued an hour in the future is still refused (400), while
     * one issued 100 days ago is followed; after a rotation whose old key is then removed, a link signed with that
     * key gets 410 "Link expired" without its destination, and a damaged token still gets 400.
     */
    @Test
    void futureTokensAreRefusedWithoutALifetimeAndRetiredKeysGet410() throws Exception {
        java.time.Instant now = java.time.Instant.now();
        String old = containerSigner(java.time.Clock.fixed(now.minus(Duration.ofDays(100)), java.time.ZoneOffset.UTC))
                .sign("https://shop.example/old", "", "<old@x>");
        assertThat(click(PUBLIC_BASE + "/r/" + old).statusCode()).as("tokenMaxAge=0 applied: no expiry").isEqualTo(302);
        String future = containerSigner(java.time.Clock.fixed(now.plus(Duration.ofHours(1)), java.time.ZoneOffset.UTC))
                .sign("https://shop.example/future", "", "<future@x>");
        HttpResponse<String> refused = click(PUBLIC_BASE + "/r/" + future);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.headers().firstValue("Location")).isEmpty();

        String message = "From: a@sender.test\r\nTo: " + BOB + "\r\nSubject: Before rotation\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/html; charset=utf-8\r\n\r\n<a href=\"https://shop.example/rotated\">r</a>\r\n";
        send("a@sender.test", BOB, message);
        String link = hrefs(decoded(parse(JAMES.imap(BOB, PASSWORD).awaitMessageContaining("Before rotation", WAIT)))).get(0);
        assertThat(click(link).statusCode()).isEqualTo(302);
        String retiredId = containerSigner(java.time.Clock.systemUTC()).signingKeyId();

        HttpResponse<String> rotated = JAMES.webAdmin().send("POST", "/tollgate/link-keys", null);
        assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(201);
        assertThat(click(link).statusCode()).as("the old key still verifies after a rotation").isEqualTo(302);
        // remove the old key, as a rotation does once it was superseded more than tokenMaxAge ago
        org.testcontainers.containers.Container.ExecResult removed = JAMES.execInContainer("sed", "-i",
                "/^" + retiredId + ":/d", KEY_FILE);
        assertThat(removed.getExitCode()).as(removed.getStderr()).isZero();
        String remaining = JAMES.copyFileFromContainer(KEY_FILE, in -> new String(in.readAllBytes(), StandardCharsets.UTF_8));
        assertThat(remaining).doesNotContain(retiredId + ":");

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> click(link).statusCode() == 410);
        HttpResponse<String> gone = click(link);
        assertThat(gone.body()).contains("Link expired").contains("retired").doesNotContain("shop.example");
        assertThat(gone.headers().firstValue("Location")).isEmpty();
        assertThat(request("HEAD", link).statusCode()).isEqualTo(410);
        assertThat(click(link.substring(0, link.length() - 4)).statusCode()).as("a damaged token").isEqualTo(400);
    }
}
