package dev.tollgate.core.mfa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tollgate.core.config.ConfigException;

class StoreKeyFileTest {
    @TempDir
    Path dir;

    @Test
    void generatesAnOwnerOnlyKeyOnceAndReadsItBack() throws Exception {
        Path file = dir.resolve("conf/tollgate-mfa.key");
        byte[] first = StoreKeyFile.loadOrCreate(file, true);
        assertThat(first).hasSize(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(StoreKeyFile.loadOrCreate(file, true)).isEqualTo(first);
    }

    @Test
    void missingKeyWithoutGenerationFailsClosed() {
        assertThatThrownBy(() -> StoreKeyFile.loadOrCreate(dir.resolve("absent.key"), false))
                .isInstanceOf(ConfigException.class).hasMessageContaining("store.keyFile");
    }

    @Test
    void worldReadableKeyIsRefused() throws Exception {
        Path file = dir.resolve("open.key");
        StoreKeyFile.loadOrCreate(file, true);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> StoreKeyFile.loadOrCreate(file, true)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("chmod 600");
    }

    @Test
    void garbageKeyIsRefusedWithoutQuotingIt() throws Exception {
        Path file = dir.resolve("bad.key");
        Files.writeString(file, "c2VjcmV0LXRvby1zaG9ydA==");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> StoreKeyFile.loadOrCreate(file, true)).isInstanceOf(ConfigException.class)
                .hasMessageNotContaining("c2VjcmV0");
    }
}
