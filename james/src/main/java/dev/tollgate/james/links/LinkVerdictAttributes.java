package dev.tollgate.james.links;

import java.util.Locale;
import java.util.Optional;

import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;

import dev.tollgate.core.MailAttributes;
import dev.tollgate.core.links.LinkSummary;
import dev.tollgate.core.links.LinkVerdict;
import dev.tollgate.core.links.MessageLinkRewriter;

/**
 * The mail attributes that record one scan of a mail's links: {@code dev.tollgate.links.verdict} (worst level,
 * lower case), {@code .count} and {@code .reasons}. Written by whichever Tollgate component scans first, read by
 * the ones after it, so a mail's links are scanned once.
 */
final class LinkVerdictAttributes {
    private static final AttributeName VERDICT = AttributeName.of(MailAttributes.LINKS_VERDICT);
    private static final AttributeName COUNT = AttributeName.of(MailAttributes.LINKS_COUNT);
    private static final AttributeName REASONS = AttributeName.of(MailAttributes.LINKS_REASONS);
    private static final AttributeName REWRITTEN = AttributeName.of(MailAttributes.LINKS_REWRITTEN);
    private static final AttributeName UNEXAMINED = AttributeName.of(MailAttributes.LINKS_UNEXAMINED);

    private LinkVerdictAttributes() {
    }

    static void record(Mail mail, MessageLinkRewriter.Outcome outcome) {
        mail.setAttribute(new Attribute(VERDICT, AttributeValue.of(outcome.worst().name().toLowerCase(Locale.ROOT))));
        mail.setAttribute(new Attribute(COUNT, AttributeValue.of(outcome.links().size())));
        mail.setAttribute(new Attribute(REASONS, AttributeValue.of(LinkSummary.reasons(outcome))));
    }

    /**
     * @return whether RewriteLinks rewrote links of the mail without scanning them ({@code scan=false}): the
     *         original destinations are then hidden behind redirector links and no later scan can judge them
     */
    static boolean rewrittenUnscanned(Mail mail) {
        return mail.getAttribute(VERDICT).isEmpty() && mail.getAttribute(REWRITTEN).map(a -> a.getValue().getValue())
                .filter(Integer.class::isInstance).map(v -> (Integer) v > 0).orElse(false);
    }

    /** Records how many parts' links could not be read at all (enforce mode: {@code HasUnexaminedLinks} acts on it). */
    static void recordUnexamined(Mail mail, int parts) {
        mail.setAttribute(new Attribute(UNEXAMINED, AttributeValue.of(parts)));
    }

    /** @return the parts whose links RewriteLinks recorded as not examined; 0 when none was recorded */
    static int unexamined(Mail mail) {
        return mail.getAttribute(UNEXAMINED).map(a -> a.getValue().getValue()).filter(Integer.class::isInstance)
                .map(Integer.class::cast).orElse(0);
    }

    /** @return the worst level already recorded on the mail, or empty when its links were not scanned yet */
    static Optional<LinkVerdict.Level> recorded(Mail mail) {
        return mail.getAttribute(VERDICT).map(a -> a.getValue().getValue()).filter(String.class::isInstance)
                .map(v -> level((String) v));
    }

    private static LinkVerdict.Level level(String value) {
        try {
            return LinkVerdict.Level.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            // Not a value Tollgate writes: treat as the worst, never as clean.
            return LinkVerdict.Level.MALICIOUS;
        }
    }
}
