package dev.tollgate.james.dlp;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.james.mailrepository.api.MailRepositoryStore;
import org.apache.james.mailrepository.api.MailRepositoryUrl;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tollgate.james.config.ComponentInit;


/**
 * DLP action {@code quarantine}: stores the mail (with its current recipients and the
 * {@code dev.tollgate.dlp.*} attributes) in a James mail repository, then ghosts it. Administrators list,
 * release and delete quarantined mail through WebAdmin's {@code /mailRepositories} routes (release =
 * {@code reprocess} to a processor that skips DLP, e.g. {@code dlp-released}). If the repository cannot
 * store the mail, {@link #service} throws and James routes the mail by {@code onMailetException}; it is
 * never delivered or dropped. Thread-safe.
 */
public class DlpQuarantine extends GenericMailet {
    private static final Logger LOG = LoggerFactory.getLogger(DlpQuarantine.class);

    private final MailRepositoryStore repositories;
    private volatile DlpQuarantineConfig config;

    @Inject
    public DlpQuarantine(MailRepositoryStore repositories) {
        this.repositories = repositories;
    }

    @Override
    public void init() throws MessagingException {
        config = ComponentInit.mailet(this, DlpQuarantineConfig::parse);
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        try {
            repositories.select(MailRepositoryUrl.from(config.repositoryPath())).store(mail);
        } catch (Exception e) {
            throw new MessagingException(getMailetName() + ": cannot quarantine mail " + mail.getName() + ": " + e, e);
        }
        LOG.info("{}: mail {} quarantined in {} by DLP rule(s) {}", getMailetName(), mail.getName(),
                config.repositoryPath(), DlpMail.ruleIdsForCurrentRecipients(mail));
        mail.setState(Mail.GHOST);
    }

    @Override
    public String getMailetInfo() {
        return "Tollgate DlpQuarantine: stores the mail in the DLP quarantine repository";
    }
}
