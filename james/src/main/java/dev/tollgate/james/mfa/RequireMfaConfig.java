package dev.tollgate.james.mfa;

import java.util.Locale;
import java.util.Set;

import dev.tollgate.core.config.AbstractComponentSpec;
import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Parameters;
import dev.tollgate.core.mfa.MfaServiceConfig;

/**
 * Configuration of {@link RequireMfa}, validated once at James startup.
 *
 * <table>
 *   <caption>Parameters</caption>
 *   <tr><th>name</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code processor}</td><td>{@code mfa-required}</td><td>processor (lower case) receiving mail of
 *       authenticated users without MFA whose policy requires it</td></tr>
 *   <tr><td>{@code mode}</td><td>{@code enforce}</td><td>{@code enforce}, or {@code testing} (report only:
 *       header and log, no rerouting)</td></tr>
 *   <tr><td>{@code header}</td><td>{@code Authentication-Results}</td><td>trace header field written</td></tr>
 * </table>
 * The MFA policy and the authserv-id are read from {@code conf/tollgate-mfa.properties} (the {@link MfaServiceConfig}
 * that {@code MfaAuthHook} reads too); giving them here is refused.
 */
public final class RequireMfaConfig {
    /** Default target processor. */
    public static final String DEFAULT_PROCESSOR = "mfa-required";
    static final Set<String> PARAMETERS = Set.of("processor", "mode", "header");

    private final String processor;
    private final boolean enforce;
    private final String header;

    private RequireMfaConfig(String processor, boolean enforce, String header) {
        this.processor = processor;
        this.enforce = enforce;
        this.header = header;
    }

    /** @throws ConfigException naming the parameter for an unknown name or an invalid value */
    public static RequireMfaConfig parse(Parameters parameters) {
        parameters.refuseMoved(MfaServiceConfig.FILE + ".properties", "policy", "domainPolicies", "authservId")
                .requireKnown(PARAMETERS);
        String processor = parameters.string("processor", DEFAULT_PROCESSOR);
        if (!processor.equals(processor.toLowerCase(Locale.ROOT)) || !processor.matches("[a-z0-9._-]+")) {
            throw new ConfigException("processor", "must be a lower-case processor name (James lower-cases states)");
        }
        String mode = parameters.string("mode", "enforce").toLowerCase(Locale.ROOT);
        if (!mode.equals("enforce") && !mode.equals("testing")) {
            throw new ConfigException("mode", "must be enforce or testing");
        }
        String header = parameters.headerName("header", "Authentication-Results");
        return new RequireMfaConfig(processor, mode.equals("enforce"), header);
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
