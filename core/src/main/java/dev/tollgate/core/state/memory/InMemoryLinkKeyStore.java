package dev.tollgate.core.state.memory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import dev.tollgate.core.state.LinkKeyStore;
import dev.tollgate.core.state.StoredLinkKey;

/** {@link LinkKeyStore} in this JVM's memory (tests): newest first, ties by the greater id. Thread-safe. */
public final class InMemoryLinkKeyStore implements LinkKeyStore {
    /** The order of shared backends: newest first, then the greater id. */
    public static final Comparator<StoredLinkKey> NEWEST_FIRST = Comparator.comparing(StoredLinkKey::created)
            .thenComparing(StoredLinkKey::id).reversed();

    private final ConcurrentMap<String, StoredLinkKey> keys = new ConcurrentHashMap<>();

    @Override
    public List<StoredLinkKey> keys() {
        List<StoredLinkKey> out = new ArrayList<>(keys.values());
        out.sort(NEWEST_FIRST);
        return out;
    }

    @Override
    public boolean add(StoredLinkKey key) {
        return keys.putIfAbsent(key.id(), key) == null;
    }

    @Override
    public boolean remove(String id) {
        return keys.remove(id) != null;
    }
}
