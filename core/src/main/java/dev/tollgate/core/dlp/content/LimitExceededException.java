package dev.tollgate.core.dlp.content;

import java.io.IOException;

/**
 * A limit of {@link ExtractionLimits} was hit while reading. An {@link IOException} so that it
 * passes through the decoders and archive readers that sit between the budget and the extractor.
 */
final class LimitExceededException extends IOException {
    private static final long serialVersionUID = 1L;

    private final Unscannable.Reason reason;

    LimitExceededException(Unscannable.Reason reason, String detail) {
        super(detail);
        this.reason = reason;
    }

    Unscannable.Reason reason() {
        return reason;
    }

    /** @return true when the limit covers the whole message (size, entries, time): extraction stops */
    boolean endsMessage() {
        return reason == Unscannable.Reason.SIZE_LIMIT || reason == Unscannable.Reason.ENTRY_LIMIT
                || reason == Unscannable.Reason.TIME_LIMIT;
    }

    /** @return the limit exception in {@code t}'s cause chain, or null (readers sometimes wrap it) */
    static LimitExceededException findIn(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof LimitExceededException) {
                return (LimitExceededException) c;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return null;
    }
}
