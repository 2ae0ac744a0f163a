package dev.tollgate.james.tls;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.apache.james.dnsservice.api.DNSService;

import dev.tollgate.core.tls.MtaStsTxtLookup;

/**
 * Finds {@code _mta-sts.<domain>} TXT records (RFC 8461 §3.1) through James's {@link DNSService}, so the
 * resolvers of {@code dnsservice.xml} are used. James 3.8.1's dnsjava service returns each record in zone-file
 * form ({@code "v=STSv1; " "id=1"}): the quoted strings are unescaped and concatenated, one element per record.
 * Never throws: a failed lookup is an empty list. Thread-safe.
 */
final class DnsServiceMtaStsTxtLookup implements MtaStsTxtLookup {
    private final DNSService dns;

    DnsServiceMtaStsTxtLookup(DNSService dns) {
        this.dns = dns;
    }

    @Override
    public List<String> txtRecords(String domain) {
        return txtRecordsAt("_mta-sts." + domain);
    }

    /** @return the TXT records at any name (e.g. {@code _smtp._tls.<domain>}, RFC 8460 §3), unquoted; never throws */
    List<String> txtRecordsAt(String name) {
        try {
            Collection<String> raw = dns.findTXTRecords(name);
            List<String> out = new ArrayList<>();
            if (raw != null) {
                for (String r : raw) {
                    out.add(unquote(r));
                }
            }
            return out;
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    /** {@code "a b" "c"} gives {@code a bc}; text without quotes is returned as is. */
    static String unquote(String record) {
        if (record.indexOf('"') < 0) {
            return record;
        }
        StringBuilder out = new StringBuilder(record.length());
        boolean inside = false;
        for (int i = 0; i < record.length(); i++) {
            char c = record.charAt(i);
            if (c == '"') {
                inside = !inside;
            } else if (inside && c == '\\' && i + 1 < record.length()) {
                char next = record.charAt(i + 1);
                if (Character.isDigit(next) && i + 3 < record.length()) {
                    out.append((char) Integer.parseInt(record.substring(i + 1, i + 4)));
                    i += 3;
                } else {
                    out.append(next);
                    i++;
                }
            } else if (inside) {
                out.append(c);
            }
        }
        return out.toString();
    }
}
