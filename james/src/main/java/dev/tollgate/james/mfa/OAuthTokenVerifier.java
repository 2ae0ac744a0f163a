package dev.tollgate.james.mfa;

import java.time.Duration;
import java.util.Optional;

import org.apache.james.jwt.MissingOrInvalidKeyException;
import org.apache.james.jwt.OidcJwtTokenVerifier;
import org.apache.james.jwt.introspection.IntrospectionEndpoint;
import org.apache.james.protocols.api.OidcSASLConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Verifies a bearer token as James's {@code <oidc>} configuration of the SMTP server says, and returns the
 * verified value of its user claim ({@code <claim>}).
 */
@FunctionalInterface
interface OAuthTokenVerifier {
    /**
     * @param token the JWS compact serialization from the initial response
     * @param oidc  the {@code <auth><oidc>} settings of the SMTP server
     * @return the verified value of the configured claim; empty when the token is invalid (signature,
     *         expiry, not active, unknown key)
     * @throws Unavailable when the key set or the introspection/userinfo endpoint cannot be used now
     */
    Optional<String> verify(String token, OidcSASLConfiguration oidc) throws Unavailable;

    /** Longest wait for an introspection or userinfo answer. */
    Duration ENDPOINT_TIMEOUT = Duration.ofSeconds(20);

    /** The verification could not be made (a temporary failure, not an invalid token). */
    final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * James's own verification, as its {@code UsersRepositoryAuthHook} does it: the signature against the JWKS
     * ({@code jwksURL}; James's jjwt parser also enforces {@code exp} and {@code nbf}), then, when configured,
     * token introspection (RFC 7662: the token must be active and name the same user) or the userinfo endpoint
     * (same user). Endpoint answers are awaited at most {@link #ENDPOINT_TIMEOUT}.
     */
    OAuthTokenVerifier JAMES = new OAuthTokenVerifier() {
        private final Logger logger = LoggerFactory.getLogger(OAuthTokenVerifier.class);

        @Override
        public Optional<String> verify(String token, OidcSASLConfiguration oidc) throws Unavailable {
            try {
                if (oidc.isCheckTokenByIntrospectionEndpoint()) {
                    IntrospectionEndpoint endpoint = new IntrospectionEndpoint(oidc.getIntrospectionEndpoint().get(),
                            oidc.getIntrospectionEndpointAuthorization());
                    return Mono.from(OidcJwtTokenVerifier.verifyWithIntrospection(token, oidc.getJwksURL(),
                            oidc.getClaim(), endpoint)).blockOptional(ENDPOINT_TIMEOUT);
                }
                if (oidc.isCheckTokenByUserinfoEndpoint()) {
                    return Mono.from(OidcJwtTokenVerifier.verifyWithUserinfo(token, oidc.getJwksURL(), oidc.getClaim(),
                            oidc.getUserInfoEndpoint().get())).blockOptional(ENDPOINT_TIMEOUT);
                }
                return OidcJwtTokenVerifier.verifySignatureAndExtractClaim(token, oidc.getJwksURL(), oidc.getClaim());
            } catch (MissingOrInvalidKeyException e) {
                throw new Unavailable("JWKS " + oidc.getJwksURL() + " unavailable", e);
            } catch (RuntimeException e) {
                if (oidc.isCheckTokenByIntrospectionEndpoint() || oidc.isCheckTokenByUserinfoEndpoint()) {
                    throw new Unavailable("token endpoint unavailable: " + e.getClass().getName(), e);
                }
                // The JWKS path reports bad tokens as empty; anything else thrown comes from the token's content.
                logger.info("OAuth token rejected by the verifier: {}", e.getClass().getName());
                return Optional.empty();
            }
        }
    };
}
