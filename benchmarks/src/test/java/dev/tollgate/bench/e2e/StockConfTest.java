package dev.tollgate.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A's configuration is the distribution's, copied, with JMAP off unless asked to keep it. */
class StockConfTest {
    @TempDir
    Path dir;

    private Path distribution() throws Exception {
        Path conf = Files.createDirectories(dir.resolve("dist/conf"));
        Files.writeString(conf.resolve("jmap.properties"), "# JMAP\nenabled=true\n\ntls.secret=x\n", StandardCharsets.UTF_8);
        Files.writeString(conf.resolve("smtpserver.xml"), "<smtpservers/>\n", StandardCharsets.UTF_8);
        Files.createDirectories(conf.resolve("sub"));
        Files.writeString(conf.resolve("sub/file.txt"), "kept\n", StandardCharsets.UTF_8);
        return conf;
    }

    @Test
    void jmapIsTurnedOffInTheCopyAndTheRestIsCopiedAsItIs() throws Exception {
        Path dist = distribution();
        Path copy = EndToEndLoad.stockConf(dist, dir.resolve("conf-a"), false);

        assertThat(Files.readString(copy.resolve("jmap.properties"))).isEqualTo("# JMAP\nenabled=false\n\ntls.secret=x\n");
        assertThat(Files.readString(copy.resolve("smtpserver.xml"))).isEqualTo("<smtpservers/>\n");
        assertThat(Files.readString(copy.resolve("sub/file.txt"))).isEqualTo("kept\n");
        assertThat(Files.readString(dist.resolve("jmap.properties"))).contains("enabled=true");
    }

    @Test
    void keepingJmapCopiesItUnchangedAndAnEarlierCopyIsReplaced() throws Exception {
        Path dist = distribution();
        Path target = dir.resolve("conf-a");
        EndToEndLoad.stockConf(dist, target, false);
        Files.writeString(target.resolve("stale.txt"), "from an earlier run", StandardCharsets.UTF_8);

        EndToEndLoad.stockConf(dist, target, true);

        assertThat(Files.readString(target.resolve("jmap.properties"))).contains("enabled=true");
        assertThat(target.resolve("stale.txt")).doesNotExist();
    }

    @Test
    void aDistributionWithoutTheJmapSwitchIsRefused() throws Exception {
        Path dist = distribution();
        Files.writeString(dist.resolve("jmap.properties"), "tls.secret=x\n", StandardCharsets.UTF_8);

        assertThatThrownBy(() -> EndToEndLoad.stockConf(dist, dir.resolve("conf-a"), false))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("enabled=true");
    }
}
