package dev.tollgate.james.transport;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.tollgate.core.config.AbstractComponentSpec;
import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Parameters;
import dev.tollgate.core.mfa.MfaServiceConfig;

/**
 * Configuration of {@link RemoveForgedTrustHeaders}, validated once at James startup.
 *
 * <table>
 *   <caption>Parameters</caption>
 *   <tr><th>name</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code authResultsHeader}</td><td>{@code Authentication-Results}</td><td>name of that field
 *       (RequireMfa's {@code header})</td></tr>
 *   <tr><td>{@code prefix}</td><td>{@code X-Tollgate-}</td><td>every field whose name starts with it
 *       (case-insensitive) is removed; {@code none} to remove none by prefix</td></tr>
 *   <tr><td>{@code headers}</td><td>none</td><td>comma-separated further field names removed (custom
 *       names given to Tollgate components)</td></tr>
 * </table>
 * The authserv-id whose {@code Authentication-Results} fields are removed (RFC 8601 §5) is the one
 * {@code RequireMfa} writes, read from {@code conf/tollgate-mfa.properties}; giving it here is refused.
 */
public final class RemoveForgedTrustHeadersConfig {
    /** Default prefix of the fields Tollgate writes. */
    public static final String DEFAULT_PREFIX = "X-Tollgate-";
    static final Set<String> PARAMETERS = Set.of("authResultsHeader", "prefix", "headers");

    private final String authResultsHeader;
    private final String prefix;
    private final List<String> headers;

    private RemoveForgedTrustHeadersConfig(String authResultsHeader, String prefix, List<String> headers) {
        this.authResultsHeader = authResultsHeader;
        this.prefix = prefix;
        this.headers = headers;
    }

    /** @throws ConfigException naming the parameter, for unknown names and invalid values */
    public static RemoveForgedTrustHeadersConfig parse(Parameters parameters) {
        parameters.refuseMoved(MfaServiceConfig.FILE + ".properties", "authservId").requireKnown(PARAMETERS);
        String header = parameters.headerName("authResultsHeader", "Authentication-Results");
        String prefix = parameters.string("prefix", DEFAULT_PREFIX);
        if (prefix.equalsIgnoreCase("none")) {
            prefix = "";
        } else if (!Parameters.isHeaderFieldName(prefix) || prefix.length() < 3) {
            throw new ConfigException("prefix",
                    "must be the start of a header field name, at least 3 characters (e.g. X-Tollgate-), or none");
        }
        List<String> headers = new ArrayList<>();
        for (String h : parameters.list("headers")) {
            if (!Parameters.isHeaderFieldName(h)) {
                throw new ConfigException("headers", "'" + h + "' is not a header field name");
            }
            headers.add(h);
        }
        return new RemoveForgedTrustHeadersConfig(header, prefix.toLowerCase(Locale.ROOT),
                Collections.unmodifiableList(headers));
    }

    /** @return the Authentication-Results field name */
    public String authResultsHeader() {
        return authResultsHeader;
    }

    /** @return the lower-case field name prefix removed; empty for none */
    public String prefix() {
        return prefix;
    }

    /** @return further field names removed */
    public List<String> headers() {
        return headers;
    }

    /** Lets {@code tollgate check-config} validate {@code RemoveForgedTrustHeaders} as James would. */
    public static final class Spec extends AbstractComponentSpec {
        public Spec() {
            super("dev.tollgate.james.transport.RemoveForgedTrustHeaders", Kind.MAILET);
        }

        @Override
        public void validate(Parameters parameters, String condition) {
            parse(parameters);
        }
    }
}
