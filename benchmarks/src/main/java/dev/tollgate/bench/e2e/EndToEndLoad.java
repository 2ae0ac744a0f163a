package dev.tollgate.bench.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * End-to-end load: stock James 3.8.1 (A: the distribution's own configuration, no extensions) against James 3.8.1
 * with Tollgate (B: the repository's {@code conf/} and bundle), each in its own JVM started by the launcher on
 * loopback with the same listeners, demo users and generated keystore. For every message mix and connection
 * count, A and B runs alternate (AB, then BA, ...); each run submits {@code --mails} messages over port 587
 * (STARTTLS, AUTH PLAIN as a user without MFA enrolment: {@code conf/} ships MFA policy {@code optional}) to a
 * fresh local user with that many sessions in flight, and watches the user's INBOX over IMAPS until every accepted
 * message is there.
 *
 * <p>Per run: accepted/s and delivered/s (from the first submission to the last acceptance, and to the last
 * delivery), p50/p99 of submission start to first seen in the mailbox, and CPU per accepted mail of James's JVM
 * and of its child processes (B's extractor worker JVMs), from {@code /proc} over the run. The table gives
 * medians over the pairs and the B/A ratios, pair by pair, as median [min–max].
 *
 * <p>Options ({@code --name=value}): {@code repo} (.), {@code pairs} (3), {@code mails} per run (200),
 * {@code concurrency} (4,16), {@code mixes} (plain,html,pdf,docx,xlsx,zip; also pdf100), {@code warmup} mails per mix without
 * attachment and variant before measuring (60), {@code warmup-attachments} mails per mix with an attachment and
 * variant (300, sent in rounds of at most {@value #WARMUP_ROUND}, each round reported, so that the last rounds show
 * whether B's worker JVMs have settled), {@code poll-ms} (100), {@code heap} of each James (1g), {@code port-base-a}
 * (41000), {@code port-base-b} (42000), {@code drain-seconds} (180), {@code b-conf} and {@code b-bundle} (B's
 * configuration and bundle, by default the repository's {@code conf/} and {@code launcher/target/bundle/}),
 * {@code stock-jmap} (false: A runs with JMAP off, as B's {@code conf/} does; true keeps the distribution's JMAP on),
 * {@code jfr} (a folder: each James records a JFR profile from its start, {@code A.jfr} and {@code B.jfr}, written
 * when it stops; a profile taken with {@code jcmd} on a running James deoptimises its code, and its figures with it).
 */
public final class EndToEndLoad {
    private static final String SENDER = "alice@" + JamesProcess.DOMAIN;
    /** Warm-up mails of an attachment mix are sent in runs of at most this many, each reported. */
    static final int WARMUP_ROUND = 100;

    private final Map<String, String> options;
    private final Path repo;
    private final int mails;
    private final long pollMillis;
    private final long drainSeconds;
    private final long ticksPerSecond = ProcCpu.ticksPerSecond();
    private final AtomicInteger runs = new AtomicInteger();
    private final StringBuilder report = new StringBuilder();

    private EndToEndLoad(Map<String, String> options) {
        this.options = options;
        this.repo = Paths.get(options.getOrDefault("repo", ".")).toAbsolutePath().normalize();
        this.mails = positive("mails", 200);
        this.pollMillis = positive("poll-ms", 100);
        this.drainSeconds = positive("drain-seconds", 180);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("expected --name=value, got: " + arg);
            }
            options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        new EndToEndLoad(options).run();
    }

    /** {@code jvm}, plus a JFR recording of the whole life of James {@code side} when {@code --jfr} names a folder. */
    private List<String> withRecording(List<String> jvm, String side) throws IOException {
        String folder = options.get("jfr");
        if (folder == null) {
            return jvm;
        }
        Path dir = Files.createDirectories(Paths.get(folder).toAbsolutePath());
        List<String> recording = new ArrayList<>(jvm);
        recording.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + dir.resolve(side + ".jfr"));
        return recording;
    }

    private int positive(String name, int fallback) {
        int value = Integer.parseInt(options.getOrDefault(name, Integer.toString(fallback)));
        if (value <= 0) {
            throw new IllegalArgumentException("--" + name + " must be positive, was " + value);
        }
        return value;
    }

    private Path existing(Path path, String what) {
        if (!Files.exists(path)) {
            throw new IllegalArgumentException(what + " not found: " + path
                    + " (build first: mvn -B -q package -DskipTests -pl launcher,benchmarks -am)");
        }
        return path;
    }

    /**
     * A's configuration: the distribution's, copied to {@code target}. B's {@code conf/} turns JMAP off, and with it
     * JMAP's listener that computes a preview of every delivered message (about a sixth of the CPU of A's mailbox
     * threads); unless {@code keepJmap}, JMAP is turned off in A's copy too, so that both run the same listeners
     * and the ratios measure Tollgate, not JMAP's projection.
     */
    static Path stockConf(Path distributionConf, Path target, boolean keepJmap) throws IOException {
        if (Files.exists(target)) {
            try (Stream<Path> old = Files.walk(target)) {
                for (Path p : old.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                    Files.delete(p);
                }
            }
        }
        try (Stream<Path> files = Files.walk(distributionConf)) {
            for (Path p : files.collect(Collectors.toList())) {
                Path to = target.resolve(distributionConf.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        if (!keepJmap) {
            Path jmap = target.resolve("jmap.properties");
            String text = Files.readString(jmap, StandardCharsets.UTF_8);
            String off = text.replaceAll("(?m)^enabled=true[ \\t]*$", "enabled=false");
            if (off.equals(text)) {
                throw new IllegalStateException("no enabled=true line in " + jmap + " to turn JMAP off");
            }
            Files.writeString(jmap, off, StandardCharsets.UTF_8);
        }
        return target;
    }

    private void run() throws Exception {
        int pairs = positive("pairs", 3);
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "60"));
        // B's document workers (conf/: two worker JVMs, each replaced after 20,000 documents) compile their parsers
        // over their first thousand or so documents; 60 mails would measure young workers, not production's
        int warmupAttachments = Integer.parseInt(options.getOrDefault("warmup-attachments", "300"));
        List<Integer> concurrency = Arrays.stream(options.getOrDefault("concurrency", "4,16").split(","))
                .map(String::trim).map(Integer::parseInt).collect(Collectors.toList());
        List<Mixes> mixes = Arrays.stream(options.getOrDefault("mixes", "plain,html,pdf,docx,xlsx,zip").split(","))
                .map(Mixes::parse).collect(Collectors.toList());
        Path distributionConf = existing(repo.resolve("benchmarks/target/james-stock/james-server-memory-app/conf"),
                "James's distribution configuration");
        Path bConf = existing(Paths.get(options.getOrDefault("b-conf", repo.resolve("conf").toString())), "B's conf");
        Path bundle = existing(Paths.get(options.getOrDefault("b-bundle",
                repo.resolve("launcher/target/bundle/tollgate-dist-extensions-jars.zip").toString())), "Tollgate's bundle");
        existing(repo.resolve("launcher/target/james/libs"), "James's jars");
        Path testdata = existing(repo.resolve("testdata"), "testdata");
        Path work = repo.resolve("benchmarks/target/e2e");
        boolean stockJmap = Boolean.parseBoolean(options.getOrDefault("stock-jmap", "false"));
        Path stockConf = stockConf(distributionConf, work.resolve("conf-a"), stockJmap);
        List<String> jvm = List.of("-Xms" + options.getOrDefault("heap", "1g"), "-Xmx" + options.getOrDefault("heap", "1g"));
        int baseA = positive("port-base-a", 41000);
        int baseB = positive("port-base-b", 42000);

        line("# End-to-end load, " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + ": " + mails + " mails per run, "
                + pairs + " pairs, concurrency " + concurrency + ", warm-up " + warmup + " mails per mix, "
                + warmupAttachments + " per attachment mix, "
                + Runtime.getRuntime().availableProcessors() + " CPUs, James heap " + jvm.get(1));
        line("# A: conf " + stockConf + " (the distribution's, JMAP " + (stockJmap ? "on" : "off") + ")");
        line("# B: conf " + bConf + ", bundle " + bundle);
        line("# load average at start: " + loadAverage());
        try (JamesProcess a = JamesProcess.start("A", repo, stockConf, null, work.resolve("home-a"), baseA,
                withRecording(jvm, "A"), work.resolve("james-a.log"), 600);
             JamesProcess b = JamesProcess.start("B", repo, bConf, bundle, work.resolve("home-b"), baseB,
                     withRecording(jvm, "B"), work.resolve("james-b.log"), 600)) {
            line("# A pid " + a.pid() + " (ports " + baseA + "+), B pid " + b.pid() + " (ports " + baseB + "+)");
            Map<Mixes, byte[]> templates = new LinkedHashMap<>();
            for (Mixes mix : mixes) {
                templates.put(mix, mix.template(testdata, SENDER, "load@" + JamesProcess.DOMAIN));
            }
            for (JamesProcess james : List.of(a, b)) {
                for (Mixes mix : mixes) {
                    int count = mix.hasAttachment() ? warmupAttachments : warmup;
                    for (int sent = 0; sent < count; sent += WARMUP_ROUND) {
                        Run r = run(james, mix, templates.get(mix), 4, Math.min(WARMUP_ROUND, count - sent));
                        line("# warm-up " + james.name + " " + mix.label() + " " + (sent + 1) + "-"
                                + (sent + Math.min(WARMUP_ROUND, count - sent)) + ": " + r.summary());
                    }
                }
            }
            Map<String, List<Run>> results = new LinkedHashMap<>();
            for (int pair = 0; pair < pairs; pair++) {
                line("# pair " + (pair + 1) + " of " + pairs + ", order " + Stats.order(pair) + ", load average "
                        + loadAverage());
                for (Mixes mix : mixes) {
                    for (int c : concurrency) {
                        for (char variant : Stats.order(pair).toCharArray()) {
                            JamesProcess james = variant == 'A' ? a : b;
                            Run r = run(james, mix, templates.get(mix), c, mails);
                            results.computeIfAbsent(variant + "/" + mix.label() + "/" + c, k -> new ArrayList<>()).add(r);
                            line("#   " + variant + " " + mix.label() + " c=" + c + ": " + r.summary());
                        }
                    }
                }
                if (pair + 1 < pairs) {
                    // The table so far, so that a run stopped early still leaves its figures.
                    line("");
                    line("## after " + (pair + 1) + " pair(s)");
                    table(results, mixes, concurrency);
                    line("");
                }
            }
            line("# load average at end: " + loadAverage());
            line("");
            line("## after " + pairs + " pair(s)");
            table(results, mixes, concurrency);
        } finally {
            Files.createDirectories(work);
            Path out = work.resolve("results-" + Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()
                    .replace(":", "") + ".md");
            Files.writeString(out, report, StandardCharsets.UTF_8);
            System.out.println("Written to " + out);
        }
    }

    /** One run: {@code count} messages, {@code concurrency} sessions in flight, to a fresh local user. */
    private Run run(JamesProcess james, Mixes mix, byte[] template, int concurrency, int count) throws Exception {
        String runId = "r" + runs.incrementAndGet();
        String recipient = "load-" + runId + "@" + JamesProcess.DOMAIN;
        james.addUser(recipient);
        Submission submission = new Submission("127.0.0.1", james.submissionPort(), SENDER, JamesProcess.PASSWORD,
                120_000);
        long[] started = new long[count];
        long[] accepted = new long[count];
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        Run result;
        try (MailboxWatcher watcher = MailboxWatcher.open("127.0.0.1", james.imapsPort(), recipient,
                JamesProcess.PASSWORD, pollMillis)) {
            Map<String, Long> eventsBefore = james.workerEvents();
            ProcCpu.Sample before = james.cpu();
            long t0 = System.nanoTime();
            AtomicInteger next = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(concurrency);
            for (int k = 0; k < concurrency; k++) {
                pool.execute(() -> {
                    for (int i; (i = next.getAndIncrement()) < count; ) {
                        started[i] = System.nanoTime();
                        try {
                            submission.submit(SENDER, recipient, Mixes.withId(template, runId + "-" + i));
                            accepted[i] = System.nanoTime();
                        } catch (IOException e) {
                            failures.add(e.getMessage());
                        }
                    }
                });
            }
            pool.shutdown();
            if (!pool.awaitTermination(30, TimeUnit.MINUTES)) {
                throw new IOException("submissions did not end within 30 minutes");
            }
            int acceptedCount = (int) Arrays.stream(accepted).filter(t -> t != 0).count();
            long lastAccepted = Arrays.stream(accepted).max().orElse(t0);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(drainSeconds);
            while (watcher.seen().size() < acceptedCount && System.nanoTime() < deadline) {
                watcher.check();
                Thread.sleep(pollMillis);
            }
            ProcCpu.Sample after = james.cpu();
            StringBuilder events = new StringBuilder();
            for (Map.Entry<String, Long> e : james.workerEvents().entrySet()) {
                long d = e.getValue() - eventsBefore.getOrDefault(e.getKey(), 0L);
                if (d != 0) {
                    events.append(events.length() == 0 ? "" : " ").append(e.getKey()).append('+').append(d);
                }
            }
            Map<String, Long> seen = new LinkedHashMap<>(watcher.seen());
            int missedByPolls = 0;
            if (seen.size() < acceptedCount) {
                // delivered, but below a sequence number the polls had passed: counted delivered, without a latency
                for (String id : watcher.present()) {
                    missedByPolls += id.startsWith(runId + "-") && !seen.containsKey(id) ? 1 : 0;
                }
                if (missedByPolls > 0) {
                    events.append(events.length() == 0 ? "" : " ").append("missed-by-polls+").append(missedByPolls);
                }
            }
            double[] latencies = new double[seen.size()];
            long lastSeen = t0;
            int n = 0;
            for (int i = 0; i < count; i++) {
                Long at = seen.get(runId + "-" + i);
                if (at != null) {
                    latencies[n++] = (at - started[i]) / 1e6;
                    lastSeen = Math.max(lastSeen, at);
                }
            }
            result = new Run(james.name, mix, concurrency, count, acceptedCount, seen.size() + missedByPolls,
                    acceptedCount / seconds(lastAccepted - t0), seen.size() / seconds(lastSeen - t0),
                    n == 0 ? Double.NaN : Stats.percentile(Arrays.copyOf(latencies, n), 50),
                    n == 0 ? Double.NaN : Stats.percentile(Arrays.copyOf(latencies, n), 99),
                    millisPerMail(after.selfTicks - before.selfTicks, acceptedCount),
                    millisPerMail(after.childrenTicks - before.childrenTicks, acceptedCount),
                    millisPerMail(after.jitTicks - before.jitTicks, acceptedCount),
                    failures.isEmpty() ? null : failures.size() + " failed, first: " + failures.peek(), events.toString());
            for (Map.Entry<String, Long> g : after.groupTicks.entrySet()) {
                long d = g.getValue() - before.groupTicks.getOrDefault(g.getKey(), 0L);
                result.groupMs.put(g.getKey(), millisPerMail(Math.max(d, 0), acceptedCount));
            }
        }
        james.removeUser(recipient);
        return result;
    }

    private double millisPerMail(long ticks, int mailCount) {
        return mailCount == 0 ? Double.NaN : ticks * 1000.0 / ticksPerSecond / mailCount;
    }

    private static double seconds(long nanos) {
        return Math.max(nanos, 1) / 1e9;
    }

    private void table(Map<String, List<Run>> results, List<Mixes> mixes, List<Integer> concurrency) {
        for (Mixes mix : mixes) {
            line("### " + mix.label());
            line("");
            line("| conn | side | accepted/s | delivered/s | p50 ms | p99 ms | James CPU ms/mail | of which JIT "
                    + "| worker CPU ms/mail | lost |");
            line("|---|---|---|---|---|---|---|---|---|---|");
            List<String> ratios = new ArrayList<>();
            for (int c : concurrency) {
                List<Run> a = results.getOrDefault("A/" + mix.label() + "/" + c, List.of());
                List<Run> b = results.getOrDefault("B/" + mix.label() + "/" + c, List.of());
                if (a.isEmpty() || b.isEmpty()) {
                    continue;
                }
                for (List<Run> side : List.of(a, b)) {
                    line("| " + c + " | " + side.get(0).variant + " | " + median(side, r -> r.acceptedPerSecond, 1)
                            + " | " + median(side, r -> r.deliveredPerSecond, 1) + " | " + median(side, r -> r.p50, 0)
                            + " | " + median(side, r -> r.p99, 0) + " | " + median(side, r -> r.jamesCpuMs, 2)
                            + " | " + median(side, r -> r.jamesJitMs, 2)
                            + " | " + median(side, r -> r.workerCpuMs, 2) + " | "
                            + side.stream().mapToInt(r -> r.accepted - r.delivered).sum() + " |");
                }
                ratios.add("| " + c + " | " + ratio(a, b, Run::totalCpuMs) + " | " + ratio(a, b, r -> r.jamesCpuMs)
                        + " | " + difference(a, b, r -> r.jamesJitMs) + " | " + ratio(a, b, r -> r.deliveredPerSecond) + " | " + ratio(a, b, r -> r.acceptedPerSecond)
                        + " | " + ratio(a, b, r -> r.p50) + " | " + ratio(a, b, r -> r.p99) + " |");
            }
            line("");
            line("| conn | CPU/mail B/A (James + workers) | James CPU/mail B/A | James JIT ms/mail B − A "
                    + "| delivered/s B/A | accepted/s B/A | p50 B/A | p99 B/A |");
            line("|---|---|---|---|---|---|---|---|");
            ratios.forEach(this::line);
            line("");
            threadGroups(results, mix, concurrency);
        }
        line("Medians over the pairs; B/A ratios are taken pair by pair, then median [min–max]. CPU per accepted "
                + "mail; lost = accepted but not in the mailbox within " + drainSeconds + " s, summed over the pairs.");
    }

    /**
     * James's CPU per mail by thread group, medians A and B and B − A pair by pair, for the groups that spent at
     * least 0.05 ms per mail on either side, largest difference first: where B's James spends what A's does not.
     */
    private void threadGroups(Map<String, List<Run>> results, Mixes mix, List<Integer> concurrency) {
        for (int c : concurrency) {
            List<Run> a = results.getOrDefault("A/" + mix.label() + "/" + c, List.of());
            List<Run> b = results.getOrDefault("B/" + mix.label() + "/" + c, List.of());
            if (a.isEmpty() || b.isEmpty()) {
                continue;
            }
            java.util.Set<String> groups = new java.util.TreeSet<>();
            a.forEach(r -> groups.addAll(r.groupMs.keySet()));
            b.forEach(r -> groups.addAll(r.groupMs.keySet()));
            List<String[]> rows = new ArrayList<>();
            for (String g : groups) {
                ToDoubleFunction<Run> v = r -> r.groupMs.getOrDefault(g, 0.0);
                double ma = Stats.spread(a.stream().map(v::applyAsDouble).collect(Collectors.toList())).median;
                double mb = Stats.spread(b.stream().map(v::applyAsDouble).collect(Collectors.toList())).median;
                if (Math.max(ma, mb) >= 0.05) {
                    rows.add(new String[] {g, String.format(Locale.ROOT, "%.2f", ma), String.format(Locale.ROOT, "%.2f", mb),
                        difference(a, b, v), Double.toString(mb - ma)});
                }
            }
            rows.sort((x, y) -> Double.compare(Double.parseDouble(y[4]), Double.parseDouble(x[4])));
            line("James CPU ms/mail by thread, " + mix.label() + ", " + c + " connections:");
            line("");
            line("| thread | A | B | B − A |");
            line("|---|---|---|---|");
            rows.forEach(r -> line("| " + r[0] + " | " + r[1] + " | " + r[2] + " | " + r[3] + " |"));
            line("");
        }
    }

    private static String median(List<Run> runs, ToDoubleFunction<Run> value, int decimals) {
        return Stats.spread(runs.stream().map(value::applyAsDouble).collect(Collectors.toList())).format(decimals)
                .replaceAll(" \\[.*", "");
    }

    private static String ratio(List<Run> a, List<Run> b, ToDoubleFunction<Run> value) {
        return Stats.spread(Stats.pairRatios(
                a.stream().map(value::applyAsDouble).collect(Collectors.toList()),
                b.stream().map(value::applyAsDouble).collect(Collectors.toList()))).format(2);
    }

    /** B − A pair by pair, then median [min–max]. */
    private static String difference(List<Run> a, List<Run> b, ToDoubleFunction<Run> value) {
        List<Double> d = new ArrayList<>();
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            d.add(value.applyAsDouble(b.get(i)) - value.applyAsDouble(a.get(i)));
        }
        return Stats.spread(d).format(2);
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Paths.get("/proc/loadavg"), StandardCharsets.US_ASCII).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private void line(String text) {
        System.out.println(text);
        System.out.flush();
        report.append(text).append('\n');
    }

    /** What one run measured. */
    static final class Run {
        final String variant;
        final Mixes mix;
        final int concurrency;
        final int submitted;
        final int accepted;
        final int delivered;
        final double acceptedPerSecond;
        final double deliveredPerSecond;
        final double p50;
        final double p99;
        final double jamesCpuMs;
        final double workerCpuMs;
        /** The part of {@link #jamesCpuMs} in James's JIT compiler threads (a lower bound, see ProcCpu). */
        final double jamesJitMs;
        /**
         * James's CPU per mail by thread group ({@link ProcCpu#threadGroup}), for the threads alive at the run's end
         * (a thread that ended during the run is missing: lower bounds).
         */
        final Map<String, Double> groupMs = new java.util.TreeMap<>();
        final String failures;
        /** Document worker events during the run (e.g. {@code start+1 spare+1}), empty when none. */
        final String workerEvents;

        Run(String variant, Mixes mix, int concurrency, int submitted, int accepted, int delivered,
                double acceptedPerSecond, double deliveredPerSecond, double p50, double p99, double jamesCpuMs,
                double workerCpuMs, double jamesJitMs, String failures, String workerEvents) {
            this.variant = variant;
            this.mix = mix;
            this.concurrency = concurrency;
            this.submitted = submitted;
            this.accepted = accepted;
            this.delivered = delivered;
            this.acceptedPerSecond = acceptedPerSecond;
            this.deliveredPerSecond = deliveredPerSecond;
            this.p50 = p50;
            this.p99 = p99;
            this.jamesCpuMs = jamesCpuMs;
            this.workerCpuMs = workerCpuMs;
            this.jamesJitMs = jamesJitMs;
            this.failures = failures;
            this.workerEvents = workerEvents;
        }

        double totalCpuMs() {
            return jamesCpuMs + workerCpuMs;
        }

        String summary() {
            return String.format(Locale.ROOT, "%d/%d accepted, %d delivered, %.1f acc/s, %.1f del/s, p50 %.0f ms, "
                            + "p99 %.0f ms, CPU %.2f (JIT %.2f) + %.2f ms/mail%s%s", accepted, submitted, delivered,
                    acceptedPerSecond, deliveredPerSecond, p50, p99, jamesCpuMs, jamesJitMs, workerCpuMs,
                    workerEvents.isEmpty() ? "" : ", workers " + workerEvents, failures == null ? "" : " (" + failures + ")");
        }
    }
}
