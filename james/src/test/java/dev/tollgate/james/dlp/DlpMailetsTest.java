package dev.tollgate.james.dlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;

import org.apache.james.mailrepository.api.MailRepository;
import org.apache.james.mailrepository.api.MailRepositoryStore;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeUtils;
import org.apache.mailet.Mail;
import org.apache.mailet.Mailet;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tollgate.core.dlp.policy.DlpAttributes;
import dev.tollgate.core.testing.SmimeTestKeys;

class DlpMailetsTest {
    private static final String CARD_MAIL = "From: alice@localhost\r\nTo: bob@localhost, carol@partner.example\r\n"
            + "Subject: refund\r\nMessage-ID: <m1@localhost>\r\nX-Tollgate-DLP: forged\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\n\r\nPlease refund card 4111 1111 1111 1111 today.\r\n";

    @TempDir
    Path dir;
    FakeMailContext context;

    @BeforeEach
    void setUp() throws Exception {
        context = FakeMailContext.builder().postmaster(new org.apache.james.core.MailAddress("postmaster@localhost")).build();
    }

    private Path policy(String rules) throws Exception {
        Path f = dir.resolve("dlp-policy.xml");
        Files.writeString(f, "<dlp-policy" + rules);
        return f;
    }

    private <M extends Mailet> M init(M mailet, String... params) throws MessagingException {
        FakeMailetConfig.Builder b = FakeMailetConfig.builder().mailetName(mailet.getClass().getSimpleName())
                .mailetContext(context);
        for (int i = 0; i < params.length; i += 2) {
            b.setProperty(params[i], params[i + 1]);
        }
        mailet.init(b.build());
        return mailet;
    }

    private static Mail mail(String raw, String... recipients) throws MessagingException {
        MimeMessage m = new MimeMessage(Session.getDefaultInstance(new Properties()),
                new java.io.ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)));
        return FakeMail.builder().name("mail-1").sender("alice@localhost").recipients(recipients).mimeMessage(m).build();
    }

    private static String attr(Mail mail, String name) {
        return AttributeUtils.getValueAndCastFromMail(mail, AttributeName.of(name), String.class).orElse(null);
    }

    @Test
    void scanRecordsThePerRecipientDecisionAndRemovesAForgedReportHeader() throws Exception {
        Path p = policy("><rule id='cards-out' detectors='payment-card' external-only='true' action='quarantine'/></dlp-policy>");
        ScanSensitiveData scan = init(new ScanSensitiveData(), "policy", p.toString());
        Mail mail = mail(CARD_MAIL, "bob@localhost", "carol@partner.example");
        scan.service(mail);
        assertThat(attr(mail, DlpAttributes.MODE)).isEqualTo("enforce");
        assertThat(attr(mail, DlpAttributes.VERDICT)).isEqualTo("sensitive");
        assertThat(attr(mail, DlpAttributes.ACTION)).isEqualTo("quarantine");
        assertThat(attr(mail, DlpAttributes.RULES)).isEqualTo("cards-out");
        assertThat(attr(mail, DlpAttributes.RECIPIENTS))
                .isEqualTo("bob@localhost=allow:;carol@partner.example=quarantine:cards-out");
        assertThat(attr(mail, DlpAttributes.DETECTORS)).isEqualTo("payment-card:1");
        assertThat(attr(mail, DlpAttributes.SAMPLES)).isEqualTo("payment-card:4111 **** **** 1111");
        assertThat(mail.getMessage().getHeader("X-Tollgate-DLP")).isNull();
    }

    @Test
    void testingModeWritesTheReportHeader() throws Exception {
        Path p = policy(" mode='testing'><rule id='cards' detectors='payment-card' action='reject'/></dlp-policy>");
        ScanSensitiveData scan = init(new ScanSensitiveData(), "policy", p.toString());
        Mail mail = mail(CARD_MAIL, "carol@partner.example");
        scan.service(mail);
        assertThat(mail.getMessage().getHeader("X-Tollgate-DLP"))
                .containsExactly("testing; verdict=sensitive; action=reject; rules=cards");
        assertThat(attr(mail, DlpAttributes.MODE)).isEqualTo("testing");
    }

    @Test
    void brokenPolicyFailsInitNamingParameterFileAndLine() throws Exception {
        Path p = policy(">\n<rule id='x' detectors='payment-card' action='shred'/>\n</dlp-policy>");
        assertThatThrownBy(() -> init(new ScanSensitiveData(), "policy", p.toString()))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("parameter 'policy': " + p + ":2:")
                .hasMessageContaining("unknown action 'shred'");
        assertThatThrownBy(() -> init(new ScanSensitiveData(), "policy", p.toString(), "colour", "red"))
                .hasMessageContaining("parameter 'colour': unknown parameter");
    }

    @Test
    void missingPolicyFileFailsInitNamingThePolicyParameter() {
        Path missing = dir.resolve("no-such-policy.xml");
        assertThatThrownBy(() -> init(new ScanSensitiveData(), "policy", missing.toString()))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("parameter 'policy': " + missing + ": cannot read");
    }

    @Test
    void missingExactDataListFailsInitNamingTheListFile() throws Exception {
        Path p = policy(">\n<exact-data id='customers' file='customers.edm'/>\n"
                + "<rule id='c' detectors='edm:customers' action='quarantine'/>\n</dlp-policy>");
        assertThatThrownBy(() -> init(new ScanSensitiveData(), "policy", p.toString()))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("parameter 'policy': " + dir.resolve("customers.edm").toAbsolutePath() + ": cannot read")
                .hasMessageContaining("exact-data 'customers' declared at " + p + ":2");
    }

    @Test
    void encryptRuleUsesTheCertificateWhenPresentElseTheElseAction() throws Exception {
        SmimeTestKeys carol = SmimeTestKeys.generate("carol@partner.example");
        Path certs = Files.createDirectories(dir.resolve("certs"));
        Files.writeString(certs.resolve("carol@partner.example.pem"), carol.certificatePem());
        Path p = policy("><rule id='enc' detectors='payment-card' action='encrypt' else='reject'/></dlp-policy>");
        ScanSensitiveData scan = init(new ScanSensitiveData(), "policy", p.toString(), "certificates", certs.toString());
        Mail mail = mail(CARD_MAIL, "carol@partner.example", "dave@partner.example");
        scan.service(mail);
        assertThat(attr(mail, DlpAttributes.RECIPIENTS))
                .isEqualTo("carol@partner.example=encrypt:enc;dave@partner.example=reject:enc");

        assertThat(attr(mail, DlpAttributes.CERTIFICATES)).isEqualTo(certs.toAbsolutePath().toString());

        // James splits the mail per action; each copy keeps the scan's attributes.
        Mail carolsCopy = mail(CARD_MAIL, "carol@partner.example");
        carolsCopy.setAttribute(mail.getAttribute(AttributeName.of(DlpAttributes.CERTIFICATES)).orElseThrow());
        DlpEncrypt encrypt = init(new DlpEncrypt());
        encrypt.service(carolsCopy);
        MimeMessage out = carolsCopy.getMessage();
        assertThat(out.getContentType()).startsWith("application/pkcs7-mime");
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        out.writeTo(wire);
        // the card as written (base64 ciphertext has no spaces; "4111" alone can occur in it by chance)
        assertThat(wire.toString(StandardCharsets.US_ASCII)).doesNotContain("4111 1111");
        MimeBodyPart inner = carol.decrypt(SmimeTestKeys.parse(wire.toByteArray()));
        assertThat((String) inner.getContent()).contains("4111 1111 1111 1111");

        Mail davesCopy = mail(CARD_MAIL, "dave@partner.example");
        davesCopy.setAttribute(mail.getAttribute(AttributeName.of(DlpAttributes.CERTIFICATES)).orElseThrow());
        assertThatThrownBy(() -> encrypt.service(davesCopy)).isInstanceOf(MessagingException.class)
                .hasMessageContaining("not sent in clear");

        Mail unscanned = mail(CARD_MAIL, "carol@partner.example");
        assertThatThrownBy(() -> encrypt.service(unscanned)).isInstanceOf(MessagingException.class)
                .hasMessageContaining("carries no certificate directory from ScanSensitiveData; not sent in clear");
        assertThat(unscanned.getMessage().getContentType()).startsWith("text/plain");
        assertThatThrownBy(() -> init(new DlpEncrypt(), "certificates", certs.toString()))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("parameter 'certificates': is set in ScanSensitiveData's certificates parameter only");
    }

    @Test
    void rejectSendsADsnNamingTheRuleButNotTheData() throws Exception {
        Mail mail = mail(CARD_MAIL, "carol@partner.example");
        mail.setAttribute(new org.apache.mailet.Attribute(AttributeName.of(DlpAttributes.RECIPIENTS),
                org.apache.mailet.AttributeValue.of("carol@partner.example=reject:cards-out")));
        init(new DlpReject(), "reportingMta", "mx.localhost").service(mail);
        assertThat(mail.getState()).isEqualTo(Mail.GHOST);
        assertThat(context.getSentMails()).hasSize(1);
        FakeMailContext.SentMail dsn = context.getSentMails().iterator().next();
        assertThat(dsn.getRecipients()).extracting(Object::toString).containsExactly("alice@localhost");
        MimeMessage m = dsn.getMsg();
        assertThat(m.getContentType()).contains("multipart/report").contains("delivery-status");
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        m.writeTo(wire);
        String text = wire.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("cards-out").contains("Status: 5.7.1").contains("Final-Recipient: rfc822; carol@partner.example")
                .contains("Reporting-MTA: dns; mx.localhost").contains("Message-ID: <m1@localhost>")
                // the card, written or as digits only ("4111" alone can be in the time-based Message-ID)
                .doesNotContain("4111 1111").doesNotContain("4111111111111111").doesNotContain("refund");
        MimeMultipart parts = (MimeMultipart) m.getContent();
        assertThat(parts.getCount()).isEqualTo(3);
        assertThat(parts.getBodyPart(1).getContentType()).startsWith("message/delivery-status");
    }

    @Test
    void quarantineStoresTheMailAndGhostsIt() throws Exception {
        List<Mail> stored = new ArrayList<>();
        List<String> urls = new ArrayList<>();
        MailRepository repo = (MailRepository) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {MailRepository.class}, (px, m, a) -> {
                    if (m.getName().equals("store")) {
                        stored.add((Mail) a[0]);
                        return null;
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
        MailRepositoryStore store = (MailRepositoryStore) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {MailRepositoryStore.class}, (px, m, a) -> {
                    urls.add(a[0].toString());
                    return repo;
                });
        Mail mail = mail(CARD_MAIL, "carol@partner.example");
        init(new DlpQuarantine(store)).service(mail);
        assertThat(stored).containsExactly(mail);
        assertThat(urls.get(0)).contains("memory://var/mail/dlp-quarantine");
        assertThat(mail.getState()).isEqualTo(Mail.GHOST);
        assertThatThrownBy(() -> init(new DlpQuarantine(store), "repositoryPath", "not a url"))
                .hasMessageContaining("parameter 'repositoryPath'");
    }

    @Test
    void tagAndNotify() throws Exception {
        Mail mail = mail(CARD_MAIL, "carol@partner.example");
        mail.setAttribute(new org.apache.mailet.Attribute(AttributeName.of(DlpAttributes.RECIPIENTS),
                org.apache.mailet.AttributeValue.of("carol@partner.example=tag:cards-tag")));
        mail.setAttribute(new org.apache.mailet.Attribute(AttributeName.of(DlpAttributes.SAMPLES),
                org.apache.mailet.AttributeValue.of("payment-card:4111 **** **** 1111")));
        init(new DlpTag(), "subjectPrefix", "[SENSITIVE]").service(mail);
        assertThat(mail.getMessage().getSubject()).isEqualTo("[SENSITIVE] refund");
        assertThat(mail.getMessage().getHeader("X-Tollgate-DLP")).containsExactly("tagged; rules=cards-tag");
        init(new DlpTag(), "subjectPrefix", "[SENSITIVE]").service(mail);
        assertThat(mail.getMessage().getSubject()).as("not repeated").isEqualTo("[SENSITIVE] refund");

        init(new DlpNotify(), "complianceAddress", "dpo@localhost").service(mail);
        assertThat(mail.getState()).isNotEqualTo(Mail.GHOST);
        FakeMailContext.SentMail notice = context.getSentMails().iterator().next();
        assertThat(notice.getRecipients()).extracting(Object::toString).containsExactly("alice@localhost", "dpo@localhost");
        String text = (String) notice.getMsg().getContent();
        assertThat(text).contains("cards-tag").contains("4111 **** **** 1111").doesNotContain("4111 1111");
        assertThatThrownBy(() -> init(new DlpNotify(), "notifySender", "false"))
                .hasMessageContaining("parameter 'notifySender'");
    }
}
