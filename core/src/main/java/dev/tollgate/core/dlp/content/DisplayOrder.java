package dev.tollgate.core.dlp.content;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import com.ibm.icu.text.Bidi;

import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;

/**
 * The display (visual) order of text that a mail client lays out differently from the order it is stored in
 * (Unicode Bidirectional Algorithm, UAX #9, through ICU4J's {@link Bidi}). Text carrying a right-to-left override
 * ({@code U+202E 1111 1111 1111 1114}) is shown as {@code 4111 1111 1111 1111}; DLP reads the stored (logical)
 * order, and reads this display order as well.
 *
 * <p>Only the lines that need it are reordered: a line that holds an explicit bidi control (embeddings
 * U+202A/U+202B, overrides U+202D/U+202E, pop U+202C, isolates U+2066–U+2069, marks U+200E/U+200F/U+061C) or a
 * right-to-left letter (Hebrew, Arabic, Syriac, Thaana, N'Ko... and their presentation forms, and the
 * supplementary blocks U+10800–U+10FFF and U+1E800–U+1EFFF such as Adlam and Old Hungarian) together with a
 * digit. Each such line is laid out on its own, its paragraph direction taken from its first strong letter
 * (left-to-right when it has none, as a plain-text client shows it), the controls themselves dropped; the
 * nearest non-blank line before and after each one comes with it, in stored order, so a label on the line
 * before still reads as the number's context. Text without
 * any of these characters is answered from one pass over its chars that skips everything below U+0590 (ASCII and
 * Latin mail pay one comparison per char).
 *
 * <p>CSS reorders an HTML element's children too ({@link #cssChildren}): a flex container shows its items sorted by
 * their {@code order} (CSS Flexbox 1 §5.4) and, with {@code flex-direction} (or {@code flex-flow})
 * {@code row-reverse} or {@code column-reverse}, last first (§5.1); a grid container sorts by {@code order} too;
 * children floated right (CSS 2.1 §9.5) are shown after the others, last first. Not
 * followed: grid placement ({@code grid-area}, {@code grid-row}, {@code grid-column}, {@code grid-template-areas}),
 * {@code float: left} among inline content, absolute positioning, {@code direction: rtl} on a flex
 * container, {@code writing-mode}, {@code flex-wrap: wrap-reverse}, and where floats wrap to more lines.
 */
final class DisplayOrder {
    private DisplayOrder() {
    }

    /**
     * The child nodes of a flex or grid container in the order a browser shows them: stably sorted by the
     * {@code order} of each element child (an integer, 0 when unset or not read; text runs are items of order 0),
     * then reversed for a flex container whose {@code flex-direction} or {@code flex-flow} says {@code reverse};
     * white space between items left out and a space put between them (each item is a box of its own).
     * Properties come from the inline {@code style} attribute, else from the {@code <style>} rules
     * ({@link HtmlHiding.Sheets#layout}).
     *
     * @param e an element
     * @param inline its inline declarations ({@link HtmlHiding#inlineStyle})
     * @return the children in shown order, or null when {@code e} shows them as stored (no flex or grid container
     *         and no child floated right ({@link #floatedRight}), or an order that changes nothing)
     */
    static List<Node> cssChildren(Element e, Map<String, String> inline, HtmlHiding.Sheets sheets) {
        String display = property(e, inline, sheets, "display");
        boolean flex = display != null && display.contains("flex");
        if (!flex && (display == null || !display.contains("grid"))) {
            return floatedRight(e.childNodes(), sheets);
        }
        boolean reverse = false;
        if (flex) {
            String direction = property(e, inline, sheets, "flex-direction");
            if (direction == null) {
                direction = property(e, inline, sheets, "flex-flow");
            }
            reverse = direction != null && REVERSE.matcher(direction).find();
        }
        List<Node> children = e.childNodes();
        int[] order = new int[children.size()];
        for (int i = 0; i < order.length; i++) {
            Node c = children.get(i);
            if (c instanceof Element) {
                Element child = (Element) c;
                order[i] = orderOf(property(child, HtmlHiding.inlineStyle(child), sheets, "order"));
            }
        }
        boolean reordered = reverse;
        for (int i = 1; i < order.length && !reordered; i++) {
            reordered = order[i] < order[i - 1];
        }
        if (!reordered) {
            return null;
        }
        List<Integer> index = new ArrayList<>(order.length);
        for (int i = 0; i < order.length; i++) {
            index.add(i);
        }
        index.sort((a, b) -> Integer.compare(order[a], order[b])); // stable: equal orders keep the stored order
        if (reverse) {
            Collections.reverse(index);
        }
        return items(children, index);
    }

    /**
     * The children of an element that is no flex or grid container, where {@code float: right} children holding
     * text move them: each goes to the right end of the line, the first rightmost, so the line reads the other
     * children in order, then the floated ones last first (the first line of a block, as a browser shows it when
     * they fit). Null when no child floats right, none of them holds text, or the order is unchanged.
     */
    private static List<Node> floatedRight(List<Node> children, HtmlHiding.Sheets sheets) {
        List<Integer> others = null;
        List<Integer> floats = null;
        boolean text = false;
        for (int i = 0; i < children.size(); i++) {
            Node c = children.get(i);
            if (c instanceof Element && "right".equals(property((Element) c, HtmlHiding.inlineStyle((Element) c), sheets,
                    "float"))) {
                if (floats == null) {
                    floats = new ArrayList<>();
                    others = new ArrayList<>();
                    for (int k = 0; k < i; k++) {
                        others.add(k);
                    }
                }
                floats.add(i);
                text |= !((Element) c).text().isBlank();
            } else if (others != null) {
                others.add(i);
            }
        }
        if (floats == null || !text) {
            return null;
        }
        Collections.reverse(floats);
        others.addAll(floats);
        for (int i = 0; i < others.size(); i++) {
            if (others.get(i) != i) {
                return items(children, others);
            }
        }
        return null;
    }

    /** The children at {@code index}, white space between items left out and a space between them. */
    private static List<Node> items(List<Node> children, List<Integer> index) {
        List<Node> out = new ArrayList<>(2 * index.size());
        for (int i : index) {
            Node c = children.get(i);
            if (c instanceof TextNode && ((TextNode) c).isBlank()) {
                continue; // white space between items is not laid out
            }
            if (!out.isEmpty()) {
                out.add(new TextNode(" ")); // items are boxes side by side (or stacked): read apart
            }
            out.add(c);
        }
        return out;
    }

    private static final java.util.regex.Pattern REVERSE = java.util.regex.Pattern.compile("\\b(?:row|column)-reverse\\b");

    private static String property(Element e, Map<String, String> inline, HtmlHiding.Sheets sheets, String name) {
        String v = inline.get(name);
        if (v == null && !sheets.layout.isEmpty()) {
            Map<String, String> m = sheets.layout.get(e);
            v = m == null ? null : m.get(name);
        }
        return v;
    }

    /** Integers CSS allows for {@code order}; anything else is the initial 0. */
    private static int orderOf(String value) {
        if (value == null || value.isEmpty() || !value.matches("[+-]?\\d+")) {
            return 0;
        }
        // browsers clamp integers beyond their range: order:1000000000000 sorts after order:2
        boolean negative = value.startsWith("-");
        String digits = value.replaceFirst("^[+-]?0*", "");
        if (digits.length() > 10) {
            return negative ? Integer.MIN_VALUE : Integer.MAX_VALUE;
        }
        long v = digits.isEmpty() ? 0 : Long.parseLong(digits);
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, negative ? -v : v));
    }

    /**
     * @param text text as decoded, before normalisation (the controls are still in it)
     * @return the lines whose display differs from their stored order, in display order, each with the nearest
     *         non-blank line before and after it in stored order (so a label such as {@code Card number:} on the
     *         line before stays next to the number); lines end at CR, LF or CRLF and are joined with {@code '\n'}, groups
     *         of lines that are not adjacent are separated by a blank line; null when no line needs reordering or
     *         none reads differently
     */
    static String of(String text) {
        if (!mayReorder(text)) {
            return null;
        }
        List<String> lines = new ArrayList<>();
        int start = 0;
        while (start <= text.length()) {
            int end = start;
            while (end < text.length() && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
                end++;
            }
            lines.add(text.substring(start, end));
            start = end + (end + 1 < text.length() && text.charAt(end) == '\r' && text.charAt(end + 1) == '\n' ? 2 : 1);
        }
        String[] shown = new String[lines.size()];
        boolean[] keep = new boolean[lines.size()];
        boolean any = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (lineNeedsReordering(line)) {
                String visual = visual(line);
                if (!visual.equals(withoutControls(line))) {
                    shown[i] = visual;
                    keep[i] = true;
                    any = true;
                }
            }
        }
        if (!any) {
            return null;
        }
        for (int i = 0; i < lines.size(); i++) {
            if (shown[i] != null) {
                keepNearestNonBlank(lines, keep, i, -1);
                keepNearestNonBlank(lines, keep, i, 1);
            }
        }
        StringBuilder out = new StringBuilder();
        int last = -2;
        for (int i = 0; i < lines.size(); i++) {
            if (!keep[i]) {
                continue;
            }
            if (last >= 0) {
                out.append(i == last + 1 ? "\n" : "\n\n");
            }
            out.append(shown[i] != null ? shown[i] : lines.get(i));
            last = i;
        }
        return out.toString();
    }

    private static void keepNearestNonBlank(List<String> lines, boolean[] keep, int from, int step) {
        for (int j = from + step; j >= 0 && j < lines.size(); j += step) {
            if (!lines.get(j).isBlank()) {
                keep[j] = true;
                return;
            }
        }
    }

    /** @return whether the text holds any char that can make a line's display differ from its stored order */
    static boolean mayReorder(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x0590 && (isControl(c) || isRightToLeft(c))) {
                return true;
            }
        }
        return false;
    }

    private static boolean lineNeedsReordering(String line) {
        boolean rtl = false;
        boolean digit = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (isControl(c)) {
                return true;
            }
            rtl |= isRightToLeft(c);
            digit |= Character.isDigit(c);
        }
        return rtl && digit;
    }

    /** Explicit bidi formatting characters (UAX #9 §2) and the implicit marks. */
    static boolean isControl(char c) {
        return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200E || c == 0x200F
                || c == 0x061C;
    }

    /**
     * Blocks of right-to-left scripts (their letters are bidi class R or AL): U+0590–U+08FF, the presentation forms,
     * and the supplementary right-to-left blocks U+10800–U+10FFF (Old Hungarian, Hanifi Rohingya...) and
     * U+1E800–U+1EFFF (Adlam, Mende Kikakui, Arabic mathematical letters), seen here by their high surrogates
     * U+D802–U+D803 and U+D83A–U+D83B.
     */
    private static boolean isRightToLeft(char c) {
        return (c >= 0x0590 && c <= 0x08FF) || (c >= 0xFB1D && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFE)
                || (c >= 0xD802 && c <= 0xD803) || (c >= 0xD83A && c <= 0xD83B);
    }

    private static String visual(String line) {
        Bidi bidi = new Bidi(line, Bidi.DIRECTION_DEFAULT_LEFT_TO_RIGHT);
        return bidi.writeReordered(Bidi.REMOVE_BIDI_CONTROLS);
    }

    private static String withoutControls(String line) {
        StringBuilder out = new StringBuilder(line.length());
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (!isControl(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }
}
