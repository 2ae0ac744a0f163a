package dev.tollgate.core.dlp;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Parameters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Runs a set of {@link Detector}s over text in a single left-to-right pass.
 *
 * <pre>{@code
 * TextScanner scanner = TextScanner.builder()
 *         .allBuiltInDetectors()
 *         .detect(edmList)
 *         .maxFindings(100)
 *         .build();
 * ScanResult findings = scanner.scan(body);
 * }</pre>
 *
 * <p>How it works: the scanner walks the chars once; only at a word start (previous char not a
 * letter or digit) whose first three chars pass some detector's pre-filters (built into one bit
 * table over ASCII triples, e.g. digit + digit + digit, {@code AKI}, {@code ---}) does it ask
 * those detectors, which validate a bounded window and say where they may be asked again. The
 * loop reads the text in chunks copied to a local array and tests every position against the
 * table with a rolling index, branching only at the rare candidates. Work is therefore linear
 * in the input length, with no regular expressions. Where a detector
 * matches, the span is claimed and scanning resumes after it, so findings never overlap. When
 * several detectors match at the same position the more specific one wins: the lowest
 * {@link DetectorType#priority()} (private key, cloud credential, IBAN, UK NINO, payment card,
 * US SSN, exact data match).
 *
 * <p>After a match the {@link ContextRule} for its {@link DetectorType} adjusts the confidence;
 * by default {@link ContextRule#defaults} is used for every type.
 *
 * <p>Limits (fail closed): at most {@link Builder#maxFindings} findings are returned and at most
 * {@link Builder#maxInputChars} chars are examined; in either case {@link ScanResult#isTruncated()}
 * is true. Instances are immutable and thread-safe; {@link #scan} allocates its own state.
 */
public final class TextScanner {
    /** Init parameter: comma-separated built-in detector ids. */
    public static final String P_DETECTORS = "detectors";
    /** Init parameter: maximum findings per scan. */
    public static final String P_MAX_FINDINGS = "maxFindings";
    /** Init parameter: maximum chars examined per scan. */
    public static final String P_MAX_INPUT_CHARS = "maxInputChars";
    /** Init parameter: window of the default context rules. */
    public static final String P_CONTEXT_WINDOW = "contextWindow";
    /** Init parameter: whether the default context rules apply. */
    public static final String P_CONTEXT_RULES = "contextRules";
    /** All init parameters read by {@link Builder#configure}. */
    public static final Set<String> PARAMETERS = Set.of(P_DETECTORS, P_MAX_FINDINGS, P_MAX_INPUT_CHARS,
            P_CONTEXT_WINDOW, P_CONTEXT_RULES);

    /** Default maximum number of findings per scan. */
    public static final int DEFAULT_MAX_FINDINGS = 1000;
    /** Default maximum number of chars examined per scan (32 Mi chars). */
    public static final int DEFAULT_MAX_INPUT_CHARS = 32 * 1024 * 1024;

    /** Chars copied from the text per step of the scan loop (the loop reads a local array, not the text). */
    private static final int CHUNK = 8192;

    private final Detector[] detectors;
    /** Candidates per ASCII bigram, index (c0 << 7) | c1; null when no detector triggers on it. */
    private final Trigger[] byBigram = new Trigger[128 * 128];
    /**
     * One bit per ASCII triple (c0, c1, c2), index {@code c0 << 14 | c1 << 7 | c2} with non-ASCII chars as
     * {@link Detector#NON_ASCII_NEXT} and chars past the end as {@link Detector#NO_NEXT}: set if some detector
     * may start a match there ({@link Detector#triggersOn(char, char, char)}); for a non-ASCII first char, set
     * if some detector {@link Detector#triggersOnNonAscii()}. 256 KiB; lets the scan loop test every position
     * without a data-dependent branch.
     */
    private final long[] starts = new long[1 << 21 >>> 6];
    private final int[] nonAscii;
    private final ContextRule[] rules;
    private final int maxFindings;
    private final int maxInputChars;

    private TextScanner(Builder b) {
        List<Detector> ds = new ArrayList<>(b.detectors);
        ds.sort(Comparator.comparingInt(d -> d.type().priority()));
        this.detectors = ds.toArray(new Detector[0]);
        Map<String, Trigger> shared = new HashMap<>();
        for (char c0 = 0; c0 < 128; c0++) {
            for (char c1 = 0; c1 < 128; c1++) {
                List<Integer> idx = new ArrayList<>();
                for (int k = 0; k < detectors.length; k++) {
                    if (detectors[k].triggersOn(c0, c1)) {
                        idx.add(k);
                    }
                }
                if (idx.isEmpty()) {
                    continue;
                }
                int[] ks = new int[idx.size()];
                long[] third = new long[2 * ks.length];
                for (int j = 0; j < ks.length; j++) {
                    ks[j] = idx.get(j);
                    for (char c2 = 0; c2 < 128; c2++) {
                        if (detectors[ks[j]].triggersOn(c0, c1, c2)) {
                            third[2 * j + (c2 >>> 6)] |= 1L << c2;
                            setStart(c0, c1, c2);
                        }
                    }
                }
                byBigram[(c0 << 7) | c1] = shared.computeIfAbsent(Arrays.toString(ks) + Arrays.toString(third),
                        key -> new Trigger(ks, third));
            }
        }
        List<Integer> na = new ArrayList<>();
        for (int k = 0; k < detectors.length; k++) {
            if (detectors[k].triggersOnNonAscii()) {
                na.add(k);
            }
        }
        this.nonAscii = na.isEmpty() ? null : na.stream().mapToInt(Integer::intValue).toArray();
        if (nonAscii != null) {
            for (char c1 = 0; c1 < 128; c1++) {
                for (char c2 = 0; c2 < 128; c2++) {
                    setStart(Detector.NON_ASCII_NEXT, c1, c2);
                }
            }
        }
        this.rules = new ContextRule[DetectorType.values().length];
        for (DetectorType t : DetectorType.values()) {
            ContextRule r = b.rules.get(t);
            if (r == null && b.defaultRules) {
                r = ContextRule.defaults(t, b.contextWindow);
            }
            rules[t.ordinal()] = r;
        }
        this.maxFindings = b.maxFindings;
        this.maxInputChars = b.maxInputChars;
    }

    /** @return a new builder with no detectors, default context rules and default limits */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Scans text for sensitive data.
     *
     * @param text the text to scan, not null
     * @return findings sorted by start offset; never null
     */
    public ScanResult scan(CharSequence text) {
        Objects.requireNonNull(text, "text");
        int limit = Math.min(text.length(), maxInputChars);
        boolean truncated = text.length() > limit;
        int[] resume = new int[detectors.length];
        Hit hit = new Hit();
        List<Finding> out = new ArrayList<>();
        // The text is read in chunks copied to a local array, plus two chars of look-ahead (NO_NEXT past the
        // limit). Every position is tested against the start bitset; only the rare hits (a word start whose
        // first three chars some detector accepts) take the branch into the detectors.
        char[] buf = new char[Math.min(limit, CHUNK) + 2];
        long[] starts = this.starts;
        long notPrevWord = 1; // 1 if the char before the current position is not a word char (or there is none)
        int i = 0;
        scan:
        while (i < limit) {
            int base = i;
            int n = Math.min(CHUNK, limit - base);
            copy(text, base, n, buf);
            buf[n] = base + n < limit ? text.charAt(base + n) : Detector.NO_NEXT;
            buf[n + 1] = base + n + 1 < limit ? text.charAt(base + n + 1) : Detector.NO_NEXT;
            int j = 0;
            int idx = bigramIndex(buf, 0); // rolling: (c0, c1) of position j here, the triple once c2 is shifted in
            while (j < n) {
                idx = (idx << 7 | Math.min(buf[j + 2], Detector.NON_ASCII_NEXT)) & TRIPLE_MASK;
                char c = buf[j];
                long candidate = (starts[idx >>> 6] >>> idx) & notPrevWord;
                notPrevWord = Chars.wordBit(c) ^ 1;
                if (candidate != 0) {
                    int end = detectAt(text, base + j, limit, c, buf[j + 1], buf[j + 2], resume, hit, out);
                    if (end == TRUNCATED) {
                        truncated = true;
                        break scan;
                    }
                    if (end > 0) {
                        notPrevWord = Chars.wordBit(text.charAt(end - 1)) ^ 1;
                        if (end - base >= n) {
                            i = end;
                            continue scan;
                        }
                        j = end - base;
                        idx = bigramIndex(buf, j);
                        continue;
                    }
                }
                j++;
            }
            i = base + n;
        }
        return new ScanResult(out, truncated, limit);
    }

    private static final int TRUNCATED = -1;
    private static final int TRIPLE_MASK = (1 << 21) - 1;

    private static int bigramIndex(char[] buf, int j) {
        return Math.min(buf[j], Detector.NON_ASCII_NEXT) << 7 | Math.min(buf[j + 1], Detector.NON_ASCII_NEXT);
    }

    /**
     * Offers position {@code i}, which follows a non-word char, to the detectors its first chars trigger, in
     * priority order, and records the first finding.
     *
     * @param c the char at i; {@code next} and {@code c2} the two after it ({@link Detector#NO_NEXT} past the limit)
     * @return the end of the finding, 0 if none, or {@link #TRUNCATED} if {@code maxFindings} was reached
     */
    private int detectAt(CharSequence text, int i, int limit, char c, char next, char c2, int[] resume, Hit hit,
            List<Finding> out) {
        int[] candidates;
        Trigger t = null;
        int ci2 = 0;
        if (c < 128) {
            t = byBigram[(c << 7) | Math.min(next, Detector.NON_ASCII_NEXT)];
            if (t == null) {
                return 0;
            }
            candidates = t.detectors;
            ci2 = Math.min(c2, Detector.NON_ASCII_NEXT);
        } else if (nonAscii != null && Chars.isWordChar(c)) {
            candidates = nonAscii;
        } else {
            return 0;
        }
        for (int n = 0; n < candidates.length; n++) {
            int k = candidates[n];
            if (resume[k] > i || (t != null && (t.third[2 * n + (ci2 >>> 6)] & (1L << ci2)) == 0)) {
                continue;
            }
            hit.reset();
            int r = detectors[k].detect(text, i, limit, hit);
            resume[k] = Math.max(r, i + 1);
            if (!hit.found) {
                continue;
            }
            Finding f = toFinding(detectors[k], hit, text, limit);
            if (f == null) {
                continue;
            }
            if (out.size() >= maxFindings) {
                return TRUNCATED;
            }
            out.add(f);
            return hit.end;
        }
        return 0;
    }

    private void setStart(char c0, char c1, char c2) {
        int idx = c0 << 14 | c1 << 7 | c2;
        starts[idx >>> 6] |= 1L << idx;
    }

    /** Copies text[from, from + n) to dst[0, n). */
    private static void copy(CharSequence text, int from, int n, char[] dst) {
        if (text instanceof String) {
            ((String) text).getChars(from, from + n, dst, 0);
        } else if (text instanceof StringBuilder) {
            ((StringBuilder) text).getChars(from, from + n, dst, 0);
        } else {
            for (int k = 0; k < n; k++) {
                dst[k] = text.charAt(from + k);
            }
        }
    }

    /**
     * The detectors a bigram triggers, in priority order, with the third chars each accepts
     * ({@link Detector#triggersOn(char, char, char)}): bit c2 of {@code third[2 * n + (c2 >>> 6)]} for
     * {@code detectors[n]}.
     */
    private static final class Trigger {
        final int[] detectors;
        final long[] third;

        Trigger(int[] detectors, long[] third) {
            this.detectors = detectors;
            this.third = third;
        }
    }

    /** Applies the context rule to a hit; null if the hit needs positive context and has none. */
    Finding toFinding(Detector d, Hit hit, CharSequence text, int limit) {
        Confidence conf = hit.confidence;
        ContextRule rule = rules[d.type().ordinal()];
        if (rule != null) {
            String before = rule.before(text, hit.start);
            String after = rule.after(text, hit.end, limit);
            boolean pos = rule.hasPositive(before, after);
            boolean neg = rule.hasNegative(before, after);
            if (hit.needsPositiveContext && !pos) {
                return null;
            }
            if (pos && !neg) {
                conf = conf.raise();
            } else if (neg && !pos) {
                conf = conf.lower();
            }
        } else if (hit.needsPositiveContext) {
            return null;
        }
        return new Finding(d.id(), d.type(), hit.label, hit.start, hit.end, conf, hit.masked);
    }

    int maxFindings() {
        return maxFindings;
    }

    int maxInputChars() {
        return maxInputChars;
    }

    /**
     * A scanner with these settings (context rules, limits) and these detectors plus {@code extra},
     * e.g. the {@link ExactDataMatch} lists of a DLP policy.
     *
     * @param extra detectors to add; empty returns this scanner
     * @return the scanner
     * @throws IllegalArgumentException if an extra detector's id is already used
     */
    public TextScanner plus(List<? extends Detector> extra) {
        if (extra.isEmpty()) {
            return this;
        }
        Builder b = builder().detect(detectors).withoutDefaultContextRules().maxFindings(maxFindings)
                .maxInputChars(maxInputChars);
        for (ContextRule r : rules) {
            if (r != null) {
                b.contextRule(r);
            }
        }
        return b.detect(extra.toArray(new Detector[0])).build();
    }

    /** @return the detectors in priority order */
    public List<Detector> detectors() {
        return List.of(detectors);
    }

    @Override
    public String toString() {
        return "TextScanner" + Arrays.toString(detectors) + "{maxFindings=" + maxFindings
                + ", maxInputChars=" + maxInputChars + '}';
    }

    /** Builder for {@link TextScanner}; not thread-safe. */
    public static final class Builder {
        private final List<Detector> detectors = new ArrayList<>();
        private final Set<String> ids = new HashSet<>();
        private final Map<DetectorType, ContextRule> rules = new EnumMap<>(DetectorType.class);
        private boolean defaultRules = true;
        private int maxFindings = DEFAULT_MAX_FINDINGS;
        private int maxInputChars = DEFAULT_MAX_INPUT_CHARS;
        private int contextWindow = ContextRule.DEFAULT_WINDOW;

        private Builder() {
        }

        /**
         * Applies init parameters (as from a James mailet config); absent parameters keep the
         * builder's current values:
         * <ul>
         *   <li>{@value #P_DETECTORS}: comma-separated ids of built-in detectors
         *       ({@link DetectorType#builtInIds()}); default all of them;</li>
         *   <li>{@value #P_MAX_FINDINGS}: 1–1,000,000;</li>
         *   <li>{@value #P_MAX_INPUT_CHARS}: 1–{@link Integer#MAX_VALUE};</li>
         *   <li>{@value #P_CONTEXT_WINDOW}: 0–{@link ContextRule#MAX_WINDOW}, window of the default
         *       context rules;</li>
         *   <li>{@value #P_CONTEXT_RULES}: {@code true|false}, whether the default rules apply.</li>
         * </ul>
         * Unknown names are not checked here; use {@link Parameters#requireKnown} with
         * {@link #PARAMETERS}.
         *
         * @param p the parameters
         * @return this
         * @throws ConfigException naming the offending parameter
         */
        public Builder configure(Parameters p) {
            List<String> ids = p.list(P_DETECTORS);
            if (ids.isEmpty()) {
                allBuiltInDetectors();
            } else {
                for (String id : ids) {
                    DetectorType t = DetectorType.builtIn(id).orElseThrow(
                            () -> new ConfigException(P_DETECTORS, DetectorType.unknownIdReason(id)));
                    if (ids.indexOf(id) != ids.lastIndexOf(id)) {
                        throw new ConfigException(P_DETECTORS, "detector '" + id + "' listed twice");
                    }
                    detect(t.newDetector());
                }
            }
            maxFindings(p.intInRange(P_MAX_FINDINGS, maxFindings, 1, 1_000_000));
            maxInputChars(p.intInRange(P_MAX_INPUT_CHARS, maxInputChars, 1, Integer.MAX_VALUE));
            contextWindow(p.intInRange(P_CONTEXT_WINDOW, contextWindow, 0, ContextRule.MAX_WINDOW));
            if (!p.bool(P_CONTEXT_RULES, defaultRules)) {
                withoutDefaultContextRules();
            }
            return this;
        }

        /**
         * Sets the window of the built-in default context rules (rules given with
         * {@link #contextRule} keep their own).
         *
         * @param chars chars examined on each side of a match, 0–{@link ContextRule#MAX_WINDOW}
         * @return this
         * @throws IllegalArgumentException if out of range
         */
        public Builder contextWindow(int chars) {
            if (chars < 0 || chars > ContextRule.MAX_WINDOW) {
                throw new IllegalArgumentException("contextWindow must be 0.." + ContextRule.MAX_WINDOW + ", was " + chars);
            }
            this.contextWindow = chars;
            return this;
        }

        /**
         * Adds detectors.
         *
         * @param ds detectors to add
         * @return this
         * @throws IllegalArgumentException if a detector with the same id was already added
         */
        public Builder detect(Detector... ds) {
            for (Detector d : ds) {
                Objects.requireNonNull(d, "detector");
                if (!ids.add(d.id())) {
                    throw new IllegalArgumentException("duplicate detector id: " + d.id());
                }
                detectors.add(d);
            }
            return this;
        }

        /**
         * Adds every built-in detector ({@link DetectorType#builtIns()}): payment cards, IBANs, US SSNs,
         * UK NINOs, private keys and cloud credentials (not {@link ExactDataMatch}, which needs a list).
         *
         * @return this
         */
        public Builder allBuiltInDetectors() {
            for (DetectorType t : DetectorType.builtIns()) {
                detect(t.newDetector());
            }
            return this;
        }

        /**
         * Sets the context rule for the rule's type, replacing the default for that type.
         *
         * @param rule the rule
         * @return this
         */
        public Builder contextRule(ContextRule rule) {
            rules.put(rule.type(), Objects.requireNonNull(rule, "rule"));
            return this;
        }

        /**
         * Disables the built-in {@link ContextRule#defaults}; only rules set with
         * {@link #contextRule} apply. Note that undashed SSNs need a positive keyword, so without
         * a US_SSN rule they are never reported.
         *
         * @return this
         */
        public Builder withoutDefaultContextRules() {
            this.defaultRules = false;
            return this;
        }

        /**
         * @param max maximum findings per scan, 1–1,000,000
         * @return this
         * @throws IllegalArgumentException if out of range
         */
        public Builder maxFindings(int max) {
            if (max < 1 || max > 1_000_000) {
                throw new IllegalArgumentException("maxFindings must be 1..1000000, was " + max);
            }
            this.maxFindings = max;
            return this;
        }

        /**
         * @param max maximum chars examined per scan, at least 1
         * @return this
         * @throws IllegalArgumentException if less than 1
         */
        public Builder maxInputChars(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxInputChars must be >= 1, was " + max);
            }
            this.maxInputChars = max;
            return this;
        }

        /**
         * @return the scanner
         * @throws IllegalStateException if no detector was added
         */
        public TextScanner build() {
            if (detectors.isEmpty()) {
                throw new IllegalStateException("no detectors configured");
            }
            return new TextScanner(this);
        }
    }
}
