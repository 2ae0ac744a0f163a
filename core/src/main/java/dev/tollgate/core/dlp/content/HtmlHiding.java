package dev.tollgate.core.dlp.content;

import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Selector;

/**
 * CSS that hides an element's text from the reader while it stays in the document (CSS 2.1 §9.2.4 {@code display},
 * §11.2 {@code visibility}, §15.7 {@code font-size}; CSS Color 3 {@code opacity}, {@code transparent} and alpha),
 * and the direction CSS gives it. Declarations are read with comments removed and escapes resolved
 * ({@link #declarations}). An element counts as hidden when its declarations say:
 * <ul>
 *   <li>{@code display: none}, {@code visibility: hidden} or {@code collapse}, or {@code mso-hide: all};</li>
 *   <li>{@code opacity} at most {@value #MAX_HIDDEN_OPACITY} (or 5%);</li>
 *   <li>a {@code font-size} below one pixel: under 1px, 0.75pt, 0.07em/rem, 0.14ex/ch, 7%, 0.26mm, 0.026cm,
 *       0.0104in, 0.0625pc, or a unitless 0;</li>
 *   <li>a {@code color} that is {@code transparent} or has alpha 0 ({@code rgba(…, 0)}, {@code #rgba},
 *       {@code #rrggbbaa}, {@code hsla(…, 0)});</li>
 *   <li>off the screen: {@code position} {@code absolute}, {@code fixed} or {@code relative} with {@code left} or
 *       {@code top} at most {@value #OFF_SCREEN_PX} CSS pixels, or such a {@code text-indent} (1em = 16px,
 *       1ex = 8px, a percentage or viewport unit taken as 10px);</li>
 *   <li>a zero {@code width}, {@code height}, {@code max-width} or {@code max-height} with {@code overflow},
 *       {@code overflow-x} or {@code overflow-y} {@code hidden} or {@code clip};</li>
 *   <li>any {@code clip-path} but {@code none} (and the global keywords), or a {@code clip: rect(…)} of no area
 *       (bottom not below top, or right not right of left: {@code rect(0 0 0 0)}, {@code rect(1px,1px,1px,1px)});</li>
 *   <li>a {@code transform} with a {@code scale}, {@code scaleX}/{@code Y}/{@code Z} or {@code scale3d} factor below
 *       {@value #MAX_HIDDEN_SCALE} in absolute value, or such a {@code scale} property;</li>
 *   <li>(inline {@code style} or a {@code <font color>} attribute only) a {@code color} equal in red, green and blue to the {@code background-color}
 *       (or the first colour of {@code background}, or the {@code bgcolor} attribute) of the element or its nearest
 *       ancestor that sets one, within {@value #MAX_BACKGROUND_DEPTH} levels (a transparent one passed over; beyond them the colour is read
 *       as visible); white when none does and no {@code <style>} sheet sets a background. Colours are
 *       compared as hex ({@code #rgb}, {@code #rrggbb}), {@code rgb()}/{@code rgba()} and a few names.</li>
 * </ul>
 * Rules of {@code <style>} elements are applied when their declarations hide in one of the ways above but the
 * last, set {@code direction} or {@code unicode-bidi} ({@link #bidiControls}), set {@code order},
 * {@code flex-direction}, {@code flex-flow}, {@code float: right} or a flex or grid {@code display}
 * ({@link DisplayOrder#cssChildren}), or
 * give a {@code ::before}/{@code ::after} (or {@code :before}/{@code :after}) pseudo-element a {@code content}
 * string ({@link #contentText}, recorded for the elements the rest of the selector matches): the
 * first {@value #MAX_RULES} rules, selectors up to {@value #MAX_SELECTOR_CHARS} chars that jsoup's
 * {@link Element#select} accepts (others, {@code @} rules and other pseudo-elements are ignored), rules inside
 * {@code @media} applied whatever the medium, the first {@value #MAX_SHEET_CHARS} chars of the sheets read; of two
 * rules setting the same property of an element the later wins (specificity is not weighed).
 * Stateless and thread-safe.
 */
final class HtmlHiding {
    static final double MAX_HIDDEN_OPACITY = 0.05;
    static final int MAX_RULES = 1000;
    static final int MAX_SELECTOR_CHARS = 256;
    static final int MAX_SHEET_CHARS = 256 * 1024;

    private HtmlHiding() {
    }

    /**
     * What the {@code <style>} sheets of a document hide, whether one of them sets a background, the direction they
     * give, the text their {@code ::before}/{@code ::after} rules generate and the flex/grid properties they set.
     */
    static final class Sheets {
        static final Sheets NONE = new Sheets(Collections.emptySet(), false, Collections.emptyMap(),
                Collections.emptyMap(), Collections.emptyMap(), Collections.emptyMap());
        final Set<Element> hidden;
        final boolean setBackground;
        /** Element to the {@code direction} and {@code unicode-bidi} values rules give it (later rules win). */
        final Map<Element, Map<String, String>> bidi;
        /** Element to the text of its {@code ::before} (CSS Pseudo-Elements 4 §4.1, CSS 2.1 §12.2), later rules win. */
        final Map<Element, String> before;
        /** Element to the text of its {@code ::after}. */
        final Map<Element, String> after;
        /**
         * Element to the {@code display} (flex or grid values only), {@code order}, {@code flex-direction},
         * {@code flex-flow} and {@code float} ({@code right} only) values rules give it (later rules win): what
         * {@link DisplayOrder#cssChildren} reads.
         */
        final Map<Element, Map<String, String>> layout;
        /**
         * Whether the style sheets went beyond {@value #MAX_RULES} rules or {@value #MAX_SHEET_CHARS} chars and what
         * was not read sets properties that add or move text ({@code content}, {@code order}, {@code flex-direction},
         * {@code flex-flow}, {@code float: right}, {@code direction}, {@code unicode-bidi}): then the part is
         * unscannable.
         * Rules that only hide are read as far as the limits go: one not read leaves text in (fail closed).
         */
        final boolean cut;

        private Sheets(Set<Element> hidden, boolean setBackground, Map<Element, Map<String, String>> bidi,
                Map<Element, String> before, Map<Element, String> after, Map<Element, Map<String, String>> layout) {
            this(hidden, setBackground, bidi, before, after, layout, false);
        }

        private Sheets(Set<Element> hidden, boolean setBackground, Map<Element, Map<String, String>> bidi,
                Map<Element, String> before, Map<Element, String> after, Map<Element, Map<String, String>> layout,
                boolean cut) {
            this.hidden = hidden;
            this.setBackground = setBackground;
            this.bidi = bidi;
            this.before = before;
            this.after = after;
            this.layout = layout;
            this.cut = cut;
        }
    }

    /** A declaration that adds or moves text, in CSS not read because of the limits. */
    private static final Pattern MOVES_TEXT = Pattern.compile(
            "(?i)(?:content|order|flex-direction|flex-flow|direction|unicode-bidi)\\s*:|float\\s*:\\s*right");
    /** The CSS tokens CDO and CDC ({@code <!--}, {@code -->}), which CSS ignores between rules (CSS Syntax 3 §5.4.1). */
    private static final Pattern CDO_CDC = Pattern.compile("<!--|-->");

    private static final Pattern COMMENT = Pattern.compile("/\\*.*?(?:\\*/|$)", Pattern.DOTALL);

    /** @return the elements the document's {@code <style>} rules hide (identity set), never null */
    static Sheets sheets(Document doc) {
        StringBuilder css = new StringBuilder();
        boolean cutMovesText = false;
        for (Element style : doc.getElementsByTag("style")) {
            String data = style.data();
            if (css.length() >= MAX_SHEET_CHARS) {
                cutMovesText |= MOVES_TEXT.matcher(data).find();
                continue;
            }
            int take = Math.min(data.length(), MAX_SHEET_CHARS - css.length());
            if (take < data.length()) {
                cutMovesText |= MOVES_TEXT.matcher(data).region(take, data.length()).find();
            }
            css.append(data, 0, take).append('\n');
        }
        if (css.length() == 0) {
            return Sheets.NONE;
        }
        String text = CDO_CDC.matcher(COMMENT.matcher(css).replaceAll(" ")).replaceAll(" ");
        Set<Element> hidden = Collections.newSetFromMap(new IdentityHashMap<>());
        Map<Element, Map<String, String>> bidi = new IdentityHashMap<>();
        Map<Element, String> before = new IdentityHashMap<>();
        Map<Element, String> after = new IdentityHashMap<>();
        Map<Element, Map<String, String>> layout = new IdentityHashMap<>();
        boolean background = false;
        int rules = 0;
        int lastRuleEnd = 0;
        int segment = 0;
        int open = -1;
        String selector = null;
        for (int i = 0; i < text.length() && rules < MAX_RULES; i++) {
            char c = text.charAt(i);
            if (c == '{') {
                selector = withinLimit(text.substring(segment, i).trim());
                open = i + 1;
                segment = i + 1;
            } else if (c == '}') {
                if (open >= 0 && selector != null && !selector.isEmpty() && !selector.startsWith("@")) {
                    rules++;
                    String block = text.substring(open, i);
                    Map<String, String> declarations = declarations(block);
                    background |= declarations.containsKey("background") || declarations.containsKey("background-color");
                    boolean hides = hides(declarations);
                    String direction = declarations.get("direction");
                    String unicodeBidi = declarations.get("unicode-bidi");
                    Map<String, String> flex = layoutProperties(declarations);
                    if (!selector.isEmpty() && declarations.containsKey("content") && !hides) {
                        generatedContent(doc, selector, block, before, after);
                    }
                    if (!selector.isEmpty()
                            && (hides || direction != null || unicodeBidi != null || flex != null)) {
                        try {
                            for (Element e : doc.select(selector)) {
                                if (hides) {
                                    hidden.add(e);
                                }
                                if (direction != null || unicodeBidi != null) {
                                    Map<String, String> b = bidi.computeIfAbsent(e, k -> new HashMap<>(4));
                                    if (direction != null) {
                                        b.put("direction", direction);
                                    }
                                    if (unicodeBidi != null) {
                                        b.put("unicode-bidi", unicodeBidi);
                                    }
                                }
                                if (flex != null) {
                                    layout.computeIfAbsent(e, k -> new HashMap<>(4)).putAll(flex);
                                }
                            }
                        } catch (Selector.SelectorParseException | IllegalArgumentException e) {
                            // a selector jsoup does not read (pseudo-elements, :hover...) is left out
                        }
                    }
                }
                open = -1;
                selector = null;
                segment = i + 1;
                lastRuleEnd = i + 1;
            } else if (c == ';' && open < 0) {
                segment = i + 1; // after @import or @charset
            }
        }
        if (rules >= MAX_RULES && lastRuleEnd < text.length()) {
            cutMovesText |= MOVES_TEXT.matcher(text).region(lastRuleEnd, text.length()).find();
        }
        return hidden.isEmpty() && !background && bidi.isEmpty() && before.isEmpty() && after.isEmpty()
                && layout.isEmpty() && !cutMovesText ? Sheets.NONE
                : new Sheets(hidden, background, bidi, before, after, layout, cutMovesText);
    }

    /** How many selectors of one comma-separated list are read. */
    static final int MAX_SELECTORS_PER_RULE = 64;

    /**
     * The selectors of a comma-separated list that are at most {@value #MAX_SELECTOR_CHARS} chars each, joined again
     * (the first {@value #MAX_SELECTORS_PER_RULE}): the limit is per selector, so a long list of short selectors
     * is read. Commas inside parentheses, brackets or quotes do not separate.
     */
    static String withinLimit(String list) {
        if (list.length() <= MAX_SELECTOR_CHARS) {
            return list;
        }
        StringBuilder out = new StringBuilder();
        int depth = 0;
        char quote = 0;
        int start = 0;
        int count = 0;
        for (int i = 0; i <= list.length() && count < MAX_SELECTORS_PER_RULE; i++) {
            char c = i < list.length() ? list.charAt(i) : ',';
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '(' || c == '[') {
                depth++;
            } else if ((c == ')' || c == ']') && depth > 0) {
                depth--;
            } else if (c == ',' && depth == 0) {
                String part = list.substring(start, Math.min(i, list.length())).trim();
                if (!part.isEmpty() && part.length() <= MAX_SELECTOR_CHARS) {
                    if (out.length() > 0) {
                        out.append(", ");
                    }
                    out.append(part);
                    count++;
                }
                start = i + 1;
            }
        }
        return out.toString();
    }

    /** @return the flex and grid properties of the declarations that can reorder children, or null without any */
    private static Map<String, String> layoutProperties(Map<String, String> d) {
        Map<String, String> out = null;
        for (String p : new String[] {"order", "flex-direction", "flex-flow", "display", "float"}) {
            String v = d.get(p);
            if (v == null || (p.equals("display") && !v.contains("flex") && !v.contains("grid"))
                    || (p.equals("float") && !v.equals("right"))) {
                continue;
            }
            if (out == null) {
                out = new HashMap<>(4);
            }
            out.put(p, v);
        }
        return out;
    }

    /**
     * Records the text a rule whose selectors end in {@code ::before}/{@code :before} or {@code ::after}/{@code :after}
     * generates ({@link #contentText}) for the elements the rest of each selector matches; selectors jsoup does not
     * read are left out.
     */
    private static void generatedContent(Document doc, String selector, String block, Map<Element, String> before,
            Map<Element, String> after) {
        String content = null;
        for (String part : selector.split(",")) {
            String p = part.trim();
            String lower = p.toLowerCase(Locale.ROOT);
            Map<Element, String> target;
            int cut;
            if (lower.endsWith("::before") || lower.endsWith("::after")) {
                target = lower.endsWith("::before") ? before : after;
                cut = lower.endsWith("::before") ? 8 : 7;
            } else if (lower.endsWith(":before") || lower.endsWith(":after")) {
                target = lower.endsWith(":before") ? before : after;
                cut = lower.endsWith(":before") ? 7 : 6;
            } else {
                continue;
            }
            String base = p.substring(0, p.length() - cut).trim();
            if (content == null) {
                content = contentText(block);
                if (content == null) {
                    return;
                }
            }
            try {
                for (Element e : doc.select(base.isEmpty() ? "*" : base)) {
                    target.put(e, content);
                }
            } catch (Selector.SelectorParseException | IllegalArgumentException e) {
                // left out, as other selectors jsoup does not read
            }
        }
    }

    /**
     * The text of the last {@code content} declaration of a rule's block: its strings ({@code "…"} or {@code '…'},
     * CSS escapes resolved, {@code "\34 111"} is {@code 4111}) run together; {@code attr()}, counters, quotes and
     * images generate nothing here (their text is not known without laying the document out).
     *
     * @return the text, or null when there is none ({@code none}, {@code normal}, no string)
     */
    static String contentText(String block) {
        String value = null;
        int start = 0;
        char quote = 0;
        for (int i = 0; i <= block.length(); i++) {
            char c = i < block.length() ? block.charAt(i) : ';';
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == ';') {
                String d = block.substring(start, Math.min(i, block.length()));
                int colon = d.indexOf(':');
                if (colon > 0 && d.substring(0, colon).trim().equalsIgnoreCase("content")) {
                    value = d.substring(colon + 1);
                }
                start = i + 1;
            }
        }
        if (value == null) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '"' && c != '\'') {
                continue;
            }
            int j = i + 1;
            while (j < value.length() && value.charAt(j) != c) {
                j += value.charAt(j) == '\\' ? 2 : 1;
            }
            out.append(unescape(value.substring(i + 1, Math.min(j, value.length()))));
            i = j;
        }
        return out.length() == 0 ? null : out.toString();
    }

    /** @return the declarations of the element's {@code style} attribute ({@link #declarations}); empty without one */
    static Map<String, String> inlineStyle(Element e) {
        return e.hasAttr("style") ? declarations(e.attr("style")) : Collections.emptyMap();
    }

    /** @return whether the element's inline {@code style} hides it (see the class comment), sheets aside */
    static boolean hiddenByInlineStyle(Element e, Sheets sheets) {
        return hiddenByInlineStyle(e, inlineStyle(e), sheets);
    }

    /**
     * @param declarations the element's inline declarations ({@link #inlineStyle})
     * @return whether they (or a {@code <font color>}) hide the element (see the class comment), sheets aside
     */
    static boolean hiddenByInlineStyle(Element e, Map<String, String> declarations, Sheets sheets) {
        if (hides(declarations)) {
            return true;
        }
        String value = declarations.get("color");
        if (value == null && e.normalName().equals("font") && e.hasAttr("color")) {
            value = e.attr("color").trim().toLowerCase(Locale.ROOT);
        }
        int[] color = color(value);
        if (color == null) {
            return false;
        }
        if (color[3] == 0) {
            return true;
        }
        int[] background = background(e);
        if (background == UNKNOWN) {
            return false;
        }
        if (background == null) {
            if (sheets.setBackground) {
                return false;
            }
            background = new int[] {255, 255, 255, 255};
        }
        return color[0] == background[0] && color[1] == background[1] && color[2] == background[2];
    }

    /** Ancestors looked at for a background: bounds the work on deeply nested hostile markup. */
    static final int MAX_BACKGROUND_DEPTH = 64;

    private static int[] background(Element e) {
        int depth = 0;
        for (Element a = e; a != null && depth++ < MAX_BACKGROUND_DEPTH; a = a.parent()) {
            if (a.hasAttr("style")) {
                Map<String, String> d = declarations(a.attr("style"));
                int[] c = color(d.get("background-color"));
                if (c == null && d.containsKey("background")) {
                    c = firstColour(d.get("background"));
                }
                if (c != null && c[3] != 0) { // a transparent background shows the one behind it
                    return c;
                }
            }
            if (a.hasAttr("bgcolor")) {
                int[] c = color(a.attr("bgcolor").trim().toLowerCase(Locale.ROOT));
                if (c != null && c[3] != 0) {
                    return c;
                }
            }
            if (depth == MAX_BACKGROUND_DEPTH && a.parent() != null) {
                return UNKNOWN;
            }
        }
        return null;
    }

    /** No background within {@link #MAX_BACKGROUND_DEPTH} levels, but more ancestors above. */
    private static final int[] UNKNOWN = new int[0];

    /** The first colour of a {@code background} shorthand: a colour function, else a hex or named token. */
    private static int[] firstColour(String value) {
        String v = value.length() > 512 ? value.substring(0, 512) : value;
        Matcher f = FUNCTION.matcher(v);
        if (f.find()) {
            return color(f.group());
        }
        for (String token : v.split("\\s+")) {
            int[] c = color(token);
            if (c != null) {
                return c;
            }
        }
        return null;
    }

    /**
     * Property to value, both lower case, {@code !important} dropped, the last declaration of a property winning;
     * comments ({@code display:/**}{@code /none}) are removed and escapes ({@code disp\6c ay}, {@code \6e one},
     * {@code n\one}) resolved first (CSS Syntax 3 §4.3.7), so they cannot hide a declaration from the match.
     */
    static Map<String, String> declarations(String css) {
        Map<String, String> out = new HashMap<>();
        if (css.indexOf('/') >= 0) {
            css = COMMENT.matcher(css).replaceAll(" ");
        }
        if (css.indexOf('\\') >= 0) {
            css = unescape(css);
        }
        for (String d : css.split(";")) {
            int colon = d.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String value = d.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
            int important = value.indexOf('!');
            if (important >= 0) {
                value = value.substring(0, important).trim();
            }
            out.put(d.substring(0, colon).trim().toLowerCase(Locale.ROOT), value);
        }
        return out;
    }

    /** CSS escapes resolved: a backslash and 1–6 hex digits (one white space after them dropped), or any other char. */
    static String unescape(String css) {
        StringBuilder out = new StringBuilder(css.length());
        for (int i = 0; i < css.length(); i++) {
            char c = css.charAt(i);
            if (c != '\\' || i + 1 == css.length()) {
                out.append(c);
                continue;
            }
            int j = i + 1;
            int code = 0;
            while (j < css.length() && j - i <= 6 && Character.digit(css.charAt(j), 16) >= 0) {
                code = code * 16 + Character.digit(css.charAt(j), 16);
                j++;
            }
            if (j == i + 1) {
                char next = css.charAt(j);
                if (next != '\n' && next != '\r' && next != '\f') {
                    out.append(next); // an escaped char stands for itself; an escaped line break is dropped
                }
                i = j;
                continue;
            }
            out.appendCodePoint(code == 0 || code > Character.MAX_CODE_POINT
                    || (code >= 0xD800 && code <= 0xDFFF) ? 0xFFFD : code);
            if (j < css.length() && (css.charAt(j) == ' ' || css.charAt(j) == '\t' || css.charAt(j) == '\n')) {
                j++;
            }
            i = j - 1;
        }
        return out.toString();
    }

    /** Offsets at or beyond this many CSS pixels to the left or top put an element off the screen. */
    static final double OFF_SCREEN_PX = -500;
    /** A scale factor below this (in absolute value) shrinks text out of sight (as {@link #MAX_HIDDEN_OPACITY}). */
    static final double MAX_HIDDEN_SCALE = 0.05;

    /**
     * Hidden by display, visibility, opacity, font size, a transparent colour, {@code mso-hide: all}, off-screen
     * positioning, a zero width or height with hidden overflow, clipping or a zero scale (see the class comment).
     */
    static boolean hides(Map<String, String> d) {
        if (d.isEmpty()) {
            return false;
        }
        String display = d.get("display");
        String visibility = d.get("visibility");
        int[] color = color(d.get("color"));
        return "none".equals(display) || "hidden".equals(visibility) || "collapse".equals(visibility)
                || opacityHides(d.get("opacity")) || tinyFontSize(d.get("font-size"))
                || (color != null && color[3] == 0) || "all".equals(d.get("mso-hide"))
                || offScreen(d) || zeroSizeClipped(d) || clipped(d) || scaledAway(d);
    }

    /** {@code position} absolute, fixed or relative with {@code left} or {@code top} far to the left or top; or such a {@code text-indent}. */
    private static boolean offScreen(Map<String, String> d) {
        if (farNegative(d.get("text-indent"))) {
            return true;
        }
        String position = d.get("position");
        return ("absolute".equals(position) || "fixed".equals(position) || "relative".equals(position))
                && (farNegative(d.get("left")) || farNegative(d.get("top")));
    }

    private static boolean farNegative(String value) {
        double px = pixels(value);
        return !Double.isNaN(px) && px <= OFF_SCREEN_PX;
    }

    /** @return the length in CSS pixels (1em = 16px, 1ex = 8px, percentages and viewport units of 1000px), NaN if not read */
    static double pixels(String value) {
        if (value == null) {
            return Double.NaN;
        }
        Matcher m = NUMBER.matcher(value);
        if (!m.matches()) {
            return Double.NaN;
        }
        double v = Double.parseDouble(m.group(1));
        switch (m.group(2)) {
            case "":
            case "px":
                return v;
            case "pt":
                return v * 4 / 3;
            case "pc":
                return v * 16;
            case "em":
            case "rem":
                return v * 16;
            case "ex":
            case "ch":
                return v * 8;
            case "in":
                return v * 96;
            case "cm":
                return v * 96 / 2.54;
            case "mm":
                return v * 96 / 25.4;
            case "%":
            case "vw":
            case "vh":
            case "vmin":
            case "vmax":
                return v * 10;
            default:
                return Double.NaN;
        }
    }

    /** A zero {@code width}/{@code height} (or their maxima) with {@code overflow} hidden or clipped. */
    private static boolean zeroSizeClipped(Map<String, String> d) {
        boolean zero = isZero(d.get("width")) || isZero(d.get("height")) || isZero(d.get("max-width"))
                || isZero(d.get("max-height"));
        if (!zero) {
            return false;
        }
        for (String p : new String[] {"overflow", "overflow-x", "overflow-y"}) {
            String v = d.get(p);
            if (v != null && (v.startsWith("hidden") || v.startsWith("clip"))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isZero(String value) {
        double px = pixels(value);
        return !Double.isNaN(px) && px == 0;
    }

    private static final Pattern RECT = Pattern.compile("rect\\(([^)]*)\\)");

    /** Any {@code clip-path} other than {@code none}; a {@code clip: rect(…)} of no area. */
    private static boolean clipped(Map<String, String> d) {
        String path = d.get("clip-path");
        if (path != null && !path.isEmpty() && !path.equals("none") && !path.equals("initial") && !path.equals("unset")
                && !path.equals("inherit") && !path.equals("revert")) {
            return true;
        }
        String clip = d.get("clip");
        if (clip == null) {
            return false;
        }
        Matcher m = RECT.matcher(clip);
        if (!m.find()) {
            return false;
        }
        String[] sides = m.group(1).trim().split("\\s*,\\s*|\\s+");
        if (sides.length != 4) {
            return false;
        }
        double top = pixels(sides[0]);
        double right = pixels(sides[1]);
        double bottom = pixels(sides[2]);
        double left = pixels(sides[3]);
        return (!Double.isNaN(top) && !Double.isNaN(bottom) && bottom <= top)
                || (!Double.isNaN(left) && !Double.isNaN(right) && right <= left);
    }

    private static final Pattern SCALE = Pattern.compile("scale(?:x|y|z|3d)?\\(([^)]*)\\)");

    /** {@code transform: scale(0)} ({@code scaleX}, {@code scaleY}, a factor below {@value #MAX_HIDDEN_SCALE}) or {@code scale: 0}. */
    private static boolean scaledAway(Map<String, String> d) {
        String transform = d.get("transform");
        if (transform != null) {
            Matcher m = SCALE.matcher(transform);
            while (m.find()) {
                if (anyTiny(m.group(1))) {
                    return true;
                }
            }
        }
        String scale = d.get("scale");
        return scale != null && anyTiny(scale);
    }

    private static boolean anyTiny(String factors) {
        for (String f : factors.trim().split("\\s*,\\s*|\\s+")) {
            Matcher n = NUMBER.matcher(f);
            if (n.matches() && (n.group(2).isEmpty() || n.group(2).equals("%"))) {
                double v = Math.abs(Double.parseDouble(n.group(1))) / (n.group(2).isEmpty() ? 1 : 100);
                if (v < MAX_HIDDEN_SCALE) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The bidi controls that stand for an element's direction as a browser lays it out (HTML's rendering rules:
     * {@code [dir=rtl|ltr]} isolates, {@code [dir=auto]} and {@code <bdi>} are first-strong isolates (U+2068),
     * {@code <bdo dir>} isolates and overrides; CSS {@code direction: rtl} or {@code ltr}, inline or from a
     * {@code <style>} rule (inline first), isolates whatever its {@code unicode-bidi} and wins over {@code dir}, and
     * overrides too with {@code unicode-bidi: bidi-override} or {@code isolate-override}).
     *
     * @param inline the element's inline declarations ({@link #inlineStyle})
     * @return {open, close} controls, or null when the element sets no direction
     */
    static String[] bidiControls(Element e, Map<String, String> inline, Sheets sheets) {
        Map<String, String> sheet = sheets.bidi.isEmpty() ? null : sheets.bidi.get(e);
        String direction = inline.get("direction");
        if (direction == null && sheet != null) {
            direction = sheet.get("direction");
        }
        String unicodeBidi = inline.get("unicode-bidi");
        if (unicodeBidi == null && sheet != null) {
            unicodeBidi = sheet.get("unicode-bidi");
        }
        String name = e.normalName();
        if (!"rtl".equals(direction) && !"ltr".equals(direction)) {
            direction = e.hasAttr("dir") ? e.attr("dir").trim().toLowerCase(Locale.ROOT) : name.equals("bdi") ? "auto" : "";
        }
        boolean override = name.equals("bdo") || "bidi-override".equals(unicodeBidi)
                || "isolate-override".equals(unicodeBidi);
        switch (direction) {
            case "rtl":
                return new String[] {override ? "\u2067\u202E" : "\u2067", override ? "\u202C\u2069" : "\u2069"};
            case "ltr":
                return new String[] {override ? "\u2066\u202D" : "\u2066", override ? "\u202C\u2069" : "\u2069"};
            case "auto":
                return new String[] {"\u2068", "\u2069"};
            default:
                return null;
        }
    }

    private static final Pattern NUMBER = Pattern.compile("([+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+))\\s*([a-z%]*)");

    private static boolean opacityHides(String value) {
        if (value == null) {
            return false;
        }
        Matcher m = NUMBER.matcher(value);
        if (!m.matches()) {
            return false;
        }
        double v = Double.parseDouble(m.group(1));
        if (m.group(2).equals("%")) {
            v /= 100;
        } else if (!m.group(2).isEmpty()) {
            return false;
        }
        return v <= MAX_HIDDEN_OPACITY;
    }

    /** Below one CSS pixel (1px = 0.75pt; 1em taken as 16px, 1ex as 8px). */
    static boolean tinyFontSize(String value) {
        if (value == null) {
            return false;
        }
        Matcher m = NUMBER.matcher(value);
        if (!m.matches()) {
            return false;
        }
        double v = Double.parseDouble(m.group(1));
        switch (m.group(2)) {
            case "":
                return v <= 0;
            case "px":
                return v < 1;
            case "pt":
                return v < 0.75;
            case "em":
            case "rem":
                return v < 0.07;
            case "ex":
            case "ch":
                return v < 0.14;
            case "%":
                return v < 7;
            case "mm":
                return v < 0.26;
            case "cm":
                return v < 0.026;
            case "in":
                return v < 0.0104;
            case "pc":
                return v < 0.0625;
            default:
                return false;
        }
    }

    private static final Map<String, int[]> NAMED = Map.of(
            "white", new int[] {255, 255, 255, 255}, "black", new int[] {0, 0, 0, 255},
            "red", new int[] {255, 0, 0, 255}, "green", new int[] {0, 128, 0, 255},
            "blue", new int[] {0, 0, 255, 255}, "yellow", new int[] {255, 255, 0, 255},
            "silver", new int[] {192, 192, 192, 255}, "gray", new int[] {128, 128, 128, 255},
            "grey", new int[] {128, 128, 128, 255}, "transparent", new int[] {0, 0, 0, 0});
    private static final Pattern FUNCTION = Pattern.compile("(rgba?|hsla?)\\(([^)]*)\\)");

    /** @return {red, green, blue, alpha} each 0–255, or null for a value not read (keywords, other functions) */
    static int[] color(String value) {
        if (value == null) {
            return null;
        }
        String v = value.trim();
        int[] named = NAMED.get(v);
        if (named != null) {
            return named;
        }
        if (v.startsWith("#") && v.substring(1).matches("[0-9a-f]{3,8}")) {
            String h = v.substring(1);
            if (h.length() == 3 || h.length() == 4) {
                int[] c = new int[] {0, 0, 0, 255};
                for (int i = 0; i < h.length(); i++) {
                    c[i] = Integer.parseInt(h.substring(i, i + 1), 16) * 17;
                }
                return c;
            }
            if (h.length() == 6 || h.length() == 8) {
                int[] c = new int[] {0, 0, 0, 255};
                for (int i = 0; i < h.length() / 2; i++) {
                    c[i] = Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
                }
                return c;
            }
            return null;
        }
        Matcher f = FUNCTION.matcher(v);
        if (!f.matches()) {
            return null;
        }
        String[] parts = f.group(2).trim().split("\\s*[,/]\\s*|\\s+");
        if (parts.length < 3) {
            return null;
        }
        int[] c = new int[] {0, 0, 0, 255};
        try {
            if (parts.length >= 4) {
                String a = parts[3];
                double alpha = a.endsWith("%") ? Double.parseDouble(a.substring(0, a.length() - 1)) / 100
                        : Double.parseDouble(a);
                c[3] = (int) Math.round(Math.max(0, Math.min(1, alpha)) * 255);
            }
            if (f.group(1).startsWith("hsl")) {
                return c[3] == 0 ? c : null; // only a transparent hsl colour is read
            }
            for (int i = 0; i < 3; i++) {
                String p = parts[i];
                double n = p.endsWith("%") ? Double.parseDouble(p.substring(0, p.length() - 1)) * 2.55
                        : Double.parseDouble(p);
                c[i] = (int) Math.round(Math.max(0, Math.min(255, n)));
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return c;
    }
}
