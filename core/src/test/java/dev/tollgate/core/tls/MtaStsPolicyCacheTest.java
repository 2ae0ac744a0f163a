package dev.tollgate.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tollgate.core.testing.MutableClock;

class MtaStsPolicyCacheTest {
    /** Returns queued results in order and records the domains asked for. */
    static final class ScriptedFetcher implements MtaStsPolicyFetcher {
        final Deque<Object> results = new ArrayDeque<>();
        final List<String> calls = new ArrayList<>();

        @Override
        public MtaStsPolicy fetch(String domain) throws TlsPolicyException {
            calls.add(domain);
            Object next = results.removeFirst();
            if (next instanceof TlsPolicyException) {
                throw (TlsPolicyException) next;
            }
            return (MtaStsPolicy) next;
        }
    }

    private static final List<String> TXT_1 = List.of("v=STSv1; id=one;");
    private static final List<String> TXT_2 = List.of("v=STSv1; id=two;");

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final ScriptedFetcher fetcher = new ScriptedFetcher();
    private MtaStsPolicyCache cache;
    private MtaStsPolicy dayPolicy;
    private MtaStsPolicy otherPolicy;

    @BeforeEach
    void setUp() throws Exception {
        cache = MtaStsPolicyCache.create(fetcher, clock);
        dayPolicy = MtaStsPolicy.parse("version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 86400");
        otherPolicy = MtaStsPolicy.parse("version: STSv1\nmode: testing\nmx: mx2.example.com\nmax_age: 86400");
    }

    @Test
    void firstLookupFetchesAndSecondUsesCache() {
        fetcher.results.add(dayPolicy);
        MtaStsPolicyCache.Outcome first = cache.lookup("Example.COM.", TXT_1);
        assertThat(first.fetched()).isTrue();
        assertThat(first.policy()).get().extracting(CachedMtaStsPolicy::policy).isEqualTo(dayPolicy);
        assertThat(first.policy().orElseThrow().expiresAt()).isEqualTo(clock.instant().plus(Duration.ofDays(1)));
        clock.advance(Duration.ofHours(23));
        MtaStsPolicyCache.Outcome second = cache.lookup("example.com", TXT_1);
        assertThat(second.fetched()).isFalse();
        assertThat(second.policy()).get().extracting(CachedMtaStsPolicy::policy).isEqualTo(dayPolicy);
        assertThat(fetcher.calls).containsExactly("example.com");
    }

    @Test
    void changedTxtIdTriggersRefresh() {
        fetcher.results.add(dayPolicy);
        fetcher.results.add(otherPolicy);
        cache.lookup("example.com", TXT_1);
        MtaStsPolicyCache.Outcome after = cache.lookup("example.com", TXT_2);
        assertThat(after.fetched()).isTrue();
        assertThat(after.policy().orElseThrow().policy()).isEqualTo(otherPolicy);
        assertThat(after.policy().orElseThrow().id()).isEqualTo("two");
        assertThat(fetcher.calls).hasSize(2);
    }

    @Test
    void expiredPolicyIsRefetched() {
        fetcher.results.add(dayPolicy);
        fetcher.results.add(otherPolicy);
        cache.lookup("example.com", TXT_1);
        clock.advance(Duration.ofDays(1));
        MtaStsPolicyCache.Outcome after = cache.lookup("example.com", TXT_1);
        assertThat(after.fetched()).isTrue();
        assertThat(after.policy().orElseThrow().policy()).isEqualTo(otherPolicy);
    }

    @Test
    void failedRefreshKeepsStillValidPolicy() {
        fetcher.results.add(dayPolicy);
        fetcher.results.add(new TlsPolicyException(TlsFailureReason.STS_POLICY_FETCH_ERROR, "down"));
        cache.lookup("example.com", TXT_1);
        MtaStsPolicyCache.Outcome after = cache.lookup("example.com", TXT_2);
        assertThat(after.policy().orElseThrow().policy()).isEqualTo(dayPolicy);
        assertThat(after.failure()).contains(TlsFailureReason.STS_POLICY_FETCH_ERROR);
        assertThat(after.fetched()).isFalse();
    }

    @Test
    void failedRefreshOfExpiredPolicyMeansNoPolicy() {
        fetcher.results.add(dayPolicy);
        fetcher.results.add(new TlsPolicyException(TlsFailureReason.STS_WEBPKI_INVALID, "bad cert"));
        cache.lookup("example.com", TXT_1);
        clock.advance(Duration.ofDays(2));
        MtaStsPolicyCache.Outcome after = cache.lookup("example.com", TXT_1);
        assertThat(after.policy()).isEmpty();
        assertThat(after.failure()).contains(TlsFailureReason.STS_WEBPKI_INVALID);
    }

    @Test
    void missingTxtKeepsValidCachedPolicyAndDoesNotFetch() {
        fetcher.results.add(dayPolicy);
        cache.lookup("example.com", TXT_1);
        assertThat(cache.lookup("example.com", List.of()).policy()).isPresent();
        clock.advance(Duration.ofDays(1));
        assertThat(cache.lookup("example.com", List.of()).policy()).isEmpty();
        assertThat(fetcher.calls).hasSize(1);
    }

    @Test
    void noTxtAndNoCacheMeansNoPolicyWithoutFetching() {
        MtaStsPolicyCache.Outcome outcome = cache.lookup("example.com", List.of("v=spf1 -all"));
        assertThat(outcome.policy()).isEmpty();
        assertThat(outcome.failure()).isEmpty();
        assertThat(fetcher.calls).isEmpty();
    }

    @Test
    void invalidTxtWithoutCacheReportsPolicyInvalid() {
        MtaStsPolicyCache.Outcome outcome = cache.lookup("example.com", List.of("v=STSv1; id=a;", "v=STSv1; id=b;"));
        assertThat(outcome.policy()).isEmpty();
        assertThat(outcome.failure()).contains(TlsFailureReason.STS_POLICY_INVALID);
        assertThat(fetcher.calls).isEmpty();
    }

    @Test
    void domainsAreCachedSeparatelyAndInvalidatable() {
        fetcher.results.add(dayPolicy);
        fetcher.results.add(otherPolicy);
        fetcher.results.add(dayPolicy);
        cache.lookup("a.example", TXT_1);
        cache.lookup("b.example", TXT_1);
        assertThat(cache.peek("a.example").orElseThrow().policy()).isEqualTo(dayPolicy);
        assertThat(cache.peek("b.example").orElseThrow().policy()).isEqualTo(otherPolicy);
        cache.invalidate("a.example");
        assertThat(cache.peek("a.example")).isEmpty();
        assertThat(cache.lookup("a.example", TXT_1).fetched()).isTrue();
    }
    private static TlsPolicyException unusable(String mx) {
        try {
            MtaStsPolicy.parse("version: STSv1\nmode: enforce\nmx: " + mx + "\nmax_age: 86400");
        } catch (TlsPolicyException e) {
            return e;
        }
        throw new AssertionError("policy parsed");
    }

    @Test
    void unusableEnforcePolicyWithoutCacheDefersAndIsNotCached() {
        fetcher.results.add(unusable("[192.0.2.25]"));
        fetcher.results.add(unusable("192.0.2.25"));
        MtaStsPolicyCache.Outcome outcome = cache.lookup("example.com", TXT_1);
        assertThat(outcome.policy()).isEmpty();
        assertThat(outcome.failure()).contains(TlsFailureReason.STS_POLICY_INVALID);
        assertThat(outcome.defersDelivery()).isTrue();
        assertThat(cache.peek("example.com")).isEmpty();
        assertThat(cache.lookup("example.com", TXT_1).defersDelivery()).as("fetched again, still deferring").isTrue();
        assertThat(fetcher.calls).hasSize(2);
    }

    @Test
    void unusableRefreshKeepsTheValidCachedPolicyInForce() {
        fetcher.results.add(dayPolicy);
        fetcher.results.add(unusable("2001:db8::25"));
        cache.lookup("example.com", TXT_1);
        clock.advance(Duration.ofHours(2));
        MtaStsPolicyCache.Outcome after = cache.lookup("example.com", TXT_2);
        assertThat(after.policy().orElseThrow().policy()).isEqualTo(dayPolicy);
        assertThat(after.failure()).contains(TlsFailureReason.STS_POLICY_INVALID);
        assertThat(after.defersDelivery()).isFalse();
        assertThat(cache.peek("example.com").orElseThrow().id()).isEqualTo("one");
    }

    @Test
    void unusableRefreshOfAnExpiredPolicyDefers() {
        fetcher.results.add(dayPolicy);
        fetcher.results.add(unusable("[192.0.2.25]"));
        cache.lookup("example.com", TXT_1);
        clock.advance(Duration.ofDays(1));
        MtaStsPolicyCache.Outcome after = cache.lookup("example.com", TXT_1);
        assertThat(after.policy()).isEmpty();
        assertThat(after.defersDelivery()).isTrue();
    }

    @Test
    void otherFetchFailuresNeverDefer() {
        fetcher.results.add(new TlsPolicyException(TlsFailureReason.STS_POLICY_INVALID, "malformed"));
        assertThat(cache.lookup("example.com", TXT_1).defersDelivery()).isFalse();
    }
}
