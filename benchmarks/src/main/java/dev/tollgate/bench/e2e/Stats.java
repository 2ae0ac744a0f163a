package dev.tollgate.bench.e2e;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/** The arithmetic of the end-to-end benchmark: percentiles, medians with their range, the A/B run order. */
final class Stats {
    private Stats() {
    }

    /**
     * The nearest-rank percentile: the smallest value such that at least {@code p} percent of the values are at or
     * below it (p99 of 200 values is the 198th smallest).
     *
     * @param p in (0, 100]
     * @throws IllegalArgumentException when there are no values or {@code p} is out of range
     */
    static double percentile(double[] values, double p) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], was " + p);
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }

    /** The median (mean of the two middle values for an even count) with the minimum and maximum. */
    static Spread spread(Collection<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values");
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new Spread(median, sorted[0], sorted[n - 1], n);
    }

    /** Ratio of each pair, {@code b[i] / a[i]}: pair by pair, so a slow period of the machine hits both sides. */
    static List<Double> pairRatios(List<Double> a, List<Double> b) {
        if (a.size() != b.size()) {
            throw new IllegalArgumentException("unpaired: " + a.size() + " A runs, " + b.size() + " B runs");
        }
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            ratios.add(b.get(i) / a.get(i));
        }
        return ratios;
    }

    /**
     * Which variant runs first in pair {@code pair} (0-based): A then B in even pairs, B then A in odd ones, so over
     * two pairs each variant runs once first and once second (ABBA).
     */
    static String order(int pair) {
        if (pair < 0) {
            throw new IllegalArgumentException("pair must be >= 0, was " + pair);
        }
        return pair % 2 == 0 ? "AB" : "BA";
    }

    /** Median and range of a set of values. */
    static final class Spread {
        final double median;
        final double min;
        final double max;
        final int count;

        Spread(double median, double min, double max, int count) {
            this.median = median;
            this.min = min;
            this.max = max;
            this.count = count;
        }

        /** {@code "1.31 [1.22–1.34]"}; a single value has no range. */
        String format(int decimals) {
            String f = "%." + decimals + "f";
            if (count == 1) {
                return String.format(Locale.ROOT, f, median);
            }
            return String.format(Locale.ROOT, f + " [" + f + "–" + f + "]", median, min, max);
        }
    }
}
