package dev.tollgate.james.links;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.links.ClickRedirector;
import dev.tollgate.core.links.LinkKeyRing;
import dev.tollgate.core.mfa.RecordSealer;
import dev.tollgate.core.state.StateException;
import dev.tollgate.core.state.StateStore;
import dev.tollgate.core.state.file.FileLinkKeyStore;

/**
 * The link-signing key rings of this James, shared by {@link RewriteLinks}, {@link ClickRedirectorStartable} and
 * {@link LinkKeyRoutes} (bound once by {@code MfaModule}, which opens the state store).
 *
 * <ul>
 *   <li>State {@code backend=file} (one node): each key file ({@code keyFile}) is its own ring, in the format it has
 *       always had, re-read every {@code keyRefresh}; the mailet and the redirector naming one file share it.</li>
 *   <li>A shared backend ({@code cassandra}, {@code memory}): one ring in the state store for every node, the keys
 *       sealed with the MFA store key (AES-256-GCM, as the enrolments); {@code keyFile} is then not read.</li>
 * </ul>
 * Thread-safe.
 */
public final class LinkKeyRings {
    /** Rings of key files only, for a James without {@code MfaModule}: the mailet and the redirector share them. */
    static final LinkKeyRings FILES = new LinkKeyRings(null, null, ClickRedirector.Config.DEFAULT_KEY_REFRESH,
            ClickRedirector.Config.DEFAULT_TOKEN_MAX_AGE, null, true);

    private final StateStore shared;
    private final RecordSealer sealer;
    private final Duration refresh;
    private final Duration tokenMaxAge;
    private final Path defaultKeyFile;
    private final boolean defaultCreate;
    private final Map<Path, LinkKeyRing> files = new ConcurrentHashMap<>();
    private LinkKeyRing sharedRing;

    private LinkKeyRings(StateStore shared, RecordSealer sealer, Duration refresh, Duration tokenMaxAge,
            Path defaultKeyFile, boolean defaultCreate) {
        this.shared = shared;
        this.sealer = sealer;
        this.refresh = refresh;
        this.tokenMaxAge = tokenMaxAge;
        this.defaultKeyFile = defaultKeyFile;
        this.defaultCreate = defaultCreate;
    }

    /**
     * @param state  the state store; its link keys are used unless {@code shared} is false
     * @param shared whether the state backend is shared (not {@code file})
     * @param sealer seals the keys kept in a shared store
     * @param links  the redirector's settings ({@code tollgate-links.properties}), or null when absent
     */
    public static LinkKeyRings create(StateStore state, boolean shared, RecordSealer sealer, ClickRedirector.Config links) {
        return new LinkKeyRings(shared ? state : null, sealer,
                links == null ? ClickRedirector.Config.DEFAULT_KEY_REFRESH : links.keyRefresh(),
                links == null ? ClickRedirector.Config.DEFAULT_TOKEN_MAX_AGE : links.tokenMaxAge(),
                links == null ? null : links.keyFile(), links == null || links.createKeyFile());
    }

    /**
     * @param parameter names the key file parameter in errors
     * @param keyFile   the component's key file (read with the file backend only)
     * @param create    whether an empty ring gets a generated key
     * @throws ConfigException naming {@code parameter} when the ring cannot be read
     */
    public synchronized LinkKeyRing ring(String parameter, Path keyFile, boolean create) {
        try {
            if (shared != null) {
                if (sharedRing == null) {
                    sharedRing = LinkKeyRing.open(shared.linkKeys(), "state store " + shared.describe(), sealing(),
                            create, refresh, Clock.systemUTC());
                }
                return sharedRing;
            }
            Path file = keyFile.toAbsolutePath().normalize();
            LinkKeyRing ring = files.get(file);
            if (ring == null) {
                ring = LinkKeyRing.open(FileLinkKeyStore.of(file), "link key file " + file, LinkKeyRing.Protection.CLEAR,
                        create, refresh, Clock.systemUTC());
                files.put(file, ring);
            }
            return ring;
        } catch (StateException e) {
            throw new ConfigException(parameter, e.getMessage(), e);
        }
    }

    /**
     * @return the redirector's ring ({@code keyFile} of {@code tollgate-links.properties}), for rotation
     * @throws IllegalStateException when there is no {@code tollgate-links.properties} and the backend is file
     */
    public LinkKeyRing defaultRing() {
        if (shared == null && defaultKeyFile == null) {
            throw new IllegalStateException("no conf/" + ClickRedirectorStartable.CONFIGURATION + ".properties names the key file");
        }
        return ring("keyFile", defaultKeyFile == null ? Path.of(".") : defaultKeyFile, defaultCreate);
    }

    /** @return the redirector's token lifetime: keys superseded longer ago are removed at rotation */
    public Duration tokenMaxAge() {
        return tokenMaxAge;
    }

    private LinkKeyRing.Protection sealing() {
        return new LinkKeyRing.Protection() {
            @Override
            public byte[] seal(String id, byte[] key) throws Exception {
                return sealer.sealBytes("link-key:" + id, key);
            }

            @Override
            public byte[] open(String id, byte[] material) throws Exception {
                return sealer.openBytes("link-key:" + id, material);
            }
        };
    }

    @Override
    public String toString() {
        return "LinkKeyRings[" + (shared == null ? "key files" : shared.describe()) + "]";
    }
}
