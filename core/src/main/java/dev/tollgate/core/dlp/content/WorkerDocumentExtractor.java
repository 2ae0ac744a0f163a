package dev.tollgate.core.dlp.content;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.CodeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.atomic.AtomicInteger;

import dev.tollgate.core.audit.GlobalMetrics;
import dev.tollgate.core.audit.MetricNames;
import dev.tollgate.core.audit.Metrics;

/**
 * Document text through Apache Tika in separate worker JVMs ({@code tollgate-extractor-*.jar}, main
 * class {@code dev.tollgate.extractor.ExtractorWorker}), so a hostile document can neither exhaust
 * James's heap nor crash it: each worker has its own {@code -Xmx}, a document that takes longer than
 * its timeout gets the worker killed ({@link Unscannable.Reason#TIME_LIMIT}), and a worker that dies
 * gives {@link Unscannable.Reason#EXTRACTION_FAILED}.
 *
 * <p>Workers are kept warm: {@link #startWorkers()} starts them ahead of the first document (a worker loads
 * and exercises its parsers before it takes requests), and a worker that ends (timeout, crash, retirement)
 * is replaced in the background. A worker retires when it reports that it retains more than half its heap
 * after a full collection, and as a backstop after {@value #DOCUMENTS_PER_WORKER} documents; replacing it
 * sooner would pay its start-up and JIT compilation again for nothing.
 *
 * <p>A document goes to the idle worker that has parsed the most documents. Each worker's JIT compiler compiles the
 * parsers for itself (about 2,500 documents until a worker runs at full speed): while documents come one at a time,
 * one worker parses them all and only its compilation is paid, and the others wait, started, for documents that
 * arrive together. While more than {@code steadyWorkers} may parse at once, a document never waits for a busy worker
 * while another is idle (a mail with hundreds of small documents would pay such a wait once per document).
 *
 * <p>A document's time limit runs from the moment a worker is ready: a worker announces {@code READY} once it
 * has warmed up, and a worker started for a document (none was idle) gets up to {@code workerStartTimeout}
 * (2 minutes) for that, so a busy machine's slow JVM start is never charged to the document as
 * {@link Unscannable.Reason#TIME_LIMIT}. A worker that does not get ready in time gives
 * {@link Unscannable.Reason#EXTRACTION_FAILED}.
 *
 * <p>Protocol on the worker's stdin/stdout: length-prefixed frames (4-byte big-endian length,
 * bytes). First, once, {@code READY 2} from the worker (2 is the protocol version; a worker announcing anything else,
 * an extractor jar of another version, is not used: {@link Unscannable.Reason#EXTRACTION_FAILED}). Request: file name
 * (UTF-8), document. Response: status ({@code OK} or an {@link Unscannable.Reason} name), then the text or a short
 * detail, then the document's metadata values (key and value pairs, each field a length-prefixed UTF-8 string;
 * empty unless {@code OK}), then {@code KEEP} or {@code RETIRE}.
 *
 * <p>Up to {@code steadyWorkers} documents are parsed at once. A document that has waited {@code spareAfter} for a
 * busy worker lets one more parse at once, up to {@code workers}, when every document being parsed has taken
 * {@code spareAfter} as well (slow documents hold the workers) or once it has waited a quarter of its time; the spare
 * is given back when no document waits and none has been parsed for {@code spareAfter}. On a machine with few
 * processors, parsing more documents at once than the processors James leaves free costs every process CPU in
 * contention without delivering more mail, and a queue of quick documents there is a busy machine, not a slow
 * document; the spare workers keep a burst of slow documents from running into the mails' time limits. A caller
 * waits for a free worker within its timeout. The worker runs {@code java} from this JVM's {@code java.home}.
 * Thread-safe; {@link #close()} stops the workers.
 */
public final class WorkerDocumentExtractor implements DocumentTextExtractor, AutoCloseable {
    /** Main class inside the extractor jar. */
    public static final String WORKER_MAIN = "dev.tollgate.extractor.ExtractorWorker";
    private static final String JAR_PREFIX = "tollgate-extractor";
    /** A worker is replaced after this many documents even when it does not ask to retire. */
    static final int DOCUMENTS_PER_WORKER = 20_000;
    private static final String RETIRE = "RETIRE";
    /** The worker's first frame: {@code READY} and the protocol version both ends speak. */
    static final String READY = "READY 2";

    private final List<String> command;
    private final Duration documentTimeout;
    private final IdleWorkers idle;
    private final ScheduledExecutorService watchdog;
    /** Starts replacement workers and waits for their {@code READY}, off the watchdog's timer thread. */
    private final ExecutorService starter;
    private final Duration workerStartTimeout;
    private final int workers;
    private final int steadyWorkers;
    private final long spareAfterNanos;
    /**
     * Guards {@link #granted}, {@link #inFlight}, {@link #admittedAt} and {@link #waiting}; documents wait on
     * {@link #free} in order.
     */
    private final ReentrantLock admission = new ReentrantLock();
    private final Condition free = admission.newCondition();
    /** Documents that may be parsed at once now: steadyWorkers, more while documents wait long. */
    private int granted;
    /** Documents admitted and not yet done. */
    private int inFlight;
    /** When each document being parsed was admitted ({@link System#nanoTime()}), in the first inFlight slots. */
    private final long[] admittedAt;
    /** Documents waiting to be admitted. */
    private int waiting;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Extractors not yet closed, for health checks. */
    private static final java.util.Set<WorkerDocumentExtractor> OPEN = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Workers being started in the background, counted so that at most {@code workers} exist when idle. */
    private final AtomicInteger starting = new AtomicInteger();

    private WorkerDocumentExtractor(Builder b) {
        List<String> cmd = new ArrayList<>();
        cmd.add(b.java.toString());
        cmd.add("-Xmx" + b.maxHeapMb + "m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-Djava.awt.headless=true");
        cmd.add("-cp");
        cmd.add(b.jar.toString());
        cmd.add(WORKER_MAIN);
        cmd.add(Integer.toString(b.maxChars));
        this.command = List.copyOf(cmd);
        this.documentTimeout = b.documentTimeout;
        this.workerStartTimeout = b.workerStartTimeout;
        this.workers = b.workers;
        this.steadyWorkers = Math.min(b.workers, b.steadyWorkers == 0 ? b.workers : b.steadyWorkers);
        this.spareAfterNanos = b.spareAfter.toNanos();
        this.granted = steadyWorkers;
        this.admittedAt = new long[b.workers];
        this.idle = new IdleWorkers(b.workers);
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tollgate-extractor-watchdog");
            t.setDaemon(true);
            return t;
        });
        this.starter = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "tollgate-extractor-starter");
            t.setDaemon(true);
            return t;
        });
        OPEN.add(this);
    }

    /** @return the extractors of this process not yet closed (health checks probe them) */
    public static List<WorkerDocumentExtractor> openExtractors() {
        return List.copyOf(OPEN);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the workers in the background, so that the first documents find them ready (call it when the
     * server starts; without it, a worker starts with the first document that needs one).
     *
     * @return this
     */
    public WorkerDocumentExtractor startWorkers() {
        for (int i = idle.size() + starting.get(); i < workers; i++) {
            replenish();
        }
        return this;
    }

    /** Starts one worker in the background and offers it to the idle ones (killed when none is needed). */
    private void replenish() {
        if (closed.get()) {
            return;
        }
        starting.incrementAndGet();
        starter.execute(() -> {
            try {
                Worker w = start();
                if (closed.get() || !idle.offer(w)) {
                    w.kill();
                }
            } catch (IOException | RuntimeException e) {
                // the next document starts one itself and reports the failure
            } finally {
                starting.decrementAndGet();
            }
        });
    }

    /**
     * Finds {@code tollgate-extractor-*.jar} in the folder that holds Tollgate's core jar (in the
     * drop-in bundle: {@code extensions-jars/tollgate/}).
     *
     * @return the jar, or empty when it is not there (e.g. running from classes in an IDE)
     */
    public static Optional<Path> locateJarBesideCore() {
        try {
            CodeSource source = WorkerDocumentExtractor.class.getProtectionDomain().getCodeSource();
            if (source == null || source.getLocation() == null) {
                return Optional.empty();
            }
            Path core = Paths.get(source.getLocation().toURI());
            Path dir = Files.isDirectory(core) ? core : core.getParent();
            if (dir == null) {
                return Optional.empty();
            }
            try (DirectoryStream<Path> jars = Files.newDirectoryStream(dir, JAR_PREFIX + "-*.jar")) {
                for (Path jar : jars) {
                    return Optional.of(jar);
                }
            }
            return Optional.empty();
        } catch (IOException | URISyntaxException | SecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public DocumentText extract(byte[] document, String name, Duration timeout) {
        Objects.requireNonNull(document, "document");
        Duration limit = timeout.compareTo(documentTimeout) < 0 ? timeout : documentTimeout;
        if (closed.get()) {
            return DocumentText.failed(Unscannable.Reason.EXTRACTION_FAILED, "document extractor is closed");
        }
        long admitted;
        try {
            admitted = admit(Math.max(0, limit.toNanos()));
            if (admitted == NOT_ADMITTED) {
                return DocumentText.failed(Unscannable.Reason.TIME_LIMIT, "no document extractor worker free within "
                        + limit.toMillis() + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DocumentText.failed(Unscannable.Reason.EXTRACTION_FAILED, "interrupted");
        }
        try (Metrics.Timer t = GlobalMetrics.get().timer(MetricNames.DLP_EXTRACTION)) {
            return run(document, name, limit);
        } finally {
            leave(admitted);
        }
    }

    /** What {@link #admit} returns when no worker was free in time. */
    private static final long NOT_ADMITTED = Long.MIN_VALUE;

    /**
     * Admits the document within {@code waitNanos}, in arrival order. Once it has waited {@code spareAfter}, one more
     * document may be parsed at once (up to {@code workers}) if every document being parsed has been parsed for
     * {@code spareAfter} too (slow documents hold the workers), or in any case once it has waited a quarter of
     * {@code waitNanos}; a document still waiting after that grants another. A queue of quick documents on a busy
     * machine therefore waits for the steady workers: a spare worker would only share the same processors, and a
     * spare that has parsed few documents runs its parsers slowly until its JIT compiler has compiled them.
     *
     * @return the admission's {@link System#nanoTime()}, for {@link #leave}; {@link #NOT_ADMITTED} when none was free
     *         in time
     */
    private long admit(long waitNanos) throws InterruptedException {
        long start = System.nanoTime();
        admission.lock();
        try {
            if (waiting == 0 && inFlight < granted) {
                return enter(start);
            }
            waiting++;
            try {
                while (true) {
                    long now = System.nanoTime();
                    long waited = now - start;
                    long youngest = youngestInFlight();
                    boolean slowOnesHeld = now - youngest >= spareAfterNanos;
                    if (inFlight >= granted && granted < workers && waited >= spareAfterNanos
                            && (slowOnesHeld || waited >= waitNanos / 4)) {
                        granted++;
                        GlobalMetrics.get().increment(MetricNames.DLP_WORKER, "spare");
                    }
                    if (inFlight < granted) {
                        return enter(System.nanoTime());
                    }
                    if (waited >= waitNanos) {
                        return NOT_ADMITTED;
                    }
                    long until = waitNanos;
                    // when the spare could be granted, unless a document ends before: after this document's
                    // spareAfter, once the youngest document being parsed has had its spareAfter or this one has
                    // waited a quarter of its time
                    long spareAt = Math.max(spareAfterNanos,
                            Math.min(youngest + spareAfterNanos - start, waitNanos / 4));
                    if (granted < workers && spareAt > waited) {
                        until = Math.min(until, spareAt);
                    }
                    free.awaitNanos(until - waited);
                }
            } finally {
                waiting--;
                if (inFlight < granted) {
                    // admitted or not, the next one may find room: a signal this one took is passed on
                    free.signal();
                }
            }
        } finally {
            admission.unlock();
        }
    }

    /** The latest admission time among the documents being parsed, under {@link #admission}; now when none is. */
    private long youngestInFlight() {
        if (inFlight == 0) {
            return System.nanoTime();
        }
        long youngest = admittedAt[0];
        for (int i = 1; i < inFlight; i++) {
            youngest = admittedAt[i] - youngest > 0 ? admittedAt[i] : youngest;
        }
        return youngest;
    }

    /** Counts a document admitted at {@code now}, under {@link #admission}; returns {@code now}. */
    private long enter(long now) {
        admittedAt[inFlight++] = now;
        return now;
    }

    /**
     * Ends the admission made at {@code admitted}. When no document waits and none is being parsed for
     * {@code spareAfter} or longer, the number parsed at once goes back to {@code steadyWorkers}: a spare taken
     * because documents queued up is given back as soon as the queue is empty, and one taken because a slow document
     * held the worker is kept while that document is parsed (the documents of a mail behind it do not each wait).
     */
    private void leave(long admitted) {
        admission.lock();
        try {
            int at = 0;
            while (admittedAt[at] != admitted) { // it is among the first inFlight slots
                at++;
            }
            admittedAt[at] = admittedAt[--inFlight];
            long now = System.nanoTime();
            boolean slowOneParsed = false;
            for (int i = 0; i < inFlight; i++) {
                slowOneParsed |= now - admittedAt[i] >= spareAfterNanos;
            }
            if (waiting == 0 && !slowOneParsed) {
                granted = steadyWorkers;
            }
            free.signal();
        } finally {
            admission.unlock();
        }
    }

    /** @return documents that may be parsed at once now: {@code steadyWorkers}, more while documents wait long */
    public int parsingAtOnce() {
        admission.lock();
        try {
            return granted;
        } finally {
            admission.unlock();
        }
    }

    private DocumentText run(byte[] document, String name, Duration limit) {
        Worker worker = idle.take();
        try {
            if (worker == null || !worker.process.isAlive()) {
                if (worker != null) {
                    GlobalMetrics.get().increment(MetricNames.DLP_WORKER, "crash");
                    worker.kill();
                }
                worker = start();
            }
        } catch (IOException e) {
            return DocumentText.failed(Unscannable.Reason.EXTRACTION_FAILED, "cannot start the document extractor worker: "
                    + e.getMessage());
        }
        Worker current = worker;
        long left = Math.max(1, limit.toNanos());
        AtomicBoolean timedOut = new AtomicBoolean();
        long started = System.nanoTime();
        ScheduledFuture<?> kill = watchdog.schedule(() -> {
            timedOut.set(true);
            current.kill();
        }, left, TimeUnit.NANOSECONDS);
        try {
            writeFrame(current.out, name == null ? new byte[0] : name.getBytes(StandardCharsets.UTF_8));
            writeFrame(current.out, document);
            current.out.flush();
            String status = new String(readFrame(current.in), StandardCharsets.UTF_8);
            String body = new String(readFrame(current.in), StandardCharsets.UTF_8);
            List<DocumentText.Property> metadata = decodeMetadata(readFrame(current.in));
            boolean retire = RETIRE.equals(new String(readFrame(current.in), StandardCharsets.UTF_8));
            kill.cancel(false);
            if (timedOut.get()) {
                throw new IOException("timed out");
            }
            release(current, retire);
            if (System.nanoTime() - started > left) {
                // answered after the limit, before the watchdog ran (a busy machine): the limit holds all the same
                return DocumentText.failed(Unscannable.Reason.TIME_LIMIT, "document extraction took longer than "
                        + limit.toMillis() + " ms");
            }
            if (status.equals("OK")) {
                return DocumentText.of(body, metadata);
            }
            return DocumentText.failed(reason(status), body);
        } catch (IOException | RuntimeException e) {
            kill.cancel(false);
            current.kill();
            GlobalMetrics.get().increment(MetricNames.DLP_WORKER, timedOut.get() ? "timeout" : "crash");
            replenish();
            if (timedOut.get()) {
                return DocumentText.failed(Unscannable.Reason.TIME_LIMIT, "document extraction took longer than "
                        + limit.toMillis() + " ms");
            }
            return DocumentText.failed(Unscannable.Reason.EXTRACTION_FAILED, "document extractor worker failed ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private void release(Worker worker, boolean retire) {
        if (closed.get()) {
            worker.kill();
            return;
        }
        if (retire || ++worker.documents >= DOCUMENTS_PER_WORKER) {
            GlobalMetrics.get().increment(MetricNames.DLP_WORKER, "recycle");
            worker.kill();
            replenish();
            return;
        }
        if (!idle.offer(worker)) {
            worker.kill();
        }
    }

    private static Unscannable.Reason reason(String status) {
        try {
            return Unscannable.Reason.valueOf(status);
        } catch (IllegalArgumentException e) {
            return Unscannable.Reason.EXTRACTION_FAILED;
        }
    }

    /** Starts a worker and waits for its {@code READY}, at most {@code workerStartTimeout}. */
    private Worker start() throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        GlobalMetrics.get().increment(MetricNames.DLP_WORKER, "start");
        Worker w = new Worker(pb.start());
        ScheduledFuture<?> kill = watchdog.schedule(w::kill, workerStartTimeout.toNanos(), TimeUnit.NANOSECONDS);
        String hello;
        try {
            hello = new String(readFrame(w.in), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            w.kill();
            throw new IOException("worker not ready within " + workerStartTimeout.toSeconds() + " s ("
                    + e.getClass().getSimpleName() + ")", e);
        } finally {
            kill.cancel(false);
        }
        if (!READY.equals(hello)) {
            w.kill();
            throw new IOException("worker announced '" + (hello.length() > 40 ? hello.substring(0, 40) : hello)
                    + "', not '" + READY + "' (an extractor jar of another version?)");
        }
        return w;
    }

    private static void writeFrame(DataOutputStream out, byte[] frame) throws IOException {
        out.writeInt(frame.length);
        out.write(frame);
    }

    /** @return the key and value pairs of a metadata frame, in order */
    static List<DocumentText.Property> decodeMetadata(byte[] frame) throws IOException {
        List<DocumentText.Property> out = new ArrayList<>();
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(frame));
        while (in.available() > 0) {
            String key = new String(readFrame(in), StandardCharsets.UTF_8);
            String value = new String(readFrame(in), StandardCharsets.UTF_8);
            out.add(new DocumentText.Property(key, value));
        }
        return out;
    }

    private static byte[] readFrame(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > (1 << 30)) {
            throw new EOFException("bad frame length");
        }
        byte[] frame = new byte[length];
        in.readFully(frame);
        return frame;
    }

    /** Stops every idle worker; busy ones stop when their document is done. */
    @Override
    public void close() {
        closed.set(true);
        OPEN.remove(this);
        for (Worker w; (w = idle.take()) != null; ) {
            w.kill();
        }
        watchdog.shutdownNow();
        starter.shutdownNow();
    }

    /** @return workers started and waiting for a document (for monitoring and tests) */
    public int idleWorkers() {
        return idle.size();
    }

    /** Command line of a worker (for logs and tests). */
    public List<String> command() {
        return command;
    }

    /** Workers waiting for a document, at most {@code capacity}. */
    private static final class IdleWorkers {
        private final List<Worker> workers = new ArrayList<>();
        private final int capacity;

        IdleWorkers(int capacity) {
            this.capacity = capacity;
        }

        /** @return false when {@code capacity} workers already wait */
        synchronized boolean offer(Worker w) {
            if (workers.size() >= capacity) {
                return false;
            }
            workers.add(w);
            return true;
        }

        /** @return the waiting worker that has parsed the most documents, removed; null when none waits */
        synchronized Worker take() {
            int best = -1;
            for (int i = 0; i < workers.size(); i++) {
                if (best < 0 || workers.get(i).documents > workers.get(best).documents) {
                    best = i;
                }
            }
            return best < 0 ? null : workers.remove(best);
        }

        synchronized int size() {
            return workers.size();
        }
    }

    private static final class Worker {
        final Process process;
        final DataOutputStream out;
        final DataInputStream in;
        int documents;

        Worker(Process process) {
            this.process = process;
            this.out = new DataOutputStream(new BufferedOutputStream(process.getOutputStream(), 1 << 16));
            this.in = new DataInputStream(new BufferedInputStream(process.getInputStream(), 1 << 16));
        }

        void kill() {
            process.destroyForcibly();
        }
    }

    /** Settings; the jar is required. */
    public static final class Builder {
        private Path jar;
        private Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        private int workers = 2;
        private int steadyWorkers;
        private Duration spareAfter = Duration.ZERO;
        private int maxHeapMb = 512;
        private int maxChars = 10_000_000;
        private Duration documentTimeout = Duration.ofSeconds(30);
        private Duration workerStartTimeout = Duration.ofMinutes(2);

        private Builder() {
        }

        /** @param value the extractor jar ({@link #locateJarBesideCore()} finds the bundled one) */
        public Builder jar(Path value) {
            jar = Objects.requireNonNull(value, "jar");
            return this;
        }

        /** @param value the {@code java} executable; default: the one of this JVM's {@code java.home} */
        public Builder java(Path value) {
            java = Objects.requireNonNull(value, "java");
            return this;
        }

        /** @param value worker JVMs (documents parsed at once), 1..64; default 2 */
        public Builder workers(int value) {
            if (value < 1 || value > 64) {
                throw new IllegalArgumentException("workers must be between 1 and 64");
            }
            workers = value;
            return this;
        }

        /**
         * @param value documents parsed at once while none has waited {@link #spareAfter} for a worker, 1..64 (at most
         *     {@link #workers}); default: {@link #workers}
         * @return this
         */
        public Builder steadyWorkers(int value) {
            if (value < 1 || value > 64) {
                throw new IllegalArgumentException("steadyWorkers must be between 1 and 64");
            }
            steadyWorkers = value;
            return this;
        }

        /**
         * @param value how long a document waits for a busy worker before one more document may be parsed at once (up
         *     to {@link #workers}), if the documents being parsed have each taken that long too or the document has
         *     waited a quarter of its time; given back when none waits and none has been parsed that long; zero or
         *     more; default zero
         * @return this
         */
        public Builder spareAfter(Duration value) {
            if (value == null || value.isNegative()) {
                throw new IllegalArgumentException("spareAfter must be zero or more");
            }
            spareAfter = value;
            return this;
        }

        /** @param value heap of each worker in MiB, 64..16384; default 512 */
        public Builder maxHeapMb(int value) {
            if (value < 64 || value > 16384) {
                throw new IllegalArgumentException("maxHeapMb must be between 64 and 16384");
            }
            maxHeapMb = value;
            return this;
        }

        /** @param value characters of text kept per document (more: SIZE_LIMIT); default 10 000 000 */
        public Builder maxChars(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("maxChars must be positive");
            }
            maxChars = value;
            return this;
        }

        /** @param value longest time for one document (the message's time left may be shorter); default 30s */
        /**
         * @param value how long a worker may take from launch to {@code READY} (JVM start and warm-up); positive
         * @return this
         */
        public Builder workerStartTimeout(Duration value) {
            if (value == null || value.isZero() || value.isNegative()) {
                throw new IllegalArgumentException("workerStartTimeout must be positive");
            }
            workerStartTimeout = value;
            return this;
        }

        public Builder documentTimeout(Duration value) {
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("documentTimeout must be positive");
            }
            documentTimeout = value;
            return this;
        }

        public WorkerDocumentExtractor build() {
            if (jar == null) {
                throw new IllegalStateException("the extractor jar is required");
            }
            return new WorkerDocumentExtractor(this);
        }
    }
}
