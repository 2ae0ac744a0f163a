package dev.tollgate.it.harness;

import java.time.Duration;

import org.awaitility.Awaitility;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;

import dev.tollgate.it.peers.SmtpSink;

/**
 * An outside domain James delivers to, on a Docker network of its own: an {@link SmtpSink} as the domain's MX
 * ({@code mx.<domain>}, port 25, plain SMTP, each message stored as {@code /peer/inbox/<n>.eml} and logged as
 * {@code SINK STORED <n>}) and a dnsmasq server that answers the domain's MX and the MX host's A record, and
 * nothing else. {@link #james()} gives a James on that network that resolves through that server.
 *
 * <pre>{@code
 * partner = PartnerMx.start("partner.test");
 * james = partner.james().withConfFile("tollgate-dlp-policy.xml", POLICY);
 * james.start();
 * ...
 * Teardown.stopAll(partner.network(), james, partner.dns(), partner.sink());
 * }</pre>
 */
public final class PartnerMx {
    private final Network network;
    private final GenericContainer<?> sink;
    private final GenericContainer<?> dns;

    private PartnerMx(Network network, GenericContainer<?> sink, GenericContainer<?> dns) {
        this.network = network;
        this.sink = sink;
        this.dns = dns;
    }

    /**
     * Starts the sink and the DNS server on a new network.
     *
     * @param domain      the partner's domain, e.g. {@code partner.test}; its MX is {@code mx.<domain>}
     * @param alsoDomains more domains whose MX ({@code mx.<name>}) is the same sink
     */
    public static PartnerMx start(String domain, String... alsoDomains) {
        Network network = Network.newNetwork();
        GenericContainer<?> sink = Peers.java(network, "mx." + domain, SmtpSink.class, ".*SINK READY.*\\n", "25",
                "/peer/inbox");
        sink.start();
        String ip = Peers.ipOf(sink);
        Peers.DnsRecords records = new Peers.DnsRecords().mx(domain, "mx." + domain, 10).a("mx." + domain, ip);
        for (String other : alsoDomains) {
            records.mx(other, "mx." + other, 10).a("mx." + other, ip);
        }
        GenericContainer<?> dns = Peers.dns(network, "dns", records);
        dns.start();
        return new PartnerMx(network, sink, dns);
    }

    /** @return a James (not started) on this network, alias {@code james}, resolving through this DNS server */
    public JamesContainer james() {
        return new JamesContainer().withNetwork(network).withNetworkAliases("james")
                .withConfFile("dnsservice.xml", Peers.dnsServiceXml(Peers.ipOf(dns)));
    }

    public Network network() {
        return network;
    }

    public GenericContainer<?> sink() {
        return sink;
    }

    public GenericContainer<?> dns() {
        return dns;
    }

    /** @return how many messages an {@link SmtpSink} container has stored so far ({@code SINK STORED <n>} lines) */
    public static int storedCount(GenericContainer<?> sink) {
        String logs = sink.getLogs();
        int n = 0;
        while (logs.contains("SINK STORED " + (n + 1))) {
            n++;
        }
        return n;
    }

    /**
     * @return the first message an {@link SmtpSink} container stored that contains {@code marker}, once one does
     * @throws org.awaitility.core.ConditionTimeoutException when none does within {@code wait}
     */
    public static String awaitStored(GenericContainer<?> sink, String marker, Duration wait) {
        String[] found = new String[1];
        Awaitility.await().atMost(wait).pollInterval(Duration.ofSeconds(1)).until(() -> {
            for (int i = 1; i <= storedCount(sink); i++) {
                String m = sink.execInContainer("cat", "/peer/inbox/" + i + ".eml").getStdout();
                if (m.contains(marker)) {
                    found[0] = m;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }
}
