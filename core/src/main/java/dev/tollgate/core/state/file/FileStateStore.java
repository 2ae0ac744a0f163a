package dev.tollgate.core.state.file;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.locks.Lock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.util.concurrent.Striped;

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
import dev.tollgate.core.state.memory.InMemoryFailureLog;
import dev.tollgate.core.state.memory.InMemoryMtaStsPolicies;
import dev.tollgate.core.state.memory.InMemoryTlsRptCounters;

/**
 * {@link StateStore} of one node: the single-node default. In one directory (created with owner-only permissions):
 * <ul>
 *   <li>{@code <name>} (a record name, {@code <hex>.mfa}): the sealed enrolment, byte for byte the format Tollgate
 *       has always written (so existing directories are read as they are);</li>
 *   <li>{@code <name>.step}: the replay watermark, 8 bytes big-endian;</li>
 *   <li>{@code <name>.used}: JSON {@code {"<id>": {"lastUsed": ISO-8601, "lastAddress": ...}}};</li>
 *   <li>{@code <name>.lock}: empty lock files of record writers.</li>
 * </ul>
 * Link keys live in the key file of link protection ({@link FileLinkKeyStore}, {@code keyFile} of
 * {@code tollgate-links.properties}), given with {@link #withLinkKeyFile}; without one, {@code links.keys} in the
 * directory.
 * Writes go to a temporary file, are forced to disk and moved over the target atomically; writers of one name are
 * serialised in this JVM by a striped lock (shared by every store of the JVM) and across processes by an exclusive {@link FileLock}. The watermark is
 * compared and set under that lock, so it is atomic across processes sharing the directory on one machine.
 * Authentication failures are kept in memory ({@link InMemoryFailureLog}): a restart forgets them, as before; so
 * are the MTA-STS policy cache ({@link InMemoryMtaStsPolicies}) and the TLS-RPT counts ({@link InMemoryTlsRptCounters}).
 * A directory that disappears or is emptied after opening (unmounted, moved away, an empty volume mounted over it)
 * makes every call fail with {@link StateException}, never read as an empty store: opening writes a marker file
 * ({@value #MARKER}) and a missing record counts as absent only while the marker is there. Once the directory is
 * back, calls succeed again.
 * Thread-safe.
 */
public final class FileStateStore implements StateStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STEP = ".step";
    private static final String USED = ".used";
    /**
     * Written when the store is opened. A directory without it (emptied, or replaced by an empty mount point while
     * James runs) fails every call: read as an empty store, it would make every user look unenrolled.
     */
    static final String MARKER = ".tollgate-state";

    private final Path directory;
    private final FailureLog failures;
    /** The TLS delivery state of one node stays in memory, as it always did. */
    private volatile MtaStsPolicies mtaSts = InMemoryMtaStsPolicies.create();
    private volatile TlsRptCounters tlsRpt = InMemoryTlsRptCounters.create();
    /** Static: a file lock is held per JVM, so two stores over one directory in one JVM must share these. */
    private static final Striped<Lock> LOCKS = Striped.lock(256);

    private final FileLinkKeyStore linkKeys;

    private FileStateStore(Path directory, FailureLog failures, Path linkKeyFile) {
        this.directory = directory;
        this.failures = failures;
        this.linkKeys = FileLinkKeyStore.of(linkKeyFile);
    }

    /** @return a store over the same directory and failures whose link keys are in {@code file} */
    public FileStateStore withLinkKeyFile(Path file) {
        return new FileStateStore(directory, failures, file);
    }

    /**
     * Opens (creating if needed) a state directory.
     *
     * @param directory where the records live
     * @param failures  the failure log (in memory for a single node)
     * @throws StateException when the directory cannot be created or is not a directory
     */
    public static FileStateStore open(Path directory, FailureLog failures) throws StateException {
        try {
            if (!Files.isDirectory(directory)) {
                if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                    Files.createDirectories(directory,
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectories(directory);
                }
            }
            Path marker = directory.resolve(MARKER);
            if (!Files.isRegularFile(marker)) {
                Files.write(marker, "Tollgate state directory: records are read only while this file is here.\n"
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
        } catch (IOException e) {
            throw new StateException("cannot create state directory " + directory, e);
        }
        return new FileStateStore(directory, failures, directory.resolve("links.keys"));
    }

    /**
     * Opens a state directory whose TLS delivery state (in memory) is given, e.g. shared by two stores over one
     * directory in one process.
     *
     * @throws StateException as {@link #open(Path, FailureLog)}
     */
    public static FileStateStore open(Path directory, FailureLog failures, MtaStsPolicies mtaSts, TlsRptCounters tlsRpt)
            throws StateException {
        FileStateStore store = open(directory, failures);
        store.mtaSts = java.util.Objects.requireNonNull(mtaSts);
        store.tlsRpt = java.util.Objects.requireNonNull(tlsRpt);
        return store;
    }

    /** @return the directory */
    public Path directory() {
        return directory;
    }

    private interface IoAction<T> {
        T run() throws IOException, StateException;
    }

    private <T> T withLock(String name, IoAction<T> action) throws StateException {
        Lock lock = LOCKS.get(directory.toAbsolutePath().resolve(name).toString());
        lock.lock();
        try (FileChannel lockChannel = FileChannel.open(directory.resolve(name + ".lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock ignored = lockChannel.lock()) {
            return action.run();
        } catch (AtomicMoveNotSupportedException e) {
            throw new StateException("state directory " + directory + " does not support atomic moves", e);
        } catch (IOException e) {
            throw new StateException("cannot write " + name + " in state directory " + directory, e);
        } finally {
            lock.unlock();
        }
    }

    /** @throws StateException when the directory or its marker is gone (see {@link #MARKER}) */
    private void requireStore() throws StateException {
        if (!Files.isDirectory(directory)) {
            throw new StateException("state directory " + directory + " is missing");
        }
        if (!Files.isRegularFile(directory.resolve(MARKER))) {
            throw new StateException("state directory " + directory + " has lost its " + MARKER
                    + " file (emptied, or another volume mounted over it)");
        }
    }

    private void replace(String file, byte[] content) throws IOException {
        if (!Files.isRegularFile(directory.resolve(MARKER))) {
            throw new IOException("state directory " + directory + " has lost its " + MARKER + " file");
        }
        Path tmp = Files.createTempFile(directory, file, ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(tmp, directory.resolve(file), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private Optional<byte[]> read(String file) throws StateException {
        try (InputStream in = Files.newInputStream(directory.resolve(file))) {
            byte[] content = in.readNBytes(SealedRecords.MAX_RECORD_BYTES + 1);
            if (content.length > SealedRecords.MAX_RECORD_BYTES) {
                throw new StateException(file + " in state directory " + directory + " is larger than "
                        + SealedRecords.MAX_RECORD_BYTES + " bytes");
            }
            return Optional.of(content);
        } catch (NoSuchFileException e) {
            // A missing file is an absent record only while the store is there: with the directory gone or emptied
            // (unmounted, moved away) every user would read as not enrolled, and a password alone would pass.
            requireStore();
            return Optional.empty();
        } catch (IOException e) {
            throw new StateException("cannot read " + file + " in state directory " + directory, e);
        }
    }

    private static void checkName(String name) throws StateException {
        if (!SealedRecords.isValidName(name)) {
            throw new StateException("not a record name");
        }
    }

    private final SealedRecords records = new SealedRecords() {
        @Override
        public Optional<byte[]> get(String name) throws StateException {
            checkName(name);
            return read(name);
        }

        @Override
        public void put(String name, byte[] sealed) throws StateException {
            checkName(name);
            if (sealed.length > MAX_RECORD_BYTES) {
                throw new StateException("record " + name + " is larger than " + MAX_RECORD_BYTES + " bytes");
            }
            withLock(name, () -> {
                replace(name, sealed);
                return null;
            });
        }

        @Override
        public boolean delete(String name) throws StateException {
            checkName(name);
            return withLock(name, () -> Files.deleteIfExists(directory.resolve(name)));
        }

        @Override
        public List<String> names() throws StateException {
            List<String> names = new ArrayList<>();
            requireStore();
            try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.mfa")) {
                for (Path p : files) {
                    String n = p.getFileName().toString();
                    if (SealedRecords.isValidName(n)) {
                        names.add(n);
                    }
                }
            } catch (IOException e) {
                throw new StateException("cannot list state directory " + directory, e);
            }
            names.sort(null);
            return names;
        }
    };

    private final ReplayWatermarks watermarks = new ReplayWatermarks() {
        @Override
        public boolean advance(String key, long step) throws StateException {
            checkName(key);
            return withLock(key, () -> {
                OptionalLong current = readStep(key);
                if (current.isPresent() && current.getAsLong() >= step) {
                    return false;
                }
                replace(key + STEP, ByteBuffer.allocate(Long.BYTES).putLong(step).array());
                return true;
            });
        }

        @Override
        public OptionalLong current(String key) throws StateException {
            checkName(key);
            return readStep(key);
        }
    };

    private OptionalLong readStep(String key) throws StateException {
        Optional<byte[]> b = read(key + STEP);
        if (b.isEmpty()) {
            return OptionalLong.empty();
        }
        if (b.get().length != Long.BYTES) {
            throw new StateException(key + STEP + " in state directory " + directory + " is not 8 bytes");
        }
        return OptionalLong.of(ByteBuffer.wrap(b.get()).getLong());
    }

    private Map<String, AppPasswordUse> readUses(String key) throws StateException {
        Optional<byte[]> b = read(key + USED);
        Map<String, AppPasswordUse> out = new HashMap<>();
        if (b.isEmpty()) {
            return out;
        }
        try {
            JsonNode root = JSON.readTree(b.get());
            root.fields().forEachRemaining(f -> {
                JsonNode address = f.getValue().get("lastAddress");
                out.put(f.getKey(), new AppPasswordUse(Instant.parse(f.getValue().get("lastUsed").asText()),
                        address == null || address.isNull() ? null : address.asText()));
            });
        } catch (IOException | RuntimeException e) {
            throw new StateException(key + USED + " in state directory " + directory + " has invalid content");
        }
        return out;
    }

    private final AppPasswordUses uses = new AppPasswordUses() {
        @Override
        public void recordUse(String key, String id, Instant at, String address) throws StateException {
            checkName(key);
            withLock(key, () -> {
                Map<String, AppPasswordUse> all = readUses(key);
                AppPasswordUse old = all.get(id);
                if (old != null && old.lastUsed().isAfter(at)) {
                    return null;
                }
                all.put(id, new AppPasswordUse(at, address));
                ObjectNode root = JSON.createObjectNode();
                all.forEach((i, u) -> {
                    ObjectNode n = root.putObject(i);
                    n.put("lastUsed", u.lastUsed().toString());
                    n.put("lastAddress", u.lastAddress().orElse(null));
                });
                replace(key + USED, JSON.writeValueAsBytes(root));
                return null;
            });
        }

        @Override
        public Map<String, AppPasswordUse> uses(String key) throws StateException {
            checkName(key);
            return Map.copyOf(readUses(key));
        }

        @Override
        public void forget(String key) throws StateException {
            checkName(key);
            withLock(key, () -> Files.deleteIfExists(directory.resolve(key + USED)));
        }
    };

    @Override
    public SealedRecords records() {
        return records;
    }

    @Override
    public ReplayWatermarks watermarks() {
        return watermarks;
    }

    @Override
    public FailureLog failures() {
        return failures;
    }

    @Override
    public AppPasswordUses appPasswordUses() {
        return uses;
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
        return "file:" + directory;
    }

    @Override
    public void close() {
        // Nothing held open between calls.
    }

    @Override
    public String toString() {
        return "FileStateStore[" + directory + "]";
    }
}
