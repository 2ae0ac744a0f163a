package dev.tollgate.core.dlp.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The layout's white space collapsing (runs, and Latin-1 text passed over a word at a time) writes what the char
 * loop wrote.
 */
class WhiteSpaceCollapseTest {
    /** The loop the layout ran before single spaces stayed in its runs, kept as the reference. */
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

    /** Appends {@code text} after a random start, marked or not, and compares with the char loop. */
    private static void assertAsTheCharLoop(Random random, String text) {
        String[] before = {"", "x", "x ", "x\u2003", "\n"};
        String start = before[random.nextInt(before.length)];
        boolean marked = random.nextBoolean();
        StringBuilder expected = new StringBuilder(start);
        appendCollapsedCharByChar(expected, text, marked);
        StringBuilder actual = new StringBuilder(start);
        WhiteSpaceCollapse.append(actual, text, marked);
        assertThat(actual.toString()).as("%s + %s, marked %s", start, text, marked).isEqualTo(expected.toString());
    }

    @Test
    void theRunsGiveTheTextOfTheCharLoop() {
        Random random = new Random(23);
        String[] pieces = {"a", "word", "4111", " ", "  ", "\t", "\n", "\r\n", "\f", "\u00a0", "\u2003", "\u000b", "\u001f",
            String.valueOf(InlineGaps.OPEN), String.valueOf(InlineGaps.CLOSE), "\uFFFD", "\u00e9t\u00e9", "\uD83D\uDE00"};
        for (int round = 0; round < 50_000; round++) {
            StringBuilder text = new StringBuilder();
            for (int k = random.nextInt(16); k > 0; k--) {
                text.append(pieces[random.nextInt(pieces.length)]);
            }
            assertAsTheCharLoop(random, text.toString());
        }
    }

    /** Long texts, mostly Latin-1, so that most of each is passed over eight chars at a time. */
    @Test
    void latin1TextReadAWordAtATimeGivesTheTextOfTheCharLoop() {
        Random random = new Random(29);
        String[] pieces = {"a", "word", "4111", "\u00e9t\u00e9", "caf\u00e9 ", " ", " ", " ", "  ", "\t", "\n", "\r\n", "\f",
            "\u00a0", "?", "\u00bf", "\u0085", "\u0080", "\u009f", "\u00a1", "\u007f", "\u000b", "\u001c", "\u0000",
            "\u2003", "\u2028", "\u4e00", "\u0120", "\u0100", String.valueOf(InlineGaps.OPEN),
            String.valueOf(InlineGaps.CLOSE), "\uD83D\uDE00"};
        for (int round = 0; round < 50_000; round++) {
            StringBuilder text = new StringBuilder("Plain words first ");
            boolean latin1 = random.nextBoolean();
            for (int k = random.nextInt(60); k > 0; k--) {
                // mostly letters and single spaces, as prose is; now and then any piece
                String piece = random.nextInt(3) > 0 ? pieces[random.nextInt(5)] + " " : pieces[random.nextInt(pieces.length)];
                if (latin1 && piece.chars().anyMatch(c -> c > 0xFF)) {
                    piece = "z";
                }
                text.append(piece);
            }
            assertAsTheCharLoop(random, text.toString());
        }
    }

    @Test
    void aSpaceAfterWhiteSpaceBeyondLatin1InALongTextIsNotWritten() {
        StringBuilder out = new StringBuilder();
        WhiteSpaceCollapse.append(out, "a long enough text\u2028 then  more\u00a0 words end", false);
        assertThat(out).hasToString("a long enough text\u2028then more words end");
    }

    @Test
    void singleSpacesBetweenWordsAndCollapsedRunsOfWhiteSpace() {
        StringBuilder out = new StringBuilder();
        WhiteSpaceCollapse.append(out, " card  number\t\n4111 1111\u00a0end ", false);
        assertThat(out).hasToString("card number 4111 1111 end ");
    }
}
