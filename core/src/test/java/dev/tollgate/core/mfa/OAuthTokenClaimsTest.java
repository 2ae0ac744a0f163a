package dev.tollgate.core.mfa;

import static dev.tollgate.core.mfa.OAuthTokenClaims.Verdict.ACCEPTED;
import static dev.tollgate.core.mfa.OAuthTokenClaims.Verdict.EXPIRED;
import static dev.tollgate.core.mfa.OAuthTokenClaims.Verdict.MALFORMED;
import static dev.tollgate.core.mfa.OAuthTokenClaims.Verdict.NOT_YET_VALID;
import static dev.tollgate.core.mfa.OAuthTokenClaims.Verdict.NO_MFA;
import static dev.tollgate.core.mfa.OAuthTokenClaims.Verdict.WRONG_AUDIENCE;
import static dev.tollgate.core.mfa.OAuthTokenClaims.Verdict.WRONG_ISSUER;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import dev.tollgate.core.testing.TestIssuer;

class OAuthTokenClaimsTest {
    static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    static final long T = NOW.getEpochSecond();
    /** As MfaAuthHook with oauthAudience=smtp.example.com, https://mail.example.com and oauthAcr=urn:example:loa:2. */
    static final OAuthTokenClaims.Expectations CONFIG = expect(Set.of("smtp.example.com", "https://mail.example.com"),
            Optional.empty(), Set.of("urn:example:loa:2"));

    /** MfaAuthHook's expectations: its default oauthAmr (mfa, otp, hwk) and the given audience, issuer and acr. */
    static OAuthTokenClaims.Expectations expect(Set<String> audience, Optional<String> issuer, Set<String> acr) {
        return new OAuthTokenClaims.Expectations() {
            @Override
            public Optional<String> oauthIssuer() {
                return issuer;
            }

            @Override
            public Set<String> oauthAudience() {
                return audience;
            }

            @Override
            public Set<String> oauthAmr() {
                return Set.of("mfa", "otp", "hwk");
            }

            @Override
            public Set<String> oauthAcr() {
                return acr;
            }
        };
    }

    static JsonNode claims(String json) {
        String jwt = TestIssuer.B64URL.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + TestIssuer.B64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8)) + ".c2ln";
        return OAuthTokenClaims.payload(jwt).orElseThrow();
    }

    static OAuthTokenClaims.Verdict check(String json) {
        return OAuthTokenClaims.check(claims(json), CONFIG, NOW);
    }

    @Test
    void acceptedWithAudienceStringOrArrayAndAnMfaClaim() {
        assertThat(check("{\"exp\":" + (T + 60) + ",\"aud\":\"smtp.example.com\",\"amr\":[\"pwd\",\"otp\"]}")).isEqualTo(ACCEPTED);
        assertThat(check("{\"exp\":" + (T + 60) + ",\"aud\":[\"other\",\"https://mail.example.com\"],\"amr\":[\"MFA\"]}"))
                .isEqualTo(ACCEPTED);
        assertThat(check("{\"exp\":" + (T + 60) + ",\"aud\":\"smtp.example.com\",\"acr\":\"urn:example:loa:2\"}")).isEqualTo(ACCEPTED);
        assertThat(check("{\"exp\":" + (T + 60) + ".5,\"nbf\":" + T + ",\"aud\":\"smtp.example.com\",\"amr\":[\"hwk\"]}"))
                .isEqualTo(ACCEPTED);
    }

    @Test
    void validTokenWithoutSecondFactorIsNoMfaAndNotCounted() {
        assertThat(check("{\"exp\":" + (T + 60) + ",\"aud\":\"smtp.example.com\"}")).isEqualTo(NO_MFA);
        assertThat(check("{\"exp\":" + (T + 60) + ",\"aud\":\"smtp.example.com\",\"amr\":[\"pwd\"]}")).isEqualTo(NO_MFA);
        assertThat(check("{\"exp\":" + (T + 60) + ",\"aud\":\"smtp.example.com\",\"amr\":\"otp\"}")).as("amr must be an array")
                .isEqualTo(NO_MFA);
        assertThat(check("{\"exp\":" + (T + 60) + ",\"aud\":\"smtp.example.com\",\"acr\":\"urn:example:loa:1\"}")).isEqualTo(NO_MFA);
        assertThat(NO_MFA.countsAsFailure()).isFalse();
        assertThat(ACCEPTED.countsAsFailure()).isFalse();
    }

    @Test
    void lifetimeIsRequiredAndEnforcedWithoutSkew() {
        assertThat(check("{\"aud\":\"smtp.example.com\",\"amr\":[\"otp\"]}")).isEqualTo(MALFORMED);
        assertThat(check("{\"exp\":\"" + (T + 60) + "\",\"aud\":\"smtp.example.com\",\"amr\":[\"otp\"]}")).isEqualTo(MALFORMED);
        assertThat(check("{\"exp\":" + T + ",\"aud\":\"smtp.example.com\",\"amr\":[\"otp\"]}")).isEqualTo(EXPIRED);
        assertThat(check("{\"exp\":" + (T - 1) + ",\"aud\":\"smtp.example.com\",\"amr\":[\"otp\"]}")).isEqualTo(EXPIRED);
        assertThat(check("{\"exp\":" + (T + 60) + ",\"nbf\":" + (T + 1) + ",\"aud\":\"smtp.example.com\",\"amr\":[\"otp\"]}"))
                .isEqualTo(NOT_YET_VALID);
        assertThat(EXPIRED.countsAsFailure()).isTrue();
    }

    @Test
    void audienceMustBeConfiguredAndNamed() {
        assertThat(check("{\"exp\":" + (T + 60) + ",\"amr\":[\"otp\"]}")).isEqualTo(WRONG_AUDIENCE);
        assertThat(check("{\"exp\":" + (T + 60) + ",\"aud\":\"other\",\"amr\":[\"otp\"]}")).isEqualTo(WRONG_AUDIENCE);
        assertThat(check("{\"exp\":" + (T + 60) + ",\"aud\":[\"SMTP.example.com\"],\"amr\":[\"otp\"]}")).isEqualTo(WRONG_AUDIENCE);
        assertThat(check("{\"exp\":" + (T + 60) + ",\"aud\":[1],\"amr\":[\"otp\"]}")).isEqualTo(WRONG_AUDIENCE);
        OAuthTokenClaims.Expectations none = expect(Set.of(), Optional.empty(), Set.of());
        assertThat(OAuthTokenClaims.check(claims("{\"exp\":" + (T + 60) + ",\"aud\":\"smtp.example.com\",\"amr\":[\"otp\"]}"),
                none, NOW)).isEqualTo(WRONG_AUDIENCE);
    }

    @Test
    void issuerIsCheckedWhenConfigured() {
        OAuthTokenClaims.Expectations withIssuer = expect(Set.of("smtp.example.com"),
                Optional.of("https://idp.example.com"), Set.of());
        String base = "\"exp\":" + (T + 60) + ",\"aud\":\"smtp.example.com\",\"amr\":[\"otp\"]";
        assertThat(OAuthTokenClaims.check(claims("{" + base + ",\"iss\":\"https://idp.example.com\"}"), withIssuer, NOW))
                .isEqualTo(ACCEPTED);
        assertThat(OAuthTokenClaims.check(claims("{" + base + ",\"iss\":\"https://evil.example\"}"), withIssuer, NOW))
                .isEqualTo(WRONG_ISSUER);
        assertThat(OAuthTokenClaims.check(claims("{" + base + "}"), withIssuer, NOW)).isEqualTo(WRONG_ISSUER);
        assertThat(check("{" + base + ",\"iss\":\"anyone\"}")).isEqualTo(ACCEPTED);
    }

    @Test
    void payloadMustBeOneUnambiguousJsonObject() {
        String h = TestIssuer.B64URL.encodeToString("{}".getBytes(StandardCharsets.UTF_8));
        String dup = TestIssuer.B64URL.encodeToString("{\"amr\":[\"pwd\"],\"amr\":[\"otp\"]}".getBytes(StandardCharsets.UTF_8));
        assertThat(OAuthTokenClaims.payload(h + "." + dup + ".s")).isEmpty();
        assertThat(OAuthTokenClaims.payload(h + "." + TestIssuer.B64URL.encodeToString("[1]".getBytes(StandardCharsets.UTF_8)) + ".s"))
                .isEmpty();
        assertThat(OAuthTokenClaims.payload(h + ".%%%.s")).isEmpty();
        assertThat(OAuthTokenClaims.payload(h + "." + h)).isEmpty();
        assertThat(OAuthTokenClaims.payload(null)).isEmpty();
        assertThat(OAuthTokenClaims.payload(h + "." + "a".repeat(OAuthTokenClaims.MAX_TOKEN) + ".s")).isEmpty();
    }
}
