package dev.tollgate.it.harness;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.MountableFile;

import dev.tollgate.it.peers.MtaStsPolicyHost;
import dev.tollgate.it.peers.TlsSmtpPeer;

/**
 * Test peers as containers of the local base image, on the tests' Docker network: a DNS server (dnsmasq)
 * serving chosen MX/A/TXT records, and Java peers (receiving MTAs, HTTPS hosts...) run from the test
 * classes. Containers reach each other by network alias; James is pointed at the DNS peer with
 * {@link #dnsServiceXml(String)}.
 */
public final class Peers {
    private Peers() {
    }

    /** Records for {@link #dns}: each call adds one dnsmasq option. */
    public static final class DnsRecords {
        private final List<String> options = new ArrayList<>();

        /** An A record. */
        public DnsRecords a(String host, String ipv4) {
            options.add("--host-record=" + host + "," + ipv4);
            return this;
        }

        /** An MX record (RFC 5321 §5.1) for {@code domain} pointing at {@code exchange}. */
        public DnsRecords mx(String domain, String exchange, int preference) {
            options.add("--mx-host=" + domain + "," + exchange + "," + preference);
            return this;
        }

        /**
         * A TXT record of one string (e.g. {@code _mta-sts.example.test}, RFC 8461 §3.1). The option reaches
         * dnsmasq without a shell, so quotes would become part of the text; dnsmasq splits at commas, so the
         * text must have none.
         */
        public DnsRecords txt(String name, String text) {
            if (text.contains(",") || text.contains("\"")) {
                throw new IllegalArgumentException("dnsmasq TXT text cannot contain ',' or '\"'");
            }
            options.add("--txt-record=" + name + "," + text);
            return this;
        }

        List<String> options() {
            return options;
        }
    }

    /**
     * A dnsmasq server authoritative for nothing but the given records (no upstream, no /etc/hosts),
     * logging every query to its output.
     */
    @SuppressWarnings("resource")
    public static GenericContainer<?> dns(Network network, String alias, DnsRecords records) {
        List<String> command = new ArrayList<>(List.of("dnsmasq", "--keep-in-foreground", "--no-resolv", "--no-hosts",
                "--log-queries", "--log-facility=-", "--user=root"));
        command.addAll(records.options());
        return new GenericContainer<>(DockerImageName.parse(Images.base()))
                .withNetwork(network).withNetworkAliases(alias)
                .withCommand(command.toArray(new String[0]))
                .waitingFor(Wait.forLogMessage(".*started, version.*", 1));
    }

    /**
     * A Java peer: runs {@code mainClass} (from the compiled test classes) with {@code args} in the base image.
     * It is ready when it prints a line matching {@code readyLogRegex}.
     */
    @SuppressWarnings("resource")
    public static GenericContainer<?> java(Network network, String alias, Class<?> mainClass, String readyLogRegex, String... args) {
        List<String> command = new ArrayList<>(List.of("java", "-cp", "/peer/classes", mainClass.getName()));
        command.addAll(List.of(args));
        return new GenericContainer<>(DockerImageName.parse(Images.base()))
                .withNetwork(network).withNetworkAliases(alias)
                .withCopyFileToContainer(MountableFile.forHostPath(ItSettings.testClasses()), "/peer/classes")
                .withCommand(command.toArray(new String[0]))
                .waitingFor(Wait.forLogMessage(readyLogRegex, 1));
    }

    /**
     * An SMTP peer ({@code TlsSmtpPeer}) on port 25 answering STARTTLS with the certificate its SNI names: one
     * PKCS#12 key store {@code <name>.p12} per host name in {@code keys}, reachable under {@code names}.
     */
    public static GenericContainer<?> sniSmtpPeer(Network network, Path keys, String... names) {
        return java(network, "mx", TlsSmtpPeer.class, ".*PEER READY.*\\n",
                "25", "/peer/inbox", "sni", "/peer/keys", TestCa.PASSWORD)
                .withNetworkAliases(names)
                .withCopyFileToContainer(MountableFile.forHostPath(keys), "/peer/keys");
    }

    /**
     * An HTTPS host ({@code MtaStsPolicyHost}) on port 443 with the key store {@code keyStore}: it serves an MTA-STS
     * policy for each {@code mta-sts.<domain>} entry of {@code policies} (RFC 8461 §3.3) and takes TLS-RPT POSTs
     * (RFC 8460 §5.3); {@code extraArgs} go to its command line after the key store's password.
     */
    public static GenericContainer<?> policyHost(Network network, String alias, Path keyStore,
            Map<String, String> policies, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("443", "/peer/policies", "/peer/server.p12", TestCa.PASSWORD));
        args.addAll(List.of(extraArgs));
        GenericContainer<?> host = java(network, alias, MtaStsPolicyHost.class, ".*POLICY HOST READY.*\\n",
                args.toArray(new String[0]))
                .withCopyFileToContainer(MountableFile.forHostPath(keyStore), "/peer/server.p12");
        policies.forEach((name, policy) -> host.withCopyToContainer(Transferable.of(policy), "/peer/policies/" + name));
        return host;
    }

    /** @return the text of an MTA-STS policy (RFC 8461 §3.2) of this mode and MX patterns, {@code max_age} one day */
    public static String mtaStsPolicy(String mode, String... mx) {
        StringBuilder body = new StringBuilder("version: STSv1\nmode: " + mode + "\n");
        for (String m : mx) {
            body.append("mx: ").append(m).append('\n');
        }
        return body.append("max_age: 86400\n").toString();
    }

    /** @return the container's IPv4 address on its (single) Docker network */
    public static String ipOf(GenericContainer<?> container) {
        return container.getContainerInfo().getNetworkSettings().getNetworks().values().iterator().next().getIpAddress();
    }

    /** @return a {@code dnsservice.xml} that makes James resolve only through the given servers */
    public static String dnsServiceXml(String... serverIps) {
        String servers = List.of(serverIps).stream().map(ip -> "        <server>" + ip + "</server>")
                .collect(Collectors.joining("\n"));
        return "<?xml version=\"1.0\"?>\n<dnsservice>\n    <servers>\n" + servers + "\n    </servers>\n"
                + "    <autodiscover>false</autodiscover>\n    <authoritative>false</authoritative>\n"
                + "    <maxcachesize>50000</maxcachesize>\n</dnsservice>\n";
    }
}
