package dev.tollgate.james.dlp;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tollgate.core.dlp.smime.CertificateDirectory;
import dev.tollgate.core.dlp.smime.SmimeEncryptor;
import dev.tollgate.james.config.ComponentInit;

/**
 * DLP action {@code encrypt}: replaces the message by an S/MIME {@code application/pkcs7-mime}
 * enveloped-data message (RFC 8551, AES-256-CBC, RSA key transport) readable with the private key of
 * each current recipient, whose certificate is read from {@code certificates}; the mail then continues
 * down the processor. Use with {@code match="dev.tollgate.james.dlp.HasDlpAction=encrypt"}:
 * {@code ScanSensitiveData} has already given recipients without a certificate the rule's else action.
 * If a certificate disappeared in between, {@link #service} throws (the mail goes to
 * {@code onMailetException}, never out in clear). Thread-safe.
 */
public class DlpEncrypt extends GenericMailet {
    private static final Logger LOG = LoggerFactory.getLogger(DlpEncrypt.class);

    private volatile CertificateDirectory certificates;

    @Override
    public void init() throws MessagingException {
        DlpEncryptConfig c = ComponentInit.mailet(this, DlpEncryptConfig::parse);
        if (!c.directoryExists()) {
            LOG.warn("{}: certificate directory {} does not exist; no mail can be encrypted", getMailetName(),
                    c.certificates());
        }
        certificates = ComponentInit.mailet(this, p -> new CertificateDirectory(c.certificates(), Clock.systemUTC()));
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        List<X509Certificate> certs = new ArrayList<>();
        for (MailAddress r : mail.getRecipients()) {
            Optional<X509Certificate> c = certificates.find(r.asString());
            if (c.isEmpty()) {
                throw new MessagingException(getMailetName() + ": no valid certificate for a recipient of mail "
                        + mail.getName() + "; not sent in clear");
            }
            certs.add(c.get());
        }
        if (certs.isEmpty()) {
            return;
        }
        MimeMessage encrypted = SmimeEncryptor.encrypt(mail.getMessage(), certs);
        mail.setMessage(encrypted);
        LOG.info("{}: mail {} S/MIME-encrypted for {} recipient(s), DLP rule(s) {}", getMailetName(), mail.getName(),
                certs.size(), DlpMail.ruleIdsForCurrentRecipients(mail));
    }

    @Override
    public String getMailetInfo() {
        return "Tollgate DlpEncrypt: S/MIME-encrypts the mail to its recipients' certificates";
    }
}
