package dev.tollgate.james.smtp;

import java.util.Locale;
import java.util.Set;

import dev.tollgate.core.config.ComponentSpec;
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
 *   <tr><td>{@code oauth}</td><td>{@code deny}</td><td>OAUTHBEARER/XOAUTH2: {@code deny} (535 5.7.8; the MFA
 *       claims of tokens are not checked yet) or {@code pass} (James checks the token; no MFA mark)</td></tr>
 * </table>
 */
public final class MfaAuthHookConfig {
    static final Set<String> PARAMETERS = Set.of("policy", "domainPolicies", "requireTls", "oauth");

    private final MfaPolicy.Table policies;
    private final boolean requireTls;
    private final boolean oauthPass;

    private MfaAuthHookConfig(MfaPolicy.Table policies, boolean requireTls, boolean oauthPass) {
        this.policies = policies;
        this.requireTls = requireTls;
        this.oauthPass = oauthPass;
    }

    /** @throws ConfigException naming the parameter for an unknown name or invalid value */
    public static MfaAuthHookConfig parse(Parameters parameters) {
        parameters.requireKnown(PARAMETERS);
        MfaPolicy.Table policies = MfaPolicy.Table.parse(parameters, MfaPolicy.OPTIONAL);
        String oauth = parameters.string("oauth", "deny").toLowerCase(Locale.ROOT);
        if (!oauth.equals("deny") && !oauth.equals("pass")) {
            throw new ConfigException("oauth", "must be deny or pass");
        }
        return new MfaAuthHookConfig(policies, parameters.bool("requireTls", true), oauth.equals("pass"));
    }

    /** @return the per-domain policies */
    public MfaPolicy.Table policies() {
        return policies;
    }

    /** @return whether AUTH before TLS is refused */
    public boolean requireTls() {
        return requireTls;
    }

    /** @return whether OAuth SASL mechanisms are left to James */
    public boolean oauthPass() {
        return oauthPass;
    }

    /** Lets {@code tollgate check-config} validate {@code MfaAuthHook} as James would. */
    public static final class Spec implements ComponentSpec {
        @Override
        public String className() {
            return MfaAuthHook.class.getName();
        }

        @Override
        public Kind kind() {
            return Kind.SMTP_HANDLER;
        }

        @Override
        public void validate(Parameters parameters, String condition) {
            parse(parameters);
        }
    }
}
