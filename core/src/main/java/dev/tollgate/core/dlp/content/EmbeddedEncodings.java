package dev.tollgate.core.dlp.content;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import com.google.common.io.BaseEncoding;

/**
 * Finds text that is encoded <em>inside</em> text (a base64 string in a JSON file, a percent-encoded URL, a
 * {@code \\u0034\\u0031} escape sequence, a hex dump, quoted-printable pasted into a body) and decodes it, so that
 * values hidden that way are scanned. Recognised, in one pass each over the text:
 * <ul>
 *   <li>{@code base64}: a run of at least {@value #MIN_BASE64_CHARS} chars of the standard alphabet (RFC 4648 §4),
 *       optional {@code =} padding; {@code base64url} for the URL-safe alphabet (§5, {@code -} and {@code _});</li>
 *   <li>{@code base32}: such a run of only upper-case letters and the digits 2 to 7 (RFC 4648 §6, padded or
 *       not), tried before base64 (both alphabets hold it);</li>
 *   <li>{@code hex}: a run of only hex digits, even length, at least {@value #MIN_HEX_CHARS} chars; and
 *       separated hex bytes ({@code 34 31 31}, {@code 34:31:31}, {@code 34-31}, {@code 0x34, 0x31}, a hex dump's
 *       lines), at least {@value #MIN_HEX_BYTES} bytes with one kind of separator;</li>
 *   <li>{@code percent}: a token (up to white space or a quote) with at least two {@code %HH} escapes, or one in a
 *       URL ({@code scheme://} or {@code mailto:}) (RFC 3986 §2.1; {@code +} read as a space);</li>
 *   <li>{@code escapes}: a line with at least two {@code \\uHHHH} or {@code \\xHH} escapes;</li>
 *   <li>{@code quoted-printable}: a line with at least three {@code =HH} escapes, or one and a soft line break
 *       (RFC 2045 §6.7), with the lines its soft line breaks join to it (base64 padding at the end of a line
 *       is not taken for a soft line break).</li>
 * </ul>
 * A run wrapped over lines is read as one: a line of at least {@value #MIN_WRAPPED_LINE} chars, a whole number of
 * base64 groups, continues on the next line when that line is only alphabet chars (MIME's 76, PEM's 64); so do
 * lines all of one width of at least {@value #MIN_SHORT_LINE} chars (the run's first line counted from the run's
 * start), up to a last line no longer than them, whatever the width; when such a run of one width gives no text,
 * each of its lines is read as a run of its own (two values on lines of one length). A run that gives no text as a
 * whole is also read as a value glued to a word before it, and for hex after it too ({@code key3431...},
 * {@code key3431...31X}, {@code secretY2Fy...}): at most three hex readings and four base64 alignments (see
 * {@link #glued}).
 * Only what could hold text is kept: decoded bytes are read as UTF-8 and kept when at least
 * {@value #PRINTABLE_PERCENT}% of the chars are printable (no control chars but tab and line breaks, no
 * malformed sequences) and there are at least {@value #MIN_DECODED_CHARS} chars. Base64 is first tested on its
 * first {@value #PROBE_CHARS} chars, so an image or a font costs one short decode. The fragments of one encoding
 * are returned as one text, separated by an empty line (so two fragments are never read as one number).
 * Stateless; the caller bounds the depth and the total size.
 */
final class EmbeddedEncodings {
    static final int MIN_BASE64_CHARS = 16;
    static final int MIN_WRAPPED_LINE = 40;
    static final int MIN_HEX_CHARS = 16;
    static final int MIN_DECODED_CHARS = 6;
    static final int PRINTABLE_PERCENT = 90;
    static final int PROBE_CHARS = 64;
    static final int MIN_SHORT_LINE = 8;
    static final int GLUE_CHARS = 12;
    static final int MIN_HEX_BYTES = MIN_HEX_CHARS / 2;
    /** The fewest chars {@value #MIN_HEX_BYTES} separated hex bytes take ({@code 34 31 ...}). */
    static final int MIN_BYTES_CHARS = 3 * MIN_HEX_BYTES - 1;
    private static final String SEPARATOR = "\n\n";
    /** RFC 4648 §6, upper case; padding is cut off before decoding. */
    private static final BaseEncoding BASE32 = BaseEncoding.base32().omitPadding();

    private EmbeddedEncodings() {
    }

    /** One encoding's decoded fragments. */
    static final class Decoded {
        final String encoding;
        final String text;

        Decoded(String encoding, String text) {
            this.encoding = encoding;
            this.text = text;
        }
    }

    /**
     * @param text text to look into
     * @return the decoded text per encoding found, in the order base64, base64url, base32, hex, percent, escapes,
     *     quoted-printable; empty when nothing decodes to text
     */
    static List<Decoded> decode(String text) {
        StringBuilder b64 = new StringBuilder();
        StringBuilder b64url = new StringBuilder();
        StringBuilder b32 = new StringBuilder();
        StringBuilder hex = new StringBuilder();
        alphabetRuns(text, b64, b64url, b32, hex);
        hexBytes(text, hex);
        StringBuilder pct = new StringBuilder();
        StringBuilder esc = new StringBuilder();
        StringBuilder qp = new StringBuilder();
        if (text.indexOf('%') >= 0) {
            percentTokens(text, pct);
        }
        if (text.indexOf('\\') >= 0 || text.indexOf('=') >= 0) {
            lines(text, esc, qp);
        }
        List<Decoded> out = new ArrayList<>(0);
        add(out, "base64", b64);
        add(out, "base64url", b64url);
        add(out, "base32", b32);
        add(out, "hex", hex);
        add(out, "percent", pct);
        add(out, "escapes", esc);
        add(out, "quoted-printable", qp);
        return out;
    }

    static void add(List<Decoded> out, String encoding, StringBuilder sb) {
        if (sb.length() > 0) {
            out.add(new Decoded(encoding, sb.toString()));
        }
    }

    static void append(StringBuilder sb, String fragment) {
        if (fragment == null) {
            return;
        }
        if (sb.length() > 0) {
            sb.append(SEPARATOR);
        }
        sb.append(fragment);
    }

    static boolean isStd(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
    }

    /** The union of the base64 and base64url alphabets (RFC 4648 §4, §5), indexed by ASCII char. */
    private static final boolean[] ALPHABET = new boolean[128];

    static {
        for (char c = 0; c < ALPHABET.length; c++) {
            ALPHABET[c] = isStd(c) || c == '-' || c == '_';
        }
    }

    private static boolean isAlphabet(char c) {
        return c < ALPHABET.length && ALPHABET[c];
    }

    static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /**
     * Base64, base64url and hex runs: maximal runs of the union alphabet, classified once each. A run shorter than
     * {@code min} chars is never read unless its first line is wrapped, so the search looks only at the char
     * {@code min - 1} ahead: when it, or a char between, is outside the alphabet, no run worth reading starts before
     * it, and most chars of prose are never looked at. The one exception is a line break there, which may end the
     * first line of a run wrapped at a short width ({@value #MIN_SHORT_LINE} chars or more): the chars before it are
     * then read back to the start of their run.
     */
    private static void alphabetRuns(String s, StringBuilder b64, StringBuilder b64url, StringBuilder b32,
            StringBuilder hex) {
        int n = s.length();
        int min = Math.min(MIN_BASE64_CHARS, MIN_HEX_CHARS);
        int i = 0;
        // i is 0, a char outside the alphabet, or follows one: never inside a run
        while (i + min <= n) {
            int k = i + min - 1;
            char c = 0;
            while (k >= i && isAlphabet(c = s.charAt(k))) {
                k--;
            }
            if (k >= i) {
                if (c <= '\r') {
                    int p = shortLineStart(s, i, k);
                    if (p >= 0) {
                        i = readRun(s, p, p, b64, b64url, b32, hex);
                        continue;
                    }
                }
                i = k + 1;
                continue;
            }
            // s[i, i + min) is in the alphabet: a run starts at i
            i = readRun(s, i, i + min, b64, b64url, b32, hex);
        }
    }

    /**
     * @param k a char outside the alphabet, the last in {@code s[i, i + min)}; {@code i} is 0 or follows a char
     *     outside the alphabet
     * @return the start of the run whose first line, of at least {@value #MIN_SHORT_LINE} chars, ends at the line
     *     break at {@code k}, or -1
     */
    private static int shortLineStart(String s, int i, int k) {
        char c = s.charAt(k);
        int e = c == '\n' ? (k > i && s.charAt(k - 1) == '\r' ? k - 1 : k)
                : c == '\r' && k + 1 < s.length() && s.charAt(k + 1) == '\n' ? k : -1;
        if (e < i + MIN_SHORT_LINE) {
            return -1;
        }
        int p = e;
        while (p > i && isAlphabet(s.charAt(p - 1))) {
            p--;
        }
        return e - p >= MIN_SHORT_LINE ? p : -1;
    }

    /**
     * Reads the run that starts at {@code start} (a maximal run: {@code start} is 0 or follows a char outside the
     * alphabet) with its wrapped lines and padding, and classifies it.
     *
     * @param from the first char not yet known to be in the alphabet ({@code start <= from}, and the chars between
     *     are in the alphabet)
     * @return the index just after the run and its padding
     */
    static int readRun(String s, int start, int from, StringBuilder b64, StringBuilder b64url, StringBuilder b32,
            StringBuilder hex) {
        int n = s.length();
        int i = from;
        int lineStart = start;
        int width = -1; // the length of every line so far, while they are all as long, else -1
        boolean wrapped = false;
        boolean shortWrapped = false;
        while (true) {
            while (i < n && isAlphabet(s.charAt(i))) {
                i++;
            }
            int len = i - lineStart;
            if (lineStart == start) {
                width = len >= MIN_SHORT_LINE ? len : -1;
            } else if (len != width) {
                width = -1;
            }
            int next = i < n && s.charAt(i) == '\n' ? i + 1
                    : i + 1 < n && s.charAt(i) == '\r' && s.charAt(i + 1) == '\n' ? i + 2 : -1;
            int following = next > 0 && next < n ? wholeLine(s, next) : -1;
            if (following > 0) {
                // a line of base64 wrapped at a fixed width continues on the next line: a long line of whole
                // groups (MIME's 76, PEM's 64) whatever comes next, or lines all of one width, the last no longer
                boolean fixed = len >= MIN_WRAPPED_LINE && len % 4 == 0;
                if (fixed || (width > 0 && following <= width)) {
                    shortWrapped |= !fixed;
                    wrapped = true;
                    i = next;
                    lineStart = next;
                    continue;
                }
            }
            break;
        }
        int end = i;
        while (i < n && i - end < 2 && s.charAt(i) == '=') {
            i++;
        }
        if (start > 0 && isWordJoiner(s.charAt(start - 1))) {
            return i;
        }
        String run = s.substring(start, end);
        if (wrapped) {
            run = run.replace("\r", "").replace("\n", "");
        }
        if (run.length() < Math.min(MIN_BASE64_CHARS, MIN_HEX_CHARS)) {
            return i;
        }
        if (!classify(run, !shortWrapped, b64, b64url, b32, hex) && shortWrapped) {
            // lines of one width that are not one encoded text (two values on lines of one length): each line
            // as the run it would be unwrapped
            for (String line : s.substring(start, end).split("\r?\n")) {
                classify(line, true, b64, b64url, b32, hex);
            }
        }
        return i;
    }

    /**
     * @return the number of alphabet chars of the line at {@code from} when it is only those and optional padding
     *     (a continued base64 line), else -1
     */
    static int wholeLine(String s, int from) {
        int k = from;
        while (k < s.length() && isAlphabet(s.charAt(k))) {
            k++;
        }
        int count = k - from;
        if (count == 0) {
            return -1;
        }
        while (k < s.length() && s.charAt(k) == '=') {
            k++;
        }
        return k == s.length() || s.charAt(k) == '\n' || s.charAt(k) == '\r' ? count : -1;
    }

    /** The chars a sequence of separated hex bytes is made of (hex digits, {@code 0x}, separators). */
    private static final boolean[] BYTE_CHARS = new boolean[128];

    static {
        for (char c = 0; c < BYTE_CHARS.length; c++) {
            BYTE_CHARS[c] = hexValue(c) >= 0 || "xX :-,\t\r\n".indexOf(c) >= 0;
        }
    }

    private static boolean isByteChar(char c) {
        return c < BYTE_CHARS.length && BYTE_CHARS[c];
    }

    /**
     * Sequences of separated hex bytes ({@link #byteSequence}). Such a sequence long enough to read is at least
     * {@value #MIN_BYTES_CHARS} chars of {@link #BYTE_CHARS}, so the search looks at the char that far ahead and
     * skips, like {@link #alphabetRuns}, past the last char before it that cannot be in one; each char is tested
     * at most once.
     */
    private static void hexBytes(String s, StringBuilder hex) {
        int n = s.length();
        int i = 0;
        int checked = 0; // s[i, checked) are byte chars
        while (i + MIN_BYTES_CHARS <= n) {
            int k = i + MIN_BYTES_CHARS - 1;
            if (!isByteChar(s.charAt(k))) {
                i = k + 1; // the common case in prose: checked stays behind i
                continue;
            }
            int floor = Math.max(i, checked);
            while (k >= floor && isByteChar(s.charAt(k))) {
                k--;
            }
            checked = i + MIN_BYTES_CHARS;
            if (k >= floor) {
                i = k + 1;
                continue;
            }
            int end = byteSequence(s, i, hex);
            i = end > 0 ? end : i + 1;
        }
    }

    /**
     * Reads the sequence of hex bytes that starts at {@code p}, if one does: bytes of two hex digits each, all with
     * a {@code 0x} prefix or none, neither glued to a letter or digit before the first nor after any, separated by
     * one kind of separator throughout: {@code :}, {@code -}, {@code ,} (with one blank or line break after it or
     * none), or one or two blanks or a line break (a hex dump); a sequence of at least {@value #MIN_HEX_BYTES}
     * bytes is decoded and added when it is text.
     *
     * @return the index after the sequence's last byte, or -1 when no byte starts at {@code p}
     */
    static int byteSequence(String s, int p, StringBuilder hex) {
        if (p > 0 && isAsciiLetterOrDigit(s.charAt(p - 1))) {
            return -1;
        }
        boolean prefixed = s.startsWith("0x", p) || s.startsWith("0X", p);
        int end = byteAt(s, p, prefixed);
        if (end < 0) {
            return -1;
        }
        byte[] bytes = new byte[16];
        int count = 0;
        bytes[count++] = byteValue(s, end);
        char kind = 0;
        while (end < s.length()) {
            int q = separatorEnd(s, end);
            if (q < 0) {
                break;
            }
            char c = s.charAt(end);
            char k = c == ':' || c == '-' || c == ',' ? c : ' ';
            if (kind != 0 && k != kind) {
                break;
            }
            int next = byteAt(s, q, prefixed);
            if (next < 0) {
                break;
            }
            kind = k;
            if (count == bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, count * 2);
            }
            bytes[count++] = byteValue(s, next);
            end = next;
        }
        if (count >= MIN_HEX_BYTES) {
            append(hex, text(bytes, count));
        }
        return end;
    }

    /**
     * @return the index after the separator of two bytes at {@code at} ({@code :}, {@code -}, {@code ,} with one
     *     blank or line break after it or none, one or two blanks, a line break), or -1
     */
    private static int separatorEnd(String s, int at) {
        char c = s.charAt(at);
        int q = at + 1;
        if (c == ':' || c == '-') {
            return q;
        }
        if (c == ',') {
            return q < s.length() && (s.charAt(q) == ' ' || s.charAt(q) == '\t') ? q + 1 : afterLineBreak(s, q, q);
        }
        if (c == ' ' || c == '\t') {
            return q < s.length() && (s.charAt(q) == ' ' || s.charAt(q) == '\t') ? q + 1 : q;
        }
        return afterLineBreak(s, at, -1);
    }

    /** @return the index after a line break (LF or CRLF) at {@code at}, else {@code otherwise} */
    private static int afterLineBreak(String s, int at, int otherwise) {
        if (at < s.length() && s.charAt(at) == '\n') {
            return at + 1;
        }
        if (at + 1 < s.length() && s.charAt(at) == '\r' && s.charAt(at + 1) == '\n') {
            return at + 2;
        }
        return otherwise;
    }

    /** @return the index after the byte written at {@code at} (two hex digits after {@code 0x} if prefixed), or -1 */
    private static int byteAt(String s, int at, boolean prefixed) {
        int k = at;
        if (prefixed) {
            if (!(s.startsWith("0x", k) || s.startsWith("0X", k))) {
                return -1;
            }
            k += 2;
        }
        if (k + 2 > s.length() || hexValue(s.charAt(k)) < 0 || hexValue(s.charAt(k + 1)) < 0
                || (k + 2 < s.length() && isAsciiLetterOrDigit(s.charAt(k + 2)))) {
            return -1;
        }
        return k + 2;
    }

    private static byte byteValue(String s, int end) {
        return (byte) (hexValue(s.charAt(end - 2)) << 4 | hexValue(s.charAt(end - 1)));
    }

    private static boolean isAsciiLetterOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    /** A run glued to a letter-like char outside the alphabet (e.g. accented word) is prose, not encoded. */
    static boolean isWordJoiner(char c) {
        return c >= 0x80 && Character.isLetterOrDigit(c);
    }

    /**
     * Decodes one run as the first encoding that gives text: hex, base32, base64 or base64url as a whole, then, if
     * {@code glue}, as glued to a word before it ({@link #glued}).
     *
     * @return whether a fragment was added
     */
    static boolean classify(String run, boolean glue, StringBuilder b64, StringBuilder b64url, StringBuilder b32,
            StringBuilder hex) {
        boolean allHex = true;
        boolean base32 = true;
        boolean std = false;
        boolean url = false;
        boolean letters = false;
        boolean digits = false;
        for (int k = 0; k < run.length(); k++) {
            char c = run.charAt(k);
            if (hexValue(c) < 0) {
                allHex = false;
            }
            if (!((c >= 'A' && c <= 'Z') || (c >= '2' && c <= '7'))) {
                base32 = false;
            }
            if (c == '+' || c == '/') {
                std = true;
            } else if (c == '-' || c == '_') {
                url = true;
            } else if (c >= '0' && c <= '9') {
                digits = true;
            } else {
                letters = true;
            }
        }
        boolean wholeHex = allHex && run.length() >= MIN_HEX_CHARS && run.length() % 2 == 0 && digits;
        if (wholeHex && appended(hex, hex(run))) {
            return true;
        }
        boolean base64 = run.length() >= MIN_BASE64_CHARS && !(std && url) && letters;
        if (base64 && base32 && appended(b32, base32(run))) {
            return true;
        }
        if (base64) {
            // dashes and underscores also join words (identifiers, file names): decode only the longest piece
            // that could be base64url
            Base64.Decoder decoder = url ? Base64.getUrlDecoder() : Base64.getDecoder();
            String t = base64(run, decoder);
            if (t != null) {
                // text whose head is not: perhaps a word glued to the value, whose last bytes may be printable
                // (dataNDEx... reads u, 0xAB, Z, then the value): read without the word's groups instead (the head
                // is at most GLUE_CHARS + 2 bytes), in every alignment
                if (!(glue && !asciiHead(t) && gluedAlignments(run, url, b64, b64url))) {
                    append(url ? b64url : b64, t);
                }
                return true;
            }
        }
        return glue && glued(run, base64, url, b64, b64url, hex);
    }

    private static boolean appended(StringBuilder sb, String fragment) {
        append(sb, fragment);
        return fragment != null;
    }

    /**
     * A run that gave no text as a whole may be an encoded value glued to a word before it ({@code key3431...},
     * {@code secretY2Fy...}), whose letters are in the alphabet too. Tried, at most three hex and four base64 decodes,
     * each kept only when it is ASCII text ({@link #asciiText}: a value glued to a word is a credential or a number,
     * and random bytes often read as letters of other scripts):
     * <ul>
     *   <li>hex: the run from its first decimal digit after its last char that is not a hex digit (hex of ASCII
     *       text starts with one), then its longest suffix of hex digits, each without its first char when of odd
     *       length, when at least {@value #MIN_HEX_CHARS} chars with a decimal digit;</li>
     *   <li>hex: the hex digits from the run's first decimal digit to the first char that is not one (a word
     *       glued after the value too), without the last when of odd length;</li>
     *   <li>base64 (base64url when the run has {@code -} or {@code _}): the run without its first 0, 1, 2 and 3
     *       chars (one of which starts at the value's first group), each decoded text without its head up to its
     *       last byte that is not printable among its first {@value #GLUE_CHARS}, rounded up to a group of three
     *       (the bytes of the word's groups); every alignment that gives text is kept.</li>
     * </ul>
     */
    private static boolean glued(String run, boolean base64, boolean url, StringBuilder b64,
            StringBuilder b64url, StringBuilder hex) {
        int h = run.length();
        while (h > 0 && hexValue(run.charAt(h - 1)) >= 0) {
            h--;
        }
        int d = h;
        while (d < run.length() && (run.charAt(d) < '0' || run.charAt(d) > '9')) {
            d++;
        }
        String fromDigit = evenTail(run, d);
        String suffix = evenTail(run, h);
        // a word glued after the value too (key3431...31X, 3431...31end, 0x3431...31z): the run's longest stretch
        // of hex digits, from its first decimal digit, without its last char when of odd length
        int first = 0;
        int end = 0;
        for (int k = 0; k < run.length(); ) {
            int e = k;
            while (e < run.length() && hexValue(run.charAt(e)) >= 0) {
                e++;
            }
            int f = k;
            while (f < e && (run.charAt(f) < '0' || run.charAt(f) > '9')) {
                f++;
            }
            if (e - f > end - first) {
                first = f;
                end = e;
            }
            k = Math.max(e, k + 1);
        }
        String inner = run.substring(first, end - (end - first) % 2);
        // every reading that gives text: a misaligned one can read as printable junk (SSS...) and must not hide
        // the aligned one
        List<String> texts = new ArrayList<>(3);
        for (String candidate : new String[] {fromDigit, suffix, inner}) {
            String t = hexTail(candidate);
            // one value read twice (with and without a hex letter of the word) is kept once
            if (t != null && texts.stream().noneMatch(k -> sameValue(k, t))) {
                texts.add(t);
            }
        }
        for (String t : texts) {
            append(hex, t);
        }
        if (!texts.isEmpty()) {
            return true;
        }
        if (!base64 || run.length() <= MIN_BASE64_CHARS) {
            return false;
        }
        return gluedAlignments(run, url, b64, b64url);
    }

    /**
     * Adds the run read from each of its first four chars ({@link #gluedBase64}) that gives text: every alignment,
     * as a misaligned one can read as printable junk that must not hide the aligned one.
     *
     * @return whether a fragment was added
     */
    private static boolean gluedAlignments(String run, boolean url, StringBuilder b64, StringBuilder b64url) {
        boolean any = false;
        for (int j = 0; j < 4; j++) {
            String t = gluedBase64(run, j, url ? Base64.getUrlDecoder() : Base64.getDecoder());
            if (t != null) {
                append(url ? b64url : b64, t);
                any = true;
            }
        }
        return any;
    }

    private static String evenTail(String run, int from) {
        return run.substring((run.length() - from) % 2 == 0 ? from : from + 1);
    }

    /**
     * @return {@code tail} decoded as hex when it has a decimal digit and gives ASCII text once the bytes at either
     *     end a glued word left are cut ({@link #withoutEnds}); null otherwise
     */
    private static String hexTail(String tail) {
        if (tail.length() < MIN_HEX_CHARS) {
            return null;
        }
        for (int k = 0; k < tail.length(); k++) {
            if (tail.charAt(k) >= '0' && tail.charAt(k) <= '9') {
                return withoutEnds(hexBytes(tail), false);
            }
        }
        return null;
    }

    /** @return whether two readings are one value, apart from malformed chars (U+FFFD) at either end */
    private static boolean sameValue(String a, String b) {
        return trimReplacement(a).equals(trimReplacement(b));
    }

    private static String trimReplacement(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && s.charAt(from) == '\uFFFD') {
            from++;
        }
        while (to > from && s.charAt(to - 1) == '\uFFFD') {
            to--;
        }
        return s.substring(from, to);
    }

    /** The run from {@code from} decoded as base64 without its head, probed first like a whole run. */
    private static String gluedBase64(String run, int from, Base64.Decoder decoder) {
        int rest = run.length() - from;
        int len = rest - (rest % 4 == 1 ? 1 : 0);
        if (len < MIN_BASE64_CHARS) {
            return null;
        }
        try {
            if (len > PROBE_CHARS
                    && withoutEnds(decoder.decode(run.substring(from, from + PROBE_CHARS)), true) == null) {
                return null;
            }
            return withoutEnds(decoder.decode(run.substring(from, from + len)), true);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The decoded text without the bytes a word glued to the value left at either end, if text: the head up to its
     * last byte that is not printable ASCII among its first {@value #GLUE_CHARS}, and the tail from its first such
     * byte among its last {@value #GLUE_CHARS}. For base64 ({@code groups}), letters left after the head's last
     * unprintable byte, up to a whole group of three bytes, are the last bytes of the word's groups when a digit or
     * a non-letter follows them ({@code dataNDEx...} decodes to {@code u}, 0xAB, {@code Z}, then the value): cut too.
     */
    private static String withoutEnds(byte[] bytes, boolean groups) {
        int n = bytes.length;
        int head = 0;
        for (int k = 0; k < Math.min(GLUE_CHARS, n); k++) {
            if (!printableAscii(bytes[k])) {
                head = k + 1;
            }
        }
        int tail = n;
        for (int k = n - 1; k >= Math.max(head, n - GLUE_CHARS); k--) {
            if (!printableAscii(bytes[k])) {
                tail = k;
            }
        }
        if (groups && head > 0) {
            int whole = Math.min(tail, (head + 2) / 3 * 3);
            boolean letters = true;
            for (int k = head; k < whole; k++) {
                letters &= Character.isLetter((char) (bytes[k] & 0xff));
            }
            if (letters && whole < tail && !Character.isLetter((char) (bytes[whole] & 0xff))) {
                head = whole;
            }
        }
        String rest = new String(bytes, head, Math.max(0, tail - head), StandardCharsets.UTF_8);
        return asciiText(rest) ? rest : null;
    }

    private static boolean printableAscii(byte b) {
        return printableAscii((char) b);
    }

    /** @return whether {@code c} is printable ASCII, a tab or a line break */
    private static boolean printableAscii(char c) {
        return c >= 0x20 && c < 0x7f || c == '\t' || c == '\n' || c == '\r';
    }

    /** @return whether the first {@value #GLUE_CHARS} chars of {@code chars} are printable ASCII, tabs or line breaks */
    private static boolean asciiHead(String chars) {
        for (int k = 0; k < Math.min(GLUE_CHARS, chars.length()); k++) {
            if (!printableAscii(chars.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    /**
     * At least {@value #MIN_DECODED_CHARS} chars of which at least {@value #PRINTABLE_PERCENT}% are printable ASCII,
     * tabs or line breaks.
     */
    private static boolean asciiText(String chars) {
        int n = chars.length();
        if (n < MIN_DECODED_CHARS) {
            return false;
        }
        int bad = 0;
        for (int k = 0; k < n; k++) {
            if (!printableAscii(chars.charAt(k))) {
                bad++;
            }
        }
        return bad * 100 <= n * (100 - PRINTABLE_PERCENT);
    }

    private static String hex(String run) {
        byte[] bytes = hexBytes(run);
        return text(bytes, bytes.length);
    }

    /** @return the bytes of a run of hex digits of even length */
    private static byte[] hexBytes(String run) {
        byte[] bytes = new byte[run.length() / 2];
        for (int k = 0; k < bytes.length; k++) {
            bytes[k] = (byte) (hexValue(run.charAt(2 * k)) << 4 | hexValue(run.charAt(2 * k + 1)));
        }
        return bytes;
    }

    private static String base64(String run, Base64.Decoder decoder) {
        int len = run.length() - (run.length() % 4 == 1 ? 1 : 0);
        try {
            if (len > PROBE_CHARS) {
                byte[] probe = decoder.decode(run.substring(0, PROBE_CHARS));
                if (text(probe, probe.length) == null) {
                    return null; // binary (an image, a font, a key): not decoded further
                }
            }
            byte[] bytes = decoder.decode(run.substring(0, len));
            return text(bytes, bytes.length);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * RFC 4648 §6 base32 of a run of its alphabet (padding already cut off); a length no encoding gives (1, 3 or
     * 6 chars in the last group of 8) is not base32. A long run is first tested on its first
     * {@value #PROBE_CHARS} chars, like base64.
     */
    private static String base32(String run) {
        int rest = run.length() % 8;
        if (rest == 1 || rest == 3 || rest == 6) {
            return null;
        }
        if (run.length() > PROBE_CHARS && base32Text(run, PROBE_CHARS) == null) {
            return null; // binary (a key, a hash): not decoded further
        }
        return base32Text(run, run.length());
    }

    private static String base32Text(String run, int chars) {
        try {
            byte[] bytes = BASE32.decode(run.substring(0, chars));
            return text(bytes, bytes.length);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Drops the payload of {@code data:...;base64,} URIs (RFC 2397) whose first {@value #PROBE_CHARS} chars
     * decode to binary (an inline image or font), keeping everything else: such a payload holds no text and
     * would only be scanned as a long run of base64 chars.
     *
     * @param text an attribute value or style sheet
     * @return the text without binary data URI payloads; {@code text} itself when it has none
     */
    static String withoutBinaryDataUris(String text) {
        int at = text.indexOf(";base64,");
        if (at < 0) {
            return text;
        }
        StringBuilder out = null;
        int from = 0;
        while (at >= 0) {
            int start = at + 8;
            int end = start;
            while (end < text.length() && (isStd(text.charAt(end)) || text.charAt(end) == '=')) {
                end++;
            }
            if (end - start > PROBE_CHARS && base64(text.substring(start, start + PROBE_CHARS),
                    Base64.getDecoder()) == null) {
                if (out == null) {
                    out = new StringBuilder(text.length());
                }
                out.append(text, from, start);
                from = end;
            }
            at = text.indexOf(";base64,", end);
        }
        if (out == null) {
            return text;
        }
        return out.append(text, from, text.length()).toString();
    }

    /**
     * Tokens with at least two {@code %HH} escapes (one in a URL), percent-decoded. Only the tokens around a
     * {@code %} are read: a token without one has no escape.
     */
    private static void percentTokens(String s, StringBuilder out) {
        int n = s.length();
        int from = 0;
        for (int at = s.indexOf('%'); at >= 0; at = from < n ? s.indexOf('%', from) : -1) {
            int start = at;
            while (start > from && !isTokenBreak(s.charAt(start - 1))) {
                start--;
            }
            int i = start;
            int escapes = 0;
            while (i < n && !isTokenBreak(s.charAt(i))) {
                if (s.charAt(i) == '%' && i + 2 < n && hexValue(s.charAt(i + 1)) >= 0 && hexValue(s.charAt(i + 2)) >= 0) {
                    escapes++;
                }
                i++;
            }
            from = i;
            if (escapes >= 2 || (escapes == 1 && isUrl(s, start, i))) {
                byte[] bytes = new byte[(i - start) * 3];
                int b = 0;
                for (int k = start; k < i; k++) {
                    char c = s.charAt(k);
                    if (c == '%' && k + 2 < i && hexValue(s.charAt(k + 1)) >= 0 && hexValue(s.charAt(k + 2)) >= 0) {
                        bytes[b++] = (byte) (hexValue(s.charAt(k + 1)) << 4 | hexValue(s.charAt(k + 2)));
                        k += 2;
                    } else if (c == '+') {
                        bytes[b++] = ' ';
                    } else {
                        b = utf8(c, bytes, b);
                    }
                }
                append(out, text(bytes, b));
            }
        }
    }

    /** A URL ({@code scheme://...} or {@code mailto:}), where one escape already hides a value's boundary. */
    static boolean isUrl(String s, int from, int to) {
        int colon = s.indexOf(':', from);
        return colon > from && colon < to && (s.startsWith("//", colon + 1) || s.regionMatches(true, from, "mailto:", 0, 7));
    }

    static boolean isTokenBreak(char c) {
        return Character.isWhitespace(c) || c == '"' || c == '\'' || c == '<' || c == '>';
    }

    /** Escape sequences and quoted-printable, line by line. */
    static void lines(String s, StringBuilder esc, StringBuilder qp) {
        int n = s.length();
        int i = 0;
        byte[] block = null;
        int blockLen = 0;
        while (i < n) {
            int eol = s.indexOf('\n', i);
            int end = eol < 0 ? n : eol;
            int lineEnd = end > i && s.charAt(end - 1) == '\r' ? end - 1 : end;
            int escapes = 0;
            int qpEscapes = 0;
            for (int k = i; k < lineEnd; k++) {
                char c = s.charAt(k);
                if (c == '\\' && k + 1 < lineEnd) {
                    char t = s.charAt(k + 1);
                    if ((t == 'u' && hexAt(s, k + 2, 4, lineEnd)) || (t == 'x' && hexAt(s, k + 2, 2, lineEnd))) {
                        escapes++;
                    }
                } else if (c == '=' && qpHexAt(s, k + 1, lineEnd)) {
                    qpEscapes++;
                }
            }
            if (escapes >= 2) {
                append(esc, unescape(s, i, lineEnd));
            }
            boolean soft = lineEnd > i && s.charAt(lineEnd - 1) == '=';
            if (qpEscapes >= 3 || (soft && qpEscapes > 0) || block != null) {
                if (block == null) {
                    block = new byte[64];
                    blockLen = 0;
                }
                for (int k = i; k < lineEnd; k++) {
                    if (block.length < blockLen + 4) {
                        block = java.util.Arrays.copyOf(block, block.length * 2);
                    }
                    char c = s.charAt(k);
                    if (c == '=' && qpHexAt(s, k + 1, lineEnd)) {
                        block[blockLen++] = (byte) (hexValue(s.charAt(k + 1)) << 4 | hexValue(s.charAt(k + 2)));
                        k += 2;
                    } else if (c == '=' && k == lineEnd - 1) {
                        // soft line break: the next line continues this one
                    } else {
                        blockLen = utf8(c, block, blockLen);
                    }
                }
                if (!soft) {
                    append(qp, text(block, blockLen));
                    block = null;
                }
            } else if (block != null) {
                append(qp, text(block, blockLen));
                block = null;
            }
            i = end + 1;
        }
        if (block != null) {
            append(qp, text(block, blockLen));
        }
    }

    private static boolean hexAt(String s, int from, int count, int limit) {
        if (from + count > limit) {
            return false;
        }
        for (int k = from; k < from + count; k++) {
            if (hexValue(s.charAt(k)) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Quoted-printable escapes use upper-case hex (RFC 2045 §6.7 rule 1). */
    private static boolean qpHexAt(String s, int from, int limit) {
        if (from + 2 > limit) {
            return false;
        }
        for (int k = from; k < from + 2; k++) {
            char c = s.charAt(k);
            if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'))) {
                return false;
            }
        }
        return true;
    }

    private static String unescape(String s, int from, int to) {
        StringBuilder sb = new StringBuilder(to - from);
        byte[] pending = new byte[to - from];
        int p = 0;
        for (int k = from; k < to; k++) {
            char c = s.charAt(k);
            if (c == '\\' && k + 1 < to && s.charAt(k + 1) == 'x' && hexAt(s, k + 2, 2, to)) {
                pending[p++] = (byte) (hexValue(s.charAt(k + 2)) << 4 | hexValue(s.charAt(k + 3)));
                k += 3;
                continue;
            }
            if (p > 0) {
                sb.append(new String(pending, 0, p, StandardCharsets.UTF_8));
                p = 0;
            }
            if (c == '\\' && k + 1 < to && s.charAt(k + 1) == 'u' && hexAt(s, k + 2, 4, to)) {
                sb.append((char) Integer.parseInt(s.substring(k + 2, k + 6), 16));
                k += 5;
            } else {
                sb.append(c);
            }
        }
        if (p > 0) {
            sb.append(new String(pending, 0, p, StandardCharsets.UTF_8));
        }
        return printable(sb) ? sb.toString() : null;
    }

    static int utf8(char c, byte[] out, int b) {
        if (c < 0x80) {
            out[b++] = (byte) c;
        } else {
            byte[] enc = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
            for (byte x : enc) {
                out[b++] = x;
            }
        }
        return b;
    }

    /** @return the bytes as UTF-8 text if they are text (see the class comment), else null */
    static String text(byte[] bytes, int length) {
        String chars = new String(bytes, 0, length, StandardCharsets.UTF_8); // malformed input becomes U+FFFD
        return printable(chars) ? chars : null;
    }

    private static boolean printable(CharSequence chars) {
        int n = chars.length();
        if (n < MIN_DECODED_CHARS) {
            return false;
        }
        int bad = 0;
        for (int k = 0; k < n; k++) {
            if (!isPrintable(chars.charAt(k))) {
                bad++;
            }
        }
        return bad * 100 <= n * (100 - PRINTABLE_PERCENT);
    }

    private static boolean isPrintable(char c) {
        return !((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f || c == '\ufffd'
                || (c >= 0x80 && c < 0xa0));
    }
}
