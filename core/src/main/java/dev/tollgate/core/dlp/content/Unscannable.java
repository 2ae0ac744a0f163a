package dev.tollgate.core.dlp.content;

import java.util.Objects;

/**
 * A part of a message whose content could not be (fully) examined. Policy treats any of these as
 * the {@code unscannable} verdict (default action: quarantine), never as clean.
 */
public final class Unscannable {
    /** Why a part could not be examined. */
    public enum Reason {
        /** The parser failed (corrupt or malformed file, unsupported variant). */
        EXTRACTION_FAILED,
        /** The part or archive entry is encrypted or password protected. */
        ENCRYPTED,
        /** Nesting (archives, messages) deeper than the configured maximum depth. */
        DEPTH_LIMIT,
        /** Expanded content larger than the configured maximum size. */
        SIZE_LIMIT,
        /** An archive entry expands more than the configured compression ratio (zip bomb). */
        RATIO_LIMIT,
        /** More archive entries or parts than the configured maximum. */
        ENTRY_LIMIT,
        /** Extraction took longer than the configured time per message. */
        TIME_LIMIT
    }

    private final String location;
    private final Reason reason;
    private final String detail;
    private final boolean encryptedMessage;

    private Unscannable(String location, Reason reason, String detail, boolean encryptedMessage) {
        this.location = Objects.requireNonNull(location, "location");
        this.reason = Objects.requireNonNull(reason, "reason");
        this.detail = Objects.requireNonNull(detail, "detail");
        this.encryptedMessage = encryptedMessage;
    }

    /**
     * @param location path of the part, as in {@link ContentSegment#location()}
     * @param reason why it could not be examined
     * @param detail a short explanation for logs (no content of the message)
     * @return the record
     */
    public static Unscannable of(String location, Reason reason, String detail) {
        return new Unscannable(location, reason, detail, false);
    }

    /**
     * A part its sender encrypted as a message to its recipients: S/MIME enveloped data or an OpenPGP
     * encrypted message ({@link SenderEncryption}). Reason {@link Reason#ENCRYPTED}; the policy's
     * {@code encrypted} action applies to it instead of {@code unscannable}. A password-protected archive entry
     * or document is {@link Reason#ENCRYPTED} too, but made with {@link #of}: it stays {@code unscannable}.
     *
     * @param location path of the part, as in {@link ContentSegment#location()}
     * @param detail what the encrypted content is (no content of the message)
     * @return the record
     */
    public static Unscannable encryptedMessage(String location, String detail) {
        return new Unscannable(location, Reason.ENCRYPTED, detail, true);
    }

    /** @return true for S/MIME or OpenPGP message encryption ({@link #encryptedMessage}) */
    public boolean isEncryptedMessage() {
        return encryptedMessage;
    }

    public String location() {
        return location;
    }

    public Reason reason() {
        return reason;
    }

    public String detail() {
        return detail;
    }

    @Override
    public String toString() {
        return "Unscannable{" + location + ' ' + reason + (encryptedMessage ? " (message)" : "") + ": " + detail + '}';
    }
}
