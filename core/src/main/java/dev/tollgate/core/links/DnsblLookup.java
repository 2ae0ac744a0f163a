package dev.tollgate.core.links;

import java.io.IOException;
import java.net.Inet4Address;
import java.util.List;

/**
 * The DNS side of a {@link Dnsbl}: resolves the A records of a query name such as
 * {@code example.test.dbl.spamhaus.org}. Implementations (e.g. over dnsjava, or fakes in tests) must be
 * thread-safe and bound their own time (resolver timeout).
 */
@FunctionalInterface
public interface DnsblLookup {
    /**
     * @param queryName the fully qualified query name, without trailing dot
     * @return the IPv4 addresses of the A records; empty for NXDOMAIN or no A record (not listed)
     * @throws IOException when the lookup failed (timeout, SERVFAIL, network): the result is unknown
     */
    List<Inet4Address> lookupA(String queryName) throws IOException;
}
