package dev.tollgate.core.dlp.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Parameters;
import org.junit.jupiter.api.Test;

class ExtractionLimitsTest {
    @Test
    void absentParametersGiveTheDefaults() {
        ExtractionLimits l = ExtractionLimits.fromParameters(Parameters.empty());
        assertThat(l).isEqualTo(ExtractionLimits.defaults());
        assertThat(l.maxDepth()).isEqualTo(5);
        assertThat(l.maxExpandedBytes()).isEqualTo(64L << 20);
        assertThat(l.maxEntries()).isEqualTo(1000);
        assertThat(l.maxCompressionRatio()).isEqualTo(100);
        assertThat(l.timePerMessage()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void parametersAreRead() {
        ExtractionLimits l = ExtractionLimits.fromParameters(Parameters.of(Map.of(
                "extractionMaxDepth", "3", "extractionMaxExpandedSize", "512KB", "extractionMaxEntries", "50",
                "extractionMaxCompressionRatio", "20", "extractionTimePerMessage", "1500ms")));
        assertThat(l.maxDepth()).isEqualTo(3);
        assertThat(l.maxExpandedBytes()).isEqualTo(512L * 1024);
        assertThat(l.maxEntries()).isEqualTo(50);
        assertThat(l.maxCompressionRatio()).isEqualTo(20);
        assertThat(l.timePerMessage()).isEqualTo(Duration.ofMillis(1500));
        assertThat(ExtractionLimits.fromParameters(Parameters.of(Map.of("extractionMaxExpandedSize", "2GB")))
                .maxExpandedBytes()).isEqualTo(2L << 30);
    }

    @Test
    void invalidValuesNameTheParameter() {
        assertRefused("extractionMaxDepth", "0");
        assertRefused("extractionMaxDepth", "deep");
        assertRefused("extractionMaxExpandedSize", "64 parsecs");
        assertRefused("extractionMaxExpandedSize", "100");
        assertRefused("extractionMaxExpandedSize", "5GB");
        assertRefused("extractionMaxEntries", "-1");
        assertRefused("extractionMaxCompressionRatio", "1");
        assertRefused("extractionTimePerMessage", "0s");
        assertRefused("extractionTimePerMessage", "2h");
        assertRefused("extractionTimePerMessage", "soon");
    }

    private static void assertRefused(String name, String value) {
        assertThatThrownBy(() -> ExtractionLimits.fromParameters(Parameters.of(Map.of(name, value))))
                .isInstanceOf(ConfigException.class).extracting(e -> ((ConfigException) e).parameter()).isEqualTo(name);
    }
}
