package dev.tollgate.james.ops;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.apache.james.core.healthcheck.ComponentName;
import org.apache.james.core.healthcheck.HealthCheck;
import org.apache.james.core.healthcheck.Result;
import org.reactivestreams.Publisher;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import dev.tollgate.core.config.HomePaths;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Health of the DNS resolvers James uses, which MTA-STS and DANE lookups go through: the servers of
 * {@code conf/dnsservice.xml} ({@code <servers><server>}, or the system's with {@code <autodiscover>}), each
 * asked for the root's NS records with a {@value #TIMEOUT_SECONDS} s timeout. Healthy when every server answers;
 * degraded when some do not, or answer SERVFAIL (MX, MTA-STS and TLSA lookups may then fail and defer mail);
 * unhealthy when none answers. Listed in {@code healthcheck.properties}.
 */
public class DnsResolverHealthCheck implements HealthCheck {
    /** The component name WebAdmin {@code /healthcheck} reports. */
    public static final ComponentName NAME = new ComponentName("Tollgate DNS resolver");
    static final int TIMEOUT_SECONDS = 3;

    @Override
    public ComponentName componentName() {
        return NAME;
    }

    @Override
    public Publisher<Result> check() {
        return Mono.fromCallable(this::checkNow).subscribeOn(Schedulers.boundedElastic());
    }

    Result checkNow() {
        List<InetSocketAddress> servers;
        try {
            servers = servers(HomePaths.resolve("conf/dnsservice.xml"));
        } catch (Exception e) {
            return Result.unhealthy(NAME, "conf/dnsservice.xml unreadable: " + e.getMessage());
        }
        if (servers.isEmpty()) {
            return Result.unhealthy(NAME, "no DNS server configured or discovered");
        }
        List<String> problems = new ArrayList<>();
        for (InetSocketAddress server : servers) {
            String p = ask(server);
            if (p != null) {
                problems.add(p);
            }
        }
        if (problems.isEmpty()) {
            return Result.healthy(NAME);
        }
        return problems.size() == servers.size() && problems.stream().noneMatch(p -> p.contains("SERVFAIL"))
                ? Result.unhealthy(NAME, String.join("; ", problems)) : Result.degraded(NAME, String.join("; ", problems));
    }

    /** @return null when the server answered, else what went wrong */
    static String ask(InetSocketAddress server) {
        try {
            SimpleResolver r = new SimpleResolver(server);
            r.setTimeout(Duration.ofSeconds(TIMEOUT_SECONDS));
            Message answer = r.send(Message.newQuery(Record.newRecord(Name.root, Type.NS, DClass.IN)));
            int rcode = answer.getRcode();
            return rcode == Rcode.SERVFAIL ? server + " answered SERVFAIL" : null;
        } catch (java.io.IOException | RuntimeException e) {
            return server + " did not answer (" + e.getClass().getSimpleName() + ")";
        }
    }

    /** The servers DNSJavaService uses: listed ones, plus the system's when autodiscover is true. */
    static List<InetSocketAddress> servers(Path dnsservice) throws Exception {
        List<InetSocketAddress> out = new ArrayList<>();
        boolean autodiscover = true;
        if (Files.isRegularFile(dnsservice)) {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document d = f.newDocumentBuilder().parse(dnsservice.toFile());
            NodeList auto = d.getElementsByTagName("autodiscover");
            autodiscover = auto.getLength() > 0 && Boolean.parseBoolean(auto.item(0).getTextContent().strip());
            NodeList listed = d.getElementsByTagName("server");
            for (int i = 0; i < listed.getLength(); i++) {
                String s = listed.item(i).getTextContent().strip();
                int colon = s.lastIndexOf(':');
                boolean port = colon > 0 && s.indexOf(':') == colon;
                out.add(new InetSocketAddress(port ? s.substring(0, colon) : s,
                        port ? Integer.parseInt(s.substring(colon + 1)) : 53));
            }
        }
        if (autodiscover) {
            out.addAll(ResolverConfig.getCurrentConfig().servers());
        }
        return out;
    }
}
