package dev.tollgate.core.dlp;

/**
 * The Luhn (mod 10) check digit used by payment card numbers, ISO/IEC 7812-1 Annex B.
 * Stateless and thread-safe.
 */
public final class Luhn {
    private Luhn() {
    }

    /**
     * Checks a digit string whose last digit is the Luhn check digit.
     *
     * @param digits ASCII digits only, no separators
     * @return true if non-empty, all ASCII digits and the Luhn sum is a multiple of 10; false
     *     otherwise (including {@code null}, empty or any non-digit)
     */
    public static boolean isValid(CharSequence digits) {
        if (digits == null || digits.length() == 0) {
            return false;
        }
        int sum = sum(digits, false);
        return sum >= 0 && sum % 10 == 0;
    }

    /**
     * Computes the check digit to append to a payload.
     *
     * @param payload ASCII digits without the check digit, non-empty
     * @return the check digit 0–9
     * @throws IllegalArgumentException if the payload is empty or contains a non-digit
     */
    public static int checkDigit(CharSequence payload) {
        if (payload == null || payload.length() == 0) {
            throw new IllegalArgumentException("payload must be non-empty digits");
        }
        int sum = sum(payload, true);
        if (sum < 0) {
            throw new IllegalArgumentException("payload must be ASCII digits");
        }
        return (10 - sum % 10) % 10;
    }

    /**
     * The Luhn sum, doubling every second digit from the right, starting with the rightmost one when
     * {@code doubleRightmost} (a payload still missing its check digit).
     *
     * @return the sum, or -1 when a character is not an ASCII digit
     */
    private static int sum(CharSequence digits, boolean doubleRightmost) {
        int sum = 0;
        boolean doubleIt = doubleRightmost;
        for (int i = digits.length() - 1; i >= 0; i--) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            int d = c - '0';
            if (doubleIt) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            doubleIt = !doubleIt;
        }
        return sum;
    }
}
