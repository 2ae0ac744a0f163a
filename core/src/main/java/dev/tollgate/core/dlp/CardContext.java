package dev.tollgate.core.dlp;

/**
 * Card context for digit groups joined like figures (spreadsheet cells, table columns, a sum): a card label word
 * ({@link #LABELS}, whole word, any case) on the line of the digits (the row's header cell included), on the line
 * before it, or on the first line of its block of lines (a table's header row; a block ends after an empty or blank
 * line, or at the start of the text). A line ends at {@code \n} or {@code \r}; text past the scan limit is not read.
 *
 * <p>Bare {@code credit} and {@code debit} are not labels: they head the columns of every ledger, whose rows of
 * amounts are the figures this rule keeps apart from cards ({@code credit card} and {@code debit card} are).
 *
 * <p>Work: the verdict is kept per line, and where the previous question's line and block start are known (asked
 * by the same {@link Hit}, left to right) the search back stops there, so each char is read a bounded number of
 * times over a whole scan however many rows there are.
 */
final class CardContext {
    /** Card label words, lower case; matched as whole words, case-insensitively. */
    static final String[] LABELS = {"card", "cards", "cardno", "cardnumber", "cardholder", "cc", "ccn", "pan",
        "visa", "mastercard", "master card", "amex", "american express", "diners", "discover", "jcb", "maestro",
        "unionpay", "credit card", "debit card", "creditcard", "cvv", "cvc", "kreditkarte", "kartennummer", "karte",
        "carte", "carte bancaire", "tarjeta", "cartão", "carta di credito", "creditcardnummer"};

    private CardContext() {
    }

    /**
     * @param text the scanned text
     * @param s where the digits start
     * @param limit the scan limit (exclusive)
     * @param hit the scan's state; caches the verdict of the last line and block asked about
     * @return whether a card label is on the line of {@code s}, the line before, or the first line of its block
     */
    static boolean near(CharSequence text, int s, int limit, Hit hit) {
        if (hit.ctxPos > s) {
            hit.ctxPos = -1; // asked out of order: forget what was known
        }
        int i = s;
        while (i > 0 && i > hit.ctxPos && !isBreak(text.charAt(i - 1))) {
            i--;
        }
        if (hit.ctxPos >= 0 && i == hit.ctxPos) {
            hit.ctxPos = s; // same line as the last question
            return hit.ctxVerdict;
        }
        int lineStart = i;
        boolean verdict = labelIn(text, lineStart, lineEnd(text, lineStart, limit));
        if (!verdict && lineStart > 0) {
            int prevEnd = lineStart - 1;
            if (prevEnd > 0 && text.charAt(prevEnd) == '\n' && text.charAt(prevEnd - 1) == '\r') {
                prevEnd--;
            }
            verdict = labelIn(text, lineStartBefore(text, prevEnd), prevEnd);
        }
        int header = headerStart(text, lineStart, hit);
        if (header != hit.ctxHeaderStart || hit.ctxPos < 0) {
            hit.ctxHeaderVerdict = labelIn(text, header, lineEnd(text, header, limit));
        }
        verdict |= hit.ctxHeaderVerdict;
        hit.ctxPos = s;
        hit.ctxLineStart = lineStart;
        hit.ctxHeaderStart = header;
        hit.ctxVerdict = verdict;
        return verdict;
    }

    /** The first line of the block holding the line at lineStart: back over lines up to a blank one. */
    private static int headerStart(CharSequence text, int lineStart, Hit hit) {
        int line = lineStart;
        while (line > 0) {
            if (hit.ctxPos >= 0 && line == hit.ctxLineStart) {
                return hit.ctxHeaderStart; // the block of the last question's line, with no blank line since
            }
            int prevEnd = line - 1;
            if (prevEnd > 0 && text.charAt(prevEnd) == '\n' && text.charAt(prevEnd - 1) == '\r') {
                prevEnd--;
            }
            int prevStart = lineStartBefore(text, prevEnd);
            if (blank(text, prevStart, prevEnd)) {
                return line;
            }
            line = prevStart;
        }
        return 0;
    }

    private static boolean isBreak(char c) {
        return c == '\n' || c == '\r';
    }

    /** @return the start of the line that ends at end (exclusive) */
    private static int lineStartBefore(CharSequence text, int end) {
        int i = end;
        while (i > 0 && !isBreak(text.charAt(i - 1))) {
            i--;
        }
        return i;
    }

    private static int lineEnd(CharSequence text, int start, int limit) {
        int i = start;
        while (i < limit && !isBreak(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean blank(CharSequence text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c != ' ' && c != '\t' && c != '\u00a0') {
                return false;
            }
        }
        return true;
    }

    /** Whether a label occurs in [from, to) as a whole word. */
    static boolean labelIn(CharSequence text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (i > 0 && Chars.isWordChar(text.charAt(i - 1))) {
                continue;
            }
            char c = Character.toLowerCase(text.charAt(i));
            for (String label : LABELS) {
                if (label.charAt(0) == c && matchesAt(text, i, to, label)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean matchesAt(CharSequence text, int i, int to, String label) {
        int n = label.length();
        if (i + n > to) {
            return false;
        }
        for (int k = 1; k < n; k++) {
            if (Character.toLowerCase(text.charAt(i + k)) != label.charAt(k)) {
                return false;
            }
        }
        return i + n == to || !Chars.isWordChar(text.charAt(i + n));
    }
}
