package dev.tollgate.core.links;

import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;

import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;

import dev.tollgate.core.config.ConfigException;

/** Creates the dnsjava resolver behind DNSBL lookups (only loaded when DNSBL zones are configured). */
final class DnsjavaResolvers {
    private DnsjavaResolvers() {
    }

    /**
     * @param server  the resolver to ask, or null for the system's resolvers
     * @param timeout timeout of one query
     * @throws ConfigException ({@code dnsServer}) when the server name cannot be resolved
     */
    static DnsblLookup lookup(InetSocketAddress server, Duration timeout) {
        try {
            Resolver r;
            if (server != null) {
                SimpleResolver s = new SimpleResolver(server.getHostString());
                s.setPort(server.getPort());
                r = s;
            } else {
                r = new ExtendedResolver();
            }
            r.setTimeout(timeout);
            return new DnsjavaDnsblLookup(r);
        } catch (UnknownHostException e) {
            throw new ConfigException("dnsServer", "unknown host: " + e.getMessage(), e);
        }
    }
}
