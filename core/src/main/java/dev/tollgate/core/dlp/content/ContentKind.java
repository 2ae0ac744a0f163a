package dev.tollgate.core.dlp.content;

/** Which part of a message a {@link ContentSegment} was taken from. */
public enum ContentKind {
    /** The decoded {@code Subject} header (RFC 2047 encoded words decoded). */
    SUBJECT,
    /**
     * Other decoded header text of the message and its body parts (RFC 5322 section 3.6, RFC 2047): every header
     * but the trace, identifier and MIME-structure ones, display names only for address headers.
     */
    HEADER,
    /**
     * A text part of the message body ({@code text/plain}, or {@code text/html} reduced to its text; its link
     * targets, style, script and other attribute values at locations of their own).
     */
    BODY,
    /** The file name of an attachment or of an archive entry. */
    ATTACHMENT_NAME,
    /** Text extracted from an attachment, an archive entry or a nested message's parts. */
    ATTACHMENT
}
