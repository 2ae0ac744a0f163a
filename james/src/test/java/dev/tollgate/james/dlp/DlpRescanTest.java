package dev.tollgate.james.dlp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeUtils;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.Mailet;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.apache.mailet.base.test.FakeMatcherConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tollgate.core.dlp.policy.DlpAttributes;
import dev.tollgate.core.dlp.smime.SmimeEncryptor;
import dev.tollgate.core.testing.SmimeTestKeys;

/**
 * Mail DlpEncrypt encrypted is not taken for mail its sender encrypted when ScanSensitiveData sees it again
 * (reprocessed into the processor), and nothing else gets that pass: the sender's own S/MIME is still
 * quarantined, and so is a message changed after DlpEncrypt made it.
 */
class DlpRescanTest {
    private static final String IBAN_MAIL = "From: alice@localhost\r\nTo: carol@partner.example\r\nSubject: pay\r\n"
            + "Message-ID: <r1@localhost>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            + "IBAN DE89 3704 0044 0532 0130 00\r\n";
    private static final Session SESSION = Session.getInstance(new Properties());

    @TempDir
    Path dir;
    FakeMailContext context;
    SmimeTestKeys carol;
    ScanSensitiveData scan;

    @BeforeEach
    void setUp() throws Exception {
        context = FakeMailContext.builder().postmaster(new MailAddress("postmaster@localhost")).build();
        carol = SmimeTestKeys.generate("carol@partner.example");
        Path certs = Files.createDirectories(dir.resolve("certs"));
        Files.writeString(certs.resolve("carol@partner.example.pem"), carol.certificatePem());
        Path policy = dir.resolve("policy.xml");
        // the shipped policy's shape: encrypted mail is quarantined, IBANs go out encrypted
        Files.writeString(policy, "<dlp-policy unscannable='quarantine' encrypted='quarantine'>"
                + "<rule id='iban-external' detectors='iban' external-only='true' action='encrypt' else='quarantine'/>"
                + "</dlp-policy>");
        scan = init(new ScanSensitiveData(), "policy", policy.toString(), "certificates", certs.toString());
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

    private static MimeMessage parse(byte[] raw) throws MessagingException {
        return new MimeMessage(SESSION, new ByteArrayInputStream(raw));
    }

    private static byte[] wire(MimeMessage m) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeTo(out);
        return out.toByteArray();
    }

    private static String attr(Mail mail, String name) {
        return AttributeUtils.getValueAndCastFromMail(mail, AttributeName.of(name), String.class).orElse(null);
    }

    private List<MailAddress> matching(String action, Mail mail) throws MessagingException {
        HasDlpAction m = new HasDlpAction();
        m.init(FakeMatcherConfig.builder().matcherName("HasDlpAction").condition(action).mailetContext(context).build());
        return List.copyOf(m.match(mail));
    }

    /** As James's queues and repositories do: the message written out and read back, the attributes kept. */
    private static Mail stored(Mail mail) throws Exception {
        FakeMail copy = FakeMail.builder().name(mail.getName()).sender("alice@localhost")
                .recipients(List.copyOf(mail.getRecipients())).mimeMessage(parse(wire(mail.getMessage()))).build();
        mail.attributes().forEach(copy::setAttribute);
        return copy;
    }

    @Test
    void dlpEncryptOutputScannedAgainIsDeliveredNotQuarantinedNorEncryptedTwice() throws Exception {
        Mail mail = FakeMail.builder().name("m").sender("alice@localhost").recipient("carol@partner.example")
                .mimeMessage(parse(IBAN_MAIL.getBytes(StandardCharsets.UTF_8))).build();
        scan.service(mail);
        assertThat(matching("encrypt", mail)).extracting(MailAddress::asString).containsExactly("carol@partner.example");
        init(new DlpEncrypt()).service(mail);
        assertThat(attr(mail, DlpAttributes.ENCRYPTED_BY_TOLLGATE)).hasSize(64);

        Mail again = stored(mail);
        again.getMessage().addHeader("DKIM-Signature", "v=1; added after encryption");
        scan.service(again);
        assertThat(matching("quarantine", again)).isEmpty();
        assertThat(matching("encrypt", again)).isEmpty();
        assertThat(attr(again, DlpAttributes.RECIPIENTS)).isEqualTo("carol@partner.example=allow:");
        assertThat(attr(again, DlpAttributes.ACTION)).isEqualTo("allow");
        // still the one encryption, which carol opens
        assertThat(carol.decrypt(parse(wire(again.getMessage()))).getContent().toString())
                .contains("IBAN DE89 3704 0044 0532 0130 00");
    }

    @Test
    void theSendersOwnSmimeIsQuarantinedAndSoIsAChangedMessageCarryingTheAttribute() throws Exception {
        MimeMessage own = parse(wire(SmimeEncryptor.encrypt(parse(IBAN_MAIL.getBytes(StandardCharsets.UTF_8)),
                List.of(carol.certificate()))));
        Mail senders = FakeMail.builder().name("own").sender("alice@localhost").recipient("carol@partner.example")
                .mimeMessage(own).build();
        scan.service(senders);
        assertThat(attr(senders, DlpAttributes.VERDICT)).isEqualTo("encrypted");
        assertThat(matching("quarantine", senders)).extracting(MailAddress::asString)
                .containsExactly("carol@partner.example");

        // the attribute of another message does not cover this one
        Mail changed = FakeMail.builder().name("changed").sender("alice@localhost").recipient("carol@partner.example")
                .mimeMessage(parse(wire(own))).build();
        changed.setAttribute(new Attribute(AttributeName.of(DlpAttributes.ENCRYPTED_BY_TOLLGATE),
                AttributeValue.of("0".repeat(64))));
        scan.service(changed);
        assertThat(matching("quarantine", changed)).extracting(MailAddress::asString)
                .containsExactly("carol@partner.example");
        assertThat(changed.getAttribute(AttributeName.of(DlpAttributes.ENCRYPTED_BY_TOLLGATE))).isEmpty();
    }
}
