package dev.tollgate.james.dlp;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeUtils;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tollgate.core.dlp.policy.AuditLine;
import dev.tollgate.core.dlp.policy.Decision;
import dev.tollgate.core.dlp.policy.DlpAction;
import dev.tollgate.core.dlp.policy.DlpAttributes;
import dev.tollgate.core.dlp.policy.DlpEngine;
import dev.tollgate.core.dlp.policy.DlpPolicy;
import dev.tollgate.core.dlp.policy.RecipientVerdict;
import dev.tollgate.core.dlp.policy.RecipientVerdicts;
import dev.tollgate.core.dlp.smime.CertificateDirectory;
import dev.tollgate.core.dlp.smime.SmimeEncryptor;
import dev.tollgate.james.config.ComponentInit;
import dev.tollgate.james.transport.MailPartCache;

/**
 * Outbound DLP scan: extracts the text of a mail (subject, text parts, attachment names and contents),
 * runs the detectors, evaluates the policy file per recipient and records the decision as mail
 * attributes ({@code dev.tollgate.dlp.*}, see {@link DlpAttributes}) for {@code HasDlpAction},
 * {@code HasSensitiveData} and the action mailets. Writes one audit line per mail to the logger
 * {@code dev.tollgate.dlp.audit} (rule ids, counts, masked samples; never a value).
 *
 * <p>In the policy's {@code testing} mode the decision is also written to the report header
 * (default {@code X-Tollgate-DLP}) and the matchers match nothing, so no mail is blocked.
 * A recipient is internal when its domain is a local domain of James ({@code MailetContext.isLocalServer}).
 * A mail that cannot be read makes {@link #service} throw: James routes it by {@code onMailetException}
 * (default: the error repository), never delivers it unscanned. Thread-safe.
 */
public class ScanSensitiveData extends GenericMailet {
    static final Logger AUDIT = LoggerFactory.getLogger("dev.tollgate.dlp.audit");
    private static final Logger LOG = LoggerFactory.getLogger(ScanSensitiveData.class);

    private final DlpDecisions decisions;
    private volatile ScanSensitiveDataConfig config;
    private volatile DlpEngine engine;
    private volatile Optional<CertificateDirectory> certificates;

    public ScanSensitiveData() {
        this(new DlpDecisions(dev.tollgate.core.audit.Metrics.NONE));
    }

    @javax.inject.Inject
    public ScanSensitiveData(DlpDecisions decisions) {
        this.decisions = decisions;
    }

    @Override
    public void init() throws MessagingException {
        ScanSensitiveDataConfig c = ComponentInit.mailet(this, ScanSensitiveDataConfig::parse);
        engine = ComponentInit.mailetStep(this, () -> c.build(Clock.systemUTC()));
        certificates = ComponentInit.mailetStep(this, () -> c.certificates(Clock.systemUTC()));
        config = c;
        LOG.info("{}: policy {}", getMailetName(), engine.policySource().current());
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        ScanSensitiveDataConfig c = config;
        try {
            MimeMessage message = mail.getMessage();
            if (encryptedByTollgate(mail, message)) {
                return;
            }
            List<String> recipients = new ArrayList<>();
            for (MailAddress r : mail.getRecipients()) {
                recipients.add(r.asString());
            }
            String sender = mail.getMaybeSender().asOptional().map(MailAddress::asString).orElse(null);
            Predicate<String> local = d -> !d.isEmpty() && getMailetContext().isLocalServer(Domain.of(d));
            Optional<CertificateDirectory> certs = certificates;
            Predicate<String> hasCert = r -> certs.isPresent() && certs.get().has(r);
            DlpEngine.Result result;
            try (dev.tollgate.core.audit.Metrics.Timer t = decisions.time()) {
                result = engine.evaluate(message, sender, recipients, local, hasCert, MailPartCache.of(mail));
            }
            Decision d = result.decision();
            AUDIT.info(AuditLine.format(mail.getName(), sender, d));
            decisions.record(mail, sender, message.getMessageID(), result);
            set(mail, DlpAttributes.MODE, d.mode().xmlName());
            set(mail, DlpAttributes.VERDICT, d.verdict());
            set(mail, DlpAttributes.ACTION, d.action().xmlName());
            set(mail, DlpAttributes.RULES, String.join(",", d.ruleIds()));
            set(mail, DlpAttributes.DETECTORS, DlpAttributes.encodeCounts(d));
            set(mail, DlpAttributes.SAMPLES, AuditLine.samples(d));
            set(mail, DlpAttributes.RECIPIENTS, RecipientVerdicts.encode(d.recipients()));
            set(mail, DlpAttributes.MATCHES, DlpAttributes.encodeMatches(d));
            Optional<java.nio.file.Path> directory = c.certificatesDirectory();
            if (directory.isPresent()) {
                set(mail, DlpAttributes.CERTIFICATES, directory.get().toAbsolutePath().toString());
            } else {
                mail.removeAttribute(AttributeName.of(DlpAttributes.CERTIFICATES));
            }
            boolean hadHeader = message.getHeader(c.reportHeader()) != null;
            if (d.mode() == DlpPolicy.Mode.TESTING) {
                message.setHeader(c.reportHeader(), "testing; verdict=" + d.verdict() + "; action="
                        + d.action().xmlName() + "; rules=" + String.join(",", d.ruleIds()));
            } else if (hadHeader) {
                message.removeHeader(c.reportHeader());
            }
            // no saveChanges() after a header change: see AddSecurityHeaders
        } catch (MessagingException | RuntimeException e) {
            throw new MessagingException(getMailetName() + ": cannot scan mail " + mail.getName() + ": "
                    + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * A mail DlpEncrypt encrypted, scanned again (reprocessed into this processor): its content was scanned before
     * it was encrypted, and reading it now would find only Tollgate's own S/MIME, which is not the sender's. When
     * the message is still the content DlpEncrypt made (same SHA-256), the earlier decision's attributes stay,
     * every recipient's verdict becomes {@code allow} (the encryption is done; it must not be encrypted twice),
     * and one audit line says so. A message changed since is scanned as any other.
     *
     * @return true when the mail was recognised and needs no scan
     */
    private boolean encryptedByTollgate(Mail mail, MimeMessage message) throws MessagingException {
        Optional<String> mark = AttributeUtils.getValueAndCastFromMail(mail,
                AttributeName.of(DlpAttributes.ENCRYPTED_BY_TOLLGATE), String.class);
        if (mark.isEmpty()) {
            return false;
        }
        if (!mark.equals(SmimeEncryptor.contentDigest(message))) {
            LOG.warn("{}: mail {} carries {} but its message is no longer the one DlpEncrypt made; scanned",
                    getMailetName(), mail.getName(), DlpAttributes.ENCRYPTED_BY_TOLLGATE);
            mail.removeAttribute(AttributeName.of(DlpAttributes.ENCRYPTED_BY_TOLLGATE));
            return false;
        }
        Map<String, RecipientVerdict> allow = new LinkedHashMap<>();
        for (MailAddress r : mail.getRecipients()) {
            allow.put(r.asString(), RecipientVerdict.ALLOW);
        }
        set(mail, DlpAttributes.RECIPIENTS, RecipientVerdicts.encode(allow));
        set(mail, DlpAttributes.ACTION, DlpAction.ALLOW.xmlName());
        String sender = mail.getMaybeSender().asOptional().map(MailAddress::asString).orElse("<>");
        AUDIT.info("dlp mail={} sender={} verdict=encrypted-by-tollgate action=allow (S/MIME made by DlpEncrypt,"
                + " content scanned before encryption)", mail.getName(), sender);
        return true;
    }

    @Override
    public void destroy() {
        DlpEngine e = engine;
        if (e != null) {
            e.close();
        }
    }

    private static void set(Mail mail, String name, String value) {
        mail.setAttribute(new Attribute(AttributeName.of(name), AttributeValue.of(value)));
    }

    @Override
    public String getMailetInfo() {
        return "Tollgate ScanSensitiveData: outbound DLP scan and policy decision per recipient";
    }

}
