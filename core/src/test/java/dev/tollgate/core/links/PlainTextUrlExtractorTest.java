package dev.tollgate.core.links;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PlainTextUrlExtractorTest {
    private final PlainTextUrlExtractor extractor = PlainTextUrlExtractor.create();

    private List<String> urls(String text) {
        return extractor.extract(text).spans().stream().map(UrlSpan::text).collect(Collectors.toList());
    }

    @Test
    void findsSchemesCaseInsensitivelyAndBareWww() {
        assertThat(urls("a http://a.example/x b HTTPS://B.example c FtP://c.example/f www.d.example/p"))
                .containsExactly("http://a.example/x", "HTTPS://B.example", "FtP://c.example/f",
                        "www.d.example/p");
    }

    @Test
    void spansPointAtTheSourceText() {
        String text = "go to https://example.com/a?b=c, now";
        UrlSpan span = extractor.extract(text).spans().get(0);
        assertThat(text.substring(span.start(), span.end())).isEqualTo("https://example.com/a?b=c");
        assertThat(span.start()).isEqualTo(6);
        assertThat(span.overlong()).isFalse();
    }

    @Test
    void bareWwwGetsHttpHref() {
        UrlSpan span = extractor.extract("see www.example.com.").spans().get(0);
        assertThat(span.text()).isEqualTo("www.example.com");
        assertThat(span.href()).isEqualTo("http://www.example.com");
        assertThat(extractor.extract("x http://example.com").spans().get(0).href())
                .isEqualTo("http://example.com");
    }

    @Test
    void stopsAtWhitespaceAnglesAndQuotes() {
        assertThat(urls("<http://a.example/x>")).containsExactly("http://a.example/x");
        assertThat(urls("\"http://a.example/y\"")).containsExactly("http://a.example/y");
        assertThat(urls("http://a.example/z\tnext")).containsExactly("http://a.example/z");
        assertThat(urls("http://a.example/nb\u00a0sp")).containsExactly("http://a.example/nb");
    }

    @Test
    void trimsTrailingPunctuation() {
        assertThat(urls("Visit http://example.com/a.")).containsExactly("http://example.com/a");
        assertThat(urls("Really http://example.com/?q=1!?;:,'")).containsExactly("http://example.com/?q=1");
        assertThat(urls("'http://example.com/x'")).containsExactly("http://example.com/x");
    }

    @Test
    void keepsClosingBracketOpenedInsideTheUrl() {
        assertThat(urls("(see https://en.wikipedia.org/wiki/Foo_(bar))"))
                .containsExactly("https://en.wikipedia.org/wiki/Foo_(bar)");
        assertThat(urls("(see https://example.com/x)")).containsExactly("https://example.com/x");
        assertThat(urls("[https://example.com/a[1]]")).containsExactly("https://example.com/a[1]");
        assertThat(urls("{https://example.com/b}.")).containsExactly("https://example.com/b");
    }

    @Test
    void ignoresPrefixesInsideWordsAndBarePrefixes() {
        assertThat(urls("xhttp://a.example user@www.example.com http:// www. https://")).isEmpty();
    }

    @Test
    void findsUrlsGluedToLabelsAndPunctuation() {
        assertThat(urls("Link:http://a.example/ url=https://b.example/ (www.c.example) /http://d.example"))
                .containsExactly("http://a.example/", "https://b.example/", "www.c.example", "http://d.example");
    }

    @Test
    void doesNotReportTheWwwInsideAnHttpUrlTwice() {
        assertThat(urls("http://www.example.com/ and www.other.example"))
                .containsExactly("http://www.example.com/", "www.other.example");
    }

    @Test
    void limitsTheNumberOfUrls() {
        PlainTextUrlExtractor small = extractor.withMaxUrls(2);
        PlainTextUrlExtractor.Extraction r = small.extract("http://a.x http://b.x http://c.x");
        assertThat(r.spans()).extracting(UrlSpan::text).containsExactly("http://a.x", "http://b.x");
        assertThat(r.limitReached()).isTrue();
        assertThat(small.extract("http://a.x http://b.x").limitReached()).isFalse();
    }

    @Test
    void marksOverlongUrlsAndTruncatesTheirText() {
        PlainTextUrlExtractor short32 = extractor.withMaxUrlLength(32);
        String longUrl = "http://example.com/" + "a".repeat(100);
        UrlSpan span = short32.extract("x " + longUrl + " y").spans().get(0);
        assertThat(span.overlong()).isTrue();
        assertThat(span.text()).hasSize(32);
        assertThat(span.end() - span.start()).isEqualTo(longUrl.length());
    }

    @Test
    void rejectsSillyLimits() {
        assertThatThrownBy(() -> extractor.withMaxUrls(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> extractor.withMaxUrlLength(3)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hostileMegabyteOfConcatenatedUrlsIsOneOverlongSpan() {
        String hostile = "http://a".repeat(1 << 17); // 1 MiB, no separator
        PlainTextUrlExtractor.Extraction r = extractor.extract(hostile);
        assertThat(r.spans()).hasSize(1);
        assertThat(r.spans().get(0).overlong()).isTrue();
        assertThat(r.spans().get(0).end()).isEqualTo(hostile.length());
    }

    @Test
    void hostileMegabyteOfSeparatedUrlsStopsAtTheLimit() {
        String hostile = "http://a ".repeat(120_000);
        PlainTextUrlExtractor.Extraction r = extractor.extract(hostile);
        assertThat(r.spans()).hasSize(PlainTextUrlExtractor.DEFAULT_MAX_URLS);
        assertThat(r.limitReached()).isTrue();
    }

    @Test
    void hostileMegabyteOfBrackets() {
        String brackets = "(".repeat(1 << 20);
        assertThat(extractor.extract(brackets).spans()).isEmpty();
        PlainTextUrlExtractor.Extraction r = extractor.extract("http://a/" + brackets + ")".repeat(1 << 20));
        assertThat(r.spans()).hasSize(1);
        assertThat(r.spans().get(0).end()).isEqualTo(9 + 2 * (1 << 20));
    }

    @Test
    void aStringIsReadAsAnyOtherCharSequenceWouldBe() {
        // texts dense in the chars the skip-ahead search and the prefix check look at, at every offset
        String[] pieces = {"http://", "www.", "http", "HTTPS", "ftp", "www", "WwW", "://", ":/", ".", "..", "/", " ", "x", "é", "h", "w",
            "f", "-", "\n", "(", "<", "a.b", "1"};
        java.util.Random random = new java.util.Random(3);
        PlainTextUrlExtractor extractor = PlainTextUrlExtractor.create().withMaxUrls(4).withMaxUrlLength(16);
        int found = 0;
        for (int round = 0; round < 20_000; round++) {
            StringBuilder text = new StringBuilder();
            for (int k = random.nextInt(30); k > 0; k--) {
                text.append(pieces[random.nextInt(pieces.length)]);
            }
            PlainTextUrlExtractor.Extraction fromString = extractor.extract(text.toString());
            PlainTextUrlExtractor.Extraction charByChar = extractor.extract(text);
            assertThat(fromString.spans()).as(text.toString()).isEqualTo(charByChar.spans());
            assertThat(fromString.limitReached()).as(text.toString()).isEqualTo(charByChar.limitReached());
            found += fromString.spans().size();
        }
        assertThat(found).as("URLs found").isGreaterThan(4_000);
    }
}
