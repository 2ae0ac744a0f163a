package dev.tollgate.core.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

class PartCacheTest {
    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void quotedPrintableIsDecodedOncePerContentWhateverTheArray() {
        PartCache cache = PartCache.create();
        byte[] first = cache.decodedQuotedPrintable(ascii("caf=C3=A9 =\r\nau lait\r\n"));
        byte[] again = cache.decodedQuotedPrintable(ascii("caf=C3=A9 =\r\nau lait\r\n"));
        assertThat(new String(first, StandardCharsets.UTF_8)).isEqualTo("café au lait\r\n");
        assertThat(again).isSameAs(first);
        assertThat(cache.decodes()).isEqualTo(1);
        assertThat(cache.decodedQuotedPrintable(ascii("caf=C3=A9 =\r\nau lait!\r\n"))).isNotEqualTo(first);
        assertThat(cache.decodes()).isEqualTo(2);
    }

    @Test
    void notStrictQuotedPrintableIsRememberedAsNull() {
        PartCache cache = PartCache.create();
        assertThat(cache.decodedQuotedPrintable(ascii("malformed =zz escape\r\n"))).isNull();
        assertThat(cache.decodedQuotedPrintable(ascii("malformed =zz escape\r\n"))).isNull();
        assertThat(cache.decodes()).isEqualTo(1);
    }

    @Test
    void theTextOfOneDecodedArrayIsSharedPerCharsetAndAnotherArrayIsDecodedAgain() {
        PartCache cache = PartCache.create();
        byte[] decoded = cache.decodedQuotedPrintable(ascii("caf=C3=A9 au lait\r\n"));
        String text = cache.text(decoded, StandardCharsets.UTF_8);
        assertThat(text).isEqualTo("café au lait\r\n");
        assertThat(cache.text(decoded, StandardCharsets.UTF_8)).isSameAs(text);
        assertThat(cache.text(decoded, StandardCharsets.ISO_8859_1)).isEqualTo("cafÃ© au lait\r\n");
        byte[] copy = decoded.clone();
        assertThat(cache.text(copy, StandardCharsets.UTF_8)).isEqualTo(text).isNotSameAs(text);
        // malformed input reads as U+FFFD, as new String(bytes, charset) gives it
        assertThat(cache.text(new byte[] {'a', (byte) 0xC3}, StandardCharsets.UTF_8)).isEqualTo("a\uFFFD");
        assertThat(PartCache.none().text(decoded, StandardCharsets.UTF_8)).isEqualTo(text).isNotSameAs(text);
    }

    @Test
    void contentHashDependsOnEveryByteAndTheLength() {
        byte[] a = new byte[37];
        for (int i = 0; i < a.length; i++) {
            a[i] = (byte) i;
        }
        int h = PartCache.contentHash(a);
        assertThat(PartCache.contentHash(a.clone())).isEqualTo(h);
        for (int i = 0; i < a.length; i++) {
            byte[] b = a.clone();
            b[i]++;
            assertThat(PartCache.contentHash(b)).as("byte %d", i).isNotEqualTo(h);
        }
        assertThat(PartCache.contentHash(new byte[8])).isNotEqualTo(PartCache.contentHash(new byte[9]));
    }

    @Test
    void htmlIsParsedOncePerText() {
        PartCache cache = PartCache.create();
        byte[] bytes = "<p>one <a href=\"https://a.example/\">a</a>".getBytes(StandardCharsets.UTF_8);
        String text = cache.text(bytes, StandardCharsets.UTF_8);
        Document d = cache.html(text);
        assertThat(cache.html(cache.text(bytes, StandardCharsets.UTF_8))).isSameAs(d);
        assertThat(cache.parses()).isEqualTo(1);
        assertThat(cache.html("<p>two")).isNotSameAs(d);
        assertThat(cache.parses()).isEqualTo(2);
        // found by instance: an equal text decoded elsewhere is parsed again (never a stale or foreign document)
        assertThat(cache.html(new String(text))).isNotSameAs(d);
        assertThat(cache.parses()).isEqualTo(3);
        assertThat(d.select("a").attr("href")).isEqualTo("https://a.example/");
    }

    @Test
    void noneAndOversizedEntriesAreNeverKept() {
        PartCache none = PartCache.none();
        none.html("<p>x");
        none.html("<p>x");
        assertThat(none.html("<p>x")).isNotSameAs(none.html("<p>x"));
        PartCache cache = PartCache.create();
        char[] big = new char[PartCache.MAX_ENTRY_CHARS + 1];
        Arrays.fill(big, 'x');
        String html = new String(big);
        assertThat(cache.html(html)).isNotSameAs(cache.html(html));
        assertThat(cache.parses()).isEqualTo(2);
    }

    @Test
    void stopsKeepingAtTheTotalBound() {
        PartCache cache = PartCache.create();
        char[] chunk = new char[PartCache.MAX_ENTRY_CHARS / 2];
        int kept = 0;
        for (int i = 0; i < 20; i++) {
            Arrays.fill(chunk, (char) ('a' + i));
            String html = new String(chunk);
            if (cache.html(html) == cache.html(html)) {
                kept++;
            }
        }
        // each entry counts two chars per char of text: 8 MB hold four 1 M-char texts
        assertThat(kept).isEqualTo((int) (PartCache.MAX_TOTAL_CHARS / (2L * chunk.length)));
    }
}
