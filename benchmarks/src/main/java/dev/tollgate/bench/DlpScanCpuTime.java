package dev.tollgate.bench;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@code DlpTextScanBenchmark.tollgateTextScan}'s work (all built-in detectors over the subject and body strings of
 * {@link DlpCorpus#standard()}) for two builds of {@code tollgate-core} side by side in one JVM, each jar in its own
 * class loader, measured in thread CPU time and interleaved pass by pass, so that load from other work on a shared
 * machine falls on both alike. Prints the median CPU time per corpus pass of each and their ratio.
 *
 * <pre>java -cp benchmarks/target/classes:$(cat benchmarks/target/classpath.txt) dev.tollgate.bench.DlpScanCpuTime \
 *     BASELINE_CORE_JAR[:ICU4J_JAR] CANDIDATE_CORE_JAR[:ICU4J_JAR] [rounds]</pre>
 */
public final class DlpScanCpuTime {
    private DlpScanCpuTime() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 40;
        DlpCorpus corpus = DlpCorpus.standard();
        List<String> texts = new ArrayList<>();
        for (DlpCorpus.Message m : corpus.messages()) {
            texts.add(m.subject);
            texts.add(m.body);
        }
        Object[] scanners = new Object[2];
        Method[] scan = new Method[2];
        for (int k = 0; k < 2; k++) {
            ClassLoader cl = new URLClassLoader(urls(args[k]),
                    ClassLoader.getPlatformClassLoader());
            Class<?> ts = cl.loadClass("dev.tollgate.core.dlp.TextScanner");
            Object builder = ts.getMethod("builder").invoke(null);
            builder = builder.getClass().getMethod("allBuiltInDetectors").invoke(builder);
            scanners[k] = builder.getClass().getMethod("build").invoke(builder);
            scan[k] = ts.getMethod("scan", CharSequence.class);
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        List<List<Long>> times = List.of(new ArrayList<>(), new ArrayList<>());
        long[] findings = new long[2];
        for (int r = -10; r < rounds; r++) { // ten warm-up rounds
            for (int k = 0; k < 2; k++) {
                int kk = (r & 1) == 0 ? k : 1 - k; // alternate which goes first
                long t0 = threads.getCurrentThreadCpuTime();
                long n = 0;
                for (String t : texts) {
                    n += ((java.util.List<?>) scan[kk].invoke(scanners[kk], t)).size();
                }
                long t1 = threads.getCurrentThreadCpuTime();
                if (r >= 0) {
                    times.get(kk).add(t1 - t0);
                    findings[kk] = n;
                }
            }
        }
        double mb = corpus.utf8Bytes() / 1e6;
        double[] median = new double[2];
        for (int k = 0; k < 2; k++) {
            List<Long> ts = times.get(k);
            Collections.sort(ts);
            median[k] = ts.get(ts.size() / 2) / 1e6;
            System.out.printf("%-10s %s: median %.1f ms CPU per corpus pass (%.1f MB per CPU-s), %d findings%n",
                    k == 0 ? "baseline" : "candidate", args[k], median[k], mb / (median[k] / 1000), findings[k]);
        }
        System.out.printf("candidate/baseline throughput ratio: %.3f (%d interleaved rounds)%n", median[0] / median[1],
                rounds);
    }

    /**
     * @param jars a core jar, optionally followed by the jars it needs ({@code File.pathSeparator} between them,
     *     e.g. ICU4J, which the card labels' confusable skeletons use)
     */
    static URL[] urls(String jars) throws java.net.MalformedURLException {
        String[] paths = jars.split(java.util.regex.Pattern.quote(File.pathSeparator));
        URL[] urls = new URL[paths.length];
        for (int i = 0; i < paths.length; i++) {
            urls[i] = new File(paths[i]).toURI().toURL();
        }
        return urls;
    }
}
