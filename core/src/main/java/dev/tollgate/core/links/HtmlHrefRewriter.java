package dev.tollgate.core.links;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Rewrites the {@code href} of {@code <a>} and {@code <area>} elements of an HTML text by replacing the
 * attribute values <em>at their offsets in the source</em>; every other character (comments, Outlook
 * conditional comments and VML inside them, whitespace, attribute order and quoting, entities elsewhere)
 * is kept as written.
 *
 * <p>The values are found by {@link HtmlHrefLexer}, one linear pass over the text following the HTML
 * tokenizer, so nothing inside comments ({@code <!--[if mso]>}), {@code <script>}, {@code <style>},
 * {@code <textarea>} and the other raw-text elements is touched. Relative values are resolved against the
 * first {@code <base href>} as {@link HtmlLinkExtractor} does. Immutable and thread-safe.
 */
public final class HtmlHrefRewriter {
    private final int maxLinks;

    /** @param maxLinks a/area hrefs handled per document at most, ≥ 1 */
    public HtmlHrefRewriter(int maxLinks) {
        if (maxLinks < 1) {
            throw new IllegalArgumentException("maxLinks must be at least 1");
        }
        this.maxLinks = maxLinks;
    }

    /** One a/area href of the document. */
    public static final class Href {
        private final String tag;
        private final String raw;
        private final String resolved;
        private final boolean rewritten;

        Href(String tag, String raw, String resolved, boolean rewritten) {
            this.tag = tag;
            this.raw = raw;
            this.resolved = resolved;
            this.rewritten = rewritten;
        }

        /** @return {@code a} or {@code area} */
        public String tag() {
            return tag;
        }

        /** @return the value as written, entity-decoded once and stripped */
        public String raw() {
            return raw;
        }

        /** @return the value resolved against {@code <base href>} (the raw value when there is none) */
        public String resolved() {
            return resolved;
        }

        /** @return whether the value was replaced */
        public boolean rewritten() {
            return rewritten;
        }

        Href withRewritten() {
            return new Href(tag, raw, resolved, true);
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

        /** @return every non-empty a/area href, in source order */
        public List<Href> hrefs() {
            return hrefs;
        }

        /** @return how many href values were replaced */
        public int rewritten() {
            return rewritten;
        }

        /** @return whether the document had more hrefs than the maximum (the rest were left alone) */
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
            Href href = new Href(site.tag, site.value, HtmlLinkExtractor.resolve(base, site.value), false);
            Optional<String> replacement = replace.apply(href);
            if (replacement.isPresent()) {
                if (out == null) {
                    // a redirector URL with its token is ~200 characters: room for that growth, at most doubling
                    out = new StringBuilder(html.length() + Math.min(lexed.sites.size() * 192, html.length()));
                }
                out.append(html, at, site.start);
                appendEscaped(out, replacement.get(), html.charAt(site.start - 1));
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
