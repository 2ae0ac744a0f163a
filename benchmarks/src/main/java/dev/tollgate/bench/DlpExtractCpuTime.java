package dev.tollgate.bench;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.mail.Session;
import javax.mail.internet.MimeMessage;

/**
 * Extraction and scan ({@code MimeContentExtractor.extract}, then {@code MessageScan.of} with all built-in
 * detectors; no document worker, so documents are unscannable) over every {@code .eml} file of a directory, for two
 * builds of {@code tollgate-core} side by side in one JVM: each jar's {@code dev.tollgate} classes in their own
 * class loader (the libraries shared from this class path), measured in thread CPU time and interleaved pass by
 * pass like {@link DlpScanCpuTime}. Prints the median CPU time per pass of each and their ratio.
 *
 * <pre>java -cp benchmarks/target/classes:$(cat benchmarks/target/classpath.txt) dev.tollgate.bench.DlpExtractCpuTime \
 *     BASELINE_CORE_JAR CANDIDATE_CORE_JAR EML_DIRECTORY [rounds]</pre>
 */
public final class DlpExtractCpuTime {
    private DlpExtractCpuTime() {
    }


    public static void main(String[] args) throws Exception {
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        List<byte[]> mails = new ArrayList<>();
        try (Stream<Path> files = Files.list(Paths.get(args[2]))) {
            for (Path p : files.filter(p -> p.toString().endsWith(".eml")).sorted().collect(Collectors.toList())) {
                mails.add(Files.readAllBytes(p));
            }
        }
        Object[] extractors = new Object[2];
        Object[] scanners = new Object[2];
        Method[] extract = new Method[2];
        Method[] scanOf = new Method[2];
        Method[] findingsOf = new Method[2];
        for (int k = 0; k < 2; k++) {
            ClassLoader cl = new TollgateFirstLoader(new URL[] {new File(args[k]).toURI().toURL()},
                    DlpExtractCpuTime.class.getClassLoader());
            Class<?> mce = cl.loadClass("dev.tollgate.core.dlp.content.MimeContentExtractor");
            Object b = mce.getMethod("builder").invoke(null);
            extractors[k] = b.getClass().getMethod("build").invoke(b);
            extract[k] = mce.getMethod("extract", MimeMessage.class);
            Class<?> ts = cl.loadClass("dev.tollgate.core.dlp.TextScanner");
            Object tb = ts.getMethod("builder").invoke(null);
            tb = tb.getClass().getMethod("allBuiltInDetectors").invoke(tb);
            scanners[k] = tb.getClass().getMethod("build").invoke(tb);
            Class<?> ms = cl.loadClass("dev.tollgate.core.dlp.policy.MessageScan");
            scanOf[k] = ms.getMethod("of", cl.loadClass("dev.tollgate.core.dlp.content.ExtractedContent"), ts);
            findingsOf[k] = ms.getMethod("findings");
        }
        Session session = Session.getInstance(new Properties());
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        List<List<Long>> times = List.of(new ArrayList<>(), new ArrayList<>());
        long[] findings = new long[2];
        for (int r = -5; r < rounds; r++) { // five warm-up rounds
            for (int j = 0; j < 2; j++) {
                int k = (r & 1) == 0 ? j : 1 - j; // alternate which goes first
                long n = 0;
                long t0 = threads.getCurrentThreadCpuTime();
                for (byte[] mail : mails) {
                    Object content = extract[k].invoke(extractors[k], new MimeMessage(session, new ByteArrayInputStream(mail)));
                    n += ((List<?>) findingsOf[k].invoke(scanOf[k].invoke(null, content, scanners[k]))).size();
                }
                long t1 = threads.getCurrentThreadCpuTime();
                if (r >= 0) {
                    times.get(k).add(t1 - t0);
                    findings[k] = n;
                }
            }
        }
        double[] median = new double[2];
        for (int k = 0; k < 2; k++) {
            List<Long> ts = new ArrayList<>(times.get(k));
            Collections.sort(ts);
            median[k] = ts.get(ts.size() / 2) / 1e6;
            System.out.printf("%-10s %s: median %.1f ms CPU per pass over %d messages, %d findings%n",
                    k == 0 ? "baseline" : "candidate", args[k], median[k], mails.size(), findings[k]);
        }
        System.out.printf("candidate/baseline throughput ratio: %.3f (%d interleaved rounds)%n", median[0] / median[1],
                rounds);
    }
}
