package dev.tollgate.core.mfa;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * {@link ReplayGuard} in memory, atomic per key through {@link ConcurrentHashMap#compute}.
 *
 * <p>One entry (a {@code long}) per key that ever had a code accepted; since {@link TotpVerifier} calls
 * the guard only after a correct code, the map grows with the number of enrolled users, not with
 * attack traffic. Watermarks are lost on restart; a code accepted just before a restart could then be
 * replayed within its window, so deployments that need that closed persist
 * {@link MfaEnrollment#lastAcceptedStep()} as well. Thread-safe.
 */
public final class InMemoryReplayGuard implements ReplayGuard {
    private final ConcurrentMap<String, Long> lastAccepted = new ConcurrentHashMap<>();

    /** Creates an empty guard. */
    public InMemoryReplayGuard() {
    }

    /**
     * Seeds a key's watermark (e.g. from {@link MfaEnrollment#lastAcceptedStep()} after a restart); never
     * moves it backwards.
     */
    public void seed(String key, TimeStep step) {
        lastAccepted.merge(key, step.value(), Math::max);
    }

    @Override
    public boolean tryAccept(String key, TimeStep step) {
        boolean[] accepted = new boolean[1];
        lastAccepted.compute(key, (k, last) -> {
            if (last == null || step.value() > last) {
                accepted[0] = true;
                return step.value();
            }
            return last;
        });
        return accepted[0];
    }

    @Override
    public String toString() {
        return "InMemoryReplayGuard[" + lastAccepted.size() + " keys]";
    }
}
