package dev.tollgate.core.tls;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The TLS policy to apply to one delivery, as decided by {@link TlsPolicyResolver}: the level, where it
 * came from, whether failures are enforced or only reported, the permitted MX hosts, the TLSA records
 * and the reasons behind the decision (for logs and {@code tollgate tls-policy}).
 *
 * <p>Immutable and thread-safe.
 */
public final class EffectiveTlsPolicy {
    /** Where the level came from, highest precedence first. */
    public enum Source {
        /** The local {@link TlsPolicyMap}. */
        POLICY_MAP,
        /** DNSSEC-signed TLSA records (RFC 7672). */
        DANE,
        /** An MTA-STS policy (RFC 8461). */
        MTA_STS,
        /** The configured default level. */
        DEFAULT
    }

    /** Whether failures stop delivery or are only reported. */
    public enum Mode {
        /** Failures to meet the level stop delivery. */
        ENFORCE,
        /**
         * Report only: deliver as {@code may} (STARTTLS when offered, else plain text), check each session as
         * {@link #level()} would and report failures via TLS-RPT. Set by an MTA-STS {@code testing} policy
         * (RFC 8461 §5; level {@code may}) or by the local testing mode of {@link TlsPolicyResolver.Builder#testing}
         * (level kept as the one that would be enforced).
         */
        TESTING
    }

    private final String domain;
    private final TlsSecurityLevel level;
    private final Source source;
    private final Mode mode;
    private final List<String> mxPatterns;
    private final Map<String, List<TlsaRecord>> tlsa;
    private final TlsPolicyEntry mapEntry;
    private final TlsFailureReason deferReason;
    private final MtaStsPolicy mtaStsPolicy;
    private final List<String> reasons;
    private final boolean requireTlsExtension;

    private EffectiveTlsPolicy(Builder b) {
        this.domain = b.domain;
        this.level = b.level;
        this.source = b.source;
        this.mode = b.mode;
        this.mxPatterns = List.copyOf(b.mxPatterns);
        this.tlsa = Map.copyOf(b.tlsa);
        this.mapEntry = b.mapEntry;
        this.deferReason = b.deferReason;
        this.mtaStsPolicy = b.mtaStsPolicy;
        this.reasons = Collections.unmodifiableList(new ArrayList<>(b.reasons));
        this.requireTlsExtension = b.requireTlsExtension;
    }

    static Builder builder(String domain, TlsSecurityLevel level, Source source) {
        return new Builder(domain, level, source);
    }

    Builder toBuilder() {
        Builder b = new Builder(domain, level, source);
        b.mode = mode;
        b.mxPatterns = mxPatterns;
        b.tlsa = tlsa;
        b.mapEntry = mapEntry;
        b.deferReason = deferReason;
        b.mtaStsPolicy = mtaStsPolicy;
        b.reasons.addAll(reasons);
        b.requireTlsExtension = requireTlsExtension;
        return b;
    }

    /**
     * @return true when the mail carries REQUIRETLS (RFC 8689 §4.2.1): the next hop must offer the
     *     {@code REQUIRETLS} EHLO keyword over verified TLS, and the mail is sent with the parameter
     */
    public boolean requireTlsExtension() {
        return requireTlsExtension;
    }

    /** @return the next-hop domain, A-labels */
    public String domain() {
        return domain;
    }

    /** @return the security level to apply */
    public TlsSecurityLevel level() {
        return level;
    }

    /** @return where the level came from */
    public Source source() {
        return source;
    }

    /** @return whether failures are enforced or only reported */
    public Mode mode() {
        return mode;
    }

    /**
     * @return true when failures stop delivery: mode {@link Mode#ENFORCE} and the level requires TLS (see
     *     {@link #requiresTls()})
     */
    public boolean enforcesTls() {
        return mode == Mode.ENFORCE && requiresTls();
    }

    /**
     * @return true when the level requires TLS (whether enforced or, in {@link Mode#TESTING}, only checked): the level requires TLS,
     *     or the level is {@link TlsSecurityLevel#DANE} and usable TLSA records were found
     */
    public boolean requiresTls() {
        return level.requiresTls() || level == TlsSecurityLevel.DANE && hasUsableTlsa();
    }

    /** @return true when the peer must be authenticated (as {@link #requiresTls()}, for authentication) */
    public boolean verifiesPeer() {
        return level.verifiesPeer() || level == TlsSecurityLevel.DANE && hasUsableTlsa();
    }

    /** @return the MTA-STS {@code mx} patterns in force (RFC 8461 §4.1); empty when MX hosts are not restricted */
    public List<String> mxPatterns() {
        return mxPatterns;
    }

    /**
     * @param mxHost an MX host name
     * @return true when no MX patterns apply or {@code mxHost} matches one (RFC 8461 §4.1)
     */
    public boolean matchesMxPatterns(String mxHost) {
        if (mxPatterns.isEmpty()) {
            return true;
        }
        String name = DomainNames.toAsciiOrNull(mxHost);
        if (name == null) {
            return false;
        }
        for (String p : mxPatterns) {
            if (MtaStsPolicy.matches(p, name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param mxHost an MX host name
     * @return false only when the policy is enforced and {@code mxHost} matches no MX pattern; a
     *     delivery to such a host must fail with {@link TlsFailureReason#MX_NOT_PERMITTED}
     */
    public boolean permitsMx(String mxHost) {
        return mode != Mode.ENFORCE || matchesMxPatterns(mxHost);
    }

    /** @return TLSA RRsets by MX host when DANE applies; empty otherwise */
    public Map<String, List<TlsaRecord>> tlsaByMxHost() {
        return tlsa;
    }

    private boolean hasUsableTlsa() {
        for (List<TlsaRecord> records : tlsa.values()) {
            for (TlsaRecord r : records) {
                if (r.isUsable()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** @return the policy map entry when the source is {@link Source#POLICY_MAP} (protocols, ciphers, match names) */
    public Optional<TlsPolicyEntry> mapEntry() {
        return Optional.ofNullable(mapEntry);
    }

    /**
     * @return when present, the delivery must be deferred (temporary failure) without connecting, for this
     *     reason: e.g. {@link TlsFailureReason#DANE_REQUIRED} for {@code dane-only} without usable TLSA,
     *     {@link TlsFailureReason#DNSSEC_INVALID} when the DANE lookup failed
     */
    public Optional<TlsFailureReason> deferReason() {
        return Optional.ofNullable(deferReason);
    }

    /** @return the MTA-STS policy the decision is based on (for TLS-RPT {@code policy-string}), if any */
    public Optional<MtaStsPolicy> mtaStsPolicy() {
        return Optional.ofNullable(mtaStsPolicy);
    }

    /** @return the decision steps, in order, in plain English */
    public List<String> reasons() {
        return reasons;
    }

    /** @return a multi-line description for {@code tollgate tls-policy} */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append(domain).append(": ").append(level.postfixName()).append(" (source ")
                .append(source.name().toLowerCase(Locale.ROOT).replace('_', '-')).append(", ")
                .append(mode.name().toLowerCase(Locale.ROOT)).append(")\n");
        if (!mxPatterns.isEmpty()) {
            sb.append("  mx: ").append(String.join(" ", mxPatterns)).append('\n');
        }
        tlsa.forEach((host, records) -> sb.append("  tlsa ").append(host).append(": ")
                .append(records.size()).append(" record(s)\n"));
        if (mapEntry != null) {
            sb.append("  map entry: ").append(mapEntry).append('\n');
        }
        if (deferReason != null) {
            sb.append("  defer: ").append(deferReason.code()).append(" - ").append(deferReason.diagnostic()).append('\n');
        }
        for (String r : reasons) {
            sb.append("  - ").append(r).append('\n');
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "EffectiveTlsPolicy[" + domain + ", " + level + ", " + source + ", " + mode
                + (deferReason != null ? ", defer=" + deferReason : "") + "]";
    }

    /** Package-private assembly. */
    static final class Builder {
        private final String domain;
        private TlsSecurityLevel level;
        private Source source;
        private Mode mode = Mode.ENFORCE;
        private List<String> mxPatterns = List.of();
        private Map<String, List<TlsaRecord>> tlsa = Map.of();
        private TlsPolicyEntry mapEntry;
        private TlsFailureReason deferReason;
        private MtaStsPolicy mtaStsPolicy;
        private final List<String> reasons = new ArrayList<>();
        private boolean requireTlsExtension;

        private Builder(String domain, TlsSecurityLevel level, Source source) {
            this.domain = Objects.requireNonNull(domain);
            this.level = Objects.requireNonNull(level);
            this.source = Objects.requireNonNull(source);
        }

        Builder level(TlsSecurityLevel l) {
            this.level = Objects.requireNonNull(l);
            return this;
        }

        Builder mode(Mode m) {
            this.mode = Objects.requireNonNull(m);
            return this;
        }

        Builder mxPatterns(List<String> patterns) {
            this.mxPatterns = patterns;
            return this;
        }

        Builder tlsa(Map<String, List<TlsaRecord>> records) {
            this.tlsa = records;
            return this;
        }

        Builder mapEntry(TlsPolicyEntry entry) {
            this.mapEntry = entry;
            return this;
        }

        Builder defer(TlsFailureReason reason) {
            this.deferReason = reason;
            return this;
        }

        Builder mtaStsPolicy(MtaStsPolicy policy) {
            this.mtaStsPolicy = policy;
            return this;
        }

        Builder requireTlsExtension(boolean value) {
            this.requireTlsExtension = value;
            return this;
        }

        Builder reason(String text) {
            reasons.add(text);
            return this;
        }

        EffectiveTlsPolicy build() {
            return new EffectiveTlsPolicy(this);
        }
    }
}
