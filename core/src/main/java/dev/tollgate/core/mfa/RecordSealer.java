package dev.tollgate.core.mfa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals {@link MfaEnrollment}s for a {@link dev.tollgate.core.state.SealedRecords} backend with AES-256-GCM
 * (NIST SP 800-38D), in the format Tollgate's file store has always written:
 *
 * <ul>
 *   <li>Key: 32 bytes. Two sub-keys are derived with HMAC-SHA-256 under fixed labels: one encrypts, the other
 *       names records.</li>
 *   <li>Record name: hex HMAC-SHA-256 of the user name (UTF-8) plus {@code .mfa}, so a listing of the store does
 *       not reveal who is enrolled.</li>
 *   <li>Content: {@code "TGM1"}, a random 96-bit nonce (fresh per write), then the GCM ciphertext with its 128-bit
 *       tag. The associated data is the magic plus the record name, so a record copied under another user's name
 *       does not decrypt; copying it under the same name to another backend does.</li>
 * </ul>
 * Thread-safe; holds the derived keys, never the input key.
 */
public final class RecordSealer {
    /** Required key length: 32 bytes (AES-256). */
    public static final int KEY_BYTES = 32;
    /** Largest record read, in bytes. */
    public static final int MAX_RECORD_BYTES = dev.tollgate.core.state.SealedRecords.MAX_RECORD_BYTES;

    private static final byte[] MAGIC = {'T', 'G', 'M', '1'};
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String SUFFIX = ".mfa";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec encryptionKey;
    private final byte[] nameKey;
    /**
     * @param key 32 secret bytes; not retained
     * @throws IllegalArgumentException for a key that is not 32 bytes
     */
    public RecordSealer(byte[] key) {
        if (key == null || key.length != KEY_BYTES) {
            throw new IllegalArgumentException("MFA store key must be exactly 32 bytes");
        }
        this.encryptionKey = new SecretKeySpec(hmac(key, "tollgate mfa store v1: encryption"), "AES");
        this.nameKey = hmac(key, "tollgate mfa store v1: file names");
    }

    /** @return the record name of {@code user} (the key exactly as given): hex HMAC-SHA-256 plus {@code .mfa} */
    public String recordName(String user) {
        byte[] digest = hmac(nameKey, user);
        StringBuilder sb = new StringBuilder(digest.length * 2 + SUFFIX.length());
        for (byte b : digest) {
            sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.append(SUFFIX).toString();
    }

    /**
     * @return the sealed bytes of {@code enrollment} stored under {@code name}
     * @throws SecretStoreException when it cannot be serialised or encrypted
     */
    public byte[] seal(String name, MfaEnrollment enrollment) throws SecretStoreException {
        byte[] plain;
        try {
            plain = JSON.writeValueAsBytes(toJson(enrollment));
        } catch (IOException e) {
            throw new SecretStoreException("cannot serialise MFA record " + name, e);
        }
        try {
            return encrypt(name, plain);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /**
     * @return the enrolment sealed in {@code content} under {@code name}
     * @throws SecretStoreException for a wrong key, a truncated, tampered or renamed record, or invalid content
     */
    public MfaEnrollment open(String name, byte[] content) throws SecretStoreException {
        if (content.length > MAX_RECORD_BYTES) {
            throw new SecretStoreException("MFA record " + name + " is larger than " + MAX_RECORD_BYTES + " bytes");
        }
        byte[] plain = decrypt(name, content);
        try {
            return fromJson(JSON.readTree(plain));
        } catch (IOException | RuntimeException e) {
            throw new SecretStoreException("MFA record " + name + " has invalid content");
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /**
     * Seals other secrets kept beside the enrolments (the link-signing keys of a shared store) with the same key
     * and construction; {@code name} is the associated data, so sealed bytes open only under the name they were
     * sealed with.
     *
     * @param name a name that is not a record name (e.g. {@code link-key:<id>})
     * @throws IllegalArgumentException for a record name
     * @throws SecretStoreException     when encryption fails
     */
    public byte[] sealBytes(String name, byte[] plain) throws SecretStoreException {
        if (dev.tollgate.core.state.SealedRecords.isValidName(name)) {
            throw new IllegalArgumentException("a record name cannot name other secrets");
        }
        return encrypt(name, plain);
    }

    /**
     * @return the bytes sealed by {@link #sealBytes} under {@code name}
     * @throws SecretStoreException for a wrong key, tampered or renamed bytes
     */
    public byte[] openBytes(String name, byte[] content) throws SecretStoreException {
        if (dev.tollgate.core.state.SealedRecords.isValidName(name)) {
            throw new IllegalArgumentException("a record name cannot name other secrets");
        }
        return decrypt(name, content);
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
        return "RecordSealer";
    }
}
