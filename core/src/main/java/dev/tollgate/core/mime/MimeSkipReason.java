package dev.tollgate.core.mime;

/**
 * Why a MIME part was not (fully) walked, read or decoded. Callers map each value to their own wording and
 * verdict; none of these may be treated as "examined and clean".
 */
public enum MimeSkipReason {
    /** An attached message ({@code message/rfc822}, RFC 2046 §5.2.1) nested deeper than the depth limit. */
    DEPTH_LIMIT,
    /** More parts than the part limit: this part and the rest of the message were not walked. */
    PART_LIMIT,
    /** The decoded body is larger than the byte limit; nothing of it is returned (never a silent truncation). */
    SIZE_LIMIT,
    /** The structure cannot be parsed: a Content-Type that does not parse, a multipart without its boundaries. */
    MALFORMED,
    /** The Content-Transfer-Encoding token is not one JavaMail decodes (RFC 2045 §6.1); the raw bytes are used. */
    UNKNOWN_ENCODING,
    /** The declared charset (RFC 2046 §4.1.2) is not known to the JVM. */
    UNKNOWN_CHARSET,
    /** Encrypted content: {@code multipart/encrypted} (RFC 1847), {@code application/pkcs7-mime}, PGP. */
    ENCRYPTED,
    /** Signed content ({@code multipart/signed}, RFC 1847): its bytes must stay as they are. */
    SIGNED
}
