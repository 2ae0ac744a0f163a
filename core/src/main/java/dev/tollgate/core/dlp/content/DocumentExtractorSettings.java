package dev.tollgate.core.dlp.content;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Parameters;

/**
 * How documents (PDF, Office, ODF, RTF) are read: the parameters of the worker JVM behind
 * {@link WorkerDocumentExtractor}, shared by every mailet that extracts content. Immutable.
 *
 * <ul>
 *   <li>{@value #MODE}: {@code auto} (default: use {@code tollgate-extractor-*.jar} found beside
 *       Tollgate's core jar; without it documents are unscannable), {@code worker} (the jar is
 *       required: startup fails without it), {@code off} (documents are unscannable).</li>
 *   <li>{@value #JAR}: path of the extractor jar (default: found beside the core jar).</li>
 *   <li>{@value #WORKERS}: worker JVMs, i.e. documents parsed at once at most (default 2; 1..64).</li>
 *   <li>{@value #SPARE_AFTER}: how long a document waits for a busy worker before one more may be parsed at once,
 *       e.g. {@code 500ms} (default 1s; 0s..10m). Until then, half the processors James sees, at least one, parse
 *       at once ({@link #steadyWorkers()}); {@code 0s}: all {@value #WORKERS} from the start.</li>
 *   <li>{@value #HEAP}: heap of each worker in MiB (default 512; 64..16384).</li>
 *   <li>{@value #TIMEOUT}: longest time for one document, e.g. {@code 20s} (default 30s; 1s..10m);
 *       the message's {@code extractionTimePerMessage} left may cut it shorter.</li>
 * </ul>
 */
public final class DocumentExtractorSettings {
    public static final String MODE = "documentExtraction";
    public static final String JAR = "documentExtractorJar";
    public static final String WORKERS = "documentExtractorWorkers";
    public static final String HEAP = "documentExtractorHeapMb";
    public static final String TIMEOUT = "documentTimeout";
    public static final String SPARE_AFTER = "documentExtractorSpareAfter";
    public static final Set<String> PARAMETER_NAMES = Set.of(MODE, JAR, WORKERS, HEAP, TIMEOUT, SPARE_AFTER);

    /** See the class comment. */
    public enum Mode { AUTO, WORKER, OFF }

    private final Mode mode;
    private final Path jar;
    private final int workers;
    private final int heapMb;
    private final Duration timeout;
    private final Duration spareAfter;
    private final int steadyWorkers;

    private DocumentExtractorSettings(Mode mode, Path jar, int workers, int heapMb, Duration timeout,
                                      Duration spareAfter, int processors) {
        this.mode = mode;
        this.jar = jar;
        this.workers = workers;
        this.heapMb = heapMb;
        this.timeout = timeout;
        this.spareAfter = spareAfter;
        this.steadyWorkers = spareAfter.isZero() ? workers : Math.min(workers, Math.max(1, processors / 2));
    }

    /**
     * Reads the parameters; in {@code auto} and {@code worker} modes locates the jar.
     *
     * @throws ConfigException naming the first invalid parameter, or {@value #JAR} when mode is
     *         {@code worker} and no jar is found, or the given jar is not a file
     */
    public static DocumentExtractorSettings fromParameters(Parameters p) {
        return fromParameters(p, Runtime.getRuntime().availableProcessors());
    }

    /** {@link #fromParameters(Parameters)} on a machine with {@code processors} processors. */
    static DocumentExtractorSettings fromParameters(Parameters p, int processors) {
        Mode mode = p.enumValue(MODE, Mode.class, Mode.AUTO);
        int workers = p.intInRange(WORKERS, 2, 1, 64);
        int heap = p.intInRange(HEAP, 512, 64, 16384);
        Duration timeout = p.duration(TIMEOUT, Duration.ofSeconds(30));
        if (timeout.compareTo(Duration.ofSeconds(1)) < 0 || timeout.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new ConfigException(TIMEOUT, "must be between 1s and 10m");
        }
        Duration spareAfter = p.duration(SPARE_AFTER, Duration.ofSeconds(1));
        if (spareAfter.isNegative() || spareAfter.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new ConfigException(SPARE_AFTER, "must be between 0s and 10m");
        }
        Path jar = null;
        if (mode != Mode.OFF) {
            Optional<String> given = p.optional(JAR);
            if (given.isPresent()) {
                jar = Paths.get(given.get());
                if (!Files.isRegularFile(jar)) {
                    throw new ConfigException(JAR, "no such file: " + jar);
                }
            } else {
                jar = WorkerDocumentExtractor.locateJarBesideCore().orElse(null);
                if (jar == null && mode == Mode.WORKER) {
                    throw new ConfigException(JAR, "tollgate-extractor-*.jar is not beside tollgate-core's jar; "
                            + "unpack the whole bundle or give its path");
                }
            }
        }
        return new DocumentExtractorSettings(mode, jar, workers, heap, timeout, spareAfter, processors);
    }

    /** @return the settings without document extraction (documents are unscannable) */
    public static DocumentExtractorSettings off() {
        return new DocumentExtractorSettings(Mode.OFF, null, 1, 64, Duration.ofSeconds(30), Duration.ZERO, 1);
    }

    /**
     * @return a started-on-demand worker pool, or empty when documents are not read (mode
     *         {@code off}, or {@code auto} without the jar). The caller closes it (mailet destroy()).
     */
    public Optional<WorkerDocumentExtractor> create() {
        if (jar == null) {
            return Optional.empty();
        }
        return Optional.of(WorkerDocumentExtractor.builder().jar(jar).workers(workers).steadyWorkers(steadyWorkers)
                .spareAfter(spareAfter).maxHeapMb(heapMb).documentTimeout(timeout).build());
    }

    public Mode mode() {
        return mode;
    }

    /** @return the extractor jar, empty when documents are not read */
    public Optional<Path> jar() {
        return Optional.ofNullable(jar);
    }

    public int workers() {
        return workers;
    }

    /** @return documents parsed at once while none waits {@link #spareAfter()} for a worker */
    public int steadyWorkers() {
        return steadyWorkers;
    }

    /** @return how long a document waits for a busy worker before one more may be parsed at once */
    public Duration spareAfter() {
        return spareAfter;
    }

    public int heapMb() {
        return heapMb;
    }

    public Duration timeout() {
        return timeout;
    }

    @Override
    public String toString() {
        return "DocumentExtractorSettings{" + mode.name().toLowerCase(Locale.ROOT) + ", jar=" + jar + ", workers=" + workers
                + ", steadyWorkers=" + steadyWorkers + ", spareAfter=" + spareAfter + ", heapMb=" + heapMb + ", timeout=" + timeout
                + '}';
    }
}
