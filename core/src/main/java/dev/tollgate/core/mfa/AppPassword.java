package dev.tollgate.core.mfa;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A stored app password: identifier, label, allowed protocols, creation and last-use times, the client
 * address of the last use, and the
 * Argon2id hash ({@link AppPasswordHasher}). The plaintext exists only in the {@link Issued} returned
 * once by {@link #issue}; it is never stored here.
 *
 * <p>Immutable value object; {@link #toString()} shows neither hash nor plaintext.
 */
public final class AppPassword {
    /** Longest label accepted, in characters. */
    public static final int MAX_LABEL_LENGTH = 100;
    /** Longest client address kept, in characters (an IPv6 literal with a zone fits). */
    public static final int MAX_ADDRESS_LENGTH = 64;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String id;
    private final String label;
    private final Set<AppPasswordScope> scopes;
    private final Instant created;
    private final Instant lastUsed;
    private final String lastAddress;
    private final String hash;

    private AppPassword(String id, String label, Set<AppPasswordScope> scopes, Instant created, Instant lastUsed,
            String lastAddress, String hash) {
        if (id == null || id.isEmpty() || id.length() > 64) {
            throw new IllegalArgumentException("app password id must be 1..64 characters");
        }
        if (label == null || label.length() > MAX_LABEL_LENGTH) {
            throw new IllegalArgumentException("app password label must be at most " + MAX_LABEL_LENGTH + " characters");
        }
        if (scopes == null || scopes.isEmpty()) {
            throw new IllegalArgumentException("app password needs at least one scope");
        }
        this.id = id;
        this.label = label;
        this.scopes = Collections.unmodifiableSet(EnumSet.copyOf(scopes));
        this.created = Objects.requireNonNull(created, "created");
        this.lastUsed = lastUsed;
        this.lastAddress = lastAddress == null || lastAddress.isEmpty() ? null
                : lastAddress.substring(0, Math.min(lastAddress.length(), MAX_ADDRESS_LENGTH));
        this.hash = Objects.requireNonNull(hash, "hash");
    }

    /**
     * Rebuilds a stored app password, for {@link SecretStore} implementations.
     *
     * @param lastUsed may be null for never used
     * @throws IllegalArgumentException for an empty id or scope set, or an overlong label
     */
    public static AppPassword restore(String id, String label, Set<AppPasswordScope> scopes, Instant created,
            Instant lastUsed, String hash) {
        return new AppPassword(id, label, scopes, created, lastUsed, null, hash);
    }

    /**
     * Rebuilds a stored app password with the client address of its last use, for {@link SecretStore}
     * implementations.
     *
     * @param lastUsed    may be null for never used
     * @param lastAddress the client address of the last use, or null when unknown
     * @throws IllegalArgumentException for an empty id or scope set, or an overlong label
     */
    public static AppPassword restore(String id, String label, Set<AppPasswordScope> scopes, Instant created,
            Instant lastUsed, String lastAddress, String hash) {
        return new AppPassword(id, label, scopes, created, lastUsed, lastAddress, hash);
    }

    /**
     * Creates a new app password: generates the plaintext, hashes it and stamps the creation time.
     *
     * @return the stored form together with the plaintext, to show the user once
     */
    public static Issued issue(String label, Set<AppPasswordScope> scopes, AppPasswordGenerator generator,
            AppPasswordHasher hasher, Clock clock) {
        String plaintext = generator.generate();
        byte[] idBytes = new byte[10];
        RANDOM.nextBytes(idBytes);
        AppPassword stored = new AppPassword(Base32.encode(idBytes).toLowerCase(java.util.Locale.ROOT), label,
                scopes, clock.instant(), null, null, hasher.hash(plaintext));
        return new Issued(stored, plaintext);
    }

    /**
     * @return whether {@code candidate} is this app password and {@code scope} is allowed; constant-time
     *         on the hash (see {@link AppPasswordHasher#verify})
     */
    public boolean matches(CharSequence candidate, AppPasswordScope scope, AppPasswordHasher hasher) {
        boolean ok = hasher.verify(candidate, hash);
        return ok && scopes.contains(scope);
    }

    /** @return a copy with {@code lastUsed} set (the last address is kept) */
    public AppPassword withLastUsed(Instant when) {
        return new AppPassword(id, label, scopes, created, when, lastAddress, hash);
    }

    /**
     * @param when    the instant of the use
     * @param address the client address (IP literal), or null when unknown
     * @return a copy recording one use: last-use time and client address
     */
    public AppPassword withLastUse(Instant when, String address) {
        return new AppPassword(id, label, scopes, created, when, address, hash);
    }

    /** @return the random identifier (16 Base32 characters), used to revoke it */
    public String id() {
        return id;
    }

    /** @return the user's label, e.g. {@code "Thunderbird on laptop"} */
    public String label() {
        return label;
    }

    /** @return the allowed protocols; unmodifiable */
    public Set<AppPasswordScope> scopes() {
        return scopes;
    }

    /** @return when it was issued */
    public Instant created() {
        return created;
    }

    /** @return when it was last used, empty if never */
    public Optional<Instant> lastUsed() {
        return Optional.ofNullable(lastUsed);
    }

    /** @return the client address (IP literal) of the last use, empty if never used or unknown */
    public Optional<String> lastAddress() {
        return Optional.ofNullable(lastAddress);
    }

    /** @return the Argon2id PHC string */
    public String hash() {
        return hash;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof AppPassword)) {
            return false;
        }
        AppPassword a = (AppPassword) o;
        return id.equals(a.id) && label.equals(a.label) && scopes.equals(a.scopes) && created.equals(a.created)
                && Objects.equals(lastUsed, a.lastUsed) && Objects.equals(lastAddress, a.lastAddress)
                && hash.equals(a.hash);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, label, scopes, created, lastUsed);
    }

    @Override
    public String toString() {
        return "AppPassword[id=" + id + ", label=" + label + ", scopes=" + scopes + ", created=" + created
                + ", lastUsed=" + lastUsed + ", lastAddress=" + lastAddress + "]";
    }

    /** A freshly issued app password with its one-time visible plaintext. Immutable. */
    public static final class Issued {
        private final AppPassword appPassword;
        private final String plaintext;

        private Issued(AppPassword appPassword, String plaintext) {
            this.appPassword = appPassword;
            this.plaintext = plaintext;
        }

        /** @return the stored form, to put in the user's {@link MfaEnrollment} */
        public AppPassword appPassword() {
            return appPassword;
        }

        /** @return the plaintext, to show the user once and then drop */
        public String plaintext() {
            return plaintext;
        }

        /** @return the stored form only; never the plaintext */
        @Override
        public String toString() {
            return "Issued[" + appPassword + ", plaintext redacted]";
        }
    }
}
