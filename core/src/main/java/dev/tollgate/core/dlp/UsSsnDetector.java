package dev.tollgate.core.dlp;

/**
 * Finds US Social Security numbers under the SSA numbering rules: area (first three digits) not
 * 000, 666 or 900–999; group (middle two) not 00; serial (last four) not 0000. The two numbers
 * the SSA lists as publicised/voided ({@code 078-05-1120}, {@code 219-09-9999}) are ignored.
 *
 * <p>Forms:
 * <ul>
 *   <li>Dashed {@code AAA-GG-SSSS}: reported with base confidence {@link Confidence#LOW}
 *       (only range rules, no checksum, so context matters).</li>
 *   <li>Undashed nine-digit run: any nine-digit number would pass the range rules, so it is
 *       reported <em>only</em> if a positive context keyword of the {@link DetectorType#US_SSN}
 *       {@link ContextRule} (e.g. "SSN", "social security") is near; without one, nothing is
 *       reported. With spaces or other groupings it is not considered.</li>
 * </ul>
 * The candidate must be a whole numeric run at word boundaries (see {@link PaymentCardDetector}).
 * Masked sample: {@code ***-**-6789} (last four kept). Label {@code "SSN"}.
 */
public final class UsSsnDetector extends Detector {
    /** Detector id used in findings. */
    public static final String ID = "us-ssn";

    private UsSsnDetector() {
        super(ID, DetectorType.US_SSN);
    }

    /** @return a detector instance (immutable, shareable) */
    public static UsSsnDetector create() {
        return new UsSsnDetector();
    }

    @Override
    boolean triggersOn(char c0, char c1) {
        return Chars.isDigit(c0) && Chars.isDigit(c1);
    }

    /** A run whose third char does not continue it has two digits: too short. */
    @Override
    boolean triggersOn(char c0, char c1, char c2) {
        return Chars.isDigit(c2) || c2 == ' ' || c2 == '-';
    }

    @Override
    int detect(CharSequence text, int pos, int limit, Hit hit) {
        int end = hit.numericRunEnd(text, pos, limit);
        int len = end - pos;
        if (len > 11 && Chars.boundaryAt(text, end, limit) && !Chars.decimalAfter(text, end, limit)) {
            return dashedInside(text, pos, end, hit);
        }
        if ((len != 9 && len != 11) || !Chars.boundaryAt(text, end, limit) || Chars.decimalBefore(text, pos)
                || Chars.decimalAfter(text, end, limit)) {
            return end;
        }
        boolean dashed;
        if (len == 11 && text.charAt(pos + 3) == '-' && text.charAt(pos + 6) == '-'
                && allDigits(text, pos, 3) && allDigits(text, pos + 4, 2) && allDigits(text, pos + 7, 4)) {
            dashed = true;
        } else if (len == 9 && allDigits(text, pos, 9)) {
            dashed = false;
        } else {
            return end;
        }
        int area = num(text, pos, 3);
        int group = dashed ? num(text, pos + 4, 2) : num(text, pos + 3, 2);
        int serial = dashed ? num(text, pos + 7, 4) : num(text, pos + 5, 4);
        if (!isValid(area, group, serial)) {
            return end;
        }
        String last4 = text.subSequence(end - 4, end).toString();
        hit.set(pos, end, Confidence.LOW, "SSN", dashed ? "***-**-" + last4 : "*****" + last4);
        hit.needsPositiveContext = !dashed;
        return end;
    }

    /**
     * A longer run may hold a dashed SSN between spaces, e.g. a year before it ({@code 2024 123-45-6789}): each
     * space-delimited piece of the run is tried, so the number next to it does not hide it. Linear in the run.
     */
    private static int dashedInside(CharSequence text, int pos, int end, Hit hit) {
        int p = pos;
        while (p + 11 <= end) {
            int q = p;
            while (q < end && text.charAt(q) != ' ') {
                q++;
            }
            if (q - p == 11 && text.charAt(p + 3) == '-' && text.charAt(p + 6) == '-'
                    && allDigits(text, p, 3) && allDigits(text, p + 4, 2) && allDigits(text, p + 7, 4)
                    && isValid(num(text, p, 3), num(text, p + 4, 2), num(text, p + 7, 4))) {
                hit.set(p, q, Confidence.LOW, "SSN", "***-**-" + text.subSequence(q - 4, q));
                return q;
            }
            p = q + 1;
        }
        return end;
    }

    static boolean isValid(int area, int group, int serial) {
        if (area == 0 || area == 666 || area >= 900 || group == 0 || serial == 0) {
            return false;
        }
        return !(area == 78 && group == 5 && serial == 1120) && !(area == 219 && group == 9 && serial == 9999);
    }

    private static boolean allDigits(CharSequence s, int from, int n) {
        for (int i = from; i < from + n; i++) {
            if (!Chars.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static int num(CharSequence s, int from, int n) {
        int v = 0;
        for (int i = from; i < from + n; i++) {
            v = v * 10 + (s.charAt(i) - '0');
        }
        return v;
    }
}
