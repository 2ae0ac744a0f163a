package dev.tollgate.core.links;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Range;
import org.jsoup.parser.Parser;

/**
 * The DOM-based href rewriter Tollgate used before {@link HtmlHrefLexer}: jsoup parses with position
 * tracking and the value of every link {@link HtmlHrefRewriter#rewritable} names (a/area href, a xlink:href,
 * form action, button/input formaction, meta refresh content, frame and object sources, MathML href) is replaced at
 * its source offset; ping lists and srcdoc documents are left to the lexer's own tests. Kept in the
 * tests as the oracle the lexer is compared with.
 */
final class JsoupHrefOracle {
    private final HtmlLinkExtractor extractor;

    /** @param extractor extracts links (its maximum applies per document) */
    JsoupHrefOracle(HtmlLinkExtractor extractor) {
        this.extractor = extractor;
    }

    /** The result of one {@link #rewrite} call. */
    public static final class Result {
        private final String html;
        private final List<HtmlLink> links;
        private final int rewritten;

        Result(String html, List<HtmlLink> links, int rewritten) {
            this.html = html;
            this.links = links;
            this.rewritten = rewritten;
        }

        /** @return the rewritten HTML (the same instance when nothing changed) */
        public String html() {
            return html;
        }

        /** @return every link the extractor found, in document order */
        public List<HtmlLink> links() {
            return links;
        }

        /** @return how many href values were replaced */
        public int rewritten() {
            return rewritten;
        }
    }

    /**
     * @param html    decoded HTML text
     * @param replace for a link, the new URL (ASCII, no quotes/spaces needed to be escaped beyond {@code &}),
     *                or empty to keep it
     */
    public Result rewrite(String html, Function<HtmlLink, Optional<String>> replace) {
        Document doc = Parser.htmlParser().setTrackPosition(true).parseInput(HtmlLinkExtractor.cdataAsBogusComment(html), "");
        List<HtmlLink> links = extractor.extract(doc);
        // DOM order is not source order (foster parenting moves links out of tables): sort by offset
        java.util.TreeMap<Integer, Object[]> edits = new java.util.TreeMap<>();
        for (HtmlLink link : links) {
            String attribute = link.attribute().orElse("");
            // a ping list and a srcdoc document are not one URL each: the lexer's own tests cover them
            if (!HtmlHrefRewriter.rewritable(link) || attribute.equals("ping") || attribute.equals("srcdoc")) {
                continue;
            }
            int[] value = locate(html, link.element(), attribute);
            if (value == null || edits.containsKey(value[0])) {
                continue;
            }
            String written = Parser.unescapeEntities(html.substring(value[0], value[1]), true);
            String prefix = "";
            if (link.tagName().equals("meta")) {
                RefreshContent refresh = RefreshContent.parse(written);
                if (refresh == null || !refresh.url().equals(link.raw())) {
                    continue;
                }
                prefix = refresh.prefix();
            } else if (!written.strip().equals(link.raw())) {
                continue;
            }
            Optional<String> replacement = replace.apply(link);
            if (replacement.isEmpty()) {
                continue;
            }
            edits.put(value[0], new Object[] {value, escape(prefix + replacement.get(), html.charAt(value[0] - 1))});
        }
        if (edits.isEmpty()) {
            return new Result(html, links, 0);
        }
        StringBuilder out = new StringBuilder(html.length() + edits.size() * 64);
        int at = 0;
        for (Object[] e : edits.values()) {
            int[] span = (int[]) e[0];
            out.append(html, at, span[0]).append((String) e[1]);
            at = span[1];
        }
        out.append(html, at, html.length());
        return new Result(out.toString(), links, edits.size());
    }

    private static String escape(String url, char before) {
        String s = url.replace("&", "&amp;");
        if (before == '"') {
            return s.replace("\"", "&quot;");
        }
        if (before == '\'') {
            return s.replace("'", "&#39;");
        }
        return s.replace("\"", "&quot;").replace("'", "&#39;").replace(" ", "%20").replace(">", "%3E");
    }

    /**
     * @return {@code [start, end)} of the first href value in the element's start tag as written, or null
     *     when the element has no tracked position or the tag does not look as expected
     */
    static int[] locate(String html, Element element, String wanted) {
        Range range = element.sourceRange();
        if (!range.isTracked()) {
            return null;
        }
        int start = range.start().pos();
        int end = Math.min(range.end().pos(), html.length());
        if (start < 0 || start >= end || html.charAt(start) != '<') {
            return null;
        }
        int i = start + 1;
        String name = element.normalName();
        if (end - i < name.length() || !html.regionMatches(true, i, name, 0, name.length())) {
            return null;
        }
        i += name.length();
        while (i < end) {
            char c = html.charAt(i);
            if (isSpace(c) || c == '/') {
                i++;
                continue;
            }
            if (c == '>') {
                return null;
            }
            int nameStart = i;
            i++; // the first character belongs to the name even when it is '='
            while (i < end && !isSpace(html.charAt(i)) && html.charAt(i) != '/' && html.charAt(i) != '>'
                    && html.charAt(i) != '=') {
                i++;
            }
            String attr = html.substring(nameStart, i).toLowerCase(Locale.ROOT);
            int j = i;
            while (j < end && isSpace(html.charAt(j))) {
                j++;
            }
            if (j >= end || html.charAt(j) != '=') {
                i = j;
                if (attr.equals(wanted)) {
                    return null; // without value
                }
                continue;
            }
            j++;
            while (j < end && isSpace(html.charAt(j))) {
                j++;
            }
            int valueStart;
            int valueEnd;
            if (j < end && (html.charAt(j) == '"' || html.charAt(j) == '\'')) {
                char q = html.charAt(j);
                valueStart = j + 1;
                valueEnd = html.indexOf(q, valueStart);
                if (valueEnd < 0 || valueEnd >= end) {
                    return null;
                }
                i = valueEnd + 1;
            } else {
                valueStart = j;
                valueEnd = j;
                while (valueEnd < end && !isSpace(html.charAt(valueEnd)) && html.charAt(valueEnd) != '>') {
                    valueEnd++;
                }
                i = valueEnd;
                if (valueStart == valueEnd) {
                    return null;
                }
            }
            if (attr.equals(wanted)) {
                return new int[] {valueStart, valueEnd};
            }
        }
        return null;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
    }
}
