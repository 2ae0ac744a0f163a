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
 * §11.2 {@code visibility}, §15.7 {@code font-size}; CSS Color 3 {@code opacity}, {@code transparent} and alpha).
 * An element counts as hidden when its declarations say:
 * <ul>
 *   <li>{@code display: none}, {@code visibility: hidden} or {@code collapse};</li>
 *   <li>{@code opacity} at most {@value #MAX_HIDDEN_OPACITY} (or 5%);</li>
 *   <li>a {@code font-size} below one pixel: under 1px, 0.75pt, 0.07em/rem, 0.14ex/ch, 7%, 0.26mm, 0.026cm,
 *       0.0104in, 0.0625pc, or a unitless 0;</li>
 *   <li>a {@code color} that is {@code transparent} or has alpha 0 ({@code rgba(…, 0)}, {@code #rgba},
 *       {@code #rrggbbaa}, {@code hsla(…, 0)});</li>
 *   <li>(inline {@code style} only) a {@code color} equal in red, green and blue to the {@code background-color}
 *       (or the first colour of {@code background}, or the {@code bgcolor} attribute) of the element or its nearest
 *       ancestor that sets one, within {@value #MAX_BACKGROUND_DEPTH} levels (a transparent one passed over; beyond them the colour is read
 *       as visible); white when none does and no {@code <style>} sheet sets a background. Colours are
 *       compared as hex ({@code #rgb}, {@code #rrggbb}), {@code rgb()}/{@code rgba()} and a few names.</li>
 * </ul>
 * Rules of {@code <style>} elements are applied when their declarations hide in one of the first four ways: the
 * first {@value #MAX_RULES} rules, selectors up to {@value #MAX_SELECTOR_CHARS} chars that jsoup's
 * {@link Element#select} accepts (others, {@code @} rules and pseudo-elements are ignored), rules inside
 * {@code @media} applied whatever the medium, the first {@value #MAX_SHEET_CHARS} chars of the sheets read.
 * Stateless and thread-safe.
 */
final class HtmlHiding {
    static final double MAX_HIDDEN_OPACITY = 0.05;
    static final int MAX_RULES = 200;
    static final int MAX_SELECTOR_CHARS = 256;
    static final int MAX_SHEET_CHARS = 256 * 1024;

    private HtmlHiding() {
    }

    /** What the {@code <style>} sheets of a document hide, and whether one of them sets a background. */
    static final class Sheets {
        static final Sheets NONE = new Sheets(Collections.emptySet(), false);
        final Set<Element> hidden;
        final boolean setBackground;

        private Sheets(Set<Element> hidden, boolean setBackground) {
            this.hidden = hidden;
            this.setBackground = setBackground;
        }
    }

    private static final Pattern COMMENT = Pattern.compile("/\\*.*?(?:\\*/|$)", Pattern.DOTALL);

    /** @return the elements the document's {@code <style>} rules hide (identity set), never null */
    static Sheets sheets(Document doc) {
        StringBuilder css = new StringBuilder();
        for (Element style : doc.getElementsByTag("style")) {
            if (css.length() >= MAX_SHEET_CHARS) {
                break;
            }
            String data = style.data();
            css.append(data, 0, Math.min(data.length(), MAX_SHEET_CHARS - css.length())).append('\n');
        }
        if (css.length() == 0) {
            return Sheets.NONE;
        }
        String text = COMMENT.matcher(css).replaceAll(" ");
        Set<Element> hidden = Collections.newSetFromMap(new IdentityHashMap<>());
        boolean background = false;
        int rules = 0;
        int segment = 0;
        int open = -1;
        String selector = null;
        for (int i = 0; i < text.length() && rules < MAX_RULES; i++) {
            char c = text.charAt(i);
            if (c == '{') {
                selector = text.substring(segment, i).trim();
                open = i + 1;
                segment = i + 1;
            } else if (c == '}') {
                if (open >= 0 && selector != null && !selector.isEmpty() && !selector.startsWith("@")) {
                    rules++;
                    Map<String, String> declarations = declarations(text.substring(open, i));
                    background |= declarations.containsKey("background") || declarations.containsKey("background-color");
                    if (selector.length() <= MAX_SELECTOR_CHARS && hides(declarations)) {
                        try {
                            hidden.addAll(doc.select(selector));
                        } catch (Selector.SelectorParseException | IllegalArgumentException e) {
                            // a selector jsoup does not read (pseudo-elements, :hover...) is left out
                        }
                    }
                }
                open = -1;
                selector = null;
                segment = i + 1;
            } else if (c == ';' && open < 0) {
                segment = i + 1; // after @import or @charset
            }
        }
        return hidden.isEmpty() && !background ? Sheets.NONE : new Sheets(hidden, background);
    }

    /** @return whether the element's inline {@code style} hides it (see the class comment), sheets aside */
    static boolean hiddenByInlineStyle(Element e, Sheets sheets) {
        if (!e.hasAttr("style")) {
            return false;
        }
        Map<String, String> declarations = declarations(e.attr("style"));
        if (hides(declarations)) {
            return true;
        }
        int[] color = color(declarations.get("color"));
        if (color == null) {
            return false;
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

    /** Property to value, both lower case, {@code !important} dropped, the last declaration of a property winning. */
    static Map<String, String> declarations(String css) {
        Map<String, String> out = new HashMap<>();
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

    /** Hidden by display, visibility, opacity, font size or a transparent colour. */
    static boolean hides(Map<String, String> d) {
        String display = d.get("display");
        String visibility = d.get("visibility");
        int[] color = color(d.get("color"));
        return "none".equals(display) || "hidden".equals(visibility) || "collapse".equals(visibility)
                || opacityHides(d.get("opacity")) || tinyFontSize(d.get("font-size"))
                || (color != null && color[3] == 0);
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
