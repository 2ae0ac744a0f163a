package dev.tollgate.core.links;

import dev.tollgate.core.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.core.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostListTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);

    private Path write(String name, String content, Instant modified) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        Files.setLastModifiedTime(file, FileTime.from(modified));
        return file;
    }

    @Test
    void readsPatternsCommentsAndBlankLines() throws IOException {
        Path file = dir.resolve("block.txt");
        try (InputStream in = getClass().getResourceAsStream("/links/blocklist.txt")) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        HostList list = HostList.load("blockList", file, Duration.ofSeconds(60), clock);
        assertThat(list.matches("phish.test")).isTrue();
        assertThat(list.matches("a.b.malware.test")).isTrue();
        assertThat(list.matches("malware.test")).isFalse();
        assertThat(list.matches("xn--bcher-kva.test")).isTrue();
        assertThat(list.matches("inline.test")).isTrue();
        assertThat(list.matches("commented.test")).isFalse();
        assertThat(list.patterns().patterns()).hasSize(4);
    }

    @Test
    void reloadsWhenModifiedButChecksAtMostEveryInterval() throws IOException {
        Path file = write("l.txt", "one.test\n", T0.minusSeconds(3600));
        HostList list = HostList.load("blockList", file, Duration.ofSeconds(60), clock);
        assertThat(list.matches("one.test")).isTrue();

        write("l.txt", "two.test\n", T0.minusSeconds(1800));
        clock.advance(Duration.ofSeconds(59));
        assertThat(list.matches("one.test")).as("interval not elapsed yet").isTrue();
        assertThat(list.matches("two.test")).isFalse();

        clock.advance(Duration.ofSeconds(1));
        assertThat(list.matches("two.test")).isTrue();
        assertThat(list.matches("one.test")).isFalse();
    }

    @Test
    void unchangedModificationTimeMeansNoReload() throws IOException {
        Path file = write("l.txt", "one.test\n", T0.minusSeconds(3600));
        HostList list = HostList.load("blockList", file, Duration.ofSeconds(10), clock);
        write("l.txt", "two.test\n", T0.minusSeconds(3600)); // same mtime
        clock.advance(Duration.ofMinutes(5));
        assertThat(list.matches("one.test")).isTrue();
        assertThat(list.matches("two.test")).isFalse();
    }

    @Test
    void badReloadKeepsThePreviousList() throws IOException {
        Path file = write("l.txt", "one.test\n", T0.minusSeconds(3600));
        HostList list = HostList.load("blockList", file, Duration.ofSeconds(10), clock);
        write("l.txt", "ok.test\nbad*pattern.test\n", T0.minusSeconds(60));
        clock.advance(Duration.ofSeconds(10));
        assertThat(list.matches("one.test")).isTrue();
        assertThat(list.matches("ok.test")).isFalse();
        Files.delete(file);
        clock.advance(Duration.ofSeconds(10));
        assertThat(list.matches("one.test")).isTrue();
    }

    @Test
    void initialLoadErrorsNameTheParameterAndLine() throws IOException {
        Path file = write("l.txt", "# header\nok.test\nnot a host\n", T0);
        assertThatThrownBy(() -> HostList.load("blockList", file, Duration.ofSeconds(10), clock))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("blockList").hasMessageContaining("line 3");
        assertThatThrownBy(() -> HostList.load("allowList", dir.resolve("missing.txt"), Duration.ZERO, clock))
                .isInstanceOf(ConfigException.class).hasMessageContaining("allowList");
    }

    @Test
    void worksAsScannerAllowList() throws IOException {
        Path file = write("allow.txt", "*.partner.test\n", T0);
        HostList allow = HostList.load("allowList", file, Duration.ofSeconds(60), clock);
        LinkScanner scanner = LinkScanner.builder().defaultChecks().allowList(allow).build();
        assertThat(scanner.scan("http://10.0.0.1/").level()).isEqualTo(LinkVerdict.Level.SUSPICIOUS);
        assertThat(scanner.scan("http://www.partner.test/", "http://elsewhere.test/").reasons())
                .containsExactly(LinkVerdict.Reason.ALLOWLISTED);
    }
}
