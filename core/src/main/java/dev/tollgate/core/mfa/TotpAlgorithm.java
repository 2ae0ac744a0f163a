package dev.tollgate.core.mfa;

import java.util.Locale;

/**
 * The HMAC hash functions TOTP may use (RFC 6238 §1.2 and §4; HOTP itself is HMAC-SHA-1, RFC 4226 §5.3).
 * The constant names are the {@code algorithm} values of the Key Uri Format ({@code otpauth://}).
 */
public enum TotpAlgorithm {
    /** HMAC-SHA-1, the default and the only one every authenticator app supports. */
    SHA1("HmacSHA1", 20),
    /** HMAC-SHA-256. */
    SHA256("HmacSHA256", 32),
    /** HMAC-SHA-512. */
    SHA512("HmacSHA512", 64);

    private final String macName;
    private final int outputBytes;

    TotpAlgorithm(String macName, int outputBytes) {
        this.macName = macName;
        this.outputBytes = outputBytes;
    }

    /** @return the JCA {@link javax.crypto.Mac} name, e.g. {@code "HmacSHA256"} */
    public String macName() {
        return macName;
    }

    /** @return the MAC output length in bytes (20, 32 or 64), also the RFC 6238 test seed length */
    public int outputBytes() {
        return outputBytes;
    }

    /**
     * Parses a Key Uri Format {@code algorithm} value, case-insensitively ({@code "sha256"} works).
     *
     * @throws IllegalArgumentException for anything but SHA1, SHA256, SHA512
     */
    public static TotpAlgorithm fromName(String name) {
        String upper = name.trim().toUpperCase(Locale.ROOT);
        for (TotpAlgorithm a : values()) {
            if (a.name().equals(upper)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unsupported TOTP algorithm; use SHA1, SHA256 or SHA512");
    }
}
