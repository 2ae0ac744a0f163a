package dev.tollgate.bench;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.jsoup.Jsoup;

/**
 * The two passes every extracted text of the DLP scan goes through, {@code TextNormalization.normalize} and
 * {@code EmbeddedEncodings.decode} (package-private, called by reflection), for two builds of {@code tollgate-core}
 * side by side in one JVM, each jar in its own class loader, in thread CPU time, interleaved round by round like
 * {@link DlpScanCpuTime}. Texts: the text of the end-to-end {@code html} mix's HTML (jsoup's {@code text()}, 20 K
 * chars, Latin-1 accented words) and of {@code testdata/bench/report-100k.pdf} (PDFBox's stripper, 8.6 K chars), or
 * the text files given. Prints the median CPU time per round of each pass and build, and baseline/candidate.
 *
 * <pre>java -cp benchmarks/target/classes:$(cat benchmarks/target/classpath.txt) dev.tollgate.bench.DlpTextPassCpuTime \
 *     BASELINE_CORE_JAR CANDIDATE_CORE_JAR [rounds [TEXT_FILE...]]</pre>
 * (run from the repository's top directory; ICU4J and Guava, which the classes use, come from this class path)
 */
public final class DlpTextPassCpuTime {
    private DlpTextPassCpuTime() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 4000;
        List<String> texts = new ArrayList<>();
        if (args.length > 3) {
            for (int k = 3; k < args.length; k++) {
                texts.add(Files.readString(Paths.get(args[k])));
            }
        } else {
            Method html = Class.forName("dev.tollgate.bench.e2e.Mixes").getDeclaredMethod("html");
            html.setAccessible(true);
            texts.add(Jsoup.parse((String) html.invoke(null)).text());
            try (PDDocument pdf = PDDocument.load(Path.of("testdata/bench/report-100k.pdf").toFile())) {
                texts.add(new PDFTextStripper().getText(pdf));
            }
        }
        Method[][] passes = new Method[2][2];
        for (int k = 0; k < 2; k++) {
            // this build's Tollgate classes first, the libraries from the class path
            ClassLoader cl = new TollgateFirstLoader(new URL[] {new File(args[k]).toURI().toURL()},
                    DlpTextPassCpuTime.class.getClassLoader());
            passes[k][0] = cl.loadClass("dev.tollgate.core.dlp.content.TextNormalization")
                    .getDeclaredMethod("normalize", String.class);
            passes[k][1] = cl.loadClass("dev.tollgate.core.dlp.content.EmbeddedEncodings")
                    .getDeclaredMethod("decode", String.class);
            passes[k][0].setAccessible(true);
            passes[k][1].setAccessible(true);
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long[][][] times = new long[2][2][rounds];
        Object[][] last = new Object[2][2];
        for (int r = -rounds / 5; r < rounds; r++) { // a fifth more rounds first, as warm-up
            for (int j = 0; j < 2; j++) {
                int k = (r & 1) == 0 ? j : 1 - j; // alternate which goes first
                for (int p = 0; p < 2; p++) {
                    long t0 = threads.getCurrentThreadCpuTime();
                    for (String t : texts) {
                        last[k][p] = passes[k][p].invoke(null, t);
                    }
                    long t1 = threads.getCurrentThreadCpuTime();
                    if (r >= 0) {
                        times[k][p][r] = t1 - t0;
                    }
                }
            }
        }
        int chars = texts.stream().mapToInt(String::length).sum();
        String[] names = {"normalize", "decode"};
        for (int p = 0; p < 2; p++) {
            Arrays.sort(times[0][p]);
            Arrays.sort(times[1][p]);
            double base = times[0][p][rounds / 2] / 1e3;
            double cand = times[1][p][rounds / 2] / 1e3;
            System.out.printf("%-9s over %d texts (%d chars): baseline %.1f µs, candidate %.1f µs, baseline/candidate"
                    + " %.2f%n", names[p], texts.size(), chars, base, cand, base / cand);
        }
        System.out.printf("same normalised text: %b (%d interleaved rounds)%n", last[0][0].equals(last[1][0]), rounds);
    }
}
