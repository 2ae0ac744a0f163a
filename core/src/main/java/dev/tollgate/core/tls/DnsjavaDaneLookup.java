package dev.tollgate.core.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * DANE discovery (RFC 7672 §2) over dnsjava 3.5's DNSSEC-validating resolver: the MX RRset of the next-hop domain,
 * then for each MX host the TLSA RRset at {@code _25._tcp.<mx-host>}.
 *
 * <ul>
 *   <li>a SERVFAIL (the validator's answer to bogus data) or any error RCODE, on the MX or on a TLSA lookup:
 *       {@link DaneLookupResult.Status#LOOKUP_FAILURE}, so delivery is deferred rather than downgraded (§2.1);
 *   <li>an MX answer without the AD bit (no chain of trust from the anchors): {@link DaneLookupResult.Status#INSECURE},
 *       DANE does not apply and the next source decides;
 *   <li>an MX host whose address records are insecure (e.g. in an unsigned zone below a signed one) is not
 *       looked up for TLSA at all (RFC 7672 §2.2.2): its TLSA lookup failing cannot defer the domain;
 *   <li>validated TLSA records for at least one MX host: {@link DaneLookupResult.Status#SECURE_WITH_TLSA} (hosts whose
 *       TLSA answer is insecure are left out, §2.2.2); none: {@link DaneLookupResult.Status#SECURE_NO_TLSA}.
 * </ul>
 *
 * <p>A domain without MX records is looked up as its own single host (RFC 5321 §5.1). At most 16 MX hosts and 32
 * TLSA records per host are used. Never throws. Thread-safe when the resolver is (dnsjava's are).
 */
public final class DnsjavaDaneLookup implements DaneLookup {
    /**
     * The IANA root zone trust anchors (KSK-2017, key tag 20326, and KSK-2024, key tag 38696) as DS records, from
     * https://data.iana.org/root-anchors/root-anchors.xml.
     */
    public static final String IANA_ROOT_ANCHORS =
            ". 172800 IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D\n"
            + ". 172800 IN DS 38696 8 2 683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16\n";
    private static final int MAX_MX = 16;
    private static final int MAX_TLSA = 32;

    private final Resolver validating;

    /** @param validating a DNSSEC-validating resolver, e.g. from {@link #validatingResolver} */
    public DnsjavaDaneLookup(Resolver validating) {
        this.validating = Objects.requireNonNull(validating);
    }

    /**
     * @param head         the resolver that sends the queries (a recursive server reachable from here)
     * @param trustAnchors DS or DNSKEY records in zone-file form; {@link #IANA_ROOT_ANCHORS} for the public DNS
     * @return a resolver that validates every answer from the anchors down
     * @throws IOException when the anchors cannot be parsed
     */
    public static ValidatingResolver validatingResolver(Resolver head, String trustAnchors) throws IOException {
        int anchors = 0;
        try (org.xbill.DNS.Master zone = new org.xbill.DNS.Master(
                new ByteArrayInputStream(trustAnchors.getBytes(StandardCharsets.US_ASCII)), Name.root, 3600)) {
            for (Record r; (r = zone.nextRecord()) != null; ) {
                if (r.getType() == Type.DS || r.getType() == Type.DNSKEY) {
                    anchors++;
                }
            }
        }
        if (anchors == 0) {
            throw new IOException("no DS or DNSKEY trust anchor found");
        }
        ValidatingResolver resolver = new ValidatingResolver(head);
        try (InputStream in = new ByteArrayInputStream(trustAnchors.getBytes(StandardCharsets.US_ASCII))) {
            resolver.loadTrustAnchors(in);
        }
        return resolver;
    }

    @Override
    public DaneLookupResult lookup(String domain) {
        try {
            Message mx = query(domain, Type.MX);
            if (mx == null) {
                return DaneLookupResult.lookupFailure();
            }
            if (!mx.getHeader().getFlag(Flags.AD)) {
                return DaneLookupResult.insecure();
            }
            List<String> hosts = new ArrayList<>();
            for (Record r : mx.getSection(Section.ANSWER)) {
                if (r instanceof MXRecord && hosts.size() < MAX_MX) {
                    hosts.add(host(((MXRecord) r).getTarget()));
                }
            }
            if (hosts.isEmpty()) {
                hosts.add(domain.toLowerCase(Locale.ROOT));
            }
            Map<String, List<TlsaRecord>> tlsa = new LinkedHashMap<>();
            for (String host : hosts) {
                Boolean addressSecure = addressSecure(host);
                if (addressSecure == null) {
                    return DaneLookupResult.lookupFailure();
                }
                if (!addressSecure) {
                    continue;
                }
                Message answer = query("_25._tcp." + host, Type.TLSA);
                if (answer == null) {
                    return DaneLookupResult.lookupFailure();
                }
                if (!answer.getHeader().getFlag(Flags.AD)) {
                    continue;
                }
                List<TlsaRecord> records = new ArrayList<>();
                for (Record r : answer.getSection(Section.ANSWER)) {
                    if (r instanceof TLSARecord && records.size() < MAX_TLSA) {
                        TLSARecord t = (TLSARecord) r;
                        try {
                            records.add(TlsaRecord.of(t.getCertificateUsage(), t.getSelector(), t.getMatchingType(),
                                    t.getCertificateAssociationData()));
                        } catch (IllegalArgumentException malformed) {
                            // an unusable record is ignored (RFC 7672 §3.1.3)
                        }
                    }
                }
                if (!records.isEmpty()) {
                    tlsa.put(host, records);
                }
            }
            return tlsa.isEmpty() ? DaneLookupResult.secureNoTlsa() : DaneLookupResult.secureWithTlsa(tlsa);
        } catch (IOException | RuntimeException e) {
            return DaneLookupResult.lookupFailure();
        }
    }

    /**
     * @return whether the host's address records validated (A, or AAAA when it has no A records); null when the
     *     lookup failed or was bogus
     */
    private Boolean addressSecure(String host) throws IOException {
        Message a = query(host, Type.A);
        if (a == null) {
            return null;
        }
        if (!a.getHeader().getFlag(Flags.AD)) {
            return false;
        }
        if (!a.getSection(Section.ANSWER).stream().anyMatch(r -> r.getType() == Type.A)) {
            Message aaaa = query(host, Type.AAAA);
            if (aaaa == null) {
                return null;
            }
            return aaaa.getHeader().getFlag(Flags.AD);
        }
        return true;
    }

    /** @return the validated answer, or null for SERVFAIL (bogus) and other error codes */
    private Message query(String text, int type) throws IOException {
        Name name;
        try {
            name = Name.fromString(text.endsWith(".") ? text : text + ".");
        } catch (TextParseException e) {
            throw new IOException("invalid DNS name", e);
        }
        Message response = validating.send(Message.newQuery(Record.newRecord(name, type, DClass.IN)));
        if (response == null) {
            return null;
        }
        int rcode = response.getRcode();
        return rcode == Rcode.NOERROR || rcode == Rcode.NXDOMAIN ? response : null;
    }

    private static String host(Name name) {
        String s = name.toString(true).toLowerCase(Locale.ROOT);
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
