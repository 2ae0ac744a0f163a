package dev.tollgate.core.dlp.content;

import javax.mail.internet.MimeMessage;

import dev.tollgate.core.mime.PartCache;

/**
 * Takes the text a DLP scan examines out of a message: the subject, every text part after
 * Content-Transfer-Encoding and charset decoding (HTML reduced to text), attachment file names,
 * and attachment contents (documents, archives, nested {@code message/rfc822}).
 *
 * <p>Contract: implementations are thread-safe and bounded (depth, expanded size, compression
 * ratio, entry count, time). They never throw for bad content: a part that cannot be read is
 * reported as {@link Unscannable}, so that a failure can never look like a clean message.
 */
public interface MessageContentExtractor {
    /**
     * @param message the message (not modified)
     * @return the extracted text and the parts that could not be examined
     */
    ExtractedContent extract(MimeMessage message);

    /**
     * {@link #extract(MimeMessage)}, taking decoded bodies and parsed HTML from {@code cache} and leaving its own
     * there for the next component reading the same mail; by default the cache is not used.
     *
     * @param cache what earlier readers of the same mail decoded and parsed
     */
    default ExtractedContent extract(MimeMessage message, PartCache cache) {
        return extract(message);
    }
}
