package dev.tollgate.james.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.server.core.configuration.Configuration;
import org.apache.james.server.core.filesystem.FileSystemImpl;
import org.apache.james.utils.PropertiesProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.inject.Guice;

import dev.tollgate.core.state.StateStore;

/** One store per process: MfaModule and TlsPolicyDelivery get the same instance from the same files. */
class SharedStateStoreTest {
    @TempDir
    Path home;

    private FileSystem fileSystem() {
        Configuration.Basic configuration = Configuration.builder().workingDirectory(home.toFile()).build();
        return new FileSystemImpl(configuration.directories());
    }

    private PropertiesProvider properties() {
        Configuration.Basic configuration = Configuration.builder().workingDirectory(home.toFile()).build();
        return new PropertiesProvider(new FileSystemImpl(configuration.directories()), configuration.configurationPath());
    }

    private void conf(String name, String text) throws IOException {
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf").resolve(name), text, StandardCharsets.UTF_8);
    }

    @Test
    void withoutAStateFileEveryCallerSharesTheFileStoreOfTheMfaDirectory() throws Exception {
        conf("tollgate-mfa.properties", "store.directory=var/shared-test-mfa\n");
        StateStore first = SharedStateStore.get(properties(), fileSystem(), Guice.createInjector());
        StateStore second = SharedStateStore.get(properties(), fileSystem(), Guice.createInjector());
        assertThat(second).isSameAs(first);
        assertThat(first.describe()).isEqualTo("file:" + home.resolve("var/shared-test-mfa").toAbsolutePath().normalize());
        assertThat(first.tlsRptCounters().shared()).as("one node reports alone").isFalse();
    }

    @Test
    void aBadStateFileStopsStartupNamingTheFileAndTheParameter() throws Exception {
        conf("tollgate-state.properties", "backend=redis\n");
        assertThatThrownBy(() -> SharedStateStore.get(properties(), fileSystem(), Guice.createInjector()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("tollgate-state.properties: parameter 'backend'");
    }
}
