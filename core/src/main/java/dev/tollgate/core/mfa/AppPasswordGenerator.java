package dev.tollgate.core.mfa;

import java.security.SecureRandom;
import java.util.Locale;

/**
 * Makes app passwords: random strings for mail clients that cannot send a one-time code.
 *
 * <p>Characters come uniformly from an unambiguous 31-symbol alphabet, lower-case letters without
 * {@code i l o} and digits {@code 2-9} (no {@code 0/O}, {@code 1/l/I}), so about 4.95 bits each: the
 * default 20 characters carry about 99 bits, beyond online and offline guessing. Optionally grouped with
 * hyphens for reading aloud ({@code abcd-efgh-...}); groups, spaces and case are ignored when checking
 * (see {@link #normalize}). Immutable and thread-safe.
 */
public final class AppPasswordGenerator {
    /** The alphabet, 31 symbols without look-alikes. */
    public static final String ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";
    /** Minimum (and default) number of random characters. */
    public static final int MIN_LENGTH = 20;
    /** Maximum number of random characters. */
    public static final int MAX_LENGTH = 64;

    private static final SecureRandom SHARED = new SecureRandom();

    private final SecureRandom random;
    private final int length;
    private final int groupSize;

    private AppPasswordGenerator(SecureRandom random, int length, int groupSize) {
        if (length < MIN_LENGTH || length > MAX_LENGTH) {
            throw new IllegalArgumentException("app password length must be " + MIN_LENGTH + ".." + MAX_LENGTH);
        }
        if (groupSize < 0 || groupSize > length) {
            throw new IllegalArgumentException("group size must be 0 (none) .. length");
        }
        this.random = random;
        this.length = length;
        this.groupSize = groupSize;
    }

    /** @return 20 characters in groups of 4, e.g. {@code k7mq-x2rt-9vhz-pd4n-wcae} */
    public static AppPasswordGenerator defaults() {
        return new AppPasswordGenerator(SHARED, MIN_LENGTH, 4);
    }

    /** @param length random characters, 20..64 */
    public AppPasswordGenerator withLength(int length) {
        return new AppPasswordGenerator(random, length, Math.min(groupSize, length));
    }

    /** @param groupSize characters per hyphen-separated group; 0 for no grouping */
    public AppPasswordGenerator withGroupSize(int groupSize) {
        return new AppPasswordGenerator(random, length, groupSize);
    }

    /** @param random the randomness source (tests may pass a seeded one) */
    public AppPasswordGenerator withRandom(SecureRandom random) {
        return new AppPasswordGenerator(random, length, groupSize);
    }

    /** @return a new app password to show the user once */
    public String generate() {
        StringBuilder sb = new StringBuilder(length + length / Math.max(groupSize, 1));
        for (int i = 0; i < length; i++) {
            if (groupSize > 0 && i > 0 && i % groupSize == 0) {
                sb.append('-');
            }
            sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    /**
     * The canonical form that is hashed and compared: hyphens and spaces removed, lower-cased
     * ({@link Locale#ROOT}), so {@code "K7MQ X2RT-..."} matches {@code "k7mqx2rt..."}.
     */
    public static String normalize(CharSequence typed) {
        StringBuilder sb = new StringBuilder(typed.length());
        for (int i = 0; i < typed.length(); i++) {
            char c = typed.charAt(i);
            if (c != '-' && c != ' ') {
                sb.append(c);
            }
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return "AppPasswordGenerator[" + length + " chars, groups of " + groupSize + "]";
    }
}
