package dev.tollgate.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class SubmissionTest {
    private static String stuffed(String message) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Submission.writeDotStuffed(out, message.getBytes(StandardCharsets.US_ASCII));
        return out.toString(StandardCharsets.US_ASCII);
    }

    @Test
    void linesStartingWithADotAreDoubledAndTheEndIsMarked() throws Exception {
        assertThat(stuffed(".a\r\nb.c\r\n..d\r\n")).isEqualTo("..a\r\nb.c\r\n...d\r\n.\r\n");
        assertThat(stuffed("no final line end")).isEqualTo("no final line end\r\n.\r\n");
    }
}
