package dev.tollgate.core.links;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Rewrites the links a reader can follow in an HTML text: the {@code href} of {@code <a>} and {@code <area>}, the
 * {@code xlink:href} of {@code <a>} (SVG links), the {@code action} of {@code <form>}, the {@code formaction} of
 * {@code <button>} and {@code <input>}, and the URL in the {@code content} of
 * {@code <meta http-equiv="refresh">} (see {@link #rewritable}). The attribute values are replaced <em>at their
 * offsets in the source</em>; every other character (comments, Outlook conditional comments and VML inside them,
 * whitespace, attribute order and quoting, entities elsewhere) is kept as written. A meta refresh's content
 * becomes its delay as written, {@code ;url=} and the new URL.
 *
 * <p>The values are found by {@link HtmlHrefLexer}, one linear pass over the text following the HTML
 * tokenizer, so nothing inside comments ({@code <!--[if mso]>}), {@code <script>}, {@code <style>},
 * {@code <textarea>} and the other raw-text elements is touched. Values are resolved as
 * {@link HtmlLinkExtractor#resolve} does: against the first {@code <base href>}, and a scheme-relative value
 * ({@code //host/...}) as {@code https:}. Immutable and thread-safe.
 */
public final class HtmlHrefRewriter {
    private final int maxLinks;

    /**
     * @param tag       element name in lower case
     * @param attribute attribute name in lower case
     * @return whether this rewriter replaces that attribute's URL (the pairs listed in the class description)
     */
    public static boolean rewritable(String tag, String attribute) {
        switch (tag) {
            case "a":
                return attribute.equals("href") || attribute.equals("xlink:href");
            case "area":
                return attribute.equals("href");
            case "form":
                return attribute.equals("action");
            case "button":
            case "input":
                return attribute.equals("formaction");
            case "meta":
                return attribute.equals("content");
            default:
                return false;
        }
    }

    /** @param maxLinks link values handled per document at most, ≥ 1 */
    public HtmlHrefRewriter(int maxLinks) {
        if (maxLinks < 1) {
            throw new IllegalArgumentException("maxLinks must be at least 1");
        }
        this.maxLinks = maxLinks;
    }

    /** One link value of the document. */
    public static final class Href {
        private final String tag;
        private final String attribute;
        private final String raw;
        private final String resolved;
        private final boolean rewritten;

        Href(String tag, String attribute, String raw, String resolved, boolean rewritten) {
            this.tag = tag;
            this.attribute = attribute;
            this.raw = raw;
            this.resolved = resolved;
            this.rewritten = rewritten;
        }

        /** @return the element: {@code a}, {@code area}, {@code form}, {@code button}, {@code input} or {@code meta} */
        public String tag() {
            return tag;
        }

        /** @return the attribute: {@code href}, {@code xlink:href}, {@code action}, {@code formaction} or {@code content} */
        public String attribute() {
            return attribute;
        }

        /** @return the URL as written, entity-decoded once and stripped (for a meta refresh, the URL in its content) */
        public String raw() {
            return raw;
        }

        /**
         * @return the URL resolved against {@code <base href>}, a scheme-relative one as {@code https:} (see
         *     {@link HtmlLinkExtractor#resolve}); the raw value when it stays relative
         */
        public String resolved() {
            return resolved;
        }

        /** @return whether the value was replaced */
        public boolean rewritten() {
            return rewritten;
        }

        Href withRewritten() {
            return new Href(tag, attribute, raw, resolved, true);
        }
    }

    /** The result of one {@link #rewrite} call. */
    public static final class Result {
        private final String html;
        private final List<Href> hrefs;
        private final int rewritten;
        private final boolean limitReached;

        Result(String html, List<Href> hrefs, int rewritten, boolean limitReached) {
            this.html = html;
            this.hrefs = Collections.unmodifiableList(hrefs);
            this.rewritten = rewritten;
            this.limitReached = limitReached;
        }

        /** @return the rewritten HTML (the same instance when nothing changed) */
        public String html() {
            return html;
        }

        /** @return every non-empty link value, in source order */
        public List<Href> hrefs() {
            return hrefs;
        }

        /** @return how many href values were replaced */
        public int rewritten() {
            return rewritten;
        }

        /** @return whether the document had more link values than the maximum (the rest were left alone) */
        public boolean limitReached() {
            return limitReached;
        }
    }

    /**
     * @param html    decoded HTML text
     * @param replace for a link, the new URL (it is HTML-escaped for the quoting found), or empty to keep it
     */
    public Result rewrite(String html, Function<Href, Optional<String>> replace) {
        HtmlHrefLexer.Lexed lexed = HtmlHrefLexer.lex(html, maxLinks);
        String base = lexed.baseHref == null ? "" : HtmlLinkExtractor.baseOf(lexed.baseHref);
        List<Href> hrefs = new ArrayList<>(lexed.sites.size());
        StringBuilder out = null;
        int at = 0;
        int rewritten = 0;
        for (HtmlHrefLexer.Site site : lexed.sites) {
            if (site.value.isEmpty()) {
                continue;
            }
            Href href = new Href(site.tag, site.attribute, site.value, HtmlLinkExtractor.resolve(base, site.value), false);
            Optional<String> replacement = replace.apply(href);
            if (replacement.isPresent()) {
                if (out == null) {
                    // a redirector URL with its token is ~200 characters: room for that growth, at most doubling
                    out = new StringBuilder(html.length() + Math.min(lexed.sites.size() * 192, html.length()));
                }
                out.append(html, at, site.start);
                String value = site.prefix == null ? replacement.get() : site.prefix + replacement.get();
                appendEscaped(out, value, html.charAt(site.start - 1));
                at = site.end;
                href = href.withRewritten();
                rewritten++;
            }
            hrefs.add(href);
        }
        String result = out == null ? html : out.append(html, at, html.length()).toString();
        return new Result(result, hrefs, rewritten, lexed.limitReached);
    }

    /** Escapes for an attribute value quoted with {@code before} ({@code "}, {@code '}) or unquoted. */
    private static void appendEscaped(StringBuilder out, String url, char before) {
        boolean unquoted = before != '"' && before != '\'';
        for (int i = 0; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c == '&') {
                out.append("&amp;");
            } else if (c == '"' && (before == '"' || unquoted)) {
                out.append("&quot;");
            } else if (c == '\'' && (before == '\'' || unquoted)) {
                out.append("&#39;");
            } else if (unquoted && c == ' ') {
                out.append("%20");
            } else if (unquoted && c == '>') {
                out.append("%3E");
            } else {
                out.append(c);
            }
        }
    }
}
