package dev.tollgate.james.dlp;

import java.util.List;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;

import dev.tollgate.james.config.ComponentInit;


/**
 * DLP action {@code tag}: sets the header (default {@code X-Tollgate-DLP: tagged; rules=<ids>}, replacing
 * any the sender wrote) and/or puts a prefix before the Subject; the mail continues. Use with
 * {@code match="dev.tollgate.james.dlp.HasDlpAction=tag"}. Thread-safe.
 */
public class DlpTag extends GenericMailet {
    private volatile DlpTagConfig config;

    @Override
    public void init() throws MessagingException {
        config = ComponentInit.mailet(this, DlpTagConfig::parse);
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        DlpTagConfig c = config;
        MimeMessage m = mail.getMessage();
        List<String> rules = DlpMail.ruleIdsForCurrentRecipients(mail);
        if (c.header().isPresent()) {
            m.setHeader(c.header().get(), "tagged; rules=" + String.join(",", rules));
        }
        if (c.subjectPrefix().isPresent()) {
            String subject = m.getSubject() == null ? "" : m.getSubject();
            String prefix = c.subjectPrefix().get();
            if (!subject.startsWith(prefix)) {
                m.setSubject(subject.isEmpty() ? prefix : prefix + ' ' + subject, "UTF-8");
            }
        }
        // no saveChanges() after a header change: see AddSecurityHeaders
    }

    @Override
    public String getMailetInfo() {
        return "Tollgate DlpTag: marks mail that matched a DLP tag rule";
    }
}
