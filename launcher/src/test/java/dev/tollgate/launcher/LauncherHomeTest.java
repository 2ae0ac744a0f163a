package dev.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
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

    @Test
    void everyListenerOfTheShippedConfIsMovedToLoopbackOnThePortBase() throws IOException {
        Path home = tmp.resolve("home");

        Launcher.prepareHome(CONF, emptyBundle(), home, 30000);

        assertThat(read(home, "webadmin.properties")).containsPattern("(?m)^host=127\\.0\\.0\\.1$")
                .containsPattern("(?m)^port=38000$").doesNotContainPattern("(?m)^(host=0|port=8000)");
        assertThat(read(home, "tollgate-links.properties")).containsPattern("(?m)^bindAddress=127\\.0\\.0\\.1$")
                .containsPattern("(?m)^port=38480$");
        assertThat(read(home, "tollgate-selfservice.properties")).containsPattern("(?m)^bind=127\\.0\\.0\\.1$")
                .containsPattern("(?m)^port=38443$").doesNotContainPattern("(?m)^(bind=0|port=8443)");
        String mailets = read(home, "mailetcontainer.xml");
        assertThat(mailets.split("<redirectorUrl>http://127.0.0.1:38480</redirectorUrl>", -1))
                .as("RewriteLinks in transport and in dlp-released").hasSize(3);
        assertThat(mailets).doesNotContain("http://localhost:8480");
        assertThat(read(home, "smtpserver.xml")).contains("<bind>127.0.0.1:30025</bind>", "<bind>127.0.0.1:30465</bind>",
                "<bind>127.0.0.1:30587</bind>").doesNotContain("0.0.0.0:");
        assertThat(read(home, "imapserver.xml")).contains("<bind>127.0.0.1:30143</bind>", "<bind>127.0.0.1:30993</bind>");
    }

    @Test
    void aPropertyTheLauncherCannotFindStopsItNamingTheFileAndTheKey() throws IOException {
        Path conf = copyOfConf();
        edit(conf, "webadmin.properties", "host=127.0.0.1", "host = 127.0.0.1");

        assertThatThrownBy(() -> Launcher.prepareHome(conf, emptyBundle(), tmp.resolve("home"), 20000))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("webadmin.properties: cannot find a line host=... to change it to host=127.0.0.1")
                .hasMessageContaining("--conf directory");
    }

    @Test
    void aRedirectorUrlTheLauncherCannotFindStopsItNamingTheFileAndTheText() throws IOException {
        Path conf = copyOfConf();
        edit(conf, "mailetcontainer.xml", "<redirectorUrl>http://localhost:8480</redirectorUrl>",
                "<redirectorUrl>\n  http://localhost:8480\n</redirectorUrl>");

        assertThatThrownBy(() -> Launcher.prepareHome(conf, emptyBundle(), tmp.resolve("home"), 20000))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("mailetcontainer.xml: cannot find <redirectorUrl>http://localhost:8480</redirectorUrl>"
                        + " to change it to <redirectorUrl>http://127.0.0.1:28480</redirectorUrl>");
    }

    @Test
    void aServerFileWithoutBindStopsIt() throws IOException {
        Path conf = copyOfConf();
        Files.writeString(conf.resolve("imapserver.xml"), "<imapservers/>\n", StandardCharsets.UTF_8);

        assertThatThrownBy(() -> Launcher.prepareHome(conf, emptyBundle(), tmp.resolve("home"), 20000))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("imapserver.xml: cannot find a <bind>host:port</bind> element");
    }

    @Test
    void withoutABundleExtensionsJarsStaysEmptyAndAnEnabledJmapAndJmxAreMovedToo() throws IOException {
        // A configuration shaped like James's distribution one: JMAP and JMX on, no Tollgate files.
        Path conf = Files.createDirectories(tmp.resolve("stock"));
        Files.writeString(conf.resolve("smtpserver.xml"),
                "<smtpservers><smtpserver><bind>0.0.0.0:587</bind></smtpserver></smtpservers>\n", StandardCharsets.UTF_8);
        Files.writeString(conf.resolve("imapserver.xml"),
                "<imapservers><imapserver><bind>0.0.0.0:993</bind></imapserver></imapservers>\n", StandardCharsets.UTF_8);
        Files.writeString(conf.resolve("webadmin.properties"), "enabled=true\nport=8000\nhost=localhost\n",
                StandardCharsets.UTF_8);
        Files.writeString(conf.resolve("jmap.properties"), "enabled=true\ntls.secret=x\n", StandardCharsets.UTF_8);
        Files.writeString(conf.resolve("jmx.properties"), "jmx.enabled=true\njmx.address=0.0.0.0\njmx.port=9999\n",
                StandardCharsets.UTF_8);
        Path home = tmp.resolve("home");

        Launcher.prepareHome(conf, null, home, 30000);

        assertThat(home.resolve("extensions-jars")).isEmptyDirectory();
        assertThat(read(home, "jmap.properties")).containsPattern("(?m)^jmap\\.port=30080$").contains("tls.secret=x");
        assertThat(read(home, "jmx.properties")).containsPattern("(?m)^jmx\\.port=39999$")
                .containsPattern("(?m)^jmx\\.address=127\\.0\\.0\\.1$").doesNotContainPattern("(?m)^jmx\\.(port=9999|address=0)");
        assertThat(read(home, "webadmin.properties")).containsPattern("(?m)^port=38000$");
        assertThat(read(home, "smtpserver.xml")).contains("<bind>127.0.0.1:30587</bind>");
    }

    @Test
    void tollgatesConfKeepsJmapAndJmxOff() throws IOException {
        Path home = tmp.resolve("home");

        Launcher.prepareHome(CONF, emptyBundle(), home, 30000);

        assertThat(read(home, "jmap.properties")).doesNotContain("jmap.port");
        assertThat(read(home, "jmx.properties")).doesNotContain("jmx.port");
    }

    private static String read(Path home, String name) throws IOException {
        return Files.readString(home.resolve("conf").resolve(name), StandardCharsets.UTF_8);
    }

    private Path copyOfConf() throws IOException {
        Path copy = Files.createDirectories(tmp.resolve("conf"));
        try (Stream<Path> files = Files.list(CONF)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(file)) {
                    Files.copy(file, copy.resolve(file.getFileName()));
                }
            }
        }
        return copy;
    }

    private static void edit(Path conf, String name, String target, String replacement) throws IOException {
        String text = Files.readString(conf.resolve(name), StandardCharsets.UTF_8);
        assertThat(text).as(name).contains(target);
        Files.writeString(conf.resolve(name), text.replace(target, replacement), StandardCharsets.UTF_8);
    }
}
