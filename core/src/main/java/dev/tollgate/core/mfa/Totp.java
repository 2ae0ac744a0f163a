package dev.tollgate.core.mfa;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * TOTP, the time-based one-time password (RFC 6238): HOTP (RFC 4226) with the {@link TimeStep} number as
 * counter.
 *
 * <p>Built fluently; defaults are the RFC 6238 / authenticator-app profile: SHA1, 6 digits,
 * 30 s period, a verification window of ±1 step (RFC 6238 §5.2 recommends at most one step of network
 * delay) and the system UTC clock:
 * <pre>{@code
 * Totp totp = Totp.builder().digits(6).window(1).clock(clock).build();
 * Optional<TimeStep> step = totp.verify(secret, "123456");
 * }</pre>
 *
 * <p>Verification compares fixed-width ASCII codes with {@link MessageDigest#isEqual} and computes every
 * step of the window without stopping at the first match, so timing does not depend on which step (if
 * any) matched. A candidate that is not exactly {@link #digits()} ASCII digits is refused before any
 * MAC is computed: that depends only on the candidate, never on the secret.
 *
 * <p>Immutable and thread-safe.
 */
public final class Totp {
    /** Largest window accepted, in steps either side. */
    public static final int MAX_WINDOW = 10;

    private final Hotp hotp;
    private final Duration period;
    private final int window;
    private final Clock clock;

    private Totp(Builder b) {
        this.hotp = Hotp.of(b.algorithm, b.digits);
        TimeStep.requireWholeSeconds(b.period);
        if (b.window < 0 || b.window > MAX_WINDOW) {
            throw new IllegalArgumentException("window must be 0.." + MAX_WINDOW + " steps");
        }
        if (b.clock == null) {
            throw new IllegalArgumentException("clock is required");
        }
        this.period = b.period;
        this.window = b.window;
        this.clock = b.clock;
    }

    /** @return a builder with the defaults listed in the class documentation */
    public static Builder builder() {
        return new Builder();
    }

    /** @return TOTP with all defaults (SHA1, 6 digits, 30 s, ±1, system clock) */
    public static Totp defaults() {
        return builder().build();
    }

    /** @return the hash function */
    public TotpAlgorithm algorithm() {
        return hotp.algorithm();
    }

    /** @return the code length, 6..8 */
    public int digits() {
        return hotp.digits();
    }

    /** @return the step length X */
    public Duration period() {
        return period;
    }

    /** @return the number of steps accepted either side of the current one */
    public int window() {
        return window;
    }

    /** @return the clock that defines "now" */
    public Clock clock() {
        return clock;
    }

    /** @return the step containing the clock's current instant */
    public TimeStep currentStep() {
        return TimeStep.at(clock.instant(), period);
    }

    /** @return the code for the step containing {@code instant} */
    public String generate(TotpSecret secret, Instant instant) {
        return generate(secret, TimeStep.at(instant, period));
    }

    /** @return the code for {@code step} (its HOTP value, RFC 6238 §4.2) */
    public String generate(TotpSecret secret, TimeStep step) {
        return hotp.generate(secret.unsafeBytes(), step.value());
    }

    /**
     * @return whether {@code candidate} has the shape of a code: exactly {@link #digits()} characters,
     *         each an ASCII digit {@code 0-9} (no Unicode digits, signs or spaces)
     */
    public boolean isWellFormed(CharSequence candidate) {
        if (candidate == null || candidate.length() != digits()) {
            return false;
        }
        for (int i = 0; i < candidate.length(); i++) {
            char c = candidate.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** Verifies against the clock's current time; see {@link #verify(TotpSecret, CharSequence, Instant)}. */
    public Optional<TimeStep> verify(TotpSecret secret, CharSequence candidate) {
        return verify(secret, candidate, clock.instant());
    }

    /**
     * Checks {@code candidate} against the steps {@code now - window .. now + window}.
     *
     * @return the matched step (the one nearest to {@code now} should several match), or empty when
     *         the code is wrong or malformed. Replays are not detected here; see {@link TotpVerifier}.
     */
    public Optional<TimeStep> verify(TotpSecret secret, CharSequence candidate, Instant now) {
        if (!isWellFormed(candidate)) {
            return Optional.empty();
        }
        byte[] given = candidate.toString().getBytes(StandardCharsets.US_ASCII);
        TimeStep current = TimeStep.at(now, period);
        TimeStep matched = null;
        // Order: now, -1, +1, -2, +2 ... so the first match kept is the nearest; no early exit.
        for (int i = 0; i <= 2 * window; i++) {
            long delta = (i % 2 == 1) ? -((i + 1) / 2) : i / 2;
            Optional<TimeStep> step = current.plus(delta);
            if (step.isEmpty()) {
                continue;
            }
            byte[] expected = generate(secret, step.get()).getBytes(StandardCharsets.US_ASCII);
            if (MessageDigest.isEqual(expected, given) && matched == null) {
                matched = step.get();
            }
        }
        return Optional.ofNullable(matched);
    }

    @Override
    public String toString() {
        return "Totp[" + algorithm() + ", " + digits() + " digits, " + period.getSeconds() + "s, ±" + window + "]";
    }

    /** Fluent builder; not thread-safe, the built {@link Totp} is. */
    public static final class Builder {
        private TotpAlgorithm algorithm = TotpAlgorithm.SHA1;
        private int digits = 6;
        private Duration period = TimeStep.DEFAULT_PERIOD;
        private int window = 1;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** @param algorithm the HMAC hash; default SHA1 */
        public Builder algorithm(TotpAlgorithm algorithm) {
            this.algorithm = algorithm;
            return this;
        }

        /** @param digits code length 6..8; default 6 */
        public Builder digits(int digits) {
            this.digits = digits;
            return this;
        }

        /** @param period step length X, whole seconds; default 30 s */
        public Builder period(Duration period) {
            this.period = period;
            return this;
        }

        /** @param window steps accepted either side of now, 0..10; default 1 */
        public Builder window(int window) {
            this.window = window;
            return this;
        }

        /** @param clock the time source; default system UTC */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** @throws IllegalArgumentException for an out-of-range setting */
        public Totp build() {
            return new Totp(this);
        }
    }
}
