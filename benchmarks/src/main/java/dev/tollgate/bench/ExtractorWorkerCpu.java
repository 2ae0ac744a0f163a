package dev.tollgate.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * CPU per document of the document worker JVMs, as the extractor pool runs them: the worker's whole life
 * (start, warm-up, JIT compilation, parsing) is counted, divided by the documents it parsed. Two extractor
 * jars are compared in interleaved runs (A, B, A, B, ...) so that a busy machine slows both alike:
 * {@code A} is a baseline jar (e.g. built from an older commit) replaced every {@code recycleA} documents,
 * {@code B} is this checkout's jar, replaced every {@code recycleB} documents. A jar's protocol is told by its
 * first frame: a worker that announces {@code READY 2} answers with four frames (status, text, metadata,
 * KEEP/RETIRE), one that announces {@code READY} with three (status, text, KEEP/RETIRE), an older one (built
 * before {@code READY}) with two.
 *
 * <p>Usage: {@code java -cp ... dev.tollgate.bench.ExtractorWorkerCpu JAR_A RECYCLE_A JAR_B RECYCLE_B DOCS PAIRS FILE...}.
 * A jar argument may carry extra worker JVM options after a {@code |}:
 * {@code 'extractor.jar|-XX:TieredStopAtLevel=1'} (space-separated). Prints each run's CPU per document (process
 * CPU from {@link ProcessHandle.Info#totalCpuDuration()}, sampled just before the worker is told to exit) and the
 * medians with their ratio B/A.
 */
public final class ExtractorWorkerCpu {
    private ExtractorWorkerCpu() {
    }

    public static void main(String[] args) throws Exception {
        String jarA = args[0];
        int recycleA = Integer.parseInt(args[1]);
        String jarB = args[2];
        int recycleB = Integer.parseInt(args[3]);
        int docs = Integer.parseInt(args[4]);
        int pairs = Integer.parseInt(args[5]);
        List<byte[]> files = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 6; i < args.length; i++) {
            files.add(Files.readAllBytes(Paths.get(args[i])));
            names.add(Paths.get(args[i]).getFileName().toString());
        }
        double[] a = new double[pairs];
        double[] b = new double[pairs];
        for (int p = 0; p < pairs; p++) {
            a[p] = run(jarA, recycleA, docs, files, names);
            b[p] = run(jarB, recycleB, docs, files, names);
            System.out.printf(Locale.ROOT, "pair %d: A %.2f ms/doc, B %.2f ms/doc, B/A %.2f%n", p + 1, a[p], b[p], b[p] / a[p]);
        }
        double ma = median(a);
        double mb = median(b);
        double[] ratios = new double[pairs];
        for (int p = 0; p < pairs; p++) {
            ratios[p] = b[p] / a[p];
        }
        Arrays.sort(ratios);
        System.out.printf(Locale.ROOT, "median A %.2f ms/doc, B %.2f ms/doc; B/A %.2f [%.2f-%.2f] (%d documents per run)%n",
                ma, mb, mb / ma, ratios[0], ratios[pairs - 1], docs);
    }

    /** @return worker CPU milliseconds per document over {@code docs} documents, restarts included */
    private static double run(String jarAndOptions, int recycle, int docs, List<byte[]> files,
                              List<String> names) throws IOException, InterruptedException {
        String[] parts = jarAndOptions.split("\\|", 2);
        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "-Djava.awt.headless=true"));
        if (parts.length > 1 && !parts[1].isBlank()) {
            command.addAll(Arrays.asList(parts[1].trim().split("\\s+")));
        }
        command.addAll(List.of("-cp", parts[0], "dev.tollgate.extractor.ExtractorWorker", "10000000"));
        Duration cpu = Duration.ZERO;
        int done = 0;
        while (done < docs) {
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(process.getOutputStream(), 1 << 16));
            DataInputStream in = new DataInputStream(new BufferedInputStream(process.getInputStream(), 1 << 16));
            boolean retired = false;
            int responseFrames = 2;
            for (int n = 0; n < recycle && done < docs && !retired; n++, done++) {
                int f = done % files.size();
                write(out, names.get(f).getBytes(StandardCharsets.UTF_8));
                write(out, files.get(f));
                out.flush();
                String status = new String(read(in), StandardCharsets.UTF_8);
                if (n == 0 && (status.equals("READY") || status.equals("READY 2"))) {
                    responseFrames = status.equals("READY") ? 3 : 4;
                    status = new String(read(in), StandardCharsets.UTF_8);
                }
                read(in);
                if (responseFrames == 4) {
                    read(in); // metadata
                }
                if (responseFrames >= 3) {
                    retired = "RETIRE".equals(new String(read(in), StandardCharsets.UTF_8));
                }
                if (!status.equals("OK")) {
                    throw new IllegalStateException(names.get(f) + ": " + status);
                }
            }
            cpu = cpu.plus(process.info().totalCpuDuration().orElseThrow());
            out.close();
            process.waitFor();
        }
        return cpu.toNanos() / 1e6 / docs;
    }

    private static void write(DataOutputStream out, byte[] frame) throws IOException {
        out.writeInt(frame.length);
        out.write(frame);
    }

    private static byte[] read(DataInputStream in) throws IOException {
        byte[] frame = new byte[in.readInt()];
        in.readFully(frame);
        return frame;
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
