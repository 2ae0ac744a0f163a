package dev.tollgate.james.smtp;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

import dev.tollgate.core.config.AbstractComponentSpec;
import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Parameters;
import dev.tollgate.core.mfa.MfaPolicy;

/**
 * Configuration of {@link MfaAuthHook}, the child elements of its {@code <handler>} in
 * {@code smtpserver.xml}, validated once at James startup. Process-wide settings (store, key file, TOTP
 * parameters, throttling) live in {@code conf/tollgate-mfa.properties} instead, because every
 * {@code <smtpserver>} shares them.
 *
 * <table>
 *   <caption>Parameters</caption>
 *   <tr><th>name</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code policy}</td><td>{@code optional}</td><td>default policy: {@code required},
 *       {@code optional} or {@code grace-until:YYYY-MM-DD} ({@link MfaPolicy})</td></tr>
 *   <tr><td>{@code domainPolicies}</td><td>(none)</td><td>{@code domain=policy} entries, comma-separated</td></tr>
 *   <tr><td>{@code requireTls}</td><td>{@code true}</td><td>refuse AUTH before TLS with {@code 530 5.7.0}
 *       (RFC 3207 §4); set {@code false} only behind a TLS-terminating proxy</td></tr>
 *   <tr><td>{@code oauth}</td><td>{@code mfa-claim}</td><td>OAUTHBEARER/XOAUTH2: {@code mfa-claim} (tokens
 *       without an accepted {@code amr}/{@code acr} claim get 535 5.7.8, the others go to James's hook, which
 *       verifies them; method {@code oauth-mfa}), {@code deny} (always 535) or {@code pass} (James alone, no
 *       MFA mark)</td></tr>
 *   <tr><td>{@code oauthAmr}</td><td>{@code mfa, otp, hwk}</td><td>{@code amr} values (RFC 8176) that count as MFA</td></tr>
 *   <tr><td>{@code oauthAcr}</td><td>(none)</td><td>{@code acr} values that count as MFA</td></tr>
 * </table>
 */
public final class MfaAuthHookConfig {
    static final Set<String> PARAMETERS = Set.of("policy", "domainPolicies", "requireTls", "oauth", "oauthAmr",
            "oauthAcr");

    /** What to do with OAUTHBEARER / XOAUTH2. */
    public enum OAuth {
        /** Refuse. */
        DENY,
        /** Refuse tokens without an accepted {@code amr}/{@code acr} claim; leave the others to James. */
        MFA_CLAIM,
        /** Leave all to James (no MFA mark). */
        PASS
    }

    private final MfaPolicy.Table policies;
    private final boolean requireTls;
    private final OAuth oauth;
    private final Set<String> oauthAmr;
    private final Set<String> oauthAcr;

    private MfaAuthHookConfig(MfaPolicy.Table policies, boolean requireTls, OAuth oauth, Set<String> oauthAmr,
            Set<String> oauthAcr) {
        this.policies = policies;
        this.requireTls = requireTls;
        this.oauth = oauth;
        this.oauthAmr = oauthAmr;
        this.oauthAcr = oauthAcr;
    }

    /** @throws ConfigException naming the parameter for an unknown name or invalid value */
    public static MfaAuthHookConfig parse(Parameters parameters) {
        parameters.requireKnown(PARAMETERS);
        MfaPolicy.Table policies = MfaPolicy.Table.parse(parameters, MfaPolicy.OPTIONAL);
        OAuth oauth = parameters.enumValue("oauth", OAuth.class, OAuth.MFA_CLAIM);
        Set<String> amr = new LinkedHashSet<>();
        for (String v : parameters.optional("oauthAmr").isPresent() ? parameters.list("oauthAmr")
                : java.util.List.of("mfa", "otp", "hwk")) {
            amr.add(v.toLowerCase(Locale.ROOT));
        }
        Set<String> acr = new LinkedHashSet<>(parameters.list("oauthAcr"));
        return new MfaAuthHookConfig(policies, parameters.bool("requireTls", true), oauth, Set.copyOf(amr),
                Set.copyOf(acr));
    }

    /** @return the per-domain policies */
    public MfaPolicy.Table policies() {
        return policies;
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
    public Set<String> oauthAmr() {
        return oauthAmr;
    }

    /** @return accepted {@code acr} values */
    public Set<String> oauthAcr() {
        return oauthAcr;
    }

    /** Lets {@code tollgate check-config} validate {@code MfaAuthHook} as James would. */
    public static final class Spec extends AbstractComponentSpec {
        public Spec() {
            super("dev.tollgate.james.smtp.MfaAuthHook", Kind.SMTP_HANDLER);
        }

        @Override
        public void validate(Parameters parameters, String condition) {
            parse(parameters);
        }
    }
}
