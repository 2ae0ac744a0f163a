package dev.tollgate.core.dlp.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class TextDecodingTest {
    static final String TEXT = "name\tcard\r\nBob\t4111 1111 1111 1111\r\n";

    static byte[] withMark(byte[] mark, byte[] body) {
        byte[] out = new byte[mark.length + body.length];
        System.arraycopy(mark, 0, out, 0, mark.length);
        System.arraycopy(body, 0, out, mark.length, body.length);
        return out;
    }

    @Test
    void utf16WithAByteOrderMarkAsWindowsWritesIt() {
        byte[] le = withMark(new byte[] {(byte) 0xff, (byte) 0xfe}, TEXT.getBytes(StandardCharsets.UTF_16LE));
        byte[] be = withMark(new byte[] {(byte) 0xfe, (byte) 0xff}, TEXT.getBytes(StandardCharsets.UTF_16BE));
        assertThat(TextDecoding.decode(le, null, "x", n -> { })).contains("4111 1111 1111 1111");
        assertThat(TextDecoding.decode(be, null, "x", n -> { })).contains("4111 1111 1111 1111");
    }

    @Test
    void utf16WithoutAMarkIsToldByItsNulBytes() {
        assertThat(TextDecoding.decode(TEXT.getBytes(StandardCharsets.UTF_16LE), null, "x", n -> { }))
                .isEqualTo(TEXT);
        assertThat(TextDecoding.decode(TEXT.getBytes(StandardCharsets.UTF_16BE), null, "x", n -> { }))
                .isEqualTo(TEXT);
    }

    @Test
    void ordinaryTextAndBinaryWithSomeNulsStayAsBefore() {
        assertThat(TextDecoding.guess("Grüße 4111".getBytes(StandardCharsets.UTF_8))).isEqualTo(StandardCharsets.UTF_8);
        byte[] mixed = {'a', 0, 'b', 'c', 0, 0, 'd', 'e', 'f', 'g', 0, 'h'};
        assertThat(TextDecoding.guess(mixed)).isEqualTo(StandardCharsets.UTF_8);
        assertThat(TextDecoding.guess(new byte[] {'h', 'i', 0, 0})).as("too short to tell").isEqualTo(StandardCharsets.UTF_8);
    }
}
