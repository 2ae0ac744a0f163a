package dev.tollgate.core.state.memory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;

import dev.tollgate.core.state.FailureLog;

/**
 * {@link FailureLog} in this JVM's memory: per key, the most recent failures with their expiry, in a Caffeine
 * cache bounded to {@code maximumKeys} keys whose entries expire with their last failure. Each key keeps at most
 * {@link #MAX_EVENTS_PER_KEY} failures. Thread-safe (per-key updates through {@code asMap().compute}).
 */
public final class InMemoryFailureLog implements FailureLog {
    /** Most failures kept per key. */
    public static final int MAX_EVENTS_PER_KEY = 1024;

    private static final class Event {
        final Instant at;
        final Instant expires;

        Event(Instant at, Instant expires) {
            this.at = at;
            this.expires = expires;
        }
    }

    private final java.util.Map<Dimension, Cache<String, List<Event>>> events = new java.util.EnumMap<>(Dimension.class);
    private final Ticker ticker;

    /**
     * @param maximumKeys most keys kept per dimension (users, networks); the least recently used go first
     * @param ticker      time source in nanoseconds of the epoch (so expiry follows the caller's clock)
     */
    public InMemoryFailureLog(long maximumKeys, Ticker ticker) {
        this.ticker = ticker;
        for (Dimension d : Dimension.values()) {
            events.put(d, newCache(maximumKeys, ticker));
        }
    }

    private static Cache<String, List<Event>> newCache(long maximumKeys, Ticker ticker) {
        return Caffeine.newBuilder().ticker(ticker).executor(Runnable::run).maximumSize(maximumKeys)
                .expireAfter(new Expiry<String, List<Event>>() {
                    @Override
                    public long expireAfterCreate(String key, List<Event> value, long currentTime) {
                        return remaining(value, currentTime);
                    }

                    @Override
                    public long expireAfterUpdate(String key, List<Event> value, long currentTime, long currentDuration) {
                        return remaining(value, currentTime);
                    }

                    @Override
                    public long expireAfterRead(String key, List<Event> value, long currentTime, long currentDuration) {
                        return currentDuration;
                    }
                }).build();
    }

    /** @return a log timed by the system clock, at most 100 000 keys */
    public static InMemoryFailureLog create() {
        return new InMemoryFailureLog(100_000, () -> TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis()));
    }

    private static long remaining(List<Event> value, long currentTimeNanos) {
        long last = Long.MIN_VALUE;
        for (Event e : value) {
            last = Math.max(last, TimeUnit.MILLISECONDS.toNanos(e.expires.toEpochMilli()));
        }
        return Math.max(0, last - currentTimeNanos);
    }


    @Override
    public void record(Dimension dimension, String key, Instant at, Duration keep) {
        Instant expires = at.plus(keep);
        events.get(dimension).asMap().compute(key, (k, list) -> {
            List<Event> next = new ArrayList<>(list == null ? List.of() : list);
            next.removeIf(e -> !e.expires.isAfter(at));
            next.add(new Event(at, expires));
            next.sort((a, b) -> a.at.compareTo(b.at));
            while (next.size() > MAX_EVENTS_PER_KEY) {
                next.remove(0);
            }
            return Collections.unmodifiableList(next);
        });
    }

    @Override
    public List<Instant> recent(Dimension dimension, String key, Instant now, int limit) {
        List<Event> list = events.get(dimension).getIfPresent(key);
        if (list == null) {
            return List.of();
        }
        List<Instant> out = new ArrayList<>();
        for (Event e : list) {
            if (e.expires.isAfter(now)) {
                out.add(e.at);
            }
        }
        return out.size() <= limit ? out : List.copyOf(out.subList(out.size() - limit, out.size()));
    }

    @Override
    public void clear(Dimension dimension, String key) {
        events.get(dimension).invalidate(key);
    }

    @Override
    public String toString() {
        return "InMemoryFailureLog[" + events.get(Dimension.USER).estimatedSize() + " users, "
                + events.get(Dimension.NETWORK).estimatedSize() + " networks]";
    }
}
