package dev.tollgate.core.links;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Rewrites the links a reader can follow, and the documents a browser loads into a frame, in an HTML text: the
 * {@code href} of {@code <a>} and {@code <area>}, the {@code xlink:href} of {@code <a>} (SVG links), the
 * {@code href} of MathML elements (inside {@code <math>}), each URL of the {@code ping} list of {@code <a>} and
 * {@code <area>}, the {@code action} of {@code <form>}, the {@code formaction} of {@code <button>} and
 * {@code <input>}, the URL in the {@code content} of {@code <meta http-equiv="refresh">}, the {@code src} of
 * {@code <iframe>}, {@code <frame>} and {@code <embed>}, the {@code data} of {@code <object>} (see
 * {@link #rewritable}), and the links inside an {@code <iframe srcdoc>} document. The attribute values are replaced
 * <em>at their offsets in the source</em>; every other character (comments, Outlook conditional comments and VML
 * inside them, whitespace, attribute order and quoting, entities elsewhere) is kept as written. A meta refresh's
 * content becomes its delay as written, {@code ;url=} and the new URL; a {@code ping} list its URLs, rewritten or
 * not, one space apart.
 *
 * <p>A {@code srcdoc} value is an HTML document, entity-decoded once from the attribute: its links are rewritten by
 * the same rules (relative ones against its own {@code <base href>}, else the outer document's base, as a browser
 * does for a srcdoc document), and when one changed the whole document is written back escaped for the attribute
 * ({@code &} as {@code &amp;}, the quote as {@code &quot;} or {@code &#39;}; an unquoted value is written between
 * double quotes). A srcdoc nested deeper than {@value #MAX_SRCDOC_DEPTH} levels is written back empty: its links
 * would otherwise stay live unread (fail closed).
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
                return attribute.equals("href") || attribute.equals("xlink:href") || attribute.equals("ping");
            case "area":
                return attribute.equals("href") || attribute.equals("ping");
            case "iframe":
                return attribute.equals("src") || attribute.equals("srcdoc");
            case "frame":
            case "embed":
                return attribute.equals("src");
            case "object":
                return attribute.equals("data");
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

    /**
     * As {@link #rewritable(String, String)}, for a link {@link HtmlLinkExtractor} found: also the {@code href} of
     * an element inside {@code <math>} (MathML links) other than {@code <base>}.
     *
     * @param link an extracted link
     * @return whether this rewriter replaces its value
     */
    public static boolean rewritable(HtmlLink link) {
        if (link.source() != HtmlLink.Source.ATTRIBUTE) {
            return false;
        }
        String attribute = link.attribute().orElse("");
        return rewritable(link.tagName(), attribute) || attribute.equals("href") && !link.tagName().equals("base")
                && HtmlLinkExtractor.insideMath(link.element());
    }

    /** Levels of {@code <iframe srcdoc>} documents inside one another that are read; a deeper one is emptied. */
    public static final int MAX_SRCDOC_DEPTH = 4;

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

        /**
         * @return the element: {@code a}, {@code area}, {@code form}, {@code button}, {@code input}, {@code meta},
         *     {@code iframe}, {@code frame}, {@code embed}, {@code object}, or a MathML element; for a link inside a
         *     srcdoc document, its own element there
         */
        public String tag() {
            return tag;
        }

        /**
         * @return the attribute: {@code href}, {@code xlink:href}, {@code ping} (one URL of its list),
         *     {@code action}, {@code formaction}, {@code content}, {@code src} or {@code data}
         */
        public String attribute() {
            return attribute;
        }

        /** @return the URL as written, entity-decoded once and stripped (for a meta refresh, the URL in its content) */
        public String raw() {
            return raw;
        }

        /**
         * @return the URL resolved against {@code <base href>}, a scheme-relative one as {@code https:}, ASCII tab,
         *     LF and CR removed (see {@link HtmlLinkExtractor#resolve}); the raw value so cleaned when it stays relative
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
        List<Href> hrefs = new ArrayList<>();
        Pass pass = new Pass(replace, hrefs);
        String result = rewrite(html, "", 0, pass);
        return new Result(result, hrefs, pass.rewritten, pass.limitReached);
    }

    /** What one {@link #rewrite(String, Function)} call gathers over its document and the srcdoc documents inside. */
    private static final class Pass {
        final Function<Href, Optional<String>> replace;
        final List<Href> hrefs;
        int rewritten;
        int sites;
        boolean limitReached;

        Pass(Function<Href, Optional<String>> replace, List<Href> hrefs) {
            this.replace = replace;
            this.hrefs = hrefs;
        }
    }

    /**
     * @param outerBase the base of the document holding this one as srcdoc (empty for the message's own document)
     * @return the rewritten document, {@code html} itself when nothing changed
     */
    private String rewrite(String html, String outerBase, int depth, Pass pass) {
        HtmlHrefLexer.Lexed lexed = HtmlHrefLexer.lex(html, Math.max(maxLinks - pass.sites, 0));
        pass.sites += lexed.sites.size();
        pass.limitReached |= lexed.limitReached;
        String base = lexed.baseHref == null ? outerBase : HtmlLinkExtractor.baseOf(lexed.baseHref);
        StringBuilder out = null;
        int at = 0;
        for (HtmlHrefLexer.Site site : lexed.sites) {
            String value;
            if (site.attribute.equals("srcdoc")) {
                String inner = depth >= MAX_SRCDOC_DEPTH ? "" : rewrite(site.value, base, depth + 1, pass);
                if (inner == site.value) {
                    continue;
                }
                value = escapeForAttribute(inner, html.charAt(site.start - 1));
            } else if (site.attribute.equals("ping")) {
                value = rewritePing(site, html.charAt(site.start - 1), base, pass);
                if (value == null) {
                    continue;
                }
            } else {
                if (site.value.isEmpty()) {
                    continue;
                }
                Href href = new Href(site.tag, site.attribute, site.value, HtmlLinkExtractor.resolve(base, site.value),
                        false);
                Optional<String> replacement = pass.replace.apply(href);
                if (replacement.isEmpty()) {
                    pass.hrefs.add(href);
                    continue;
                }
                pass.hrefs.add(href.withRewritten());
                pass.rewritten++;
                value = escapeUrl(site.prefix == null ? replacement.get() : site.prefix + replacement.get(),
                        html.charAt(site.start - 1));
            }
            if (out == null) {
                // a redirector URL with its token is ~200 characters: room for that growth, at most doubling
                out = new StringBuilder(html.length() + Math.min(lexed.sites.size() * 192, html.length()));
            }
            out.append(html, at, site.start).append(value);
            at = site.end;
        }
        return out == null ? html : out.append(html, at, html.length()).toString();
    }

    /**
     * The URLs of a {@code ping} list (split at ASCII whitespace, HTML Living Standard §4.6.5), each offered to the
     * replacement as one {@link Href}.
     *
     * @return the new attribute value, escaped, or null when no URL of the list was replaced
     */
    private static String rewritePing(HtmlHrefLexer.Site site, char before, String base, Pass pass) {
        StringBuilder list = new StringBuilder(site.value.length() + 256);
        boolean changed = false;
        int n = site.value.length();
        int i = 0;
        while (i < n) {
            while (i < n && isAsciiWhitespace(site.value.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !isAsciiWhitespace(site.value.charAt(i))) {
                i++;
            }
            if (start == i) {
                break;
            }
            String url = site.value.substring(start, i);
            Href href = new Href(site.tag, "ping", url, HtmlLinkExtractor.resolve(base, url), false);
            Optional<String> replacement = pass.replace.apply(href);
            if (list.length() > 0) {
                list.append(' ');
            }
            if (replacement.isPresent()) {
                pass.hrefs.add(href.withRewritten());
                pass.rewritten++;
                changed = true;
                list.append(replacement.get());
            } else {
                pass.hrefs.add(href);
                list.append(url);
            }
        }
        if (!changed) {
            return null;
        }
        if (isQuote(before) || list.indexOf(" ") < 0) {
            return escapeUrl(list.toString(), before);
        }
        return '"' + escapeUrl(list.toString(), '"') + '"'; // an unquoted value cannot hold the list's spaces
    }

    private static boolean isAsciiWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
    }

    private static boolean isQuote(char c) {
        return c == '"' || c == '\'';
    }

    /**
     * An HTML document as the value of an attribute quoted with {@code before} ({@code "}, {@code '}) or, when it was
     * unquoted, between double quotes: entity-decoding it once gives the document back.
     */
    private static String escapeForAttribute(String document, char before) {
        char quote = isQuote(before) ? before : '"';
        StringBuilder out = new StringBuilder(document.length() + document.length() / 8 + 2);
        if (!isQuote(before)) {
            out.append('"');
        }
        for (int i = 0; i < document.length(); i++) {
            char c = document.charAt(i);
            if (c == '&') {
                out.append("&amp;");
            } else if (c == quote) {
                out.append(quote == '"' ? "&quot;" : "&#39;");
            } else {
                out.append(c);
            }
        }
        if (!isQuote(before)) {
            out.append('"');
        }
        return out.toString();
    }

    /** Escapes a URL for an attribute value quoted with {@code before} ({@code "}, {@code '}) or unquoted. */
    private static String escapeUrl(String url, char before) {
        StringBuilder out = new StringBuilder(url.length() + 16);
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
        return out.toString();
    }
}
