package dev.tollgate.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;

import javax.net.ssl.SSLContext;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.tls.DnsjavaTlsDns;
import dev.tollgate.core.tls.HostResolver;
import dev.tollgate.core.tls.HttpsMtaStsPolicyFetcher;
import dev.tollgate.core.tls.MtaStsPolicyFetcher;
import dev.tollgate.james.tls.TlsPolicyDeliveryConfig;

/**
 * {@code tollgate tls-policy <domain>}: the effective outbound TLS policy for a domain, as {@code TlsPolicyDelivery}
 * would decide it now, from live DNS ({@code --dns-server}) and HTTPS (MTA-STS policy fetch, trusting the JVM's
 * CAs plus {@code --trust-store}).
 */
@Command(name = "tls-policy",
        mixinStandardHelpOptions = true,
        versionProvider = Tollgate.Version.class,
        description = "Prints the effective outbound TLS policy of a domain, its sources and the MX hosts allowed.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:mail to the domain can be delivered under the policy",
            "1:delivery would be deferred (no allowed MX, or the policy defers)",
            "2:usage error, unreadable configuration or DNS failure"})
public final class TlsPolicyCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<domain>", description = "the recipient domain")
    private String domain;

    @Option(names = "--config", paramLabel = "<file>",
            description = "James's mailetcontainer.xml (or its conf directory): the TlsPolicyDelivery mailet's "
                    + "policyMap, defaultLevel, mtaSts and trustStore are used")
    private Path config;

    @Option(names = "--level", paramLabel = "<level>",
            description = "default level (none, may, encrypt, verify); overrides the configuration's")
    private String level;

    @Option(names = "--policy-map", paramLabel = "<entries>",
            description = "policy map entries separated by ';' (e.g. \"example.com verify; .example.org encrypt\"); "
                    + "overrides the configuration's")
    private String policyMap;

    @Option(names = "--dns-server", paramLabel = "<host[:port]>",
            description = "DNS server to ask (the one James uses); default: the system's resolvers")
    private String dnsServer;

    @Option(names = "--trust-store", paramLabel = "<file>",
            description = "extra trust anchors for the MTA-STS policy host (PEM bundle or PKCS#12)")
    private Path trustStore;

    @Option(names = "--trust-store-password", paramLabel = "<password>", description = "PKCS#12 password",
            arity = "0..1", interactive = true)
    private String trustStorePassword;

    @Option(names = "--no-mta-sts", description = "do not look up MTA-STS")
    private boolean noMtaSts;

    @Option(names = "--dane", description = "look up DANE TLSA records with DNSSEC validation (as dane=true); "
            + "on when the configuration says dane=true")
    private boolean daneOption;

    @Option(names = "--dane-trust-anchors", paramLabel = "<file>",
            description = "DNSSEC trust anchors (DS or DNSKEY records, zone-file form) instead of the configuration's "
                    + "or the IANA root KSKs; implies --dane")
    private Path daneTrustAnchors;

    @Option(names = "--probe", description = "with DANE: connect to each MX host with TLSA records (STARTTLS) and say "
            + "which record its live certificate matches")
    private boolean probe;

    @Option(names = "--port", paramLabel = "<port>", defaultValue = "25",
            description = "SMTP port for --probe (default: ${DEFAULT-VALUE})")
    private int port;

    @Option(names = "--timeout", paramLabel = "<duration>", defaultValue = "10s",
            description = "DNS and HTTPS timeout (default: ${DEFAULT-VALUE})")
    private String timeout;

    /** Test hook: builds the policy fetcher from the SSL context and resolver. */
    BiFunction<SSLContext, HostResolver, MtaStsPolicyFetcher> fetcherFactory;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        HttpsMtaStsPolicyFetcher owned = null;
        try {
            Map<String, String> params = new LinkedHashMap<>();
            String mapSource = "no configuration given";
            if (config != null) {
                params.putAll(mailetParameters(config));
                mapSource = "from " + config;
            }
            if (level != null) {
                params.put("defaultLevel", level);
            }
            if (policyMap != null) {
                params.put("policyMap", policyMap);
                params.remove("policyMapFile");
                mapSource = "from --policy-map";
            }
            if (trustStore != null) {
                params.put("trustStore", trustStore.toAbsolutePath().toString());
                params.remove("trustStoreType");
                params.remove("trustStorePassword");
                if (trustStorePassword != null) {
                    params.put("trustStorePassword", trustStorePassword);
                }
            }
            if (daneTrustAnchors != null) {
                params.put("dane", "true");
                params.put("daneTrustAnchors", daneTrustAnchors.toAbsolutePath().toString());
            }
            Duration limit = dev.tollgate.core.config.Parameters.of(Map.of("timeout", timeout)).duration("timeout", null);
            TlsPolicyDeliveryConfig settings = TlsPolicyDeliveryConfig.parse(dev.tollgate.core.config.Parameters.of(params));
            boolean mtaSts = settings.mtaSts() && !noMtaSts;

            DnsjavaTlsDns dns = new DnsjavaTlsDns(resolver(limit));
            MtaStsPolicyFetcher fetcher;
            if (fetcherFactory != null) {
                fetcher = fetcherFactory.apply(settings.loadTrust().sslContext(), dns);
            } else {
                owned = HttpsMtaStsPolicyFetcher.builder().sslContext(settings.loadTrust().sslContext())
                        .resolver(dns).connectTimeout(limit).readTimeout(limit).build();
                fetcher = owned;
            }
            TlsPolicyInspection.Dns lookups = new TlsPolicyInspection.Dns() {
                @Override
                public List<DnsjavaTlsDns.Mx> mx(String d) throws IOException {
                    try {
                        return dns.mx(d);
                    } catch (IOException e) {
                        throw DnsFailures.describe("MX", d, serverName(), limit, e);
                    }
                }

                @Override
                public List<String> txt(String name) throws IOException {
                    try {
                        return dns.txt(name);
                    } catch (IOException e) {
                        throw DnsFailures.describe("TXT", name, serverName(), limit, e);
                    }
                }
            };
            dev.tollgate.core.tls.DaneLookup dane = null;
            if (daneOption || settings.dane()) {
                Resolver head = resolver(limit);
                dane = new dev.tollgate.core.tls.DnsjavaDaneLookup(
                        dev.tollgate.core.tls.DnsjavaDaneLookup.validatingResolver(head, settings.daneTrustAnchors()));
            }
            TlsPolicyInspection inspection = new TlsPolicyInspection(settings.policyMap(), mapSource,
                    settings.defaultLevel(), mtaSts, lookups, fetcher, dane);
            if (probe) {
                if (port < 1 || port > 65535) {
                    throw new IllegalArgumentException("--port must be 1 to 65535");
                }
                inspection.probe(host -> StartTlsProbe.chain(dns.resolve(host).get(0), port, host, limit));
            }
            TlsPolicyInspection.Result result = inspection.inspect(domain);
            out.print(result.text);
            out.flush();
            return result.deliverable ? 0 : Tollgate.EXIT_ERRORS;
        } catch (ConfigException e) {
            err.println("tollgate tls-policy: " + e.getMessage());
            return Tollgate.EXIT_USAGE;
        } catch (IOException e) {
            err.println("tollgate tls-policy: " + e.getMessage());
            return Tollgate.EXIT_USAGE;
        } catch (IllegalArgumentException e) {
            err.println("tollgate tls-policy: " + e.getMessage());
            return Tollgate.EXIT_USAGE;
        } finally {
            if (owned != null) {
                owned.close();
            }
        }
    }

    /** The DNS server as the user named it, or a description of the default. */
    private String serverName() {
        return dnsServer == null ? "the system's resolvers" : dnsServer;
    }

    private Resolver resolver(Duration limit) throws IOException {
        Resolver r;
        if (dnsServer == null) {
            r = new ExtendedResolver();
        } else {
            String host = dnsServer;
            int port = 53;
            int colon = dnsServer.lastIndexOf(':');
            if (colon > 0 && dnsServer.indexOf(':') == colon) {
                host = dnsServer.substring(0, colon);
                try {
                    port = Integer.parseInt(dnsServer.substring(colon + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--dns-server: bad port in " + dnsServer);
                }
            }
            r = new SimpleResolver(new InetSocketAddress(host, port));
        }
        r.setTimeout(limit);
        return r;
    }

    /** The init parameters of the first TlsPolicyDelivery mailet in a mailetcontainer.xml (or conf directory). */
    static Map<String, String> mailetParameters(Path file) throws IOException {
        Path xml = Files.isDirectory(file) ? file.resolve("mailetcontainer.xml") : file;
        Document document;
        try {
            document = XmlFiles.read(xml);
        } catch (XmlFiles.MalformedXmlException e) {
            throw new ConfigException("--config", "malformed XML in " + xml + ": " + e.getMessage());
        } catch (IOException e) {
            throw new ConfigException("--config", "cannot read " + xml);
        }
        org.w3c.dom.NodeList mailets = document.getElementsByTagName("mailet");
        for (int i = 0; i < mailets.getLength(); i++) {
            Element mailet = (Element) mailets.item(i);
            if ("dev.tollgate.james.tls.TlsPolicyDelivery".equals(mailet.getAttribute("class"))) {
                if (System.getProperty("working.directory") == null && xml.toAbsolutePath().getParent() != null
                        && xml.toAbsolutePath().getParent().getParent() != null) {
                    // As James does: relative paths (trustStore, policyMapFile) are below its home, conf/'s parent.
                    System.setProperty("working.directory", xml.toAbsolutePath().getParent().getParent().toString());
                }
                return InitParameters.of(mailet);
            }
        }
        throw new ConfigException("--config", "no TlsPolicyDelivery mailet in " + xml);
    }
}
