package dev.tollgate.core.state;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * One link-signing key as a {@link LinkKeyStore} holds it: its id (the {@code keyId} a token names), when it was
 * created (millisecond precision; {@link Instant#EPOCH} when unknown, as for keys written by hand into a key file)
 * and its material: the key bytes themselves in the single-node key file, the key sealed with the MFA store key in
 * a shared store. The material never appears in {@link #toString()}. Immutable.
 */
public final class StoredLinkKey {
    private final String id;
    private final Instant created;
    private final byte[] material;

    /**
     * @param id       1 to 32 characters {@code [A-Za-z0-9._-]}
     * @param created  creation time, truncated to the millisecond
     * @param material the stored bytes, 1 to 4096
     * @throws IllegalArgumentException for an invalid id or empty material
     */
    public StoredLinkKey(String id, Instant created, byte[] material) {
        if (!isValidId(id)) {
            throw new IllegalArgumentException("link key id must be 1 to 32 characters of A-Z a-z 0-9 . _ -");
        }
        if (material == null || material.length == 0 || material.length > 4096) {
            throw new IllegalArgumentException("link key material must be 1 to 4096 bytes");
        }
        this.id = id;
        this.created = Objects.requireNonNull(created, "created").truncatedTo(ChronoUnit.MILLIS);
        this.material = material.clone();
    }

    /** @return whether {@code id} is a valid key id */
    public static boolean isValidId(String id) {
        return id != null && id.matches("[A-Za-z0-9._-]{1,32}");
    }

    /** @return the key id */
    public String id() {
        return id;
    }

    /** @return when it was created; {@link Instant#EPOCH} when unknown */
    public Instant created() {
        return created;
    }

    /** @return a copy of the material */
    public byte[] material() {
        return material.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoredLinkKey && ((StoredLinkKey) o).id.equals(id) && ((StoredLinkKey) o).created.equals(created)
                && java.util.Arrays.equals(((StoredLinkKey) o).material, material);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "StoredLinkKey[" + id + ", created " + created + "]";
    }
}
