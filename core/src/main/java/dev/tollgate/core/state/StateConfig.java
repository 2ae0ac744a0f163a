package dev.tollgate.core.state;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Parameters;

/**
 * Where Tollgate keeps the state several James nodes must share, read once at startup from
 * {@code conf/tollgate-state.properties} (a missing file means {@code backend=file}: one node, as before).
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code backend}</td><td>{@code file}</td><td>{@code file} (one node: the MFA store directory of
 *       {@code tollgate-mfa.properties}, failures in memory), {@code cassandra} (a cluster), {@code memory}
 *       (tests: nothing survives a restart)</td></tr>
 *   <tr><td>{@code cassandra.session}</td><td>{@code auto}</td><td>{@code auto}: James's own {@code CqlSession} when
 *       its Guice injector binds one (the distributed app), else one opened from the keys below; {@code james}:
 *       James's, or stop at startup; {@code own}: always one opened from the keys below</td></tr>
 *   <tr><td>{@code cassandra.contactPoints}</td><td>(none; required for an own session)</td><td>{@code host:port}
 *       list, comma-separated; port 9042 when omitted</td></tr>
 *   <tr><td>{@code cassandra.localDatacenter}</td><td>{@code datacenter1}</td><td>the driver's local data centre
 *       (LOCAL_QUORUM and LOCAL_SERIAL are counted there)</td></tr>
 *   <tr><td>{@code cassandra.keyspace}</td><td>{@code tollgate}</td><td>Tollgate's keyspace; every statement
 *       names it, so James's session (bound to James's keyspace) can be used</td></tr>
 *   <tr><td>{@code cassandra.createKeyspace}</td><td>{@code true}</td><td>create the keyspace when missing, with
 *       {@code NetworkTopologyStrategy} and {@code cassandra.replicationFactor} in the local data centre</td></tr>
 *   <tr><td>{@code cassandra.replicationFactor}</td><td>{@code 1}</td><td>1..9; 3 for a production cluster</td></tr>
 *   <tr><td>{@code cassandra.username}, {@code cassandra.password}</td><td>(none)</td><td>PasswordAuthenticator
 *       credentials; both or neither</td></tr>
 *   <tr><td>{@code cassandra.tls}</td><td>{@code false}</td><td>TLS to Cassandra, host names verified</td></tr>
 *   <tr><td>{@code cassandra.tls.trustStore}, {@code cassandra.tls.trustStorePassword},
 *       {@code cassandra.tls.trustStoreType}</td><td>(JVM's trust) / (none) / {@code PKCS12}</td><td>trust for
 *       Cassandra's certificates; relative paths are under James's working directory</td></tr>
 *   <tr><td>{@code cassandra.requestTimeout}</td><td>{@code 2s}</td><td>per request; an unreachable store
 *       answers SMTP AUTH {@code 454 4.7.0} after at most this long</td></tr>
 * </table>
 */
public final class StateConfig {
    /** Name of the properties file under {@code conf/}, without extension. */
    public static final String FILE = "tollgate-state";

    /** The backends. */
    public enum Backend {
        /** One node: files beside the MFA store, failures in memory. */
        FILE,
        /** A cluster: Cassandra. */
        CASSANDRA,
        /** Tests: memory only. */
        MEMORY
    }

    /** Which Cassandra session to use. */
    public enum Session {
        /** James's when bound, else our own. */
        AUTO,
        /** James's, or fail at startup. */
        JAMES,
        /** Always our own. */
        OWN
    }

    static final Set<String> KEYS = Set.of("backend", "cassandra.session", "cassandra.contactPoints",
            "cassandra.localDatacenter", "cassandra.keyspace", "cassandra.createKeyspace", "cassandra.replicationFactor",
            "cassandra.username", "cassandra.password", "cassandra.tls", "cassandra.tls.trustStore",
            "cassandra.tls.trustStorePassword", "cassandra.tls.trustStoreType", "cassandra.requestTimeout");

    private final Backend backend;
    private final Session session;
    private final List<InetSocketAddress> contactPoints;
    private final String localDatacenter;
    private final String keyspace;
    private final boolean createKeyspace;
    private final int replicationFactor;
    private final String username;
    private final String password;
    private final boolean tls;
    private final Path trustStore;
    private final String trustStorePassword;
    private final String trustStoreType;
    private final Duration requestTimeout;

    private StateConfig(Parameters p) {
        this.backend = p.enumValue("backend", Backend.class, Backend.FILE);
        this.session = p.enumValue("cassandra.session", Session.class, Session.AUTO);
        List<InetSocketAddress> points = new ArrayList<>();
        for (String item : p.list("cassandra.contactPoints")) {
            points.add(hostAndPort(item));
        }
        this.contactPoints = Collections.unmodifiableList(points);
        this.localDatacenter = p.string("cassandra.localDatacenter", "datacenter1");
        if (!localDatacenter.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new ConfigException("cassandra.localDatacenter", "must be a data centre name (letters, digits, '.', '-', '_')");
        }
        this.keyspace = p.string("cassandra.keyspace", "tollgate");
        if (!keyspace.matches("[A-Za-z][A-Za-z0-9_]{0,47}")) {
            throw new ConfigException("cassandra.keyspace", "must be a letter then up to 47 letters, digits or '_'");
        }
        this.createKeyspace = p.bool("cassandra.createKeyspace", true);
        this.replicationFactor = p.intInRange("cassandra.replicationFactor", 1, 1, 9);
        this.username = p.optional("cassandra.username").orElse(null);
        this.password = p.optional("cassandra.password").orElse(null);
        if ((username == null) != (password == null)) {
            throw new ConfigException(username == null ? "cassandra.username" : "cassandra.password",
                    "cassandra.username and cassandra.password go together");
        }
        this.tls = p.bool("cassandra.tls", false);
        this.trustStore = p.optional("cassandra.tls.trustStore").map(Paths::get).orElse(null);
        this.trustStorePassword = p.optional("cassandra.tls.trustStorePassword").orElse(null);
        this.trustStoreType = p.string("cassandra.tls.trustStoreType", "PKCS12");
        if (!tls && trustStore != null) {
            throw new ConfigException("cassandra.tls.trustStore", "is set but cassandra.tls is false");
        }
        this.requestTimeout = p.duration("cassandra.requestTimeout", Duration.ofSeconds(2));
        if (requestTimeout.isZero() || requestTimeout.isNegative() || requestTimeout.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new ConfigException("cassandra.requestTimeout", "must be positive and at most 1m");
        }
        if (backend == Backend.CASSANDRA && session == Session.OWN && contactPoints.isEmpty()) {
            throw new ConfigException("cassandra.contactPoints", "is required with backend=cassandra and cassandra.session=own");
        }
    }

    private static InetSocketAddress hostAndPort(String item) {
        String host = item;
        int port = 9042;
        int colon = item.lastIndexOf(':');
        if (colon > 0 && item.indexOf(':') == colon || item.startsWith("[") && item.contains("]:")) {
            host = item.substring(0, colon);
            try {
                port = Integer.parseInt(item.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new ConfigException("cassandra.contactPoints", "bad port in '" + item + "'");
            }
            if (port < 1 || port > 65535) {
                throw new ConfigException("cassandra.contactPoints", "bad port in '" + item + "'");
            }
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty()) {
            throw new ConfigException("cassandra.contactPoints", "empty host in '" + item + "'");
        }
        return InetSocketAddress.createUnresolved(host, port);
    }

    /**
     * @param parameters the keys of {@code tollgate-state.properties}
     * @throws ConfigException naming the key for an unknown key or an invalid value
     */
    public static StateConfig parse(Parameters parameters) {
        parameters.requireKnown(KEYS);
        return new StateConfig(parameters);
    }

    /** @return {@code backend=file}, all defaults */
    public static StateConfig defaults() {
        return parse(Parameters.empty());
    }

    /** @return the backend */
    public Backend backend() {
        return backend;
    }

    /** @return which Cassandra session to use */
    public Session session() {
        return session;
    }

    /** @return the contact points (unresolved), empty when none were given */
    public List<InetSocketAddress> contactPoints() {
        return contactPoints;
    }

    /** @return the local data centre */
    public String localDatacenter() {
        return localDatacenter;
    }

    /** @return the keyspace */
    public String keyspace() {
        return keyspace;
    }

    /** @return whether to create the keyspace when missing */
    public boolean createKeyspace() {
        return createKeyspace;
    }

    /** @return the replication factor of a keyspace Tollgate creates */
    public int replicationFactor() {
        return replicationFactor;
    }

    /** @return the user name, empty without authentication */
    public Optional<String> username() {
        return Optional.ofNullable(username);
    }

    /** @return the password, empty without authentication; never log it */
    public Optional<String> password() {
        return Optional.ofNullable(password);
    }

    /** @return whether to use TLS */
    public boolean tls() {
        return tls;
    }

    /** @return the trust store, empty for the JVM's default trust */
    public Optional<Path> trustStore() {
        return Optional.ofNullable(trustStore);
    }

    /** @return the trust store password, empty when none; never log it */
    public Optional<String> trustStorePassword() {
        return Optional.ofNullable(trustStorePassword);
    }

    /** @return the trust store type */
    public String trustStoreType() {
        return trustStoreType;
    }

    /** @return the request timeout */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    @Override
    public String toString() {
        return "StateConfig[backend=" + backend.name().toLowerCase(java.util.Locale.ROOT)
                + (backend == Backend.CASSANDRA ? ", keyspace=" + keyspace + ", contactPoints=" + contactPoints : "") + "]";
    }
}
