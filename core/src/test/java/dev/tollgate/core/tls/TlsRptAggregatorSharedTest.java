package dev.tollgate.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tollgate.core.state.StateException;
import dev.tollgate.core.state.TlsRptCounters;
import dev.tollgate.core.state.TlsRptPeriod;
import dev.tollgate.core.state.memory.InMemoryTlsRptCounters;
import dev.tollgate.core.testing.MutableClock;

/** Two nodes counting into one shared store: one report per period and domain, with the summed counts. */
class TlsRptAggregatorSharedTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-10T08:00:00Z"));

    /** The in-memory counters, presented as shared (as Cassandra's are), and able to fail. */
    static final class Shared implements TlsRptCounters {
        final InMemoryTlsRptCounters real;
        volatile boolean down;

        Shared(MutableClock clock) {
            this.real = new InMemoryTlsRptCounters(clock);
        }

        private void check() throws StateException {
            if (down) {
                throw new StateException("test store down");
            }
        }

        @Override
        public boolean shared() {
            return true;
        }

        @Override
        public void add(TlsRptPeriod period, String policy, String outcome, long delta) {
            real.add(period, policy, outcome, delta);
        }

        @Override
        public void flush() throws StateException {
            check();
        }

        @Override
        public List<TlsRptPeriod> pending(Instant endedBy) throws StateException {
            check();
            return real.pending(endedBy);
        }

        @Override
        public Map<String, Map<String, Long>> counts(TlsRptPeriod period) throws StateException {
            check();
            return real.counts(period);
        }

        @Override
        public boolean claim(TlsRptPeriod period, String holder) throws StateException {
            check();
            return real.claim(period, holder);
        }

        @Override
        public void reported(TlsRptPeriod period) throws StateException {
            check();
            real.reported(period);
        }
    }

    private final Shared store = new Shared(clock);
    private final TlsRptAggregator a = new TlsRptAggregator(clock, Duration.ofDays(1), 100, store, "node-a",
            Duration.ofSeconds(30), "test-store");
    private final TlsRptAggregator b = new TlsRptAggregator(clock, Duration.ofDays(1), 100, store, "node-b",
            Duration.ofSeconds(30), "test-store");

    private static TlsRptPolicy sts() throws TlsPolicyException {
        MtaStsPolicy p = MtaStsPolicy.parse("version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 86400");
        return TlsRptPolicy.of(TlsRptReport.PolicyType.STS, "example.com", p.toPolicyLines(), p.mxPatterns());
    }

    @Test
    void oneNodeReportsEachPeriodWithEveryNodesCounts() throws Exception {
        a.recordFailure(sts(), TlsFailureReason.CERTIFICATE_EXPIRED, "192.0.2.1", "mx.example.com", "198.51.100.7");
        b.recordFailure(sts(), TlsFailureReason.CERTIFICATE_EXPIRED, "192.0.2.1", "mx.example.com", "198.51.100.7");
        b.recordFailure(sts(), TlsFailureReason.CERTIFICATE_EXPIRED, "192.0.2.1", "mx.example.com", "198.51.100.7");
        a.recordSuccess(sts());

        assertThat(b.drainAll()).as("a shared store keeps the current period for whoever reports it").isEmpty();
        clock.advance(Duration.ofHours(16).plusSeconds(10));
        assertThat(a.drainCompleted()).as("the other nodes may not have flushed yet").isEmpty();
        clock.advance(Duration.ofSeconds(21));
        List<TlsRptAggregator.DomainResults> onB = b.drainCompleted();
        assertThat(a.drainCompleted()).isEmpty();
        assertThat(onB).hasSize(1);
        TlsRptReport.PolicyResult result = onB.get(0).policies().get(0);
        assertThat(result.failureCount()).isEqualTo(3);
        assertThat(onB.get(0).end()).isEqualTo(Instant.parse("2026-03-11T00:00:00Z"));
        assertThat(b.drainCompleted()).as("reported once").isEmpty();
    }

    @Test
    void anUnavailableStoreDelaysTheReportToTheNextRun() throws Exception {
        a.recordSuccess(sts());
        clock.advance(Duration.ofHours(17));
        store.down = true;
        assertThat(a.drainCompleted()).isEmpty();
        store.down = false;
        assertThat(a.drainCompleted()).hasSize(1);
    }
}
