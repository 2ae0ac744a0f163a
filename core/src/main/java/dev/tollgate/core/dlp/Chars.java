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

    /** Letter or digit in any script: what counts as "part of a word" for boundaries. */
    static boolean isWordChar(char c) {
        if (c < 128) {
            return isAsciiAlnum(c);
        }
        return Character.isLetterOrDigit(c);
    }

    static boolean isBase64(char c) {
        return isAsciiAlnum(c) || c == '+' || c == '/' || c == '=';
    }

    /** True if position {@code i} is outside the text or not a word char. */
    static boolean boundaryAt(CharSequence s, int i, int limit) {
        return i < 0 || i >= limit || !isWordChar(s.charAt(i));
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

    /**
     * End of a numeric run starting at {@code pos}: digits, with single {@code ' '} or {@code '-'}
     * separators between two digits.
     */
    static int numericRunEnd(CharSequence s, int pos, int limit) {
        int i = pos;
        while (i < limit) {
            char c = s.charAt(i);
            if (isDigit(c)) {
                i++;
            } else if ((c == ' ' || c == '-') && i > pos && i + 1 < limit && isDigit(s.charAt(i + 1))) {
                i++;
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
