package dev.tollgate.core.dlp.content;

import java.nio.charset.StandardCharsets;

import dev.tollgate.core.mime.ByteScan;

/**
 * The layout's white space collapsing (CSS {@code white-space: normal}): runs of HTML white space (space, tab, LF,
 * CR, FF) and the no-break space, which jsoup's text gives for {@code &nbsp;}, are written as one space, none after
 * white space already written. With {@code marked}, the marker chars of {@link InlineGaps} are written as U+FFFD.
 *
 * <p>The chars between two such positions are appended as one run; a single space after a char that is not white
 * space stays in the run, since it would be written anyway. Text in Latin-1 is searched for those positions eight
 * chars per step (its ISO 8859-1 bytes as one 64-bit word): a word of letters and single spaces is passed over
 * whole, and only a word holding anything else (white space, a control char, a space after one, {@code ?}, which is
 * also what a char beyond Latin-1 encodes to) is read char by char, by the same rules, from the text itself. A text
 * with a surrogate pair (one {@code ?} for two chars) is read char by char throughout.
 */
final class WhiteSpaceCollapse {
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long LOW7 = ~HIGHS;
    /** Texts shorter than this, or with a char beyond Latin-1 among their first this many, are read char by char. */
    private static final int WORD_SCAN_FROM = 16;

    private WhiteSpaceCollapse() {
    }

    /**
     * Appends {@code text} collapsed.
     *
     * @param out    the laid-out text so far; a space is written only after a char that is not white space
     * @param text   a text node's text
     * @param marked whether {@link InlineGaps#OPEN}/{@link InlineGaps#CLOSE} in {@code text} become U+FFFD
     */
    static void append(StringBuilder out, String text, boolean marked) {
        int n = text.length();
        int from = 0;
        int i = 0;
        byte[] b = n >= WORD_SCAN_FROM && latin1Start(text) ? text.getBytes(StandardCharsets.ISO_8859_1) : null;
        // a surrogate pair encodes to one byte: the bytes then no longer line up with the chars
        if (b != null && b.length == n) {
            long carry = 0; // high bit set: the byte before the word is a plain char
            for (; i + 8 <= n; i += 8) {
                long word = ByteScan.word(b, i);
                // plain: low seven bits above 0x20 (so neither a control char, nor a space, nor 0x80-0xA0, which
                // holds the no-break space) and not '?' or 0xBF (what a char beyond Latin-1 became)
                long plain = ((word & LOW7) + ONES * 0x5F) & HIGHS & ~ByteScan.bytesEqual(word & LOW7, '?');
                // a space right after a plain char stays in the run
                long passes = plain | ByteScan.bytesEqual(word, ' ') & (plain << 8 | carry);
                carry = (plain >>> 56) & 0x80;
                if (passes != HIGHS) {
                    for (int j = i; j < i + 8; j++) {
                        from = step(out, text, j, from, marked);
                    }
                }
            }
        }
        for (; i < n; i++) {
            from = step(out, text, i, from, marked);
        }
        out.append(text, from, n);
    }

    private static boolean latin1Start(String text) {
        for (int k = 0; k < WORD_SCAN_FROM; k++) {
            if (text.charAt(k) > 0xFF) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads the char at {@code i} of the run that started at {@code from}.
     *
     * @return where the run goes on from: {@code from}, or {@code i + 1} when the char ended it
     */
    private static int step(StringBuilder out, String text, int i, int from, boolean marked) {
        char c = text.charAt(i);
        if (c > ' ' && c != '\u00a0' && c < InlineGaps.OPEN) {
            return from;
        }
        if (c == ' ' && i > from && !Character.isWhitespace(text.charAt(i - 1))) {
            return from;
        }
        if (isHtmlSpace(c)) {
            out.append(text, from, i);
            if (out.length() > 0 && !Character.isWhitespace(out.charAt(out.length() - 1))) {
                out.append(' ');
            }
            return i + 1;
        }
        if (marked && (c == InlineGaps.OPEN || c == InlineGaps.CLOSE)) {
            out.append(text, from, i).append('\uFFFD');
            return i + 1;
        }
        return from;
    }

    /** Space, tab, LF, CR, FF (HTML's white space) and the no-break space. */
    private static boolean isHtmlSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u00a0';
    }
}
