package dev.tollgate.core.tls;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Resolves a host name to its addresses. The MTA-STS policy fetch uses it so that {@code mta-sts.<domain>}
 * is resolved by the same DNS servers as the MX records (in James: its {@code DNSService}; in the CLI: the
 * {@code --dns-server}), never by a different resolver that could give another answer. Implementations must
 * be thread-safe.
 */
@FunctionalInterface
public interface HostResolver {
    /**
     * @param host a host name, A-labels
     * @return its addresses, at least one
     * @throws UnknownHostException when the name has no address or the lookup failed
     */
    List<InetAddress> resolve(String host) throws UnknownHostException;

    /** @return the JVM's resolver ({@link InetAddress#getAllByName}) */
    static HostResolver system() {
        return host -> List.of(InetAddress.getAllByName(host));
    }
}
