package dev.tollgate.core.mfa;

import java.util.Optional;

/**
 * Storage SPI for {@link MfaEnrollment}s, one per user. Implementations must be thread-safe; a
 * {@link #put} replaces the whole record atomically (readers see the old or the new record, never a mix).
 *
 * <p>Every storage failure is a {@link SecretStoreException}, so the SMTP layer can answer a temporary
 * error (454, RFC 4954 §6) instead of treating it as a wrong password. Implementations fail closed: an
 * unreadable record is an exception, never "not enrolled".
 */
public interface SecretStore {
    /**
     * @param user the user name, exactly as the caller keys it (callers should normalise case)
     * @return the enrolment, or empty when the user has none
     * @throws SecretStoreException when the record exists but cannot be read, decrypted or parsed
     */
    Optional<MfaEnrollment> get(String user) throws SecretStoreException;

    /**
     * Stores (creates or replaces) the user's enrolment.
     *
     * @throws SecretStoreException when it could not be stored durably
     */
    void put(String user, MfaEnrollment enrollment) throws SecretStoreException;

    /**
     * @return whether a record existed and was removed
     * @throws SecretStoreException when removal failed
     */
    boolean delete(String user) throws SecretStoreException;
}
