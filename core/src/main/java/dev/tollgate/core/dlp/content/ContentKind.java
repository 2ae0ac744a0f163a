package dev.tollgate.core.dlp.content;

/** Which part of a message a {@link ContentSegment} was taken from. */
public enum ContentKind {
    /** The decoded {@code Subject} header (RFC 2047 encoded words decoded). */
    SUBJECT,
    /** A text part of the message body ({@code text/plain}, or {@code text/html} reduced to its text). */
    BODY,
    /** The file name of an attachment or of an archive entry. */
    ATTACHMENT_NAME,
    /** Text extracted from an attachment, an archive entry or a nested message's parts. */
    ATTACHMENT
}
