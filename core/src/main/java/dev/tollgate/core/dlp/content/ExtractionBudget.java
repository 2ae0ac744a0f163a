package dev.tollgate.core.dlp.content;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The per-message counters behind {@link ExtractionLimits}: bytes produced, entries seen, time
 * left. One instance per extraction run; not shared between threads.
 */
final class ExtractionBudget {
    private final ExtractionLimits limits;
    private final LongSupplier nanoTime;
    private final long deadline;
    private long expandedBytes;
    private int entries;

    ExtractionBudget(ExtractionLimits limits, LongSupplier nanoTime) {
        this.limits = limits;
        this.nanoTime = nanoTime;
        this.deadline = nanoTime.getAsLong() + limits.timePerMessage().toNanos();
    }

    ExtractionLimits limits() {
        return limits;
    }

    /** Counts bytes produced by decoding or decompressing. */
    void addBytes(long n) throws LimitExceededException {
        expandedBytes += n;
        if (expandedBytes > limits.maxExpandedBytes()) {
            throw sizeExceeded();
        }
        checkTime();
    }

    /** @return how many more chars of text (two bytes each, as text is counted) fit under the expanded-size limit */
    long charsLeft() {
        return Math.max(0, limits.maxExpandedBytes() - expandedBytes) / 2;
    }

    /** @return the limit {@link #addBytes} reports, for text found too long before it is counted */
    LimitExceededException sizeExceeded() {
        return new LimitExceededException(Unscannable.Reason.SIZE_LIMIT,
                "more than " + limits.maxExpandedBytes() + " bytes after decoding and decompression");
    }

    /** Counts one MIME part or archive entry. */
    void countEntry() throws LimitExceededException {
        entries++;
        if (entries > limits.maxEntries()) {
            throw new LimitExceededException(Unscannable.Reason.ENTRY_LIMIT,
                    "more than " + limits.maxEntries() + " parts and archive entries");
        }
        checkTime();
    }

    void checkTime() throws LimitExceededException {
        if (nanoTime.getAsLong() - deadline > 0) {
            throw new LimitExceededException(Unscannable.Reason.TIME_LIMIT,
                    "extraction took longer than " + limits.timePerMessage().toMillis() + " ms");
        }
    }

    /** @return time left before the per-message deadline (zero when passed) */
    Duration remaining() {
        long left = deadline - nanoTime.getAsLong();
        return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
    }

    long expandedBytes() {
        return expandedBytes;
    }
}
