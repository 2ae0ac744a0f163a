package dev.tollgate.core.state;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Failed SMTP AUTH attempts per user and per client network, each kept for a limited time. The throttle
 * ({@code dev.tollgate.core.mfa.AuthThrottle}) derives backoff and lockout from them; storing events rather than
 * a read-modify-write counter lets nodes record failures concurrently without losing any. Thread-safe.
 */
public interface FailureLog {
    /** What a key names. */
    enum Dimension {
        /** A user name, lower-cased. */
        USER,
        /** A client network: an IPv4 address, or an IPv6 /64 prefix. */
        NETWORK
    }

    /**
     * Records one failure.
     *
     * @param at   when it happened (kept to the millisecond)
     * @param keep how long it is kept (then forgotten); positive
     * @throws StateException when it could not be recorded (the attempt must then not be answered as a failure)
     */
    void record(Dimension dimension, String key, Instant at, Duration keep) throws StateException;

    /**
     * @param now   the current instant (failures kept until before it are gone)
     * @param limit the most failures returned, at least 1
     * @return the most recent failures still kept, at most {@code limit}, oldest first
     * @throws StateException when the store cannot answer
     */
    List<Instant> recent(Dimension dimension, String key, Instant now, int limit) throws StateException;

    /** Forgets every failure of the key (after a successful login); @throws StateException when unreachable */
    void clear(Dimension dimension, String key) throws StateException;
}
