package dev.tollgate.james.webadmin;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.google.common.net.InetAddresses;
import com.google.common.net.InternetDomainName;

import dev.tollgate.core.config.AbstractComponentSpec;
import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Parameters;

/**
 * Configuration of {@link BrowserRequestGuard}: the {@code tollgate.} keys of {@code conf/webadmin.properties},
 * read once when James builds WebAdmin, and by {@code tollgate check-config}. No James classes, so the command
 * can use it.
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code tollgate.allowedHosts}</td><td>(none)</td><td>comma-separated DNS names, besides IP
 *       literals and {@code localhost}, that the {@code Host} header of a WebAdmin request may name
 *       (RFC 9110 §7.2); e.g. {@code admin.example.com}. Exact names, no port, no wildcard, no trailing dot;
 *       matched ignoring case.</td></tr>
 * </table>
 * Any other key starting with {@code tollgate.} is refused, so a misspelt key is not silently ignored.
 */
public final class BrowserRequestGuardConfig {
    /** Prefix of the keys of {@code webadmin.properties} that belong to Tollgate. */
    public static final String PREFIX = "tollgate.";
    /** Host names the {@code Host} header may name besides IP literals and {@code localhost}. */
    public static final String ALLOWED_HOSTS = "tollgate.allowedHosts";
    static final Set<String> KEYS = Set.of(ALLOWED_HOSTS);

    private static final BrowserRequestGuardConfig DEFAULTS = new BrowserRequestGuardConfig(Set.of());

    private final Set<String> allowedHosts;

    private BrowserRequestGuardConfig(Set<String> allowedHosts) {
        this.allowedHosts = allowedHosts;
    }

    /** @return IP literals and {@code localhost} only */
    public static BrowserRequestGuardConfig defaults() {
        return DEFAULTS;
    }

    /**
     * @param webadminProperties every key of {@code webadmin.properties} (James's own keys are ignored), or only
     *                           the {@code tollgate.} ones
     * @throws ConfigException naming the key: an unknown {@code tollgate.} key, or an allowed host that is not a
     *                         DNS name (a port, a scheme, a wildcard, a trailing dot, an IP literal)
     */
    public static BrowserRequestGuardConfig parse(Parameters webadminProperties) {
        Map<String, String> ours = new LinkedHashMap<>();
        for (String name : webadminProperties.names()) {
            if (name.startsWith(PREFIX)) {
                ours.put(name, webadminProperties.optional(name).orElse(null));
            }
        }
        Parameters p = Parameters.of(ours).requireKnown(KEYS);
        Set<String> hosts = new LinkedHashSet<>();
        for (String item : p.list(ALLOWED_HOSTS)) {
            if (InetAddresses.isUriInetAddress(item) || InetAddresses.isInetAddress(item)) {
                throw new ConfigException(ALLOWED_HOSTS, "list DNS names only: IP addresses are always allowed");
            }
            if (item.endsWith(".") || !InternetDomainName.isValid(item)) {
                throw new ConfigException(ALLOWED_HOSTS, "must be comma-separated DNS names without scheme, port, "
                        + "wildcard or trailing dot, e.g. admin.example.com");
            }
            hosts.add(item.toLowerCase(Locale.ROOT));
        }
        return new BrowserRequestGuardConfig(Collections.unmodifiableSet(hosts));
    }

    /** @return the configured names, lower case; IP literals and {@code localhost} are allowed besides these */
    public Set<String> allowedHosts() {
        return allowedHosts;
    }

    /** Lets {@code tollgate check-config} validate the guard's keys exactly as James startup does. */
    public static final class Spec extends AbstractComponentSpec {
        public Spec() {
            super("dev.tollgate.james.webadmin.BrowserRequestGuard", Kind.WEBADMIN_ROUTES);
        }

        @Override
        public void validate(Parameters parameters, String condition) {
            parse(parameters);
        }
    }
}
