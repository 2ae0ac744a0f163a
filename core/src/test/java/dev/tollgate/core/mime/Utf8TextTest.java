package dev.tollgate.core.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** {@link Utf8Text} gives the JDK's text for every input: well-formed or not, Latin-1 or beyond. */
class Utf8TextTest {
    private static final byte[][] PIECES = {
        bytes("a"), bytes("word "), bytes("12345678"), bytes("\r\n"), bytes("\u00e9"), bytes("\u00fc\u00df"),
        bytes("\u00a0"), bytes("\u0080"), bytes("\u00ff"), bytes("\u0100"), bytes("\u20ac"), bytes("\uD83D\uDE00"),
        {(byte) 0xC3}, {(byte) 0xC2, 'a'}, {(byte) 0x80}, {(byte) 0xBF}, {(byte) 0xC0, (byte) 0xAF},
        {(byte) 0xC1, (byte) 0x81}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0xF0, (byte) 0x9F, (byte) 0x98},
        {(byte) 0xFF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {0}};

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everyInputDecodesAsTheJdkDecodesIt() {
        Random random = new Random(7);
        for (int round = 0; round < 100_000; round++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            boolean latin1Only = random.nextBoolean();
            for (int k = random.nextInt(40); k > 0; k--) {
                byte[] piece = PIECES[random.nextInt(latin1Only ? 10 : PIECES.length)];
                out.write(piece, 0, piece.length);
            }
            byte[] input = out.toByteArray();
            assertThat(Utf8Text.decode(input)).as("%s", java.util.Arrays.toString(input))
                    .isEqualTo(new String(input, StandardCharsets.UTF_8));
        }
    }

    @Test
    void latin1TextAcrossWordBoundaries() {
        String text = "Gr\u00fc\u00dfe aus K\u00f6ln, caf\u00e9 \u00e0 8 \u20ac: na\u00efve r\u00e9sum\u00e9 \u00a0\u00ff";
        for (int cut = 0; cut <= text.length(); cut++) {
            byte[] input = bytes(text.substring(0, cut));
            assertThat(Utf8Text.decode(input)).isEqualTo(text.substring(0, cut));
        }
        assertThat(Utf8Text.decode(new byte[0])).isEmpty();
    }
}
