package dev.tollgate.core.dlp.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Parameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocumentExtractorSettingsTest {
    @Test
    void defaultsAreAutoWithoutAJarWhenNoneIsBesideCore() {
        // In this build core runs from target/classes, which holds no extractor jar.
        DocumentExtractorSettings s = DocumentExtractorSettings.fromParameters(Parameters.empty());
        assertThat(s.mode()).isEqualTo(DocumentExtractorSettings.Mode.AUTO);
        assertThat(s.jar()).isEmpty();
        assertThat(s.create()).isEmpty();
        assertThat(s.workers()).isEqualTo(2);
        assertThat(s.heapMb()).isEqualTo(512);
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.spareAfter()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void halfTheProcessorsParseAtOnceUntilADocumentWaitsUnlessSpareAfterIsZero() {
        assertThat(DocumentExtractorSettings.fromParameters(Parameters.empty(), 2).steadyWorkers()).isEqualTo(1);
        assertThat(DocumentExtractorSettings.fromParameters(Parameters.empty(), 1).steadyWorkers()).isEqualTo(1);
        assertThat(DocumentExtractorSettings.fromParameters(Parameters.empty(), 4).steadyWorkers()).isEqualTo(2);
        assertThat(DocumentExtractorSettings.fromParameters(Parameters.empty(), 16).steadyWorkers()).isEqualTo(2);
        DocumentExtractorSettings six = DocumentExtractorSettings.fromParameters(Parameters.of(Map.of(
                "documentExtractorWorkers", "6", "documentExtractorSpareAfter", "250ms")), 8);
        assertThat(six.steadyWorkers()).isEqualTo(4);
        assertThat(six.spareAfter()).isEqualTo(Duration.ofMillis(250));
        DocumentExtractorSettings all = DocumentExtractorSettings.fromParameters(Parameters.of(Map.of(
                "documentExtractorSpareAfter", "0s")), 2);
        assertThat(all.steadyWorkers()).isEqualTo(2);
        assertThat(all.spareAfter()).isZero();
    }

    @Test
    void workerModeRequiresTheJar() {
        assertThatThrownBy(() -> DocumentExtractorSettings.fromParameters(Parameters.of(Map.of("documentExtraction", "worker"))))
                .isInstanceOf(ConfigException.class).extracting(e -> ((ConfigException) e).parameter())
                .isEqualTo("documentExtractorJar");
    }

    @Test
    void givenJarIsUsed(@TempDir Path dir) throws Exception {
        Path jar = Files.createFile(dir.resolve("tollgate-extractor-1.jar"));
        DocumentExtractorSettings s = DocumentExtractorSettings.fromParameters(Parameters.of(Map.of(
                "documentExtraction", "worker", "documentExtractorJar", jar.toString(), "documentExtractorWorkers", "3",
                "documentExtractorHeapMb", "256", "documentTimeout", "20s")));
        assertThat(s.jar()).contains(jar);
        try (WorkerDocumentExtractor w = s.create().orElseThrow()) {
            assertThat(w.command()).contains("-Xmx256m", jar.toString(), WorkerDocumentExtractor.WORKER_MAIN);
        }
    }

    @Test
    void invalidValuesNameTheParameter() {
        for (BadValue bad : new BadValue[] {BadValue.of("documentExtraction", "maybe"),
                BadValue.of("documentExtractorJar", "/no/such.jar"), BadValue.of("documentExtractorWorkers", "0"),
                BadValue.of("documentExtractorHeapMb", "10"), BadValue.of("documentTimeout", "1h"),
                BadValue.of("documentExtractorSpareAfter", "11m"), BadValue.of("documentExtractorSpareAfter", "soon")}) {
            assertThatThrownBy(() -> DocumentExtractorSettings.fromParameters(Parameters.of(Map.of(bad.parameter, bad.value))))
                    .isInstanceOf(ConfigException.class).extracting(e -> ((ConfigException) e).parameter())
                    .isEqualTo(bad.parameter);
        }
        assertThat(DocumentExtractorSettings.fromParameters(Parameters.of(Map.of("documentExtraction", "off"))).create())
                .isEmpty();
    }

    /** A parameter with a value it must refuse; the error must name the parameter. */
    static final class BadValue {
        final String parameter;
        final String value;

        private BadValue(String parameter, String value) {
            this.parameter = parameter;
            this.value = value;
        }

        static BadValue of(String parameter, String value) {
            return new BadValue(parameter, value);
        }
    }
}
