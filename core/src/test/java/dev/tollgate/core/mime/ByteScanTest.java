package dev.tollgate.core.mime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;

import org.junit.jupiter.api.Test;

class ByteScanTest {
    private static int plainLf(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static int plainLineBreak(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '\n' || b[i] == '\r') {
                return i;
            }
        }
        return -1;
    }

    @Test
    void findsWhatTheByteLoopFindsAtEveryAlignmentAndLength() {
        Random random = new Random(7);
        for (int round = 0; round < 20_000; round++) {
            byte[] b = new byte[random.nextInt(40)];
            for (int i = 0; i < b.length; i++) {
                // bytes next to the searched ones and high bytes, where a word test could be fooled
                int kind = random.nextInt(8);
                b[i] = (byte) (kind == 0 ? '\n' : kind == 1 ? '\r' : kind == 2 ? 0x0B : kind == 3 ? 0x8A
                        : kind == 4 ? 0x09 : random.nextInt(256));
                if (random.nextInt(4) != 0 && (b[i] == '\n' || b[i] == '\r')) {
                    b[i] = 'A'; // mostly long stretches without a line break
                }
            }
            int from = b.length == 0 ? 0 : random.nextInt(b.length + 1);
            int to = from + random.nextInt(b.length - from + 1);
            assertThat(ByteScan.indexOfLf(b, from, to)).as("LF in %s [%d, %d)", java.util.Arrays.toString(b), from, to)
                    .isEqualTo(plainLf(b, from, to));
            assertThat(ByteScan.indexOfLineBreak(b, from, to)).as("CR/LF in %s [%d, %d)", java.util.Arrays.toString(b),
                    from, to).isEqualTo(plainLineBreak(b, from, to));
            byte value = b.length == 0 ? (byte) '=' : b[random.nextInt(b.length)];
            int expected = -1;
            for (int i = from; i < to && expected < 0; i++) {
                expected = b[i] == '\n' || b[i] == '\r' || b[i] == value ? i : -1;
            }
            assertThat(ByteScan.indexOfLineBreakOr(b, value, from, to)).as("CR/LF/%d in %s [%d, %d)", value,
                    java.util.Arrays.toString(b), from, to).isEqualTo(expected);
        }
    }

    @Test
    void findsAnyByteValueAsTheByteLoopDoes() {
        Random random = new Random(11);
        for (int round = 0; round < 20_000; round++) {
            byte value = (byte) random.nextInt(256);
            byte[] b = new byte[random.nextInt(40)];
            for (int i = 0; i < b.length; i++) {
                // the value, its neighbours and its high-bit twin, where a word test could be fooled
                int kind = random.nextInt(6);
                b[i] = (byte) (kind == 0 ? value : kind == 1 ? value + 1 : kind == 2 ? value - 1
                        : kind == 3 ? value ^ 0x80 : random.nextInt(256));
            }
            int from = b.length == 0 ? 0 : random.nextInt(b.length + 1);
            int to = from + random.nextInt(b.length - from + 1);
            int expected = -1;
            for (int i = from; i < to && expected < 0; i++) {
                expected = b[i] == value ? i : -1;
            }
            assertThat(ByteScan.indexOf(b, value, from, to)).as("%d in %s [%d, %d)", value, java.util.Arrays.toString(b),
                    from, to).isEqualTo(expected);
            int last = -1;
            for (int i = to - 1; i >= from && last < 0; i--) {
                last = b[i] == value ? i : -1;
            }
            assertThat(ByteScan.lastIndexOf(b, value, from, to)).as("last %d in %s [%d, %d)", value,
                    java.util.Arrays.toString(b), from, to).isEqualTo(last);
            int count = 0;
            for (int i = from; i < to; i++) {
                count += b[i] == value ? 1 : 0;
            }
            assertThat(ByteScan.count(b, value, from, to)).as("count %d in %s [%d, %d)", value,
                    java.util.Arrays.toString(b), from, to).isEqualTo(count);
        }
    }

    @Test
    void aBase64LineIsSkippedToItsLineBreak() {
        byte[] line = ("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3"
                + "\r\nQQ==\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(ByteScan.indexOfLineBreak(line, 0, line.length)).isEqualTo(80);
        assertThat(ByteScan.indexOfLf(line, 0, line.length)).isEqualTo(81);
        assertThat(ByteScan.indexOfLineBreak(line, 82, line.length)).isEqualTo(86);
        assertThat(ByteScan.indexOfLineBreak(line, 0, 80)).isEqualTo(-1);
        assertThat(ByteScan.indexOfLf(line, 5, 5)).isEqualTo(-1);
    }

    @Test
    void aRangeOutsideTheArrayIsRefused() {
        assertThatThrownBy(() -> ByteScan.indexOfLf(new byte[10], 4, 12)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> ByteScan.indexOfLineBreak(new byte[10], -1, 3))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> ByteScan.lastIndexOf(new byte[10], (byte) 'P', 4, 12))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> ByteScan.lastIndexOf(new byte[10], (byte) 'P', -1, 3))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void bytesEqualMarksExactlyTheEqualBytes() {
        Random random = new Random(5);
        for (int round = 0; round < 20_000; round++) {
            byte[] b = new byte[8];
            char value = (char) (random.nextBoolean() ? '=' : random.nextInt(256));
            for (int i = 0; i < 8; i++) {
                // the value, its neighbours and high bytes: where a borrow or carry would spill into the next byte
                int kind = random.nextInt(5);
                b[i] = (byte) (kind == 0 ? value : kind == 1 ? value + 1 : kind == 2 ? value - 1 : kind == 3 ? 0x80 | value
                        : random.nextInt(256));
            }
            long marks = ByteScan.bytesEqual(ByteScan.word(b, 0), value);
            for (int i = 0; i < 8; i++) {
                long mark = (marks >>> (8 * i)) & 0xFF;
                assertThat(mark).as("byte %d of %s for %d", i, java.util.Arrays.toString(b), (int) value)
                        .isEqualTo((b[i] & 0xFF) == value ? 0x80L : 0L);
            }
        }
    }
}
