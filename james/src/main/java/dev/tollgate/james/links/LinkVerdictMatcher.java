package dev.tollgate.james.links;

import java.io.IOException;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;

import dev.tollgate.core.MailAttributes;
import dev.tollgate.core.links.LinkSummary;
import dev.tollgate.core.links.LinkVerdict;
import dev.tollgate.core.links.MessageLinkRewriter;
import dev.tollgate.james.config.ComponentInit;

/**
 * Scans a mail's links (never changing the message) and matches all recipients when the worst verdict
 * reaches the subclass's level. Records {@code dev.tollgate.links.verdict}, {@code .count} and
 * {@code .reasons} on the mail. Thread-safe. A message that cannot be read throws, and James applies the
 * mailet's {@code onMatchException}.
 */
abstract class LinkVerdictMatcher extends GenericMatcher {
    private static final AttributeName VERDICT = AttributeName.of(MailAttributes.LINKS_VERDICT);
    private static final AttributeName COUNT = AttributeName.of(MailAttributes.LINKS_COUNT);
    private static final AttributeName REASONS = AttributeName.of(MailAttributes.LINKS_REASONS);

    private volatile MessageLinkRewriter scanner;

    abstract LinkVerdict.Level threshold();

    @Override
    public void init() throws MessagingException {
        scanner = ComponentInit.matcher(this, condition -> LinkMatcherConfig.parse(condition).build(Clock.systemUTC()));
    }

    @Override
    public Collection<MailAddress> match(Mail mail) throws MessagingException {
        final MessageLinkRewriter.Outcome outcome;
        try {
            outcome = scanner.process(mail.getMessage(), "", "", false);
        } catch (IOException | RuntimeException e) {
            throw new MessagingException(getMatcherName() + ": cannot scan links of mail " + mail.getName() + ": " + e, e);
        }
        mail.setAttribute(new Attribute(VERDICT, AttributeValue.of(outcome.worst().name().toLowerCase(Locale.ROOT))));
        mail.setAttribute(new Attribute(COUNT, AttributeValue.of(outcome.links().size())));
        mail.setAttribute(new Attribute(REASONS, AttributeValue.of(LinkSummary.reasons(outcome))));
        return outcome.worst().compareTo(threshold()) >= 0 ? mail.getRecipients() : List.of();
    }
}
