package dev.tollgate.cli;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import dev.tollgate.core.tls.DaneLookup;
import dev.tollgate.core.tls.DaneLookupResult;
import dev.tollgate.core.tls.DnsjavaTlsDns;
import dev.tollgate.core.tls.EffectiveTlsPolicy;
import dev.tollgate.core.tls.MtaStsPolicy;
import dev.tollgate.core.tls.MtaStsPolicyCache;
import dev.tollgate.core.tls.MtaStsPolicyFetcher;
import dev.tollgate.core.tls.TlsPolicyEntry;
import dev.tollgate.core.tls.TlsPolicyMap;
import dev.tollgate.core.tls.TlsPolicyResolver;
import dev.tollgate.core.tls.TlsRptRecord;
import dev.tollgate.core.tls.TlsSecurityLevel;

/**
 * What {@code tollgate tls-policy <domain>} finds and prints: the effective policy as {@code TlsPolicyDelivery}
 * would decide it (same {@link TlsPolicyResolver}), each source with what it contributed, the MX hosts in
 * preference order with whether each may be used and why, and the TLS-RPT record. Pure logic over its DNS and
 * fetch inputs, so it is unit-tested with fakes.
 */
final class TlsPolicyInspection {
    /** The DNS questions asked (MX and TXT); implemented over dnsjava by {@link DnsjavaTlsDns}. */
    interface Dns {
        List<DnsjavaTlsDns.Mx> mx(String domain) throws IOException;

        List<String> txt(String name) throws IOException;
    }

    /** Fetches the chain an MX host presents after STARTTLS (not trusted, only collected), e.g. {@link StartTlsProbe}. */
    interface CertificateProbe {
        java.security.cert.X509Certificate[] chain(String mxHost) throws IOException;
    }

    private final TlsPolicyMap policyMap;
    private final String policyMapSource;
    private final TlsSecurityLevel defaultLevel;
    private final boolean mtaSts;
    private final Dns dns;
    private final MtaStsPolicyFetcher fetcher;
    private final DaneLookup dane;
    private CertificateProbe probe;

    TlsPolicyInspection(TlsPolicyMap policyMap, String policyMapSource, TlsSecurityLevel defaultLevel, boolean mtaSts,
            Dns dns, MtaStsPolicyFetcher fetcher) {
        this(policyMap, policyMapSource, defaultLevel, mtaSts, dns, fetcher, null);
    }

    /** @param dane the DNSSEC-validating TLSA lookup, or null when DANE is off */
    TlsPolicyInspection(TlsPolicyMap policyMap, String policyMapSource, TlsSecurityLevel defaultLevel, boolean mtaSts,
            Dns dns, MtaStsPolicyFetcher fetcher, DaneLookup dane) {
        this.dane = dane;
        this.policyMap = policyMap;
        this.policyMapSource = policyMapSource;
        this.defaultLevel = defaultLevel;
        this.mtaSts = mtaSts;
        this.dns = dns;
        this.fetcher = fetcher;
    }

    /** @param probe connects to MX hosts with TLSA records to say which record their live certificate matches */
    TlsPolicyInspection probe(CertificateProbe probe) {
        this.probe = probe;
        return this;
    }

    /** The printed text and whether mail to the domain could currently be delivered under the policy. */
    static final class Result {
        final String text;
        final boolean deliverable;

        Result(String text, boolean deliverable) {
            this.text = text;
            this.deliverable = deliverable;
        }
    }

    /**
     * @throws IOException when the MX lookup fails (the answer would be meaningless)
     * @throws IllegalArgumentException when {@code domain} is not a domain name
     */
    Result inspect(String domain) throws IOException {
        StringBuilder out = new StringBuilder();
        String name = domain.toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
        List<String> stsTxt = List.of();
        String stsTxtProblem = null;
        if (mtaSts) {
            try {
                stsTxt = dns.txt("_mta-sts." + name);
            } catch (IOException e) {
                stsTxtProblem = e.getMessage();
            }
        }
        List<String> txtForResolver = stsTxt;
        MtaStsPolicyCache cache = MtaStsPolicyCache.create(fetcher, Clock.systemUTC());
        TlsPolicyResolver.Builder builder = TlsPolicyResolver.builder().policyMap(policyMap).defaultLevel(defaultLevel);
        MtaStsPolicyCache.Outcome sts = null;
        DaneLookupResult daneResult = null;
        if (dane != null) {
            daneResult = dane.lookup(name);
            DaneLookupResult fixed = daneResult;
            builder.daneLookup(d -> fixed);
        }
        if (mtaSts) {
            sts = cache.lookup(name, txtForResolver);
            builder.mtaSts(cache, d -> txtForResolver);
        }
        EffectiveTlsPolicy policy = builder.build().resolve(name);

        out.append("Domain: ").append(policy.domain()).append('\n');
        out.append("Effective policy: ").append(policy.level().postfixName()).append(" (source ")
                .append(source(policy.source())).append(", ").append(policy.mode().name().toLowerCase(Locale.ROOT))
                .append(")\n");
        for (String reason : policy.reasons()) {
            out.append("  - ").append(reason).append('\n');
        }
        policy.deferReason().ifPresent(r -> out.append("  ! delivery is deferred: ").append(r.code()).append(" (")
                .append(r.diagnostic()).append(")\n"));

        out.append("\nSources, highest precedence first:\n");
        Optional<TlsPolicyEntry> entry = policyMap.lookup(policy.domain());
        out.append("  policy map: ").append(entry.map(e -> "entry " + e.pattern() + " " + e.level().postfixName())
                .orElse("no entry")).append(" (").append(policyMapSource).append(")\n");
        if (daneResult == null) {
            out.append("  DANE: not consulted (dane=false; dane levels in the policy map defer)\n");
        } else {
            out.append("  DANE: ").append(daneResult.status().name().toLowerCase(Locale.ROOT).replace('_', ' '))
                    .append(" (DNSSEC ").append(dnssec(daneResult.status())).append(")\n");
            daneResult.tlsaByMxHost().forEach((host, records) -> {
                records.forEach(r -> out.append("    _25._tcp.").append(host).append(" TLSA ").append(r)
                        .append(r.isUsable() ? "" : " (unusable)").append('\n'));
                if (probe != null) {
                    out.append("    live certificate of ").append(host).append(": ")
                            .append(liveMatch(host, name, records)).append('\n');
                }
            });
        }
        if (!mtaSts) {
            out.append("  MTA-STS: off (mtaSts=false)\n");
        } else {
            out.append("  MTA-STS: TXT _mta-sts.").append(name).append(": ");
            if (stsTxtProblem != null) {
                out.append("lookup failed (").append(stsTxtProblem).append(")\n");
            } else if (stsTxt.isEmpty()) {
                out.append("none\n");
            } else {
                out.append(String.join(" | ", stsTxt)).append('\n');
            }
            if (sts.policy().isPresent()) {
                MtaStsPolicy p = sts.policy().get().policy();
                out.append("    policy https://mta-sts.").append(name).append("/.well-known/mta-sts.txt (id ")
                        .append(sts.policy().get().id()).append(", cached for ").append(p.maxAge().getSeconds())
                        .append(" s):\n");
                for (String line : p.toPolicyLines()) {
                    out.append("      ").append(line).append('\n');
                }
            }
            sts.failure().ifPresent(f -> out.append("    policy not usable: ").append(f.code()).append(" (")
                    .append(f.diagnostic()).append(")\n"));
        }
        out.append("  default level: ").append(defaultLevel.postfixName()).append('\n');

        out.append("\nMX hosts, preference order:\n");
        List<DnsjavaTlsDns.Mx> mxs = dns.mx(name);
        boolean anyAllowed = false;
        if (mxs.isEmpty()) {
            out.append("  none (mail would go to the domain's own address, if any)\n");
            anyAllowed = true;
        }
        for (DnsjavaTlsDns.Mx mx : mxs) {
            String verdict = mxVerdict(policy, mx.host());
            anyAllowed |= !verdict.startsWith("refused");
            out.append(String.format(Locale.ROOT, "  %5d %-40s %s%n", mx.preference(), mx.host(), verdict));
        }

        out.append("\nTLS-RPT: _smtp._tls.").append(name).append(": ");
        try {
            Optional<TlsRptRecord> rpt = TlsRptRecord.select(dns.txt(TlsRptRecord.PREFIX + name));
            out.append(rpt.map(r -> "reports requested to " + r.rua()).orElse("no (valid) record")).append('\n');
        } catch (IOException e) {
            out.append("lookup failed (").append(e.getMessage()).append(")\n");
        }
        return new Result(out.toString(), anyAllowed && policy.deferReason().isEmpty());
    }

    /** DNSSEC status in the words of RFC 4033 §5: secure, insecure, or bogus/indeterminate. */
    private static String dnssec(DaneLookupResult.Status status) {
        switch (status) {
            case SECURE_WITH_TLSA:
                return "secure";
            case SECURE_NO_TLSA:
                return "secure, no TLSA records: DANE does not apply";
            case INSECURE:
                return "insecure: DANE does not apply";
            default:
                return "bogus or lookup failed (SERVFAIL, timeout, broken chain of trust): delivery defers";
        }
    }

    /** Which TLSA record the host's live certificate matches, as delivery would check it. */
    private String liveMatch(String host, String domain, List<dev.tollgate.core.tls.TlsaRecord> records) {
        java.security.cert.X509Certificate[] chain;
        try {
            chain = probe.chain(host);
        } catch (IOException | RuntimeException e) {
            return "not checked, connection failed (" + e.getMessage() + ")";
        }
        dev.tollgate.core.tls.DaneMatchResult match = new dev.tollgate.core.tls.DaneTlsaMatcher(Clock.systemUTC())
                .match(records, chain, List.of(host, domain));
        if (match.isMatch()) {
            return "matches TLSA " + match.matchedRecord().map(Object::toString).orElse("?") + " (" + match.detail() + ")";
        }
        return match.failure().map(f -> "matches no usable record: " + f.code() + " (" + match.detail() + ")")
                .orElse(match.detail());
    }

    static String mxVerdict(EffectiveTlsPolicy policy, String mx) {
        if (!policy.permitsMx(mx)) {
            return "refused: matches no mx pattern of the enforced MTA-STS policy (mx-not-permitted)";
        }
        List<String> why = new ArrayList<>();
        if (!policy.mxPatterns().isEmpty()) {
            why.add(policy.matchesMxPatterns(mx) ? "matches an MTA-STS mx pattern"
                    : "outside the mx patterns: delivered, reported (testing mode)");
        }
        why.add(tls(policy, mx));
        return "allowed: " + String.join("; ", why);
    }

    private static String tls(EffectiveTlsPolicy policy, String mx) {
        if (policy.level() == TlsSecurityLevel.NONE) {
            return "no TLS";
        }
        if (!MxTls.usableTlsa(policy, mx).isEmpty()) {
            return "TLS required, certificate must match the DNSSEC-validated TLSA records (DANE, no PKIX)";
        }
        if (policy.level().usesDane()) {
            return policy.level() == TlsSecurityLevel.DANE_ONLY ? "not used: no usable TLSA records (dane-required)"
                    : policy.requiresTls() ? "TLS required, any certificate (no TLSA records for this host)"
                    : "STARTTLS when offered, plain text otherwise";
        }
        if (policy.verifiesPeer()) {
            return "TLS required, certificate must chain to a trusted CA and name " + mx;
        }
        if (policy.requiresTls()) {
            return "TLS required, any certificate";
        }
        if (policy.mode() == EffectiveTlsPolicy.Mode.TESTING) {
            return "STARTTLS when offered; certificate checked for " + mx + " and failures reported only";
        }
        return "STARTTLS when offered, plain text otherwise";
    }

    /** The TLSA records that authenticate one host, as TlsPolicyDelivery's deliverer picks them. */
    static final class MxTls {
        private MxTls() {
        }

        static List<dev.tollgate.core.tls.TlsaRecord> usableTlsa(EffectiveTlsPolicy policy, String mx) {
            if (!policy.level().usesDane()) {
                return List.of();
            }
            List<dev.tollgate.core.tls.TlsaRecord> records = policy.tlsaByMxHost().get(mx);
            if (records == null || records.stream().noneMatch(dev.tollgate.core.tls.TlsaRecord::isUsable)) {
                return List.of();
            }
            return records;
        }
    }

    private static String source(EffectiveTlsPolicy.Source source) {
        return source.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
