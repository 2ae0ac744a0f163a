package dev.tollgate.james.dlp;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeUtils;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tollgate.core.dlp.policy.DlpAttributes;
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
 * {@code onMailetException}, never out in clear). The mail gets the attribute
 * {@link DlpAttributes#ENCRYPTED_BY_TOLLGATE}, so that {@code ScanSensitiveData} does not quarantine it as
 * sender-encrypted if it scans the mail again. Thread-safe.
 */
public class DlpEncrypt extends GenericMailet {
    private static final Logger LOG = LoggerFactory.getLogger(DlpEncrypt.class);

    /** One directory per path ScanSensitiveData records (in practice one), each watching its own files. */
    private final Map<Path, CertificateDirectory> directories = new ConcurrentHashMap<>();

    @Override
    public void init() throws MessagingException {
        ComponentInit.mailet(this, DlpEncryptConfig::parse);
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        Optional<String> directory = AttributeUtils.getValueAndCastFromMail(mail,
                AttributeName.of(DlpAttributes.CERTIFICATES), String.class);
        if (directory.isEmpty()) {
            throw new MessagingException(getMailetName() + ": mail " + mail.getName() + " carries no certificate"
                    + " directory from ScanSensitiveData; not sent in clear");
        }
        CertificateDirectory certificates = directories.computeIfAbsent(Paths.get(directory.get()),
                d -> new CertificateDirectory(d, Clock.systemUTC()));
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
        String digest = SmimeEncryptor.contentDigest(encrypted).orElseThrow(() -> new MessagingException(
                getMailetName() + ": the encrypted message of mail " + mail.getName() + " is not S/MIME"));
        mail.setMessage(encrypted);
        // a later scan of this mail (reprocessing) must not take Tollgate's own encryption for the sender's
        mail.setAttribute(new org.apache.mailet.Attribute(AttributeName.of(DlpAttributes.ENCRYPTED_BY_TOLLGATE),
                org.apache.mailet.AttributeValue.of(digest)));
        LOG.info("{}: mail {} S/MIME-encrypted for {} recipient(s), DLP rule(s) {}", getMailetName(), mail.getName(),
                certs.size(), DlpMail.ruleIdsForCurrentRecipients(mail));
    }

    @Override
    public String getMailetInfo() {
        return "Tollgate DlpEncrypt: S/MIME-encrypts the mail to its recipients' certificates";
    }
}
