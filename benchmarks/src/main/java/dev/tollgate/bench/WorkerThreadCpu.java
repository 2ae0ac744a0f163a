package dev.tollgate.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU of one extractor worker JVM by thread (Linux {@code /proc/PID/task/TID/stat}, {@code utime + stime}), per
 * document: the worker is started as the pool starts it ({@code -Xmx256m -XX:+UseSerialGC}, plus any further JVM
 * options given), gets {@code WARM} copies of the document, then {@code N} more, and the CPU each thread spent on
 * those {@code N} is printed in ms per document (threads named alike, e.g. the C2 compiler threads, summed). Shows
 * how a worker's CPU splits between parsing (the {@code java} main thread), the JIT compilers and the collector, and
 * whether the worker asked to retire (the pool would have replaced it; here it is kept). A later {@code -Xmx} among
 * the JVM options overrides the first.
 *
 * <p>Usage (a single-file program, like {@link ExtractorWorkerCpu}):
 * {@code java benchmarks/src/main/java/dev/tollgate/bench/WorkerThreadCpu.java JAR WARM N DOCUMENT [JVM options...]}.
 */
public final class WorkerThreadCpu {
    private WorkerThreadCpu() {
    }

    public static void main(String[] args) throws Exception {
        String jar = args[0];
        int warm = Integer.parseInt(args[1]);
        int n = Integer.parseInt(args[2]);
        byte[] document = Files.readAllBytes(Paths.get(args[3]));
        List<String> command = new ArrayList<>(List.of("java", "-Xmx256m", "-XX:+UseSerialGC", "-Djava.awt.headless=true"));
        for (int i = 4; i < args.length; i++) {
            command.add(args[i]);
        }
        command.addAll(List.of("-cp", jar, "dev.tollgate.extractor.ExtractorWorker", "10000000"));
        Process worker = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(worker.getOutputStream()));
             DataInputStream in = new DataInputStream(new BufferedInputStream(worker.getInputStream()))) {
            String ready = new String(frame(in), StandardCharsets.UTF_8);
            if (!ready.startsWith("READY")) {
                throw new IllegalStateException("worker said " + ready);
            }
            Map<String, Long> before = null;
            int retire = 0;
            int firstRetire = -1;
            long wall = 0;
            String name = Paths.get(args[3]).getFileName().toString();
            for (int k = 0; k < warm + n; k++) {
                if (k == warm) {
                    before = threads(worker.pid());
                    wall = System.nanoTime();
                }
                write(out, name.getBytes(StandardCharsets.UTF_8));
                write(out, document);
                out.flush();
                String status = new String(frame(in), StandardCharsets.UTF_8);
                frame(in);
                frame(in);
                if (!new String(frame(in), StandardCharsets.UTF_8).equals("KEEP")) {
                    // the pool would replace the worker here; this harness keeps feeding it
                    retire++;
                    firstRetire = firstRetire < 0 ? k + 1 : firstRetire;
                }
                if (!status.equals("OK")) {
                    throw new IllegalStateException("document " + k + ": " + status);
                }
            }
            wall = System.nanoTime() - wall;
            Map<String, Long> after = threads(worker.pid());
            long total = 0;
            for (Map.Entry<String, Long> e : after.entrySet()) {
                long ms = e.getValue() - before.getOrDefault(e.getKey(), 0L);
                total += ms;
                if (ms > 0) {
                    System.out.printf(Locale.ROOT, "%-20s %8.2f ms/doc%n", e.getKey(), ms / (double) n);
                }
            }
            System.out.printf(Locale.ROOT, "%-20s %8.2f ms/doc over documents %d-%d (wall %.2f ms/doc)%n", "all threads",
                    total / (double) n, warm + 1, warm + n, wall / 1e6 / n);
            System.out.println(retire == 0 ? "the worker never asked to retire"
                    : "the worker asked to retire after " + retire + " documents, first after document " + firstRetire);
        }
        worker.waitFor();
    }

    /** CPU ms by thread name (trailing digits dropped, so numbered threads are summed); clock ticks of 10 ms. */
    private static Map<String, Long> threads(long pid) throws IOException {
        Map<String, Long> cpu = new TreeMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Paths.get("/proc/" + pid + "/task"))) {
            for (Path task : tasks) {
                String comm = Files.readString(task.resolve("comm")).trim().replaceAll("[0-9]+$", "#");
                String stat = Files.readString(task.resolve("stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                cpu.merge(comm, (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10, Long::sum);
            }
        }
        return cpu;
    }

    private static void write(DataOutputStream out, byte[] frame) throws IOException {
        out.writeInt(frame.length);
        out.write(frame);
    }

    private static byte[] frame(DataInputStream in) throws IOException {
        byte[] frame = new byte[in.readInt()];
        in.readFully(frame);
        return frame;
    }
}
