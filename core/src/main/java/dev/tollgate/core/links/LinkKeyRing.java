package dev.tollgate.core.links;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tollgate.core.state.LinkKeyStore;
import dev.tollgate.core.state.StateException;
import dev.tollgate.core.state.StoredLinkKey;

/**
 * The link-signing keys of this node, read from a {@link LinkKeyStore} and cached: the rewriting mailet signs with
 * {@link #signer(Duration)} and the redirector checks with {@link #verify}, both without a store round trip.
 *
 * <p>Sharing: the cache is re-read at most every {@code refresh} (on the next use after it elapsed), and at once
 * (at most every {@value #MIN_FORCED_REFRESH_SECONDS} seconds) when a token names a key the cache does not hold, so
 * a key added on another node verifies here at its first click and is signing here within {@code refresh}.
 *
 * <p>Keep serving: when the store cannot answer a re-read, the keys already held stay in use (signing with the
 * cached signing key, verifying with every cached key) and one WARN line names the store; the next re-read that
 * succeeds logs that the store is back. Only the first read, at startup, must succeed.
 *
 * <p>Lifetime: a key superseded by a newer one keeps verifying (tokens themselves expire after the redirector's
 * {@code tokenMaxAge}); {@link #rotate} removes keys superseded more than that long ago, whose tokens have all
 * expired.
 * Thread-safe.
 */
public final class LinkKeyRing {
    private static final Logger LOG = LoggerFactory.getLogger(LinkKeyRing.class);
    static final int MIN_FORCED_REFRESH_SECONDS = 5;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** How key bytes are kept in the store: in clear (the owner-only key file) or sealed (a shared store). */
    public interface Protection {
        /** Keys kept as they are (the single-node key file). */
        Protection CLEAR = new Protection() {
            @Override
            public byte[] seal(String id, byte[] key) {
                return key.clone();
            }

            @Override
            public byte[] open(String id, byte[] material) {
                return material.clone();
            }
        };

        /** @return the material to store for key {@code id}; @throws Exception when sealing fails */
        byte[] seal(String id, byte[] key) throws Exception;

        /** @return the key bytes of {@code material}; @throws Exception when it cannot be opened (wrong key) */
        byte[] open(String id, byte[] material) throws Exception;
    }

    /** One key as held in the cache. */
    private static final class Key {
        final String id;
        final Instant created;
        final byte[] secret;

        Key(String id, Instant created, byte[] secret) {
            this.id = id;
            this.created = created;
            this.secret = secret;
        }
    }

    /** The keys of one successful read, with the signers built from them (per maximum age). */
    private static final class Snapshot {
        final List<Key> keys;
        final Map<Duration, LinkTokenSigner> signers = new ConcurrentHashMap<>();

        Snapshot(List<Key> keys) {
            this.keys = keys;
        }
    }

    private final LinkKeyStore store;
    private final String storeName;
    private final Protection protection;
    private final Duration refresh;
    private final Clock clock;
    private final ReentrantLock reading = new ReentrantLock();
    private volatile Snapshot snapshot;
    private volatile Instant lastRead;
    private volatile Instant lastForced = Instant.EPOCH;
    private volatile boolean failing;

    private LinkKeyRing(LinkKeyStore store, String storeName, Protection protection, Duration refresh, Clock clock) {
        this.store = store;
        this.storeName = storeName;
        this.protection = protection;
        this.refresh = refresh;
        this.clock = clock;
    }

    /**
     * Reads the ring once; when it is empty and {@code create} is set, generates a 32-byte key first.
     *
     * @param storeName  names the store in log lines and errors (never a credential)
     * @param refresh    how often the cache is re-read; positive
     * @throws StateException when the store cannot be read, is empty (and {@code create} is off) or a key cannot
     *                        be opened (a wrong MFA store key)
     */
    public static LinkKeyRing open(LinkKeyStore store, String storeName, Protection protection, boolean create,
            Duration refresh, Clock clock) throws StateException {
        if (refresh.isNegative() || refresh.isZero()) {
            throw new IllegalArgumentException("refresh must be positive");
        }
        LinkKeyRing ring = new LinkKeyRing(Objects.requireNonNull(store), storeName, Objects.requireNonNull(protection),
                refresh, Objects.requireNonNull(clock));
        if (store.keys().isEmpty()) {
            if (!create) {
                throw new StateException(storeName + " holds no key (missing or empty) and createKeyFile is false");
            }
            String id = ring.addNewKey();
            LOG.warn("Tollgate: generated a new link token key '{}' in {}; back it up: links in delivered mail stop "
                    + "working when it is lost", id, storeName);
        }
        ring.snapshot = ring.read();
        ring.lastRead = clock.instant();
        LOG.info("Tollgate link keys: {} keys from {}, signing key '{}'", ring.snapshot.keys.size(), storeName,
                ring.snapshot.keys.get(0).id);
        return ring;
    }

    private Snapshot read() throws StateException {
        List<Key> keys = new ArrayList<>();
        for (StoredLinkKey k : store.keys()) {
            try {
                keys.add(new Key(k.id(), k.created(), protection.open(k.id(), k.material())));
            } catch (Exception e) {
                throw new StateException("link key '" + k.id() + "' in " + storeName + " cannot be opened (is the MFA "
                        + "store key the one of the other nodes?): " + e.getMessage(), e);
            }
        }
        if (keys.isEmpty()) {
            throw new StateException("link key store " + storeName + " holds no key");
        }
        return new Snapshot(Collections.unmodifiableList(keys));
    }

    private String addNewKey() throws StateException {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        Instant now = clock.instant();
        byte[] suffix = new byte[2];
        RANDOM.nextBytes(suffix);
        String id = "k" + Long.toString(now.toEpochMilli(), 36) + String.format("%02x%02x", suffix[0], suffix[1]);
        final byte[] material;
        try {
            material = protection.seal(id, key);
        } catch (Exception e) {
            throw new StateException("cannot seal a new link key for " + storeName + ": " + e.getMessage(), e);
        }
        if (!store.add(new StoredLinkKey(id, now, material))) {
            throw new StateException("link key id " + id + " already exists in " + storeName);
        }
        return id;
    }

    /** Re-reads the store when {@code refresh} has elapsed (one thread at a time; others use the cache). */
    private void maybeRefresh(boolean force) {
        Instant now = clock.instant();
        boolean due = Duration.between(lastRead, now).compareTo(refresh) >= 0;
        if (force) {
            if (Duration.between(lastForced, now).getSeconds() < MIN_FORCED_REFRESH_SECONDS) {
                return;
            }
        } else if (!due) {
            return;
        }
        if (!reading.tryLock()) {
            return;
        }
        try {
            if (force) {
                lastForced = now;
            }
            refreshNow();
        } finally {
            reading.unlock();
        }
    }

    /**
     * Re-reads the store now. On failure the cached keys stay in use and a WARN line names the store.
     *
     * @return whether the read succeeded
     */
    public boolean refreshNow() {
        Snapshot cached = snapshot;
        try {
            Snapshot fresh = read();
            snapshot = fresh;
            if (failing) {
                failing = false;
                LOG.info("Tollgate link keys: {} answers again; {} keys, signing key '{}'", storeName,
                        fresh.keys.size(), fresh.keys.get(0).id);
            } else if (!fresh.keys.get(0).id.equals(cached.keys.get(0).id)) {
                LOG.info("Tollgate link keys: signing key is now '{}' (from {})", fresh.keys.get(0).id, storeName);
            }
            return true;
        } catch (StateException | RuntimeException e) {
            failing = true;
            LOG.warn("Tollgate link keys: cannot read {} ({}); keeping the {} cached keys, signing with '{}'",
                    storeName, e.getMessage(), cached.keys.size(), cached.keys.get(0).id);
            return false;
        } finally {
            lastRead = clock.instant();
        }
    }

    /**
     * @param maxAge token lifetime of the verifier; {@link Duration#ZERO} for none (a signer that only signs)
     * @return the signer of the cached keys: the first signs, every one verifies
     */
    public LinkTokenSigner signer(Duration maxAge) {
        maybeRefresh(false);
        Snapshot s = snapshot;
        return s.signers.computeIfAbsent(maxAge, age -> build(s, age));
    }

    private LinkTokenSigner build(Snapshot s, Duration maxAge) {
        LinkTokenSigner.Builder b = LinkTokenSigner.builder().clock(clock);
        Key signing = s.keys.get(0);
        b.signingKey(signing.id, signing.secret);
        for (int i = 1; i < s.keys.size(); i++) {
            b.verificationKey(s.keys.get(i).id, s.keys.get(i).secret);
        }
        if (!maxAge.isZero()) {
            b.maxAge(maxAge);
        }
        return b.build();
    }

    /**
     * Verifies a token with the cached keys; a token naming a key not held makes the cache re-read the store first.
     *
     * @param maxAge token lifetime; zero for none
     */
    public LinkTokenSigner.Verification verify(String token, Duration maxAge) {
        LinkTokenSigner.Verification v = signer(maxAge).verify(token);
        if (v.status() == LinkTokenSigner.Status.UNKNOWN_KEY) {
            Snapshot before = snapshot;
            maybeRefresh(true);
            if (snapshot != before) {
                v = signer(maxAge).verify(token);
            }
        }
        return v;
    }

    /**
     * Adds a new signing key to the store (seen by every node sharing it) and removes keys superseded more than
     * {@code maxAge} ago (none when zero).
     *
     * @return the new key's id
     * @throws StateException when the store cannot be written (nothing changed then)
     */
    public String rotate(Duration maxAge) throws StateException {
        String id = addNewKey();
        if (!maxAge.isZero()) {
            Instant now = clock.instant();
            List<StoredLinkKey> keys = store.keys();
            for (int i = 1; i < keys.size(); i++) {
                if (keys.get(i - 1).created().plus(maxAge).isBefore(now) && !keys.get(i).id().equals(id)) {
                    store.remove(keys.get(i).id());
                    LOG.info("Tollgate link keys: removed key '{}' from {}, superseded more than {} ago",
                            keys.get(i).id(), storeName, maxAge);
                }
            }
        }
        if (!refreshNow()) {
            throw new StateException("link key " + id + " was added to " + storeName + " but cannot be read back");
        }
        LOG.info("Tollgate link keys: rotated; new signing key '{}' in {}", id, storeName);
        return id;
    }

    /** @return the cached keys' ids and creation times, the signing key first (never the key bytes) */
    public List<Map.Entry<String, Instant>> describeKeys() {
        maybeRefresh(false);
        List<Map.Entry<String, Instant>> out = new ArrayList<>();
        for (Key k : snapshot.keys) {
            out.add(Map.entry(k.id, k.created));
        }
        return out;
    }

    /** @return the store's name, for log lines */
    public String storeName() {
        return storeName;
    }

    @Override
    public String toString() {
        return "LinkKeyRing[" + storeName + ", signing " + snapshot.keys.get(0).id + "]";
    }
}
