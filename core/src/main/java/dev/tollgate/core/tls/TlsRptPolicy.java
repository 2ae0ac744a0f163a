package dev.tollgate.core.tls;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The policy a TLS session was checked against, as a TLS-RPT report names it (RFC 8460 §4.4 {@code policy}):
 * type, policy domain, policy strings and MX hosts. Sessions are counted per distinct value. Immutable; equal
 * values aggregate together.
 */
public final class TlsRptPolicy {
    private final TlsRptReport.PolicyType type;
    private final String policyDomain;
    private final List<String> policyStrings;
    private final List<String> mxHosts;

    private TlsRptPolicy(TlsRptReport.PolicyType type, String policyDomain, List<String> policyStrings,
            List<String> mxHosts) {
        this.type = Objects.requireNonNull(type);
        this.policyDomain = DomainNames.toAscii(policyDomain);
        this.policyStrings = List.copyOf(policyStrings);
        this.mxHosts = List.copyOf(mxHosts);
    }

    /**
     * @param type          the policy type
     * @param policyDomain  the recipient domain
     * @param policyStrings the policy text (MTA-STS lines, TLSA records); empty for no-policy-found
     * @param mxHosts       MX patterns (MTA-STS) or MX hosts (TLSA)
     */
    public static TlsRptPolicy of(TlsRptReport.PolicyType type, String policyDomain, List<String> policyStrings,
            List<String> mxHosts) {
        return new TlsRptPolicy(type, policyDomain, policyStrings, mxHosts);
    }

    /**
     * Describes an effective policy the way RFC 8460 reports it: an MTA-STS policy (enforce or testing) as
     * {@code sts} with its policy lines and MX patterns, DANE records as {@code tlsa} with their presentation form
     * and MX hosts, anything else (policy map, defaults) as {@code no-policy-found}.
     */
    public static TlsRptPolicy of(EffectiveTlsPolicy policy) {
        if (policy.mtaStsPolicy().isPresent()) {
            MtaStsPolicy sts = policy.mtaStsPolicy().get();
            return new TlsRptPolicy(TlsRptReport.PolicyType.STS, policy.domain(), sts.toPolicyLines(),
                    sts.mxPatterns());
        }
        if (!policy.tlsaByMxHost().isEmpty()) {
            List<String> records = new ArrayList<>();
            List<String> hosts = new ArrayList<>();
            for (Map.Entry<String, List<TlsaRecord>> e : policy.tlsaByMxHost().entrySet()) {
                hosts.add(e.getKey());
                for (TlsaRecord r : e.getValue()) {
                    records.add(r.toString());
                }
            }
            return new TlsRptPolicy(TlsRptReport.PolicyType.TLSA, policy.domain(), records, hosts);
        }
        return new TlsRptPolicy(TlsRptReport.PolicyType.NO_POLICY_FOUND, policy.domain(), List.of(), List.of());
    }

    /** @return the policy type */
    public TlsRptReport.PolicyType type() {
        return type;
    }

    /** @return the policy domain, A-labels */
    public String policyDomain() {
        return policyDomain;
    }

    /** @return the policy strings */
    public List<String> policyStrings() {
        return policyStrings;
    }

    /** @return the MX hosts or patterns */
    public List<String> mxHosts() {
        return mxHosts;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TlsRptPolicy)) {
            return false;
        }
        TlsRptPolicy p = (TlsRptPolicy) o;
        return type == p.type && policyDomain.equals(p.policyDomain) && policyStrings.equals(p.policyStrings)
                && mxHosts.equals(p.mxHosts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, policyDomain, policyStrings, mxHosts);
    }

    @Override
    public String toString() {
        return "TlsRptPolicy[" + type.json() + ", " + policyDomain + "]";
    }
}
