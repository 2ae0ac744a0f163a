package dev.tollgate.james.links;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.server.core.MimeMessageWrapper;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeUtils;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tollgate.core.MailAttributes;
import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Parameters;
import dev.tollgate.core.links.LinkKeys;
import dev.tollgate.core.links.LinkTokenSigner;
import dev.tollgate.james.testing.JamesMessages;

class RewriteLinksTest {
    @TempDir
    Path dir;

    private final org.apache.mailet.base.test.FakeMailContext context =
            org.apache.mailet.base.test.FakeMailContext.defaultContext();

    private RewriteLinks mailet(String... params) throws Exception {
        Files.write(dir.resolve("block.txt"), "evil.example\n".getBytes(StandardCharsets.UTF_8));
        FakeMailetConfig.Builder config = FakeMailetConfig.builder().mailetName("RewriteLinks").mailetContext(context)
                .setProperty("redirectorUrl", "https://links.test")
                .setProperty("keyFile", dir.resolve("keys").toString())
                .setProperty("blockList", dir.resolve("block.txt").toString());
        for (int i = 0; i < params.length; i += 2) {
            config.setProperty(params[i], params[i + 1]);
        }
        RewriteLinks m = new RewriteLinks();
        m.init(config.build());
        return m;
    }

    private static final String HTML = "From: a@sender.test\r\nTo: bob@example.com\r\nMessage-ID: <m1@sender.test>\r\n"
            + "X-Tollgate-Links: verdict=clean; forged\r\nContent-Type: text/html; charset=utf-8\r\n"
            + "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
            + "<a href=3D\"https://shop.example/?a=3D1\">shop</a> <a href=3D\"https://evil.example/\">x</a>"
            + " <a href=3D\"mailto:a@b.test\">m</a>\r\n";

    private static Mail mail(String raw) throws MessagingException {
        return FakeMail.builder().name("m1")
                .mimeMessage(JamesMessages.parse(raw.getBytes(StandardCharsets.UTF_8)))
                .recipient("bob@example.com").build();
    }

    private static String body(MimeMessage m) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void enforceRewritesAndSummarises() throws Exception {
        Mail mail = mail(HTML);
        mailet().service(mail);
        MimeMessage m = mail.getMessage();
        assertThat(m.getHeader("X-Tollgate-Links")).containsExactly(
                "verdict=malicious; links=3; rewritten=2; suspicious=0; malicious=1; reasons=BLOCKLISTED; mode=enforce");
        assertThat(m.getMessageID()).isEqualTo("<m1@sender.test>");
        assertThat(m.getEncoding()).isEqualTo("quoted-printable");
        String html = (String) m.getContent();
        assertThat(html).contains("href=\"https://links.test/r/").contains("href=\"mailto:a@b.test\"")
                .doesNotContain("shop.example");
        String token = html.substring(html.indexOf("/r/") + 3, html.indexOf('"', html.indexOf("/r/")));
        LinkTokenSigner signer = LinkKeys.load("k", dir.resolve("keys"), false, Duration.ZERO, Clock.systemUTC());
        assertThat(signer.verify(token).token().orElseThrow().url()).isEqualTo("https://shop.example/?a=1");
        assertThat(signer.verify(token).token().orElseThrow().recipientId()).isEqualTo(RewriteLinks.recipientId(mail)).hasSize(16);
        assertThat(AttributeUtils.getValueAndCastFromMail(mail, AttributeName.of(MailAttributes.LINKS_VERDICT), String.class))
                .hasValue("malicious");
        assertThat(AttributeUtils.getValueAndCastFromMail(mail, AttributeName.of(MailAttributes.LINKS_REWRITTEN), Integer.class))
                .hasValue(2);
    }

    @Test
    void recipientIdIsTheFirst16HexDigitsOfTheLowerCasedRecipientsSha256() throws Exception {
        // echo -n bob@example.com | sha256sum
        assertThat(RewriteLinks.recipientId(FakeMail.builder().name("m").recipient("Bob@Example.COM").build()))
                .isEqualTo("5ff860bf1190596c");
        assertThat(RewriteLinks.recipientId(FakeMail.builder().name("m").recipients("bob@example.com", "carol@example.com")
                .build())).isEmpty();
    }

    @Test
    void jamesMailKeepsTheRewrittenBytesWithoutACopy() throws Exception {
        org.apache.james.server.core.MailImpl mail = org.apache.james.server.core.MailImpl.builder().name("m1")
                .sender("a@sender.test").addRecipient("bob@example.com")
                .mimeMessage(JamesMessages.parse(HTML.getBytes(StandardCharsets.UTF_8))).build();
        mailet().service(mail);

        // MailImpl.setMessage would have copied the message into a source of James's own
        MimeMessageWrapper m = (MimeMessageWrapper) mail.getMessage();
        assertThat(m.getSourceId()).isEqualTo("tollgate-links:m1");
        assertThat(m.isModified()).isFalse();
        assertThat(m.getHeader("X-Tollgate-Links")[0]).startsWith("verdict=malicious; links=3; rewritten=2");
        String html = (String) m.getContent();
        assertThat(html).contains("href=\"https://links.test/r/").doesNotContain("shop.example");
        String written = body(m);
        assertThat(written).contains("Message-ID: <m1@sender.test>\r\n").contains("https://links.test/r/");
        assertThat(mail.getMessageSize()).isEqualTo(written.getBytes(StandardCharsets.UTF_8).length);
    }

    /**
     * A part JavaMail cannot parse where the link walk reads a message (a digest's child) or reads nothing (inside
     * multipart/encrypted): James's save would fail, so the message goes on as its bytes, to its recipient.
     */
    @Test
    void aMessageJamesCannotSaveWithoutUnexaminedLinksStillGoesOn() throws Exception {
        String bad = "Content-Type: application/octet-stream; name=\"a\r\n\r\nhello\r\n";
        String[] inner = {
            "Content-Type: multipart/digest; boundary=\"dd\"\r\n\r\n--dd\r\n" + bad + "--dd--\r\n",
            "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=\"ee\"\r\n\r\n--ee\r\n"
                + "Content-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n--ee\r\n" + bad + "--ee--\r\n"};
        for (String part : inner) {
            String raw = "From: a@sender.test\r\nTo: bob@example.com\r\nMessage-ID: <d1@sender.test>\r\nMIME-Version: 1.0\r\n"
                    + "Content-Type: multipart/mixed; boundary=\"mm\"\r\n\r\n--mm\r\nContent-Type: text/plain\r\n\r\nno link\r\n"
                    + "--mm\r\n" + part + "--mm--\r\n";
            Mail mail = mail(raw);
            mailet().service(mail);

            MimeMessage m = mail.getMessage();
            // the digest's child JavaMail cannot parse is not read (unexamined, never clean); what is inside
            // multipart/encrypted is never read (skipped, not unexamined)
            assertThat(m.getHeader("X-Tollgate-Links")[0]).startsWith(part.contains("multipart/digest")
                    ? "verdict=unexamined; links=0; rewritten=0" : "verdict=clean; links=0; rewritten=0");
            String written = body(m);
            assertThat(written).contains("Content-Type: multipart/mixed; boundary=\"mm\"\r\n")
                    .endsWith(raw.substring(raw.indexOf("\r\n\r\n") + 4));
        }
    }

    @Test
    void linkSettingsFileGivesTheKeyFileAndTheBlockList() throws Exception {
        Files.write(dir.resolve("block.txt"), "evil.example\n".getBytes(StandardCharsets.UTF_8));
        Path settings = dir.resolve("tollgate-links.properties");
        Files.write(settings, ("port=8480\nkeyFile=" + dir.resolve("shared.keys") + "\nblockList="
                + dir.resolve("block.txt") + "\n").getBytes(StandardCharsets.UTF_8));
        RewriteLinks m = new RewriteLinks();
        m.init(FakeMailetConfig.builder().mailetName("RewriteLinks").mailetContext(context)
                .setProperty("redirectorUrl", "https://links.test").setProperty("linkSettings", settings.toString())
                .build());
        Mail mail = mail(HTML);
        m.service(mail);

        assertThat(mail.getMessage().getHeader("X-Tollgate-Links")[0]).contains("malicious=1; reasons=BLOCKLISTED");
        String html = (String) mail.getMessage().getContent();
        String token = html.substring(html.indexOf("/r/") + 3, html.indexOf('"', html.indexOf("/r/")));
        LinkTokenSigner signer = LinkKeys.load("k", dir.resolve("shared.keys"), false, Duration.ZERO, Clock.systemUTC());
        assertThat(signer.verify(token).token().orElseThrow().url()).isEqualTo("https://shop.example/?a=1");

        assertThatThrownBy(() -> mailet("linkSettings", settings.toString())).isInstanceOf(MessagingException.class)
                .hasMessageContaining("parameter 'keyFile'").hasMessageContaining("set it there only");
    }

    @Test
    void anHttpRedirectorUrlIsRefusedWhenTheRedirectorServesHttps() throws Exception {
        Path settings = dir.resolve("tollgate-links.properties");
        Files.write(settings, ("tls=true\ntls.secret=x\nkeyFile=" + dir.resolve("shared.keys") + "\n")
                .getBytes(StandardCharsets.UTF_8));
        RewriteLinks http = new RewriteLinks();
        assertThatThrownBy(() -> http.init(FakeMailetConfig.builder().mailetName("RewriteLinks").mailetContext(context)
                .setProperty("redirectorUrl", "http://links.test").setProperty("linkSettings", settings.toString())
                .build())).isInstanceOf(MessagingException.class).hasMessageContaining("parameter 'redirectorUrl'")
                .hasMessageContaining("tls=true");
        RewriteLinks https = new RewriteLinks();
        https.init(FakeMailetConfig.builder().mailetName("RewriteLinks").mailetContext(context)
                .setProperty("redirectorUrl", "https://links.test").setProperty("linkSettings", settings.toString())
                .build());
        Mail mail = mail(HTML);
        https.service(mail);
        assertThat((String) mail.getMessage().getContent()).contains("https://links.test/r/");
    }

    @Test
    void withoutScanningNoVerdictIsRecordedSoLinkMatchersScanThemselves() throws Exception {
        Mail mail = mail(HTML);
        mailet("scan", "false").service(mail);
        assertThat(mail.getAttribute(AttributeName.of(MailAttributes.LINKS_VERDICT))).isEmpty();
        assertThat(mail.getMessage().getHeader("X-Tollgate-Links")[0]).as("never clean when not scanned")
                .startsWith("verdict=not_scanned; links=3; rewritten=2; suspicious=0; malicious=0");
        assertThat(AttributeUtils.getValueAndCastFromMail(mail, AttributeName.of(MailAttributes.LINKS_REWRITTEN),
                Integer.class)).hasValue(2);

        HasMaliciousLink matcher = new HasMaliciousLink();
        matcher.init(org.apache.mailet.base.test.FakeMatcherConfig.builder().matcherName("HasMaliciousLink")
                .condition("blockList=" + dir.resolve("block.txt")).build());
        assertThat(matcher.match(mail)).as("rewritten unscanned links cannot be judged: fail closed").hasSize(1);

        Mail clean = mail(HTML.replace("https://evil.example/", "https://shop.example/b"));
        mailet("scan", "false").service(clean);
        assertThat(matcher.match(clean)).as("not 'clean' by default either").hasSize(1);
    }

    @Test
    void testingModeNeverChangesTheBody() throws Exception {
        Mail mail = mail(HTML);
        mailet("mode", "testing").service(mail);
        assertThat(mail.getMessage().getHeader("X-Tollgate-Links")[0]).startsWith("verdict=malicious; links=3; rewritten=0")
                .endsWith("mode=testing");
        assertThat(body(mail.getMessage())).contains("<a href=3D\"https://shop.example/?a=3D1\">");
    }

    @Test
    void multipartIsRewrittenInPlaceKeepingMessageId() throws Exception {
        String raw = "Message-ID: <mp@x>\r\nContent-Type: multipart/alternative; boundary=b\r\n\r\n--b\r\n"
                + "Content-Type: text/plain\r\n\r\nhttps://shop.example/\r\n--b\r\nContent-Type: text/html\r\n\r\n"
                + "<a href=\"https://shop.example/\">s</a>\r\n--b--\r\n";
        Mail mail = mail(raw);
        mailet().service(mail);
        String out = body(mail.getMessage());
        assertThat(out).contains("Message-ID: <mp@x>").contains("<a href=\"https://links.test/r/")
                .contains("\r\n\r\nhttps://shop.example/\r\n--b");
        // James is handed the rewritten message as bytes: reading it does not serialise the multipart again
        org.apache.james.server.core.MimeMessageWrapper wrapper =
                (org.apache.james.server.core.MimeMessageWrapper) mail.getMessage();
        assertThat(wrapper.isModified()).isFalse();
        assertThat(new String(wrapper.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("<a href=\"https://links.test/r/");
        assertThat(body(mail.getMessage())).isEqualTo(out);
    }

    @Test
    void aChangedBodyIsWrittenAsJamesWritesItWithoutItsPipe() throws Exception {
        // a multipart/mixed holding a changed alternative and a base64 attachment, a folded header, 8-bit header text
        String raw = "Message-ID: <w@x>\r\nSubject: r\u00e9sum\u00e9 of the\r\n\tquarter\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=o\r\n\r\npreamble\r\n--o\r\n"
                + "Content-Type: multipart/alternative; boundary=b\r\n\r\n--b\r\n"
                + "Content-Type: text/plain\r\n\r\nhttps://shop.example/\r\n--b\r\nContent-Type: text/html\r\n"
                + "Content-Transfer-Encoding: quoted-printable\r\n\r\n<a href=3D\"https://shop.example/\">s</a>\r\n--b--\r\n"
                + "--o\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g\r\nISIj\r\n--o--\r\nepilogue\r\n";
        for (boolean change : new boolean[] {true, false}) {
            MimeMessage jamesWrites = JamesMessages.parse(raw.getBytes(StandardCharsets.ISO_8859_1));
            MimeMessage directWrites = JamesMessages.parse(raw.getBytes(StandardCharsets.ISO_8859_1));
            for (MimeMessage m : List.of(jamesWrites, directWrites)) {
                if (change) {
                    javax.mail.internet.MimeMultipart outer = (javax.mail.internet.MimeMultipart) m.getContent();
                    javax.mail.internet.MimeMultipart alternative =
                            (javax.mail.internet.MimeMultipart) outer.getBodyPart(0).getContent();
                    ((javax.mail.internet.MimeBodyPart) alternative.getBodyPart(1))
                            .setContent("<a href=\"https://links.test/r/x\">s</a>", "text/html");
                    m.setContent(outer); // as the link rewriter hands a changed tree back
                }
                m.saveChanges();
            }
            assertThat(((org.apache.james.server.core.MimeMessageWrapper) directWrites).isBodyModified())
                    .isEqualTo(change);
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            jamesWrites.writeTo(expected);
            ByteArrayOutputStream direct = new ByteArrayOutputStream();
            RewriteLinks.writeTo(directWrites, direct);
            assertThat(direct.toString(StandardCharsets.ISO_8859_1)).isEqualTo(expected.toString(StandardCharsets.ISO_8859_1))
                    .contains(change ? "links.test/r/x" : "shop.example").contains("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g")
                    .contains(" of the\r\n\tquarter");
        }
    }

    @Test
    void aMessageWithoutLinksIsSavedWithItsSummary() throws Exception {
        // as a rewritten one is: JavaMail adds MIME-Version, a Date and a Message-ID where the sender gave none
        Mail mail = mail("Subject: hi\r\n\r\nhello\r\n");
        mailet().service(mail);
        MimeMessage m = mail.getMessage();
        assertThat(m.getHeader("X-Tollgate-Links")[0]).contains("links=0");
        assertThat(m.getHeader("MIME-Version")).containsExactly("1.0");
        assertThat(m.getHeader("Date")).hasSize(1);
        assertThat(m.getMessageID()).isNotBlank();
    }

    @Test
    void aMessageJavaMailCannotSaveIsNotExaminedAndHandedOnAsItsBytes() throws Exception {
        // JavaMail cannot save such a message, and James saves a message whose header changed before it stores it:
        // the part counts as not examined (HasUnexaminedLinks quarantines the mail) and James gets the message's
        // bytes with the summary header, which it stores as they are, instead of the mailet or the store failing
        for (String type : new String[] {"multipart/mixed", "message/partial; id=\"f1; number=1"}) {
            Mail mail = mail("Content-Type: " + type + "\r\n\r\nno boundary at all\r\n");
            assertThatThrownBy(() -> mail.getMessage().saveChanges()).as(type).isInstanceOf(MessagingException.class);
            mailet().service(mail);
            assertThat(AttributeUtils.getValueAndCastFromMail(mail, AttributeName.of(MailAttributes.LINKS_UNEXAMINED),
                    Integer.class)).as(type).hasValue(1);
            assertThat(mail.getMessage()).isInstanceOf(MimeMessageWrapper.class);
            assertThat(((MimeMessageWrapper) mail.getMessage()).isModified()).isFalse();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            mail.getMessage().writeTo(out);
            assertThat(out.toString(StandardCharsets.ISO_8859_1)).as(type)
                    .contains("Content-Type: " + type + "\r\n").contains("X-Tollgate-Links: ").contains("unexamined=1")
                    .endsWith("\r\n\r\nno boundary at all\r\n");
        }
    }

    @Test
    void unreadableMessageThrowsForOnMailetException() throws Exception {
        Mail mail = FakeMail.builder().name("m1").mimeMessage(new MimeMessage((javax.mail.Session) null) {
            @Override
            public String getContentType() throws MessagingException {
                throw new MessagingException("broken store");
            }
        }).recipient("bob@example.com").build();
        assertThatThrownBy(() -> mailet().service(mail)).isInstanceOf(MessagingException.class)
                .hasMessageContaining("RewriteLinks");
    }

    @Test
    void concurrentUseIsSafe() throws Exception {
        RewriteLinks m = mailet();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                results.add(pool.submit(() -> {
                    Mail mail = mail(HTML);
                    m.service(mail);
                    return mail.getMessage().getHeader("X-Tollgate-Links")[0];
                }));
            }
            for (Future<String> f : results) {
                assertThat(f.get()).startsWith("verdict=malicious; links=3; rewritten=2");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void configurationErrorsNameTheParameter() {
        assertThatThrownBy(() -> RewriteLinksConfig.parse(Parameters.of(Map.of("keyFile", "k"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("redirectorUrl");
        assertThatThrownBy(() -> RewriteLinksConfig.parse(Parameters.of(Map.of("redirectorUrl", "ftp://x.test", "keyFile", "k"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("redirectorUrl");
        assertThatThrownBy(() -> RewriteLinksConfig.parse(Parameters.of(Map.of("redirectorUrl", "https://x.test", "keyFile", "k",
                "mode", "later")))).isInstanceOf(ConfigException.class).hasMessageContaining("mode");
        assertThatThrownBy(() -> RewriteLinksConfig.parse(Parameters.of(Map.of("redirectorUrl", "https://x.test", "keyFile", "k",
                "doNotRewrite", "a.*.test")))).isInstanceOf(ConfigException.class).hasMessageContaining("doNotRewrite");
        assertThatThrownBy(() -> RewriteLinksConfig.parse(Parameters.of(Map.of("redirectorUrl", "https://x.test", "keyFile", "k",
                "bogus", "1")))).isInstanceOf(ConfigException.class).hasMessageContaining("bogus");
        assertThatThrownBy(() -> RewriteLinksConfig.parse(Parameters.of(Map.of("redirectorUrl", "https://x.test", "keyFile", "k",
                "maxMessageDepth", "11")))).isInstanceOf(ConfigException.class).hasMessageContaining("maxMessageDepth");
        assertThatThrownBy(() -> RewriteLinksConfig.parse(Parameters.of(Map.of("redirectorUrl", "https://x.test", "keyFile", "k",
                "rewriteAttachedMessages", "perhaps")))).isInstanceOf(ConfigException.class).hasMessageContaining("rewriteAttachedMessages");
        assertThatThrownBy(() -> mailet("createKeyFile", "false", "keyFile", dir.resolve("absent").toString()))
                .isInstanceOf(MessagingException.class).hasMessageContaining("keyFile");
    }

    private static Mail mailTo(String... recipients) throws Exception {
        FakeMail.Builder b = FakeMail.builder().name("multi").state("links")
                .mimeMessage(JamesMessages.parse(HTML.getBytes(StandardCharsets.UTF_8)));
        for (String r : recipients) {
            b.recipient(r);
        }
        return b.build();
    }

    private static String token(String html) {
        int at = html.indexOf("/r/") + 3;
        return html.substring(at, html.indexOf('"', at));
    }

    @Test
    void severalRecipientsShareTokensWithoutRecipientIdByDefault() throws Exception {
        Mail mail = mailTo("bob@example.com", "carol@example.com");
        mailet().service(mail);
        assertThat(mail.getState()).isEqualTo("links");
        assertThat(context.getSentMails()).isEmpty();
        LinkTokenSigner signer = LinkKeys.load("k", dir.resolve("keys"), false, Duration.ZERO, Clock.systemUTC());
        assertThat(signer.verify(token((String) mail.getMessage().getContent())).token().orElseThrow().recipientId()).isEmpty();
    }

    @Test
    void splitPerRecipientSendsOneCopyPerRecipientEachGettingItsOwnRecipientId() throws Exception {
        RewriteLinks m = mailet("splitPerRecipient", "true");
        Mail mail = mailTo("bob@example.com", "carol@example.com");
        m.service(mail);
        assertThat(mail.getState()).isEqualTo(Mail.GHOST);
        assertThat(context.getSentMails()).hasSize(2);
        LinkTokenSigner signer = LinkKeys.load("k", dir.resolve("keys"), false, Duration.ZERO, Clock.systemUTC());
        List<String> ids = new ArrayList<>();
        for (org.apache.mailet.base.test.FakeMailContext.SentMail sent : context.getSentMails()) {
            assertThat(sent.getState()).isEqualTo("links");
            assertThat(sent.getRecipients()).hasSize(1);
            // the copy comes back to the processor with one recipient: now it is rewritten for that recipient
            Mail copy = FakeMail.builder().name("copy").mimeMessage(sent.getMsg()).recipients(new ArrayList<>(sent.getRecipients())).build();
            m.service(copy);
            String rcptId = signer.verify(token((String) copy.getMessage().getContent())).token().orElseThrow().recipientId();
            assertThat(rcptId).isEqualTo(RewriteLinks.recipientId(copy)).hasSize(16);
            ids.add(rcptId);
        }
        assertThat(ids).doesNotHaveDuplicates();
    }

    @Test
    void splitGoesToTheNamedProcessorAndNeverHappensInTestingMode() throws Exception {
        Mail mail = mailTo("bob@example.com", "carol@example.com");
        mailet("splitPerRecipient", "true", "splitProcessor", "links-split").service(mail);
        assertThat(context.getSentMails()).extracting(org.apache.mailet.base.test.FakeMailContext.SentMail::getState)
                .containsExactly("links-split", "links-split");
        context.resetSentMails();
        Mail testing = mailTo("bob@example.com", "carol@example.com");
        mailet("splitPerRecipient", "true", "mode", "testing").service(testing);
        assertThat(context.getSentMails()).isEmpty();
        assertThat(testing.getState()).isEqualTo("links");
        assertThatThrownBy(() -> RewriteLinksConfig.parse(Parameters.of(Map.of("redirectorUrl", "https://x.test", "keyFile", "k",
                "splitProcessor", "p")))).isInstanceOf(ConfigException.class).hasMessageContaining("splitProcessor");
    }

    @Test
    void aMailAlreadyHandledIsLeftAsIs() throws Exception {
        RewriteLinks m = mailet();
        Mail mail = mail(HTML);
        m.service(mail);
        String header = mail.getMessage().getHeader("X-Tollgate-Links")[0];
        String body = body(mail.getMessage());
        m.service(mail);
        assertThat(mail.getMessage().getHeader("X-Tollgate-Links")).containsExactly(header);
        assertThat(body(mail.getMessage())).isEqualTo(body);
    }

    @Test
    void aPartTooLargeToReadIsRecordedUnexaminedInEnforceModeAndOnlyReportedInTesting() throws Exception {
        String padded = "From: a@sender.test\r\nTo: bob@example.com\r\nMessage-ID: <big@sender.test>\r\n"
                + "Content-Type: text/html; charset=utf-8\r\n\r\n<a href=\"https://evil.example/login\">x</a>"
                + "<!-- pad -->".repeat(150) + "\r\n";
        HasUnexaminedLinks matcher = new HasUnexaminedLinks();
        matcher.init(org.apache.mailet.base.test.FakeMatcherConfig.builder().matcherName("HasUnexaminedLinks")
                .mailetContext(context).build());
        AttributeName unexamined = AttributeName.of(MailAttributes.LINKS_UNEXAMINED);

        Mail enforced = mail(padded);
        mailet("maxPartBytes", "1024").service(enforced);
        assertThat(enforced.getMessage().getHeader("X-Tollgate-Links")[0]).contains("rewritten=0")
                .contains("unexamined=1").contains("mode=enforce").startsWith("verdict=unexamined;");
        assertThat(AttributeUtils.getValueAndCastFromMail(enforced, unexamined, Integer.class)).hasValue(1);
        assertThat(body(enforced.getMessage())).contains("https://evil.example/login");
        assertThat(matcher.match(enforced)).containsExactlyElementsOf(enforced.getRecipients());

        Mail testing = mail(padded);
        mailet("maxPartBytes", "1024", "mode", "testing").service(testing);
        assertThat(testing.getMessage().getHeader("X-Tollgate-Links")[0]).contains("unexamined=1").contains("mode=testing");
        assertThat(testing.getAttribute(unexamined)).isEmpty();
        assertThat(matcher.match(testing)).as("testing mode only reports").isEmpty();

        Mail small = mail(HTML);
        mailet().service(small);
        assertThat(AttributeUtils.getValueAndCastFromMail(small, unexamined, Integer.class)).hasValue(0);
        assertThat(small.getMessage().getHeader("X-Tollgate-Links")[0]).doesNotContain("unexamined");
        assertThat(matcher.match(small)).isEmpty();
        assertThat(matcher.match(mail(padded))).as("mail RewriteLinks did not handle").isEmpty();
    }

    @Test
    void hasUnexaminedLinksTakesNoCondition() {
        HasUnexaminedLinks matcher = new HasUnexaminedLinks();
        assertThatThrownBy(() -> matcher.init(org.apache.mailet.base.test.FakeMatcherConfig.builder()
                .matcherName("HasUnexaminedLinks").condition("maxPartBytes=1").mailetContext(context).build()))
                .isInstanceOf(MessagingException.class).hasMessageContaining("takes no condition");
    }
}
