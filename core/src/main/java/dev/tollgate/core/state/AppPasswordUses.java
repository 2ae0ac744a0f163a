package dev.tollgate.core.state;

import java.time.Instant;
import java.util.Map;

/**
 * Last use of each app password, kept beside the sealed enrolment rather than inside it, so recording a login
 * never rewrites the enrolment (which could undo a revocation made meanwhile on another node). Thread-safe.
 */
public interface AppPasswordUses {
    /**
     * Records a use; a later use replaces an earlier one.
     *
     * @param key     the enrolment's record name
     * @param id      the app password's id
     * @param at      when
     * @param address the client address, or null when unknown
     * @throws StateException when the store cannot answer
     */
    void recordUse(String key, String id, Instant at, String address) throws StateException;

    /** @return the last use of each app password of the enrolment that has one, by id */
    Map<String, AppPasswordUse> uses(String key) throws StateException;

    /** Forgets the uses of the enrolment (on reset); @throws StateException when unreachable */
    void forget(String key) throws StateException;
}
