package dev.tollgate.james.links;

import java.io.IOException;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tollgate.core.links.LinkVerdict;
import dev.tollgate.core.links.MessageLinkRewriter;
import dev.tollgate.james.config.ComponentInit;
import dev.tollgate.james.transport.MailPartCache;

/**
 * Matches all recipients when the worst verdict of a mail's links reaches the subclass's level. A verdict already
 * recorded on the mail (by {@code RewriteLinks} or an earlier link matcher) is used as is, so links are scanned
 * once; otherwise the matcher scans (never changing the message) and records {@code dev.tollgate.links.verdict},
 * {@code .count} and {@code .reasons}. Thread-safe. A message that cannot be read throws, and James applies the
 * mailet's {@code onMatchException}.
 */
abstract class LinkVerdictMatcher extends GenericMatcher {
    private static final Logger LOG = LoggerFactory.getLogger(LinkVerdictMatcher.class);

    private volatile MessageLinkRewriter scanner;

    abstract LinkVerdict.Level threshold();

    @Override
    public void init() throws MessagingException {
        scanner = ComponentInit.matcher(this, condition -> LinkMatcherConfig.parse(condition).build(Clock.systemUTC()));
    }

    @Override
    public Collection<MailAddress> match(Mail mail) throws MessagingException {
        if (LinkVerdictAttributes.rewrittenUnscanned(mail)) {
            // Fail closed: the links now point at the redirector, the destinations cannot be judged here.
            LOG.warn("{}: mail {}: its links were rewritten without scanning (RewriteLinks scan=false), so they cannot"
                    + " be checked here; matched. Place link matchers before such a RewriteLinks, or let it scan",
                    getMatcherName(), mail.getName());
            return mail.getRecipients();
        }
        Optional<LinkVerdict.Level> recorded = LinkVerdictAttributes.recorded(mail);
        LinkVerdict.Level worst;
        if (recorded.isPresent()) {
            worst = recorded.get();
        } else {
            final MessageLinkRewriter.Outcome outcome;
            try {
                outcome = scanner.process(mail.getMessage(), "", "", false, MailPartCache.of(mail));
            } catch (IOException | RuntimeException e) {
                throw new MessagingException(getMatcherName() + ": cannot scan links of mail " + mail.getName() + ": " + e, e);
            }
            LinkVerdictAttributes.record(mail, outcome);
            worst = outcome.worst();
        }
        return worst.compareTo(threshold()) >= 0 ? mail.getRecipients() : List.of();
    }
}
