package dev.tollgate.core.state;

import java.util.List;
import java.util.Optional;

/**
 * Opaque, already-encrypted records by name: the MFA enrolments (TOTP secret and app-password hashes), sealed
 * with AES-256-GCM by {@code dev.tollgate.core.mfa.RecordSealer} before they reach a backend. A backend never
 * sees a plaintext secret and never needs the key, so records can be copied between backends as bytes.
 *
 * <p>A {@link #put} replaces the whole record atomically (readers see the old or the new bytes). Concurrent
 * writers of one name: the last write wins. Thread-safe.
 */
public interface SealedRecords {
    /** Largest record accepted, in bytes. */
    int MAX_RECORD_BYTES = 1 << 20;

    /**
     * @param name the record name ({@code [0-9a-f]{64}\.mfa}: an HMAC of the user name, never the name itself)
     * @return the sealed bytes, empty when there is no record
     * @throws StateException when the store cannot answer
     */
    Optional<byte[]> get(String name) throws StateException;

    /** Creates or replaces the record; @throws StateException when it could not be stored durably */
    void put(String name, byte[] sealed) throws StateException;

    /** @return whether a record existed and was removed; @throws StateException when removal failed */
    boolean delete(String name) throws StateException;

    /** @return every record name, for migration; @throws StateException when the store cannot answer */
    List<String> names() throws StateException;

    /** @return whether {@code name} is a record name this SPI accepts */
    static boolean isValidName(String name) {
        return name != null && name.matches("[0-9a-f]{64}\\.mfa");
    }
}
