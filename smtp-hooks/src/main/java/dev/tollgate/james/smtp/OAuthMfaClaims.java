package dev.tollgate.james.smtp;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

import org.apache.james.protocols.api.OIDCSASLParser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads the MFA claims of the JWT inside an OAUTHBEARER (RFC 7628) or XOAUTH2 initial response:
 * {@code amr} (RFC 8176 authentication method references) and {@code acr} (OpenID Connect Core §2).
 *
 * <p>The signature is <em>not</em> checked here: {@link MfaAuthHook} only uses this to refuse tokens
 * without an MFA claim, then leaves the token to James's own hook, which verifies signature, expiry and
 * user (JWKS or introspection). A payload altered to add a claim fails that verification. Stateless.
 */
final class OAuthMfaClaims {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Longest token examined, in characters. */
    static final int MAX_TOKEN = 16 * 1024;

    private OAuthMfaClaims() {
    }

    /**
     * @param initialResponse the SASL initial response as given to {@code AuthHook.doSasl}
     * @param amrValues       accepted {@code amr} entries (any one suffices), lower case
     * @param acrValues       accepted {@code acr} values (exact), may be empty
     * @return whether the token carries an accepted claim; false for anything unparsable
     */
    static boolean hasMfaClaim(String initialResponse, Set<String> amrValues, Set<String> acrValues) {
        Optional<JsonNode> claims = claims(initialResponse);
        if (claims.isEmpty()) {
            return false;
        }
        JsonNode amr = claims.get().path("amr");
        if (amr.isArray()) {
            for (JsonNode v : amr) {
                if (v.isTextual() && amrValues.contains(v.asText().toLowerCase(java.util.Locale.ROOT))) {
                    return true;
                }
            }
        }
        JsonNode acr = claims.get().path("acr");
        return acr.isTextual() && acrValues.contains(acr.asText());
    }

    static Optional<JsonNode> claims(String initialResponse) {
        if (initialResponse == null || initialResponse.length() > 4 * MAX_TOKEN) {
            return Optional.empty();
        }
        try {
            Optional<OIDCSASLParser.OIDCInitialResponse> parsed = OIDCSASLParser.parse(initialResponse.trim());
            if (parsed.isEmpty() || parsed.get().getToken() == null || parsed.get().getToken().length() > MAX_TOKEN) {
                return Optional.empty();
            }
            String[] parts = parsed.get().getToken().split("\\.");
            if (parts.length != 3) {
                return Optional.empty();
            }
            byte[] payload = Base64.getUrlDecoder().decode(parts[1]);
            JsonNode node = JSON.readTree(new String(payload, StandardCharsets.UTF_8));
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
