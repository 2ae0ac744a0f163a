package dev.tollgate.core.dlp.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The worker pool with a stand-in worker ({@code dev.tollgate.extractor.ExtractorWorker} from this module's
 * test classes, which answers with its process id): workers started ahead of the first document, kept across
 * documents, replaced when they ask to retire.
 */
class WorkerDocumentExtractorTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static Path testClasses() throws Exception {
        return Paths.get(dev.tollgate.extractor.ExtractorWorker.class.getProtectionDomain().getCodeSource()
                .getLocation().toURI());
    }

    private static String pid(DocumentText text) {
        assertThat(text.failure()).isEmpty();
        return text.text().orElseThrow().split(" ")[0];
    }

    @Test
    void startWorkersHasTheWorkersWaitingBeforeTheFirstDocument() throws Exception {
        try (WorkerDocumentExtractor pool = WorkerDocumentExtractor.builder().jar(testClasses()).workers(2).build()) {
            assertThat(pool.idleWorkers()).isZero();
            pool.startWorkers();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (pool.idleWorkers() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(pool.idleWorkers()).isEqualTo(2);
            // starting again while they wait adds none
            pool.startWorkers();
            Thread.sleep(500);
            assertThat(pool.idleWorkers()).isEqualTo(2);
        }
    }

    @Test
    void oneWorkerServesManyDocumentsAndIsReplacedOnlyWhenItAsksToRetire() throws Exception {
        try (WorkerDocumentExtractor pool = WorkerDocumentExtractor.builder().jar(testClasses()).workers(1).build()) {
            Set<String> pids = new HashSet<>();
            for (int i = 0; i < 600; i++) {
                pids.add(pid(pool.extract(new byte[] {1}, "a.pdf", TIMEOUT)));
            }
            // more than the 500 documents after which a worker used to be replaced
            assertThat(pids).hasSize(1);
            String first = pids.iterator().next();
            assertThat(pid(pool.extract(new byte[] {1}, "retire", TIMEOUT))).isEqualTo(first);
            DocumentText next = pool.extract(new byte[] {1}, "a.pdf", TIMEOUT);
            assertThat(pid(next)).isNotEqualTo(first);
            assertThat(next.text().orElseThrow()).endsWith(" 1");
        }
    }

    @Test
    void documentsThatComeOneAtATimeAllGoToOneWorker() throws Exception {
        try (WorkerDocumentExtractor pool = WorkerDocumentExtractor.builder().jar(testClasses()).workers(2).build()) {
            pool.startWorkers();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (pool.idleWorkers() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(pool.idleWorkers()).isEqualTo(2);
            Set<String> pids = new HashSet<>();
            for (int i = 0; i < 20; i++) {
                pids.add(pid(pool.extract(new byte[] {1}, "a.pdf", TIMEOUT)));
            }
            // one worker took them all; the other still waits
            assertThat(pids).hasSize(1);
            assertThat(pool.idleWorkers()).isEqualTo(2);
        }
    }

    @Test
    void whileTheWorkerWithTheMostDocumentsIsBusyEveryOtherDocumentGoesStraightToAnIdleOne() throws Exception {
        try (WorkerDocumentExtractor pool = twoWarmWorkers()) {
            String first = pid(pool.extract(new byte[] {1}, "a.pdf", TIMEOUT));
            // a mail with many small documents: none waits for the busy worker (a wait of even 50 ms per document
            // would outlast the stand-in's 2 s over "slow")
            Set<String> others = besideASlowOne(pool, 100, first);
            // the idle worker that has parsed the most documents takes the next one: now the other
            assertThat(pid(pool.extract(new byte[] {1}, "a.pdf", TIMEOUT))).isEqualTo(others.iterator().next());
        }
    }

    /**
     * Parses {@code n} small documents while a slow one ("slow": 2 s in the stand-in) is parsed, started first, and
     * checks that the slow one was still being parsed when they were done and went to the worker {@code slowPid}.
     *
     * @return the workers that parsed the small ones (one, other than {@code slowPid})
     */
    private static Set<String> besideASlowOne(WorkerDocumentExtractor pool, int n, String slowPid) throws Exception {
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try {
            Future<DocumentText> slow = caller.submit(() -> pool.extract(new byte[] {1}, "slow", TIMEOUT));
            Thread.sleep(300);
            Set<String> others = new HashSet<>();
            for (int i = 0; i < n; i++) {
                others.add(pid(pool.extract(new byte[] {1}, "a.pdf", TIMEOUT)));
            }
            assertThat(slow.isDone()).isFalse();
            int atOnce = pool.parsingAtOnce();
            assertThat(pid(slow.get(60, TimeUnit.SECONDS))).isEqualTo(slowPid);
            assertThat(others).hasSize(1).doesNotContain(slowPid);
            assertThat(atOnce).isEqualTo(2);
            return others;
        } finally {
            caller.shutdownNow();
        }
    }

    @Test
    void oneDocumentAtATimeUntilOneHasWaitedSpareAfterThenTheSpareWorkerUntilNoneIsParsed() throws Exception {
        try (WorkerDocumentExtractor pool = warm(WorkerDocumentExtractor.builder().jar(testClasses()).workers(2)
                .steadyWorkers(1).spareAfter(Duration.ofMillis(300)).build())) {
            // documents one at a time never wait: the steady worker takes them all
            Set<String> pids = new HashSet<>();
            for (int i = 0; i < 20; i++) {
                pids.add(pid(pool.extract(new byte[] {1}, "a.pdf", TIMEOUT)));
            }
            assertThat(pids).hasSize(1);
            assertThat(pool.parsingAtOnce()).isEqualTo(1);
            // the next document waits 300 ms for the busy worker, then the spare one parses it, and those after it
            // while the slow one is parsed
            besideASlowOne(pool, 20, pids.iterator().next());
            // nothing parsed any more: back to one at a time
            assertThat(pool.parsingAtOnce()).isEqualTo(1);
        }
    }

    @Test
    void aQueueOfQuickDocumentsWaitsForTheSteadyWorkerPastSpareAfter() throws Exception {
        try (WorkerDocumentExtractor pool = warm(WorkerDocumentExtractor.builder().jar(testClasses()).workers(2)
                .steadyWorkers(1).spareAfter(Duration.ofSeconds(1)).build())) {
            // six 250 ms documents at once: the last ones wait over a second, but each document being parsed is
            // younger than that, so no spare is taken
            long t0 = System.nanoTime();
            Set<String> pids = atOnce(pool, 6, "pause:250", TIMEOUT);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(1400));
            assertThat(pids).hasSize(1);
            assertThat(pool.parsingAtOnce()).isEqualTo(1);
        }
    }

    @Test
    void aDocumentThatHasWaitedAQuarterOfItsTimeTakesTheSpare() throws Exception {
        try (WorkerDocumentExtractor pool = warm(WorkerDocumentExtractor.builder().jar(testClasses()).workers(2)
                .steadyWorkers(1).spareAfter(Duration.ofMillis(300)).build())) {
            // six 150 ms documents with 2 s each: the fifth has waited 500 ms, a quarter of its time, before the
            // fourth is done
            Set<String> pids = atOnce(pool, 6, "pause:150", Duration.ofSeconds(2));
            assertThat(pids).hasSize(2);
            assertThat(pool.parsingAtOnce()).isEqualTo(1);
        }
    }

    /** Extracts {@code n} documents named {@code name} from as many threads at once; returns the workers used. */
    private static Set<String> atOnce(WorkerDocumentExtractor pool, int n, String name, Duration timeout)
            throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(n);
        try {
            List<Future<DocumentText>> docs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                docs.add(callers.submit(() -> pool.extract(new byte[] {1}, name, timeout)));
            }
            Set<String> pids = new HashSet<>();
            for (Future<DocumentText> d : docs) {
                pids.add(pid(d.get(60, TimeUnit.SECONDS)));
            }
            return pids;
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void aDocumentThatCannotWaitSpareAfterWaitsForTheSteadyWorkerOnly() throws Exception {
        try (WorkerDocumentExtractor pool = warm(WorkerDocumentExtractor.builder().jar(testClasses()).workers(2)
                .steadyWorkers(1).spareAfter(Duration.ofSeconds(30)).build())) {
            ExecutorService caller = Executors.newSingleThreadExecutor();
            try {
                Future<DocumentText> slow = caller.submit(() -> pool.extract(new byte[] {1}, "slow", TIMEOUT));
                Thread.sleep(300);
                DocumentText late = pool.extract(new byte[] {1}, "a.pdf", Duration.ofMillis(200));
                assertThat(late.failure()).contains(Unscannable.Reason.TIME_LIMIT);
                assertThat(pool.parsingAtOnce()).isEqualTo(1);
                assertThat(slow.get(60, TimeUnit.SECONDS).failure()).isEmpty();
            } finally {
                caller.shutdownNow();
            }
        }
    }

    private static WorkerDocumentExtractor warm(WorkerDocumentExtractor pool) throws Exception {
        pool.startWorkers();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (pool.idleWorkers() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(pool.idleWorkers()).isEqualTo(2);
        return pool;
    }

    private static WorkerDocumentExtractor twoWarmWorkers() throws Exception {
        return warm(WorkerDocumentExtractor.builder().jar(testClasses()).workers(2).build());
    }

    @Test
    void aWorkersStartUpIsNotChargedToTheDocumentsTimeLimit() throws Exception {
        try (WorkerDocumentExtractor pool = WorkerDocumentExtractor.builder().jar(testClasses()).workers(1)
                .maxChars(dev.tollgate.extractor.ExtractorWorker.SLOW_START).build()) {
            // The worker takes 3 s to say READY; the document's own 1 s limit starts only then.
            DocumentText text = pool.extract(new byte[] {1}, "a.pdf", Duration.ofSeconds(1));
            assertThat(text.failure()).isEmpty();
            assertThat(text.text().orElseThrow()).endsWith(" 1");
        }
    }

    @Test
    void aWorkerThatNeverGetsReadyGivesExtractionFailedAfterTheStartTimeout() throws Exception {
        try (WorkerDocumentExtractor pool = WorkerDocumentExtractor.builder().jar(testClasses()).workers(1)
                .maxChars(dev.tollgate.extractor.ExtractorWorker.NEVER_READY)
                .workerStartTimeout(Duration.ofSeconds(2)).build()) {
            DocumentText text = pool.extract(new byte[] {1}, "a.pdf", TIMEOUT);
            assertThat(text.failure()).contains(Unscannable.Reason.EXTRACTION_FAILED);
            assertThat(text.detail()).contains("not ready within 2 s");
        }
    }

    @Test
    void aWorkerOfAnotherProtocolVersionIsNotUsed() throws Exception {
        try (WorkerDocumentExtractor pool = WorkerDocumentExtractor.builder().jar(testClasses()).workers(1)
                .maxChars(dev.tollgate.extractor.ExtractorWorker.PROTOCOL_1).build()) {
            DocumentText text = pool.extract(new byte[] {1}, "a.pdf", TIMEOUT);
            assertThat(text.failure()).contains(Unscannable.Reason.EXTRACTION_FAILED);
            assertThat(text.detail()).contains("worker announced 'READY', not 'READY 2'");
        }
    }

    @Test
    void metadataFramesAreDecodedInOrder() throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream out = new java.io.DataOutputStream(bytes);
        for (String field : new String[] {"dc:title", "Card 4111", "custom:Ref", "\u00fc"}) {
            byte[] b = field.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            out.writeInt(b.length);
            out.write(b);
        }
        assertThat(WorkerDocumentExtractor.decodeMetadata(bytes.toByteArray()))
                .extracting(DocumentText.Property::key, DocumentText.Property::value)
                .containsExactly(org.assertj.core.api.Assertions.tuple("dc:title", "Card 4111"),
                        org.assertj.core.api.Assertions.tuple("custom:Ref", "\u00fc"));
        assertThat(WorkerDocumentExtractor.decodeMetadata(new byte[0])).isEmpty();
        // a key without its value is a broken frame, not an empty value
        byte[] broken = java.util.Arrays.copyOf(bytes.toByteArray(), 12);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> WorkerDocumentExtractor.decodeMetadata(broken))
                .isInstanceOf(java.io.IOException.class);
    }
}
