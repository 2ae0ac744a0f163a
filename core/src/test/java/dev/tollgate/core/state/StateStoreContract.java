package dev.tollgate.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tollgate.core.mfa.AuthThrottle;
import dev.tollgate.core.state.FailureLog.Dimension;

/**
 * The behaviour every {@link StateStore} backend must have, run against each of them (in-memory and file here,
 * Cassandra in a container test). {@link #node()} is one process; {@link #otherNode()} another process sharing the
 * same state (same directory, same cluster), so "of N concurrent accepts exactly one wins" is checked across nodes.
 */
public abstract class StateStoreContract implements TlsStateContract {
    /** @return a fresh, empty store for one test (one node) */
    protected abstract StateStore newStore() throws Exception;

    /** @return a second node over the state of {@code first} (the same instance when the backend cannot share) */
    protected abstract StateStore otherNode(StateStore first) throws Exception;

    protected StateStore store;
    protected StateStore other;
    private static final AtomicInteger NAMES = new AtomicInteger((int) (System.nanoTime() & 0xffffff));

    @BeforeEach
    void openStores() throws Exception {
        store = newStore();
        other = otherNode(store);
    }

    @Override
    public StateStore tlsNode() {
        return store;
    }

    @Override
    public StateStore tlsOtherNode() {
        return other;
    }

    @AfterEach
    void closeStores() {
        if (other != store) {
            other.close();
        }
        store.close();
    }

    /** @return a record name not used by any other test of this run */
    protected static String name() {
        return String.format("%056x%08x.mfa", System.currentTimeMillis(), NAMES.incrementAndGet());
    }

    private static String user() {
        return "user-" + NAMES.incrementAndGet() + "@example.com";
    }

    @Test
    void recordsRoundTripReplaceAndDelete() throws Exception {
        String n = name();
        assertThat(store.records().get(n)).isEmpty();
        store.records().put(n, new byte[] {1, 2, 3});
        assertThat(other.records().get(n)).hasValueSatisfying(b -> assertThat(b).containsExactly(1, 2, 3));
        other.records().put(n, new byte[] {4});
        assertThat(store.records().get(n)).hasValueSatisfying(b -> assertThat(b).containsExactly(4));
        assertThat(store.records().names()).contains(n);
        assertThat(other.records().delete(n)).isTrue();
        assertThat(store.records().get(n)).isEmpty();
        assertThat(store.records().delete(n)).isFalse();
        assertThat(store.records().names()).doesNotContain(n);
    }

    @Test
    void aRecordOfOneMebibyteIsKept() throws Exception {
        String n = name();
        byte[] big = new byte[SealedRecords.MAX_RECORD_BYTES];
        big[big.length - 1] = 7;
        store.records().put(n, big);
        assertThat(other.records().get(n).get()).hasSize(big.length).endsWith(7);
    }

    @Test
    void watermarkMovesOnlyForwards() throws Exception {
        String n = name();
        assertThat(store.watermarks().current(n)).isEmpty();
        assertThat(store.watermarks().advance(n, 100)).isTrue();
        assertThat(other.watermarks().advance(n, 100)).as("same step again, on the other node").isFalse();
        assertThat(store.watermarks().advance(n, 99)).as("older step").isFalse();
        assertThat(other.watermarks().advance(n, 101)).isTrue();
        assertThat(store.watermarks().current(n)).hasValue(101);
    }

    @Test
    void ofSixteenThreadsRacingOneStepOnTwoNodesExactlyOneWins() throws Exception {
        for (int round = 0; round < 3; round++) {
            String n = name();
            List<Boolean> results = race(16, i -> (i % 2 == 0 ? store : other).watermarks().advance(n, 56_000_000L));
            assertThat(results.stream().filter(b -> b).count()).as("winners of round " + round).isEqualTo(1);
            assertThat(store.watermarks().current(n)).hasValue(56_000_000L);
        }
    }

    @Test
    void racingDifferentStepsEndsAtTheHighest() throws Exception {
        String n = name();
        List<Boolean> results = race(16, i -> (i % 2 == 0 ? store : other).watermarks().advance(n, 1000 + i));
        assertThat(results).contains(true);
        assertThat(other.watermarks().current(n)).hasValue(1015);
        assertThat(store.watermarks().advance(n, 1015)).isFalse();
    }

    @Test
    void failuresAreListedOldestFirstAndLimited() throws Exception {
        String u = user();
        Instant t0 = Instant.now().minusSeconds(10).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        for (int i = 0; i < 5; i++) {
            store.failures().record(Dimension.USER, u, t0.plusSeconds(i), Duration.ofMinutes(5));
        }
        Instant now = Instant.now();
        assertThat(other.failures().recent(Dimension.USER, u, now, 10))
                .containsExactly(t0, t0.plusSeconds(1), t0.plusSeconds(2), t0.plusSeconds(3), t0.plusSeconds(4));
        assertThat(other.failures().recent(Dimension.USER, u, now, 2)).containsExactly(t0.plusSeconds(3), t0.plusSeconds(4));
        assertThat(store.failures().recent(Dimension.NETWORK, u, now, 10)).as("dimensions are separate").isEmpty();
        other.failures().clear(Dimension.USER, u);
        assertThat(store.failures().recent(Dimension.USER, u, Instant.now(), 10)).isEmpty();
        store.failures().record(Dimension.USER, u, Instant.now(), Duration.ofMinutes(5));
        assertThat(other.failures().recent(Dimension.USER, u, Instant.now(), 10)).as("counted again after a clear").hasSize(1);
    }

    @Test
    void failuresAreForgottenAfterTheirKeepTime() throws Exception {
        String u = user();
        // A keep time long enough that a busy machine still reads the row before it expires.
        store.failures().record(Dimension.NETWORK, u, Instant.now(), Duration.ofSeconds(4));
        assertThat(other.failures().recent(Dimension.NETWORK, u, Instant.now(), 10)).hasSize(1);
        Thread.sleep(5500);
        assertThat(other.failures().recent(Dimension.NETWORK, u, Instant.now(), 10)).isEmpty();
    }

    @Test
    void parallelFailuresOnTwoNodesAreAllCounted() throws Exception {
        String u = user();
        Instant base = Instant.now();
        race(16, i -> {
            StateStore s = i % 2 == 0 ? store : other;
            for (int k = 0; k < 4; k++) {
                s.failures().record(Dimension.USER, u, base.plusMillis(i * 4L + k), Duration.ofMinutes(5));
            }
            return true;
        });
        assertThat(store.failures().recent(Dimension.USER, u, base.plusSeconds(1), 1000)).hasSize(64);
    }

    @Test
    void parallelFailuresSpreadOverTwoNodesLockTheUserOnBoth() throws Exception {
        AuthThrottle a = throttle(store);
        AuthThrottle b = throttle(other);
        String u = user();
        race(10, i -> {
            (i % 2 == 0 ? a : b).recordFailure(u, "192.0.2." + i);
            return true;
        });
        assertThat(a.failures(u)).isEqualTo(10);
        assertThat(a.check(u, "198.51.100.1").outcome()).isEqualTo(AuthThrottle.Outcome.LOCKED);
        assertThat(b.check(u, "198.51.100.1").outcome()).isEqualTo(AuthThrottle.Outcome.LOCKED);
        b.recordSuccess(u, null);
        assertThat(a.failures(u)).isZero();
    }

    @Test
    void appPasswordUsesKeepTheLatest() throws Exception {
        String n = name();
        Instant t = Instant.parse("2026-03-01T10:00:00Z");
        store.appPasswordUses().recordUse(n, "ap1", t, "192.0.2.1");
        other.appPasswordUses().recordUse(n, "ap1", t.plusSeconds(60), "2001:db8::1");
        store.appPasswordUses().recordUse(n, "ap1", t.plusSeconds(30), "192.0.2.9");
        store.appPasswordUses().recordUse(n, "ap2", t, null);
        Map<String, AppPasswordUse> uses = other.appPasswordUses().uses(n);
        assertThat(uses).containsEntry("ap1", new AppPasswordUse(t.plusSeconds(60), "2001:db8::1"))
                .containsEntry("ap2", new AppPasswordUse(t, null)).hasSize(2);
        other.appPasswordUses().forget(n);
        assertThat(store.appPasswordUses().uses(n)).isEmpty();
    }

    @Test
    void linkKeysAddedOnOneNodeAreSeenOnTheOtherTheNewestFirst() throws Exception {
        String older = "c" + NAMES.incrementAndGet();
        String newer = "c" + NAMES.incrementAndGet();
        // Later than any key of earlier tests sharing the store (one Cassandra ring), so the newest is ours.
        Instant t = Instant.now().plusSeconds(NAMES.get()).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        byte[] m1 = new byte[] {1, 2, 3};
        byte[] m2 = new byte[48];
        java.util.Arrays.fill(m2, (byte) 7);
        assertThat(store.linkKeys().add(new StoredLinkKey(older, t, m1))).isTrue();
        assertThat(store.linkKeys().add(new StoredLinkKey(newer, t.plusSeconds(1), m2))).isTrue();
        assertThat(other.linkKeys().add(new StoredLinkKey(newer, t.plusSeconds(2), m1))).as("an id is added once").isFalse();
        List<StoredLinkKey> seen = other.linkKeys().keys();
        assertThat(seen.get(0)).isEqualTo(new StoredLinkKey(newer, t.plusSeconds(1), m2));
        assertThat(seen).contains(new StoredLinkKey(older, t, m1));
        assertThat(seen.indexOf(new StoredLinkKey(older, t, m1))).isGreaterThan(0);
        assertThat(other.linkKeys().remove(newer)).isTrue();
        assertThat(store.linkKeys().remove(newer)).isFalse();
        assertThat(store.linkKeys().keys()).extracting(StoredLinkKey::id).doesNotContain(newer).contains(older);
        assertThat(store.linkKeys().remove(older)).isTrue();
    }

    private AuthThrottle throttle(StateStore s) {
        return AuthThrottle.builder().userLockoutThreshold(10).ipLockoutThreshold(100).baseDelay(Duration.ofMillis(1))
                .maxDelay(Duration.ofMillis(1)).lockoutDuration(Duration.ofMinutes(15)).forgetAfter(Duration.ofHours(1))
                .clock(Clock.systemUTC()).failureLog(s.failures()).build();
    }

    /** One task per thread, all released at once; @return their results in task order */
    protected static <T> List<T> race(int threads, IndexedTask<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int index = i;
                Callable<T> c = () -> {
                    start.await();
                    return task.run(index);
                };
                futures.add(pool.submit(c));
            }
            start.countDown();
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get(60, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /** A task given its index. */
    @FunctionalInterface
    protected interface IndexedTask<T> {
        T run(int index) throws Exception;
    }
}
