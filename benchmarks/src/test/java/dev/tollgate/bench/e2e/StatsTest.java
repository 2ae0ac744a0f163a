package dev.tollgate.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class StatsTest {
    @Test
    void percentilesAreNearestRank() {
        double[] hundred = IntStream.rangeClosed(1, 100).asDoubleStream().toArray();
        // Shuffled input: the order of arrival does not matter.
        double[] reversed = IntStream.rangeClosed(1, 100).map(i -> 101 - i).asDoubleStream().toArray();

        assertThat(Stats.percentile(hundred, 50)).isEqualTo(50);
        assertThat(Stats.percentile(reversed, 99)).isEqualTo(99);
        assertThat(Stats.percentile(reversed, 100)).isEqualTo(100);
        assertThat(Stats.percentile(new double[] {7, 3}, 50)).isEqualTo(3);
        assertThat(Stats.percentile(new double[] {7, 3}, 99)).isEqualTo(7);
        assertThat(Stats.percentile(new double[] {5}, 1)).isEqualTo(5);
        double[] twoHundred = IntStream.rangeClosed(1, 200).asDoubleStream().toArray();
        assertThat(Stats.percentile(twoHundred, 99)).isEqualTo(198);
    }

    @Test
    void percentileRefusesNoValuesAndOutOfRange() {
        assertThatThrownBy(() -> Stats.percentile(new double[0], 50)).hasMessageContaining("no values");
        assertThatThrownBy(() -> Stats.percentile(new double[] {1}, 0)).hasMessageContaining("(0, 100]");
        assertThatThrownBy(() -> Stats.percentile(new double[] {1}, 101)).hasMessageContaining("(0, 100]");
    }

    @Test
    void spreadIsMedianWithRange() {
        Stats.Spread odd = Stats.spread(List.of(1.34, 1.22, 1.31));
        Stats.Spread even = Stats.spread(List.of(4.0, 1.0, 3.0, 2.0));

        assertThat(odd.format(2)).isEqualTo("1.31 [1.22–1.34]");
        assertThat(even.median).isEqualTo(2.5);
        assertThat(even.format(1)).isEqualTo("2.5 [1.0–4.0]");
        assertThat(Stats.spread(List.of(0.456)).format(2)).isEqualTo("0.46");
        assertThatThrownBy(() -> Stats.spread(List.of())).hasMessageContaining("no values");
    }

    @Test
    void ratiosArePairByPair() {
        // Pairwise, not median(B) / median(A): 2/1, 6/3 and 2/4.
        assertThat(Stats.pairRatios(List.of(1.0, 3.0, 4.0), List.of(2.0, 6.0, 2.0))).containsExactly(2.0, 2.0, 0.5);
        assertThatThrownBy(() -> Stats.pairRatios(List.of(1.0), List.of(1.0, 2.0))).hasMessageContaining("unpaired");
    }

    @Test
    void pairsAlternateWhoRunsFirst() {
        StringBuilder schedule = new StringBuilder();
        for (int pair = 0; pair < 4; pair++) {
            schedule.append(Stats.order(pair));
        }

        assertThat(schedule).hasToString("ABBAABBA");
        assertThatThrownBy(() -> Stats.order(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
