package dev.tollgate.core.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The hard line scan of link rewriting's re-encoding looks only at the marked bytes of a word; on any input it
 * finds what the byte loop it replaced found, kept here as the reference (RFC 2045 §6.7 rules 4 and 5).
 */
class HardLinesTest {
    /** The scan before it looked at marked bytes only: every byte of a word with a mark went through the loop. */
    private static int[] reference(byte[] data, boolean encoded) {
        int[] ends = new int[64];
        int count = 0;
        int n = data.length;
        for (int i = 0; i < n; i++) {
            byte b = data[i];
            if (b == '\n') {
                if (i == 0 || data[i - 1] != '\r') {
                    return null;
                }
                if (!(encoded && i >= 2 && data[i - 2] == '=')) {
                    if (count == ends.length) {
                        ends = Arrays.copyOf(ends, count * 2);
                    }
                    ends[count++] = i - 1;
                }
            } else if (b == '\r') {
                if (i + 1 >= n || data[i + 1] != '\n') {
                    return null;
                }
            } else if (b == '=' && encoded && i + 2 < n && data[i + 1] == '0'
                    && (data[i + 2] == 'D' || data[i + 2] == 'd' || data[i + 2] == 'A' || data[i + 2] == 'a')) {
                return null;
            }
        }
        int[] result = Arrays.copyOf(ends, count + 1);
        result[count] = n;
        return result;
    }

    @Test
    void everyInputGivesTheLinesOfTheByteLoop() {
        String[] pieces = {"a", "words ", "=C3=A9", "=\r\n", "\r\n", "\r\n\r\n", "\n", "\r", "=0D", "=0a", "=0", "=00",
            "=3D", "=", "0", "D"};
        Random random = new Random(43);
        for (int round = 0; round < 100_000; round++) {
            ByteArrayOutputStream in = new ByteArrayOutputStream();
            for (int k = random.nextInt(round % 10 == 0 ? 200 : 40); k > 0; k--) {
                // mostly well-formed lines, as bodies are; now and then any piece
                String piece = random.nextInt(4) > 0 ? pieces[random.nextInt(5)] : pieces[random.nextInt(pieces.length)];
                byte[] b = piece.getBytes(StandardCharsets.US_ASCII);
                in.write(b, 0, b.length);
            }
            byte[] data = in.toByteArray();
            for (boolean encoded : new boolean[] {true, false}) {
                assertThat(TransferEncoding.hardLines(data, encoded))
                        .as("%s, encoded %s", new String(data, StandardCharsets.US_ASCII), encoded)
                        .isEqualTo(reference(data, encoded));
            }
        }
    }
}
