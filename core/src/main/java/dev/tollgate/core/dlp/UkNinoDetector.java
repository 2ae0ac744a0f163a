package dev.tollgate.core.dlp;

/**
 * Finds UK National Insurance numbers (HMRC format): two prefix letters, six digits and a suffix
 * letter A–D, e.g. {@code AB123456C} or {@code AB 12 34 56 C}.
 *
 * <p>Prefix rules: the first letter is not D, F, I, Q, U or V; the second is not D, F, I, O, Q, U
 * or V; the prefixes BG, GB, KN, NK, NT, TN and ZZ are never issued. Letters must be upper case
 * (lower-case look-alikes are too common in ordinary text). Three layouts are accepted:
 * {@code AB123456C}, {@code AB 12 34 56 C} and {@code AB 123456 C}; other spacings are not. The match must sit at word
 * boundaries. Base confidence {@link Confidence#MEDIUM}; label {@code "NINO"}; masked sample keeps
 * the prefix, the last two digits and the suffix, e.g. {@code AB ** ** 56 C}.
 */
public final class UkNinoDetector extends Detector {
    /** Detector id used in findings. */
    public static final String ID = "uk-nino";

    private UkNinoDetector() {
        super(ID, DetectorType.UK_NINO);
    }

    /** @return a detector instance (immutable, shareable) */
    public static UkNinoDetector create() {
        return new UkNinoDetector();
    }

    @Override
    boolean triggersOn(char c0, char c1) {
        return validPrefix(c0, c1);
    }

    /** Digits or a space follow the prefix. */
    @Override
    boolean triggersOn(char c0, char c1, char c2) {
        return Chars.isDigit(c2) || c2 == ' ';
    }

    /**
     * @param first first prefix letter
     * @param second second prefix letter
     * @return true if HMRC may issue that prefix
     */
    static boolean validPrefix(char first, char second) {
        if (!Chars.isUpper(first) || !Chars.isUpper(second)
                || "DFIQUV".indexOf(first) >= 0 || "DFIOQUV".indexOf(second) >= 0) {
            return false;
        }
        return !((first == 'B' && second == 'G') || (first == 'G' && second == 'B')
                || (first == 'K' && second == 'N') || (first == 'N' && (second == 'K' || second == 'T'))
                || (first == 'T' && second == 'N') || (first == 'Z' && second == 'Z'));
    }

    @Override
    int detect(CharSequence text, int pos, int limit, Hit hit) {
        if (pos + 9 > limit) {
            return limit;
        }
        char third = text.charAt(pos + 2);
        if ((third != ' ' && !Chars.isDigit(third)) || !validPrefix(text.charAt(pos), text.charAt(pos + 1))) {
            return pos + 1;
        }
        int i = pos + 2;
        char[] digits = new char[6];
        int spaces = 0; // bit per optional space position: after prefix, between pairs, before suffix
        for (int pair = 0; pair < 3; pair++) {
            if (i < limit && text.charAt(i) == ' ') {
                spaces |= 1 << pair;
                i++;
            }
            if (i + 2 > limit || !Chars.isDigit(text.charAt(i)) || !Chars.isDigit(text.charAt(i + 1))) {
                return pos + 1;
            }
            digits[2 * pair] = text.charAt(i);
            digits[2 * pair + 1] = text.charAt(i + 1);
            i += 2;
        }
        if (i < limit && text.charAt(i) == ' ') {
            spaces |= 1 << 3;
            i++;
        }
        // accepted layouts: AB123456C, AB 12 34 56 C, AB 123456 C
        if (i >= limit || (spaces != 0 && spaces != 0b1111 && spaces != 0b1001)) {
            return pos + 1;
        }
        char suffix = text.charAt(i);
        if (suffix < 'A' || suffix > 'D' || !Chars.boundaryAt(text, i + 1, limit)) {
            return pos + 1;
        }
        String masked = "" + text.charAt(pos) + text.charAt(pos + 1) + " ** ** " + digits[4] + digits[5] + ' ' + suffix;
        hit.set(pos, i + 1, Confidence.MEDIUM, "NINO", masked);
        return i + 1;
    }

}
