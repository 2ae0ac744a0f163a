package dev.tollgate.core.tls;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tollgate.core.state.MtaStsPolicies;
import dev.tollgate.core.state.MtaStsPolicyRecord;
import dev.tollgate.core.state.StateException;
import dev.tollgate.core.state.memory.InMemoryMtaStsPolicies;

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
 * <p>Policies are kept in a {@link MtaStsPolicies} of the state store, so on a cluster every node applies the
 * policies any node fetched; a store that cannot be read defers delivery (never a downgrade because a cached
 * policy could not be read), with a log line naming the store.
 *
 * <p>Thread-safe. Concurrent callers for the same domain may fetch in parallel; the last result wins.
 */
public final class MtaStsPolicyCache {
    private static final Logger LOG = LoggerFactory.getLogger(MtaStsPolicyCache.class);

    private final MtaStsPolicies store;
    private final String storeName;
    private final MtaStsPolicyFetcher fetcher;
    private final Clock clock;

    /**
     * A cache kept by the state store every node shares ({@code StateStore#mtaStsPolicies()}).
     *
     * @param fetcher   retrieves policies
     * @param clock     the time source for {@code max_age}
     * @param store     where fetched policies are kept
     * @param storeName names the store in log lines (e.g. {@code StateStore#describe()})
     */
    public MtaStsPolicyCache(MtaStsPolicyFetcher fetcher, Clock clock, MtaStsPolicies store, String storeName) {
        this.fetcher = Objects.requireNonNull(fetcher);
        this.clock = Objects.requireNonNull(clock);
        this.store = Objects.requireNonNull(store);
        this.storeName = Objects.requireNonNull(storeName);
    }

    /**
     * A cache in this JVM's memory only.
     *
     * @param fetcher     retrieves policies
     * @param clock       the time source for {@code max_age}
     * @param maximumSize the largest number of policy domains kept (least recently used evicted); positive
     */
    public MtaStsPolicyCache(MtaStsPolicyFetcher fetcher, Clock clock, long maximumSize) {
        this(fetcher, clock, new InMemoryMtaStsPolicies(maximumSize), "memory");
    }

    /** @return a cache in this JVM's memory of at most 10,000 domains */
    public static MtaStsPolicyCache create(MtaStsPolicyFetcher fetcher, Clock clock) {
        return new MtaStsPolicyCache(fetcher, clock, 10_000);
    }

    /**
     * Returns the policy to apply to a recipient domain, fetching when RFC 8461 requires it.
     *
     * @param policyDomain the recipient domain, any case, U- or A-labels
     * @param txtRecords   the TXT records found at {@code _mta-sts.<domain>}; empty when there are none
     *                     or the DNS lookup failed
     * @return the outcome; never null. When the store cannot be read, {@link Outcome#defersDelivery()} with
     *     {@link TlsFailureReason#STATE_UNAVAILABLE}: a cached policy may be in force, so delivery waits rather
     *     than go on without it
     */
    public Outcome lookup(String policyDomain, List<String> txtRecords) {
        String domain = DomainNames.toAsciiOrNull(policyDomain);
        if (domain == null) {
            return new Outcome(null, null, false, false);
        }
        Instant now = clock.instant();
        CachedMtaStsPolicy cached;
        try {
            cached = read(domain);
        } catch (StateException e) {
            LOG.warn("MTA-STS: state store {} unreadable for the cached policy of {}: delivery defers rather than "
                    + "risk ignoring a policy in force: {}", storeName, domain, e.getMessage());
            return new Outcome(null, TlsFailureReason.STATE_UNAVAILABLE, false, true);
        }
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
            write(fresh);
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

    /** @return the domain's cached policy, null when none; @throws StateException when unreadable or unparseable */
    private CachedMtaStsPolicy read(String domain) throws StateException {
        Optional<MtaStsPolicyRecord> record = store.get(domain);
        if (record.isEmpty()) {
            return null;
        }
        MtaStsPolicyRecord r = record.get();
        MtaStsPolicy policy;
        try {
            policy = MtaStsPolicy.parse(r.policy());
        } catch (TlsPolicyException e) {
            throw new StateException("the cached MTA-STS policy of " + domain + " in " + storeName + " is invalid: "
                    + e.getMessage());
        }
        return new CachedMtaStsPolicy(domain, r.id(), policy, r.fetchedAt());
    }

    /** Keeps a fetched policy; a store that cannot take it is logged, the policy is applied anyway. */
    private void write(CachedMtaStsPolicy fresh) {
        try {
            store.put(new MtaStsPolicyRecord(fresh.domain(), fresh.id(), String.join("\n", fresh.policy().toPolicyLines()),
                    fresh.fetchedAt(), fresh.policy().maxAge()));
        } catch (StateException | RuntimeException e) {
            LOG.warn("MTA-STS: policy of {} fetched and applied but not cached in state store {}: {}", fresh.domain(),
                    storeName, e.getMessage());
        }
    }

    /** @return the cached entry for a domain, valid or not, without fetching; empty when none or unreadable */
    public Optional<CachedMtaStsPolicy> peek(String policyDomain) {
        String domain = DomainNames.toAsciiOrNull(policyDomain);
        if (domain == null) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(read(domain));
        } catch (StateException e) {
            LOG.debug("MTA-STS cache peek for {} failed: {}", domain, e.getMessage());
            return Optional.empty();
        }
    }

    /** Drops a domain's cached policy (a store that cannot answer is logged). */
    public void invalidate(String policyDomain) {
        String domain = DomainNames.toAsciiOrNull(policyDomain);
        if (domain != null) {
            try {
                store.delete(domain);
            } catch (StateException e) {
                LOG.warn("MTA-STS: policy of {} not dropped from state store {}: {}", domain, storeName, e.getMessage());
            }
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
