package dev.tollgate.core.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.tollgate.core.fuzz.Bounded;
import dev.tollgate.core.fuzz.FuzzSeeds;

/**
 * Base64 bodies of every shape: {@link TransferEncoding#decode} gives exactly the bytes the JDK's MIME decoder
 * gives (characters outside the alphabet ignored, RFC 2045 §6.8), and where that decoder refuses the body, what
 * JavaMail's lenient decoder reads, never an exception other than the documented {@link java.io.IOException}.
 *
 * <p>Input shape: bytes below 0x10 append a fragment (line breaks of every kind, padding, blanks, junk), bytes
 * 0x10–0x7f a character of the base64 alphabet, bytes from 0x80 on themselves (8-bit junk).
 */
class TransferEncodingFuzzTest {
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private static final String[] FRAGMENTS = {"\r\n", "\n", "\r", "=", "==", " ", "\t", "*", "\r\r\n", "=\r\n",
        "\r\n=", "-", ".", "\u0000", "==\r\n", "A="};

    static Stream<Arguments> seeds() {
        return FuzzSeeds.files(List.of(), List.of(),
                "\u0010\u0011\u0012\u0013\u0000\u0014\u0015\u0016\u0003",
                "\u0010\u0011\u0012\u0001\u0013\u0004",
                "\u0020\u0021\u0025\u0002\u0023\u0024\u0005\u0026",
                "\u0030\u0031\u0032\u0033\u0034\u0035\u0036\u0037\u0008\u0038\u0039",
                "\u0040\u0041\u0007\u0042\u0043\u0090\u0044");
    }

    static byte[] body(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte d : data) {
            int b = d & 0xff;
            if (b < 0x10) {
                out.writeBytes(FRAGMENTS[b].getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            } else if (b < 0x80) {
                out.write(ALPHABET.charAt(b % 64));
            } else {
                out.write(b);
            }
        }
        return out.toByteArray();
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "15s")
    void decodesAsTheMimeDecoderDoes(byte[] data) throws Exception {
        if (data == null || data.length > 64 * 1024) {
            return;
        }
        byte[] encoded = body(data);
        Bounded.run(() -> {
            byte[] jdk;
            try {
                jdk = Base64.getMimeDecoder().decode(encoded);
            } catch (IllegalArgumentException refused) {
                jdk = null;
            }
            byte[] ours;
            try {
                ours = TransferEncoding.decodeBase64(encoded);
            } catch (IllegalArgumentException refused) {
                ours = null;
            }
            assertThat(ours == null).as("refused by one decoder only").isEqualTo(jdk == null);
            if (jdk != null) {
                assertThat(Arrays.equals(ours, jdk)).as("same bytes").isTrue();
                try (InputStream in = TransferEncoding.decode(new ByteArrayInputStream(encoded), "base64")) {
                    assertThat(Arrays.equals(in.readAllBytes(), jdk)).as("same bytes through decode").isTrue();
                }
            } else {
                try (InputStream in = TransferEncoding.decode(new ByteArrayInputStream(encoded), "base64")) {
                    in.readAllBytes();
                } catch (java.io.IOException javaMailRefused) {
                    // a body neither decoder reads: an IOException, which callers report as not decodable
                }
            }
        });
    }
}
