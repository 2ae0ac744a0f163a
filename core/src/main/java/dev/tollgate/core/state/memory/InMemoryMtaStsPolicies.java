package dev.tollgate.core.state.memory;

import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.tollgate.core.state.MtaStsPolicies;
import dev.tollgate.core.state.MtaStsPolicyRecord;

/**
 * {@link MtaStsPolicies} in this JVM's memory: a Caffeine cache bounded to {@code maximumDomains} policy domains
 * (least recently used evicted), the single-node behaviour Tollgate always had. Expired records stay until evicted;
 * the caller checks their validity by its own clock. Thread-safe.
 */
public final class InMemoryMtaStsPolicies implements MtaStsPolicies {
    private final Cache<String, MtaStsPolicyRecord> cache;

    /** @param maximumDomains the most domains kept; positive */
    public InMemoryMtaStsPolicies(long maximumDomains) {
        if (maximumDomains <= 0) {
            throw new IllegalArgumentException("maximumDomains must be positive");
        }
        this.cache = Caffeine.newBuilder().maximumSize(maximumDomains).build();
    }

    /** @return a cache of at most 10 000 domains */
    public static InMemoryMtaStsPolicies create() {
        return new InMemoryMtaStsPolicies(10_000);
    }

    @Override
    public Optional<MtaStsPolicyRecord> get(String domain) {
        return Optional.ofNullable(cache.getIfPresent(domain));
    }

    @Override
    public void put(MtaStsPolicyRecord record) {
        cache.put(record.domain(), record);
    }

    @Override
    public void delete(String domain) {
        cache.invalidate(domain);
    }

    @Override
    public String toString() {
        return "InMemoryMtaStsPolicies[" + cache.estimatedSize() + " domains]";
    }
}
