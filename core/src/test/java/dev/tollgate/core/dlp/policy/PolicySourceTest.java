package dev.tollgate.core.dlp.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tollgate.core.testing.MutableClock;

class PolicySourceTest {
    @Test
    void reloadsOnChangeAndKeepsTheOldPolicyWhenTheNewOneIsBroken(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("dlp.xml");
        Files.writeString(f, "<dlp-policy><rule id='one' detectors='iban' action='tag'/></dlp-policy>");
        Files.setLastModifiedTime(f, FileTime.from(Instant.parse("2026-01-01T00:00:00Z")));
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        PolicySource s = PolicySource.load(f, PolicyParser.withBuiltInDetectors(), Duration.ofSeconds(5), clock);
        assertThat(s.current().rules()).extracting(PolicyRule::id).containsExactly("one");

        Files.writeString(f, "<dlp-policy><rule id='two' detectors='iban' action='reject'/></dlp-policy>");
        Files.setLastModifiedTime(f, FileTime.from(Instant.parse("2026-01-01T00:01:00Z")));
        assertThat(s.current().rules()).extracting(PolicyRule::id).as("not checked before the interval").containsExactly("one");
        clock.advance(Duration.ofSeconds(6));
        assertThat(s.current().rules()).extracting(PolicyRule::id).containsExactly("two");

        Files.writeString(f, "<dlp-policy><rule id='three' detectors='iban' action='explode'/></dlp-policy>");
        Files.setLastModifiedTime(f, FileTime.from(Instant.parse("2026-01-01T00:02:00Z")));
        clock.advance(Duration.ofSeconds(6));
        assertThat(s.current().rules()).extracting(PolicyRule::id).containsExactly("two");

        Files.writeString(f, "<dlp-policy><rule id='four' detectors='iban' action='notify'/></dlp-policy>");
        Files.setLastModifiedTime(f, FileTime.from(Instant.parse("2026-01-01T00:03:00Z")));
        clock.advance(Duration.ofSeconds(6));
        assertThat(s.current().rules()).extracting(PolicyRule::id).containsExactly("four");
    }

    @Test
    void aBrokenFileAtStartupFailsWithFileAndLine(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("dlp.xml");
        Files.writeString(f, "<dlp-policy>\n  <rule id='x' detectors='iban'/>\n</dlp-policy>");
        assertThatThrownBy(() -> PolicySource.load(f, PolicyParser.withBuiltInDetectors(), Duration.ofSeconds(5),
                new MutableClock(Instant.EPOCH))).isInstanceOf(PolicyException.class)
                .hasMessage(f + ":2: <rule> needs attribute 'action'");
    }
}
