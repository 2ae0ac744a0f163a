package dev.tollgate.core.state;

import java.util.List;

/**
 * The ring of link-signing keys shared by the rewriting mailet and the click-time redirector of every node: each
 * key with its id and creation time. The first key of {@link #keys()} signs new tokens; the others only verify
 * tokens they signed earlier. A key added on one node is returned by {@link #keys()} on every node sharing the store.
 *
 * <p>The material is opaque to the backend: the single-node key file keeps the key bytes themselves (its format of
 * always: {@code keyId:base64key} lines, owner-only permissions); callers hand a shared backend (Cassandra) the key
 * sealed with the MFA store key, so a copy of the keyspace reveals no key. Thread-safe.
 */
public interface LinkKeyStore {
    /**
     * @return every key, the signing key first: in a key file the file's order (first line signs), elsewhere the
     *     newest first (ties broken by the greater id), so every node picks the same signing key
     * @throws StateException when the store cannot answer or holds invalid content
     */
    List<StoredLinkKey> keys() throws StateException;

    /**
     * Adds a key, which becomes the signing key (the first of {@link #keys()}) when it is the newest.
     *
     * @return {@code false} (and nothing changed) when a key with that id exists
     * @throws StateException when it could not be stored durably
     */
    boolean add(StoredLinkKey key) throws StateException;

    /** @return whether a key with that id existed and was removed; @throws StateException when removal failed */
    boolean remove(String id) throws StateException;
}
