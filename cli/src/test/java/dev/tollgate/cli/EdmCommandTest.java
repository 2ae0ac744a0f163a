package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tollgate.core.dlp.ExactDataMatch;

class EdmCommandTest {
    @Test
    void hashWritesADigestFileWithoutPlainValuesThatThePolicyCanLoad(@TempDir Path dir) throws Exception {
        Path values = dir.resolve("values.txt");
        Files.writeString(values, "# customer numbers\nCU-408172\n\ncu-555001\nCU-408172\n", StandardCharsets.UTF_8);
        Path out = dir.resolve("customers.edm");
        CheckConfigCommandTest.Run run = CheckConfigCommandTest.run("edm", "hash", values.toString(), "--out", out.toString());
        assertThat(run.exit).as(run.err).isZero();
        assertThat(run.err).contains("2 distinct values hashed");
        String file = Files.readString(out);
        assertThat(file).doesNotContain("408172").doesNotContain("555001").startsWith("tollgate-edm 1\nsalt ");
        ExactDataMatch edm = ExactDataMatch.load("edm:customers", new StringReader(file));
        assertThat(edm.contains("CU-408172")).isTrue();
        assertThat(edm.contains("CU-555001")).isTrue();
        assertThat(edm.contains("CU-408173")).isFalse();
    }

    @Test
    void hashWritesToStandardOutputByDefault(@TempDir Path dir) throws Exception {
        Path values = dir.resolve("values.txt");
        Files.writeString(values, "998877665\n", StandardCharsets.UTF_8);
        CheckConfigCommandTest.Run run = CheckConfigCommandTest.run("edm", "hash", values.toString());
        assertThat(run.exit).isZero();
        assertThat(ExactDataMatch.load("e", new StringReader(run.out)).contains("998877665")).isTrue();
        assertThat(run.out).doesNotContain("998877665");
    }

    @Test
    void aValueThatIsNotOneTokenIsReportedByLineWithoutEchoingIt(@TempDir Path dir) throws Exception {
        Path values = dir.resolve("values.txt");
        Files.writeString(values, "CU-1\nsecret value\n", StandardCharsets.UTF_8);
        Path out = dir.resolve("x.edm");
        CheckConfigCommandTest.Run run = CheckConfigCommandTest.run("edm", "hash", values.toString(), "-o", out.toString());
        assertThat(run.exit).isEqualTo(2);
        assertThat(run.err).contains("line 2 is not a single token").doesNotContain("secret");
        assertThat(out).doesNotExist();
    }
}
