package dev.tollgate.core.state;

import static org.assertj.core.api.Assertions.assertThat;

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
    void aNameThatIsNotARecordNameIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.records().put("../escape", new byte[1]))
                .isInstanceOf(StateException.class);
    }
}
