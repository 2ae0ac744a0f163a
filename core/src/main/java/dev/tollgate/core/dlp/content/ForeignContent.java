package dev.tollgate.core.dlp.content;

import java.util.Set;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;

/**
 * Markup that jsoup reads as text inside {@code <svg>} and {@code <math>}. jsoup 1.15.3 reads the content of
 * {@code style}, {@code script}, {@code textarea}, {@code title}, {@code xmp}, {@code iframe}, {@code noembed},
 * {@code noframes} and {@code noscript} as text wherever they stand; a browser builds them inside SVG and MathML as
 * foreign elements whose content is markup (HTML §13.2.6.5), and an HTML element there such as {@code <b>},
 * {@code <p>} or {@code <div>} ends the foreign content and is shown: {@code Card: <svg><style><b>4111 1111 </b>
 * </style></svg>1111 1111} shows a whole card. Such content holding a {@code <} is parsed as HTML and put right
 * after the outermost {@code <svg>} or {@code <math>} around it, where a browser shows what ends the foreign content,
 * so that the layout reads it there; the element stays (its CSS still counts).
 * Reading it where a browser would not show it only adds text (fail closed).
 */
final class ForeignContent {
    private static final Set<String> READ_AS_TEXT = Set.of("style", "script", "textarea", "title", "xmp", "iframe",
            "noembed", "noframes", "noscript");
    /** How deep a fragment's own SVG or MathML is read again (each level parses what the level above held). */
    private static final int MAX_DEPTH = 4;

    private ForeignContent() {
    }

    /**
     * @param html the HTML the document was parsed from (checked first, so that most parts cost one scan)
     * @param doc  the parsed document; never changed (it may be shared with other readers of the part)
     * @return {@code doc} itself when no such content holds markup, else a copy with that markup added
     */
    static Document withMarkupRead(String html, Document doc) {
        if (!mentionsForeign(html) || found(doc, java.util.Collections.emptySet()).isEmpty()) {
            return doc;
        }
        Document copy = doc.clone();
        Set<Element> read = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (int depth = 0; depth < MAX_DEPTH; depth++) {
            java.util.List<Element> found = found(copy, read);
            if (found.isEmpty()) {
                break;
            }
            // a browser shows the HTML elements that end the foreign content after it: each fragment goes after its
            // outermost <svg> or <math>, those of one such element in document order
            java.util.Map<Element, Node> last = new java.util.IdentityHashMap<>();
            for (Element e : found) {
                read.add(e);
                Element outer = outermostForeign(e);
                Element body = Jsoup.parseBodyFragment(markup(e)).body();
                if (!e.normalName().equals("style")) {
                    // a foreign textarea or title is no form field or title: its text is not drawn; a style sheet's
                    // rules still apply
                    e.empty();
                }
                Node after = last.getOrDefault(outer, outer);
                for (Node n : new java.util.ArrayList<>(body.childNodes())) {
                    n.remove();
                    after.after(n);
                    after = n;
                }
                last.put(outer, after);
            }
        }
        return copy;
    }

    /** The elements read as text inside SVG or MathML whose content holds markup, less those already read. */
    private static java.util.List<Element> found(Document doc, Set<Element> read) {
        java.util.List<Element> found = new java.util.ArrayList<>();
        for (Element e : doc.getAllElements()) {
            if (READ_AS_TEXT.contains(e.normalName()) && !read.contains(e) && inForeign(e)
                    && markup(e).indexOf('<') >= 0) {
                found.add(e);
            }
        }
        return found;
    }

    private static String markup(Element e) {
        return e.normalName().equals("textarea") || e.normalName().equals("title") ? e.wholeText() : e.data();
    }

    private static Element outermostForeign(Element e) {
        Element outer = e;
        for (Element p = e.parent(); p != null; p = p.parent()) {
            String n = p.normalName();
            if (n.equals("svg") || n.equals("math")) {
                outer = p;
            }
        }
        return outer;
    }

    private static boolean inForeign(Element e) {
        for (Element p = e.parent(); p != null; p = p.parent()) {
            String n = p.normalName();
            if (n.equals("svg") || n.equals("math")) {
                return true;
            }
        }
        return false;
    }

    /** Whether a {@code <svg} or {@code <math} start tag (any case) is in the text: one pass over its '<'s. */
    private static boolean mentionsForeign(String html) {
        for (int i = html.indexOf('<'); i >= 0; i = html.indexOf('<', i + 1)) {
            if (html.regionMatches(true, i + 1, "svg", 0, 3) || html.regionMatches(true, i + 1, "math", 0, 4)) {
                return true;
            }
        }
        return false;
    }
}
