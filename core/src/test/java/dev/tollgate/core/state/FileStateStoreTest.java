package dev.tollgate.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tollgate.core.state.file.FileStateStore;
import dev.tollgate.core.state.memory.InMemoryFailureLog;

class FileStateStoreTest extends StateStoreContract {
    @TempDir
    Path dir;

    /** Authentication failures stay in one node's memory, as before; two stores model one node twice. */
    private final InMemoryFailureLog failures = InMemoryFailureLog.create();

    @Override
    protected StateStore newStore() throws Exception {
        return FileStateStore.open(dir, failures);
    }

    @Override
    protected StateStore otherNode(StateStore first) throws Exception {
        return FileStateStore.open(dir, failures);
    }

    @Test
    void theWatermarkIsAFileOfEightBytesBesideTheRecord() throws Exception {
        String n = name();
        store.watermarks().advance(n, 0x0102030405L);
        assertThat(Files.readAllBytes(dir.resolve(n + ".step"))).containsExactly(0, 0, 0, 1, 2, 3, 4, 5);
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
}
