package dev.tollgate.core.state.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.locks.Lock;

import com.google.common.util.concurrent.Striped;

import dev.tollgate.core.state.LinkKeyStore;
import dev.tollgate.core.state.StateException;
import dev.tollgate.core.state.StoredLinkKey;

/**
 * {@link LinkKeyStore} of one node: the link key file ({@code keyFile} of {@code tollgate-links.properties}), in the
 * format it has always had, so existing files are read as they are.
 *
 * <p>Format: UTF-8 text, one key per line written {@code keyId:base64key}; blank lines and lines starting with
 * {@code #} are ignored. The <b>first</b> key signs, further keys only verify. A comment line
 * {@code # created <ISO-8601 instant>} right before a key line records that key's creation time; a key without one
 * is dated by the file's modification time, one millisecond earlier per line, so the file order stays the
 * newest-first order. {@link #add} writes the new key first; writes replace the file atomically (temporary file,
 * forced to disk, moved over it) with owner-only permissions, serialised in this JVM and across processes by a
 * lock file {@code <keyFile>.lock}. The material is the key bytes. Thread-safe.
 */
public final class FileLinkKeyStore implements LinkKeyStore {
    private static final long MAX_FILE_BYTES = 64 * 1024;
    private static final String CREATED = "# created ";
    private static final Striped<Lock> LOCKS = Striped.lock(16);

    private final Path file;

    private FileLinkKeyStore(Path file) {
        this.file = file.toAbsolutePath();
    }

    /** @param file the key file (need not exist yet: it is then an empty ring) */
    public static FileLinkKeyStore of(Path file) {
        return new FileLinkKeyStore(file);
    }

    /** @return the key file */
    public Path file() {
        return file;
    }

    @Override
    public List<StoredLinkKey> keys() throws StateException {
        final List<String> lines;
        final Instant modified;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new StateException("link key file " + file + " is larger than " + MAX_FILE_BYTES + " bytes");
            }
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            modified = Files.getLastModifiedTime(file).toInstant();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new StateException("cannot read link key file " + file + ": " + e.getMessage(), e);
        }
        List<StoredLinkKey> keys = new ArrayList<>();
        Instant created = null;
        int n = 0;
        for (String line : lines) {
            n++;
            String l = line.strip();
            if (l.startsWith(CREATED.strip() + " ")) {
                try {
                    created = Instant.parse(l.substring(CREATED.length()).strip());
                } catch (DateTimeParseException e) {
                    created = null;
                }
                continue;
            }
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int colon = l.indexOf(':');
            if (colon <= 0 || colon == l.length() - 1) {
                throw new StateException("link key file " + file + " line " + n + " must be written keyId:base64key");
            }
            String id = l.substring(0, colon).strip();
            byte[] key;
            try {
                key = Base64.getDecoder().decode(l.substring(colon + 1).strip().replace('-', '+').replace('_', '/'));
            } catch (IllegalArgumentException e) {
                throw new StateException("link key file " + file + " line " + n + ": the key is not valid base64");
            }
            try {
                keys.add(new StoredLinkKey(id, created != null ? created : modified.minusMillis(keys.size()), key));
            } catch (IllegalArgumentException e) {
                throw new StateException("link key file " + file + " line " + n + ": " + e.getMessage());
            }
            created = null;
        }
        return keys;
    }

    @Override
    public boolean add(StoredLinkKey key) throws StateException {
        return update(keys -> {
            if (keys.stream().anyMatch(k -> k.id().equals(key.id()))) {
                return false;
            }
            keys.add(0, key);
            return true;
        });
    }

    @Override
    public boolean remove(String id) throws StateException {
        return update(keys -> keys.removeIf(k -> k.id().equals(id)));
    }

    private interface Change {
        boolean apply(List<StoredLinkKey> keys);
    }

    private boolean update(Change change) throws StateException {
        Lock lock = LOCKS.get(file.toString());
        lock.lock();
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel lockChannel = FileChannel.open(file.resolveSibling(file.getFileName() + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock ignored = lockChannel.lock()) {
                List<StoredLinkKey> keys = new ArrayList<>(keys());
                if (!change.apply(keys)) {
                    return false;
                }
                write(keys);
                return true;
            }
        } catch (IOException e) {
            throw new StateException("cannot write link key file " + file + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    private void write(List<StoredLinkKey> keys) throws IOException {
        StringBuilder text = new StringBuilder(
                "# Tollgate link token keys: first line signs, further lines only verify. Keep secret.\n");
        for (StoredLinkKey k : keys) {
            text.append(CREATED).append(k.created()).append('\n')
                    .append(k.id()).append(':').append(Base64.getEncoder().encodeToString(k.material())).append('\n');
        }
        Path dir = file.getParent();
        Path tmp;
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            tmp = Files.createTempFile(dir, ".tollgate-keys", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            tmp = Files.createTempFile(dir, ".tollgate-keys", ".tmp");
        }
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public String toString() {
        return "FileLinkKeyStore[" + file + "]";
    }
}
