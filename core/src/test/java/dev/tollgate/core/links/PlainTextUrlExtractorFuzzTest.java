package dev.tollgate.core.links;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.tollgate.core.fuzz.Bounded;
import dev.tollgate.core.fuzz.FuzzSeeds;

/**
 * Any text through {@link PlainTextUrlExtractor}: at most {@code maxUrls} spans, in order, inside the text,
 * never overlapping; each span's text is the source at its offsets (cut to {@code maxUrlLength} exactly when
 * marked overlong), and the same as a {@link CharSequence} that is not a {@code String} gives (read char by char,
 * without the search that skips to the next {@code "://"} or dot). No exception.
 */
class PlainTextUrlExtractorFuzzTest {
    private static final PlainTextUrlExtractor EXTRACTOR = PlainTextUrlExtractor.create().withMaxUrls(100)
            .withMaxUrlLength(64);

    static Stream<Arguments> seeds() {
        return FuzzSeeds.files(List.of("src/test/resources/corpus/mime4j"), List.of(".msg"),
                "see https://example.com/a?b=c, and www.example.org. (http://x.test/(y))",
                "<https://a.test/>\"http://b.test/\"'ftp://c.test' mailto:x@y.test HTTPS://D.TEST/" + "a".repeat(80));
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "15s")
    void spansAreOrderedBoundedAndTakenFromTheText(byte[] data) throws Exception {
        if (data == null) {
            return;
        }
        String text = new String(data, StandardCharsets.UTF_8);
        Bounded.run(() -> {
            PlainTextUrlExtractor.Extraction extraction = EXTRACTOR.extract(text);
            List<UrlSpan> spans = extraction.spans();
            PlainTextUrlExtractor.Extraction charByChar = EXTRACTOR.extract(new StringBuilder(text));
            assertThat(spans).isEqualTo(charByChar.spans());
            assertThat(extraction.limitReached()).isEqualTo(charByChar.limitReached());
            assertThat(spans.size()).isLessThanOrEqualTo(EXTRACTOR.maxUrls());
            int previousEnd = 0;
            for (UrlSpan span : spans) {
                assertThat(span.start()).isGreaterThanOrEqualTo(previousEnd);
                assertThat(span.end()).isGreaterThan(span.start()).isLessThanOrEqualTo(text.length());
                String source = text.substring(span.start(), span.end());
                if (span.overlong()) {
                    assertThat(source).startsWith(span.text());
                    assertThat(span.text().length()).isLessThanOrEqualTo(EXTRACTOR.maxUrlLength());
                } else {
                    assertThat(span.text()).isEqualTo(source);
                }
                assertThat(span.href()).isNotEmpty();
                previousEnd = span.end();
            }
        });
    }
}
