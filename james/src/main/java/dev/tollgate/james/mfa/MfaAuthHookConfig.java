package dev.tollgate.james.mfa;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import dev.tollgate.core.config.AbstractComponentSpec;
import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Parameters;
import dev.tollgate.core.mfa.MfaServiceConfig;
import dev.tollgate.core.mfa.OAuthTokenClaims;

/**
 * Configuration of {@link MfaAuthHook}, the child elements of its {@code <handler>} in
 * {@code smtpserver.xml}, validated once at James startup. Process-wide settings (store, key file, TOTP
 * parameters, throttling) live in {@code conf/tollgate-mfa.properties} instead, because every
 * {@code <smtpserver>} shares them.
 *
 * <table>
 *   <caption>Parameters</caption>
 *   <tr><th>name</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code policy}, {@code domainPolicies}</td><td></td><td>not here: set in
 *       {@code conf/tollgate-mfa.properties}, which {@code RequireMfa} reads too</td></tr>
 *   <tr><td>{@code requireTls}</td><td>{@code true}</td><td>refuse AUTH before TLS with {@code 530 5.7.0}
 *       (RFC 3207 §4); set {@code false} only behind a TLS-terminating proxy</td></tr>
 *   <tr><td>{@code oauth}</td><td>{@code mfa-claim}</td><td>OAUTHBEARER/XOAUTH2 (RFC 7628): {@code mfa-claim}
 *       (the hook verifies the token itself and accepts it only with an accepted {@code amr}/{@code acr} claim;
 *       method {@code oauth-mfa}), {@code deny} (always {@code 504 5.5.4}) or {@code pass} (James's own hook
 *       alone: no audience or MFA check, no MFA mark)</td></tr>
 *   <tr><td>{@code oauthAudience}</td><td>(none)</td><td>accepted {@code aud} values (RFC 7519 §4.1.3), one
 *       of which the token must name; without it {@code mfa-claim} refuses every token ({@code 504 5.5.4}),
 *       fail closed</td></tr>
 *   <tr><td>{@code oauthIssuer}</td><td>(none)</td><td>the {@code iss} (RFC 7519 §4.1.1) tokens must carry;
 *       unchecked when absent</td></tr>
 *   <tr><td>{@code oauthAmr}</td><td>{@code mfa, otp, hwk}</td><td>{@code amr} values (RFC 8176) that count as MFA</td></tr>
 *   <tr><td>{@code oauthAcr}</td><td>(none)</td><td>{@code acr} values that count as MFA</td></tr>
 * </table>
 */
public final class MfaAuthHookConfig implements OAuthTokenClaims.Expectations {
    static final Set<String> PARAMETERS = Set.of("requireTls", "oauth", "oauthAmr",
            "oauthAcr", "oauthAudience", "oauthIssuer");

    /** What to do with OAUTHBEARER / XOAUTH2. */
    public enum OAuth {
        /** Refuse. */
        DENY,
        /** Verify tokens here; accept only those with an accepted {@code amr}/{@code acr} claim. */
        MFA_CLAIM,
        /** Leave all to James (no MFA mark). */
        PASS
    }

    private final boolean requireTls;
    private final OAuth oauth;
    private final Set<String> oauthAmr;
    private final Set<String> oauthAcr;
    private final Set<String> oauthAudience;
    private final Optional<String> oauthIssuer;

    private MfaAuthHookConfig(boolean requireTls, OAuth oauth, Set<String> oauthAmr,
            Set<String> oauthAcr, Set<String> oauthAudience, Optional<String> oauthIssuer) {
        this.requireTls = requireTls;
        this.oauth = oauth;
        this.oauthAmr = oauthAmr;
        this.oauthAcr = oauthAcr;
        this.oauthAudience = oauthAudience;
        this.oauthIssuer = oauthIssuer;
    }

    /** @throws ConfigException naming the parameter for an unknown name or invalid value */
    public static MfaAuthHookConfig parse(Parameters parameters) {
        parameters.refuseMoved(MfaServiceConfig.FILE + ".properties", "policy", "domainPolicies")
                .requireKnown(PARAMETERS);
        OAuth oauth = parameters.enumValue("oauth", OAuth.class, OAuth.MFA_CLAIM);
        Set<String> amr = new LinkedHashSet<>();
        for (String v : parameters.optional("oauthAmr").isPresent() ? parameters.list("oauthAmr")
                : java.util.List.of("mfa", "otp", "hwk")) {
            amr.add(v.toLowerCase(Locale.ROOT));
        }
        Set<String> acr = new LinkedHashSet<>(parameters.list("oauthAcr"));
        Set<String> audience = new LinkedHashSet<>(parameters.list("oauthAudience"));
        Optional<String> issuer = parameters.optional("oauthIssuer").map(String::trim).filter(v -> !v.isEmpty());
        return new MfaAuthHookConfig(parameters.bool("requireTls", true), oauth, Set.copyOf(amr),
                Set.copyOf(acr), Set.copyOf(audience), issuer);
    }

    /** @return whether AUTH before TLS is refused */
    public boolean requireTls() {
        return requireTls;
    }

    /** @return what to do with OAuth SASL mechanisms */
    public OAuth oauth() {
        return oauth;
    }

    /** @return accepted {@code amr} values, lower case */
    @Override
    public Set<String> oauthAmr() {
        return oauthAmr;
    }

    /** @return accepted {@code acr} values */
    @Override
    public Set<String> oauthAcr() {
        return oauthAcr;
    }

    /** @return accepted {@code aud} values; empty means no token is accepted */
    @Override
    public Set<String> oauthAudience() {
        return oauthAudience;
    }

    /** @return the required {@code iss}, if configured */
    @Override
    public Optional<String> oauthIssuer() {
        return oauthIssuer;
    }

    /** Lets {@code tollgate check-config} validate {@code MfaAuthHook} as James would. */
    public static final class Spec extends AbstractComponentSpec {
        public Spec() {
            super("dev.tollgate.james.mfa.MfaAuthHook", Kind.SMTP_HANDLER);
        }

        @Override
        public void validate(Parameters parameters, String condition) {
            parse(parameters);
        }
    }
}
