package dev.tollgate.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tollgate.core.state.file.FileStateStore;
import dev.tollgate.core.state.memory.InMemoryFailureLog;
import dev.tollgate.core.state.memory.InMemoryMtaStsPolicies;
import dev.tollgate.core.state.memory.InMemoryTlsRptCounters;

class FileStateStoreTest extends StateStoreContract {
    @TempDir
    Path dir;

    /** Authentication failures stay in one node's memory, as before; two stores model one node twice. */
    private final InMemoryFailureLog failures = InMemoryFailureLog.create();
    /** So are the MTA-STS cache and the TLS-RPT counts. */
    private final InMemoryMtaStsPolicies mtaSts = InMemoryMtaStsPolicies.create();
    private final InMemoryTlsRptCounters tlsRpt = InMemoryTlsRptCounters.create();

    @Override
    protected StateStore newStore() throws Exception {
        return FileStateStore.open(dir, failures, mtaSts, tlsRpt);
    }

    @Override
    protected StateStore otherNode(StateStore first) throws Exception {
        return FileStateStore.open(dir, failures, mtaSts, tlsRpt);
    }

    @Test
    void theWatermarkIsAFileOfEightBytesBesideTheRecord() throws Exception {
        String n = name();
        store.watermarks().advance(n, 0x0102030405L);
        assertThat(Files.readAllBytes(dir.resolve(n + ".step"))).containsExactly(0, 0, 0, 1, 2, 3, 4, 5);
    }

    @Test
    void anExistingLinkKeyFileIsReadAsItIsAndStaysReadableByTheOldLoaderAfterAnAdd() throws Exception {
        java.nio.file.Path keys = dir.resolve("tollgate-links.keys");
        String k1 = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        byte[] two = new byte[32];
        two[0] = 2;
        String k2 = java.util.Base64.getEncoder().encodeToString(two);
        Files.writeString(keys, "# hand-written\nnew:" + k2 + "\n\nold:" + k1 + "\n");
        StateStore s = ((FileStateStore) store).withLinkKeyFile(keys);
        java.util.List<StoredLinkKey> read = s.linkKeys().keys();
        assertThat(read).extracting(StoredLinkKey::id).containsExactly("new", "old");
        assertThat(read.get(0).material()).isEqualTo(two);
        assertThat(read.get(0).created()).isAfter(read.get(1).created());
        byte[] three = new byte[32];
        three[0] = 3;
        java.time.Instant created = java.time.Instant.parse("2026-12-01T10:00:00Z");
        assertThat(s.linkKeys().add(new StoredLinkKey("newest", created, three))).isTrue();
        assertThat(s.linkKeys().keys()).extracting(StoredLinkKey::id).containsExactly("newest", "new", "old");
        assertThat(s.linkKeys().keys().get(0).created()).isEqualTo(created);
        dev.tollgate.core.links.LinkTokenSigner old = dev.tollgate.core.links.LinkKeys.load("keyFile", keys, false,
                java.time.Duration.ZERO, java.time.Clock.systemUTC());
        assertThat(old.signingKeyId()).isEqualTo("newest");
        if (java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(keys)))
                    .isEqualTo("rw-------");
        }
    }

    @Test
    void aNameThatIsNotARecordNameIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.records().put("../escape", new byte[1]))
                .isInstanceOf(StateException.class);
    }

    @Test
    void aDirectoryThatIsGoneFailsEveryCallUntilItIsBack() throws Exception {
        String n = name();
        store.records().put(n, new byte[] {1, 2, 3});
        String absent = name();
        Path away = dir.resolveSibling(dir.getFileName() + ".away");
        Files.move(dir, away);
        try {
            assertThatThrownBy(() -> store.records().get(n)).isInstanceOf(StateException.class)
                    .hasMessageContaining("is missing");
            assertThatThrownBy(() -> store.records().get(absent)).isInstanceOf(StateException.class);
            assertThatThrownBy(() -> store.watermarks().current(n)).isInstanceOf(StateException.class);
            assertThatThrownBy(() -> store.watermarks().advance(n, 7)).isInstanceOf(StateException.class);
            assertThatThrownBy(() -> store.records().put(absent, new byte[] {4})).isInstanceOf(StateException.class);
        } finally {
            Files.move(away, dir);
        }
        assertThat(store.records().get(n).orElseThrow()).containsExactly(1, 2, 3);
        assertThat(store.records().get(absent)).isEmpty();
        assertThat(store.watermarks().advance(n, 7)).isTrue();
    }

    @Test
    void anEmptyDirectoryInPlaceOfTheStoreFailsEveryCallUntilTheStoreIsBack() throws Exception {
        String n = name();
        store.records().put(n, new byte[] {1, 2, 3});
        String absent = name();
        Path away = dir.resolveSibling(dir.getFileName() + ".away");
        Files.move(dir, away);
        Files.createDirectory(dir);
        try {
            // An empty volume mounted over the store must not read as "nobody is enrolled".
            assertThatThrownBy(() -> store.records().get(n)).isInstanceOf(StateException.class)
                    .hasMessageContaining(".tollgate-state");
            assertThatThrownBy(() -> store.records().get(absent)).isInstanceOf(StateException.class);
            assertThatThrownBy(() -> store.records().names()).isInstanceOf(StateException.class);
            assertThatThrownBy(() -> store.watermarks().current(n)).isInstanceOf(StateException.class);
            assertThatThrownBy(() -> store.records().put(absent, new byte[] {4})).isInstanceOf(StateException.class);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
            Files.move(away, dir);
        }
        assertThat(store.records().get(n).orElseThrow()).containsExactly(1, 2, 3);
        assertThat(store.records().get(absent)).isEmpty();
    }
}
