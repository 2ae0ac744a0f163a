package dev.tollgate.core.mime;

import java.util.Objects;
import java.util.Optional;

/**
 * The result of a bounded read of one part's body ({@link MimeBodies#read}): the decoded bytes, or the reason
 * there are none. A body over the byte limit is {@link MimeSkipReason#SIZE_LIMIT} with no bytes at all, so a
 * caller cannot mistake a truncated body for a whole one.
 */
public final class MimeBody {
    private final byte[] bytes;
    private final byte[] rawQuotedPrintable;
    private final String encoding;
    private final MimeSkipReason reason;

    private MimeBody(byte[] bytes, byte[] rawQuotedPrintable, String encoding, MimeSkipReason reason) {
        this.bytes = bytes;
        this.rawQuotedPrintable = rawQuotedPrintable;
        this.encoding = Objects.requireNonNull(encoding, "encoding");
        this.reason = reason;
    }

    static MimeBody decoded(byte[] bytes, String encoding, byte[] rawQuotedPrintable) {
        return new MimeBody(bytes, rawQuotedPrintable, encoding, null);
    }

    static MimeBody undecoded(byte[] raw, String encoding) {
        return new MimeBody(raw, null, encoding, MimeSkipReason.UNKNOWN_ENCODING);
    }

    static MimeBody tooLarge(String encoding) {
        return new MimeBody(null, null, encoding, MimeSkipReason.SIZE_LIMIT);
    }

    /** @return whether bytes were read (decoded, or raw for {@link MimeSkipReason#UNKNOWN_ENCODING}) */
    public boolean hasBytes() {
        return bytes != null;
    }

    /**
     * @return the decoded body; for {@link MimeSkipReason#UNKNOWN_ENCODING} the body as transmitted
     * @throws IllegalStateException when nothing was read ({@link #hasBytes()} false)
     */
    public byte[] bytes() {
        if (bytes == null) {
            throw new IllegalStateException("body not read: " + reason);
        }
        return bytes;
    }

    /**
     * @return the body as transmitted when it was quoted-printable decoded strictly (RFC 2045 §6.7), for
     *     {@link TransferEncoding#requotePrintable}; empty otherwise
     */
    public Optional<byte[]> rawQuotedPrintable() {
        return Optional.ofNullable(rawQuotedPrintable);
    }

    /** @return the part's normalised Content-Transfer-Encoding ({@link TransferEncoding#of}) */
    public String encoding() {
        return encoding;
    }

    /**
     * @return {@link MimeSkipReason#SIZE_LIMIT} (no bytes) or {@link MimeSkipReason#UNKNOWN_ENCODING} (raw
     *     bytes); empty for a body read and decoded whole
     */
    public Optional<MimeSkipReason> reason() {
        return Optional.ofNullable(reason);
    }
}
