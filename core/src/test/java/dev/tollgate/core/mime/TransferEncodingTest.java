package dev.tollgate.core.mime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TransferEncodingTest {
    private static byte[] decode(byte[] encoded, String token) throws Exception {
        try (InputStream in = TransferEncoding.decode(new ByteArrayInputStream(encoded), token)) {
            return in.readAllBytes();
        }
    }

    @Test
    void tokensAreNormalisedOnceWithSevenBitAsTheDefault() {
        assertThat(TransferEncoding.normalize(null)).isEqualTo("7bit");
        assertThat(TransferEncoding.normalize("  ")).isEqualTo("7bit");
        assertThat(TransferEncoding.normalize(" Base64 ")).isEqualTo("base64");
        assertThat(TransferEncoding.normalize("Quoted-Printable")).isEqualTo("quoted-printable");
        assertThat(TransferEncoding.normalize("X-Weird")).isEqualTo("x-weird");
    }

    @ParameterizedTest
    @ValueSource(strings = {"base64", "BASE64", "quoted-printable", " Quoted-Printable", "7bit", "8bit", "binary"})
    void encodeThenDecodeGivesTheDataBack(String token) throws Exception {
        Random random = new Random(token.hashCode());
        for (int round = 0; round < 50; round++) {
            StringBuilder s = new StringBuilder();
            for (int i = random.nextInt(500); i > 0; i--) {
                int k = random.nextInt(10);
                s.append(k == 0 ? "\r\n" : k == 1 ? "=" : k == 2 ? "é" : k == 3 ? " " : k == 4 ? "." : k == 5 ? "From " : "a");
            }
            byte[] data = s.toString().getBytes(StandardCharsets.UTF_8);
            byte[] encoded = TransferEncoding.encode(data, token);
            String normalised = TransferEncoding.normalize(token);
            assertThat(decode(encoded, normalised)).as(normalised).isEqualTo(data);
            if (TransferEncoding.isIdentity(normalised)) {
                assertThat(encoded).isSameAs(data);
            } else {
                for (String line : new String(encoded, StandardCharsets.US_ASCII).split("\r\n")) {
                    assertThat(line.length()).isLessThanOrEqualTo(TransferEncoding.QP_MAX_LINE);
                }
            }
        }
    }

    @Test
    void unknownTokensCannotBeEncodedOrDecoded() {
        assertThat(TransferEncoding.canEncode("x-weird")).isFalse();
        assertThat(TransferEncoding.canEncode("uuencode")).isFalse();
        assertThat(TransferEncoding.canEncode("base64")).isTrue();
        assertThatThrownBy(() -> TransferEncoding.encode(new byte[] {1}, "x-weird"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x-weird");
        assertThatThrownBy(() -> decode(new byte[] {1}, "x-weird")).hasMessageContaining("x-weird");
    }

    @Test
    void strictQuotedPrintableAndLineByLineRequoting() {
        byte[] raw = "keep =3D this=\r\n line\r\nchange me".getBytes(StandardCharsets.US_ASCII);
        byte[] decoded = TransferEncoding.decodeQuotedPrintableStrict(raw);
        assertThat(new String(decoded, StandardCharsets.US_ASCII)).isEqualTo("keep = this line\r\nchange me");
        byte[] changed = "keep = this line\r\nchanged =".getBytes(StandardCharsets.US_ASCII);
        assertThat(new String(TransferEncoding.requotePrintable(raw, decoded, changed), StandardCharsets.US_ASCII))
                .isEqualTo("keep =3D this=\r\n line\r\nchanged =3D");
        assertThat(TransferEncoding.decodeQuotedPrintableStrict("a=zz".getBytes(StandardCharsets.US_ASCII))).isNull();
    }
}
