package dev.tollgate.james.links;

import java.util.Collection;
import java.util.List;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tollgate.james.config.ComponentInit;

/**
 * Matches all recipients of a mail some of whose parts {@code RewriteLinks} (in {@code enforce} mode) could not read
 * at all: a text part over {@code maxPartBytes} or in an unknown charset, an attached message over
 * {@code maxPartBytes}, the parts or links over {@code maxParts}/{@code maxLinks}. Their links reach the reader
 * neither scanned nor rewritten, so such mail is never treated as clean: route it to a repository, as the DLP does
 * with unscannable mail. It reads the attribute {@code dev.tollgate.links.unexamined} RewriteLinks wrote; mail
 * RewriteLinks did not handle, or handled in {@code testing} mode (report only), is not matched. Takes no condition.
 *
 * <pre>{@code
 * <mailet match="dev.tollgate.james.links.HasUnexaminedLinks" class="ToRepository">
 *     <repositoryPath>memory://var/mail/link-quarantine/</repositoryPath>
 * </mailet>
 * }</pre>
 */
public class HasUnexaminedLinks extends GenericMatcher {
    private static final Logger LOG = LoggerFactory.getLogger(HasUnexaminedLinks.class);

    @Override
    public void init() throws MessagingException {
        ComponentInit.matcher(this, LinkMatcherConfig::requireNoCondition);
    }

    @Override
    public Collection<MailAddress> match(Mail mail) {
        int unexamined = LinkVerdictAttributes.unexamined(mail);
        if (unexamined <= 0) {
            return List.of();
        }
        LOG.info("{}: mail {}: the links of {} part(s) were not examined (see X-Tollgate-Links and RewriteLinks' log); matched",
                getMatcherName(), mail.getName(), unexamined);
        return mail.getRecipients();
    }

    @Override
    public String getMatcherInfo() {
        return "Tollgate HasUnexaminedLinks: matches mail whose links RewriteLinks could not examine";
    }
}
