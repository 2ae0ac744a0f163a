package dev.tollgate.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.tollgate.core.state.MtaStsPolicies;
import dev.tollgate.core.state.MtaStsPolicyRecord;
import dev.tollgate.core.state.StateException;
import dev.tollgate.core.state.memory.InMemoryMtaStsPolicies;
import dev.tollgate.core.testing.MutableClock;

/** The MTA-STS cache over a state store: shared between nodes, and failing closed when the store cannot answer. */
class MtaStsPolicyCacheStateTest {
    private static final List<String> TXT = List.of("v=STSv1; id=one;");

    /** A store that can be made to fail, over an in-memory one. */
    static final class Flaky implements MtaStsPolicies {
        final MtaStsPolicies real = InMemoryMtaStsPolicies.create();
        volatile boolean reads;
        volatile boolean writes;

        @Override
        public Optional<MtaStsPolicyRecord> get(String domain) throws StateException {
            if (reads) {
                throw new StateException("test store down");
            }
            return real.get(domain);
        }

        @Override
        public void put(MtaStsPolicyRecord record) throws StateException {
            if (writes) {
                throw new StateException("test store down");
            }
            real.put(record);
        }

        @Override
        public void delete(String domain) throws StateException {
            real.delete(domain);
        }
    }

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final Flaky store = new Flaky();
    private final List<String> fetchedOnA = new ArrayList<>();
    private final List<String> fetchedOnB = new ArrayList<>();

    private static MtaStsPolicy enforce() throws TlsPolicyException {
        return MtaStsPolicy.parse("version: STSv1\nmode: enforce\nmx: mx.example.com\nmx: *.example.net\nmax_age: 86400");
    }

    private MtaStsPolicyCache node(List<String> fetched) {
        return new MtaStsPolicyCache(domain -> {
            fetched.add(domain);
            return enforce();
        }, clock, store, "test-store");
    }

    @Test
    void aPolicyFetchedByOneNodeIsAppliedByTheOtherWithoutFetching() throws Exception {
        MtaStsPolicyCache a = node(fetchedOnA);
        MtaStsPolicyCache b = node(fetchedOnB);
        assertThat(a.lookup("example.com", TXT).fetched()).isTrue();
        clock.advance(Duration.ofHours(1));
        MtaStsPolicyCache.Outcome onB = b.lookup("example.com", TXT);
        assertThat(onB.fetched()).isFalse();
        assertThat(onB.policy().orElseThrow().policy()).isEqualTo(enforce());
        assertThat(onB.policy().orElseThrow().expiresAt()).isEqualTo(Instant.parse("2026-01-02T00:00:00Z"));
        assertThat(fetchedOnA).containsExactly("example.com");
        assertThat(fetchedOnB).isEmpty();
        // RFC 8461 §5.1: the TXT record gone, the other node still applies the cached policy.
        assertThat(b.lookup("example.com", List.of()).policy()).isPresent();
        assertThat(store.real.get("example.com").orElseThrow().policy())
                .isEqualTo("version: STSv1\nmode: enforce\nmx: mx.example.com\nmx: *.example.net\nmax_age: 86400");
    }

    @Test
    void anUnreadableStoreDefersDeliveryInsteadOfIgnoringACachedPolicy() {
        MtaStsPolicyCache a = node(fetchedOnA);
        a.lookup("example.com", TXT);
        store.reads = true;
        MtaStsPolicyCache.Outcome outcome = a.lookup("example.com", List.of());
        assertThat(outcome.defersDelivery()).isTrue();
        assertThat(outcome.policy()).isEmpty();
        assertThat(outcome.failure()).contains(TlsFailureReason.STATE_UNAVAILABLE);

        TlsPolicyResolver resolver = TlsPolicyResolver.builder().mtaSts(a, d -> List.of()).build();
        EffectiveTlsPolicy policy = resolver.resolve("example.com");
        assertThat(policy.deferReason()).contains(TlsFailureReason.STATE_UNAVAILABLE);
        assertThat(policy.enforcesTls()).isTrue();
        assertThat(resolver.resolve("no-sts.example").deferReason()).as("any domain: a policy might be cached")
                .contains(TlsFailureReason.STATE_UNAVAILABLE);

        store.reads = false;
        assertThat(resolver.resolve("example.com").deferReason()).isEmpty();
        assertThat(resolver.resolve("example.com").level()).isEqualTo(TlsSecurityLevel.MTA_STS);
    }

    @Test
    void anUnstoredPolicyIsStillApplied() {
        store.writes = true;
        MtaStsPolicyCache.Outcome outcome = node(fetchedOnA).lookup("example.com", TXT);
        assertThat(outcome.fetched()).isTrue();
        assertThat(outcome.policy()).isPresent();
        assertThat(outcome.defersDelivery()).isFalse();
    }

    @Test
    void anUnparseableStoredPolicyDefers() throws Exception {
        store.real.put(new MtaStsPolicyRecord("example.com", "one", "not a policy", clock.instant(), Duration.ofDays(1)));
        MtaStsPolicyCache.Outcome outcome = node(fetchedOnA).lookup("example.com", TXT);
        assertThat(outcome.defersDelivery()).isTrue();
        assertThat(outcome.failure()).contains(TlsFailureReason.STATE_UNAVAILABLE);
        assertThat(fetchedOnA).isEmpty();
    }
}
