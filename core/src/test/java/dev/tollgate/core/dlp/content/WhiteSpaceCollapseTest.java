package dev.tollgate.core.dlp.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** The layout's white space collapsing keeps single spaces inside its runs and writes what the char loop wrote. */
class AppendCollapsedTest {
    /** The loop {@code appendCollapsed} ran before single spaces stayed in its runs, kept as the reference. */
    private static void appendCollapsedCharByChar(StringBuilder out, String text, boolean marked) {
        int n = text.length();
        int from = 0;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u00a0') {
                out.append(text, from, i);
                if (out.length() > 0 && !Character.isWhitespace(out.charAt(out.length() - 1))) {
                    out.append(' ');
                }
                from = i + 1;
            } else if (marked && (c == InlineGaps.OPEN || c == InlineGaps.CLOSE)) {
                out.append(text, from, i).append('\uFFFD');
                from = i + 1;
            }
        }
        out.append(text, from, n);
    }

    @Test
    void theRunsGiveTheTextOfTheCharLoop() {
        Random random = new Random(23);
        String[] pieces = {"a", "word", "4111", " ", "  ", "\t", "\n", "\r\n", "\f", "\u00a0", "\u2003", "\u000b", "\u001f",
            String.valueOf(InlineGaps.OPEN), String.valueOf(InlineGaps.CLOSE), "\uFFFD", "\u00e9t\u00e9", "\uD83D\uDE00"};
        String[] before = {"", "x", "x ", "x\u2003", "\n"};
        for (int round = 0; round < 50_000; round++) {
            StringBuilder text = new StringBuilder();
            for (int k = random.nextInt(16); k > 0; k--) {
                text.append(pieces[random.nextInt(pieces.length)]);
            }
            String start = before[random.nextInt(before.length)];
            boolean marked = random.nextBoolean();
            StringBuilder expected = new StringBuilder(start);
            appendCollapsedCharByChar(expected, text.toString(), marked);
            StringBuilder actual = new StringBuilder(start);
            ExtractionRun.appendCollapsed(actual, text.toString(), marked);
            assertThat(actual.toString()).as("%s + %s, marked %s", start, text, marked).isEqualTo(expected.toString());
        }
    }

    @Test
    void singleSpacesBetweenWordsAndCollapsedRunsOfWhiteSpace() {
        StringBuilder out = new StringBuilder();
        ExtractionRun.appendCollapsed(out, " card  number\t\n4111 1111\u00a0end ", false);
        assertThat(out).hasToString("card number 4111 1111 end ");
    }
}
