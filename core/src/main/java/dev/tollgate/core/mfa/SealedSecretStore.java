package dev.tollgate.core.mfa;

import java.util.Optional;

import dev.tollgate.core.state.SealedRecords;
import dev.tollgate.core.state.StateException;

/**
 * {@link SecretStore} over any {@link SealedRecords} backend: enrolments are sealed by a {@link RecordSealer}
 * before they leave this JVM, so a backend (a directory, a Cassandra table) holds only ciphertext under names that
 * do not reveal the user. Every backend failure is a {@link SecretStoreException}. Thread-safe.
 */
public final class SealedSecretStore implements SecretStore {
    private final SealedRecords records;
    private final RecordSealer sealer;
    private final String description;

    /**
     * @param records     the backend
     * @param sealer      seals and names records
     * @param description names the backend in errors and logs (e.g. {@code cassandra:host:9042/tollgate})
     */
    public SealedSecretStore(SealedRecords records, RecordSealer sealer, String description) {
        this.records = records;
        this.sealer = sealer;
        this.description = description;
    }

    /** @return the record name of {@code user} (the key as given) */
    public String recordName(String user) {
        return sealer.recordName(user);
    }

    @Override
    public Optional<MfaEnrollment> get(String user) throws SecretStoreException {
        String name = sealer.recordName(user);
        Optional<byte[]> content;
        try {
            content = records.get(name);
        } catch (StateException e) {
            throw new SecretStoreException("MFA state store " + description + " unavailable: " + e.getMessage(), e);
        }
        if (content.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(sealer.open(name, content.get()));
    }

    @Override
    public void put(String user, MfaEnrollment enrollment) throws SecretStoreException {
        String name = sealer.recordName(user);
        byte[] sealed = sealer.seal(name, enrollment);
        try {
            records.put(name, sealed);
        } catch (StateException e) {
            throw new SecretStoreException("MFA state store " + description + " unavailable: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean delete(String user) throws SecretStoreException {
        try {
            return records.delete(sealer.recordName(user));
        } catch (StateException e) {
            throw new SecretStoreException("MFA state store " + description + " unavailable: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "SealedSecretStore[" + description + "]";
    }
}
