package dev.tollgate.core.state;

import java.util.OptionalLong;

/**
 * The TOTP replay watermark of each enrolment (RFC 6238 §5.2): the last accepted time step. {@link #advance} is an
 * atomic compare-and-set across every node sharing the store: of any number of concurrent calls for one key and
 * one step, exactly one returns {@code true}. Thread-safe.
 */
public interface ReplayWatermarks {
    /**
     * Moves the watermark of {@code key} to {@code step} if the watermark is absent or strictly lower.
     *
     * @param key  the enrolment's record name
     * @param step the TOTP time step (RFC 6238 §4: {@code floor(unixTime / 30)}) the code matched
     * @return {@code true} when this call moved it (the code is accepted); {@code false} for a replay or an older step
     * @throws StateException when the store cannot answer; the code must then be refused as a temporary failure
     */
    boolean advance(String key, long step) throws StateException;

    /** @return the current watermark, empty when none was recorded; @throws StateException when unreachable */
    OptionalLong current(String key) throws StateException;
}
