package dev.tollgate.core.mfa;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.tollgate.core.state.FailureLog;
import dev.tollgate.core.state.FailureLog.Dimension;
import dev.tollgate.core.state.StateException;
import dev.tollgate.core.state.memory.InMemoryFailureLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Brute-force defence for SMTP AUTH, per user and per client IP: failure counters with exponential
 * backoff and a lockout.
 *
 * <p>After {@code n >= 1} consecutive failures, the next attempt is refused until
 * {@code lastFailure + min(baseDelay * 2^(n-1), maxDelay)}. From {@code lockoutThreshold} failures
 * on, the key is locked until {@code lastFailure + lockoutDuration}, and callers must refuse even a
 * correct password and code while locked (otherwise the lockout only slows a guesser that already
 * knows the answer). Users and IPs have separate thresholds, since one NAT address serves many users.
 *
 * <p>Use: {@link #check} before verifying anything; refuse unless {@link Decision#isAllowed()}, without
 * recording a failure. After verifying, {@link #recordFailure} or {@link #recordSuccess}. Success
 * resets the user's counter only: resetting the IP counter would let an attacker who owns one account
 * clear the counter of a password-spraying source by logging in between guesses; IP counters decay
 * through {@code forgetAfter} instead.
 *
 * <p>User names are compared case-insensitively (lower-cased with {@link Locale#ROOT}) so case variants
 * of one account share a counter. A null or empty IP means "unknown" and is not tracked.
 *
 * <p>Failures are kept in a {@link FailureLog}, each for {@code forgetAfter}: by default in this JVM's memory
 * (bounded to {@code maximumSize} keys, timed by the injected {@link Clock}); with a shared log (Cassandra) every
 * node of a cluster counts the same failures, so spreading guesses over nodes gains nothing. The counter of a key
 * is derived from its most recent failures in time order, exactly as if they had been counted one by one, so
 * concurrent failures on several nodes are all counted. A log that cannot answer raises {@link StateException}:
 * the caller refuses the attempt as a temporary failure without counting it. The trade-off
 * of every lockout applies: an attacker can lock a victim's account out of SMTP submission for
 * {@code lockoutDuration}. Thread-safe.
 */
public final class AuthThrottle {
    /** The outcome of {@link #check}. */
    public enum Outcome {
        /** Attempt may proceed. */
        ALLOWED,
        /** Backoff after recent failures: refuse now, retry at {@link Decision#until()}. */
        DELAYED,
        /** Too many failures: refuse, even with valid credentials, until {@link Decision#until()}. */
        LOCKED
    }

    /** Immutable verdict: outcome and, unless allowed, the instant it ends. */
    public static final class Decision {
        private static final Decision ALLOWED = new Decision(Outcome.ALLOWED, null, Duration.ZERO);

        private final Outcome outcome;
        private final Instant until;
        private final Duration retryAfter;

        private Decision(Outcome outcome, Instant until, Duration retryAfter) {
            this.outcome = outcome;
            this.until = until;
            this.retryAfter = retryAfter;
        }

        /** @return the outcome */
        public Outcome outcome() {
            return outcome;
        }

        /** @return whether the attempt may proceed */
        public boolean isAllowed() {
            return outcome == Outcome.ALLOWED;
        }

        /** @return when a DELAYED or LOCKED state ends; empty when ALLOWED */
        public Optional<Instant> until() {
            return Optional.ofNullable(until);
        }

        /** @return time left until {@link #until()}, zero when ALLOWED */
        public Duration retryAfter() {
            return retryAfter;
        }

        private boolean isStricterThan(Decision other) {
            if (outcome != other.outcome) {
                return outcome.ordinal() > other.outcome.ordinal();
            }
            return until != null && (other.until == null || until.isAfter(other.until));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Decision && ((Decision) o).outcome == outcome && Objects.equals(((Decision) o).until, until);
        }

        @Override
        public int hashCode() {
            return Objects.hash(outcome, until);
        }

        @Override
        public String toString() {
            return until == null ? outcome.name() : outcome + " until " + until;
        }
    }

    /** Failure count and time of the last failure for one key; immutable. */
    static final class Failures {
        final int count;
        final Instant last;

        Failures(int count, Instant last) {
            this.count = count;
            this.last = last;
        }
    }

    private final Duration baseDelay;
    private final Duration maxDelay;
    private final int userLockoutThreshold;
    private final int ipLockoutThreshold;
    private final int ipFreeFailures;
    private final Duration lockoutDuration;
    private final Duration forgetAfter;
    private final Clock clock;
    private final FailureLog log;

    private AuthThrottle(Builder b) {
        requirePositive("baseDelay", b.baseDelay);
        requirePositive("maxDelay", b.maxDelay);
        requirePositive("lockoutDuration", b.lockoutDuration);
        requirePositive("forgetAfter", b.forgetAfter);
        if (b.maxDelay.compareTo(b.baseDelay) < 0) {
            throw new IllegalArgumentException("maxDelay must not be below baseDelay");
        }
        if (b.forgetAfter.compareTo(b.lockoutDuration) < 0 || b.forgetAfter.compareTo(b.maxDelay) < 0) {
            throw new IllegalArgumentException("forgetAfter must cover lockoutDuration and maxDelay");
        }
        if (b.userLockoutThreshold < 1 || b.ipLockoutThreshold < 1 || b.maximumSize < 1) {
            throw new IllegalArgumentException("thresholds and maximumSize must be at least 1");
        }
        if (b.ipFreeFailures < 0 || b.ipFreeFailures >= b.ipLockoutThreshold) {
            throw new IllegalArgumentException("ipFreeFailures must be 0 or more and below ipLockoutThreshold");
        }
        this.baseDelay = b.baseDelay;
        this.maxDelay = b.maxDelay;
        this.userLockoutThreshold = b.userLockoutThreshold;
        this.ipLockoutThreshold = b.ipLockoutThreshold;
        this.ipFreeFailures = b.ipFreeFailures;
        this.lockoutDuration = b.lockoutDuration;
        this.clock = Objects.requireNonNull(b.clock, "clock");
        this.forgetAfter = b.forgetAfter;
        Clock c = this.clock;
        Ticker ticker = () -> TimeUnit.MILLISECONDS.toNanos(c.millis());
        this.log = b.log != null ? b.log : new InMemoryFailureLog(b.maximumSize, ticker);
    }

    private static void requirePositive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration");
        }
    }

    /** @return a builder with defaults: 1 s base, 5 min max, lock 10 (user) / 100 (IP) failures for 15 min */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param user the user name as given in AUTH; never null
     * @param ip   the client address, or null/empty when unknown
     * @return the stricter of the user's and the IP's state
     * @throws StateException when the failure log cannot answer
     */
    public Decision check(String user, String ip) throws StateException {
        Instant now = clock.instant();
        Decision d = decide(load(Dimension.USER, userKey(user), userLockoutThreshold, now), userLockoutThreshold, 0, now);
        if (ip != null && !ip.isEmpty()) {
            Decision byIp = decide(load(Dimension.NETWORK, ipKey(ip), ipLockoutThreshold, now), ipLockoutThreshold,
                    ipFreeFailures, now);
            if (byIp.isStricterThan(d)) {
                d = byIp;
            }
        }
        return d;
    }

    /**
     * Counts a failed attempt (wrong password, wrong/replayed/malformed code) for the user and the IP.
     *
     * @return the state after this failure
     * @throws StateException when the failure could not be recorded (then it is not counted)
     */
    public Decision recordFailure(String user, String ip) throws StateException {
        Instant now = clock.instant();
        log.record(Dimension.USER, userKey(user), now, forgetAfter);
        if (ip != null && !ip.isEmpty()) {
            log.record(Dimension.NETWORK, ipKey(ip), now, forgetAfter);
        }
        return check(user, ip);
    }

    /**
     * Forgets the user's failures after a successful login; the IP counter is kept (see class doc).
     *
     * @throws StateException when the failure log cannot answer
     */
    public void recordSuccess(String user, String ip) throws StateException {
        log.clear(Dimension.USER, userKey(user));
    }

    /** @return the user's current consecutive failure count; @throws StateException when the log cannot answer */
    public int failures(String user) throws StateException {
        Failures f = load(Dimension.USER, userKey(user), userLockoutThreshold, clock.instant());
        return f == null ? 0 : f.count;
    }

    /** @return the failure log this throttle counts in */
    public FailureLog log() {
        return log;
    }

    /**
     * Replays the key's most recent failures through {@link #increment}; reading {@code 2 * threshold + 16} of them
     * is enough to see the last lockout and everything after it.
     */
    private Failures load(Dimension dimension, String key, int threshold, Instant now) throws StateException {
        List<Instant> recent = log.recent(dimension, key, now, 2 * threshold + 16);
        Failures f = null;
        for (Instant at : recent) {
            f = increment(f, at, threshold);
        }
        return f;
    }

    /**
     * Counts one more failure. A lockout that has run its course starts a fresh count, so one new failure
     * after it does not lock the key again at once.
     */
    private Failures increment(Failures f, Instant now, int threshold) {
        if (f == null || (f.count >= threshold && !now.isBefore(f.last.plus(lockoutDuration)))) {
            return new Failures(1, now);
        }
        return new Failures(f.count == Integer.MAX_VALUE ? f.count : f.count + 1, now);
    }

    /**
     * The key of a client address: IPv4 as is, IPv6 by its /64 prefix (one subscriber usually holds a whole
     * /64, so rotating addresses inside it must not escape the count). Unparsable text is used as is.
     */
    static String ipKey(String ip) {
        if (ip.indexOf(':') < 0) {
            return ip;
        }
        try {
            byte[] a = java.net.InetAddress.getByName(ip.startsWith("[") ? ip.substring(1, ip.length() - 1) : ip).getAddress();
            if (a.length != 16) {
                return ip;
            }
            StringBuilder key = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                key.append(Integer.toHexString(((a[i] & 0xff) << 8) | (a[i + 1] & 0xff))).append(':');
            }
            return key.append(":/64").toString();
        } catch (java.net.UnknownHostException e) {
            return ip;
        }
    }

    private static String userKey(String user) {
        return user.toLowerCase(Locale.ROOT);
    }

    /** @param free failures tolerated before any delay (a shared address's normal share of typos) */
    private Decision decide(Failures f, int threshold, int free, Instant now) {
        if (f == null) {
            return Decision.ALLOWED;
        }
        if (f.count >= threshold) {
            Instant until = f.last.plus(lockoutDuration);
            if (now.isBefore(until)) {
                return new Decision(Outcome.LOCKED, until, Duration.between(now, until));
            }
        }
        if (f.count <= free) {
            return Decision.ALLOWED;
        }
        Instant until = f.last.plus(delayAfter(f.count - free));
        if (now.isBefore(until)) {
            return new Decision(Outcome.DELAYED, until, Duration.between(now, until));
        }
        return Decision.ALLOWED;
    }

    /** {@code min(baseDelay * 2^(failures-1), maxDelay)} without overflow. */
    Duration delayAfter(int failures) {
        Duration d = baseDelay;
        for (int i = 1; i < failures && d.compareTo(maxDelay) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(maxDelay) > 0 ? maxDelay : d;
    }

    /** Fluent builder; not thread-safe. */
    public static final class Builder {
        private Duration baseDelay = Duration.ofSeconds(1);
        private Duration maxDelay = Duration.ofMinutes(5);
        private int userLockoutThreshold = 10;
        private int ipLockoutThreshold = 100;
        private int ipFreeFailures = 10;
        private Duration lockoutDuration = Duration.ofMinutes(15);
        private Duration forgetAfter = Duration.ofHours(1);
        private long maximumSize = 100_000;
        private Clock clock = Clock.systemUTC();
        private FailureLog log;

        private Builder() {
        }

        /** @param log where failures are kept; default a new in-memory log of {@code maximumSize} keys per dimension */
        public Builder failureLog(FailureLog log) {
            this.log = log;
            return this;
        }

        /** @param d delay after the first failure; default 1 s */
        public Builder baseDelay(Duration d) {
            this.baseDelay = d;
            return this;
        }

        /** @param d cap on the doubling delay; default 5 min */
        public Builder maxDelay(Duration d) {
            this.maxDelay = d;
            return this;
        }

        /** @param failures consecutive failures that lock a user; default 10 */
        public Builder userLockoutThreshold(int failures) {
            this.userLockoutThreshold = failures;
            return this;
        }

        /** @param failures failures that lock an IP address; default 100 */
        public Builder ipLockoutThreshold(int failures) {
            this.ipLockoutThreshold = failures;
            return this;
        }

        /** @param d how long a lock lasts after the last failure; default 15 min */
        /**
         * Failures from one address (IPv6: one /64) tolerated before it is slowed down at all, so that users
         * behind a shared NAT are not delayed by one colleague's typos. Default 10; below {@code ipLockoutThreshold}.
         */
        public Builder ipFreeFailures(int failures) {
            this.ipFreeFailures = failures;
            return this;
        }

        public Builder lockoutDuration(Duration d) {
            this.lockoutDuration = d;
            return this;
        }

        /** @param d counters are dropped this long after the last failure; default 1 h, at least the lockout */
        public Builder forgetAfter(Duration d) {
            this.forgetAfter = d;
            return this;
        }

        /** @param entries maximum tracked users and, separately, IPs; default 100 000 */
        public Builder maximumSize(long entries) {
            this.maximumSize = entries;
            return this;
        }

        /** @param clock time source; default system UTC */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** @throws IllegalArgumentException for inconsistent settings */
        public AuthThrottle build() {
            return new AuthThrottle(this);
        }
    }
}
