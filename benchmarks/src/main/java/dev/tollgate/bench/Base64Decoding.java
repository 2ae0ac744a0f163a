package dev.tollgate.bench;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import javax.mail.internet.MimeUtility;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import dev.tollgate.core.mime.TransferEncoding;

/**
 * Decoding a base64 attachment body (a ~100 KB document) as Tollgate reads part bodies:
 * {@code javaMail} is the decoder Tollgate used before ({@link MimeUtility#decode}, JavaMail's
 * {@code BASE64DecoderStream}), {@code tollgate} is {@link TransferEncoding#decode} (the JDK's MIME decoder).
 * Run with JMH, or as a main that measures thread CPU time in interleaved rounds (for a shared machine):
 * {@code java -cp ... dev.tollgate.bench.Base64Decoding [rounds]}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class Base64Decoding {
    private byte[] encoded;

    @Setup
    public void setUp() throws Exception {
        String corpus = System.getProperty("tollgate.corpus", "testdata/tika");
        byte[] pdf = Files.readAllBytes(Paths.get(corpus, "testPDF.pdf"));
        byte[] doc = new byte[100 * 1024];
        for (int i = 0; i < doc.length; i += pdf.length) {
            System.arraycopy(pdf, 0, doc, i, Math.min(pdf.length, doc.length - i));
        }
        encoded = TransferEncoding.base64(doc).getBytes(StandardCharsets.US_ASCII);
    }

    @Benchmark
    public byte[] javaMail() throws Exception {
        return readAll(MimeUtility.decode(new ByteArrayInputStream(encoded), "base64"));
    }

    @Benchmark
    public byte[] tollgate() throws Exception {
        return readAll(TransferEncoding.decode(new ByteArrayInputStream(encoded), "base64"));
    }

    /**
     * Reads as {@code MimeBodies.readAtMost} does, in 8 KiB steps: JavaMail's base64 stream cannot be read with
     * {@link InputStream#readAllBytes()} (it ends the data after 8 KiB).
     */
    private static byte[] readAll(InputStream stream) throws java.io.IOException {
        try (InputStream in = stream) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(128 * 1024);
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        }
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        Base64Decoding bench = new Base64Decoding();
        bench.setUp();
        if (!Arrays.equals(bench.javaMail(), bench.tollgate())) {
            throw new IllegalStateException("the decoders disagree");
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 2000; i++) {
            bench.javaMail();
            bench.tollgate();
        }
        long[] a = new long[rounds];
        long[] b = new long[rounds];
        int ops = 20;
        for (int r = 0; r < rounds; r++) {
            long t0 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < ops; i++) {
                bench.javaMail();
            }
            long t1 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < ops; i++) {
                bench.tollgate();
            }
            long t2 = mx.getCurrentThreadCpuTime();
            a[r] = (t1 - t0) / ops;
            b[r] = (t2 - t1) / ops;
        }
        Arrays.sort(a);
        Arrays.sort(b);
        double ma = a[rounds / 2] / 1000.0;
        double mb = b[rounds / 2] / 1000.0;
        System.out.printf(Locale.ROOT, "javaMail %.1f us/op, tollgate %.1f us/op (CPU, median of %d rounds of %d); ratio %.2f%n",
                ma, mb, rounds, ops, mb / ma);
    }
}
