package dev.tollgate.james.mfa;

import java.net.InetAddress;
import java.util.Locale;
import java.util.Set;

import dev.tollgate.core.config.AbstractComponentSpec;
import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Parameters;
import dev.tollgate.core.mfa.MfaPolicy;

/**
 * Configuration of {@link RequireMfa}, validated once at James startup.
 *
 * <table>
 *   <caption>Parameters</caption>
 *   <tr><th>name</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code policy}</td><td>{@code required}</td><td>default policy ({@link MfaPolicy}); use the same
 *       values as {@code MfaAuthHook}</td></tr>
 *   <tr><td>{@code domainPolicies}</td><td>(none)</td><td>{@code domain=policy} entries, comma-separated</td></tr>
 *   <tr><td>{@code processor}</td><td>{@code mfa-required}</td><td>processor (lower case) receiving mail of
 *       authenticated users without MFA whose policy requires it</td></tr>
 *   <tr><td>{@code mode}</td><td>{@code enforce}</td><td>{@code enforce}, or {@code testing} (report only:
 *       header and log, no rerouting)</td></tr>
 *   <tr><td>{@code header}</td><td>{@code Authentication-Results}</td><td>trace header field written</td></tr>
 *   <tr><td>{@code authservId}</td><td>this host's name</td><td>authserv-id of the header (RFC 8601 §2.5)</td></tr>
 * </table>
 */
public final class RequireMfaConfig {
    /** Default target processor. */
    public static final String DEFAULT_PROCESSOR = "mfa-required";
    static final Set<String> PARAMETERS = Set.of("policy", "domainPolicies", "processor", "mode", "header", "authservId");

    private final MfaPolicy.Table policies;
    private final String processor;
    private final boolean enforce;
    private final String header;
    private final String authservId;

    private RequireMfaConfig(MfaPolicy.Table policies, String processor, boolean enforce, String header,
            String authservId) {
        this.policies = policies;
        this.processor = processor;
        this.enforce = enforce;
        this.header = header;
        this.authservId = authservId;
    }

    /** @throws ConfigException naming the parameter for an unknown name or an invalid value */
    public static RequireMfaConfig parse(Parameters parameters) {
        parameters.requireKnown(PARAMETERS);
        MfaPolicy.Table policies = MfaPolicy.Table.parse(parameters, MfaPolicy.REQUIRED);
        String processor = parameters.string("processor", DEFAULT_PROCESSOR);
        if (!processor.equals(processor.toLowerCase(Locale.ROOT)) || !processor.matches("[a-z0-9._-]+")) {
            throw new ConfigException("processor", "must be a lower-case processor name (James lower-cases states)");
        }
        String mode = parameters.string("mode", "enforce").toLowerCase(Locale.ROOT);
        if (!mode.equals("enforce") && !mode.equals("testing")) {
            throw new ConfigException("mode", "must be enforce or testing");
        }
        String header = parameters.headerName("header", "Authentication-Results");
        String authservId = parameters.optional("authservId").orElseGet(RequireMfaConfig::localHostName);
        if (!authservId.matches("[A-Za-z0-9._-]{1,253}")) {
            throw new ConfigException("authservId", "must be a host name (letters, digits, '.', '-', '_')");
        }
        return new RequireMfaConfig(policies, processor, mode.equals("enforce"), header, authservId);
    }

    public static String localHostName() {
        try {
            String name = InetAddress.getLocalHost().getCanonicalHostName();
            return name.matches("[A-Za-z0-9._-]{1,253}") ? name : "localhost";
        } catch (Exception e) {
            return "localhost";
        }
    }

    /** @return the per-domain policies */
    public MfaPolicy.Table policies() {
        return policies;
    }

    /** @return the processor for refused mail */
    public String processor() {
        return processor;
    }

    /** @return whether mail is rerouted ({@code enforce}) or only reported ({@code testing}) */
    public boolean enforce() {
        return enforce;
    }

    /** @return the trace header field name */
    public String header() {
        return header;
    }

    /** @return the authserv-id */
    public String authservId() {
        return authservId;
    }

    /** Lets {@code tollgate check-config} validate {@code RequireMfa} as James would. */
    public static final class Spec extends AbstractComponentSpec {
        public Spec() {
            super("dev.tollgate.james.mfa.RequireMfa", Kind.MAILET);
        }

        @Override
        public void validate(Parameters parameters, String condition) {
            parse(parameters);
        }
    }
}
