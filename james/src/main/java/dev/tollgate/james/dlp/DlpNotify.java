package dev.tollgate.james.dlp;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import javax.mail.Message;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tollgate.james.config.ComponentInit;


/**
 * DLP action {@code notify}: the mail continues unchanged; the sender and/or a compliance address get a
 * short notice naming the rule ids, detector counts and masked samples (e.g. {@code 4111 **** **** 1111}),
 * never a value, the Subject or the body. Use with {@code match="dev.tollgate.james.dlp.HasDlpAction=notify"}.
 * Thread-safe.
 */
public class DlpNotify extends GenericMailet {
    private static final Logger LOG = LoggerFactory.getLogger(DlpNotify.class);

    private volatile DlpNotifyConfig config;

    @Override
    public void init() throws MessagingException {
        config = ComponentInit.mailet(this, DlpNotifyConfig::parse);
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        DlpNotifyConfig c = config;
        List<MailAddress> to = new ArrayList<>();
        if (c.notifySender() && mail.getMaybeSender().asOptional().isPresent()) {
            to.add(mail.getMaybeSender().get());
        }
        if (c.complianceAddress().isPresent()) {
            to.add(new MailAddress(c.complianceAddress().get()));
        }
        if (to.isEmpty()) {
            return;
        }
        MimeMessage notice = notice(mail, getMailetContext().getPostmaster().asString(), to);
        getMailetContext().sendMail(MailAddress.nullSender(), to, notice);
        LOG.info("{}: DLP notice for mail {} sent to {} address(es)", getMailetName(), mail.getName(), to.size());
    }

    static MimeMessage notice(Mail mail, String from, List<MailAddress> to) throws MessagingException {
        StringBuilder t = new StringBuilder();
        t.append("A message matched the data loss prevention policy and was delivered.\r\n\r\n");
        t.append("Sender: ").append(mail.getMaybeSender().asString()).append("\r\n");
        t.append("Recipients:\r\n");
        for (MailAddress r : mail.getRecipients()) {
            t.append("    ").append(r.asString()).append("\r\n");
        }
        t.append("Rule(s): ").append(String.join(", ", DlpMail.ruleIdsForCurrentRecipients(mail))).append("\r\n");
        t.append("Findings: ").append(DlpMail.detectors(mail)).append("\r\n");
        t.append("Masked samples: ").append(DlpMail.samples(mail)).append("\r\n");
        String id = mail.getMessage().getMessageID();
        if (id != null) {
            t.append("Message-ID: ").append(id.replace("\r", "").replace("\n", "")).append("\r\n");
        }
        MimeMessage m = new MimeMessage(Session.getDefaultInstance(new Properties()));
        m.setFrom(new InternetAddress(from));
        for (MailAddress a : to) {
            m.addRecipient(Message.RecipientType.TO, new InternetAddress(a.asString()));
        }
        m.setSubject("Data loss prevention notice", "UTF-8");
        m.setHeader("Auto-Submitted", "auto-generated");
        m.setText(t.toString(), "UTF-8");
        m.saveChanges();
        return m;
    }

    @Override
    public String getMailetInfo() {
        return "Tollgate DlpNotify: tells the sender and/or compliance about a DLP match (masked)";
    }
}
