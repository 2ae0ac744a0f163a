package dev.tollgate.core.audit;

/**
 * The process-wide {@link Metrics} for engines built deep inside configuration code (extractor workers, the
 * click-time redirector, MTA-STS and DANE lookups) that no adapter hands a {@link Metrics} to. James's
 * adapters install James's metrics here when they are created; until then, and outside James, it is
 * {@link Metrics#NONE}.
 */
public final class GlobalMetrics {
    private static volatile Metrics current = Metrics.NONE;

    private GlobalMetrics() {
    }

    /** @return the installed metrics, {@link Metrics#NONE} when none is */
    public static Metrics get() {
        return current;
    }

    /** Installs {@code metrics} for the whole process. */
    public static void install(Metrics metrics) {
        current = metrics == null ? Metrics.NONE : metrics;
    }
}
