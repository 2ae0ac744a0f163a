package dev.tollgate.core.mfa;

import java.time.Duration;
import java.time.Instant;

/**
 * A TOTP time step: {@code T = floor((UnixTime - T0) / X)} with {@code T0 = 0} (RFC 6238 §4.2).
 * The step length {@code X} belongs to the {@link Totp} that produced the step; a TimeStep is just the
 * step number, ordered and comparable, used as the HOTP counter and as the replay watermark
 * ({@link ReplayGuard}).
 *
 * <p>Immutable value object.
 */
public final class TimeStep implements Comparable<TimeStep> {
    /** The RFC 6238 §4.1 default step length, 30 seconds. */
    public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(30);

    private final long value;

    private TimeStep(long value) {
        this.value = value;
    }

    /**
     * @param value the step number, {@code >= 0}
     * @throws IllegalArgumentException for a negative number
     */
    public static TimeStep of(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("time step must not be negative");
        }
        return new TimeStep(value);
    }

    /** @return the step containing {@code instant} with the default 30 s period */
    public static TimeStep at(Instant instant) {
        return at(instant, DEFAULT_PERIOD);
    }

    /**
     * @param instant a point in time at or after the Unix epoch
     * @param period  the step length X, a whole number of seconds, at least 1 s
     * @return {@code floor(epochSeconds / periodSeconds)}
     * @throws IllegalArgumentException for an instant before 1970 or a bad period
     */
    public static TimeStep at(Instant instant, Duration period) {
        long seconds = requireWholeSeconds(period);
        if (instant.getEpochSecond() < 0) {
            throw new IllegalArgumentException("instant before the Unix epoch");
        }
        return new TimeStep(instant.getEpochSecond() / seconds);
    }

    static long requireWholeSeconds(Duration period) {
        if (period == null || period.getNano() != 0 || period.getSeconds() < 1) {
            throw new IllegalArgumentException("period must be a whole number of seconds, at least 1");
        }
        return period.getSeconds();
    }

    /** @return the step number */
    public long value() {
        return value;
    }

    /**
     * @param delta steps to add (may be negative)
     * @return the step {@code delta} steps later, or empty when that would be negative
     */
    java.util.Optional<TimeStep> plus(long delta) {
        long v = value + delta;
        return v < 0 ? java.util.Optional.empty() : java.util.Optional.of(new TimeStep(v));
    }

    /** @return the first instant of this step for the given period */
    public Instant start(Duration period) {
        return Instant.ofEpochSecond(Math.multiplyExact(value, requireWholeSeconds(period)));
    }

    /** @return whether this step comes strictly after {@code other} */
    public boolean isAfter(TimeStep other) {
        return value > other.value;
    }

    @Override
    public int compareTo(TimeStep other) {
        return Long.compare(value, other.value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TimeStep && ((TimeStep) o).value == value;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(value);
    }

    @Override
    public String toString() {
        return "TimeStep[" + value + "]";
    }
}
