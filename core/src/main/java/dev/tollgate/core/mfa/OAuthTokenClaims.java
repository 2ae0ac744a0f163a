package dev.tollgate.core.mfa;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Checks the claims (RFC 7519 §4.1) of a JWT whose signature has already been verified, against
 * the SMTP AUTH hook's expectations: lifetime, issuer, audience and the MFA claim ({@code amr}, RFC 8176;
 * {@code acr}, OpenID Connect Core §2). The payload is read from the same compact serialization the
 * verifier checked, so it is the signed one. Stateless, thread-safe.
 */
public final class OAuthTokenClaims {
    /** Longest token examined, in characters. */
    public static final int MAX_TOKEN = 16 * 1024;
    /** Duplicate claim names make the payload ambiguous (RFC 7519 §4): refused rather than last-one-wins. */
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /** Why a token is refused, or {@link #ACCEPTED}; {@link #check} gives the claim verdicts, the SMTP exchange the others. */
    public enum Verdict {
        /** Every check passed. */
        ACCEPTED(false),
        /** The verifier refused the token (signature, unknown key, lifetime, introspection). */
        NOT_VERIFIED(true),
        /** The verified user claim is not the identity the client asked for. */
        USER_MISMATCH(true),
        /** The identity is not a user of James. */
        UNKNOWN_USER(true),
        /** Payload is not a JSON object, or {@code exp} is missing or not a number. */
        MALFORMED(true),
        /** {@code exp} is now or past (RFC 7519 §4.1.4). */
        EXPIRED(true),
        /** {@code nbf} is in the future (RFC 7519 §4.1.5). */
        NOT_YET_VALID(true),
        /** {@code iss} differs from {@code oauthIssuer}. */
        WRONG_ISSUER(true),
        /** {@code aud} names none of {@code oauthAudience} (RFC 7519 §4.1.3). */
        WRONG_AUDIENCE(true),
        /** A valid token without an accepted {@code amr}/{@code acr}: a policy refusal, not a wrong credential. */
        NO_MFA(false);

        private final boolean countsAsFailure;

        Verdict(boolean countsAsFailure) {
            this.countsAsFailure = countsAsFailure;
        }

        /** @return whether this refusal counts towards the brute-force throttle */
        public boolean countsAsFailure() {
            return countsAsFailure;
        }
    }

    /** What a token must carry to be accepted; the SMTP AUTH hook's configuration. */
    public interface Expectations {
        /** @return the required {@code iss} (RFC 7519 §4.1.1), if any */
        Optional<String> oauthIssuer();

        /** @return accepted {@code aud} values (RFC 7519 §4.1.3); empty means no token is accepted */
        Set<String> oauthAudience();

        /** @return {@code amr} values (RFC 8176), lower case, that count as a second factor */
        Set<String> oauthAmr();

        /** @return {@code acr} values (OpenID Connect Core §2) that count as a second factor */
        Set<String> oauthAcr();
    }

    private OAuthTokenClaims() {
    }

    /**
     * @param jwt a JWS compact serialization (RFC 7515 §7.1), at most {@link #MAX_TOKEN} characters
     * @return its payload as a JSON object; empty when it is not one
     */
    public static Optional<JsonNode> payload(String jwt) {
        if (jwt == null || jwt.length() > MAX_TOKEN) {
            return Optional.empty();
        }
        String[] parts = jwt.split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            JsonNode node = JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /**
     * @param claims the verified payload
     * @param config the audiences, issuer and MFA values to accept
     * @param now    the current time; {@code exp} and {@code nbf} are NumericDate seconds, compared without skew
     *               (James's verifier allows none either)
     * @return the first failing check in the order lifetime, issuer, audience, MFA; or {@link Verdict#ACCEPTED}
     */
    public static Verdict check(JsonNode claims, Expectations config, Instant now) {
        JsonNode exp = claims.path("exp");
        if (!exp.isNumber()) {
            return Verdict.MALFORMED;
        }
        double seconds = now.getEpochSecond() + now.getNano() / 1e9;
        if (exp.asDouble() <= seconds) {
            return Verdict.EXPIRED;
        }
        JsonNode nbf = claims.path("nbf");
        if (!nbf.isMissingNode() && (!nbf.isNumber() || nbf.asDouble() > seconds)) {
            return Verdict.NOT_YET_VALID;
        }
        if (config.oauthIssuer().isPresent() && !config.oauthIssuer().get().equals(claims.path("iss").textValue())) {
            return Verdict.WRONG_ISSUER;
        }
        if (!namesAudience(claims.path("aud"), config.oauthAudience())) {
            return Verdict.WRONG_AUDIENCE;
        }
        return hasMfaClaim(claims, config.oauthAmr(), config.oauthAcr()) ? Verdict.ACCEPTED : Verdict.NO_MFA;
    }

    /** RFC 7519 §4.1.3: {@code aud} is one string or an array of strings; one must be accepted. */
    private static boolean namesAudience(JsonNode aud, Set<String> accepted) {
        if (aud.isTextual()) {
            return accepted.contains(aud.textValue());
        }
        if (aud.isArray()) {
            for (JsonNode v : aud) {
                if (v.isTextual() && accepted.contains(v.textValue())) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * @param amrValues accepted {@code amr} entries, lower case; any one suffices
     * @param acrValues accepted {@code acr} values, exact
     * @return whether the claims show a second factor
     */
    public static boolean hasMfaClaim(JsonNode claims, Set<String> amrValues, Set<String> acrValues) {
        JsonNode amr = claims.path("amr");
        if (amr.isArray()) {
            for (JsonNode v : amr) {
                if (v.isTextual() && amrValues.contains(v.textValue().toLowerCase(Locale.ROOT))) {
                    return true;
                }
            }
        }
        JsonNode acr = claims.path("acr");
        return acr.isTextual() && acrValues.contains(acr.textValue());
    }
}
