package dev.tollgate.core.dlp.content;

/** Which part of a message a {@link ContentSegment} was taken from. */
public enum ContentKind {
    /** The decoded {@code Subject} header (RFC 2047 encoded words decoded). */
    SUBJECT,
    /**
     * Other decoded header text a sender writes: {@code Comments}, {@code Keywords} and the display
     * names in {@code From}, {@code To}, {@code Cc} and {@code Reply-To} (RFC 5322 section 3.6, RFC 2047).
     */
    HEADER,
    /** A text part of the message body ({@code text/plain}, or {@code text/html} reduced to its text). */
    BODY,
    /** The file name of an attachment or of an archive entry. */
    ATTACHMENT_NAME,
    /** Text extracted from an attachment, an archive entry or a nested message's parts. */
    ATTACHMENT
}
