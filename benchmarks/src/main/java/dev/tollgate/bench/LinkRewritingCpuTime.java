package dev.tollgate.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * The {@link LinkRewriting} comparison measured in thread CPU time, with the two cases interleaved
 * (rewrite, round trip, rewrite, ...) so that a busy machine slows both alike: JMH's wall-clock figures
 * are only comparable when the machine is quiet. Prints the median per-operation CPU time of each case and
 * their ratio. Usage: {@code java -cp ... dev.tollgate.bench.LinkRewritingCpuTime [rounds]}.
 */
public final class LinkRewritingCpuTime {
    private static final int OPS_PER_ROUND = 50;

    private LinkRewritingCpuTime() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        LinkRewriting bench = new LinkRewriting();
        bench.setUp();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 3000; i++) { // warm-up: let the JIT compile both paths
            bench.rewrite();
            bench.roundTrip();
        }
        long[] rewrite = new long[rounds];
        long[] roundTrip = new long[rounds];
        for (int r = 0; r < rounds; r++) {
            long t0 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < OPS_PER_ROUND; i++) {
                bench.rewrite();
            }
            long t1 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < OPS_PER_ROUND; i++) {
                bench.roundTrip();
            }
            long t2 = mx.getCurrentThreadCpuTime();
            rewrite[r] = (t1 - t0) / OPS_PER_ROUND;
            roundTrip[r] = (t2 - t1) / OPS_PER_ROUND;
        }
        double rw = median(rewrite) / 1000.0;
        double rt = median(roundTrip) / 1000.0;
        System.out.printf(Locale.ROOT, "roundTrip %.1f us/op (CPU, median of %d rounds of %d)%n", rt, rounds, OPS_PER_ROUND);
        System.out.printf(Locale.ROOT, "rewrite   %.1f us/op%n", rw);
        System.out.printf(Locale.ROOT, "ratio     %.2f (target <= 1.5)%n", rw / rt);
    }

    private static double median(long[] values) {
        long[] v = values.clone();
        Arrays.sort(v);
        return v[v.length / 2];
    }
}
