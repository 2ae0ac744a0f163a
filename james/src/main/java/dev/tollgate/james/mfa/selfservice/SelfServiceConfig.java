package dev.tollgate.james.mfa.selfservice;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Parameters;

/**
 * Configuration of the self-service security page, read once at James startup from
 * {@code conf/tollgate-selfservice.properties} (every key optional except {@code tls.secret} while TLS is on).
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code enabled}</td><td>{@code true}</td><td>whether the page is served at all</td></tr>
 *   <tr><td>{@code bind}</td><td>{@code 0.0.0.0}</td><td>listening address</td></tr>
 *   <tr><td>{@code port}</td><td>{@code 8443}</td><td>listening port, 1..65535</td></tr>
 *   <tr><td>{@code tls}</td><td>{@code true}</td><td>HTTPS; {@code false} only behind a TLS-terminating proxy
 *       (cookies stay {@code Secure})</td></tr>
 *   <tr><td>{@code tls.keystore}</td><td>{@code conf/keystore}</td><td>the keystore {@code smtpserver.xml} uses,
 *       relative to James's working directory</td></tr>
 *   <tr><td>{@code tls.keystoreType}</td><td>{@code PKCS12}</td><td>{@code PKCS12} or {@code JKS}</td></tr>
 *   <tr><td>{@code tls.secret}</td><td>(none)</td><td>the keystore's password, as {@code <secret>} in
 *       {@code smtpserver.xml}</td></tr>
 *   <tr><td>{@code session.lifetime}</td><td>{@code 10m}</td><td>absolute lifetime of a signed-in session,
 *       1m..1h</td></tr>
 *   <tr><td>{@code maxSessions}</td><td>{@code 10000}</td><td>signed-in sessions kept at once; the oldest are
 *       dropped beyond (a sign-in form's session is held by the browser only)</td></tr>
 *   <tr><td>{@code maxRequestHeaderSize}</td><td>{@code 8192}</td><td>bytes of request line and header fields,
 *       1024..65536 (larger: 431)</td></tr>
 *   <tr><td>{@code maxFormSize}</td><td>{@code 8192}</td><td>bytes of a form body, 1024..65536</td></tr>
 *   <tr><td>{@code idleTimeout}</td><td>{@code 30s}</td><td>connection idle timeout</td></tr>
 *   <tr><td>{@code stopTimeout}</td><td>{@code 5s}</td><td>how long a stop waits for requests in progress</td></tr>
 *   <tr><td>{@code defaultAccess}</td><td>{@code on}</td><td>{@code on} or {@code off}: whether users of a
 *       domain not listed in {@code domainAccess} may sign in</td></tr>
 *   <tr><td>{@code domainAccess}</td><td>(none)</td><td>per-domain switch, comma-separated
 *       {@code domain=on|off} entries</td></tr>
 * </table>
 */
public final class SelfServiceConfig {
    /** Name of the properties file under {@code conf/}, without extension. */
    public static final String FILE = "tollgate-selfservice";
    static final Set<String> KEYS = Set.of("enabled", "bind", "port", "tls", "tls.keystore", "tls.keystoreType",
            "tls.secret", "session.lifetime", "maxSessions", "maxRequestHeaderSize", "maxFormSize", "idleTimeout",
            "stopTimeout", "defaultAccess", "domainAccess");

    private final boolean enabled;
    private final String bind;
    private final int port;
    private final boolean tls;
    private final String keystore;
    private final String keystoreType;
    private final String secret;
    private final Duration sessionLifetime;
    private final int maxSessions;
    private final int maxRequestHeaderSize;
    private final int maxFormSize;
    private final Duration idleTimeout;
    private final Duration stopTimeout;
    private final boolean defaultAccess;
    private final Map<String, Boolean> domainAccess;

    private SelfServiceConfig(Parameters p) {
        p.requireKnown(KEYS);
        enabled = p.bool("enabled", true);
        bind = p.string("bind", "0.0.0.0");
        port = p.intInRange("port", 8443, 1, 65535);
        tls = p.bool("tls", true);
        keystore = p.string("tls.keystore", "conf/keystore");
        keystoreType = p.string("tls.keystoreType", "PKCS12").toUpperCase(Locale.ROOT);
        if (!keystoreType.equals("PKCS12") && !keystoreType.equals("JKS")) {
            throw new ConfigException("tls.keystoreType", "must be PKCS12 or JKS");
        }
        secret = p.optional("tls.secret").orElse(null);
        if (enabled && tls && secret == null) {
            throw new ConfigException("tls.secret", "is required while tls=true (the keystore's password, as <secret> in smtpserver.xml)");
        }
        sessionLifetime = p.duration("session.lifetime", Duration.ofMinutes(10));
        if (sessionLifetime.compareTo(Duration.ofMinutes(1)) < 0 || sessionLifetime.compareTo(Duration.ofHours(1)) > 0) {
            throw new ConfigException("session.lifetime", "must be between 1m and 1h");
        }
        maxSessions = p.intInRange("maxSessions", 10000, 10, 1_000_000);
        maxRequestHeaderSize = p.intInRange("maxRequestHeaderSize", 8192, 1024, 65536);
        maxFormSize = p.intInRange("maxFormSize", 8192, 1024, 65536);
        idleTimeout = positive(p, "idleTimeout", Duration.ofSeconds(30));
        stopTimeout = positive(p, "stopTimeout", Duration.ofSeconds(5));
        defaultAccess = onOff("defaultAccess", p.string("defaultAccess", "on"));
        domainAccess = new LinkedHashMap<>();
        for (String entry : p.list("domainAccess")) {
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("domainAccess", "entries are domain=on|off, got '" + entry + "'");
            }
            String domain = entry.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            if (domainAccess.put(domain, onOff("domainAccess", entry.substring(eq + 1).trim())) != null) {
                throw new ConfigException("domainAccess", "domain " + domain + " is given twice");
            }
        }
    }

    private static Duration positive(Parameters p, String name, Duration defaultValue) {
        Duration d = p.duration(name, defaultValue);
        if (d.isZero() || d.isNegative()) {
            throw new ConfigException(name, "must be positive");
        }
        return d;
    }

    private static boolean onOff(String parameter, String value) {
        switch (value.toLowerCase(Locale.ROOT)) {
            case "on":
                return true;
            case "off":
                return false;
            default:
                throw new ConfigException(parameter, "must be on or off, got '" + value + "'");
        }
    }

    /**
     * @throws ConfigException naming the key for an unknown key or a bad value
     */
    public static SelfServiceConfig parse(Parameters parameters) {
        return new SelfServiceConfig(parameters);
    }

    /** @return whether a user of {@code address}'s domain may sign in (the per-domain switch) */
    public boolean allows(String address) {
        int at = address.lastIndexOf('@');
        String domain = at < 0 ? "" : address.substring(at + 1).toLowerCase(Locale.ROOT);
        return domainAccess.getOrDefault(domain, defaultAccess);
    }

    public boolean enabled() {
        return enabled;
    }

    public String bind() {
        return bind;
    }

    public int port() {
        return port;
    }

    public boolean tls() {
        return tls;
    }

    public String keystore() {
        return keystore;
    }

    public String keystoreType() {
        return keystoreType;
    }

    /** @return the keystore password; never log it */
    String secret() {
        return secret;
    }

    public Duration sessionLifetime() {
        return sessionLifetime;
    }

    public int maxSessions() {
        return maxSessions;
    }

    public int maxRequestHeaderSize() {
        return maxRequestHeaderSize;
    }

    public int maxFormSize() {
        return maxFormSize;
    }

    public Duration idleTimeout() {
        return idleTimeout;
    }

    public Duration stopTimeout() {
        return stopTimeout;
    }

    @Override
    public String toString() {
        return "SelfServiceConfig[port=" + port + ", tls=" + tls + ", keystore=" + keystore + "]";
    }
}
