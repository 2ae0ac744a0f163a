package dev.tollgate.core.mfa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.util.concurrent.Striped;
import dev.tollgate.core.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@link SecretStore} in one directory, one file per user, encrypted at rest with AES-256-GCM
 * (NIST SP 800-38D).
 *
 * <ul>
 *   <li>Key: 32 bytes from configuration ({@link #keyFromBase64}). Two sub-keys are derived with
 *       HMAC-SHA-256 under fixed labels: one encrypts, the other names files.</li>
 *   <li>File name: hex HMAC-SHA-256 of the user name (UTF-8) plus {@code .mfa}, so the directory listing
 *       does not reveal who is enrolled.</li>
 *   <li>File content: {@code "TGM1"}, a random 96-bit nonce (fresh per write), then the GCM ciphertext
 *       with its 128-bit tag. The associated data is the magic plus the file name, so a record copied
 *       to another user's file does not decrypt.</li>
 *   <li>Writes go to a temporary file in the same directory, are forced to disk, then moved over the
 *       record with {@code ATOMIC_MOVE}. Writers of one user are serialised in this JVM by a striped lock
 *       and across processes by an exclusive {@link FileLock} on {@code <name>.lock} (lock files are kept,
 *       they hold no data). Readers need no lock.</li>
 *   <li>Records over 1 MiB are refused when reading.</li>
 * </ul>
 *
 * <p>A wrong key, a truncated or tampered file, unparsable content and any I/O error raise
 * {@link SecretStoreException}. User names are used exactly as given. Thread-safe.
 */
public final class FileSecretStore implements SecretStore {
    /** Required key length: 32 bytes (AES-256). */
    public static final int KEY_BYTES = 32;
    /** Largest record read, in bytes. */
    public static final int MAX_RECORD_BYTES = 1 << 20;

    private static final byte[] MAGIC = {'T', 'G', 'M', '1'};
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String SUFFIX = ".mfa";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path directory;
    private final SecretKeySpec encryptionKey;
    private final byte[] nameKey;
    private final Striped<Lock> locks = Striped.lock(64);

    private FileSecretStore(Path directory, byte[] key) {
        this.directory = directory;
        this.encryptionKey = new SecretKeySpec(hmac(key, "tollgate mfa store v1: encryption"), "AES");
        this.nameKey = hmac(key, "tollgate mfa store v1: file names");
    }

    /**
     * Opens (creating if needed, with owner-only permissions where POSIX) a store directory.
     *
     * @param directory the directory holding the records
     * @param key       32 secret bytes; copied, not retained
     * @throws IllegalArgumentException for a key that is not 32 bytes
     * @throws SecretStoreException     when the directory cannot be created or is not a directory
     */
    public static FileSecretStore open(Path directory, byte[] key) throws SecretStoreException {
        if (key == null || key.length != KEY_BYTES) {
            throw new IllegalArgumentException("MFA store key must be exactly 32 bytes");
        }
        try {
            if (!Files.isDirectory(directory)) {
                if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                    Files.createDirectories(directory,
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectories(directory);
                }
            }
        } catch (IOException e) {
            throw new SecretStoreException("cannot create MFA store directory " + directory, e);
        }
        return new FileSecretStore(directory, key);
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
        return directory;
    }

    @Override
    public Optional<MfaEnrollment> get(String user) throws SecretStoreException {
        String name = fileName(user);
        Path file = directory.resolve(name);
        byte[] content;
        try (InputStream in = Files.newInputStream(file)) {
            content = in.readNBytes(MAX_RECORD_BYTES + 1);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new SecretStoreException("cannot read MFA record " + name, e);
        }
        if (content.length > MAX_RECORD_BYTES) {
            throw new SecretStoreException("MFA record " + name + " is larger than " + MAX_RECORD_BYTES + " bytes");
        }
        byte[] plain = decrypt(name, content);
        try {
            return Optional.of(fromJson(JSON.readTree(plain)));
        } catch (IOException | RuntimeException e) {
            throw new SecretStoreException("MFA record " + name + " has invalid content");
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    @Override
    public void put(String user, MfaEnrollment enrollment) throws SecretStoreException {
        String name = fileName(user);
        byte[] plain;
        try {
            plain = JSON.writeValueAsBytes(toJson(enrollment));
        } catch (IOException e) {
            throw new SecretStoreException("cannot serialise MFA record " + name, e);
        }
        byte[] content;
        try {
            content = encrypt(name, plain);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
        withLock(name, () -> {
            Path tmp = Files.createTempFile(directory, name, ".tmp");
            try {
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    ByteBuffer buf = ByteBuffer.wrap(content);
                    while (buf.hasRemaining()) {
                        ch.write(buf);
                    }
                    ch.force(true);
                }
                Files.move(tmp, directory.resolve(name), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return Boolean.TRUE;
        });
    }

    @Override
    public boolean delete(String user) throws SecretStoreException {
        String name = fileName(user);
        return withLock(name, () -> Files.deleteIfExists(directory.resolve(name)));
    }

    private interface IoAction {
        boolean run() throws IOException;
    }

    private boolean withLock(String name, IoAction action) throws SecretStoreException {
        Lock lock = locks.get(name);
        lock.lock();
        try (FileChannel lockChannel = FileChannel.open(directory.resolve(name + ".lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock ignored = lockChannel.lock()) {
            return action.run();
        } catch (AtomicMoveNotSupportedException e) {
            throw new SecretStoreException("MFA store directory " + directory + " does not support atomic moves", e);
        } catch (IOException e) {
            throw new SecretStoreException("cannot write MFA record " + name, e);
        } finally {
            lock.unlock();
        }
    }

    String fileName(String user) {
        byte[] digest = hmac(nameKey, user);
        StringBuilder sb = new StringBuilder(digest.length * 2 + SUFFIX.length());
        for (byte b : digest) {
            sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.append(SUFFIX).toString();
    }

    private byte[] encrypt(String name, byte[] plain) throws SecretStoreException {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, encryptionKey, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad(name));
            byte[] sealed = cipher.doFinal(plain);
            ByteBuffer out = ByteBuffer.allocate(MAGIC.length + NONCE_BYTES + sealed.length);
            return out.put(MAGIC).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new SecretStoreException("cannot encrypt MFA record " + name, e);
        }
    }

    private byte[] decrypt(String name, byte[] content) throws SecretStoreException {
        if (content.length < MAGIC.length + NONCE_BYTES + TAG_BITS / 8
                || !Arrays.equals(Arrays.copyOf(content, MAGIC.length), MAGIC)) {
            throw new SecretStoreException("MFA record " + name + " is truncated or not a Tollgate record");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, encryptionKey,
                    new GCMParameterSpec(TAG_BITS, content, MAGIC.length, NONCE_BYTES));
            cipher.updateAAD(aad(name));
            int offset = MAGIC.length + NONCE_BYTES;
            return cipher.doFinal(content, offset, content.length - offset);
        } catch (AEADBadTagException e) {
            throw new SecretStoreException("cannot decrypt MFA record " + name
                    + ": wrong store key, or the file was modified or moved");
        } catch (GeneralSecurityException e) {
            throw new SecretStoreException("cannot decrypt MFA record " + name, e);
        }
    }

    private static byte[] aad(String name) {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(MAGIC.length + n.length).put(MAGIC).put(n).array();
    }

    private static byte[] hmac(byte[] key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static ObjectNode toJson(MfaEnrollment e) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", 1);
        if (e.secret().isPresent()) {
            ObjectNode totp = root.putObject("totp");
            totp.put("secret", e.secret().get().toBase32());
            totp.put("algorithm", e.algorithm().name());
            totp.put("digits", e.digits());
            totp.put("confirmed", e.isConfirmed());
        }
        e.lastAcceptedStep().ifPresent(s -> root.put("lastAcceptedStep", s.value()));
        ArrayNode apps = root.putArray("appPasswords");
        for (AppPassword a : e.appPasswords()) {
            ObjectNode n = apps.addObject();
            n.put("id", a.id());
            n.put("label", a.label());
            ArrayNode scopes = n.putArray("scopes");
            a.scopes().forEach(s -> scopes.add(s.name()));
            n.put("created", a.created().toString());
            a.lastUsed().ifPresent(t -> n.put("lastUsed", t.toString()));
            a.lastAddress().ifPresent(address -> n.put("lastAddress", address));
            n.put("hash", a.hash());
        }
        return root;
    }

    private static MfaEnrollment fromJson(JsonNode root) {
        if (root.path("version").asInt(-1) != 1) {
            throw new IllegalArgumentException("unsupported record version");
        }
        MfaEnrollment e = MfaEnrollment.empty();
        JsonNode totp = root.get("totp");
        if (totp != null) {
            e = e.withTotp(TotpSecret.fromBase32(text(totp, "secret")),
                    TotpAlgorithm.fromName(text(totp, "algorithm")), totp.path("digits").asInt(-1));
            if (totp.path("confirmed").asBoolean(false)) {
                e = e.confirmed();
            }
        }
        JsonNode step = root.get("lastAcceptedStep");
        if (step != null) {
            if (!step.canConvertToLong()) {
                throw new IllegalArgumentException("bad step");
            }
            e = e.withLastAcceptedStep(TimeStep.of(step.asLong()));
        }
        for (JsonNode n : root.path("appPasswords")) {
            Set<AppPasswordScope> scopes = EnumSet.noneOf(AppPasswordScope.class);
            for (JsonNode s : n.path("scopes")) {
                scopes.add(AppPasswordScope.valueOf(s.asText()));
            }
            JsonNode lastUsed = n.get("lastUsed");
            JsonNode lastAddress = n.get("lastAddress");
            e = e.withAppPassword(AppPassword.restore(text(n, "id"), text(n, "label"), scopes,
                    Instant.parse(text(n, "created")), lastUsed == null ? null : Instant.parse(lastUsed.asText()),
                    lastAddress == null ? null : lastAddress.asText(), text(n, "hash")));
        }
        return e;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("missing field");
        }
        return v.asText();
    }

    @Override
    public String toString() {
        return "FileSecretStore[" + directory + "]";
    }
}
