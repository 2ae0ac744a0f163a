package dev.tollgate.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import dev.tollgate.core.dlp.TextScanner;
import dev.tollgate.core.dlp.content.ContentSegment;
import dev.tollgate.core.dlp.content.ExtractedContent;
import dev.tollgate.core.dlp.content.ExtractionLimits;
import dev.tollgate.core.dlp.content.MimeContentExtractor;
import dev.tollgate.core.dlp.content.WorkerDocumentExtractor;
import dev.tollgate.core.dlp.policy.LocatedFinding;
import dev.tollgate.core.dlp.policy.MessageScan;

/**
 * Per-detector precision and recall over the labelled corpus of {@code testdata/dlp-eval} ({@link EvasionCorpus}),
 * judged per message: a detector is predicted for a message when it reports at least one finding there.
 *
 * <ul>
 *   <li>Tollgate: {@link MimeContentExtractor} (with one document worker for the PDF attachments when the extractor
 *       jar is built) and a {@link TextScanner} with all built-in
 *       detectors and default context rules, i.e. what {@code ScanSensitiveData} does;</li>
 *   <li>James rules: each regex of {@link JamesDlpRules} (the rules an administrator would give James's
 *       {@code Dlp} matcher), applied on its own with {@code find()} to the same MIME-decoded parts (every segment
 *       Tollgate extracted, without those Tollgate decoded from text inside them);</li>
 *   <li>secretlint (credentials and private keys only): {@code secretlint} with
 *       {@code @secretlint/secretlint-rule-preset-recommend}, installed by npm in {@code benchmarks/secretlint},
 *       over the same parts written to one file per message. Skipped when it is not installed.</li>
 * </ul>
 * Usage: {@code DlpEvaluation [corpus dir] [secretlint dir]}, defaults {@code testdata/dlp-eval} and
 * {@code benchmarks/secretlint}. Prints one table per tool and the misses of Tollgate.
 */
public final class DlpEvaluation {
    static final List<String> DETECTORS = Arrays.asList(EvasionCorpus.DETECTORS);

    private DlpEvaluation() {
    }

    static final class Row {
        final String file;
        final String cls;
        final Set<String> expected;

        Row(String file, String cls, Set<String> expected) {
            this.file = file;
            this.cls = cls;
            this.expected = expected;
        }
    }

    /** Counts per detector: true positives, false positives, false negatives. */
    static final class Score {
        final Map<String, int[]> counts = new LinkedHashMap<>();
        final List<String> errors = new ArrayList<>();

        Score(List<String> detectors) {
            for (String d : detectors) {
                counts.put(d, new int[3]);
            }
        }

        void add(Row row, Set<String> predicted) {
            for (Map.Entry<String, int[]> e : counts.entrySet()) {
                boolean exp = row.expected.contains(e.getKey());
                boolean got = predicted.contains(e.getKey());
                if (exp && got) {
                    e.getValue()[0]++;
                } else if (got) {
                    e.getValue()[1]++;
                    errors.add("FP " + e.getKey() + " " + row.file + " (" + row.cls + ")");
                } else if (exp) {
                    e.getValue()[2]++;
                    errors.add("FN " + e.getKey() + " " + row.file + " (" + row.cls + ")");
                }
            }
        }

        void print(String tool) {
            System.out.printf("%n%s%n%-18s %5s %5s %5s %10s %8s%n", tool, "detector", "TP", "FP", "FN", "precision",
                    "recall");
            int[] all = new int[3];
            for (Map.Entry<String, int[]> e : counts.entrySet()) {
                int[] c = e.getValue();
                line(e.getKey(), c);
                for (int k = 0; k < 3; k++) {
                    all[k] += c[k];
                }
            }
            line("all", all);
        }

        private static void line(String name, int[] c) {
            double p = c[0] + c[1] == 0 ? 1 : (double) c[0] / (c[0] + c[1]);
            double r = c[0] + c[2] == 0 ? 1 : (double) c[0] / (c[0] + c[2]);
            System.out.printf("%-18s %5d %5d %5d %10.3f %8.3f%n", name, c[0], c[1], c[2], p, r);
        }
    }

    static List<Row> manifest(Path dir) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("manifest.tsv"), StandardCharsets.UTF_8)) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t");
            Set<String> exp = f[2].equals("-") ? Set.of() : new HashSet<>(Arrays.asList(f[2].split(",")));
            rows.add(new Row(f[0], f[1], exp));
        }
        return rows;
    }

    /** The scores of one run over the corpus. */
    static final class Results {
        final List<Row> rows;
        final Score tollgate = new Score(DETECTORS);
        final Score james = new Score(DETECTORS);
        final Map<String, String> peerText = new TreeMap<>();
        int unscannable;
        long millis;

        Results(List<Row> rows) {
            this.rows = rows;
        }
    }

    /**
     * Scores Tollgate and James's rules on the corpus in {@code dir}.
     *
     * @param extractorJar the document extractor's jar (PDF attachments), or null to read no documents
     */
    static Results evaluate(Path dir, Path extractorJar) throws Exception {
        if (extractorJar == null) {
            return evaluate(dir, MimeContentExtractor.builder().build());
        }
        try (WorkerDocumentExtractor worker = WorkerDocumentExtractor.builder().jar(extractorJar).workers(1)
                .maxHeapMb(256).documentTimeout(Duration.ofSeconds(60)).build()) {
            return evaluate(dir, MimeContentExtractor.builder().documentExtractor(worker)
                    .limits(ExtractionLimits.builder().timePerMessage(Duration.ofSeconds(120)).build()).build());
        }
    }

    /** The extractor jar named by {@code tollgate.extractor.jar}, else the reactor's, if it exists. */
    static Path extractorJar(String reactorRoot) {
        Path jar = Paths.get(System.getProperty("tollgate.extractor.jar",
                reactorRoot + "extractor/target/tollgate-extractor-0.1.0-SNAPSHOT.jar"));
        return Files.isRegularFile(jar) ? jar : null;
    }

    private static Results evaluate(Path dir, MimeContentExtractor extractor) throws Exception {
        Results res = new Results(manifest(dir));
        TextScanner scanner = TextScanner.builder().allBuiltInDetectors().build();
        Session session = Session.getInstance(new Properties());
        Map<String, Predicate<String>> rules = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : JamesDlpRules.RULES.entrySet()) {
            rules.put(e.getKey(), Pattern.compile(e.getValue()).asPredicate());
        }
        long start = System.nanoTime();
        for (Row row : res.rows) {
            byte[] raw = Files.readAllBytes(dir.resolve(row.file));
            ExtractedContent content = extractor.extract(new MimeMessage(session, new ByteArrayInputStream(raw)));
            MessageScan scan = MessageScan.of(content, scanner);
            Set<String> predicted = new HashSet<>();
            for (LocatedFinding f : scan.findings()) {
                predicted.add(f.finding().detectorId());
            }
            if (!scan.unscannable().isEmpty()) {
                res.unscannable++;
                res.tollgate.errors.add("unscannable " + row.file + " (" + row.cls + "): " + scan.unscannable());
            }
            res.tollgate.add(row, predicted);
            StringBuilder parts = new StringBuilder();
            for (ContentSegment s : content.segments()) {
                if (!s.location().contains(" \u2192 ")) {
                    parts.append(s.text()).append("\n\n");
                }
            }
            Set<String> jamesPredicted = new HashSet<>();
            for (Map.Entry<String, Predicate<String>> e : rules.entrySet()) {
                if (e.getValue().test(parts.toString())) {
                    jamesPredicted.add(e.getKey());
                }
            }
            res.james.add(row, jamesPredicted);
            res.peerText.put(row.file, parts.toString());
        }
        res.millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        return res;
    }

    public static void main(String[] args) throws Exception {
        Path dir = Paths.get(args.length > 0 ? args[0] : "testdata/dlp-eval");
        Path secretlintDir = Paths.get(args.length > 1 ? args[1] : "benchmarks/secretlint");
        Path jar = extractorJar("");
        if (jar == null) {
            System.out.println("No extractor jar (extractor/target or -Dtollgate.extractor.jar): PDF attachments are unscannable");
        }
        Results res = evaluate(dir, jar);
        long positives = res.rows.stream().filter(x -> !x.expected.isEmpty()).count();
        System.out.printf("Corpus %s: %d messages (%d with a sensitive value, %d hard negatives); Tollgate %d ms, "
                + "%d unscannable%n", dir, res.rows.size(), positives, res.rows.size() - positives, res.millis,
                res.unscannable);
        res.tollgate.print("Tollgate (ScanSensitiveData: extraction + built-in detectors, default context rules)");
        res.james.print("James 3.8.1 Dlp regex rules (JamesDlpRules), same MIME-decoded parts");
        Score secretlint = secretlint(secretlintDir, res.rows, res.peerText);
        if (secretlint != null) {
            secretlint.print("secretlint + preset-recommend, same MIME-decoded parts (credential detectors only)");
        } else {
            System.out.println("\nsecretlint: not installed in " + secretlintDir + " (npm install there), skipped");
        }
        System.out.println("\nTollgate errors:");
        res.tollgate.errors.forEach(e -> System.out.println("  " + e));
    }

    /** Runs secretlint over one file per message; rule ids map to private-key or cloud-credential. */
    static Score secretlint(Path home, List<Row> rows, Map<String, String> peerText)
            throws IOException, InterruptedException {
        Path bin = home.resolve("node_modules/.bin/secretlint");
        if (!Files.isExecutable(bin)) {
            return null;
        }
        // secretlint only reads files under its working directory
        Path work = home.resolve("work");
        Files.createDirectories(work);
        for (Map.Entry<String, String> e : peerText.entrySet()) {
            Files.write(work.resolve(e.getKey() + ".txt"), e.getValue().getBytes(StandardCharsets.UTF_8));
        }
        Path out = work.resolve("result.json");
        Process p = new ProcessBuilder(bin.toAbsolutePath().toString(), "--format", "json", "--output",
                out.toAbsolutePath().toString(), "--secretlintrc", home.resolve(".secretlintrc.json").toAbsolutePath().toString(),
                "work/*.eml.txt")
                .directory(home.toFile()).redirectErrorStream(true).redirectOutput(work.resolve("log.txt").toFile())
                .start();
        p.waitFor(10, TimeUnit.MINUTES);
        String json = Files.exists(out) ? new String(Files.readAllBytes(out), StandardCharsets.UTF_8) : "";
        Map<String, Set<String>> found = new TreeMap<>();
        Matcher m = Pattern.compile("\"filePath\"\\s*:\\s*\"[^\"]*/(m\\d+\\.eml)\\.txt\"|\"ruleId\"\\s*:\\s*\"([^\"]+)\"")
                .matcher(json);
        String file = null;
        while (m.find()) {
            if (m.group(1) != null) {
                file = m.group(1);
            } else if (file != null) {
                String rule = m.group(2);
                if (rule.contains("preset-recommend") && !rule.contains("privatekey") && !rule.contains("rule-")) {
                    continue; // the preset's own id, not a finding rule
                }
                found.computeIfAbsent(file, k -> new HashSet<>())
                        .add(rule.contains("privatekey") ? "private-key" : "cloud-credential");
            }
        }
        Score s = new Score(List.of("private-key", "cloud-credential"));
        for (Row row : rows) {
            s.add(row, found.getOrDefault(row.file, Set.of()));
        }
        if (json.isBlank() || !json.contains("filePath")) {
            System.out.println("\nsecretlint gave no output; log: "
                    + new String(Files.readAllBytes(work.resolve("log.txt")), StandardCharsets.UTF_8));
        }
        return s;
    }
}
