package dev.tollgate.core.dlp.content;

import java.util.ArrayList;
import java.util.List;

import org.jsoup.nodes.Element;

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
 * The text holds the lines that changed, each with the nearest non-blank line before and after it (so a label such
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

    /** An element's extent in a line: [open, close] are the indices of its markers. */
    private static final class Region {
        final int open;
        final int close;
        boolean digits;

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
        // lines as offsets into the text, not copies: the text may be as large as the part
        List<int[]> lines = new ArrayList<>();
        int start = 0;
        while (start <= marked.length()) {
            int end = marked.indexOf('\n', start);
            if (end < 0) {
                end = marked.length();
            }
            lines.add(new int[] {start, end});
            start = end + 1;
        }
        java.util.Map<Integer, String> shown = new java.util.TreeMap<>();
        java.util.Set<Integer> keep = new java.util.TreeSet<>();
        List<String> windows = new ArrayList<>();
        int open = -1;
        for (int i = 0; i < lines.size(); i++) {
            int[] bounds = lines.get(i);
            if (open < bounds[0]) {
                open = marked.indexOf(OPEN, bounds[0]);
                if (open < 0) {
                    break; // no marker in this line or any after it
                }
            }
            if (open >= bounds[1]) {
                continue;
            }
            String line = marked.substring(bounds[0], bounds[1]);
            List<Region> gaps = gaps(line);
            if (gaps.isEmpty()) {
                continue;
            }
            boolean[] removed = new boolean[line.length()];
            int withDigits = 0;
            for (Region g : gaps) {
                java.util.Arrays.fill(removed, g.open, g.close + 1, true);
                withDigits += g.digits ? 1 : 0;
            }
            shown.put(i, render(line, removed, 0, line.length()));
            keep.add(i);
            if (withDigits >= 2) {
                for (Region g : gaps) {
                    if (!g.digits || windows.size() >= MAX_WINDOWS) {
                        continue;
                    }
                    boolean[] alone = new boolean[line.length()];
                    for (Region o : gaps) {
                        if (o == g || !o.digits) {
                            java.util.Arrays.fill(alone, o.open, o.close + 1, true);
                        }
                    }
                    windows.add(window(line, alone, g));
                }
            }
        }
        if (shown.isEmpty()) {
            return null;
        }
        for (int i : shown.keySet()) {
            keepNearestNonBlank(marked, lines, keep, i, -1);
            keepNearestNonBlank(marked, lines, keep, i, 1);
        }
        StringBuilder out = new StringBuilder();
        int last = -2;
        for (int i : keep) {
            if (last >= 0) {
                out.append(i == last + 1 ? "\n" : "\n\n");
            }
            String line = shown.get(i);
            out.append(line != null ? line : render(marked, null, lines.get(i)[0], lines.get(i)[1]));
            last = i;
        }
        for (String w : windows) {
            out.append("\n\n").append(w);
        }
        return out.toString();
    }

    /** The outermost gaps of a line, in order. */
    private static List<Region> gaps(String line) {
        List<Region> regions = new ArrayList<>();
        int[] stack = new int[8];
        int depth = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == OPEN) {
                if (depth == stack.length) {
                    stack = java.util.Arrays.copyOf(stack, depth * 2);
                }
                stack[depth++] = i;
            } else if (c == CLOSE && depth > 0) {
                regions.add(new Region(stack[--depth], i)); // inner ones first
            }
        }
        // the element's other end on another line (it holds a line break): no gap, its markers only dropped
        List<Region> gaps = new ArrayList<>();
        for (Region r : regions) {
            if (isGap(line, r)) {
                gaps.add(r);
            }
        }
        gaps.sort((a, b) -> Integer.compare(a.open, b.open));
        List<Region> outer = new ArrayList<>();
        for (Region g : gaps) {
            if (!outer.isEmpty() && g.close < outer.get(outer.size() - 1).close) {
                continue; // inside the previous gap
            }
            outer.add(g);
        }
        return outer;
    }

    private static boolean isGap(String line, Region r) {
        int chars = 0;
        for (int i = r.open + 1; i < r.close; i++) {
            char c = line.charAt(i);
            if (c == '\t') {
                return false;
            }
            if (c != ' ' && c != OPEN && c != CLOSE) {
                if (++chars > MAX_GAP_CHARS) {
                    return false;
                }
                r.digits |= Character.isDigit(c);
            }
        }
        return chars > 0 && Character.isDigit(neighbour(line, r.open - 1, -1))
                && Character.isDigit(neighbour(line, r.close + 1, 1));
    }

    /** The nearest char from {@code i} on in direction {@code step} that is no space or marker; ' ' if none. */
    private static char neighbour(String line, int i, int step) {
        for (; i >= 0 && i < line.length(); i += step) {
            char c = line.charAt(i);
            if (c != ' ' && c != OPEN && c != CLOSE) {
                return c;
            }
        }
        return ' ';
    }

    /** The chars of line[from, to) not removed, markers dropped, a space left by a removal not doubled. */
    private static String render(String line, boolean[] removed, int from, int to) {
        StringBuilder out = new StringBuilder(to - from);
        boolean cut = false;
        for (int i = from; i < to; i++) {
            char c = line.charAt(i);
            if (removed != null && removed[i]) {
                cut = true;
                continue;
            }
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

    /** The line around gap g with the chars of {@code removed} left out, cut at spaces. */
    private static String window(String line, boolean[] removed, Region g) {
        int from = Math.max(0, g.open - WINDOW_CHARS);
        int to = Math.min(line.length(), g.close + 1 + WINDOW_CHARS);
        if (from > 0) {
            int space = line.indexOf(' ', from);
            from = space >= 0 && space < g.open ? space + 1 : g.open;
        }
        if (to < line.length()) {
            int space = line.lastIndexOf(' ', to - 1);
            to = space > g.close ? space : g.close + 1;
        }
        return render(line, removed, from, to).trim();
    }

    private static void keepNearestNonBlank(String text, List<int[]> lines, java.util.Set<Integer> keep, int from,
            int step) {
        for (int j = from + step; j >= 0 && j < lines.size(); j += step) {
            if (!render(text, null, lines.get(j)[0], lines.get(j)[1]).isBlank()) {
                keep.add(j);
                return;
            }
        }
    }
}
