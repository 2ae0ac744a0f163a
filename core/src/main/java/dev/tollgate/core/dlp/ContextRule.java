package dev.tollgate.core.dlp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Keywords near a match that adjust its {@link Confidence}: a positive keyword within
 * {@link #window()} chars before or after the match raises it one level, a negative keyword
 * (e.g. "test", "order number") lowers it one level; both together cancel out. Some detectors
 * need a positive keyword to report at all (undashed SSNs, see {@link UsSsnDetector}).
 *
 * <p>Matching is case-insensitive ({@link Locale#ROOT} lower-casing) and on whole words: the
 * chars around a keyword occurrence must not be letters or digits, so "test" does not match
 * "latest". Keywords are looked for in the text before and after the match separately, never in
 * the match itself. Immutable and thread-safe; cost per finding is bounded by window × keywords.
 */
public final class ContextRule {
    /** Default window: chars examined on each side of a match. */
    public static final int DEFAULT_WINDOW = 64;
    /** Largest accepted window. */
    public static final int MAX_WINDOW = 1024;

    private final DetectorType type;
    private final int window;
    private final List<String> positive;
    private final List<String> negative;

    private ContextRule(Builder b) {
        this.type = b.type;
        this.window = b.window;
        this.positive = Collections.unmodifiableList(new ArrayList<>(b.positive));
        this.negative = Collections.unmodifiableList(new ArrayList<>(b.negative));
    }

    /**
     * @param type the detector type the rule applies to
     * @return a builder with no keywords and {@link #DEFAULT_WINDOW}
     */
    public static Builder builder(DetectorType type) {
        return new Builder(type);
    }

    /**
     * Built-in multilingual keywords (English, German, Dutch, French, Spanish, Portuguese,
     * Italian) for the type, as declared in {@link DetectorType}, with {@link #DEFAULT_WINDOW}.
     *
     * @param type the detector type
     * @return the default rule for that type
     */
    public static ContextRule defaults(DetectorType type) {
        return defaults(type, DEFAULT_WINDOW);
    }

    /**
     * Like {@link #defaults(DetectorType)} with another window.
     *
     * @param type the detector type
     * @param window chars examined on each side of a match, 0–{@link #MAX_WINDOW}
     * @return the default keywords for that type with the given window
     * @throws IllegalArgumentException if the window is out of range
     */
    public static ContextRule defaults(DetectorType type, int window) {
        Builder b = builder(type).window(window);
        b.positive(type.defaultPositiveKeywords().toArray(new String[0]));
        b.negative(type.defaultNegativeKeywords().toArray(new String[0]));
        return b.build();
    }

    /** @return the detector type this rule applies to */
    public DetectorType type() {
        return type;
    }

    /** @return chars examined on each side of a match */
    public int window() {
        return window;
    }

    /** @return positive keywords, lower-cased */
    public List<String> positiveKeywords() {
        return positive;
    }

    /** @return negative keywords, lower-cased */
    public List<String> negativeKeywords() {
        return negative;
    }

    /** @return true if a positive keyword occurs near [start, end) */
    boolean hasPositive(String before, String after) {
        return containsAny(before, positive) || containsAny(after, positive);
    }

    /** @return true if a negative keyword occurs near [start, end) */
    boolean hasNegative(String before, String after) {
        return containsAny(before, negative) || containsAny(after, negative);
    }

    String before(CharSequence text, int start) {
        return text.subSequence(Math.max(0, start - window), start).toString().toLowerCase(Locale.ROOT);
    }

    String after(CharSequence text, int end, int limit) {
        return text.subSequence(end, Math.min(limit, end + window)).toString().toLowerCase(Locale.ROOT);
    }

    private static boolean containsAny(String hay, List<String> keywords) {
        for (String k : keywords) {
            int from = 0;
            while (true) {
                int at = hay.indexOf(k, from);
                if (at < 0) {
                    break;
                }
                int after = at + k.length();
                if ((at == 0 || !Chars.isWordChar(hay.charAt(at - 1)))
                        && (after >= hay.length() || !Chars.isWordChar(hay.charAt(after)))) {
                    return true;
                }
                from = at + 1;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "ContextRule{" + type + " window=" + window + " +" + positive.size() + " -" + negative.size() + '}';
    }

    /** Builder for {@link ContextRule}; not thread-safe. */
    public static final class Builder {
        private final DetectorType type;
        private int window = DEFAULT_WINDOW;
        private final List<String> positive = new ArrayList<>();
        private final List<String> negative = new ArrayList<>();

        private Builder(DetectorType type) {
            this.type = Objects.requireNonNull(type, "type");
        }

        /**
         * @param chars chars examined on each side of a match, 0–{@link #MAX_WINDOW}
         * @return this
         * @throws IllegalArgumentException if out of range
         */
        public Builder window(int chars) {
            if (chars < 0 || chars > MAX_WINDOW) {
                throw new IllegalArgumentException("window must be 0.." + MAX_WINDOW + ", was " + chars);
            }
            this.window = chars;
            return this;
        }

        /**
         * @param keywords words or phrases that make a match more likely real (case-insensitive)
         * @return this
         */
        public Builder positive(String... keywords) {
            add(positive, keywords);
            return this;
        }

        /**
         * @param keywords words or phrases that make a match more likely a test value or a
         *     look-alike (case-insensitive)
         * @return this
         */
        public Builder negative(String... keywords) {
            add(negative, keywords);
            return this;
        }

        private static void add(List<String> to, String... keywords) {
            for (String k : Arrays.asList(keywords)) {
                String t = Objects.requireNonNull(k, "keyword").trim().toLowerCase(Locale.ROOT);
                if (t.isEmpty()) {
                    throw new IllegalArgumentException("blank keyword");
                }
                if (!to.contains(t)) {
                    to.add(t);
                }
            }
        }

        /** @return the immutable rule */
        public ContextRule build() {
            return new ContextRule(this);
        }
    }
}
