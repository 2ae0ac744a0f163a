package dev.tollgate.core.mfa;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HOTP, the HMAC-based one-time password (RFC 4226 §5), generalised to the hash functions of
 * {@link TotpAlgorithm} as RFC 6238 §1.2 does.
 *
 * <p>{@code HOTP(K, C) = Truncate(HMAC(K, C)) mod 10^digits}, with the 8-byte big-endian counter
 * {@code C} and the dynamic truncation of RFC 4226 §5.3, zero-padded on the left to {@code digits}.
 *
 * <p>Immutable and thread-safe: a fresh {@link Mac} is created per call.
 */
public final class Hotp {
    /** Smallest code length allowed (RFC 4226 §5.3: at least 6 digits). */
    public static final int MIN_DIGITS = 6;
    /** Largest code length supported (8 digits, as in RFC 6238 Appendix B). */
    public static final int MAX_DIGITS = 8;

    private static final int[] POWERS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    private final TotpAlgorithm algorithm;
    private final int digits;

    private Hotp(TotpAlgorithm algorithm, int digits) {
        if (algorithm == null) {
            throw new IllegalArgumentException("algorithm is required");
        }
        if (digits < MIN_DIGITS || digits > MAX_DIGITS) {
            throw new IllegalArgumentException("digits must be between 6 and 8, was " + digits);
        }
        this.algorithm = algorithm;
        this.digits = digits;
    }

    /**
     * @param algorithm the HMAC hash
     * @param digits    code length, 6..8
     * @throws IllegalArgumentException for a null algorithm or digits outside 6..8
     */
    public static Hotp of(TotpAlgorithm algorithm, int digits) {
        return new Hotp(algorithm, digits);
    }

    /** @return HOTP with HMAC-SHA-1 and 6 digits, the RFC 4226 profile */
    public static Hotp rfc4226() {
        return new Hotp(TotpAlgorithm.SHA1, 6);
    }

    /** @return the hash function */
    public TotpAlgorithm algorithm() {
        return algorithm;
    }

    /** @return the code length */
    public int digits() {
        return digits;
    }

    /**
     * Computes the code for a counter (RFC 4226 §5.3).
     *
     * @param key     the shared secret; never null or empty; not retained
     * @param counter the moving factor (for TOTP, the {@link TimeStep} number)
     * @return exactly {@link #digits()} ASCII digits, zero-padded on the left
     * @throws IllegalArgumentException for an empty key
     */
    public String generate(byte[] key, long counter) {
        int value = truncate(mac(key, counter)) % POWERS[digits];
        char[] out = new char[digits];
        for (int i = digits - 1; i >= 0; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
        return new String(out);
    }

    /** RFC 4226 §5.3 dynamic truncation: 31-bit value at the offset given by the low nibble of the last byte. */
    static int truncate(byte[] hmac) {
        int offset = hmac[hmac.length - 1] & 0x0f;
        return ((hmac[offset] & 0x7f) << 24)
                | ((hmac[offset + 1] & 0xff) << 16)
                | ((hmac[offset + 2] & 0xff) << 8)
                | (hmac[offset + 3] & 0xff);
    }

    private byte[] mac(byte[] key, long counter) {
        if (key == null || key.length == 0) {
            throw new IllegalArgumentException("HOTP key must not be empty");
        }
        byte[] message = new byte[8];
        for (int i = 7; i >= 0; i--) {
            message[i] = (byte) counter;
            counter >>>= 8;
        }
        try {
            Mac mac = Mac.getInstance(algorithm.macName());
            mac.init(new SecretKeySpec(key, algorithm.macName()));
            return mac.doFinal(message);
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("HOTP key rejected by " + algorithm.macName());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm.macName() + " is not available in this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "Hotp[" + algorithm + ", " + digits + " digits]";
    }
}
