package dev.tollgate.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The TLS delivery part of the state contract (MTA-STS policy cache, TLS-RPT counts and report lease), run
 * against every backend through {@link StateStoreContract}: {@link #tlsNode()} is one process,
 * {@link #tlsOtherNode()} another sharing its state (the same instance when the backend cannot share).
 */
public interface TlsStateContract {
    /** @return the first node's store */
    StateStore tlsNode();

    /** @return a second node's store over the same state */
    StateStore tlsOtherNode();

    private static String domain() {
        return "d" + UUID.randomUUID().toString().replace("-", "") + ".example";
    }

    /** A period that ended an hour ago, for a domain no other test uses. */
    private static TlsRptPeriod endedPeriod() {
        Instant end = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(1));
        return new TlsRptPeriod(end.minus(Duration.ofHours(1)), end, domain());
    }

    @Test
    default void mtaStsPoliciesAreSharedReplacedAndForgotten() throws Exception {
        String d = domain();
        StateStore a = tlsNode();
        StateStore b = tlsOtherNode();
        assertThat(a.mtaStsPolicies().get(d)).isEmpty();
        Instant fetched = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        MtaStsPolicyRecord first = new MtaStsPolicyRecord(d, "id1",
                "version: STSv1\nmode: enforce\nmx: mx." + d + "\nmax_age: 86400", fetched, Duration.ofDays(1));
        a.mtaStsPolicies().put(first);
        assertThat(b.mtaStsPolicies().get(d)).contains(first);
        MtaStsPolicyRecord second = new MtaStsPolicyRecord(d, "id2",
                "version: STSv1\nmode: testing\nmx: *." + d + "\nmax_age: 3600", fetched.plusSeconds(5), Duration.ofHours(1));
        b.mtaStsPolicies().put(second);
        assertThat(a.mtaStsPolicies().get(d)).contains(second);
        assertThat(a.mtaStsPolicies().get(d).get().expiresAt()).isEqualTo(fetched.plusSeconds(5 + 3600));
        a.mtaStsPolicies().delete(d);
        assertThat(b.mtaStsPolicies().get(d)).isEmpty();
    }

    @Test
    default void sixteenThreadsRacingTheReportLeaseMakeExactlyOneWinner() throws Exception {
        TlsRptPeriod period = endedPeriod();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                StateStore node = i % 2 == 0 ? tlsNode() : tlsOtherNode();
                String holder = "node-" + i;
                Callable<Boolean> race = () -> {
                    go.await();
                    return node.tlsRptCounters().claim(period, holder);
                };
                results.add(pool.submit(race));
            }
            go.countDown();
            List<Integer> winners = new ArrayList<>();
            for (int i = 0; i < results.size(); i++) {
                if (results.get(i).get(60, TimeUnit.SECONDS)) {
                    winners.add(i);
                }
            }
            assertThat(winners).hasSize(1);
            String winner = "node-" + winners.get(0);
            assertThat(tlsOtherNode().tlsRptCounters().claim(period, winner)).as("the holder asking again").isTrue();
            assertThat(tlsNode().tlsRptCounters().claim(period, "node-late")).isFalse();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    default void concurrentIncrementsOnTwoNodesSumExactly() throws Exception {
        TlsRptPeriod period = endedPeriod();
        String policy = "{\"policy-type\":\"sts\",\"policy-domain\":\"" + period.policyDomain() + "\"}";
        String failure = "{\"result-type\":\"certificate-expired\"}";
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                StateStore node = i % 2 == 0 ? tlsNode() : tlsOtherNode();
                int thread = i;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int n = 0; n < 500; n++) {
                        node.tlsRptCounters().add(period, policy, TlsRptCounters.SUCCESS, 1);
                        if (n % 5 == 0) {
                            node.tlsRptCounters().add(period, policy, failure, 2);
                        }
                        if (thread == 0 && n % 100 == 0) {
                            node.tlsRptCounters().flush(); // flushes racing the adds lose nothing
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        tlsNode().tlsRptCounters().flush();
        tlsOtherNode().tlsRptCounters().flush();
        Map<String, Map<String, Long>> counts = tlsNode().tlsRptCounters().counts(period);
        assertThat(counts).containsOnlyKeys(policy);
        assertThat(counts.get(policy)).containsExactlyInAnyOrderEntriesOf(
                Map.of(TlsRptCounters.SUCCESS, 16L * 500, failure, 16L * 100 * 2));
        assertThat(tlsOtherNode().tlsRptCounters().counts(period)).isEqualTo(counts);
    }

    @Test
    default void aPeriodIsPendingUntilReported() throws Exception {
        TlsRptPeriod ended = endedPeriod();
        Instant now = Instant.now();
        TlsRptPeriod current = new TlsRptPeriod(now.minusSeconds(10), now.plus(Duration.ofHours(1)), ended.policyDomain());
        tlsOtherNode().tlsRptCounters().add(ended, "p", TlsRptCounters.SUCCESS, 1);
        tlsOtherNode().tlsRptCounters().add(current, "p", TlsRptCounters.SUCCESS, 1);
        tlsOtherNode().tlsRptCounters().flush();
        List<TlsRptPeriod> pending = tlsNode().tlsRptCounters().pending(now);
        assertThat(pending).contains(ended).doesNotContain(current);
        assertThat(tlsNode().tlsRptCounters().pending(current.end())).contains(ended, current);
        assertThat(tlsNode().tlsRptCounters().claim(ended, "reporter")).isTrue();
        tlsNode().tlsRptCounters().reported(ended);
        assertThat(tlsOtherNode().tlsRptCounters().pending(now)).doesNotContain(ended);
        assertThat(tlsNode().tlsRptCounters().counts(new TlsRptPeriod(ended.start(), ended.end(), domain()))).isEmpty();
    }
}
