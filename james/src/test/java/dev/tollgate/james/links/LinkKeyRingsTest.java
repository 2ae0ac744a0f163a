package dev.tollgate.james.links;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.links.LinkKeyRing;
import dev.tollgate.core.links.LinkKeys;
import dev.tollgate.core.mfa.RecordSealer;
import dev.tollgate.core.state.StoredLinkKey;
import dev.tollgate.core.state.memory.InMemoryStateStore;

class LinkKeyRingsTest {
    @TempDir
    Path dir;

    final RecordSealer sealer = new RecordSealer(new byte[32]);

    @Test
    void withTheFileBackendTheKeyFileIsTheRingAndOneFileIsOneRing() throws Exception {
        InMemoryStateStore state = InMemoryStateStore.create();
        LinkKeyRings rings = LinkKeyRings.create(state, false, sealer, null);
        Path file = dir.resolve("tollgate-links.keys");
        LinkKeyRing mailet = rings.ring("keyFile", file, true);
        assertThat(rings.ring("keyFile", dir.resolve(".").resolve("tollgate-links.keys"), false)).isSameAs(mailet);
        assertThat(file).exists();
        String token = mailet.signer(Duration.ZERO).sign("https://example.com/", "", "");
        assertThat(LinkKeys.load("keyFile", file, false, Duration.ZERO, java.time.Clock.systemUTC()).verify(token).isValid())
                .as("the key file keeps its format").isTrue();
        assertThat(state.linkKeys().keys()).as("the state store is not used").isEmpty();
        assertThatThrownBy(() -> rings.ring("keyFile", dir.resolve("missing.keys"), false))
                .isInstanceOf(ConfigException.class).hasMessageContaining("keyFile").hasMessageContaining("missing.keys");
    }

    @Test
    void withASharedBackendEveryComponentUsesTheStoresRingSealed() throws Exception {
        InMemoryStateStore state = InMemoryStateStore.create();
        LinkKeyRings rings = LinkKeyRings.create(state, true, sealer, null);
        LinkKeyRing ring = rings.ring("keyFile", dir.resolve("a.keys"), true);
        assertThat(rings.ring("keyFile", dir.resolve("b.keys"), true)).isSameAs(ring);
        assertThat(rings.defaultRing()).isSameAs(ring);
        assertThat(dir.resolve("a.keys")).doesNotExist();
        StoredLinkKey stored = state.linkKeys().keys().get(0);
        assertThat(sealer.openBytes("link-key:" + stored.id(), stored.material())).hasSize(32);
        assertThat(stored.material()).hasSize(4 + 12 + 32 + 16);
        assertThat(Files.list(dir)).isEmpty();
    }
}
