package dev.tollgate.core.audit;

import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Where Tollgate's engines report what they decided, without depending on James: the James adapters
 * implement it over James's {@code MetricFactory} ({@code dev.tollgate.james.ops.JamesMetrics}), so every
 * name appears in WebAdmin {@code GET /metrics}; tests and the CLI use {@link #NONE}.
 *
 * <p>James's Prometheus exporter has no labels: a label-like part is carried in the name, after a colon, as
 * James's own metrics do ({@code enqueuedMail:spool}). {@link #name} builds such a name from a base name of
 * {@link MetricNames} and its parts; every part is reduced to {@code [a-z0-9_]} so the name reads the same
 * in {@code /metrics} as here. A counter is exported as {@code <name>_total}, a timer as a summary in
 * seconds ({@code <name>{quantile="0.99"}}, {@code <name>_count}), a gauge as {@code <name>}.
 */
public interface Metrics {
    /** A started timer; {@link #close()} stops it and records the elapsed time once. */
    interface Timer extends AutoCloseable {
        @Override
        void close();
    }

    /** Reports nothing. */
    Metrics NONE = new Metrics() {
        @Override
        public void add(String name, int n) {
        }

        @Override
        public Timer timer(String name) {
            return () -> { };
        }

        @Override
        public void gauge(String name, LongSupplier value) {
        }

        @Override
        public void register(String name) {
        }
    };

    /** Adds {@code n} (0 or more) to the counter {@code name} (a full name from {@link #name}). */
    void add(String name, int n);

    /** Adds one to the counter {@code name} (a full name from {@link #name}). */
    default void increment(String name) {
        add(name, 1);
    }

    /** Starts the timer {@code name}; close the result when the timed work is done. */
    Timer timer(String name);

    /** Registers a gauge read when {@code /metrics} is rendered; registering a name again keeps the first. */
    void gauge(String name, LongSupplier value);

    /** Creates the counter {@code name} at zero, so that it is exported before its first event. */
    void register(String name);

    /** Adds one to {@code base:part1:part2...}. */
    default void increment(String base, String... parts) {
        increment(name(base, parts));
    }

    /**
     * @param base  a base name of {@link MetricNames}, e.g. {@code tollgate_mfa_auth}
     * @param parts label-like parts, e.g. {@code smtp}, {@code totp}, {@code pass}; null becomes {@code none}
     * @return {@code base:part1:part2}, each part lower-cased with every character outside {@code [a-z0-9_]}
     *         replaced by {@code _}
     */
    static String name(String base, String... parts) {
        StringBuilder s = new StringBuilder(base);
        for (String p : parts) {
            s.append(':').append(part(p));
        }
        return s.toString();
    }

    /** @return {@code value} reduced to {@code [a-z0-9_]} (at most 64 characters), {@code none} when null or empty */
    static String part(String value) {
        if (value == null || value.isEmpty()) {
            return "none";
        }
        String v = value.toLowerCase(Locale.ROOT);
        StringBuilder s = new StringBuilder(Math.min(v.length(), 64));
        for (int i = 0; i < v.length() && s.length() < 64; i++) {
            char c = v.charAt(i);
            s.append(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' ? c : '_');
        }
        return s.toString();
    }
}
