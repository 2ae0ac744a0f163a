package dev.tollgate.core.dlp;

/**
 * Finds IBANs ({@link Iban}) in text, in electronic form ({@code DE89370400440532013000}) or
 * print form with single spaces or hyphens between groups ({@code DE89 3704 0044 0532 0130 00},
 * {@code NL91-ABNA-0417-1643-00}); case-insensitive.
 *
 * <p>A candidate starts at a word boundary with a registry country code and two check digits and
 * takes exactly the country's length of alphanumerics; the char right after the last one must
 * not be a letter or digit (so a longer alphanumeric run is not an IBAN). Validation is the
 * registry length plus MOD 97-10 (ISO 7064). Base confidence {@link Confidence#MEDIUM}; label is
 * the country code; the masked sample keeps the country code and the last four characters, e.g.
 * {@code DE** **** **** **** **30 00}.
 */
public final class IbanDetector extends Detector {
    /** Detector id used in findings. */
    public static final String ID = "iban";

    private IbanDetector() {
        super(ID, DetectorType.IBAN);
    }

    /** @return a detector instance (immutable, shareable) */
    public static IbanDetector create() {
        return new IbanDetector();
    }

    @Override
    boolean triggersOn(char c0, char c1) {
        return Chars.isAsciiLetter(c0) && Chars.isAsciiLetter(c1) && Iban.lengthOrZero(c0, c1) > 0;
    }

    /** Check digits follow the country code. */
    @Override
    boolean triggersOn(char c0, char c1, char c2) {
        return Chars.isDigit(c2);
    }

    @Override
    int detect(CharSequence text, int pos, int limit, Hit hit) {
        if (pos + 15 > limit) {
            return limit;
        }
        char c0 = text.charAt(pos);
        char c1 = text.charAt(pos + 1);
        if (!Chars.isAsciiLetter(c1) || !Chars.isDigit(text.charAt(pos + 2)) || !Chars.isDigit(text.charAt(pos + 3))) {
            return pos + 1;
        }
        int len = Iban.lengthOrZero(c0, c1);
        if (len == 0) {
            return pos + 1;
        }
        char[] buf = new char[len];
        int n = 0;
        int i = pos;
        while (i < limit && n < len) {
            char c = text.charAt(i);
            if (Chars.isAsciiAlnum(c)) {
                buf[n++] = Character.toUpperCase(c);
                i++;
            } else if ((c == ' ' || c == '-') && i > pos && i + 1 < limit
                    && Chars.isAsciiAlnum(text.charAt(i - 1)) && Chars.isAsciiAlnum(text.charAt(i + 1))) {
                i++;
            } else {
                break;
            }
        }
        if (n < len || !Chars.boundaryAt(text, i, limit) || !Iban.isValidCompact(buf, n)) {
            return pos + 1;
        }
        hit.set(pos, i, Confidence.MEDIUM, new String(buf, 0, 2), mask(text, pos, i, n));
        return i;
    }

    /** Keeps the country code and last four alphanumerics and all separators. */
    static String mask(CharSequence text, int start, int end, int alnumCount) {
        StringBuilder sb = new StringBuilder(end - start);
        int k = 0;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (Chars.isAsciiAlnum(c)) {
                sb.append(k < 2 || k >= alnumCount - 4 ? Character.toUpperCase(c) : '*');
                k++;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
