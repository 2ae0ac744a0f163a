package dev.tollgate.core.dlp;

/**
 * Finds payment card numbers (PANs): IIN range and length per {@link CardNetwork}, overall
 * 12–19 digits, and a valid Luhn check digit (ISO/IEC 7812-1).
 *
 * <p>Candidates and boundaries:
 * <ul>
 *   <li>A candidate is a maximal <em>numeric run</em>: digits with single {@code ' '} or
 *       {@code '-'} separators between digit groups of at most seven digits, the same separator throughout (e.g.
 *       {@code 4111 1111 1111 1111}, {@code 3782-822463-10005}); a longer group stands alone, so
 *       two unseparated numbers with a space between them are two candidates. Separators are removed before validation; the finding spans
 *       the original text.</li>
 *   <li>The run must start and end at a word boundary: a letter or digit glued to either end
 *       (e.g. {@code x4111111111111111} or {@code 4111111111111111abc}) means the digits are part
 *       of an identifier, not a card, and nothing is reported.</li>
 *   <li>The whole run is judged as one number: a run with more than 19 digits is not a card,
 *       and no sub-sequence or sliding window of it is reported. At most one finding per run.</li>
 *   <li>A run that is part of a decimal number ({@code 3.14159…}, digit + {@code '.'} or
 *       {@code ','} on either side) is ignored.</li>
 *   <li>A 13-digit run without separators whose value, read as milliseconds since the Unix
 *       epoch, falls in [2000-01-01, 2100-01-01) UTC ({@code 946684800000} to
 *       {@code 4102444800000}) is treated as a timestamp, not a card. This excludes 13-digit Visa
 *       numbers from 4000000000000 to 4102444799999, an accepted loss.</li>
 * </ul>
 * Base confidence is {@link Confidence#MEDIUM}; the masked sample keeps the first and last four
 * digits and the separators, e.g. {@code 4111 **** **** 1111}. Label: the {@link CardNetwork} name.
 */
public final class PaymentCardDetector extends Detector {
    /** Detector id used in findings. */
    public static final String ID = "payment-card";

    private static final long EPOCH_MILLIS_2000 = 946_684_800_000L;
    private static final long EPOCH_MILLIS_2100 = 4_102_444_800_000L;

    private PaymentCardDetector() {
        super(ID, DetectorType.PAYMENT_CARD);
    }

    /** @return a detector instance (immutable, shareable) */
    public static PaymentCardDetector create() {
        return new PaymentCardDetector();
    }

    @Override
    boolean triggersOn(char c0, char c1) {
        return Chars.isDigit(c0) && (Chars.isDigit(c1) || c1 == ' ' || c1 == '-');
    }

    /** A run whose third char does not continue it has at most two digits: too short. */
    @Override
    boolean triggersOn(char c0, char c1, char c2) {
        return Chars.isDigit(c2) || (Chars.isDigit(c1) && (c2 == ' ' || c2 == '-'));
    }

    @Override
    int detect(CharSequence text, int pos, int limit, Hit hit) {
        int end = hit.numericRunEnd(text, pos, limit);
        if (end - pos < 12) {
            return end; // fewer than 12 chars cannot hold 12 digits (most numbers in text end here)
        }
        if (!Chars.boundaryAt(text, end, limit) || Chars.decimalBefore(text, pos)
                || Chars.decimalAfter(text, end, limit)) {
            return end;
        }
        int n = 0;
        for (int i = pos; i < end; i++) {
            if (Chars.isDigit(text.charAt(i))) {
                n++;
            }
        }
        if (n < 12 || n > 19) {
            return end; // too short, or longer than any PAN: not a card, and no windows of it
        }
        boolean separated = n != end - pos;
        char[] digits = new char[n];
        int k = 0;
        char separator = 0;
        for (int i = pos; i < end; i++) {
            char c = text.charAt(i);
            if (Chars.isDigit(c)) {
                digits[k++] = c;
            } else if (separator == 0) {
                separator = c;
            } else if (c != separator) {
                return end; // mixed ' ' and '-': numbers next to each other, not one printed PAN
            }
        }
        String pan = new String(digits, 0, n);
        CardNetwork network = CardNetwork.of(pan);
        if (network == null || !Luhn.isValid(pan)) {
            return end;
        }
        if (n == 13 && !separated) {
            long v = Long.parseLong(pan);
            if (v >= EPOCH_MILLIS_2000 && v < EPOCH_MILLIS_2100) {
                return end;
            }
        }
        hit.set(pos, end, Confidence.MEDIUM, network.name(), mask(text, pos, end, n));
        return end;
    }

    /** Keeps the first and last four digits and all separators; masks other digits with '*'. */
    static String mask(CharSequence text, int start, int end, int digitCount) {
        StringBuilder sb = new StringBuilder(end - start);
        int d = 0;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (Chars.isDigit(c)) {
                sb.append(d < 4 || d >= digitCount - 4 ? c : '*');
                d++;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
