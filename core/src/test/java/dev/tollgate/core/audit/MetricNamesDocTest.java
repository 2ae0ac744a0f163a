package dev.tollgate.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.junit.jupiter.api.Test;

/** docs/operations.md names every metric Tollgate reports, and its audit schema every key a line has. */
class MetricNamesDocTest {
    private static String doc() throws Exception {
        Path p = Paths.get("..", "docs", "operations.md");
        return Files.readString(p);
    }

    @Test
    void everyBaseNameHasItsRowInTheMetricsTable() throws Exception {
        String doc = doc();
        int checked = 0;
        for (Field f : MetricNames.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                assertThat(doc).as(f.getName()).contains("| `" + f.get(null) + "` |");
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(15);
    }

    @Test
    void everyAuditKeyIsInTheSchemaTable() throws Exception {
        String doc = doc();
        com.fasterxml.jackson.databind.JsonNode line = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(AuditEvent.of("mfa", "pass").build().toJson("n"));
        line.fieldNames().forEachRemaining(k -> assertThat(doc).as(k).contains("| `" + k + "` |"));
    }
}
