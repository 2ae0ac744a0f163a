package dev.tollgate.core.links;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Parameters;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Issues and verifies compact, URL-safe redirect tokens: base64url without padding (RFC 4648 §5) of a
 * binary payload authenticated with HMAC-SHA256 (RFC 2104, FIPS 180-4).
 *
 * <p>Payload, version {@value #VERSION}: {@code version(1) | keyIdLength(1) | keyId(ASCII) |
 * issuedAt(8, epoch seconds, big-endian) | urlLength(2) | url(UTF-8) | recipientLength(2) | recipient |
 * messageIdLength(2) | messageId | HMAC-SHA256(32)}; the MAC covers every byte before it.
 *
 * <p>Keys rotate by id: one active signing key and any number of further keys accepted for verification
 * (the signing key is always accepted). Keys must be at least {@value #MIN_KEY_BYTES} bytes (RFC 2104 §3:
 * not shorter than the hash output). Key ids are 1 to 32 characters {@code [A-Za-z0-9._-]}.
 *
 * <p>Verification never throws on hostile input and never echoes it: it returns a {@link Verification}
 * whose {@link Status} says {@code MALFORMED} (not base64url, non-canonical, truncated, longer than
 * {@value #MAX_TOKEN_LENGTH} characters, unknown version, fields that do not add up), {@code UNKNOWN_KEY} (well-formed,
 * but its key id is not held: a retired key, or a forgery naming an id never issued; the two cannot be told apart), {@code TAMPERED} (MAC
 * mismatch, compared in constant time with {@link MessageDigest#isEqual}), {@code EXPIRED} (only when a maximum age is
 * set) or {@code NOT_YET_VALID} (issued more than five minutes ahead, whatever the maximum age; both measured with
 * the injected {@link Clock}).
 *
 * <p>Immutable and thread-safe; key material never appears in {@link #toString()} or messages.
 */
public final class LinkTokenSigner {
    /** Current token format version. */
    public static final int VERSION = 1;
    /** Minimum key length in bytes. */
    public static final int MIN_KEY_BYTES = 32;
    /** Maximum token length in characters, for signing and verification. */
    public static final int MAX_TOKEN_LENGTH = 4096;
    /** Init parameter: {@code keyId:base64key} of the active signing key. */
    public static final String PARAM_SIGNING_KEY = "tokenSigningKey";
    /** Init parameter: comma-separated {@code keyId:base64key} of further accepted keys. */
    public static final String PARAM_VERIFICATION_KEYS = "tokenVerificationKeys";
    /**
     * Init parameter: maximum token age (a {@link Parameters#duration} value); absent means
     * {@link ClickRedirector.Config#DEFAULT_TOKEN_MAX_AGE}, {@code 0} means no expiry.
     */
    public static final String PARAM_MAX_AGE = "tokenMaxAge";

    private static final String HMAC = "HmacSHA256";
    private static final int MAC_BYTES = 32;
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    /** Outcome of {@link #verify(String)}. */
    public enum Status {
        /** Authentic, and within the maximum age if one is set. */
        VALID,
        /** Not a token of this format: bad characters, padding, length or structure. */
        MALFORMED,
        /** Well-formed, but signed with a key id that is not held (retired, or never issued). */
        UNKNOWN_KEY,
        /** The MAC does not match: some byte was changed. */
        TAMPERED,
        /** Authentic but older than the maximum age. */
        EXPIRED,
        /** Authentic but issued more than five minutes in the future. */
        NOT_YET_VALID
    }

    private final String signingKeyId;
    private final Map<String, SecretKeySpec> keys;
    private final Clock clock;
    private final Duration maxAge;
    /** One initialised MAC per thread for the signing key: getInstance and init cost more than the MAC of a URL. */
    private final ThreadLocal<Mac> signingMac;

    private LinkTokenSigner(Builder b) {
        this.signingKeyId = b.signingKeyId;
        this.keys = Collections.unmodifiableMap(new LinkedHashMap<>(b.keys));
        this.clock = b.clock;
        this.maxAge = b.maxAge;
        SecretKeySpec signingKey = keys.get(signingKeyId);
        this.signingMac = ThreadLocal.withInitial(() -> newMac(signingKey));
    }

    /** @return a builder; a signing key is required */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds a signer from init parameters {@value #PARAM_SIGNING_KEY}, {@value #PARAM_VERIFICATION_KEYS}
     * and {@value #PARAM_MAX_AGE}; keys are written {@code keyId:base64} (standard or URL alphabet).
     *
     * @throws ConfigException naming the parameter, without ever quoting key material
     */
    public static LinkTokenSigner fromParameters(Parameters parameters, Clock clock) {
        Builder b = builder().clock(clock);
        String[] signing = splitKey(PARAM_SIGNING_KEY, parameters.required(PARAM_SIGNING_KEY));
        b.key(PARAM_SIGNING_KEY, signing[0], decodeKey(PARAM_SIGNING_KEY, signing[1]), true);
        for (String entry : parameters.list(PARAM_VERIFICATION_KEYS)) {
            String[] kv = splitKey(PARAM_VERIFICATION_KEYS, entry);
            b.key(PARAM_VERIFICATION_KEYS, kv[0], decodeKey(PARAM_VERIFICATION_KEYS, kv[1]), false);
        }
        Duration maxAge = parameters.duration(PARAM_MAX_AGE, ClickRedirector.Config.DEFAULT_TOKEN_MAX_AGE);
        if (!maxAge.isZero()) {
            b.maxAge(maxAge);
        }
        return b.build();
    }

    private static String[] splitKey(String parameter, String entry) {
        int colon = entry.indexOf(':');
        if (colon <= 0 || colon == entry.length() - 1) {
            throw new ConfigException(parameter, "must be written keyId:base64key");
        }
        return new String[] {entry.substring(0, colon).trim(), entry.substring(colon + 1).trim()};
    }

    private static byte[] decodeKey(String parameter, String base64) {
        try {
            String standard = base64.replace('-', '+').replace('_', '/');
            return Base64.getDecoder().decode(standard);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(parameter, "key is not valid base64");
        }
    }

    /** @return the id of the active signing key */
    public String signingKeyId() {
        return signingKeyId;
    }

    /**
     * Issues a token at the clock's current second with the active key.
     *
     * @param url         the original URL, never null
     * @param recipientId an opaque recipient id, may be empty
     * @param messageId   the message id, may be empty
     * @return the token, at most {@value #MAX_TOKEN_LENGTH} characters of {@code [A-Za-z0-9_-]}
     * @throws IllegalArgumentException when the token would be longer than {@value #MAX_TOKEN_LENGTH}
     */
    public String sign(String url, String recipientId, String messageId) {
        byte[] urlBytes = Objects.requireNonNull(url, "url").getBytes(StandardCharsets.UTF_8);
        byte[] rcptBytes = Objects.requireNonNull(recipientId, "recipientId").getBytes(StandardCharsets.UTF_8);
        byte[] midBytes = Objects.requireNonNull(messageId, "messageId").getBytes(StandardCharsets.UTF_8);
        byte[] kid = signingKeyId.getBytes(StandardCharsets.US_ASCII);
        int payloadLength = 2 + kid.length + 8 + 6 + urlBytes.length + rcptBytes.length + midBytes.length;
        if ((payloadLength + MAC_BYTES) * 4L / 3 + 3 > MAX_TOKEN_LENGTH) {
            throw new IllegalArgumentException("token would exceed " + MAX_TOKEN_LENGTH + " characters");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(payloadLength + MAC_BYTES);
        out.write(VERSION);
        out.write(kid.length);
        out.write(kid, 0, kid.length);
        long issuedAt = clock.instant().getEpochSecond();
        for (int shift = 56; shift >= 0; shift -= 8) {
            out.write((int) (issuedAt >>> shift));
        }
        writeField(out, urlBytes);
        writeField(out, rcptBytes);
        writeField(out, midBytes);
        byte[] payload = out.toByteArray();
        Mac signing = signingMac.get();
        signing.update(payload, 0, payload.length);
        byte[] mac = signing.doFinal(); // doFinal resets the MAC for the next token
        out.write(mac, 0, mac.length);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(out.toByteArray());
    }

    private static void writeField(ByteArrayOutputStream out, byte[] bytes) {
        out.write(bytes.length >>> 8);
        out.write(bytes.length);
        out.write(bytes, 0, bytes.length);
    }

    /**
     * Checks a token. Never throws for any input, including null.
     *
     * @return the status and, when {@link Status#VALID} (or {@code EXPIRED}/{@code NOT_YET_VALID}, which
     *     are authentic), the decoded token
     */
    public Verification verify(String token) {
        if (token == null || token.length() > MAX_TOKEN_LENGTH || token.isEmpty()) {
            return Verification.failed(Status.MALFORMED);
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
                return Verification.failed(Status.MALFORMED);
            }
        }
        final byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            return Verification.failed(Status.MALFORMED);
        }
        // Reject encodings whose unused trailing bits are set: one token, one spelling.
        if (!Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(token)) {
            return Verification.failed(Status.MALFORMED);
        }
        if (bytes.length < 2 + 1 + 8 + 6 + MAC_BYTES || (bytes[0] & 0xff) != VERSION) {
            return Verification.failed(Status.MALFORMED);
        }
        int kidLength = bytes[1] & 0xff;
        if (kidLength < 1 || kidLength > 32 || 2 + kidLength + 8 + 6 + MAC_BYTES > bytes.length) {
            return Verification.failed(Status.MALFORMED);
        }
        String keyId = new String(bytes, 2, kidLength, StandardCharsets.US_ASCII);
        int macOffset = bytes.length - MAC_BYTES;
        // The structure is read before the key is looked up: UNKNOWN_KEY means a well-formed token of this
        // format whose key is not (or no longer) held, as a token signed with a retired key is.
        ByteBuffer in = ByteBuffer.wrap(bytes, 2 + kidLength, macOffset - 2 - kidLength);
        long issuedAt = in.getLong();
        String url = readField(in);
        String recipient = url == null ? null : readField(in);
        String messageId = recipient == null ? null : readField(in);
        if (messageId == null || in.hasRemaining() || !keyId.matches("[A-Za-z0-9._-]{1,32}")) {
            return Verification.failed(Status.MALFORMED);
        }
        SecretKeySpec key = keys.get(keyId);
        if (key == null) {
            return Verification.failed(Status.UNKNOWN_KEY);
        }
        byte[] expected = mac(key, bytes, macOffset);
        byte[] actual = new byte[MAC_BYTES];
        System.arraycopy(bytes, macOffset, actual, 0, MAC_BYTES);
        if (!MessageDigest.isEqual(expected, actual)) {
            return Verification.failed(Status.TAMPERED);
        }
        LinkToken decoded = new LinkToken(VERSION, keyId, Instant.ofEpochSecond(issuedAt), url, recipient, messageId);
        Instant now = clock.instant();
        // A token from the future is refused whatever the lifetime: without this check a token minted with a
        // clock set ahead would outlive any later maxAge.
        if (decoded.issuedAt().isAfter(now.plus(CLOCK_SKEW))) {
            return new Verification(Status.NOT_YET_VALID, decoded);
        }
        if (maxAge != null && decoded.issuedAt().plus(maxAge).isBefore(now)) {
            return new Verification(Status.EXPIRED, decoded);
        }
        return new Verification(Status.VALID, decoded);
    }

    private static String readField(ByteBuffer in) {
        if (in.remaining() < 2) {
            return null;
        }
        int length = in.getShort() & 0xffff;
        if (in.remaining() < length) {
            return null;
        }
        byte[] b = new byte[length];
        in.get(b);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static Mac newMac(SecretKeySpec key) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static byte[] mac(SecretKeySpec key, byte[] data, int length) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            mac.update(data, 0, length);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "LinkTokenSigner[signingKey=" + signingKeyId + ", acceptedKeys=" + keys.keySet()
                + (maxAge == null ? "" : ", maxAge=" + maxAge) + "]";
    }

    /** The result of {@link #verify(String)}. Immutable. */
    public static final class Verification {
        private final Status status;
        private final LinkToken token;

        Verification(Status status, LinkToken token) {
            this.status = status;
            this.token = token;
        }

        static Verification failed(Status status) {
            return new Verification(status, null);
        }

        /** @return the status */
        public Status status() {
            return status;
        }

        /** @return true only for {@link Status#VALID} */
        public boolean isValid() {
            return status == Status.VALID;
        }

        /** @return the authenticated token; present for VALID, EXPIRED and NOT_YET_VALID */
        public Optional<LinkToken> token() {
            return Optional.ofNullable(token);
        }

        @Override
        public String toString() {
            return "Verification[" + status + "]";
        }
    }

    /** Builder for {@link LinkTokenSigner}; not thread-safe. */
    public static final class Builder {
        private String signingKeyId;
        private final Map<String, SecretKeySpec> keys = new LinkedHashMap<>();
        private Clock clock = Clock.systemUTC();
        private Duration maxAge;

        private Builder() {
        }

        /**
         * Sets the active signing key, also accepted for verification.
         *
         * @throws ConfigException ({@value #PARAM_SIGNING_KEY}) for a bad key id or a key under
         *     {@value #MIN_KEY_BYTES} bytes
         */
        public Builder signingKey(String keyId, byte[] key) {
            return key(PARAM_SIGNING_KEY, keyId, key, true);
        }

        /**
         * Adds a key accepted for verification only (a retired signing key during rotation).
         *
         * @throws ConfigException ({@value #PARAM_VERIFICATION_KEYS}) for a bad key id, a duplicate id or a
         *     key under {@value #MIN_KEY_BYTES} bytes
         */
        public Builder verificationKey(String keyId, byte[] key) {
            return key(PARAM_VERIFICATION_KEYS, keyId, key, false);
        }

        Builder key(String parameter, String keyId, byte[] key, boolean signing) {
            if (keyId == null || !keyId.matches("[A-Za-z0-9._-]{1,32}")) {
                throw new ConfigException(parameter, "key id must be 1 to 32 characters of A-Z a-z 0-9 . _ -");
            }
            if (key == null || key.length < MIN_KEY_BYTES) {
                throw new ConfigException(parameter, "key '" + keyId + "' must be at least " + MIN_KEY_BYTES
                        + " bytes");
            }
            if (keys.containsKey(keyId) && !(signing && keyId.equals(signingKeyId))) {
                throw new ConfigException(parameter, "key id '" + keyId + "' is defined twice");
            }
            if (signing && signingKeyId != null) {
                keys.remove(signingKeyId);
            }
            keys.put(keyId, new SecretKeySpec(key, HMAC));
            if (signing) {
                signingKeyId = keyId;
            }
            return this;
        }

        /** @param clock the clock for issue times and expiry checks; default system UTC */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /**
         * @param maxAge tokens older than this verify as {@link Status#EXPIRED}; default: no expiry
         * @throws IllegalArgumentException unless positive
         */
        public Builder maxAge(Duration maxAge) {
            if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
                throw new IllegalArgumentException("maxAge must be positive");
            }
            this.maxAge = maxAge;
            return this;
        }

        /** @throws ConfigException ({@value #PARAM_SIGNING_KEY}) when no signing key was set */
        public LinkTokenSigner build() {
            if (signingKeyId == null) {
                throw new ConfigException(PARAM_SIGNING_KEY, "is required");
            }
            return new LinkTokenSigner(this);
        }
    }
}
