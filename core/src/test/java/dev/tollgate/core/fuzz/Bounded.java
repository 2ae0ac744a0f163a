package dev.tollgate.core.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The time bound every fuzz target asserts per input. Measured inside the target, so Jazzer's one-time agent
 * start (which a JUnit {@code @Timeout} would count against the first input) is not included; a hang is
 * caught in fuzzing mode by libFuzzer's {@code -timeout}, set by the build (60 s).
 */
public final class Bounded {
    /** Per input, generous for a loaded CI machine: the inputs are at most a few hundred kilobytes. */
    public static final Duration PER_INPUT = Duration.ofSeconds(5);
    /**
     * Per input while fuzzing: Jazzer's instrumentation (coverage, compare hooks on every string and array
     * comparison) makes the same code an order of magnitude slower.
     */
    public static final Duration PER_INPUT_INSTRUMENTED = Duration.ofSeconds(30);
    private static final boolean FUZZING = System.getenv("JAZZER_FUZZ") != null
            || System.getProperty("JAZZER_FUZZ") != null;
    /**
     * The first input of a JVM also loads, instruments and interprets every class on its path (tens of
     * seconds on a busy machine), which says nothing about the input.
     */
    public static final Duration FIRST_INPUT = Duration.ofSeconds(60);
    private static final AtomicBoolean FIRST = new AtomicBoolean(true);

    private Bounded() {
    }

    /** Work that may throw the target's documented exceptions. */
    @FunctionalInterface
    public interface Work {
        void run() throws Exception;
    }

    /** Runs {@code work} and fails when it took longer than its bound; its exceptions pass through. */
    public static void run(Work work) throws Exception {
        Duration bound = FIRST.getAndSet(false) ? FIRST_INPUT : FUZZING ? PER_INPUT_INSTRUMENTED : PER_INPUT;
        long start = System.nanoTime();
        try {
            work.run();
        } finally {
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(took).as("time for one input").isLessThanOrEqualTo(bound);
        }
    }
}
