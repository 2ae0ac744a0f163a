package dev.tollgate.james.transport;

import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;

import dev.tollgate.core.MailAttributes;
import dev.tollgate.core.mime.PartCache;

/**
 * The {@link PartCache} of a mail, kept in the mail attribute {@value MailAttributes#PART_CACHE} so that the DLP
 * scan, the link matchers and {@code RewriteLinks} decode and parse each part once. The value is not
 * serialisable: James drops it when it stores or queues the mail, and the next reader starts a new cache.
 * Entries are found by content, so a message changed between two readers is read again, never answered from
 * the cache.
 */
public final class MailPartCache {
    private static final AttributeName NAME = AttributeName.of(MailAttributes.PART_CACHE);

    private MailPartCache() {
    }

    /** @return the mail's cache, created (and set on the mail) when it has none */
    public static PartCache of(Mail mail) {
        Object v = mail.getAttribute(NAME).map(a -> a.getValue().getValue()).orElse(null);
        if (v instanceof PartCache) {
            return (PartCache) v;
        }
        PartCache cache = PartCache.create();
        mail.setAttribute(new Attribute(NAME, AttributeValue.ofUnserializable(cache)));
        return cache;
    }
}
