package dev.tollgate.james.tls;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

import dev.tollgate.core.config.AbstractComponentSpec;
import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Parameters;

/**
 * Configuration of {@link RequireStartTls}, validated at James startup and by {@code tollgate check-config}.
 *
 * <table>
 *   <caption>Parameters</caption>
 *   <tr><th>name</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code ports}</td><td>(every port of the server it is wired on)</td>
 *       <td>comma-separated local TCP ports (1..65535) on which TLS is required before AUTH and MAIL</td></tr>
 * </table>
 */
public final class RequireStartTlsConfig {
    static final Set<String> PARAMETERS = Set.of("ports");

    private final Set<Integer> ports;

    private RequireStartTlsConfig(Set<Integer> ports) {
        this.ports = ports;
    }

    /** @throws ConfigException for an unknown parameter or a port that is not 1..65535 */
    public static RequireStartTlsConfig parse(Parameters parameters) {
        parameters.requireKnown(PARAMETERS);
        Set<Integer> ports = new LinkedHashSet<>();
        for (String item : parameters.list("ports")) {
            int port;
            try {
                port = Integer.parseInt(item);
            } catch (NumberFormatException e) {
                throw new ConfigException("ports", "must be comma-separated port numbers between 1 and 65535");
            }
            if (port < 1 || port > 65535) {
                throw new ConfigException("ports", "must be comma-separated port numbers between 1 and 65535");
            }
            ports.add(port);
        }
        return new RequireStartTlsConfig(Collections.unmodifiableSet(ports));
    }

    /** @return the ports where TLS is required; empty means every port of the server */
    Set<Integer> ports() {
        return ports;
    }

    /** @return true when a session accepted on {@code localPort} (-1 if unknown) must use TLS first */
    boolean appliesTo(int localPort) {
        return ports.isEmpty() || ports.contains(localPort);
    }

    /** For {@code tollgate check-config}. */
    public static final class Spec extends AbstractComponentSpec {
        public Spec() {
            super("dev.tollgate.james.tls.RequireStartTls", Kind.SMTP_HANDLER);
        }

        @Override
        public void validate(Parameters parameters, String condition) {
            parse(parameters);
        }
    }
}
