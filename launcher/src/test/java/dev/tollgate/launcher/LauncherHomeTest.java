package dev.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the launcher lays out James's home from the repository's {@code conf/} on every start. */
class LauncherHomeTest {
    private static final Path CONF = Paths.get("..", "conf");

    @TempDir
    Path tmp;

    private Path emptyBundle() throws IOException {
        Path bundle = tmp.resolve("bundle.zip");
        try (OutputStream out = Files.newOutputStream(bundle); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.finish();
        }
        return bundle;
    }

    @Test
    void generatedSecretsSurviveARestartAndTheRestOfConfIsCopiedAgain() throws IOException {
        Path home = tmp.resolve("home");
        Launcher.prepareHome(CONF, emptyBundle(), home, 20000);
        Files.writeString(home.resolve("conf/tollgate-mfa.key"), "mfa-key-bytes", StandardCharsets.UTF_8);
        Files.writeString(home.resolve("conf/tollgate-links.keys"), "k1=secret", StandardCharsets.UTF_8);
        Files.writeString(home.resolve("conf/smtpserver.xml"), "edited by hand", StandardCharsets.UTF_8);

        Launcher.prepareHome(CONF, emptyBundle(), home, 20000);

        assertThat(home.resolve("conf/tollgate-mfa.key")).hasContent("mfa-key-bytes");
        assertThat(home.resolve("conf/tollgate-links.keys")).hasContent("k1=secret");
        for (String secret : Launcher.GENERATED_SECRETS) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("conf").resolve(secret))))
                    .as(secret).isEqualTo("rw-------");
        }
        assertThat(Files.readString(home.resolve("conf/smtpserver.xml"), StandardCharsets.UTF_8))
                .doesNotContain("edited by hand").contains("<smtpservers>");
    }

    @Test
    void aFirstStartHasNoSecretsToKeep() throws IOException {
        Path home = tmp.resolve("fresh");

        Launcher.prepareHome(CONF, emptyBundle(), home, 20000);

        for (String secret : Launcher.GENERATED_SECRETS) {
            assertThat(home.resolve("conf").resolve(secret)).doesNotExist();
        }
    }
}
