package dev.tollgate.extractor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * A worker retires when the heap it still uses after a full collection is over half its maximum; objects that only
 * wait for their finalizer (PDFBox's parsed documents) must not count, or a worker would be replaced, its compiled
 * code thrown away, every few thousand PDFs.
 */
class RetainedHeapTest {
    @Test
    void garbageWaitingForFinalizationDoesNotRetireTheWorker() throws Exception {
        Process p = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), FinalizableGarbage.class.getName())
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        // the first reading is over the limit (what retired workers before), the decision after finalization is not
        assertThat(out).endsWith("over=true retire=false");
    }
}
