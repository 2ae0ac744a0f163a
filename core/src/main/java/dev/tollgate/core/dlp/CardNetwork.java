package dev.tollgate.core.dlp;

/**
 * Payment card networks recognised by {@link PaymentCardDetector}, with the issuer
 * identification number (IIN) prefixes and PAN lengths accepted for each (ISO/IEC 7812-1 numbering;
 * ranges as published by the networks).
 */
public enum CardNetwork {
    /** IIN 4; lengths 13, 16, 19. */
    VISA,
    /** IIN 51–55 and 2221–2720; length 16. */
    MASTERCARD,
    /** IIN 34, 37; length 15. */
    AMEX,
    /** IIN 6011, 644–649, 65; lengths 16–19. */
    DISCOVER,
    /** IIN 3528–3589; lengths 16–19. */
    JCB,
    /** IIN 300–305, 36, 38, 39; lengths 14–19. */
    DINERS,
    /** IIN 62; lengths 16–19. */
    UNIONPAY,
    /**
     * IIN 5018, 5020, 5038, 5893, 6304, 6759, 6761, 6762, 6763 (the commonly published Maestro
     * ranges; broader 5x/6x ranges are deliberately not claimed); lengths 12–19.
     */
    MAESTRO;

    /**
     * Identifies the network of a PAN by prefix and length (the Luhn digit is not checked here).
     *
     * @param digits ASCII digits only
     * @return the network, or {@code null} if no range matches that prefix and length
     */
    static CardNetwork of(CharSequence digits) {
        int len = digits.length();
        if (len < 12 || len > 19) {
            return null;
        }
        int p2 = prefix(digits, 2);
        int p3 = prefix(digits, 3);
        int p4 = prefix(digits, 4);
        if (digits.charAt(0) == '4') {
            return len == 13 || len == 16 || len == 19 ? VISA : null;
        }
        if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) {
            return len == 16 ? MASTERCARD : null;
        }
        if (p2 == 34 || p2 == 37) {
            return len == 15 ? AMEX : null;
        }
        if (p4 == 6011 || (p3 >= 644 && p3 <= 649) || p2 == 65) {
            return len >= 16 ? DISCOVER : null;
        }
        if (p4 >= 3528 && p4 <= 3589) {
            return len >= 16 ? JCB : null;
        }
        if ((p3 >= 300 && p3 <= 305) || p2 == 36 || p2 == 38 || p2 == 39) {
            return len >= 14 ? DINERS : null;
        }
        if (p2 == 62) {
            return len >= 16 ? UNIONPAY : null;
        }
        switch (p4) {
            case 5018: case 5020: case 5038: case 5893:
            case 6304: case 6759: case 6761: case 6762: case 6763:
                return MAESTRO;
            default:
                return null;
        }
    }

    private static int prefix(CharSequence digits, int n) {
        int v = 0;
        for (int i = 0; i < n; i++) {
            v = v * 10 + (digits.charAt(i) - '0');
        }
        return v;
    }
}
