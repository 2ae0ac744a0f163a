package dev.tollgate.core.dlp.content;

import java.util.ArrayList;
import java.util.List;

import org.jsoup.nodes.Element;

import dev.tollgate.core.dlp.PaymentCardDetector;

/**
 * A second reading of an HTML part's laid-out text in which the short inline elements that sit between two digits
 * are left out, so that digits a reader sees side by side are read side by side whatever hides the element between
 * them, also by CSS that {@link HtmlHiding} does not know.
 *
 * <p>An element is a <em>gap</em> when it is inline (not a block, {@code <br>} or table cell, as jsoup classes tags)
 * and holds no line or cell break, its laid-out text is not blank and has at most {@value #MAX_GAP_CHARS} chars other
 * than spaces (hidden descendants already left out), and the nearest char other than a space before it and after it,
 * on the same line, is a digit ({@code 4111 <span>x</span>1111}, {@code 4111<b>9</b> 1111}). Gaps inside gaps count
 * as the outer one.
 *
 * <p>Whether the element is junk the reader does not see or digits the reader does see cannot be told from the
 * markup alone (the CSS that hides it may be unknown), and reading every combination would be exponential. So the
 * reading is bounded and linear in the text:
 * <ul>
 *   <li>each line holding a gap is read once with every gap left out: this reads a card split by any number of
 *       hidden digit-free or digit-holding elements, as long as the card's own digits are not themselves short
 *       elements between digits (then the ordinary reading holds the card);</li>
 *   <li>where a line holds two or more gaps with digits in them (a card written as digit elements with a hidden
 *       digit element among them), each of them, up to {@value #MAX_WINDOWS} per part, is also left out alone, the
 *       other digit-holding gaps kept and the digit-free ones left out: a window of up to {@value #WINDOW_CHARS}
 *       chars on either side, cut at spaces, as a paragraph of its own. Two or more hidden digit elements among
 *       visible digit elements on one line are not read.</li>
 * </ul>
 * A digit-free gap that may be visible text, a word set apart by spaces on both sides ({@code 4024 <i>or</i> 0071})
 * or marks without letters ({@code 4024<sup>€</sup> 0071}, {@code 4024 <b>–</b> 0071}), is not dropped but
 * replaced by {@link PaymentCardDetector#GAP_SEPARATOR}, which joins card groups only under a card label: a reader
 * sees those numbers apart. Letters glued to a digit on either side ({@code 4111<x>1111}, {@code 4111 <x>1111}) are
 * not how visible words are set, and are left out.
 *
 * <p>The text holds the lines that changed, each with the nearest non-blank line before and after it (so a label such
 * as {@code Card number:} stays next to the number), then the windows. Stateless and thread-safe.
 */
final class InlineGaps {
    /** Marker chars the marked layout writes around every inline element (Unicode noncharacters). */
    static final char OPEN = '\uFDD0';
    static final char CLOSE = '\uFDD1';
    /** Chars other than spaces an element's laid-out text may hold to be a gap. */
    static final int MAX_GAP_CHARS = 12;
    /** Single-gap windows per part. */
    static final int MAX_WINDOWS = 32;
    /** Chars of a window on either side of its gap. */
    static final int WINDOW_CHARS = 48;

    private InlineGaps() {
    }

    /** @return whether the marked layout wraps the element: inline, not a line break ({@code <br>}) */
    static boolean isCandidate(Element e) {
        return !e.isBlock() && !e.normalName().equals("br");
    }

    /** An element's extent: [open, close] are the indices of its markers in the marked text. */
    private static final class Region {
        final int open;
        final int close;
        boolean digits;
        /** Digit-free, and either set apart by spaces on both sides or without letters: may be visible text. */
        boolean visible;

        Region(int open, int close) {
            this.open = open;
            this.close = close;
        }
    }

    /**
     * @param marked laid-out text with {@link #OPEN}/{@link #CLOSE} around inline elements (lines end at {@code \n})
     * @return the reading without gaps (see the class comment), markers removed; null when no line holds a gap
     */
    static String of(String marked) {
        // one pass over the lines, in place: the text may be as large as the part, so neither it nor a line is copied
        StringBuilder out = new StringBuilder();
        List<String> windows = new ArrayList<>();
        int lastShown = -1;
        int previousStart = -1;
        int previousEnd = -1;
        int previousIndex = -1;
        boolean wantNext = false;
        int open = marked.indexOf(OPEN);
        int index = 0;
        for (int start = 0; start <= marked.length(); index++) {
            int end = marked.indexOf('\n', start);
            if (end < 0) {
                end = marked.length();
            }
            if (open >= 0 && open < start) {
                open = marked.indexOf(OPEN, start);
            }
            if (open < 0 && !wantNext) {
                break; // no marker further on, and no line wanted for context
            }
            String changed = null;
            if (open >= start && open < end) {
                List<Region> gaps = gaps(marked, start, end);
                if (!gaps.isEmpty()) {
                    changed = render(marked, gaps, null, start, end);
                    addWindows(marked, start, end, gaps, windows);
                }
            }
            boolean blank = isBlank(marked, start, end);
            if (changed != null) {
                if (previousIndex > lastShown) {
                    lastShown = show(out, lastShown, previousIndex, render(marked, null, null, previousStart, previousEnd));
                }
                lastShown = show(out, lastShown, index, changed);
                wantNext = true;
            } else if (wantNext && !blank) {
                lastShown = show(out, lastShown, index, render(marked, null, null, start, end));
                wantNext = false;
            }
            if (!blank) {
                previousStart = start;
                previousEnd = end;
                previousIndex = index;
            }
            start = end + 1;
        }
        if (lastShown < 0) {
            return null;
        }
        for (String w : windows) {
            out.append("\n\n").append(w);
        }
        return out.toString();
    }

    /** Appends line {@code index} after the one last shown (a line break, or a blank line when not adjacent). */
    private static int show(StringBuilder out, int lastShown, int index, String line) {
        if (lastShown >= 0) {
            out.append(index == lastShown + 1 ? "\n" : "\n\n");
        }
        out.append(line);
        return index;
    }

    private static boolean isBlank(String text, int start, int end) {
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c != OPEN && c != CLOSE && !Character.isWhitespace(c)) {
                return false;
            }
        }
        return true;
    }

    /** Where the line holds two or more gaps with digits: each of them left out alone, up to {@link #MAX_WINDOWS}. */
    private static void addWindows(String text, int start, int end, List<Region> gaps, List<String> windows) {
        int withDigits = 0;
        for (Region g : gaps) {
            withDigits += g.digits ? 1 : 0;
        }
        if (withDigits < 2) {
            return;
        }
        for (Region g : gaps) {
            if (windows.size() >= MAX_WINDOWS) {
                return;
            }
            if (g.digits) {
                windows.add(window(text, start, end, gaps, g));
            }
        }
    }

    /** The outermost gaps of the line text[start, end), in order. */
    private static List<Region> gaps(String text, int start, int end) {
        List<Region> regions = new ArrayList<>();
        int[] stack = new int[8];
        int depth = 0;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c == OPEN) {
                if (depth == stack.length) {
                    stack = java.util.Arrays.copyOf(stack, depth * 2);
                }
                stack[depth++] = i;
            } else if (c == CLOSE && depth > 0) {
                Region r = new Region(stack[--depth], i); // inner ones first
                if (isGap(text, start, end, r)) {
                    regions.add(r);
                }
            }
        }
        // an element whose other end is on another line (it holds a line break) is no gap: its markers are dropped
        regions.sort((a, b) -> Integer.compare(a.open, b.open));
        List<Region> outer = new ArrayList<>();
        for (Region g : regions) {
            if (!outer.isEmpty() && g.close < outer.get(outer.size() - 1).close) {
                continue; // inside the previous gap
            }
            outer.add(g);
        }
        return outer;
    }

    private static boolean isGap(String text, int start, int end, Region r) {
        int chars = 0;
        boolean letters = false;
        for (int i = r.open + 1; i < r.close; i++) {
            char c = text.charAt(i);
            if (c == '\t') {
                return false;
            }
            if (c != ' ' && c != OPEN && c != CLOSE) {
                if (++chars > MAX_GAP_CHARS) {
                    return false;
                }
                r.digits |= Character.isDigit(c);
                letters |= Character.isLetter(c);
            }
        }
        if (chars == 0 || !Character.isDigit(neighbour(text, r.open - 1, start, -1))
                || !Character.isDigit(neighbour(text, r.close + 1, end - 1, 1))) {
            return false;
        }
        // a word between two numbers with spaces around it (4024 <i>or</i> 0071), or a mark (4024<sup>€</sup>
        // 0071, 4024 <b>–</b> 0071), reads as visible text; letters glued to a digit (4111<x>1111) do not
        r.visible = !r.digits && (!letters || spaced(text, r.open, r.close, start, -1)
                && spaced(text, r.close, r.open, end - 1, 1));
        return true;
    }

    /**
     * Whether a space stands between the gap's marker at {@code marker} and its nearest char other than a space or
     * marker, inside the element (towards {@code inner}) or outside it (towards {@code limit}).
     */
    private static boolean spaced(String text, int marker, int inner, int limit, int step) {
        for (int i = marker - step; step < 0 ? i < inner : i > inner; i -= step) {
            char c = text.charAt(i);
            if (c == ' ') {
                return true;
            }
            if (c != OPEN && c != CLOSE) {
                break;
            }
        }
        for (int i = marker + step; step < 0 ? i >= limit : i <= limit; i += step) {
            char c = text.charAt(i);
            if (c == ' ') {
                return true;
            }
            if (c != OPEN && c != CLOSE) {
                return false;
            }
        }
        return false;
    }

    /** The nearest char from {@code i} up to {@code limit} in direction {@code step} that is no space or marker; ' ' if none. */
    private static char neighbour(String text, int i, int limit, int step) {
        for (; step < 0 ? i >= limit : i <= limit; i += step) {
            char c = text.charAt(i);
            if (c != ' ' && c != OPEN && c != CLOSE) {
                return c;
            }
        }
        return ' ';
    }

    /**
     * The chars of text[from, to) but those of the gaps in {@code skip} (sorted, apart) other than {@code kept} and,
     * when {@code kept} is set, of the digit-holding gaps other than the one being left out; markers dropped; a space
     * left by a removal not doubled.
     *
     * @param skip the gaps to leave out, or null for none
     * @param alone null, or the one digit-holding gap to leave out with the digit-free ones (a window)
     */
    private static String render(String text, List<Region> skip, Region alone, int from, int to) {
        StringBuilder out = new StringBuilder(Math.min(to - from, 1 << 16));
        int next = 0;
        boolean cut = false;
        for (int i = from; i < to; i++) {
            while (skip != null && next < skip.size() && skip.get(next).close < i) {
                next++;
            }
            if (skip != null && next < skip.size()) {
                Region r = skip.get(next);
                if (r.open <= i && (alone == null || r == alone || !r.digits)) {
                    cut = true;
                    i = r.close;
                    if (r.visible) {
                        out.append(PaymentCardDetector.GAP_SEPARATOR);
                        cut = false;
                    }
                    continue;
                }
            }
            char c = text.charAt(i);
            if (c == OPEN || c == CLOSE) {
                continue;
            }
            if (c == ' ' && cut && out.length() > 0 && out.charAt(out.length() - 1) == ' ') {
                continue;
            }
            cut = false;
            out.append(c);
        }
        return out.toString();
    }

    /** The line text[start, end) around gap g, g and the digit-free gaps left out, cut at spaces. */
    private static String window(String text, int start, int end, List<Region> gaps, Region g) {
        int from = Math.max(start, g.open - WINDOW_CHARS);
        int to = Math.min(end, g.close + 1 + WINDOW_CHARS);
        for (Region r : gaps) { // not inside a gap
            if (r.open < from && from <= r.close) {
                from = r.open;
            }
            if (r.open < to && to <= r.close) {
                to = r.close + 1;
            }
        }
        if (from > start) {
            int space = text.indexOf(' ', from);
            from = space >= 0 && space < g.open ? space + 1 : g.open;
        }
        if (to < end) {
            int space = text.lastIndexOf(' ', to - 1);
            to = space > g.close ? space : g.close + 1;
        }
        return render(text, gaps, g, from, to).trim();
    }
}
