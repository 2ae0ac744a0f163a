package dev.tollgate.core.mfa;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Hashes app passwords with Argon2id (RFC 9106) from Bouncy Castle, into a self-describing PHC string:
 * {@code $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>} with unpadded standard Base64 salt
 * (16 random bytes) and hash (32 bytes).
 *
 * <p>Defaults {@code m=19456 KiB, t=2, p=1} follow the OWASP password storage recommendation for
 * Argon2id. Passwords are {@link AppPasswordGenerator#normalize normalised} before hashing. Verification
 * reads the parameters from the stored string (so parameters can be raised later), refuses
 * out-of-bounds parameters (at most 256 MiB, 10 passes, 8 lanes) to bound work, and compares with
 * {@link MessageDigest#isEqual}. Immutable and thread-safe.
 */
public final class AppPasswordHasher {
    /** Upper bound on memory accepted when verifying, in KiB (256 MiB). */
    public static final int MAX_MEMORY_KIB = 256 * 1024;
    /** Upper bound on passes accepted when verifying. */
    public static final int MAX_ITERATIONS = 10;
    /** Upper bound on lanes accepted when verifying. */
    public static final int MAX_PARALLELISM = 8;
    /** Longest candidate password examined, in characters. */
    public static final int MAX_PASSWORD_LENGTH = 256;

    private static final String PREFIX = "$argon2id$v=19$";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final int memoryKiB;
    private final int iterations;
    private final int parallelism;

    private AppPasswordHasher(int memoryKiB, int iterations, int parallelism) {
        checkParameters(memoryKiB, iterations, parallelism);
        this.memoryKiB = memoryKiB;
        this.iterations = iterations;
        this.parallelism = parallelism;
    }

    /** @return Argon2id with m=19456 KiB, t=2, p=1 */
    public static AppPasswordHasher defaults() {
        return new AppPasswordHasher(19456, 2, 1);
    }

    /**
     * @param memoryKiB   memory per hash in KiB, at least {@code 8 * parallelism}, at most 256 MiB
     * @param iterations  passes, 1..10
     * @param parallelism lanes, 1..8
     * @throws IllegalArgumentException outside those bounds
     */
    public static AppPasswordHasher argon2id(int memoryKiB, int iterations, int parallelism) {
        return new AppPasswordHasher(memoryKiB, iterations, parallelism);
    }

    private static void checkParameters(int m, int t, int p) {
        if (p < 1 || p > MAX_PARALLELISM || t < 1 || t > MAX_ITERATIONS || m < 8 * p || m > MAX_MEMORY_KIB) {
            throw new IllegalArgumentException("Argon2id parameters out of bounds");
        }
    }

    /**
     * @param password the plaintext app password (normalised before hashing)
     * @return the PHC string with fresh random salt
     * @throws IllegalArgumentException for a password longer than {@link #MAX_PASSWORD_LENGTH}
     */
    public String hash(CharSequence password) {
        if (password.length() > MAX_PASSWORD_LENGTH) {
            throw new IllegalArgumentException("password too long");
        }
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] hash = derive(password, salt, memoryKiB, iterations, parallelism, HASH_BYTES);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return PREFIX + "m=" + memoryKiB + ",t=" + iterations + ",p=" + parallelism + "$"
                + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    /**
     * @param password the candidate as typed
     * @param encoded  a string from {@link #hash}
     * @return whether the candidate matches; {@code false} for an overlong candidate
     * @throws IllegalArgumentException when {@code encoded} is not a valid Argon2id PHC string within
     *                                  bounds (a storage problem, not a wrong password)
     */
    public boolean verify(CharSequence password, String encoded) {
        Parsed p = parse(encoded);
        if (password.length() > MAX_PASSWORD_LENGTH) {
            return false;
        }
        byte[] actual = derive(password, p.salt, p.memoryKiB, p.iterations, p.parallelism, p.hash.length);
        return MessageDigest.isEqual(actual, p.hash);
    }

    /** @return whether {@code encoded} uses weaker parameters than this hasher (re-hash on next login) */
    public boolean needsRehash(String encoded) {
        Parsed p = parse(encoded);
        return p.memoryKiB < memoryKiB || p.iterations < iterations || p.hash.length < HASH_BYTES;
    }

    private static final class Parsed {
        int memoryKiB;
        int iterations;
        int parallelism;
        byte[] salt;
        byte[] hash;
    }

    private static Parsed parse(String encoded) {
        if (encoded == null || encoded.length() > 256 || !encoded.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not an Argon2id v19 hash");
        }
        String[] parts = encoded.substring(PREFIX.length()).split("\\$", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("malformed Argon2id hash");
        }
        String[] params = parts[0].split(",", -1);
        if (params.length != 3 || !params[0].startsWith("m=") || !params[1].startsWith("t=")
                || !params[2].startsWith("p=")) {
            throw new IllegalArgumentException("malformed Argon2id parameters");
        }
        Parsed p = new Parsed();
        p.memoryKiB = number(params[0].substring(2));
        p.iterations = number(params[1].substring(2));
        p.parallelism = number(params[2].substring(2));
        checkParameters(p.memoryKiB, p.iterations, p.parallelism);
        try {
            p.salt = Base64.getDecoder().decode(parts[1]);
            p.hash = Base64.getDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed Argon2id salt or hash encoding");
        }
        if (p.salt.length < 8 || p.salt.length > 64 || p.hash.length < 16 || p.hash.length > 64) {
            throw new IllegalArgumentException("Argon2id salt or hash length out of bounds");
        }
        return p;
    }

    private static int number(String s) {
        if (s.isEmpty() || s.length() > 7 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("malformed Argon2id parameter");
        }
        return Integer.parseInt(s);
    }

    private static byte[] derive(CharSequence password, byte[] salt, int m, int t, int p, int length) {
        byte[] pw = AppPasswordGenerator.normalize(password).getBytes(StandardCharsets.UTF_8);
        try {
            Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                    .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                    .withMemoryAsKB(m)
                    .withIterations(t)
                    .withParallelism(p)
                    .withSalt(salt)
                    .build();
            Argon2BytesGenerator generator = new Argon2BytesGenerator();
            generator.init(params);
            byte[] out = new byte[length];
            generator.generateBytes(pw, out);
            return out;
        } finally {
            Arrays.fill(pw, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return "AppPasswordHasher[argon2id m=" + memoryKiB + " t=" + iterations + " p=" + parallelism + "]";
    }
}
