package dev.tollgate.core.mfa;

import java.security.MessageDigest;
import java.security.SecureRandom;

/**
 * A TOTP/HOTP shared secret {@code K} (RFC 4226 §4 R6, RFC 6238 §5.1).
 *
 * <p>RFC 4226 §4 requires at least 128 bits and recommends 160; {@link #generate()} makes 160 bits
 * (20 bytes, the HMAC-SHA-1 block-friendly size authenticator apps expect), and every factory refuses
 * fewer than 128 bits. Secrets are at most 128 bytes, which bounds work on hostile input.
 *
 * <p>Immutable and thread-safe; the bytes are copied in and out. {@link #toString()} never shows the
 * secret, and {@link #equals(Object)} compares in constant time.
 */
public final class TotpSecret {
    /** Minimum secret length accepted, 16 bytes = 128 bits (RFC 4226 §4 R6). */
    public static final int MIN_BYTES = 16;
    /** Length made by {@link #generate()}, 20 bytes = 160 bits (RFC 4226 §4 recommendation). */
    public static final int DEFAULT_BYTES = 20;
    /** Maximum secret length accepted, 128 bytes (the HMAC-SHA-512 block size). */
    public static final int MAX_BYTES = 128;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] bytes;

    private TotpSecret(byte[] bytes) {
        if (bytes.length < MIN_BYTES) {
            throw new IllegalArgumentException("TOTP secret too short: " + bytes.length * 8
                    + " bits, at least 128 required");
        }
        if (bytes.length > MAX_BYTES) {
            throw new IllegalArgumentException("TOTP secret too long: at most " + MAX_BYTES + " bytes");
        }
        this.bytes = bytes;
    }

    /** @return a new random 160-bit secret from a shared {@link SecureRandom} */
    public static TotpSecret generate() {
        return generate(RANDOM, DEFAULT_BYTES);
    }

    /**
     * @param random the randomness source
     * @param length length in bytes, 16..128 (e.g. 32 or 64 for SHA256 / SHA512)
     * @throws IllegalArgumentException for a length outside 16..128
     */
    public static TotpSecret generate(SecureRandom random, int length) {
        if (length < MIN_BYTES || length > MAX_BYTES) {
            throw new IllegalArgumentException("TOTP secret length must be 16..128 bytes");
        }
        byte[] b = new byte[length];
        random.nextBytes(b);
        return new TotpSecret(b);
    }

    /**
     * @param bytes raw secret, copied
     * @throws IllegalArgumentException when shorter than 128 bits or longer than 128 bytes
     */
    public static TotpSecret fromBytes(byte[] bytes) {
        return new TotpSecret(bytes.clone());
    }

    /**
     * Imports a secret as shown by authenticator apps or another server (Base32, RFC 4648 §6; see
     * {@link Base32#decode} for the accepted spellings).
     *
     * @param base32 the encoded secret
     * @throws IllegalArgumentException for invalid Base32 or a secret under 128 bits; the message never
     *                                  contains the input
     */
    public static TotpSecret fromBase32(String base32) {
        if (base32.length() > MAX_BYTES * 4) {
            throw new IllegalArgumentException("TOTP secret too long");
        }
        return new TotpSecret(Base32.decode(base32));
    }

    /** @return the secret as upper-case unpadded Base32, for an {@code otpauth://} URI or manual entry */
    public String toBase32() {
        return Base32.encode(bytes);
    }

    /** @return a copy of the raw secret */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The raw bytes without copying; callers in this package must not modify them. */
    byte[] unsafeBytes() {
        return bytes;
    }

    /** @return the secret length in bits */
    public int bits() {
        return bytes.length * 8;
    }

    /** Constant-time comparison ({@link MessageDigest#isEqual}). */
    @Override
    public boolean equals(Object o) {
        return o instanceof TotpSecret && MessageDigest.isEqual(bytes, ((TotpSecret) o).bytes);
    }

    /** Depends only on the length, so hashing reveals nothing about the secret. */
    @Override
    public int hashCode() {
        return bytes.length;
    }

    /** @return {@code TotpSecret[160 bits, redacted]}; never the secret */
    @Override
    public String toString() {
        return "TotpSecret[" + bits() + " bits, redacted]";
    }
}
