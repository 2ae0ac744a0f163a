package dev.tollgate.core.dlp.content;

import static dev.tollgate.core.dlp.content.TestMessages.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.tollgate.core.dlp.DetectorType;
import dev.tollgate.core.dlp.Finding;
import dev.tollgate.core.dlp.TextScanner;

class DisplayOrderTest {
    private final TextScanner scanner = TextScanner.builder().allBuiltInDetectors().build();
    private final MimeContentExtractor extractor = MimeContentExtractor.builder().build();

    private List<Finding> scanDisplay(String stored) {
        String visual = DisplayOrder.of(stored);
        assertThat(visual).as("display order of %s", stored).isNotNull();
        return scanner.scan(TextNormalization.normalize(visual));
    }

    @Test
    void rightToLeftOverrideShowsACardTheStoredOrderHides() {
        String stored = "ref \u202E1111 1111 1111 1114\u202C ok";
        assertThat(scanner.scan(TextNormalization.normalize(stored))).isEmpty();
        assertThat(DisplayOrder.of(stored)).isEqualTo("ref 4111 1111 1111 1111 ok");
        assertThat(scanDisplay(stored)).extracting(Finding::type).containsExactly(DetectorType.PAYMENT_CARD);
    }

    @Test
    void rightToLeftIsolateAndEmbeddingReverseTheGroups() {
        // inside a right-to-left isolate or embedding the digit groups are laid out right to left
        for (String[] open : new String[][] {{"\u2067", "\u2069"}, {"\u202B", "\u202C"}, {"\u2068\u05D0 ", "\u2069"}}) {
            String stored = "card " + open[0] + "1111 1111 1111 4111" + open[1] + " end";
            assertThat(scanner.scan(TextNormalization.normalize(stored))).as(stored).isEmpty();
            assertThat(scanDisplay(stored)).as(stored).extracting(Finding::type).containsExactly(DetectorType.PAYMENT_CARD);
        }
    }

    @Test
    void hebrewLineShowsItsDigitGroupsRightToLeft() {
        String stored = "\u05DB\u05E8\u05D8\u05D9\u05E1 1111 1111 1111 4111";
        assertThat(scanner.scan(TextNormalization.normalize(stored))).isEmpty();
        assertThat(scanDisplay(stored)).extracting(Finding::type).containsExactly(DetectorType.PAYMENT_CARD);
    }

    @Test
    void rightToLeftTextWithNumbersThatAreNoValueStaysClean() {
        // counter-cases: a Hebrew order number and date, an Arabic invoice with an amount, balanced embeddings
        String hebrew = "\u05D4\u05D6\u05DE\u05E0\u05D4 \u05DE\u05E1\u05E4\u05E8 48213 \u05E0\u05E9\u05DC\u05D7\u05D4 12/05/2026";
        String arabic = "\u0641\u0627\u062A\u0648\u0631\u0629 \u0631\u0642\u0645 2024-0173 \u0628\u0645\u0628\u0644\u063A 1250.00";
        String balanced = "\u202B\u05E9\u05DC\u05D5\u05DD 1234 5678\u202C and \u202Aorder 42\u202C, \u202Dtotal 99\u202C";
        for (String stored : new String[] {hebrew, arabic, balanced}) {
            assertThat(scanDisplay(stored)).as(stored).isEmpty();
        }
    }

    @Test
    void textWithoutBidiCharsNeedsNoReordering() {
        assertThat(DisplayOrder.mayReorder("card 4111 1111 1111 1111, caf\u00e9, \u03a9\u03bc\u03ad\u03b3\u03b1")).isFalse();
        assertThat(DisplayOrder.of("plain 4111 1111 1111 1111\nsecond line")).isNull();
        // Hebrew without a digit, and a mark that changes nothing, read the same in both orders
        assertThat(DisplayOrder.of("\u05E9\u05DC\u05D5\u05DD")).isNull();
        assertThat(DisplayOrder.of("abc\u200E def")).isNull();
    }

    @Test
    void theReorderedLinesAreAddedAtTheirOwnLocationWithTheirNeighbours() throws Exception {
        String raw = "Subject: x\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                + "first\r\nhello\r\n\r\nref \u202E1111 1111 1111 1114\r\nbye\r\nlast\r\n";
        ExtractedContent c = extractor.extract(parse(raw.getBytes(StandardCharsets.UTF_8)));
        assertThat(MimeContentExtractorTest.textAt(c, "body[1]")).contains("1111 1111 1111 1114").doesNotContain("\u202E");
        // the nearest non-blank line on each side comes along in stored order; the others stay out
        assertThat(MimeContentExtractorTest.textAt(c, "body[1] \u2192 display order"))
                .isEqualTo("hello\n\nref 4111 1111 1111 1111\nbye");
        assertThat(c.isComplete()).isTrue();
    }

    @Test
    void cleanMailGetsNoDisplayOrderSegment() throws Exception {
        String raw = "Subject: x\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nhello 4111\r\n";
        assertThat(extractor.extract(parse(raw)).segments()).extracting(ContentSegment::location)
                .containsExactly("subject", "body[1]");
    }

    @Test
    void htmlBdoDirAndCssOverrideAreReadInDisplayOrder() throws Exception {
        for (String html : new String[] {"<p>Card <bdo dir=\"rtl\">1111 1111 1111 1114</bdo> ok</p>",
            "<p>Card <span style=\"unicode-bidi: bidi-override; direction: rtl\">1111 1111 1111 1114</span> ok</p>",
            "<p>Card <span dir=rtl>1111 1111 1111 4111</span> ok</p>"}) {
            String raw = "Subject: x\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><body>" + html + "</body></html>\r\n";
            ExtractedContent c = extractor.extract(parse(raw));
            assertThat(scanner.scan(MimeContentExtractorTest.textAt(c, "body[1]"))).as(html).isEmpty();
            assertThat(scanner.scan(MimeContentExtractorTest.textAt(c, "body[1] \u2192 display order"))).as(html)
                    .extracting(Finding::type).containsExactly(DetectorType.PAYMENT_CARD);
        }
    }

    @Test
    void htmlWithoutDirectionGetsNoDisplayOrderSegment() throws Exception {
        // counter-cases: a left-to-right bdo and dir on text without digits change nothing shown
        String raw = "Subject: x\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><body><p dir=ltr>Order 4111 1111"
                + " <bdo dir=ltr>1111 1112</bdo></p><p>total 42</p></body></html>\r\n";
        ExtractedContent c = extractor.extract(parse(raw));
        assertThat(c.segments()).extracting(ContentSegment::location)
                .containsExactly("subject", "body[1]", "body[1]#attributes"); // the dir values
        assertThat(MimeContentExtractorTest.textAt(c, "body[1]")).isEqualTo("Order 4111 1111 1111 1112\n\ntotal 42"); // two paragraphs
    }

    @Test
    void aLabelOnTheLineBeforeStaysTheContextOfAReorderedNumber() {
        // the same number without the override is caught through its label; with it, the label comes along
        String plain = "Card number:\n4111;1111;1111;1111";
        String stored = "Card number:\n\u202E1111;1111;1111;1114";
        assertThat(scanner.scan(TextNormalization.normalize(plain))).extracting(Finding::type)
                .containsExactly(DetectorType.PAYMENT_CARD);
        assertThat(DisplayOrder.of(stored)).isEqualTo("Card number:\n4111;1111;1111;1111");
        assertThat(scanDisplay(stored)).extracting(Finding::type).containsExactly(DetectorType.PAYMENT_CARD);
    }

    @Test
    void supplementaryRightToLeftLettersTriggerTheDisplayOrder() {
        // Adlam U+1E900 and Old Hungarian U+10C80 are right to left like Hebrew; Gothic U+10330 is not
        for (String letter : new String[] {"\uD83A\uDD00", "\uD803\uDC80"}) {
            String stored = letter + " 1111 1111 1111 4111";
            assertThat(DisplayOrder.mayReorder(stored)).as(stored).isTrue();
            assertThat(scanDisplay(stored)).as(stored).extracting(Finding::type).containsExactly(DetectorType.PAYMENT_CARD);
        }
        assertThat(DisplayOrder.of("\uD800\uDF30 1111 1111 1111 4111")).isNull();
    }

    @Test
    void cssDirectionIsFollowedWhateverItsUnicodeBidi() throws Exception {
        for (String html : new String[] {"<div style=\"direction:rtl\">1111 1111 1111 4111</div>",
            "<p>Card <span style=\"direction:rtl;unicode-bidi:embed\">1111 1111 1111 4111</span></p>",
            "<p>Card <span style=\"unicode-bidi: isolate; direction: RTL\">1111 1111 1111 4111</span></p>",
            "<p>Card <span dir=ltr style=\"direction:rtl\">1111 1111 1111 4111</span></p>"}) {
            String raw = "Subject: x\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><body>" + html + "</body></html>\r\n";
            ExtractedContent c = extractor.extract(parse(raw));
            assertThat(scanner.scan(MimeContentExtractorTest.textAt(c, "body[1]"))).as(html).isEmpty();
            assertThat(scanner.scan(MimeContentExtractorTest.textAt(c, "body[1] \u2192 display order"))).as(html)
                    .extracting(Finding::type).containsExactly(DetectorType.PAYMENT_CARD);
        }
        // counter-case: direction:ltr, and a property merely ending in "direction", reorder nothing
        String raw = "Subject: x\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><body><p style=\"direction:ltr\">"
                + "1111 1111 1111 4111</p><p style=\"flex-direction:rtl\">1111 1111 1111 4111</p></body></html>\r\n";
        assertThat(extractor.extract(parse(raw)).segments()).extracting(ContentSegment::location)
                .doesNotContain("body[1] \u2192 display order");
    }
}
