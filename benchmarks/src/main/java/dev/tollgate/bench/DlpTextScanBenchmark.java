package dev.tollgate.bench;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import javax.mail.Message;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;

import org.apache.james.transport.matchers.dlp.Dlp;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import dev.tollgate.core.dlp.TextScanner;

/**
 * Side by side on the same text: Tollgate's {@link TextScanner} (all built-in detectors with their validation and
 * default multilingual context rules) against James 3.8.1's built-in DLP with the equivalent regex rules of
 * {@link JamesDlpRules}, over {@link DlpCorpus#standard()} (4 MB of mail text in about 600 messages, fixed seed).
 * One operation = the whole corpus; MB/s = ops/s × corpus UTF-8 bytes / 10^6, single thread (one core).
 *
 * <ul>
 *   <li>{@code tollgateTextScan}: subject and body strings of every message, all findings;</li>
 *   <li>{@code jamesDlpCore}: the same strings through James's rules applied as {@code DlpDomainRules} does
 *       (first matching rule wins, so a message with a match is cut short);</li>
 *   <li>{@code jamesDlpMatcher}: James's own {@code Dlp} matcher ({@code cache:60s}) on a {@link Mail} per message
 *       (text/plain UTF-8 MimeMessage parsed from bytes); this includes JavaMail decoding the body, once per
 *       rule, as James does;</li>
 *   <li>{@code tollgateTextScanOfMime}: Tollgate on the same mails, decoding subject and body once.</li>
 * </ul>
 * The fair ratios are {@code tollgateTextScan / jamesDlpCore} (same strings) and
 * {@code tollgateTextScanOfMime / jamesDlpMatcher} (same mails). {@link #main} runs all four and prints them;
 * JMH options may be passed as arguments (e.g. {@code -prof stack}).
 *
 * <p>Besides JMH's wall-clock score, each benchmark records the CPU time of its thread ({@link CpuTime}), so
 * {@link #main} also prints MB per CPU-second: on a machine shared with other work the wall-clock figure
 * understates per-core speed, the CPU-time figure much less so.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 10, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class DlpTextScanBenchmark {
    private String[] subjects;
    private String[] bodies;
    private Mail[] mails;
    private TextScanner scanner;
    private JamesDlpRules rules;
    private Dlp dlp;

    @Setup
    public void setUp() throws MessagingException, IOException {
        DlpCorpus corpus = DlpCorpus.standard();
        int n = corpus.messages().size();
        subjects = new String[n];
        bodies = new String[n];
        mails = new Mail[n];
        for (int i = 0; i < n; i++) {
            DlpCorpus.Message m = corpus.messages().get(i);
            subjects[i] = m.subject;
            bodies[i] = m.body;
            mails[i] = mail(i, m);
        }
        scanner = TextScanner.builder().allBuiltInDetectors().build();
        rules = new JamesDlpRules();
        dlp = rules.matcher();
    }

    /** A text/plain UTF-8 mail as James would hold it after SMTP: the MimeMessage is parsed from bytes. */
    static Mail mail(int i, DlpCorpus.Message m) throws MessagingException, IOException {
        Session session = Session.getInstance(new Properties());
        MimeMessage built = new MimeMessage(session);
        built.setFrom(new InternetAddress("alice@" + JamesDlpRules.SENDER_DOMAIN));
        built.setRecipient(Message.RecipientType.TO, new InternetAddress("bob@partner.example"));
        built.setSubject(m.subject, "UTF-8");
        built.setText(m.body, "UTF-8");
        built.saveChanges();
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        built.writeTo(raw);
        MimeMessage parsed = new MimeMessage(session, new ByteArrayInputStream(raw.toByteArray()));
        return FakeMail.builder()
                .name("m" + i)
                .sender("alice@" + JamesDlpRules.SENDER_DOMAIN)
                .recipient("bob@partner.example")
                .mimeMessage(parsed)
                .build();
    }

    /** CPU time of the benchmark thread inside the benchmark methods, per iteration (JMH secondary results). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class CpuTime {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        /** CPU nanoseconds spent in the operations of this iteration. */
        public long cpuNanos;
        /** Operations (corpus passes) of this iteration. */
        public long corpusPasses;
        private long start;

        @Setup(Level.Iteration)
        public void reset() {
            cpuNanos = 0;
            corpusPasses = 0;
        }

        void begin() {
            start = THREADS.getCurrentThreadCpuTime();
        }

        void end() {
            cpuNanos += THREADS.getCurrentThreadCpuTime() - start;
            corpusPasses++;
        }
    }

    @Benchmark
    public int tollgateTextScan(CpuTime cpu) {
        cpu.begin();
        int findings = 0;
        for (int i = 0; i < bodies.length; i++) {
            findings += scanner.scan(subjects[i]).size() + scanner.scan(bodies[i]).size();
        }
        cpu.end();
        return findings;
    }

    @Benchmark
    public int jamesDlpCore(CpuTime cpu) {
        cpu.begin();
        int matched = 0;
        for (int i = 0; i < bodies.length; i++) {
            if (rules.firstMatch(subjects[i], bodies[i]) != null) {
                matched++;
            }
        }
        cpu.end();
        return matched;
    }

    @Benchmark
    public int jamesDlpMatcher(CpuTime cpu) throws MessagingException {
        cpu.begin();
        int matched = 0;
        for (Mail mail : mails) {
            matched += dlp.match(mail).size();
        }
        cpu.end();
        return matched;
    }

    @Benchmark
    public int tollgateTextScanOfMime(CpuTime cpu) throws MessagingException, IOException {
        cpu.begin();
        int findings = 0;
        for (Mail mail : mails) {
            MimeMessage m = mail.getMessage();
            findings += scanner.scan(m.getSubject()).size() + scanner.scan((String) m.getContent()).size();
        }
        cpu.end();
        return findings;
    }

    /**
     * Runs the four benchmarks in one JMH run and prints MB/s per core and the ratios.
     *
     * @param args JMH command line options, e.g. {@code -i 5 -prof stack}
     */
    public static void main(String[] args) throws RunnerException, CommandLineOptionException, IOException {
        DlpCorpus corpus = DlpCorpus.standard();
        String loadBefore = loadAverage();
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .parent(new CommandLineOptions(args))
                .include(DlpTextScanBenchmark.class.getName() + "\\.")
                .build()).run();
        String loadAfter = loadAverage();
        Map<String, Double> opsPerSecond = new LinkedHashMap<>();
        Map<String, Double> errors = new LinkedHashMap<>();
        Map<String, Double> opsPerCpuSecond = new LinkedHashMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            name = name.substring(name.lastIndexOf('.') + 1);
            opsPerSecond.put(name, r.getPrimaryResult().getScore());
            errors.put(name, r.getPrimaryResult().getScoreError());
            Result<?> cpuNanos = r.getSecondaryResults().get("cpuNanos");
            Result<?> passes = r.getSecondaryResults().get("corpusPasses");
            if (cpuNanos != null && passes != null && cpuNanos.getScore() > 0) {
                opsPerCpuSecond.put(name, passes.getScore() / (cpuNanos.getScore() / 1e9));
            }
        }
        double mb = corpus.utf8Bytes() / 1e6;
        System.out.println();
        System.out.println("Corpus: " + corpus);
        System.out.printf("Load average (1/5/15 min) before: %s, after: %s; %d cores%n", loadBefore, loadAfter,
                Runtime.getRuntime().availableProcessors());
        System.out.printf("%-24s %26s %12s %16s%n", "benchmark", "wall: corpus/s", "wall MB/s", "MB per CPU-s");
        for (Map.Entry<String, Double> e : opsPerSecond.entrySet()) {
            Double cpu = opsPerCpuSecond.get(e.getKey());
            System.out.printf("%-24s %14.3f ± %9.3f %12.1f %16s%n", e.getKey(), e.getValue(), errors.get(e.getKey()),
                    e.getValue() * mb, cpu == null ? "n/a" : String.format("%.1f", cpu * mb));
        }
        ratio(opsPerSecond, opsPerCpuSecond, "tollgateTextScan", "jamesDlpCore");
        ratio(opsPerSecond, opsPerCpuSecond, "tollgateTextScanOfMime", "jamesDlpMatcher");
        ratio(opsPerSecond, opsPerCpuSecond, "tollgateTextScan", "jamesDlpMatcher");
    }

    private static void ratio(Map<String, Double> wall, Map<String, Double> cpu, String a, String b) {
        if (wall.containsKey(a) && wall.containsKey(b)) {
            System.out.printf("%s / %s = %.1fx wall", a, b, wall.get(a) / wall.get(b));
            if (cpu.containsKey(a) && cpu.containsKey(b)) {
                System.out.printf(", %.1fx CPU time", cpu.get(a) / cpu.get(b));
            }
            System.out.println();
        }
    }

    private static String loadAverage() {
        try {
            String[] f = new String(Files.readAllBytes(Paths.get("/proc/loadavg")), StandardCharsets.US_ASCII).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "n/a";
        }
    }
}
