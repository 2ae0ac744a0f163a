package dev.tollgate.core.dlp.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.tollgate.core.fuzz.Bounded;
import dev.tollgate.core.fuzz.FuzzSeeds;

/**
 * Any text ({@link FuzzText}'s readings) normalised as {@link TextNormalizationReference}, the plain
 * implementation kept as the specification, does: the same text, the text itself (the same object) exactly when
 * the reference returns it, and the same original span for the first and last char and the whole text.
 */
class TextNormalizationFuzzTest {
    static Stream<Arguments> seeds() {
        return FuzzSeeds.files(List.of("src/test/resources/dlp"), List.of(),
                "card 4111\u20131111\u2013\u00ad1111 1111 caf\u00e9 na\u00efve \u2019quoted\u2019 \u2026",
                "\u0664\u0661\u0661\u0661 4\u0301\u0336 4\ufe0f\u20e3 \u00b5 \ufb01 \ud835\udfd2 \u2028 \u2800 x\u00b7y",
                "Gr\u00fc\u00dfe d\u00e9j\u00e0 r\u00e9sum\u00e9 \u00fcber 1\u00b2 \u20ac 12\u202f000");
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "15s")
    void normalisesAsTheReferenceDoes(byte[] data) throws Exception {
        if (data == null) {
            return;
        }
        for (String text : FuzzText.readings(data)) {
            Bounded.run(() -> {
                String expected = TextNormalizationReference.normalize(text);
                String actual = TextNormalization.normalize(text);
                assertThat(actual).isEqualTo(expected);
                assertThat(actual == text).isEqualTo(expected == text);
                int n = expected.length();
                if (n > 0) {
                    for (int[] span : new int[][] {{0, 1}, {n - 1, n}, {0, n}}) {
                        assertThat(TextNormalization.originalSpan(text, span[0], span[1]))
                                .containsExactly(TextNormalizationReference.originalSpan(text, span[0], span[1]));
                    }
                }
            });
        }
    }
}
