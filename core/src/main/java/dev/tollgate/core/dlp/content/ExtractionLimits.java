package dev.tollgate.core.dlp.content;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Parameters;

/**
 * Bounds on the work a {@link MimeContentExtractor} does for one message. A limit that is hit
 * makes the affected part {@link Unscannable} (never clean). Immutable.
 *
 * <p>Parameter names (shared by every mailet that extracts content, see
 * {@code docs/reference/ContentExtraction.md}):
 * <ul>
 *   <li>{@value #MAX_DEPTH}: nesting of archives, compressed files and attached messages
 *       (default {@value #DEFAULT_MAX_DEPTH}; 1..64). A part of the message itself is at depth 0.</li>
 *   <li>{@value #MAX_EXPANDED_SIZE}: bytes produced by decoding and decompressing, summed over the
 *       whole message; a number with an optional unit {@code B}, {@code KB}, {@code MB}, {@code GB}
 *       (powers of 1024; default 64MB; 1KB..4GB).</li>
 *   <li>{@value #MAX_ENTRIES}: MIME parts plus archive entries per message (default
 *       {@value #DEFAULT_MAX_ENTRIES}; 1..1000000).</li>
 *   <li>{@value #MAX_COMPRESSION_RATIO}: decompressed/compressed bytes of one archive entry or
 *       compressed file, checked once more than {@link #RATIO_FLOOR_BYTES} were produced (default
 *       {@value #DEFAULT_MAX_COMPRESSION_RATIO}; 2..100000).</li>
 *   <li>{@value #TIME_PER_MESSAGE}: wall-clock budget per message, e.g. {@code 30s}, {@code 500ms}
 *       (default 30s; 1ms..1h).</li>
 * </ul>
 */
public final class ExtractionLimits {
    public static final String MAX_DEPTH = "extractionMaxDepth";
    public static final String MAX_EXPANDED_SIZE = "extractionMaxExpandedSize";
    public static final String MAX_ENTRIES = "extractionMaxEntries";
    public static final String MAX_COMPRESSION_RATIO = "extractionMaxCompressionRatio";
    public static final String TIME_PER_MESSAGE = "extractionTimePerMessage";
    /** Every parameter this class reads. */
    public static final Set<String> PARAMETER_NAMES =
            Set.of(MAX_DEPTH, MAX_EXPANDED_SIZE, MAX_ENTRIES, MAX_COMPRESSION_RATIO, TIME_PER_MESSAGE);

    public static final int DEFAULT_MAX_DEPTH = 5;
    public static final long DEFAULT_MAX_EXPANDED_BYTES = 64L * 1024 * 1024;
    public static final int DEFAULT_MAX_ENTRIES = 1000;
    public static final int DEFAULT_MAX_COMPRESSION_RATIO = 100;
    public static final Duration DEFAULT_TIME_PER_MESSAGE = Duration.ofSeconds(30);
    /**
     * The compression ratio is only judged after this many decompressed bytes of one entry, so a
     * small, very compressible file (a page of spaces) is not mistaken for a bomb.
     */
    public static final long RATIO_FLOOR_BYTES = 1024L * 1024;

    private static final long MAX_SIZE_BYTES = 4L * 1024 * 1024 * 1024;
    private static final Pattern SIZE = Pattern.compile("(\\d{1,13})\\s*(b|kb|k|mb|m|gb|g)?");

    private static final ExtractionLimits DEFAULTS = new ExtractionLimits(DEFAULT_MAX_DEPTH,
            DEFAULT_MAX_EXPANDED_BYTES, DEFAULT_MAX_ENTRIES, DEFAULT_MAX_COMPRESSION_RATIO, DEFAULT_TIME_PER_MESSAGE);

    private final int maxDepth;
    private final long maxExpandedBytes;
    private final int maxEntries;
    private final int maxCompressionRatio;
    private final Duration timePerMessage;

    private ExtractionLimits(int maxDepth, long maxExpandedBytes, int maxEntries, int maxCompressionRatio,
            Duration timePerMessage) {
        this.maxDepth = maxDepth;
        this.maxExpandedBytes = maxExpandedBytes;
        this.maxEntries = maxEntries;
        this.maxCompressionRatio = maxCompressionRatio;
        this.timePerMessage = timePerMessage;
    }

    /** @return the defaults listed in the class comment */
    public static ExtractionLimits defaults() {
        return DEFAULTS;
    }

    /**
     * Reads the parameters listed in the class comment; absent ones take their default.
     * Other parameters are ignored (the caller checks for unknown names).
     *
     * @throws ConfigException naming the first invalid parameter
     */
    public static ExtractionLimits fromParameters(Parameters parameters) {
        Duration time = parameters.duration(TIME_PER_MESSAGE, DEFAULT_TIME_PER_MESSAGE);
        if (time.isZero() || time.compareTo(Duration.ofHours(1)) > 0) {
            throw new ConfigException(TIME_PER_MESSAGE, "must be between 1ms and 1h");
        }
        return new ExtractionLimits(
                parameters.intInRange(MAX_DEPTH, DEFAULT_MAX_DEPTH, 1, 64),
                size(parameters.optional(MAX_EXPANDED_SIZE)),
                parameters.intInRange(MAX_ENTRIES, DEFAULT_MAX_ENTRIES, 1, 1_000_000),
                parameters.intInRange(MAX_COMPRESSION_RATIO, DEFAULT_MAX_COMPRESSION_RATIO, 2, 100_000),
                time);
    }

    private static long size(Optional<String> raw) {
        if (raw.isEmpty()) {
            return DEFAULT_MAX_EXPANDED_BYTES;
        }
        Matcher m = SIZE.matcher(raw.get().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new ConfigException(MAX_EXPANDED_SIZE, "must be a size such as 64MB, 512KB or 1GB");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2);
        long factor = unit.startsWith("g") ? 1L << 30 : unit.startsWith("m") ? 1L << 20 : unit.startsWith("k") ? 1L << 10 : 1;
        if (n > MAX_SIZE_BYTES / factor || n * factor < 1024 || n * factor > MAX_SIZE_BYTES) {
            throw new ConfigException(MAX_EXPANDED_SIZE, "must be between 1KB and 4GB");
        }
        return n * factor;
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder(DEFAULTS);
    }

    /** @return a builder starting from these limits */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Maximum nesting depth of archives and attached messages (parts of the message itself: 0). */
    public int maxDepth() {
        return maxDepth;
    }

    /** Maximum bytes produced by decoding and decompressing, per message. */
    public long maxExpandedBytes() {
        return maxExpandedBytes;
    }

    /** Maximum MIME parts plus archive entries per message. */
    public int maxEntries() {
        return maxEntries;
    }

    /** Maximum decompressed/compressed ratio of one entry (judged after {@link #RATIO_FLOOR_BYTES}). */
    public int maxCompressionRatio() {
        return maxCompressionRatio;
    }

    /** Wall-clock budget per message. */
    public Duration timePerMessage() {
        return timePerMessage;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ExtractionLimits)) {
            return false;
        }
        ExtractionLimits l = (ExtractionLimits) o;
        return maxDepth == l.maxDepth && maxExpandedBytes == l.maxExpandedBytes && maxEntries == l.maxEntries
                && maxCompressionRatio == l.maxCompressionRatio && timePerMessage.equals(l.timePerMessage);
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxDepth, maxExpandedBytes, maxEntries, maxCompressionRatio, timePerMessage);
    }

    @Override
    public String toString() {
        return "ExtractionLimits{depth=" + maxDepth + ", expandedBytes=" + maxExpandedBytes + ", entries=" + maxEntries
                + ", ratio=" + maxCompressionRatio + ", time=" + timePerMessage + '}';
    }

    /** Builds limits programmatically (tests, CLI); values are checked like the parameters. */
    public static final class Builder {
        private int maxDepth;
        private long maxExpandedBytes;
        private int maxEntries;
        private int maxCompressionRatio;
        private Duration timePerMessage;

        private Builder(ExtractionLimits from) {
            maxDepth = from.maxDepth;
            maxExpandedBytes = from.maxExpandedBytes;
            maxEntries = from.maxEntries;
            maxCompressionRatio = from.maxCompressionRatio;
            timePerMessage = from.timePerMessage;
        }

        public Builder maxDepth(int value) {
            maxDepth = positive(value, MAX_DEPTH);
            return this;
        }

        public Builder maxExpandedBytes(long value) {
            if (value < 1) {
                throw new IllegalArgumentException(MAX_EXPANDED_SIZE + " must be positive");
            }
            maxExpandedBytes = value;
            return this;
        }

        public Builder maxEntries(int value) {
            maxEntries = positive(value, MAX_ENTRIES);
            return this;
        }

        public Builder maxCompressionRatio(int value) {
            maxCompressionRatio = positive(value, MAX_COMPRESSION_RATIO);
            return this;
        }

        public Builder timePerMessage(Duration value) {
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(TIME_PER_MESSAGE + " must be positive");
            }
            timePerMessage = value;
            return this;
        }

        public ExtractionLimits build() {
            return new ExtractionLimits(maxDepth, maxExpandedBytes, maxEntries, maxCompressionRatio, timePerMessage);
        }

        private static int positive(int value, String name) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return value;
        }
    }
}
