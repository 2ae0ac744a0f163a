package dev.tollgate.core.dlp.content;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.dlp.DetectorType;
import dev.tollgate.core.dlp.Finding;
import dev.tollgate.core.dlp.TextScanner;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TextNormalizationTest {
    private final TextScanner scanner = TextScanner.builder().allBuiltInDetectors().build();

    /** The ASCII digits 0-9 written in the script whose zero is {@code zero}. */
    private static String inScript(String ascii, int zero) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < ascii.length(); i++) {
            char c = ascii.charAt(i);
            if (c >= '0' && c <= '9') {
                sb.appendCodePoint(zero + (c - '0'));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    @ParameterizedTest
    @ValueSource(ints = {
        0x0660, // Arabic-Indic
        0x06F0, // Extended Arabic-Indic (Persian, Urdu)
        0x0966, // Devanagari
        0x09E6, // Bengali
        0x0E50, // Thai
        0x1040, // Myanmar
        0xFF10, // fullwidth (NFKC)
        0x1D7CE, // mathematical bold (NFKC)
        0x1E950, // Adlam (outside the BMP, not folded by NFKC)
    })
    void cardWrittenInAnyDecimalScriptIsFound(int zero) {
        String original = "pay " + inScript("4111 1111 1111 1111", zero) + " now";
        String scanned = TextNormalization.normalize(original);
        List<Finding> f = scanner.scan(scanned);
        assertThat(f).as(Integer.toHexString(zero)).singleElement().satisfies(x -> {
            assertThat(x.type()).isEqualTo(DetectorType.PAYMENT_CARD);
            assertThat(scanned.substring(x.start(), x.end())).isEqualTo("4111 1111 1111 1111");
        });
        if (zero < 0x10000 && zero != 0xFF10) {
            // one char per digit: the span is the same in the text before folding
            Finding x = f.get(0);
            assertThat(original.substring(x.start(), x.end())).isEqualTo(inScript("4111 1111 1111 1111", zero));
        }
        // mapped back, whatever the digits' length in UTF-16 (two chars each for the mathematical and Adlam digits)
        int[] span = TextNormalization.originalSpan(original, f.get(0).start(), f.get(0).end());
        assertThat(original.substring(span[0], span[1])).isEqualTo(inScript("4111 1111 1111 1111", zero));
    }

    @Test
    void spansMapBackOverRemovedCharsMarksDashesAndLigatures() {
        // a ligature and a decomposed letter before the card (NFKC changes their length), zero-width chars and a
        // soft hyphen inside it, keycap marks on its digits, en dashes between its groups, Arabic-Indic digits
        String card = "4\u200B111\u2013" + inScript("1111", 0x0660) + "\u20131\u00AD111\u20131\uFE0F\u20E3111";
        String original = "\uFB01le A\u030A: " + card + " \uFB03 end";
        String scanned = TextNormalization.normalize(original);
        assertThat(scanned).isEqualTo("file \u00C5: 4111-1111-1111-1111 ffi end");
        Finding x = scanner.scan(scanned).get(0);
        assertThat(x.type()).isEqualTo(DetectorType.PAYMENT_CARD);
        int[] span = TextNormalization.originalSpan(original, x.start(), x.end());
        assertThat(original.substring(span[0], span[1])).isEqualTo(card);
        // spans of other text map too: the ligature "fi" maps to the one ligature char, "\u00C5" to A and its ring
        assertThat(TextNormalization.originalSpan(original, 0, 2)).containsExactly(0, 1);
        assertThat(TextNormalization.originalSpan(original, 5, 6)).containsExactly(4, 6);
        // text that normalising leaves alone maps to itself
        assertThat(TextNormalization.originalSpan("pay 4111 1111 1111 1111", 4, 23)).containsExactly(4, 23);
    }

    @Test
    void aSpanOutsideTheNormalisedTextIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TextNormalization.originalSpan("\u200Babc", 1, 4))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("of 3 chars");
    }

    @Test
    void ibanSsnAndNinoDigitsAreFoldedToo() {
        String text = TextNormalization.normalize("IBAN DE" + inScript("89 3704 0044 0532 0130 00", 0x0966)
                + ", SSN " + inScript("123-45-6789", 0x0660) + ", NINO AB " + inScript("12 34 56", 0x09E6) + " C");
        assertThat(scanner.scan(text)).extracting(Finding::type)
                .containsExactly(DetectorType.IBAN, DetectorType.US_SSN, DetectorType.UK_NINO);
    }

    @Test
    void foldedDigitsThatAreNoValueStayClean() {
        // counter-cases: a date, a phone number and an amount in Arabic-Indic digits, a Luhn-failing number
        String text = TextNormalization.normalize(inScript("2026/05/01, +20 2 1234 5678, 1,250.00 EGP, 4111 1111 1111 1112",
                0x0660));
        assertThat(scanner.scan(text)).isEmpty();
        // numerals that are not decimal digits (Chinese, Roman numeral letters) are left alone
        assertThat(TextNormalization.normalize("四一一一")).isEqualTo("四一一一");
    }

    @ParameterizedTest
    @ValueSource(ints = {
        0x034F, // combining grapheme joiner
        0xFE0E, // variation selector 15
        0xFE00, // variation selector 1
        0xE0100, // variation selector 17 (supplementary)
        0x115F, // Hangul choseong filler
        0x3164, // Hangul filler (NFKC: U+1160)
        0xFFA0, // halfwidth Hangul filler (NFKC: U+1160)
        0xE0041, // tag latin capital letter A
        0x200B, // zero-width space (Cf)
    })
    void invisibleCharactersBetweenTheDigitsDoNotSplitACard(int invisible) {
        String inv = new String(Character.toChars(invisible));
        StringBuilder afterEachDigit = new StringBuilder();
        for (char c : "4111 1111 1111 1111".toCharArray()) {
            afterEachDigit.append(c).append(c == ' ' ? "" : inv);
        }
        assertThat(scanner.scan(TextNormalization.normalize("card " + afterEachDigit)))
                .as(Integer.toHexString(invisible)).extracting(Finding::type).containsExactly(DetectorType.PAYMENT_CARD);
        // as the separator between groups: the groups are glued into one run of 16 digits
        assertThat(scanner.scan(TextNormalization.normalize("pay 4111" + inv + "1111" + inv + "1111" + inv + "1111")))
                .as(Integer.toHexString(invisible)).extracting(Finding::type).containsExactly(DetectorType.PAYMENT_CARD);
    }

    @Test
    void theBrailleBlankReadsAsASpace() {
        assertThat(TextNormalization.normalize("4111\u28001111")).isEqualTo("4111 1111");
        assertThat(scanner.scan(TextNormalization.normalize("pay 4111\u28001111\u28001111\u28001111")))
                .extracting(Finding::type).containsExactly(DetectorType.PAYMENT_CARD);
    }

    @Test
    void lineAndParagraphSeparatorsReadAsLineBreaks() {
        assertThat(TextNormalization.normalize("a\u2028b\u2029c")).isEqualTo("a\nb\nc");
        assertThat(scanner.scan(TextNormalization.normalize("Ref 4111\u20281111\u20281111\u20281111")))
                .extracting(Finding::type).containsExactly(DetectorType.PAYMENT_CARD);
    }

    @Test
    void invisibleCharactersAroundOrdinaryTextChangeNoValue() {
        // counter-cases: an emoji with its presentation selector, Hangul text, an order number and a
        // Luhn-failing number with a selector inside stay clean
        String text = TextNormalization.normalize("\u2764\uFE0F thanks, \uD55C\uAD6D\uC5B4 order 4111\uFE0F1111 and"
                + " 4111\u034F1111\u034F1111\u034F1112");
        assertThat(text).contains("\u2764 thanks").contains("\uD55C\uAD6D\uC5B4").contains("41111111 and");
        assertThat(scanner.scan(text)).isEmpty();
    }

    @Test
    void plainTextIsReturnedAsItIs() {
        String text = "nothing to change: 4111, café, Ωμέγα";
        assertThat(TextNormalization.normalize(text)).isSameAs(text);
    }

    @Test
    void formatCharsAreStillRemoved() {
        assertThat(TextNormalization.normalize("41\u200b11 \u0664\u00ad111")).isEqualTo("4111 4111");
    }

    @Test
    void cardsGroupedWithOtherDashesAreFound() {
        for (String dash : new String[] {"\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212"}) {
            String text = TextNormalization.normalize("card 4111" + dash + "1111" + dash + "1111" + dash + "1111 ok");
            assertThat(text).as("U+%04X", (int) dash.charAt(0)).isEqualTo("card 4111-1111-1111-1111 ok");
            assertThat(scanner.scan(text)).extracting(Finding::type).as("U+%04X", (int) dash.charAt(0))
                    .containsExactly(DetectorType.PAYMENT_CARD);
        }
    }

    @Test
    void otherDashesBetweenNumbersThatAreNoValueStayClean() {
        // counter-cases: a year range, a page range, a Luhn-failing number, a minus sign in an amount
        String text = TextNormalization.normalize("2019\u20132020, pp. 1204\u20131288, 4111\u20131111\u20131111\u20131112,"
                + " \u2212125.00 EUR");
        assertThat(text).isEqualTo("2019-2020, pp. 1204-1288, 4111-1111-1111-1112, -125.00 EUR");
        assertThat(scanner.scan(text)).isEmpty();
    }

    @Test
    void aDashWithBlanksBesideItJoinsCardGroupsOnlyUnderALabel() {
        // a spaced en or em dash sets figures apart (a range, an aside): kept as an en dash
        for (String dash : new String[] {"\u2013", "\u2014", "\u2212"}) {
            String text = TextNormalization.normalize("Scores 4024 " + dash + " 0071 " + dash + " 0000 " + dash
                    + " 0008");
            assertThat(text).isEqualTo("Scores 4024 \u2013 0071 \u2013 0000 \u2013 0008");
            assertThat(scanner.scan(text)).as("U+%04X", (int) dash.charAt(0)).isEmpty();
            assertThat(scanner.scan(TextNormalization.normalize("Card: 4024" + dash + " 0071" + dash + " 0000" + dash
                    + " 0008"))).as("U+%04X", (int) dash.charAt(0)).extracting(Finding::type)
                    .containsExactly(DetectorType.PAYMENT_CARD);
        }
        // a minus sign before an amount stays a hyphen-minus
        assertThat(TextNormalization.normalize("total \u2212125.00")).isEqualTo("total -125.00");
    }
    @ParameterizedTest
    @ValueSource(strings = {
        "\u0301", // combining acute accent (Mn)
        "\u0336", // combining long stroke overlay (Mn)
        "\u0336\u0301", // two marks on each digit
        "\u20E3", // combining enclosing keycap (Me)
        "\uFE0F\u20E3", // keycap sequence: presentation selector then keycap (4\uFE0F\u20E3)
        "\u200B\u0301", // an invisible char, then a mark
    })
    void combiningMarksOnEachDigitDoNotHideACard(String marks) {
        StringBuilder onEachDigit = new StringBuilder();
        for (char c : "5555 5555 5555 4444".toCharArray()) {
            onEachDigit.append(c).append(c == ' ' ? "" : marks);
        }
        String text = TextNormalization.normalize("card " + onEachDigit + " thanks");
        assertThat(text).isEqualTo("card 5555 5555 5555 4444 thanks");
        assertThat(scanner.scan(text)).extracting(Finding::type).containsExactly(DetectorType.PAYMENT_CARD);
        // unseparated: marks alone between the digits
        String glued = TextNormalization.normalize("pay " + onEachDigit.toString().replace(" ", ""));
        assertThat(scanner.scan(glued)).extracting(Finding::type).containsExactly(DetectorType.PAYMENT_CARD);
    }

    @Test
    void combiningMarksAfterLettersAreKept() {
        // counter-cases: Devanagari and Arabic text with digits keeps its vowel signs and diacritics (they follow
        // letters), and none of its numbers is a card; a mark on the last digit of a number that is no card
        String hindi = "\u0915\u0941\u0932 \u0930\u093E\u0936\u093F " + inScript("4000", 0x0966)
                + " \u0930\u0941\u092A\u092F\u0947, \u0906\u0926\u0947\u0936 " + inScript("1234 5678 9012", 0x0966);
        String arabic = "\u0631\u064E\u0642\u0652\u0645\u064F \u0627\u0644\u0637\u0651\u064E\u0644\u064E\u0628\u0650 "
                + inScript("4000 1200", 0x0660) + " \u0645\u064E\u0639\u064E " + inScript("1300 1407", 0x0660);
        String hindiText = TextNormalization.normalize(hindi);
        String arabicText = TextNormalization.normalize(arabic);
        assertThat(hindiText).contains("\u0915\u0941\u0932", "\u0930\u093E\u0936\u093F", "4000", "1234 5678 9012");
        assertThat(arabicText).contains("\u0631\u064E\u0642\u0652\u0645\u064F", "4000 1200");
        assertThat(scanner.scan(hindiText)).isEmpty();
        assertThat(scanner.scan(arabicText)).isEmpty();
        assertThat(TextNormalization.normalize("caf\u0065\u0301 x\u20E3")).isEqualTo("caf\u00E9 x\u20E3");
        assertThat(scanner.scan(TextNormalization.normalize("order 4\u20E31\u20E31\u20E31\u20E3 ref 2\u0336026"))).isEmpty();
    }

    @Test
    void commasAndDotsOfOtherScriptsJoinGroupsAsTheAsciiOnesDo() {
        assertThat(scanner.scan(TextNormalization.normalize("\u0631\u0642\u0645 \u0627\u0644\u0628\u0637\u0627\u0642\u0629: "
                + inScript("4111\u060C1111\u060C1111\u060C1111", 0x0660)))).hasSize(1);
        assertThat(scanner.scan(TextNormalization.normalize("\u30AB\u30FC\u30C9\u756A\u53F7 4111\u30011111\u30011111\u30011111")))
                .hasSize(1);
        assertThat(TextNormalization.normalize("4111\u00B71111\u30FB1111\u20271111 \u0664\u066B\u0665 1\u066C000"))
                .isEqualTo("4111.1111.1111.1111 4.5 1,000");
        // counter-case: a comma-separated row without a label stays no card, as with ASCII commas
        assertThat(scanner.scan(TextNormalization.normalize("4111\u30011111\u30011111\u30011111"))).isEmpty();
    }

    /** The normalised text, checked against the reference implementation: same text, same object when unchanged. */
    private static String normalizedAsTheReference(String text) {
        String expected = TextNormalizationReference.normalize(text);
        String actual = TextNormalization.normalize(text);
        assertThat(actual).isEqualTo(expected);
        assertThat(actual == text).as("returned as it is").isEqualTo(expected == text);
        // every span maps back to the same place in the text
        for (int start = 0; start < actual.length(); start += 1 + actual.length() / 40) {
            int end = Math.min(actual.length(), start + 1 + start % 7);
            assertThat(TextNormalization.originalSpan(text, start, end))
                    .isEqualTo(TextNormalizationReference.originalSpan(text, start, end));
        }
        return actual;
    }

    @Test
    void latinAndPunctuationTextThatNeedsNothingIsReturnedAsItIs() {
        for (String text : new String[] {"", "plain ASCII 4111 1111", "Gr\u00fc\u00dfe, d\u00e9j\u00e0 vu: na\u00efve r\u00e9sum\u00e9",
            "\u2019quoted\u2019 \u201cboth\u201d \u2022 \u20ac 12 \u00a3 3 \u00bfs\u00ed? \u0141\u00f3d\u017a x",
            "1\u2030 \u2020 \u00e9", "\u00ff"}) {
            assertThat(normalizedAsTheReference(text)).isSameAs(text);
        }
    }

    @Test
    void aCharThatChangesRightAfterAnAsciiPrefixIsChanged() {
        assertThat(normalizedAsTheReference("4111\u00AD1111")).isEqualTo("41111111");
        assertThat(normalizedAsTheReference("x\u00B71")).isEqualTo("x.1");
        assertThat(normalizedAsTheReference("1\u00B2")).isEqualTo("12");
        assertThat(normalizedAsTheReference("a\u00A0b")).isEqualTo("a b");
        assertThat(normalizedAsTheReference("5 \u00B5g")).isEqualTo("5 \u03BCg");
        assertThat(normalizedAsTheReference("caf\u00e9 1\u2026")).isEqualTo("caf\u00e9 1...");
        assertThat(normalizedAsTheReference("12\u202F000")).isEqualTo("12 000");
        assertThat(normalizedAsTheReference("\u0141\u00f3d\u017a \u01c4x")).isEqualTo("\u0141\u00f3d\u017a D\u017dx");
        assertThat(normalizedAsTheReference("r\u00e9sum\u00e9 4111\u20131111")).isEqualTo("r\u00e9sum\u00e9 4111-1111");
        assertThat(normalizedAsTheReference("a \u2013 b")).isEqualTo("a " + dev.tollgate.core.dlp.PaymentCardDetector.SPACED_DASH + " b");
        assertThat(normalizedAsTheReference("1\u2013")).isEqualTo("1-");
        assertThat(normalizedAsTheReference("x\u200By\u2060")).isEqualTo("xy");
        assertThat(normalizedAsTheReference("\u00e9\u2028")).isEqualTo("\u00e9\n");
    }

    @Test
    void marksAfterDigitsGoAndMarksElsewhereStayWhereverTheyStand() {
        assertThat(normalizedAsTheReference("\u0301")).isEqualTo("\u0301");
        assertThat(normalizedAsTheReference("4\u0301")).isEqualTo("4");
        assertThat(normalizedAsTheReference("4\u200B\u0336\u20E3")).isEqualTo("4");
        assertThat(normalizedAsTheReference("\u00e9 4\uFE0F\u20E3")).isEqualTo("\u00e9 4");
        assertThat(normalizedAsTheReference("e\u0301")).isEqualTo("\u00e9");
        assertThat(normalizedAsTheReference("x\u20E3")).isEqualTo("x\u20E3");
        assertThat(normalizedAsTheReference("\u00e9\u0336")).isEqualTo("\u00e9\u0336");
        assertThat(normalizedAsTheReference("\u0664\u0301")).isEqualTo("4");
    }

    @Test
    void surrogatePairsAndLoneSurrogatesAreReadAsBefore() {
        assertThat(normalizedAsTheReference("\uD835\uDFD2\uD835\uDFCF")).isEqualTo("41");
        assertThat(normalizedAsTheReference("card \uD83D\uDE00 ok")).isEqualTo("card \uD83D\uDE00 ok");
        assertThat(normalizedAsTheReference("\u00e9\uDB40\uDC20x")).isEqualTo("\u00e9x"); // a tag char: ignorable
        assertThat(normalizedAsTheReference("ab\uD835")).isEqualTo("ab\uD835");
        assertThat(normalizedAsTheReference("\uDFD2ab")).isEqualTo("\uDFD2ab");
        assertThat(normalizedAsTheReference("\u00e9\uD835\uDFD2")).isEqualTo("\u00e94");
    }

    @Test
    void everyCharOfTheLookUpRangesAloneAndBetweenDigitsIsNormalisedAsTheReferenceDoes() {
        for (int c = 0; c < 0x3000; c++) {
            if (c >= 0x0300 && c < 0x2000) {
                continue;
            }
            String ch = String.valueOf((char) c);
            normalizedAsTheReference(ch);
            normalizedAsTheReference("41" + ch + "1");
            normalizedAsTheReference("\u00e9" + ch + "\u0301");
            normalizedAsTheReference("1 " + ch + " 2");
            // after a first change (the soft hyphen goes, the dash folds) the rest is read char by char
            normalizedAsTheReference("4\u00AD1" + ch + "\u0301");
            normalizedAsTheReference("x\u2014 " + ch + "1\u0301" + ch + "\u2013 2");
        }
    }

    @Test
    void textAfterAFirstChangeKeepsItsCharsAndDigitsAsBefore() {
        String prose = "Paragraph 7: the quarterly figures for the r\u00e9gion are in \u2014 d\u00e9j\u00e0 vu, 4111 1111"
                + " \u00bd \u2019x\u2019 \u20ac 5\u0301 e\u0301 \u00e9\u0336 1\u00B2 \u200B\uD835\uDFD2 \u0664 end";
        assertThat(normalizedAsTheReference(prose)).startsWith("Paragraph 7: the quarterly figures for the r\u00e9gion are in "
                + dev.tollgate.core.dlp.PaymentCardDetector.SPACED_DASH + " d\u00e9j\u00e0 vu, 4111 1111");
        for (int cut = 0; cut < prose.length(); cut++) {
            normalizedAsTheReference(prose.substring(cut));
            normalizedAsTheReference("\u2014" + prose.substring(0, cut));
        }
    }
}
