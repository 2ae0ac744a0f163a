package dev.tollgate.core.state.memory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import dev.tollgate.core.state.AppPasswordUse;
import dev.tollgate.core.state.AppPasswordUses;
import dev.tollgate.core.state.FailureLog;
import dev.tollgate.core.state.LinkKeyStore;
import dev.tollgate.core.state.MtaStsPolicies;
import dev.tollgate.core.state.ReplayWatermarks;
import dev.tollgate.core.state.SealedRecords;
import dev.tollgate.core.state.StateException;
import dev.tollgate.core.state.StateStore;
import dev.tollgate.core.state.TlsRptCounters;

/**
 * {@link StateStore} in this JVM's memory, for tests and single-process tools: nothing survives the process and
 * nothing is shared with another one. Watermarks are atomic per key through {@link ConcurrentMap#compute}.
 * Thread-safe.
 */
public final class InMemoryStateStore implements StateStore {
    private final ConcurrentMap<String, byte[]> records = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Long> watermarks = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Map<String, AppPasswordUse>> uses = new ConcurrentHashMap<>();
    private final FailureLog failures;
    private final LinkKeyStore linkKeys = new InMemoryLinkKeyStore();
    private final MtaStsPolicies mtaSts = InMemoryMtaStsPolicies.create();
    private final TlsRptCounters tlsRpt = InMemoryTlsRptCounters.create();

    /** @param failures the failure log (see {@link InMemoryFailureLog}) */
    public InMemoryStateStore(FailureLog failures) {
        this.failures = failures;
    }

    /** @return a store with a failure log timed by the system clock */
    public static InMemoryStateStore create() {
        return new InMemoryStateStore(InMemoryFailureLog.create());
    }

    private final SealedRecords sealed = new SealedRecords() {
        @Override
        public Optional<byte[]> get(String name) {
            byte[] b = records.get(name);
            return b == null ? Optional.empty() : Optional.of(b.clone());
        }

        @Override
        public void put(String name, byte[] bytes) throws StateException {
            if (bytes.length > MAX_RECORD_BYTES) {
                throw new StateException("record " + name + " is larger than " + MAX_RECORD_BYTES + " bytes");
            }
            records.put(name, bytes.clone());
        }

        @Override
        public boolean delete(String name) {
            return records.remove(name) != null;
        }

        @Override
        public List<String> names() {
            return new ArrayList<>(records.keySet());
        }
    };

    private final ReplayWatermarks marks = new ReplayWatermarks() {
        @Override
        public boolean advance(String key, long step) {
            boolean[] moved = new boolean[1];
            watermarks.compute(key, (k, last) -> {
                if (last == null || step > last) {
                    moved[0] = true;
                    return step;
                }
                return last;
            });
            return moved[0];
        }

        @Override
        public OptionalLong current(String key) {
            Long v = watermarks.get(key);
            return v == null ? OptionalLong.empty() : OptionalLong.of(v);
        }
    };

    private final AppPasswordUses appUses = new AppPasswordUses() {
        @Override
        public void recordUse(String key, String id, Instant at, String address) {
            uses.computeIfAbsent(key, k -> new ConcurrentHashMap<>()).merge(id, new AppPasswordUse(at, address),
                    (old, now) -> now.lastUsed().isBefore(old.lastUsed()) ? old : now);
        }

        @Override
        public Map<String, AppPasswordUse> uses(String key) {
            Map<String, AppPasswordUse> m = uses.get(key);
            return m == null ? Map.of() : Map.copyOf(m);
        }

        @Override
        public void forget(String key) {
            uses.remove(key);
        }
    };

    @Override
    public SealedRecords records() {
        return sealed;
    }

    @Override
    public ReplayWatermarks watermarks() {
        return marks;
    }

    @Override
    public FailureLog failures() {
        return failures;
    }

    @Override
    public AppPasswordUses appPasswordUses() {
        return appUses;
    }

    @Override
    public LinkKeyStore linkKeys() {
        return linkKeys;
    }

    @Override
    public MtaStsPolicies mtaStsPolicies() {
        return mtaSts;
    }

    @Override
    public TlsRptCounters tlsRptCounters() {
        return tlsRpt;
    }

    @Override
    public String describe() {
        return "memory";
    }

    @Override
    public void close() {
        // Nothing opened.
    }

    @Override
    public String toString() {
        return "InMemoryStateStore[" + records.size() + " records]";
    }
}
