package dev.tollgate.core.dlp;

/** Cheap char classification helpers shared by the detectors. */
final class Chars {
    private Chars() {
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isUpper(char c) {
        return c >= 'A' && c <= 'Z';
    }

    static boolean isAsciiLetter(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    static boolean isAsciiAlnum(char c) {
        return isDigit(c) || isAsciiLetter(c);
    }

    /**
     * {@link Character#isLetterOrDigit(char)} for every UTF-16 char, one bit each (8 KiB), so the scanner's hot
     * loop classifies any char with a shift and a mask instead of a Unicode table walk.
     */
    private static final long[] WORD_BITS = new long[1 << 10];

    static {
        for (int c = 0; c <= Character.MAX_VALUE; c++) {
            if (Character.isLetterOrDigit((char) c)) {
                WORD_BITS[c >>> 6] |= 1L << c;
            }
        }
    }

    /**
     * Letter or digit in any script ({@link Character#isLetterOrDigit(char)}): what counts as "part of a word"
     * for boundaries.
     */
    static boolean isWordChar(char c) {
        return (WORD_BITS[c >>> 6] & (1L << c)) != 0;
    }

    /** @return 1 if {@link #isWordChar}, else 0 (for branch-free use) */
    static long wordBit(char c) {
        return (WORD_BITS[c >>> 6] >>> c) & 1;
    }

    static boolean isBase64(char c) {
        return isAsciiAlnum(c) || c == '+' || c == '/' || c == '=';
    }

    /**
     * True if position {@code i} is outside the text or not a word char. Looks past
     * {@code limit} (the end of the scanned region) on purpose: a match cut by the input limit is
     * not at a boundary if the text goes on with a letter or digit.
     */
    static boolean boundaryAt(CharSequence s, int i, int limit) {
        return i < 0 || i >= s.length() || !isWordChar(s.charAt(i));
    }

    static boolean regionMatches(CharSequence s, int pos, int limit, String literal) {
        int n = literal.length();
        if (pos + n > limit) {
            return false;
        }
        for (int k = 0; k < n; k++) {
            if (s.charAt(pos + k) != literal.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** Longest digit group that separators may join to a neighbour (printed PANs use at most 7). */
    static final int MAX_JOINED_GROUP = 7;

    /**
     * End of a numeric run starting at {@code pos}: digits, with single {@code ' '} or {@code '-'}
     * separators between two digit groups of at most {@value #MAX_JOINED_GROUP} digits each.
     * A longer group is a number of its own, so {@code 4111111111111111 5555555555554444} is two
     * runs while {@code 4111 1111 1111 1111} is one. Linear: each group is read at most twice.
     */
    static int numericRunEnd(CharSequence s, int pos, int limit) {
        int i = pos;
        int group = 0;
        while (i < limit) {
            char c = s.charAt(i);
            if (isDigit(c)) {
                group++;
                i++;
            } else if ((c == ' ' || c == '-') && group > 0 && group <= MAX_JOINED_GROUP) {
                int next = i + 1;
                while (next < limit && isDigit(s.charAt(next)) && next - i <= MAX_JOINED_GROUP + 1) {
                    next++;
                }
                int nextGroup = next - i - 1;
                if (nextGroup == 0 || nextGroup > MAX_JOINED_GROUP) {
                    break;
                }
                i++;
                group = 0;
            } else {
                break;
            }
        }
        return i;
    }

    /** True if the char before {@code start} is {@code '.'} or {@code ','} preceded by a digit. */
    static boolean decimalBefore(CharSequence s, int start) {
        if (start < 2) {
            return false;
        }
        char c = s.charAt(start - 1);
        return (c == '.' || c == ',') && isDigit(s.charAt(start - 2));
    }

    /** True if the char at {@code end} is {@code '.'} or {@code ','} followed by a digit. */
    static boolean decimalAfter(CharSequence s, int end, int limit) {
        if (end + 1 >= limit) {
            return false;
        }
        char c = s.charAt(end);
        return (c == '.' || c == ',') && isDigit(s.charAt(end + 1));
    }
}
