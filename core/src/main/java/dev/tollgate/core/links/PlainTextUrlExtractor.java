package dev.tollgate.core.links;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Finds URLs in {@code text/plain} content: {@code http://}, {@code https://}, {@code ftp://} (any case)
 * and bare {@code www.} hosts.
 *
 * <p>A URL starts at one of those prefixes when it is not preceded by a letter, digit or URL character
 * (so {@code xhttp://} and {@code user@www.example} are not matches, while {@code Link:http://...} and
 * {@code url=http://...} are). It runs up to the first whitespace,
 * control character, {@code <}, {@code >} or {@code "}. Then trailing {@code . , ; : ! ? ' "} are trimmed,
 * and a trailing {@code )}, {@code ]} or {@code }} is trimmed unless it closes a bracket opened inside the
 * URL: {@code (see https://en.wikipedia.org/wiki/Foo_(bar))} yields
 * {@code https://en.wikipedia.org/wiki/Foo_(bar)}.
 *
 * <p>Work is bounded: one left-to-right pass with constant work per character (no regular expression),
 * at most {@link #maxUrls()} spans per call, and URLs longer than {@link #maxUrlLength()} are reported as
 * {@linkplain UrlSpan#overlong() overlong} with truncated text.
 *
 * <p>Instances are immutable and thread-safe; configure with the {@code with...} methods:
 * <pre>{@code
 * PlainTextUrlExtractor x = PlainTextUrlExtractor.create().withMaxUrls(500);
 * Extraction found = x.extract(body);
 * }</pre>
 */
public final class PlainTextUrlExtractor {
    /** Default {@link #maxUrls()}. */
    public static final int DEFAULT_MAX_URLS = 1000;
    /** Default {@link #maxUrlLength()}, in characters. */
    public static final int DEFAULT_MAX_URL_LENGTH = 8192;

    private static final String[] PREFIXES = {"http://", "https://", "ftp://", "www."};

    private final int maxUrls;
    private final int maxUrlLength;

    private PlainTextUrlExtractor(int maxUrls, int maxUrlLength) {
        this.maxUrls = maxUrls;
        this.maxUrlLength = maxUrlLength;
    }

    /** @return an extractor with the default limits */
    public static PlainTextUrlExtractor create() {
        return new PlainTextUrlExtractor(DEFAULT_MAX_URLS, DEFAULT_MAX_URL_LENGTH);
    }

    /**
     * @param maxUrls spans returned per call at most, ≥ 1
     * @return a copy with that limit
     * @throws IllegalArgumentException when below 1
     */
    public PlainTextUrlExtractor withMaxUrls(int maxUrls) {
        if (maxUrls < 1) {
            throw new IllegalArgumentException("maxUrls must be at least 1");
        }
        return new PlainTextUrlExtractor(maxUrls, maxUrlLength);
    }

    /**
     * @param maxUrlLength characters per URL at most, ≥ 16
     * @return a copy with that limit
     * @throws IllegalArgumentException when below 16
     */
    public PlainTextUrlExtractor withMaxUrlLength(int maxUrlLength) {
        if (maxUrlLength < 16) {
            throw new IllegalArgumentException("maxUrlLength must be at least 16");
        }
        return new PlainTextUrlExtractor(maxUrls, maxUrlLength);
    }

    /** @return the maximum number of spans returned per call */
    public int maxUrls() {
        return maxUrls;
    }

    /** @return the maximum URL length in characters */
    public int maxUrlLength() {
        return maxUrlLength;
    }

    /**
     * Scans {@code text} once, in time linear in its length.
     *
     * @param text decoded text, never null
     * @return the spans found, in order, and whether {@link #maxUrls()} cut the scan short
     */
    public Extraction extract(CharSequence text) {
        List<UrlSpan> spans = new ArrayList<>();
        int n = text.length();
        int i = 0;
        // positions up to checkUpTo are tried one by one; past it, a String's indexOf (vectorised) skips to the next
        // "://" or '.', which every prefix holds 3 to 5 chars after its start: what lies before cannot start a URL
        String string = text instanceof String ? (String) text : null;
        int checkUpTo = string == null ? n : -1;
        int scheme = 0;
        int dot = 0;
        while (i < n) {
            if (i > checkUpTo) {
                // each search resumes only once its last find is behind: linear in the text
                if (scheme >= 0 && scheme < i + 3) {
                    scheme = string.indexOf("://", i + 3);
                }
                if (dot >= 0 && dot < i + 3) {
                    dot = string.indexOf('.', i + 3);
                }
                int mark = scheme < 0 ? dot : dot < 0 ? scheme : Math.min(scheme, dot);
                if (mark < 0) {
                    break;
                }
                i = Math.max(i, mark - 5);
                checkUpTo = mark - 3;
            }
            int prefix = prefixAt(text, i);
            if (prefix < 0) {
                i++;
                continue;
            }
            int bodyStart = i + PREFIXES[prefix].length();
            int end = bodyStart;
            while (end < n && !isTerminator(text.charAt(end))) {
                end++;
            }
            int trimmedEnd = trim(text, bodyStart, end);
            if (trimmedEnd > bodyStart && hasHostCharacter(text, bodyStart, trimmedEnd)) {
                if (spans.size() == maxUrls) {
                    return new Extraction(spans, true);
                }
                boolean overlong = trimmedEnd - i > maxUrlLength;
                int textEnd = overlong ? i + maxUrlLength : trimmedEnd;
                spans.add(new UrlSpan(i, trimmedEnd, text.subSequence(i, textEnd).toString(), overlong));
            }
            // Resume after the raw candidate: everything up to the terminator belonged to this URL.
            i = Math.max(end, i + 1);
        }
        return new Extraction(spans, false);
    }

    private static int prefixAt(CharSequence text, int i) {
        char c = text.charAt(i);
        if (c != 'h' && c != 'H' && c != 'f' && c != 'F' && c != 'w' && c != 'W') {
            return -1;
        }
        if (i > 0 && isWordCharacter(text.charAt(i - 1))) {
            return -1;
        }
        for (int p = 0; p < PREFIXES.length; p++) {
            if (regionMatchesIgnoreCase(text, i, PREFIXES[p])) {
                return p;
            }
        }
        return -1;
    }

    private static boolean regionMatchesIgnoreCase(CharSequence text, int offset, String ascii) {
        if (offset + ascii.length() > text.length()) {
            return false;
        }
        for (int k = 0; k < ascii.length(); k++) {
            char c = text.charAt(offset + k);
            if (c >= 'A' && c <= 'Z') {
                c = (char) (c + ('a' - 'A'));
            }
            if (c != ascii.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** Characters that, just before a prefix, mean the prefix is inside a word or another URL. */
    private static boolean isWordCharacter(char c) {
        return Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_' || c == '@' || c == '%'
                || c == '+';
    }

    static boolean isTerminator(char c) {
        return c == '<' || c == '>' || c == '"' || Character.isWhitespace(c) || Character.isSpaceChar(c)
                || Character.isISOControl(c);
    }

    private static boolean hasHostCharacter(CharSequence text, int from, int to) {
        char c = text.charAt(from);
        return Character.isLetterOrDigit(c) || c == '[';
    }

    /**
     * Trims trailing punctuation; a closing bracket survives only when the URL holds more opening than
     * closing brackets of its kind. One counting pass plus one trimming pass: linear.
     */
    private static int trim(CharSequence text, int from, int to) {
        int paren = 0;
        int square = 0;
        int curly = 0;
        for (int k = from; k < to; k++) {
            char c = text.charAt(k);
            if (c == '(') {
                paren++;
            } else if (c == ')') {
                paren--;
            } else if (c == '[') {
                square++;
            } else if (c == ']') {
                square--;
            } else if (c == '{') {
                curly++;
            } else if (c == '}') {
                curly--;
            }
        }
        int end = to;
        while (end > from) {
            char c = text.charAt(end - 1);
            if (".,;:!?'\"".indexOf(c) >= 0) {
                end--;
            } else if (c == ')' && paren < 0) {
                paren++;
                end--;
            } else if (c == ']' && square < 0) {
                square++;
                end--;
            } else if (c == '}' && curly < 0) {
                curly++;
                end--;
            } else {
                break;
            }
        }
        return end;
    }

    /** The outcome of one {@link #extract(CharSequence)} call. Immutable. */
    public static final class Extraction {
        private final List<UrlSpan> spans;
        private final boolean limitReached;

        Extraction(List<UrlSpan> spans, boolean limitReached) {
            this.spans = Collections.unmodifiableList(new ArrayList<>(spans));
            this.limitReached = limitReached;
        }

        /** @return the spans, in ascending, non-overlapping order */
        public List<UrlSpan> spans() {
            return spans;
        }

        /**
         * @return true when more URLs followed than {@link PlainTextUrlExtractor#maxUrls()}; the rest of
         *     the text was not scanned and a caller should fail closed (e.g. mark the message)
         */
        public boolean limitReached() {
            return limitReached;
        }

        @Override
        public String toString() {
            return "Extraction[" + spans.size() + " spans" + (limitReached ? ", limit reached" : "") + "]";
        }
    }
}
