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
 * letter or digit) whose first two chars pass some detector's pre-filter (a table lookup per
 * ASCII pair, e.g. digit + digit, {@code AK}, {@code --}) does it ask those detectors, which validate a bounded window and say where they may be asked again.
 * Work is therefore linear in the input length, with no regular expressions. Where a detector
 * matches, the span is claimed and scanning resumes after it, so findings never overlap. When
 * several detectors match at the same position the more specific one wins, in this order:
 * private key, cloud credential, IBAN, UK NINO, payment card, US SSN, exact data match.
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

    private static final List<DetectorType> PRIORITY = Arrays.asList(DetectorType.PRIVATE_KEY,
            DetectorType.CLOUD_CREDENTIAL, DetectorType.IBAN, DetectorType.UK_NINO,
            DetectorType.PAYMENT_CARD, DetectorType.US_SSN, DetectorType.EXACT_DATA);

    private static final boolean[] ASCII_WORD = new boolean[128];

    static {
        for (char c = 0; c < 128; c++) {
            ASCII_WORD[c] = Chars.isAsciiAlnum(c);
        }
    }

    private final Detector[] detectors;
    /** Candidate detector indices per ASCII bigram: index (c0 << 7) | c1. */
    private final int[][] byBigram = new int[128 * 128][];
    private final int[] nonAscii;
    private final ContextRule[] rules;
    private final int maxFindings;
    private final int maxInputChars;

    private TextScanner(Builder b) {
        List<Detector> ds = new ArrayList<>(b.detectors);
        ds.sort(Comparator.comparingInt(d -> PRIORITY.indexOf(d.type())));
        this.detectors = ds.toArray(new Detector[0]);
        Map<List<Integer>, int[]> shared = new HashMap<>();
        for (char c0 = 0; c0 < 128; c0++) {
            for (char c1 = 0; c1 < 128; c1++) {
                List<Integer> idx = new ArrayList<>();
                for (int k = 0; k < detectors.length; k++) {
                    if (detectors[k].triggersOn(c0, c1)) {
                        idx.add(k);
                    }
                }
                if (!idx.isEmpty()) {
                    byBigram[(c0 << 7) | c1] = shared.computeIfAbsent(idx,
                            l -> l.stream().mapToInt(Integer::intValue).toArray());
                }
            }
        }
        List<Integer> na = new ArrayList<>();
        for (int k = 0; k < detectors.length; k++) {
            if (detectors[k].triggersOnNonAscii()) {
                na.add(k);
            }
        }
        this.nonAscii = na.isEmpty() ? null : na.stream().mapToInt(Integer::intValue).toArray();
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
        boolean prevWord = false;
        int i = 0;
        scan:
        while (i < limit) {
            char c = text.charAt(i);
            boolean word;
            int[] candidates = null;
            if (c < 128) {
                word = ASCII_WORD[c];
                if (!prevWord) {
                    char next = i + 1 < limit ? text.charAt(i + 1) : Detector.NO_NEXT;
                    candidates = byBigram[(c << 7) | (next < 128 ? next : Detector.NON_ASCII_NEXT)];
                }
            } else {
                word = Character.isLetterOrDigit(c);
                candidates = word && !prevWord ? nonAscii : null;
            }
            if (candidates != null) {
                for (int k : candidates) {
                    if (resume[k] > i) {
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
                        truncated = true;
                        break scan;
                    }
                    out.add(f);
                    i = hit.end;
                    prevWord = Chars.isWordChar(text.charAt(i - 1));
                    continue scan;
                }
            }
            prevWord = word;
            i++;
        }
        return new ScanResult(out, truncated, limit);
    }

    private Finding toFinding(Detector d, Hit hit, CharSequence text, int limit) {
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
         *   <li>{@value #P_DETECTORS}: comma-separated detector ids among {@code payment-card, iban,
         *       us-ssn, uk-nino, private-key, cloud-credential}; default all of them;</li>
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
                    Detector d = builtIn(id);
                    if (d == null) {
                        throw new ConfigException(P_DETECTORS, "unknown detector '" + id + "'; known: payment-card, "
                                + "iban, us-ssn, uk-nino, private-key, cloud-credential");
                    }
                    if (ids.indexOf(id) != ids.lastIndexOf(id)) {
                        throw new ConfigException(P_DETECTORS, "detector '" + id + "' listed twice");
                    }
                    detect(d);
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

        private static Detector builtIn(String id) {
            switch (id) {
                case PaymentCardDetector.ID:
                    return PaymentCardDetector.create();
                case IbanDetector.ID:
                    return IbanDetector.create();
                case UsSsnDetector.ID:
                    return UsSsnDetector.create();
                case UkNinoDetector.ID:
                    return UkNinoDetector.create();
                case PrivateKeyDetector.ID:
                    return PrivateKeyDetector.create();
                case CloudCredentialDetector.ID:
                    return CloudCredentialDetector.create();
                default:
                    return null;
            }
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
         * Adds every built-in detector that needs no configuration: payment cards, IBANs, US SSNs,
         * UK NINOs, private keys and cloud credentials (not {@link ExactDataMatch}).
         *
         * @return this
         */
        public Builder allBuiltInDetectors() {
            return detect(PaymentCardDetector.create(), IbanDetector.create(), UsSsnDetector.create(),
                    UkNinoDetector.create(), PrivateKeyDetector.create(), CloudCredentialDetector.create());
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
