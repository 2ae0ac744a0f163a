package dev.tollgate.core.links;

import java.io.IOException;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A {@link DnsblLookup} over a dnsjava 3.5 {@link Resolver} (whose timeout bounds each query): sends one
 * A query (RFC 1035 §4.1), maps NXDOMAIN to "not listed" (empty), NOERROR to the A records of the answer
 * section (RFC 5782 §2.1), and any other RCODE, or a reply without the query's question, to an
 * {@link IOException}. No client-side cache: {@link Dnsbl} caches results. Thread-safe when the resolver
 * is (dnsjava's {@code SimpleResolver} and {@code ExtendedResolver} are).
 */
public final class DnsjavaDnsblLookup implements DnsblLookup {
    private static final int MAX_ANSWERS = 32;

    private final Resolver resolver;

    /** @param resolver the resolver to ask, e.g. a {@code SimpleResolver} pointing at a local recursor */
    public DnsjavaDnsblLookup(Resolver resolver) {
        this.resolver = Objects.requireNonNull(resolver);
    }

    @Override
    public List<Inet4Address> lookupA(String queryName) throws IOException {
        final Name name;
        try {
            name = Name.fromString(queryName.endsWith(".") ? queryName : queryName + ".");
        } catch (TextParseException e) {
            throw new IOException("invalid DNSBL query name", e);
        }
        Message query = Message.newQuery(Record.newRecord(name, Type.A, DClass.IN));
        Message response = resolver.send(query);
        if (response == null || response.getQuestion() == null || !name.equals(response.getQuestion().getName())) {
            throw new IOException("DNS response does not answer the query");
        }
        int rcode = response.getRcode();
        if (rcode == Rcode.NXDOMAIN) {
            return List.of();
        }
        if (rcode != Rcode.NOERROR) {
            throw new IOException("DNS error " + Rcode.string(rcode));
        }
        List<Inet4Address> addresses = new ArrayList<>();
        for (Record record : response.getSection(Section.ANSWER)) {
            if (record instanceof ARecord && addresses.size() < MAX_ANSWERS) {
                addresses.add((Inet4Address) ((ARecord) record).getAddress());
            }
        }
        return Collections.unmodifiableList(addresses);
    }

    @Override
    public String toString() {
        return "DnsjavaDnsblLookup[" + resolver + "]";
    }
}
