package dev.tollgate.james.transport;

import java.util.Set;

import dev.tollgate.core.config.AbstractComponentSpec;
import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Parameters;

/**
 * Configuration of {@link AddSecurityHeaders}, validated once at James startup.
 *
 * <table>
 *   <caption>Parameters</caption>
 *   <tr><th>name</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code header}</td><td>{@code X-Tollgate-Transport}</td>
 *       <td>header field name written (RFC 5322 §3.6.8 field-name: printable US-ASCII, no colon)</td></tr>
 *   <tr><td>{@code includeUser}</td><td>{@code true}</td>
 *       <td>whether the SMTP AUTH identity is written in the header</td></tr>
 * </table>
 */
public final class AddSecurityHeadersConfig {
    /** Default header field name. */
    public static final String DEFAULT_HEADER = "X-Tollgate-Transport";
    static final Set<String> PARAMETERS = Set.of("header", "includeUser");

    private final String header;
    private final boolean includeUser;

    private AddSecurityHeadersConfig(String header, boolean includeUser) {
        this.header = header;
        this.includeUser = includeUser;
    }

    /**
     * @throws ConfigException for an unknown parameter, an invalid header name or a non-boolean
     *                         {@code includeUser}
     */
    public static AddSecurityHeadersConfig parse(Parameters parameters) {
        parameters.requireKnown(PARAMETERS);
        String header = parameters.headerName("header", DEFAULT_HEADER);
        return new AddSecurityHeadersConfig(header, parameters.bool("includeUser", true));
    }

    /** @return the header field name to write */
    public String header() {
        return header;
    }

    /** @return whether the SMTP AUTH identity is written */
    public boolean includeUser() {
        return includeUser;
    }

    /** Lets {@code tollgate check-config} validate {@code AddSecurityHeaders} as James would. */
    public static final class Spec extends AbstractComponentSpec {
        public Spec() {
            super("dev.tollgate.james.transport.AddSecurityHeaders", Kind.MAILET);
        }

        @Override
        public void validate(Parameters parameters, String condition) {
            parse(parameters);
        }
    }
}
