package dev.tollgate.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Locale;

/**
 * CPU per PDF of the document worker's parse ({@code DocumentParser.parse}: Tika's text plus the text-runs reading)
 * for two extractor jars in one JVM, each in its own class loader, in thread CPU time, after a warm-up: the steady
 * state of a worker, without its start or JIT compilation (see {@link ExtractorWorkerCpu} for those). Rounds of 10
 * parses alternate between the jars; prints the medians, their ratio B/A and the per-round ratios' range, and checks
 * that both jars give the same text.
 *
 * <p>Usage: {@code java -cp benchmarks/target/classes dev.tollgate.bench.PdfParseCpu JAR_A JAR_B ROUNDS PDF}, where
 * {@code PDF} is a file or {@code text:KB}, the text PDF of {@link MailChainCpuTime} of about that size.
 */
public final class PdfParseCpu {
    private static final int PER_ROUND = 10;
    private static final int WARM_UP = 40;

    private PdfParseCpu() {
    }

    public static void main(String[] args) throws Exception {
        Parser a = new Parser(args[0]);
        Parser b = new Parser(args[1]);
        int rounds = Integer.parseInt(args[2]);
        byte[] pdf = args[3].startsWith("text:") ? MailChainCpuTime.pdf(Integer.parseInt(args[3].substring(5)) * 1024)
                : Files.readAllBytes(Paths.get(args[3]));
        String textA = a.parse(pdf);
        String textB = b.parse(pdf);
        if (!textA.equals(textB)) {
            throw new IllegalStateException("the jars give different text for " + args[3]);
        }
        for (int i = 0; i < WARM_UP; i++) {
            a.parse(pdf);
            b.parse(pdf);
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        double[] msA = new double[rounds];
        double[] msB = new double[rounds];
        double[] ratios = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            // alternate which jar goes first, so neither always runs right after the other's garbage
            Parser first = r % 2 == 0 ? a : b;
            Parser second = r % 2 == 0 ? b : a;
            long t0 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < PER_ROUND; i++) {
                first.parse(pdf);
            }
            long t1 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < PER_ROUND; i++) {
                second.parse(pdf);
            }
            long t2 = mx.getCurrentThreadCpuTime();
            double f = (t1 - t0) / 1e6 / PER_ROUND;
            double s = (t2 - t1) / 1e6 / PER_ROUND;
            msA[r] = first == a ? f : s;
            msB[r] = first == a ? s : f;
            ratios[r] = msB[r] / msA[r];
        }
        Arrays.sort(msA);
        Arrays.sort(msB);
        Arrays.sort(ratios);
        System.out.printf(Locale.ROOT, "%s (%d bytes, %d chars of text): A %.2f ms, B %.2f ms CPU per parse; B/A %.3f, "
                        + "per round %.3f-%.3f [p25-p75 %.3f-%.3f] (medians of %d rounds of %d)%n",
                args[3], pdf.length, textA.length(), msA[rounds / 2], msB[rounds / 2], msB[rounds / 2] / msA[rounds / 2],
                ratios[0], ratios[rounds - 1], ratios[rounds / 4], ratios[rounds * 3 / 4], rounds, PER_ROUND);
    }

    /** {@code dev.tollgate.extractor.DocumentParser} of one jar, called by reflection (it is package-private). */
    private static final class Parser {
        private final Object parser;
        private final Method parse;
        private final Field status;
        private final Field body;

        Parser(String jar) throws Exception {
            URLClassLoader loader = new URLClassLoader(new URL[] {Paths.get(jar).toUri().toURL()},
                    ClassLoader.getPlatformClassLoader());
            Class<?> c = Class.forName("dev.tollgate.extractor.DocumentParser", true, loader);
            Constructor<?> k = c.getDeclaredConstructor(int.class);
            k.setAccessible(true);
            parser = k.newInstance(10_000_000);
            parse = c.getDeclaredMethod("parse", byte[].class, String.class);
            parse.setAccessible(true);
            Class<?> result = Class.forName("dev.tollgate.extractor.DocumentParser$Result", true, loader);
            status = result.getDeclaredField("status");
            status.setAccessible(true);
            body = result.getDeclaredField("body");
            body.setAccessible(true);
        }

        String parse(byte[] pdf) throws Exception {
            Object r = parse.invoke(parser, pdf, "document.pdf");
            if (!"OK".equals(status.get(r))) {
                throw new IllegalStateException(status.get(r) + ": " + body.get(r));
            }
            return (String) body.get(r);
        }
    }
}
