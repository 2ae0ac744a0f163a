package dev.tollgate.core.mfa;

import java.util.Objects;
import java.util.Optional;

/**
 * Verifies a TOTP code for a user and refuses replays: {@link Totp} (RFC 6238 §5.2 window) followed by a
 * {@link ReplayGuard} (RFC 6238 §5.2 "one-time"). Thread-safe when its guard is.
 *
 * <pre>{@code
 * TotpVerifier verifier = TotpVerifier.of(totp, ReplayGuard.inMemory());
 * TotpVerifier.Result r = verifier.verify("alice@example.com", secret, "123456");
 * if (r.isAccepted()) { ... r.step() ... }
 * }</pre>
 */
public final class TotpVerifier {
    /** What happened to a candidate code. */
    public enum Status {
        /** Correct and not used before; {@link Result#step()} holds the matched step. */
        ACCEPTED,
        /** Well-formed but matches no step in the window. */
        WRONG_CODE,
        /** Correct, but its step is not after the last accepted one for this key. */
        REPLAYED,
        /** Not exactly {@link Totp#digits()} ASCII digits. */
        MALFORMED
    }

    /** Outcome of {@link #verify}: immutable. */
    public static final class Result {
        private final Status status;
        private final TimeStep step;

        private Result(Status status, TimeStep step) {
            this.status = status;
            this.step = step;
        }

        /** @return the status */
        public Status status() {
            return status;
        }

        /** @return whether the code was accepted */
        public boolean isAccepted() {
            return status == Status.ACCEPTED;
        }

        /** @return the matched step for ACCEPTED and REPLAYED, else empty */
        public Optional<TimeStep> step() {
            return Optional.ofNullable(step);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Result && ((Result) o).status == status && Objects.equals(((Result) o).step, step);
        }

        @Override
        public int hashCode() {
            return Objects.hash(status, step);
        }

        @Override
        public String toString() {
            return step == null ? status.name() : status + "@" + step.value();
        }
    }

    private final Totp totp;
    private final ReplayGuard guard;

    private TotpVerifier(Totp totp, ReplayGuard guard) {
        this.totp = Objects.requireNonNull(totp, "totp");
        this.guard = Objects.requireNonNull(guard, "guard");
    }

    /** @return a verifier using {@code totp}'s parameters and clock and {@code guard} */
    public static TotpVerifier of(Totp totp, ReplayGuard guard) {
        return new TotpVerifier(totp, guard);
    }

    /**
     * @param key       the replay key, usually the user name (or a device id)
     * @param secret    the user's shared secret
     * @param candidate the code the user typed
     * @return the outcome; the guard is consulted, and updated, only for a correct code
     */
    public Result verify(String key, TotpSecret secret, CharSequence candidate) {
        if (!totp.isWellFormed(candidate)) {
            return new Result(Status.MALFORMED, null);
        }
        Optional<TimeStep> matched = totp.verify(secret, candidate);
        if (matched.isEmpty()) {
            return new Result(Status.WRONG_CODE, null);
        }
        return guard.tryAccept(key, matched.get())
                ? new Result(Status.ACCEPTED, matched.get())
                : new Result(Status.REPLAYED, matched.get());
    }

    /** @return the TOTP parameters */
    public Totp totp() {
        return totp;
    }
}
