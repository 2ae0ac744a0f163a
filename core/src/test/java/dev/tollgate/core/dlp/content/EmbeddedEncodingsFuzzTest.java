package dev.tollgate.core.dlp.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.tollgate.core.fuzz.Bounded;
import dev.tollgate.core.fuzz.FuzzSeeds;

/**
 * Any text ({@link FuzzText}'s readings) searched for encoded runs as {@link EmbeddedEncodingsReference}, the
 * plain implementation kept as the specification, does: the same encodings with the same decoded text, in the same
 * order; and the same text without binary data URI payloads.
 */
class EmbeddedEncodingsFuzzTest {
    static Stream<Arguments> seeds() {
        return FuzzSeeds.files(List.of("src/test/resources/dlp"), List.of(),
                "a: Y2FyZCA0MTExIDExMTEgMTExMSAxMTEx\nb: 63617264203431313120313131312031313131\n",
                "Y2FyZCA0MTExIDExMTEgMTExMSAxMTExIGV4cCAxMi8yOSBhbmQgbW9yZSB0ZXh0IGhl\r\ncmUgdG8gd3JhcA==\r\n",
                "c: https://pay.example/?n=card%3A%204111%201111 d: \\u0034\\u0031\\x31\\x31 e: =34=31=31=\n=31=31",
                "f:\nY2FyZCA0MTEx\nIDExMTEgMTEx\nMSAxMTEx\n6361726420\r\n3431313120\r\n31313131\n",
                "g: key63617264203431313120 abcY2FyZCA0MTExIDExMTE= h: 34 31 31 31 20 31 31 31, 0x34, 0x31,\n0x31"
                        + " 00:1a:2b:3c:4d:5e:6f:70-31-31");
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "15s")
    void decodesAsTheReferenceDoes(byte[] data) throws Exception {
        if (data == null) {
            return;
        }
        for (String text : FuzzText.readings(data)) {
            Bounded.run(() -> {
                assertThat(render(EmbeddedEncodings.decode(text))).isEqualTo(render(text));
                assertThat(EmbeddedEncodings.withoutBinaryDataUris(text))
                        .isEqualTo(EmbeddedEncodingsReference.withoutBinaryDataUris(text));
            });
        }
    }

    private static List<String> render(List<EmbeddedEncodings.Decoded> decoded) {
        return decoded.stream().map(d -> d.encoding + ": " + d.text).collect(Collectors.toList());
    }

    private static List<String> render(String text) {
        return EmbeddedEncodingsReference.decode(text).stream().map(d -> d.encoding + ": " + d.text)
                .collect(Collectors.toList());
    }
}
