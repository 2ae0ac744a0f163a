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
    void utf32WithOrWithoutAMarkIsToldBeforeUtf16() {
        java.nio.charset.Charset le = java.nio.charset.Charset.forName("UTF-32LE");
        java.nio.charset.Charset be = java.nio.charset.Charset.forName("UTF-32BE");
        byte[] leMarked = withMark(new byte[] {(byte) 0xff, (byte) 0xfe, 0, 0}, TEXT.getBytes(le));
        byte[] beMarked = withMark(new byte[] {0, 0, (byte) 0xfe, (byte) 0xff}, TEXT.getBytes(be));
        assertThat(TextDecoding.guess(leMarked)).isEqualTo(le);
        assertThat(TextDecoding.guess(beMarked)).isEqualTo(be);
        assertThat(TextDecoding.decode(leMarked, null, "x", n -> { })).contains("4111 1111 1111 1111");
        assertThat(TextDecoding.decode(TEXT.getBytes(le), null, "x", n -> { })).isEqualTo(TEXT);
        assertThat(TextDecoding.decode(TEXT.getBytes(be), null, "x", n -> { })).isEqualTo(TEXT);
        // UTF-16 of Latin text has NUL in every other byte only: still UTF-16
        assertThat(TextDecoding.guess(TEXT.getBytes(StandardCharsets.UTF_16LE))).isEqualTo(StandardCharsets.UTF_16LE);
    }

    @Test
    void ordinaryTextAndBinaryWithSomeNulsStayAsBefore() {
        assertThat(TextDecoding.guess("Grüße 4111".getBytes(StandardCharsets.UTF_8))).isEqualTo(StandardCharsets.UTF_8);
        byte[] mixed = {'a', 0, 'b', 'c', 0, 0, 'd', 'e', 'f', 'g', 0, 'h'};
        assertThat(TextDecoding.guess(mixed)).isEqualTo(StandardCharsets.UTF_8);
        assertThat(TextDecoding.guess(new byte[] {'h', 'i', 0, 0})).as("too short to tell").isEqualTo(StandardCharsets.UTF_8);
    }
}
