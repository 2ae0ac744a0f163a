package dev.tollgate.james.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeUtils;
import org.apache.mailet.Mail;
import org.apache.mailet.Mailet;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.apache.mailet.base.test.FakeMatcherConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tollgate.core.MailAttributes;
import dev.tollgate.core.dlp.policy.DlpAttributes;
import dev.tollgate.core.mime.PartCache;
import dev.tollgate.james.dlp.ScanSensitiveData;
import dev.tollgate.james.links.HasSuspiciousLink;
import dev.tollgate.james.links.RewriteLinks;
import dev.tollgate.james.testing.JamesMessages;

/** The DLP scan and the link components of one mail decode and parse its parts once, in conf/mailetcontainer.xml's order. */
class MailPartCacheTest {
    /** multipart/alternative, both parts quoted-printable; the HTML hides a card number in an attribute. */
    private static final String MAIL = "From: alice@localhost\r\nTo: bob@localhost\r\nSubject: offer\r\n"
            + "Message-ID: <m1@localhost>\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/alternative; boundary=\"b\"\r\n\r\n"
            + "--b\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
            + "Caf=C3=A9 offer: https://shop.example/ and https://evil.example/\r\n"
            + "--b\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
            + "<p title=3D\"4111 1111 1111 1111\">Caf=C3=A9 <a href=3D\"https://shop.example/?a=3D1\">shop</a>"
            + " <a href=3D\"https://evil.example/\">x</a></p>\r\n"
            + "--b--\r\n";

    @TempDir
    Path dir;
    FakeMailContext context;
    ScanSensitiveData scan;
    RewriteLinks rewrite;
    HasSuspiciousLink suspicious;

    @BeforeEach
    void setUp() throws Exception {
        context = FakeMailContext.defaultContext();
        Path policy = dir.resolve("policy.xml");
        Files.writeString(policy, "<dlp-policy><rule id='cards' detectors='payment-card' action='tag'/></dlp-policy>");
        Files.writeString(dir.resolve("block.txt"), "evil.example\n");
        Path settings = dir.resolve("links.properties");
        Files.writeString(settings, "keyFile=" + dir.resolve("keys") + "\ncreateKeyFile=true\nblockList="
                + dir.resolve("block.txt") + "\n");
        scan = init(new ScanSensitiveData(), "policy", policy.toString(), "documentExtraction", "off");
        rewrite = init(new RewriteLinks(), "redirectorUrl", "https://links.test", "linkSettings", settings.toString());
        suspicious = new HasSuspiciousLink();
        suspicious.init(FakeMatcherConfig.builder().matcherName("HasSuspiciousLink").mailetContext(context)
                .condition("linkSettings=" + settings).build());
    }

    private <M extends Mailet> M init(M mailet, String... params) throws Exception {
        FakeMailetConfig.Builder b = FakeMailetConfig.builder().mailetName(mailet.getClass().getSimpleName())
                .mailetContext(context);
        for (int i = 0; i < params.length; i += 2) {
            b.setProperty(params[i], params[i + 1]);
        }
        mailet.init(b.build());
        return mailet;
    }

    private static Mail mail() throws Exception {
        return FakeMail.builder().name("m1").sender("alice@localhost").recipient("bob@localhost")
                .mimeMessage(JamesMessages.parse(MAIL.getBytes(StandardCharsets.US_ASCII))).build();
    }

    private static String attr(Mail mail, String name) {
        return AttributeUtils.getValueAndCastFromMail(mail, AttributeName.of(name), String.class).orElse(null);
    }

    @Test
    void dlpScanRewritingAndLinkMatcherDecodeAndParseEachPartOnce() throws Exception {
        Mail mail = mail();
        scan.service(mail);
        PartCache cache = MailPartCache.of(mail);
        assertThat(cache.decodes()).isEqualTo(2); // text and HTML bodies
        assertThat(cache.parses()).isEqualTo(1); // the HTML part
        assertThat(attr(mail, DlpAttributes.DETECTORS)).isEqualTo("payment-card:1");

        rewrite.service(mail);
        assertThat(MailPartCache.of(mail)).isSameAs(cache);
        assertThat(cache.decodes()).isEqualTo(2);
        assertThat(cache.parses()).isEqualTo(1);
        assertThat(body(mail)).contains("https://links.test/r/").doesNotContain("href=3D\"https://shop.example");
        assertThat(attr(mail, MailAttributes.LINKS_VERDICT)).isEqualTo("malicious");

        assertThat(suspicious.match(mail)).hasSize(1);
        assertThat(cache.decodes()).isEqualTo(2);
        assertThat(cache.parses()).isEqualTo(1);
    }

    @Test
    void aRewrittenPartIsReadAgainNotTakenFromTheCache() throws Exception {
        Mail mail = mail();
        scan.service(mail);
        rewrite.service(mail);
        PartCache cache = MailPartCache.of(mail);
        assertThat(cache.parses()).isEqualTo(1);

        // the HTML body changed (links rewritten): a second scan decodes and parses it again, the unchanged text
        // part comes from the cache, and the scan sees the rewritten HTML
        scan.service(mail);
        assertThat(cache.decodes()).isEqualTo(3);
        assertThat(cache.parses()).isEqualTo(2);
        assertThat(attr(mail, DlpAttributes.DETECTORS)).isEqualTo("payment-card:1");
    }

    @Test
    void theCacheIsNotSerialisedSoAStoredMailStartsAfresh() throws Exception {
        Mail mail = mail();
        scan.service(mail);
        assertThat(mail.getAttribute(AttributeName.of(MailAttributes.PART_CACHE)).orElseThrow().getValue().toJson())
                .isEmpty();
        Mail other = mail();
        assertThat(MailPartCache.of(other)).isNotSameAs(MailPartCache.of(mail));
        assertThat(MailPartCache.of(other).parses()).isZero();
    }

    private static String body(Mail mail) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        mail.getMessage().writeTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
