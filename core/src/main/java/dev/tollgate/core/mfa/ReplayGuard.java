package dev.tollgate.core.mfa;

/**
 * Refuses a TOTP code that was already used: RFC 6238 §5.2 requires that the verifier not accept the
 * second attempt of the same OTP after a successful validation. A guard keeps, per key, the last
 * accepted {@link TimeStep} and accepts only strictly later steps, which also refuses older codes still
 * inside the window.
 *
 * <p>Implementations must be thread-safe and make {@link #tryAccept} atomic: of any number of concurrent
 * calls with the same key and step, exactly one returns {@code true}.
 */
public interface ReplayGuard {
    /**
     * Atomically accepts {@code step} for {@code key} if it is strictly after the last step accepted for
     * that key (or none was), and records it as the new last step.
     *
     * @param key  the user name or device identifier whose codes share a watermark; never null
     * @param step the step the code matched
     * @return {@code true} when accepted and recorded; {@code false} for a replay or an older step
     */
    boolean tryAccept(String key, TimeStep step);

    /** @return a guard that keeps the watermarks in memory of this JVM; see {@link InMemoryReplayGuard} */
    static ReplayGuard inMemory() {
        return new InMemoryReplayGuard();
    }
}
