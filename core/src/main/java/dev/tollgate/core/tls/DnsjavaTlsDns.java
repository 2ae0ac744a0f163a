package dev.tollgate.core.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The DNS questions a TLS policy decision asks (MX, TXT for {@code _mta-sts} and {@code _smtp._tls}, A/AAAA for
 * hosts), answered by a dnsjava 3.5 {@link Resolver}: one query each, no client cache, NXDOMAIN and NODATA as
 * empty answers, any other RCODE as an {@link IOException}. At most 64 records per answer are used. For
 * {@code tollgate tls-policy}; James itself uses its DNSService. Thread-safe when the resolver is.
 */
public final class DnsjavaTlsDns implements MtaStsTxtLookup, HostResolver {
    private static final int MAX_ANSWERS = 64;

    /** One MX record: preference (lower first, RFC 5321 §5.1) and exchange host. */
    public static final class Mx {
        private final int preference;
        private final String host;

        /**
         * @param preference the MX preference
         * @param host       the exchange, A-labels
         */
        public Mx(int preference, String host) {
            this.preference = preference;
            this.host = host;
        }

        /** @return the preference */
        public int preference() {
            return preference;
        }

        /** @return the exchange host, lower case, no trailing dot */
        public String host() {
            return host;
        }
    }

    private final Resolver resolver;

    /** @param resolver e.g. a {@code SimpleResolver} at the DNS server James uses */
    public DnsjavaTlsDns(Resolver resolver) {
        this.resolver = Objects.requireNonNull(resolver);
    }

    /** @return the MX records of a domain, lowest preference first; empty when there are none */
    public List<Mx> mx(String domain) throws IOException {
        List<Mx> out = new ArrayList<>();
        for (Record r : query(domain, Type.MX)) {
            if (r instanceof MXRecord) {
                out.add(new Mx(((MXRecord) r).getPriority(), host(((MXRecord) r).getTarget())));
            }
        }
        out.sort(Comparator.comparingInt(Mx::preference).thenComparing(Mx::host));
        return Collections.unmodifiableList(out);
    }

    /** @return the TXT records at a name, each record's strings concatenated; empty when none */
    public List<String> txt(String name) throws IOException {
        List<String> out = new ArrayList<>();
        for (Record r : query(name, Type.TXT)) {
            if (r instanceof TXTRecord) {
                out.add(String.join("", ((TXTRecord) r).getStrings()));
            }
        }
        return Collections.unmodifiableList(out);
    }

    @Override
    public List<String> txtRecords(String domain) {
        try {
            return txt("_mta-sts." + domain);
        } catch (IOException e) {
            return List.of();
        }
    }

    @Override
    public List<InetAddress> resolve(String host) throws UnknownHostException {
        List<InetAddress> out = new ArrayList<>();
        try {
            for (Record r : query(host, Type.A)) {
                if (r instanceof ARecord) {
                    out.add(((ARecord) r).getAddress());
                }
            }
            for (Record r : query(host, Type.AAAA)) {
                if (r instanceof AAAARecord) {
                    out.add(((AAAARecord) r).getAddress());
                }
            }
        } catch (IOException e) {
            throw (UnknownHostException) new UnknownHostException(host + ": " + e.getMessage()).initCause(e);
        }
        if (out.isEmpty()) {
            throw new UnknownHostException(host);
        }
        return out;
    }

    private List<Record> query(String text, int type) throws IOException {
        Name name;
        try {
            name = Name.fromString(text.endsWith(".") ? text : text + ".");
        } catch (TextParseException e) {
            throw new IOException("invalid DNS name", e);
        }
        Message response = resolver.send(Message.newQuery(Record.newRecord(name, type, DClass.IN)));
        if (response == null || response.getQuestion() == null || !name.equals(response.getQuestion().getName())) {
            throw new IOException("DNS response does not answer the query");
        }
        int rcode = response.getRcode();
        if (rcode == Rcode.NXDOMAIN) {
            return List.of();
        }
        if (rcode != Rcode.NOERROR) {
            throw new IOException("DNS error " + Rcode.string(rcode) + " for " + text);
        }
        List<Record> out = new ArrayList<>();
        for (Record r : response.getSection(Section.ANSWER)) {
            if (r.getType() == type && out.size() < MAX_ANSWERS) {
                out.add(r);
            }
        }
        return out;
    }

    private static String host(Name name) {
        String s = name.toString(true).toLowerCase(java.util.Locale.ROOT);
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
