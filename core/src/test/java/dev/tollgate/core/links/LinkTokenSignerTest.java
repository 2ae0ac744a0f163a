package dev.tollgate.core.links;

import dev.tollgate.core.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Parameters;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LinkTokenSignerTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private final MutableClock clock = new MutableClock(T0);
    private final byte[] key1 = randomKey(32);
    private final byte[] key2 = randomKey(48);

    private static byte[] randomKey(int n) {
        byte[] k = new byte[n];
        new SecureRandom().nextBytes(k);
        return k;
    }

    private LinkTokenSigner signer() {
        return LinkTokenSigner.builder().signingKey("k1", key1).clock(clock).build();
    }

    @Test
    void roundTripCarriesAllFields() {
        String url = "https://example.com/reset?token=s3cr3t&x=ü";
        String token = signer().sign(url, "rcpt-42", "<abc@mail.example>");
        assertThat(token).matches("[A-Za-z0-9_-]+");
        LinkTokenSigner.Verification v = signer().verify(token);
        assertThat(v.status()).isEqualTo(LinkTokenSigner.Status.VALID);
        LinkToken t = v.token().orElseThrow();
        assertThat(t.version()).isEqualTo(1);
        assertThat(t.keyId()).isEqualTo("k1");
        assertThat(t.issuedAt()).isEqualTo(T0);
        assertThat(t.url()).isEqualTo(url);
        assertThat(t.recipientId()).isEqualTo("rcpt-42");
        assertThat(t.messageId()).isEqualTo("<abc@mail.example>");
        assertThat(t.toString()).doesNotContain("s3cr3t").doesNotContain("rcpt-42");
    }

    @Test
    void everySingleByteChangeIsDetected() {
        String token = signer().sign("https://example.com/a", "r", "m");
        byte[] bytes = Base64.getUrlDecoder().decode(token);
        for (int i = 0; i < bytes.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] copy = bytes.clone();
                copy[i] ^= (byte) (1 << bit);
                String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(copy);
                LinkTokenSigner.Verification v = signer().verify(forged);
                assertThat(v.isValid()).as("byte %d bit %d", i, bit).isFalse();
                assertThat(v.status()).as("byte %d bit %d", i, bit).isIn(LinkTokenSigner.Status.TAMPERED,
                        LinkTokenSigner.Status.MALFORMED, LinkTokenSigner.Status.UNKNOWN_KEY);
                assertThat(v.token()).isEmpty();
            }
        }
    }

    @Test
    void changedPayloadByteIsTampered() {
        String token = signer().sign("https://example.com/a", "r", "m");
        byte[] bytes = Base64.getUrlDecoder().decode(token);
        int urlByte = 2 + 2 + 8 + 2 + 8; // inside "https://..."
        bytes[urlByte] = (byte) 'X';
        assertThat(signer().verify(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes)).status())
                .isEqualTo(LinkTokenSigner.Status.TAMPERED);
    }

    @Test
    void everyCharacterChangeIsDetected() {
        String token = signer().sign("https://example.com/a", "r", "m");
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            String forged = token.substring(0, i) + (c == 'A' ? 'B' : 'A') + token.substring(i + 1);
            assertThat(signer().verify(forged).isValid()).as("char %d", i).isFalse();
        }
    }

    @Test
    void truncatedOversizedAndGarbageAreMalformed() {
        String token = signer().sign("https://example.com/a", "r", "m");
        for (int cut = 0; cut < token.length(); cut++) {
            assertThat(signer().verify(token.substring(0, cut)).isValid()).isFalse();
        }
        assertThat(signer().verify(token.substring(0, token.length() - 1)).status())
                .isIn(LinkTokenSigner.Status.MALFORMED, LinkTokenSigner.Status.TAMPERED);
        assertThat(signer().verify("A".repeat(5000)).status()).isEqualTo(LinkTokenSigner.Status.MALFORMED);
        assertThat(signer().verify(token + "=").status()).isEqualTo(LinkTokenSigner.Status.MALFORMED);
        assertThat(signer().verify("+" + token.substring(1)).status()).isEqualTo(LinkTokenSigner.Status.MALFORMED);
        assertThat(signer().verify("not a token!").status()).isEqualTo(LinkTokenSigner.Status.MALFORMED);
        assertThat(signer().verify(null).status()).isEqualTo(LinkTokenSigner.Status.MALFORMED);
        assertThat(signer().verify("").status()).isEqualTo(LinkTokenSigner.Status.MALFORMED);
    }

    @Test
    void appendedBytesAreRejected() {
        String token = signer().sign("https://example.com/a", "r", "m");
        byte[] bytes = Base64.getUrlDecoder().decode(token);
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 3);
        assertThat(signer().verify(Base64.getUrlEncoder().withoutPadding().encodeToString(longer)).isValid())
                .isFalse();
    }

    @Test
    void rotationAcceptsOldKeysAndRefusesUnknownOnes() {
        String oldToken = signer().sign("https://example.com/old", "", "");
        LinkTokenSigner rotated = LinkTokenSigner.builder().signingKey("k2", key2).verificationKey("k1", key1)
                .clock(clock).build();
        assertThat(rotated.verify(oldToken).status()).isEqualTo(LinkTokenSigner.Status.VALID);
        String newToken = rotated.sign("https://example.com/new", "", "");
        assertThat(rotated.verify(newToken).token().orElseThrow().keyId()).isEqualTo("k2");
        assertThat(signer().verify(newToken).status()).isEqualTo(LinkTokenSigner.Status.UNKNOWN_KEY);
    }

    @Test
    void sameKeyIdWithOtherKeyMaterialIsTampered() {
        String token = signer().sign("https://example.com/", "", "");
        LinkTokenSigner impostor = LinkTokenSigner.builder().signingKey("k1", key2).clock(clock).build();
        assertThat(impostor.verify(token).status()).isEqualTo(LinkTokenSigner.Status.TAMPERED);
    }

    @Test
    void expiryUsesTheInjectedClock() {
        LinkTokenSigner expiring = LinkTokenSigner.builder().signingKey("k1", key1).clock(clock)
                .maxAge(Duration.ofDays(30)).build();
        String token = expiring.sign("https://example.com/", "", "");
        clock.advance(Duration.ofDays(30));
        assertThat(expiring.verify(token).status()).isEqualTo(LinkTokenSigner.Status.VALID);
        clock.advance(Duration.ofSeconds(1));
        LinkTokenSigner.Verification v = expiring.verify(token);
        assertThat(v.status()).isEqualTo(LinkTokenSigner.Status.EXPIRED);
        assertThat(v.isValid()).isFalse();
        assertThat(v.token()).isPresent();
        // Without maxAge, tokens never expire.
        assertThat(signer().verify(token).isValid()).isTrue();
    }

    @Test
    void tokensFromTheFutureAreNotYetValid() {
        MutableClock future = new MutableClock(T0.plus(Duration.ofHours(1)));
        String token = LinkTokenSigner.builder().signingKey("k1", key1).clock(future).build()
                .sign("https://example.com/", "", "");
        LinkTokenSigner verifier = LinkTokenSigner.builder().signingKey("k1", key1).clock(clock)
                .maxAge(Duration.ofDays(1)).build();
        assertThat(verifier.verify(token).status()).isEqualTo(LinkTokenSigner.Status.NOT_YET_VALID);
    }

    @Test
    void tokensFromTheFutureAreNotYetValidWithoutAMaximumAgeToo() {
        MutableClock future = new MutableClock(T0.plus(Duration.ofMinutes(6)));
        String token = LinkTokenSigner.builder().signingKey("k1", key1).clock(future).build()
                .sign("https://example.com/", "", "");
        assertThat(signer().verify(token).status()).isEqualTo(LinkTokenSigner.Status.NOT_YET_VALID);
        assertThat(signer().verify(token).isValid()).isFalse();
        String edge = LinkTokenSigner.builder().signingKey("k1", key1).clock(new MutableClock(T0.plus(Duration.ofMinutes(5)))).build()
                .sign("https://example.com/", "", "");
        assertThat(signer().verify(edge).status()).as("within five minutes of skew").isEqualTo(LinkTokenSigner.Status.VALID);
    }

    @Test
    void unknownKeyOnlyForAWellFormedTokenElseMalformed() {
        LinkTokenSigner other = LinkTokenSigner.builder().signingKey("gone", key2).clock(clock).build();
        String token = other.sign("https://example.com/", "r", "m");
        assertThat(signer().verify(token).status()).isEqualTo(LinkTokenSigner.Status.UNKNOWN_KEY);
        assertThat(signer().verify(token).token()).isEmpty();
        byte[] bytes = Base64.getUrlDecoder().decode(token);
        byte[] cut = Arrays.copyOf(bytes, bytes.length - 1);
        assertThat(signer().verify(Base64.getUrlEncoder().withoutPadding().encodeToString(cut)).status())
                .as("a field that does not add up").isEqualTo(LinkTokenSigner.Status.MALFORMED);
        byte[] badId = bytes.clone();
        badId[2] = (byte) ' ';
        assertThat(signer().verify(Base64.getUrlEncoder().withoutPadding().encodeToString(badId)).status())
                .as("a key id no key could have").isEqualTo(LinkTokenSigner.Status.MALFORMED);
    }

    @Test
    void refusesShortKeysAndBadIdsWithoutLeakingKeys() {
        assertThatThrownBy(() -> LinkTokenSigner.builder().signingKey("k", new byte[31]))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).parameter())
                        .isEqualTo(LinkTokenSigner.PARAM_SIGNING_KEY));
        assertThatThrownBy(() -> LinkTokenSigner.builder().signingKey("bad id", key1))
                .isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> LinkTokenSigner.builder().verificationKey("k", new byte[16]))
                .isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> LinkTokenSigner.builder().verificationKey("k1", key1).build())
                .isInstanceOf(ConfigException.class);
        String b64 = Base64.getEncoder().encodeToString(new byte[20]);
        assertThatThrownBy(() -> LinkTokenSigner.fromParameters(
                Parameters.of(Map.of(LinkTokenSigner.PARAM_SIGNING_KEY, "k1:" + b64)), clock))
                .isInstanceOf(ConfigException.class)
                .hasMessageNotContaining(b64);
        assertThat(signer().toString()).contains("k1").doesNotContain(Base64.getEncoder().encodeToString(key1));
    }

    @Test
    void buildsFromParameters() {
        String k1 = Base64.getEncoder().encodeToString(key1);
        String k2 = Base64.getUrlEncoder().encodeToString(key2);
        LinkTokenSigner fromParams = LinkTokenSigner.fromParameters(Parameters.of(Map.of(
                LinkTokenSigner.PARAM_SIGNING_KEY, "k2:" + k2,
                LinkTokenSigner.PARAM_VERIFICATION_KEYS, "k1:" + k1,
                LinkTokenSigner.PARAM_MAX_AGE, "30d")), clock);
        assertThat(fromParams.signingKeyId()).isEqualTo("k2");
        assertThat(fromParams.verify(signer().sign("https://example.com/", "", "")).isValid()).isTrue();
    }

    @Test
    void refusesToIssueOversizedTokens() {
        String huge = "https://example.com/" + "a".repeat(4000);
        assertThatThrownBy(() -> signer().sign(huge, "", "")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("aaaa");
        String fits = "https://example.com/" + "a".repeat(2900);
        assertThat(signer().sign(fits, "", "").length()).isLessThanOrEqualTo(LinkTokenSigner.MAX_TOKEN_LENGTH);
        assertThat(fits.getBytes(StandardCharsets.UTF_8)).hasSizeGreaterThan(2900);
    }
}
