package dev.tollgate.james.dlp;

import java.util.ArrayList;
import java.util.List;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tollgate.james.config.ComponentInit;


/**
 * DLP action {@code reject}: the mail is not delivered to its (current) recipients; the sender gets a
 * DSN ({@code multipart/report}, status 5.7.1) naming the rule ids that blocked it, never the data
 * (see {@link DlpRejectNotice}). Use after {@code ScanSensitiveData} with
 * {@code match="dev.tollgate.james.dlp.HasDlpAction=reject"}, which hands over only the recipients
 * rejected. The mail is then ghosted. A mail with the null sender gets no DSN (RFC 3464 section 2) and is
 * only logged. If the DSN cannot be built or queued, the mail goes to {@code onMailetException}. Thread-safe.
 */
public class DlpReject extends GenericMailet {
    private static final Logger LOG = LoggerFactory.getLogger(DlpReject.class);

    private volatile DlpRejectConfig config;

    @Override
    public void init() throws MessagingException {
        config = ComponentInit.mailet(this, DlpRejectConfig::parse);
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        List<String> rules = DlpMail.ruleIdsForCurrentRecipients(mail);
        List<String> recipients = new ArrayList<>();
        for (MailAddress r : mail.getRecipients()) {
            recipients.add(r.asString());
        }
        if (mail.getMaybeSender().isNullSender()) {
            LOG.info("{}: mail {} rejected by DLP rule(s) {}; null sender, no DSN", getMailetName(), mail.getName(), rules);
        } else {
            MailAddress sender = mail.getMaybeSender().get();
            MailAddress postmaster = getMailetContext().getPostmaster();
            MimeMessage dsn = DlpRejectNotice.build(mail.getMessage(), postmaster.asString(), sender.asString(),
                    recipients, rules, config);
            getMailetContext().sendMail(MailAddress.nullSender(), List.of(sender), dsn);
            LOG.info("{}: mail {} rejected by DLP rule(s) {}; DSN sent to the sender", getMailetName(), mail.getName(), rules);
        }
        mail.setState(Mail.GHOST);
    }

    @Override
    public String getMailetInfo() {
        return "Tollgate DlpReject: blocks the mail and sends the sender a DSN naming the DLP rules";
    }
}
