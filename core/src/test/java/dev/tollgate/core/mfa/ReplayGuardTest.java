package dev.tollgate.core.mfa;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ReplayGuardTest {

    @Test
    void acceptsOnlyStrictlyLaterSteps() {
        ReplayGuard guard = ReplayGuard.inMemory();
        assertThat(guard.tryAccept("alice", TimeStep.of(10))).isTrue();
        assertThat(guard.tryAccept("alice", TimeStep.of(10))).isFalse();
        assertThat(guard.tryAccept("alice", TimeStep.of(9))).isFalse();
        assertThat(guard.tryAccept("alice", TimeStep.of(11))).isTrue();
        assertThat(guard.tryAccept("bob", TimeStep.of(10))).isTrue();
    }

    @Test
    void seedingNeverMovesTheWatermarkBack() {
        InMemoryReplayGuard guard = new InMemoryReplayGuard();
        guard.seed("alice", TimeStep.of(20));
        guard.seed("alice", TimeStep.of(5));
        assertThat(guard.tryAccept("alice", TimeStep.of(20))).isFalse();
        assertThat(guard.tryAccept("alice", TimeStep.of(21))).isTrue();
    }

    @Test
    void concurrentUseOfTheSameCodeIsAcceptedExactlyOnce() throws Exception {
        ReplayGuard guard = ReplayGuard.inMemory();
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 50; round++) {
                TimeStep step = TimeStep.of(1000 + round);
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Boolean>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    results.add(pool.submit(() -> {
                        start.await();
                        return guard.tryAccept("alice", step);
                    }));
                }
                start.countDown();
                int accepted = 0;
                for (Future<Boolean> f : results) {
                    if (f.get(30, TimeUnit.SECONDS)) {
                        accepted++;
                    }
                }
                assertThat(accepted).as("round %d", round).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
