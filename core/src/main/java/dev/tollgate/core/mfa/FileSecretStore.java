package dev.tollgate.core.mfa;

import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.state.StateException;
import dev.tollgate.core.state.file.FileStateStore;
import dev.tollgate.core.state.memory.InMemoryFailureLog;

/**
 * {@link SecretStore} in one directory, one file per user, encrypted at rest with AES-256-GCM: a
 * {@link SealedSecretStore} over the records of a {@link FileStateStore}, in the format {@link RecordSealer}
 * describes (file name: hex HMAC-SHA-256 of the user name plus {@code .mfa}; content: {@code "TGM1"}, nonce,
 * ciphertext and tag). Writes are atomic (temporary file, forced, atomic move) and serialised per user in this JVM
 * and across processes by a file lock; records over 1 MiB are refused. A wrong key, a truncated or tampered file,
 * unparsable content and any I/O error raise {@link SecretStoreException}. User names are used exactly as given.
 * Thread-safe.
 */
public final class FileSecretStore implements SecretStore {
    /** Required key length: 32 bytes (AES-256). */
    public static final int KEY_BYTES = RecordSealer.KEY_BYTES;
    /** Largest record read, in bytes. */
    public static final int MAX_RECORD_BYTES = RecordSealer.MAX_RECORD_BYTES;

    private final FileStateStore state;
    private final RecordSealer sealer;
    private final SealedSecretStore store;

    private FileSecretStore(FileStateStore state, RecordSealer sealer) {
        this.state = state;
        this.sealer = sealer;
        this.store = new SealedSecretStore(state.records(), sealer, state.describe());
    }

    /**
     * Opens (creating if needed, with owner-only permissions where POSIX) a store directory.
     *
     * @param directory the directory holding the records
     * @param key       32 secret bytes; not retained
     * @throws IllegalArgumentException for a key that is not 32 bytes
     * @throws SecretStoreException     when the directory cannot be created or is not a directory
     */
    public static FileSecretStore open(Path directory, byte[] key) throws SecretStoreException {
        RecordSealer sealer = new RecordSealer(key);
        try {
            return new FileSecretStore(FileStateStore.open(directory, InMemoryFailureLog.create()), sealer);
        } catch (StateException e) {
            throw new SecretStoreException("cannot create MFA store directory " + directory, e);
        }
    }

    /**
     * Decodes a store key from configuration (standard or URL-safe Base64 of 32 bytes).
     *
     * @param parameter the init parameter name, for the error
     * @param base64    the configured value
     * @throws ConfigException naming {@code parameter} when the value is missing, not Base64 or not
     *                         32 bytes; the value itself is never quoted
     */
    public static byte[] keyFromBase64(String parameter, String base64) {
        if (base64 == null || base64.trim().isEmpty()) {
            throw new ConfigException(parameter, "a 32-byte Base64 key is required");
        }
        byte[] key;
        String v = base64.trim();
        try {
            key = (v.indexOf('-') >= 0 || v.indexOf('_') >= 0 ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(v);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(parameter, "not valid Base64");
        }
        if (key.length != KEY_BYTES) {
            throw new ConfigException(parameter, "key must decode to 32 bytes, got " + key.length);
        }
        return key;
    }

    /** @return the directory */
    public Path directory() {
        return state.directory();
    }

    /** @return the state store over the same directory (watermarks, app-password uses) */
    public FileStateStore state() {
        return state;
    }

    @Override
    public Optional<MfaEnrollment> get(String user) throws SecretStoreException {
        return store.get(user);
    }

    @Override
    public void put(String user, MfaEnrollment enrollment) throws SecretStoreException {
        store.put(user, enrollment);
    }

    @Override
    public boolean delete(String user) throws SecretStoreException {
        return store.delete(user);
    }

    String fileName(String user) {
        return sealer.recordName(user);
    }

    @Override
    public String toString() {
        return "FileSecretStore[" + state.directory() + "]";
    }
}
