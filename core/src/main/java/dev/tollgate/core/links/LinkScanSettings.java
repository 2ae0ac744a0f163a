package dev.tollgate.core.links;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.HomePaths;
import dev.tollgate.core.config.Parameters;

/**
 * Scanner configuration shared by the rewriting mailet, the matchers and the redirector: parsed (syntax
 * only, no file or network access) by {@link #parse}, turned into a {@link LinkScanner} by {@link #build}.
 *
 * <table>
 *   <caption>Parameters</caption>
 *   <tr><th>name</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code blockList}</td><td>none</td><td>host list file (one pattern a line, {@code *.example.com}
 *       for subdomains); listed hosts are MALICIOUS; reloaded when the file changes</td></tr>
 *   <tr><td>{@code allowList}</td><td>none</td><td>host list file; listed hosts are CLEAN without other checks</td></tr>
 *   <tr><td>{@code listCheckInterval}</td><td>{@code 30s}</td><td>how often list files are checked for changes</td></tr>
 *   <tr><td>{@code protectedDomains}</td><td>none</td><td>comma-separated domains whose look-alikes are MALICIOUS</td></tr>
 *   <tr><td>{@code dnsblZones}</td><td>none</td><td>comma-separated DNSBL zones with Spamhaus DBL semantics</td></tr>
 *   <tr><td>{@code dnsServer}</td><td>system resolvers</td><td>{@code host[:port]} of the resolver for DNSBL queries</td></tr>
 *   <tr><td>{@code dnsTimeout}</td><td>{@code 2s}</td><td>timeout of one DNSBL query</td></tr>
 * </table>
 *
 * <p>Relative file names are resolved against the {@code working.directory} system property (James's
 * home, e.g. {@code /root}) when set, else the current directory.
 */
public final class LinkScanSettings {
    /** The parameter names this class reads. */
    public static final Set<String> PARAMETERS = Set.of("blockList", "allowList", "listCheckInterval",
            "protectedDomains", "dnsblZones", "dnsServer", "dnsTimeout");

    private final Optional<Path> blockList;
    private final Optional<Path> allowList;
    private final Duration listCheckInterval;
    private final List<String> protectedDomains;
    private final List<String> dnsblZones;
    private final Optional<String> dnsServer;
    private final Duration dnsTimeout;

    private LinkScanSettings(Parameters p) {
        this.blockList = p.optional("blockList").map(HomePaths::resolve);
        this.allowList = p.optional("allowList").map(HomePaths::resolve);
        this.listCheckInterval = p.duration("listCheckInterval", Duration.ofSeconds(30));
        this.protectedDomains = p.list("protectedDomains");
        this.dnsblZones = p.list("dnsblZones");
        this.dnsServer = p.optional("dnsServer");
        this.dnsTimeout = p.duration("dnsTimeout", Duration.ofSeconds(2));
        try {
            LinkChecks.homographs(protectedDomains);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("protectedDomains", e.getMessage());
        }
        for (String zone : dnsblZones) {
            if (!HostNormalizer.normalize(zone).isValid()) {
                throw new ConfigException("dnsblZones", "'" + zone + "' is not a valid DNS zone");
            }
        }
        if (dnsTimeout.isZero() || dnsTimeout.isNegative() || dnsTimeout.compareTo(Duration.ofSeconds(30)) > 0) {
            throw new ConfigException("dnsTimeout", "must be between 1ms and 30s");
        }
        dnsServer.ifPresent(LinkScanSettings::hostPort);
    }

    /**
     * Reads the parameters listed in {@link #PARAMETERS}; other parameters are ignored (the caller checks
     * for unknown names).
     *
     * @throws ConfigException naming the parameter
     */
    public static LinkScanSettings parse(Parameters parameters) {
        return new LinkScanSettings(parameters);
    }

    private static InetSocketAddress hostPort(String value) {
        String v = value.strip();
        int port = 53;
        String host = v;
        int colon = v.lastIndexOf(':');
        if (colon > 0 && v.indexOf(':') == colon) {
            host = v.substring(0, colon);
            try {
                port = Integer.parseInt(v.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new ConfigException("dnsServer", "must be host[:port]");
            }
            if (port < 1 || port > 65535) {
                throw new ConfigException("dnsServer", "port must be 1 to 65535");
            }
        }
        if (host.isEmpty()) {
            throw new ConfigException("dnsServer", "must be host[:port]");
        }
        return InetSocketAddress.createUnresolved(host, port);
    }

    /**
     * The values in effect by parameter name, for comparing two components' settings: list files resolved against
     * James's home, durations as read, host and zone lists lower-cased, sorted and without repeats.
     *
     * @return one canonical string per name of {@link #PARAMETERS}
     */
    public Map<String, String> inEffect() {
        Map<String, String> m = new TreeMap<>();
        m.put("blockList", blockList.map(f -> f.normalize().toString()).orElse(""));
        m.put("allowList", allowList.map(f -> f.normalize().toString()).orElse(""));
        m.put("listCheckInterval", listCheckInterval.toString());
        m.put("protectedDomains", canonicalHosts(protectedDomains));
        m.put("dnsblZones", canonicalHosts(dnsblZones));
        m.put("dnsServer", dnsServer.map(v -> v.strip().toLowerCase(Locale.ROOT)).orElse(""));
        m.put("dnsTimeout", dnsTimeout.toString());
        return m;
    }

    /** @return host names or patterns lower-cased, sorted, without repeats (as a set of hosts means the same in any order) */
    public static String canonicalHosts(List<String> hosts) {
        return new TreeSet<>(hosts.stream().map(h -> h.strip().toLowerCase(Locale.ROOT))
                .collect(Collectors.toList())).toString();
    }

    /** @return whether DNSBL zones are configured (a scan then costs DNS queries) */
    public boolean usesDns() {
        return !dnsblZones.isEmpty();
    }

    /**
     * Builds the scanner: the {@link DefaultLinkCheck}s (homographs against the protected domains), then the
     * block list and DNSBLs; the allow list short-cuts everything.
     *
     * @throws ConfigException when a list file cannot be read or the resolver cannot be created
     */
    public LinkScanner build(Clock clock) {
        LinkScanner.Builder b = LinkScanner.builder();
        b.defaultChecks(protectedDomains);
        blockList.ifPresent(f -> b.check(LinkChecks.blockList(HostList.load("blockList", f, listCheckInterval, clock))));
        allowList.ifPresent(f -> b.allowList(HostList.load("allowList", f, listCheckInterval, clock)));
        if (!dnsblZones.isEmpty()) {
            DnsblLookup lookup = lookup();
            for (String zone : dnsblZones) {
                b.check(LinkChecks.dnsbl(Dnsbl.builder(zone, lookup).build()));
            }
        }
        return b.build();
    }

    /** Kept apart so that parsing (and {@code tollgate check-config}) never loads dnsjava classes. */
    private DnsblLookup lookup() {
        InetSocketAddress server = dnsServer.map(LinkScanSettings::hostPort).orElse(null);
        return DnsjavaResolvers.lookup(server, dnsTimeout);
    }
}
