package dev.tollgate.core.tls;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides the {@link EffectiveTlsPolicy} for a next-hop domain. Sources, highest precedence first:
 *
 * <ol>
 *   <li>the local {@link TlsPolicyMap} (an administrator's decision always wins);
 *   <li>DANE (RFC 7672), when the {@link DaneLookup} finds DNSSEC-validated TLSA records: level
 *       {@code dane} with usable records; {@code encrypt} when records exist but none is usable
 *       (TLSA presence still signals STARTTLS support); a failed lookup defers delivery
 *       ({@code dnssec-invalid}), since an attacker could be hiding the records;
 *   <li>MTA-STS (RFC 8461) through the {@link MtaStsPolicyCache}: mode {@code enforce} gives level
 *       {@code mta-sts} with the policy's MX patterns enforced; {@code testing} gives {@code may} in
 *       {@link EffectiveTlsPolicy.Mode#TESTING} (report only); {@code none} is ignored; a fetched
 *       {@code enforce} policy without a usable {@code mx} pattern (e.g. only IP literals) and no valid cached
 *       policy gives level {@code mta-sts} deferred with {@code sts-policy-invalid}; any other fetch failure
 *       without a valid cached policy falls through to the default level (RFC 8461 §3.3);
 *   <li>the default level.
 * </ol>
 *
 * <p>Message options (RFC 8689), applied after resolution:
 *
 * <ul>
 *   <li>{@link MessageTlsOption#REQUIRETLS} raises any level that does not authenticate the peer to
 *       {@code verify}, and turns MTA-STS {@code testing} into enforcement (RFC 8689 §4.2.1), whatever
 *       the source;
 *   <li>{@link MessageTlsOption#TLS_REQUIRED_NO} lowers the level to {@code may} (or keeps {@code none}),
 *       lifts MX restrictions and deferrals, and is <em>ignored when the level comes from the local policy
 *       map</em>: the header is the sender's wish about remote policies (DANE, MTA-STS, defaults), not a
 *       way around the administrator's per-destination rules.
 * </ul>
 *
 * <p>Local testing mode ({@link Builder#testing(boolean)}): every resolved policy that would require or check
 * TLS (any source: policy map, DANE, MTA-STS {@code enforce}, default level) keeps its level but is marked
 * {@link EffectiveTlsPolicy.Mode#TESTING}: the deliverer checks each session as that level would and only
 * reports failures. A mail carrying REQUIRETLS is the exception: the sender asked for TLS, so its policy stays
 * enforced.
 *
 * <p>Thread-safe if its lookups are.
 */
public final class TlsPolicyResolver {
    private final TlsPolicyMap policyMap;
    private final DaneLookup daneLookup;
    private final MtaStsPolicyCache mtaStsCache;
    private final MtaStsTxtLookup mtaStsTxt;
    private final TlsSecurityLevel defaultLevel;
    private final boolean testing;

    private TlsPolicyResolver(Builder b) {
        this.testing = b.testing;
        this.policyMap = b.policyMap;
        this.daneLookup = b.daneLookup;
        this.mtaStsCache = b.mtaStsCache;
        this.mtaStsTxt = b.mtaStsTxt;
        this.defaultLevel = b.defaultLevel;
    }

    /** @return a builder: empty policy map, no DANE, no MTA-STS, default level {@code may} */
    public static Builder builder() {
        return new Builder();
    }

    /** Same as {@link #resolve(String, MessageTlsOption)} with {@link MessageTlsOption#DEFAULT}. */
    public EffectiveTlsPolicy resolve(String domain) {
        return resolve(domain, MessageTlsOption.DEFAULT);
    }

    /**
     * @param domain the recipient (next-hop) domain, any case, U- or A-labels
     * @param option what the message asks for (RFC 8689)
     * @return the policy; never null
     * @throws IllegalArgumentException when {@code domain} is not a valid domain name
     */
    public EffectiveTlsPolicy resolve(String domain, MessageTlsOption option) {
        String name = DomainNames.toAscii(domain);
        EffectiveTlsPolicy base = resolveSources(name);
        EffectiveTlsPolicy policy = applyOption(base, Objects.requireNonNull(option));
        return testing ? toTesting(policy) : policy;
    }

    /** Local testing mode: report instead of enforce, except for REQUIRETLS mails (RFC 8689 §4.2.1). */
    private static EffectiveTlsPolicy toTesting(EffectiveTlsPolicy policy) {
        if (policy.requireTlsExtension() || policy.mode() == EffectiveTlsPolicy.Mode.TESTING) {
            return policy;
        }
        TlsSecurityLevel level = policy.level();
        if (level == TlsSecurityLevel.NONE || level == TlsSecurityLevel.MAY && policy.deferReason().isEmpty()) {
            return policy;
        }
        return policy.toBuilder().mode(EffectiveTlsPolicy.Mode.TESTING)
                .reason("local testing mode: " + level.postfixName() + " is checked and failures reported, not enforced")
                .build();
    }

    private EffectiveTlsPolicy resolveSources(String domain) {
        Optional<TlsPolicyEntry> entry = policyMap.lookup(domain);
        if (entry.isPresent()) {
            return fromMap(domain, entry.get());
        }
        if (daneLookup != null) {
            DaneLookupResult dane = daneLookup.lookup(domain);
            switch (dane.status()) {
                case SECURE_WITH_TLSA:
                    if (dane.hasUsableTlsa()) {
                        return EffectiveTlsPolicy.builder(domain, TlsSecurityLevel.DANE, EffectiveTlsPolicy.Source.DANE)
                                .tlsa(dane.tlsaByMxHost())
                                .reason("DNSSEC-validated usable TLSA records found (RFC 7672 §2.2)")
                                .build();
                    }
                    return EffectiveTlsPolicy.builder(domain, TlsSecurityLevel.ENCRYPT, EffectiveTlsPolicy.Source.DANE)
                            .tlsa(dane.tlsaByMxHost())
                            .reason("TLSA records found but none usable (tlsa-invalid): mandatory unauthenticated TLS")
                            .build();
                case LOOKUP_FAILURE:
                    return EffectiveTlsPolicy.builder(domain, TlsSecurityLevel.DANE, EffectiveTlsPolicy.Source.DANE)
                            .defer(TlsFailureReason.DNSSEC_INVALID)
                            .reason("DNSSEC lookup failed: deferring rather than risking a downgrade (RFC 7672 §2.1)")
                            .build();
                default:
                    break;
            }
        }
        EffectiveTlsPolicy.Builder fallback = EffectiveTlsPolicy.builder(domain, defaultLevel,
                EffectiveTlsPolicy.Source.DEFAULT);
        if (mtaStsCache != null) {
            MtaStsPolicyCache.Outcome outcome = mtaStsCache.lookup(domain, txt(domain));
            if (outcome.policy().isPresent()) {
                MtaStsPolicy policy = outcome.policy().get().policy();
                String note = outcome.failure().map(f -> "; refresh failed (" + f.code() + "), cached policy kept")
                        .orElse("");
                switch (policy.mode()) {
                    case ENFORCE:
                        return EffectiveTlsPolicy.builder(domain, TlsSecurityLevel.MTA_STS,
                                        EffectiveTlsPolicy.Source.MTA_STS)
                                .mxPatterns(policy.mxPatterns())
                                .mtaStsPolicy(policy)
                                .reason("MTA-STS policy in enforce mode (RFC 8461 §5)" + note)
                                .build();
                    case TESTING:
                        return EffectiveTlsPolicy.builder(domain, TlsSecurityLevel.MAY, EffectiveTlsPolicy.Source.MTA_STS)
                                .mode(EffectiveTlsPolicy.Mode.TESTING)
                                .mxPatterns(policy.mxPatterns())
                                .mtaStsPolicy(policy)
                                .reason("MTA-STS policy in testing mode: deliver, report failures (RFC 8461 §5)" + note)
                                .build();
                    default:
                        fallback.reason("MTA-STS policy mode none: ignored");
                        break;
                }
            } else if (outcome.defersDelivery()) {
                TlsFailureReason why = outcome.failure().orElse(TlsFailureReason.STS_POLICY_INVALID);
                return EffectiveTlsPolicy.builder(domain, TlsSecurityLevel.MTA_STS, EffectiveTlsPolicy.Source.MTA_STS)
                        .defer(why)
                        .reason(why == TlsFailureReason.STATE_UNAVAILABLE
                                ? "the MTA-STS policy cache cannot be read (" + why.code() + "): deferring rather than "
                                        + "risking a downgrade from a cached policy"
                                : "MTA-STS policy in enforce mode names no usable mx pattern (" + why.code()
                                        + "): deferring rather than delivering without MX restriction")
                        .build();
            } else if (outcome.failure().isPresent()) {
                fallback.reason("no usable MTA-STS policy (" + outcome.failure().get().code() + ")");
            }
        }
        return fallback.reason("default level " + defaultLevel.postfixName()).build();
    }

    private List<String> txt(String domain) {
        if (mtaStsTxt == null) {
            return List.of();
        }
        List<String> records = mtaStsTxt.txtRecords(domain);
        return records == null ? List.of() : records;
    }

    private EffectiveTlsPolicy fromMap(String domain, TlsPolicyEntry entry) {
        TlsSecurityLevel level = entry.level();
        EffectiveTlsPolicy.Builder b = EffectiveTlsPolicy.builder(domain, level, EffectiveTlsPolicy.Source.POLICY_MAP)
                .mapEntry(entry)
                .reason("policy map entry " + entry.pattern() + " " + level.postfixName());
        if (level.usesDane()) {
            DaneLookupResult dane = daneLookup == null ? DaneLookupResult.lookupFailure() : daneLookup.lookup(domain);
            if (dane.status() == DaneLookupResult.Status.SECURE_WITH_TLSA) {
                b.tlsa(dane.tlsaByMxHost());
            }
            if (dane.status() == DaneLookupResult.Status.LOOKUP_FAILURE) {
                b.defer(TlsFailureReason.DNSSEC_INVALID).reason(daneLookup == null
                        ? "no DANE lookup configured" : "DNSSEC lookup failed");
            } else if (level == TlsSecurityLevel.DANE_ONLY && !dane.hasUsableTlsa()) {
                b.defer(TlsFailureReason.DANE_REQUIRED).reason("dane-only but no usable TLSA records");
            }
        } else if (level == TlsSecurityLevel.MTA_STS) {
            MtaStsPolicyCache.Outcome outcome = mtaStsCache == null ? null : mtaStsCache.lookup(domain, txt(domain));
            if (outcome != null && outcome.policy().isPresent()
                    && outcome.policy().get().policy().mode() != MtaStsPolicy.Mode.NONE) {
                b.mxPatterns(outcome.policy().get().policy().mxPatterns())
                        .mtaStsPolicy(outcome.policy().get().policy())
                        .reason("MTA-STS policy enforced by the policy map");
            } else {
                TlsFailureReason why = outcome == null ? TlsFailureReason.STS_POLICY_FETCH_ERROR
                        : outcome.failure().orElse(TlsFailureReason.STS_POLICY_FETCH_ERROR);
                b.defer(why).reason("policy map requires MTA-STS but no usable policy is available");
            }
        }
        return b.build();
    }

    private static EffectiveTlsPolicy applyOption(EffectiveTlsPolicy policy, MessageTlsOption option) {
        switch (option) {
            case REQUIRETLS: {
                EffectiveTlsPolicy.Builder b = policy.toBuilder().requireTlsExtension(true);
                if (policy.mode() == EffectiveTlsPolicy.Mode.TESTING && policy.source() == EffectiveTlsPolicy.Source.MTA_STS) {
                    b.level(TlsSecurityLevel.MTA_STS).mode(EffectiveTlsPolicy.Mode.ENFORCE)
                            .reason("REQUIRETLS: MTA-STS testing treated as enforce (RFC 8689 §4.2.1)");
                } else if (!policy.verifiesPeer()) {
                    b.level(TlsSecurityLevel.VERIFY).mode(EffectiveTlsPolicy.Mode.ENFORCE)
                            .reason("REQUIRETLS: level raised from " + policy.level().postfixName()
                                    + " to verify (RFC 8689 §4.2.1)");
                }
                return b.build();
            }
            case TLS_REQUIRED_NO: {
                if (policy.source() == EffectiveTlsPolicy.Source.POLICY_MAP) {
                    return policy.toBuilder()
                            .reason("TLS-Required: No ignored: the local policy map takes precedence")
                            .build();
                }
                TlsSecurityLevel lowered = policy.level() == TlsSecurityLevel.NONE
                        ? TlsSecurityLevel.NONE : TlsSecurityLevel.MAY;
                return policy.toBuilder()
                        .level(lowered)
                        .mxPatterns(List.of())
                        .tlsa(Map.of())
                        .defer(null)
                        .reason("TLS-Required: No: level lowered to " + lowered.postfixName() + " (RFC 8689 §5)")
                        .build();
            }
            default:
                return policy;
        }
    }

    /** Configures a {@link TlsPolicyResolver}. Not thread-safe. */
    public static final class Builder {
        private TlsPolicyMap policyMap = TlsPolicyMap.empty();
        private DaneLookup daneLookup;
        private MtaStsPolicyCache mtaStsCache;
        private MtaStsTxtLookup mtaStsTxt;
        private TlsSecurityLevel defaultLevel = TlsSecurityLevel.MAY;
        private boolean testing;

        private Builder() {
        }

        /** @param map the local per-destination policy */
        public Builder policyMap(TlsPolicyMap map) {
            this.policyMap = Objects.requireNonNull(map);
            return this;
        }

        /** @param lookup DNSSEC/TLSA discovery; without it, DANE is not consulted */
        public Builder daneLookup(DaneLookup lookup) {
            this.daneLookup = Objects.requireNonNull(lookup);
            return this;
        }

        /**
         * @param cache     the MTA-STS policy cache (with its fetcher and clock)
         * @param txtLookup discovery of {@code _mta-sts} TXT records
         */
        public Builder mtaSts(MtaStsPolicyCache cache, MtaStsTxtLookup txtLookup) {
            this.mtaStsCache = Objects.requireNonNull(cache);
            this.mtaStsTxt = Objects.requireNonNull(txtLookup);
            return this;
        }

        /**
         * @param level the level when no source applies; {@link TlsSecurityLevel#DANE},
         *              {@link TlsSecurityLevel#DANE_ONLY} and {@link TlsSecurityLevel#MTA_STS} are refused
         *              because they need per-domain data
         */
        public Builder defaultLevel(TlsSecurityLevel level) {
            if (level.usesDane() || level == TlsSecurityLevel.MTA_STS) {
                throw new IllegalArgumentException("default level must be none, may, encrypt or verify");
            }
            this.defaultLevel = level;
            return this;
        }

        /**
         * @param value true for the local report-only mode: policies that would require TLS are marked
         *              {@link EffectiveTlsPolicy.Mode#TESTING} (except for REQUIRETLS mails); default false
         */
        public Builder testing(boolean value) {
            this.testing = value;
            return this;
        }

        /** @return the resolver */
        public TlsPolicyResolver build() {
            return new TlsPolicyResolver(this);
        }
    }
}
