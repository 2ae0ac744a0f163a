package dev.tollgate.core.tls;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caches MTA-STS policies per policy domain and decides when to fetch (RFC 8461 §3.3, §5.1):
 *
 * <ul>
 *   <li>a cached policy is valid until its fetch time plus {@code max_age}, by the injected {@link Clock};
 *   <li>a TXT record whose {@code id} differs from the cached policy's id, or an expired or absent cache
 *       entry with a TXT record present, triggers a fetch;
 *   <li>a failed fetch, or a missing or invalid TXT record, keeps using a still-valid cached policy;
 *   <li>without a valid cached policy, a failure means "no policy" and the reason is reported (RFC 8461 §3.3),
 *       except a fetched {@code enforce} policy without a usable {@code mx} pattern
 *       ({@link TlsPolicyException#defersDelivery()}): then {@link Outcome#defersDelivery()} tells the caller to
 *       defer. Such a policy is never cached and never replaces a cached one.
 * </ul>
 *
 * <p>Thread-safe. Concurrent callers for the same domain may fetch in parallel; the last result wins.
 */
public final class MtaStsPolicyCache {
    private static final Logger LOG = LoggerFactory.getLogger(MtaStsPolicyCache.class);

    private final Cache<String, CachedMtaStsPolicy> cache;
    private final MtaStsPolicyFetcher fetcher;
    private final Clock clock;

    /**
     * @param fetcher     retrieves policies
     * @param clock       the time source for {@code max_age}
     * @param maximumSize the largest number of policy domains kept (least recently used evicted); positive
     */
    public MtaStsPolicyCache(MtaStsPolicyFetcher fetcher, Clock clock, long maximumSize) {
        if (maximumSize <= 0) {
            throw new IllegalArgumentException("maximumSize must be positive");
        }
        this.fetcher = Objects.requireNonNull(fetcher);
        this.clock = Objects.requireNonNull(clock);
        this.cache = Caffeine.newBuilder().maximumSize(maximumSize).build();
    }

    /** @return a cache of at most 10,000 domains */
    public static MtaStsPolicyCache create(MtaStsPolicyFetcher fetcher, Clock clock) {
        return new MtaStsPolicyCache(fetcher, clock, 10_000);
    }

    /**
     * Returns the policy to apply to a recipient domain, fetching when RFC 8461 requires it.
     *
     * @param policyDomain the recipient domain, any case, U- or A-labels
     * @param txtRecords   the TXT records found at {@code _mta-sts.<domain>}; empty when there are none
     *                     or the DNS lookup failed
     * @return the outcome; never null
     */
    public Outcome lookup(String policyDomain, List<String> txtRecords) {
        String domain = DomainNames.toAsciiOrNull(policyDomain);
        if (domain == null) {
            return new Outcome(null, null, false, false);
        }
        Instant now = clock.instant();
        CachedMtaStsPolicy cached = cache.getIfPresent(domain);
        CachedMtaStsPolicy valid = cached != null && cached.isValidAt(now) ? cached : null;
        Optional<MtaStsTxtRecord> txt;
        try {
            txt = MtaStsTxtRecord.select(txtRecords);
        } catch (TlsPolicyException e) {
            LOG.debug("MTA-STS TXT record for {} invalid: {}", domain, e.getMessage());
            return new Outcome(valid, valid == null ? e.reason() : null, false, false);
        }
        if (txt.isEmpty()) {
            return new Outcome(valid, null, false, false);
        }
        String id = txt.get().id();
        if (valid != null && valid.id().equals(id)) {
            return new Outcome(valid, null, false, false);
        }
        try {
            MtaStsPolicy policy = fetcher.fetch(domain);
            CachedMtaStsPolicy fresh = new CachedMtaStsPolicy(domain, id, policy, now);
            cache.put(domain, fresh);
            return new Outcome(fresh, null, true, false);
        } catch (TlsPolicyException e) {
            // RFC 8461 §5.1: a still-valid cached policy stays in force whatever the refresh brought.
            boolean defer = valid == null && e.defersDelivery();
            if (defer) {
                LOG.warn("MTA-STS policy for {} is unusable and no valid policy is cached: delivery defers: {}",
                        domain, e.getMessage());
            } else {
                LOG.info("MTA-STS policy fetch for {} failed{}: {}", domain,
                        valid == null ? "" : ", cached policy kept", e.getMessage());
            }
            return new Outcome(valid, e.reason(), false, defer);
        } catch (RuntimeException e) {
            LOG.warn("MTA-STS policy fetcher failed unexpectedly for {}", domain, e);
            return new Outcome(valid, TlsFailureReason.STS_POLICY_FETCH_ERROR, false, false);
        }
    }

    /** @return the cached entry for a domain, valid or not, without fetching */
    public Optional<CachedMtaStsPolicy> peek(String policyDomain) {
        String domain = DomainNames.toAsciiOrNull(policyDomain);
        return domain == null ? Optional.empty() : Optional.ofNullable(cache.getIfPresent(domain));
    }

    /** Drops a domain's cached policy. */
    public void invalidate(String policyDomain) {
        String domain = DomainNames.toAsciiOrNull(policyDomain);
        if (domain != null) {
            cache.invalidate(domain);
        }
    }

    /** The result of {@link #lookup}. Immutable. */
    public static final class Outcome {
        private final CachedMtaStsPolicy policy;
        private final TlsFailureReason failure;
        private final boolean fetched;
        private final boolean defersDelivery;

        Outcome(CachedMtaStsPolicy policy, TlsFailureReason failure, boolean fetched, boolean defersDelivery) {
            this.policy = policy;
            this.failure = failure;
            this.fetched = fetched;
            this.defersDelivery = defersDelivery;
        }

        /** @return the policy to apply, empty when the domain has no usable policy */
        public Optional<CachedMtaStsPolicy> policy() {
            return Optional.ofNullable(policy);
        }

        /**
         * @return why a TXT record or fetch failed during this lookup (also present when a cached policy
         *     was used in its place); empty when nothing failed
         */
        public Optional<TlsFailureReason> failure() {
            return Optional.ofNullable(failure);
        }

        /** @return true when the policy was fetched during this lookup */
        public boolean fetched() {
            return fetched;
        }

        /**
         * @return true when there is no policy to apply but delivery must be deferred for {@link #failure()}
         *     (an {@code enforce} policy without a usable {@code mx} pattern, no valid cached policy), rather
         *     than go on as if the domain had no MTA-STS policy
         */
        public boolean defersDelivery() {
            return defersDelivery;
        }

        @Override
        public String toString() {
            return "Outcome[policy=" + policy + ", failure=" + failure + ", fetched=" + fetched
                    + (defersDelivery ? ", defers" : "") + "]";
        }
    }
}
