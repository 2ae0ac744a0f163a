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

    private Unscannable(String location, Reason reason, String detail) {
        this.location = Objects.requireNonNull(location, "location");
        this.reason = Objects.requireNonNull(reason, "reason");
        this.detail = Objects.requireNonNull(detail, "detail");
    }

    /**
     * @param location path of the part, as in {@link ContentSegment#location()}
     * @param reason why it could not be examined
     * @param detail a short explanation for logs (no content of the message)
     * @return the record
     */
    public static Unscannable of(String location, Reason reason, String detail) {
        return new Unscannable(location, reason, detail);
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
        return "Unscannable{" + location + ' ' + reason + ": " + detail + '}';
    }
}
