package dev.tollgate.core.dlp.content;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongSupplier;

/**
 * Counts the bytes actually read from a decoder or decompressor (never a declared size) against the
 * message's {@link ExtractionBudget}, and, for a decompressing stream, checks the compression ratio
 * against the bytes the decompressor consumed. {@link #close()} leaves the underlying stream open
 * (an archive reader goes on to its next entry).
 */
final class BoundedInputStream extends InputStream {
    private final InputStream in;
    private final ExtractionBudget budget;
    private final LongSupplier compressedCount;
    private long produced;

    /**
     * @param compressedCount bytes consumed by the decompressor for this entry, or null when
     *        {@code in} does not decompress
     */
    BoundedInputStream(InputStream in, ExtractionBudget budget, LongSupplier compressedCount) {
        this.in = in;
        this.budget = budget;
        this.compressedCount = compressedCount;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = in.read(buf, off, len);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    /** What the underlying stream says: a decoded body in memory tells its length, a decompressor only 0 or 1. */
    @Override
    public int available() throws IOException {
        return in.available();
    }

    private void count(int n) throws IOException {
        produced += n;
        budget.addBytes(n);
        if (compressedCount != null && produced > ExtractionLimits.RATIO_FLOOR_BYTES) {
            long compressed = Math.max(1, compressedCount.getAsLong());
            int max = budget.limits().maxCompressionRatio();
            if (produced / compressed > max) {
                throw new LimitExceededException(Unscannable.Reason.RATIO_LIMIT,
                        "expands more than " + max + " times (" + produced + " bytes from " + compressed + ")");
            }
        }
    }

    @Override
    public void close() {
        // The caller owns the underlying stream.
    }
}
