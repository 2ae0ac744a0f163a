package dev.tollgate.core.dlp;

/**
 * Finds private key material: PEM blocks (RFC 7468) labelled {@code RSA PRIVATE KEY} (PKCS#1),
 * {@code EC PRIVATE KEY} (RFC 5915), {@code DSA PRIVATE KEY}, {@code PRIVATE KEY} (PKCS#8,
 * RFC 5958), {@code ENCRYPTED PRIVATE KEY} and {@code OPENSSH PRIVATE KEY}, and PuTTY key files
 * ({@code PuTTY-User-Key-File-2:} / {@code -3:}).
 *
 * <p>A header alone is not enough (a tutorial sentence that mentions
 * {@code -----BEGIN RSA PRIVATE KEY-----} is not a leak). A PEM header must be followed by a line
 * break, optional RFC 1421 header lines ({@code Proc-Type:}, {@code DEK-Info:}), and then at least
 * {@value #MIN_BODY_CHARS} base64 chars, possibly over several lines. A PuTTY header must be
 * followed, within {@value #PUTTY_LOOKAHEAD} chars, by a {@code Private-Lines:} line and at least
 * {@value #MIN_BODY_CHARS} base64 chars. Line breaks may be real ({@code \n}, {@code \r\n}) or
 * escaped as the two chars {@code \n} / {@code \r\n} as in JSON strings; spaces and tabs around
 * body lines are tolerated.
 *
 * The minimum is below the smallest real encodings (an Ed25519 PKCS#8 key is 64 base64 chars, a
 * minimal SEC1 P-256 key 52) and above typical elided placeholders ({@code MIIEvQIBADANBg...}).
 *
 * <p>The finding spans from the header through the {@code -----END …-----} line when present
 * (at most {@value #MAX_SPAN} chars). Base confidence {@link Confidence#HIGH}; label is the PEM
 * label or {@code "PUTTY"}; the masked sample is the header line only, never key material.
 */
public final class PrivateKeyDetector extends Detector {
    /** Detector id used in findings. */
    public static final String ID = "private-key";

    static final int MIN_BODY_CHARS = 40;
    static final int PUTTY_LOOKAHEAD = 8192;
    static final int MAX_SPAN = 65536;

    private static final String BEGIN = "-----BEGIN ";
    private static final String DASHES = "-----";
    private static final String[] LABELS = {
        "ENCRYPTED PRIVATE KEY", "OPENSSH PRIVATE KEY", "RSA PRIVATE KEY", "DSA PRIVATE KEY",
        "EC PRIVATE KEY", "PRIVATE KEY"
    };
    private static final String PUTTY = "PuTTY-User-Key-File-";
    private static final String PRIVATE_LINES = "Private-Lines:";

    private PrivateKeyDetector() {
        super(ID, DetectorType.PRIVATE_KEY);
    }

    /** @return a detector instance (immutable, shareable) */
    public static PrivateKeyDetector create() {
        return new PrivateKeyDetector();
    }

    @Override
    boolean triggersOn(char c0, char c1) {
        return (c0 == '-' && c1 == '-') || (c0 == 'P' && c1 == 'u');
    }

    /** {@code -----BEGIN} or {@code PuTTY-}. */
    @Override
    boolean triggersOn(char c0, char c1, char c2) {
        return c2 == (c0 == '-' ? '-' : 'T');
    }

    @Override
    int detect(CharSequence text, int pos, int limit, Hit hit) {
        return text.charAt(pos) == '-' ? detectPem(text, pos, limit, hit) : detectPutty(text, pos, limit, hit);
    }

    private int detectPem(CharSequence text, int pos, int limit, Hit hit) {
        if (!Chars.regionMatches(text, pos, limit, BEGIN)) {
            return pos + 1;
        }
        int i = pos + BEGIN.length();
        String label = null;
        for (String l : LABELS) {
            if (Chars.regionMatches(text, i, limit, l) && Chars.regionMatches(text, i + l.length(), limit, DASHES)) {
                label = l;
                break;
            }
        }
        if (label == null) {
            return pos + 1;
        }
        int headerEnd = i + label.length() + DASHES.length();
        int max = (int) Math.min(limit, (long) pos + MAX_SPAN);
        int j = lineBreak(text, headerEnd, max);
        if (j < 0) {
            return headerEnd;
        }
        // RFC 1421 encapsulated header lines, e.g. "Proc-Type: 4,ENCRYPTED", then a blank line
        for (int h = 0; h < 4; h++) {
            int lineEnd = headerLineEnd(text, j, max);
            if (lineEnd < 0) {
                break;
            }
            j = lineEnd;
        }
        int[] body = base64Body(text, j, max);
        if (body[0] < MIN_BODY_CHARS) {
            return headerEnd;
        }
        int end = body[1];
        String endLine = "-----END " + label + DASHES;
        int k = lineBreak(text, end, max);
        if (k >= 0 && Chars.regionMatches(text, k, max, endLine)) {
            end = k + endLine.length();
        }
        hit.set(pos, end, Confidence.HIGH, label, text.subSequence(pos, headerEnd).toString());
        return end;
    }

    private int detectPutty(CharSequence text, int pos, int limit, Hit hit) {
        if (!Chars.regionMatches(text, pos, limit, PUTTY) || pos + PUTTY.length() + 2 > limit) {
            return pos + 1;
        }
        int v = pos + PUTTY.length();
        char version = text.charAt(v);
        if ((version != '2' && version != '3') || text.charAt(v + 1) != ':') {
            return pos + 1;
        }
        int headerEnd = v + 2;
        while (headerEnd < limit && headerEnd - pos < 120 && !isBreakAt(text, headerEnd, limit)) {
            headerEnd++;
        }
        int max = (int) Math.min(limit, (long) pos + PUTTY_LOOKAHEAD);
        int at = indexOfPrivateLines(text, headerEnd, max);
        if (at < 0) {
            return -at - 1; // resume at the next PuTTY header or past the searched region
        }
        int j = at + PRIVATE_LINES.length();
        while (j < max && (text.charAt(j) == ' ' || Chars.isDigit(text.charAt(j)))) {
            j++;
        }
        j = lineBreak(text, j, max);
        if (j < 0) {
            return pos + 1;
        }
        int[] body = base64Body(text, j, (int) Math.min(limit, (long) pos + MAX_SPAN));
        if (body[0] < MIN_BODY_CHARS) {
            return pos + 1;
        }
        hit.set(pos, body[1], Confidence.HIGH, "PUTTY", text.subSequence(pos, headerEnd).toString().trim());
        return body[1];
    }

    /**
     * Skips one or more line breaks (with surrounding spaces/tabs) at {@code i}.
     *
     * @return position after them, or -1 if there is no line break at {@code i}
     */
    private static int lineBreak(CharSequence s, int i, int max) {
        int j = skipBlanks(s, i, max);
        int len = breakLen(s, j, max);
        if (len == 0) {
            return -1;
        }
        while (len > 0) {
            j = skipBlanks(s, j + len, max);
            len = breakLen(s, j, max);
        }
        return j;
    }

    private static int skipBlanks(CharSequence s, int i, int max) {
        while (i < max && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    /** Length of a real or JSON-escaped line break at i: \n, \r\n, \r, "\\n", "\\r\\n"; else 0. */
    private static int breakLen(CharSequence s, int i, int max) {
        if (i >= max) {
            return 0;
        }
        char c = s.charAt(i);
        if (c == '\n') {
            return 1;
        }
        if (c == '\r') {
            return i + 1 < max && s.charAt(i + 1) == '\n' ? 2 : 1;
        }
        if (c == '\\' && i + 1 < max) {
            char n = s.charAt(i + 1);
            if (n == 'n') {
                return 2;
            }
            if (n == 'r') {
                return i + 3 < max && s.charAt(i + 2) == '\\' && s.charAt(i + 3) == 'n' ? 4 : 2;
            }
        }
        return 0;
    }

    private static boolean isBreakAt(CharSequence s, int i, int max) {
        return breakLen(s, i, max) > 0;
    }

    /**
     * If a "Name: value" line starts at i (name = letters and '-'), returns the position after its
     * line break(s); else -1.
     */
    private static int headerLineEnd(CharSequence s, int i, int max) {
        int j = i;
        while (j < max && j - i < 32 && (Chars.isAsciiLetter(s.charAt(j)) || s.charAt(j) == '-')) {
            j++;
        }
        if (j == i || j >= max || s.charAt(j) != ':') {
            return -1;
        }
        while (j < max && j - i < 256 && !isBreakAt(s, j, max)) {
            j++;
        }
        return lineBreak(s, j, max);
    }

    /**
     * Counts base64 chars from i, across line breaks.
     *
     * @return {count, end} where end is just after the last base64 char
     */
    private static int[] base64Body(CharSequence s, int i, int max) {
        int count = 0;
        int end = i;
        int j = i;
        while (j < max) {
            char c = s.charAt(j);
            if (Chars.isBase64(c)) {
                count++;
                j++;
                end = j;
            } else if (c == '\\' && j + 1 < max && s.charAt(j + 1) == '/') {
                count++; // JSON may escape '/' as "\/"
                j += 2;
                end = j;
            } else {
                int br = lineBreak(s, j, max);
                if (br < 0) {
                    break;
                }
                j = br;
            }
        }
        return new int[] {count, end};
    }

    /**
     * Finds {@code Private-Lines:} in [from, max), stopping at the next PuTTY header so that each
     * char is searched for at most one header (linear time on repeated headers).
     *
     * @return its index, or {@code -(resume + 1)} where resume is the next header or {@code max}
     */
    private static int indexOfPrivateLines(CharSequence s, int from, int max) {
        for (int i = from; i < max; i++) {
            if (s.charAt(i) == 'P') {
                if (Chars.regionMatches(s, i, max, PRIVATE_LINES)) {
                    return i;
                }
                if (Chars.regionMatches(s, i, max, PUTTY)) {
                    return -(i + 1);
                }
            }
        }
        return -(Math.max(from, max - PRIVATE_LINES.length() + 1) + 1);
    }
}
