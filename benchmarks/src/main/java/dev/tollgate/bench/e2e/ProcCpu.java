package dev.tollgate.bench.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;

/**
 * CPU time of a process and of its children, from Linux's {@code /proc/<pid>/stat} (proc(5)): user + system time
 * of the process itself (all its threads), and for its children the time of those still running plus the time of
 * those that ended and were waited for ({@code cutime + cstime}), so a worker JVM replaced during a run still
 * counts.
 */
final class ProcCpu {
    private ProcCpu() {
    }

    /** Field numbers of proc(5), counted from 1, of the fields after the command name. */
    private static final int UTIME = 14;

    /**
     * The clock ticks of one {@code stat} line: {@code {utime, stime, cutime, cstime}}. The command name (field 2)
     * is in parentheses and may itself hold spaces and parentheses, so fields are counted from the last {@code ')'}.
     *
     * @throws IllegalArgumentException for a line that is not a stat line
     */
    static long[] parseStat(String line) {
        int close = line.lastIndexOf(')');
        if (close < 0 || line.indexOf('(') < 0) {
            throw new IllegalArgumentException("not a /proc stat line: " + line);
        }
        String[] rest = line.substring(close + 1).trim().split("\\s+");
        // rest[0] is field 3 (state).
        int first = UTIME - 3;
        if (rest.length < first + 4) {
            throw new IllegalArgumentException("short /proc stat line: " + line);
        }
        long[] ticks = new long[4];
        for (int i = 0; i < 4; i++) {
            ticks[i] = Long.parseLong(rest[first + i]);
        }
        return ticks;
    }

    /** A process's own CPU and its children's, in clock ticks. */
    static final class Sample {
        final long selfTicks;
        final long childrenTicks;
        /** The part of {@link #selfTicks} spent by the process's JIT compiler threads still alive at the sample. */
        final long jitTicks;
        /** The process's threads alive at the sample, by {@link #threadGroup} of their names: their ticks summed. */
        final java.util.Map<String, Long> groupTicks;

        Sample(long selfTicks, long childrenTicks, long jitTicks, java.util.Map<String, Long> groupTicks) {
            this.selfTicks = selfTicks;
            this.childrenTicks = childrenTicks;
            this.jitTicks = jitTicks;
            this.groupTicks = groupTicks;
        }
    }

    /**
     * A thread's group: its name (from its stat line, at most 15 chars) with each run of digits replaced by
     * {@code #}, so that a pool's threads ({@code pool-3-thread-12}, {@code GC Thread#1}) add up to one line.
     */
    static String threadGroup(String statLine) {
        int open = statLine.indexOf('(');
        int close = statLine.lastIndexOf(')');
        return open < 0 || close < open ? "?" : statLine.substring(open + 1, close).replaceAll("[0-9]+", "#");
    }

    /**
     * Whether a thread's stat line is a HotSpot JIT compiler thread's ({@code C1 CompilerThreadN},
     * {@code C2 CompilerThreadN}; the kernel keeps 15 chars of a thread's name).
     */
    static boolean isCompilerThread(String statLine) {
        int open = statLine.indexOf('(');
        return open >= 0 && (statLine.startsWith("C1 CompilerThre", open + 1)
                || statLine.startsWith("C2 CompilerThre", open + 1));
    }

    /**
     * CPU of {@code pid}'s JIT compiler threads, from {@code /proc/<pid>/task/<tid>/stat}. HotSpot starts and
     * stops compiler threads as its queue grows and shrinks, and the time of one that ended is no longer listed,
     * so this is a lower bound.
     */
    static long jitTicks(long pid) throws IOException {
        return jitTicks(pid, new java.util.HashMap<>());
    }

    /** As {@link #jitTicks(long)}, adding every thread's ticks to {@code groups} by {@link #threadGroup}. */
    private static long jitTicks(long pid, java.util.Map<String, Long> groups) throws IOException {
        long ticks = 0;
        try (java.util.stream.Stream<java.nio.file.Path> tasks = Files.list(Paths.get("/proc", Long.toString(pid), "task"))) {
            for (java.nio.file.Path task : (Iterable<java.nio.file.Path>) tasks::iterator) {
                try {
                    String line = new String(Files.readAllBytes(task.resolve("stat")), StandardCharsets.US_ASCII);
                    long[] t = parseStat(line);
                    groups.merge(threadGroup(line), t[0] + t[1], Long::sum);
                    if (isCompilerThread(line)) {
                        ticks += t[0] + t[1];
                    }
                } catch (NoSuchFileException | IllegalArgumentException gone) {
                    // the thread ended between the listing and the read
                }
            }
        }
        return ticks;
    }

    /**
     * Samples {@code pid}: its own {@code utime + stime}; for children, its {@code cutime + cstime} (children
     * that ended) plus every running descendant's {@code utime + stime}.
     */
    static Sample sample(long pid) throws IOException {
        long[] self = read(pid);
        long children = self[2] + self[3];
        List<ProcessHandle> descendants = ProcessHandle.of(pid).map(p -> p.descendants().collect(Collectors.toList()))
                .orElse(List.of());
        for (ProcessHandle child : descendants) {
            try {
                long[] c = read(child.pid());
                children += c[0] + c[1];
            } catch (NoSuchFileException | IllegalArgumentException gone) {
                // Ended between the listing and the read: its time is in cutime at the next sample.
            }
        }
        java.util.Map<String, Long> groups = new java.util.HashMap<>();
        long jit = jitTicks(pid, groups);
        return new Sample(self[0] + self[1], children, jit, groups);
    }

    private static long[] read(long pid) throws IOException {
        return parseStat(new String(Files.readAllBytes(Paths.get("/proc", Long.toString(pid), "stat")),
                StandardCharsets.US_ASCII));
    }

    /** Clock ticks per second ({@code getconf CLK_TCK}; 100 on Linux when it cannot be asked). */
    static long ticksPerSecond() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (p.waitFor() == 0 && out.matches("\\d+")) {
                return Long.parseLong(out);
            }
        } catch (IOException e) {
            // fall through
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 100;
    }
}
