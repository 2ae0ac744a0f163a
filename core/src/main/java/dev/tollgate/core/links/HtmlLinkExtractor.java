package dev.tollgate.core.links;

import java.net.MalformedURLException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * Finds the links of an HTML document (jsoup 1.15.3 parser, which follows the HTML5 parsing algorithm):
 * URL-valued attributes of link-bearing elements, and bare URLs in text nodes.
 *
 * <p>Attributes read: {@code a[href]}, {@code a[xlink:href]} (SVG links), {@code area[href]}, {@code link[href]}, {@code img[src]},
 * {@code iframe[src]}, {@code frame[src]}, {@code embed[src]}, {@code source[src]}, {@code video[src]},
 * {@code video[poster]}, {@code audio[src]}, {@code script[src]}, {@code input[src]},
 * {@code object[data]}, {@code form[action]}, {@code button[formaction]}, {@code input[formaction]},
 * {@code blockquote[cite]}, {@code q[cite]}, {@code ins[cite]}, {@code del[cite]} and the legacy
 * {@code body|table|td|th[background]}, the URL in the {@code content} of
 * {@code meta[http-equiv=refresh]} (read by {@link RefreshContent}; {@link HtmlLink#attribute()} says
 * {@code content}), each URL of the {@code ping} list of {@code a} and {@code area} (one link each, attribute
 * {@code ping}, no anchor text: the anchor shows where the link goes, not where the click is reported), the
 * {@code href} of any element inside {@code <math>} (MathML links), and the links of an {@code iframe[srcdoc]}
 * document, parsed in turn (relative ones against its own base, else this document's; at most
 * {@value HtmlHrefRewriter#MAX_SRCDOC_DEPTH} levels deep). The HTML5 parser accepts every attribute syntax
 * (double-quoted, single-quoted, unquoted, spaces around {@code =}) and decodes character references exactly once.
 *
 * <p>URLs are resolved as a webmail client, which shows mail inside an {@code https:} page, resolves them (see
 * {@link #resolve}): relative URLs against the document's first {@code <base href>} that gives a URL (itself resolved against
 * the document URI given to {@link #extract(String, String)}, or, when that is empty, taken as {@code https:}
 * when scheme-relative), per HTML5 §4.2.3 and RFC 3986 §5; scheme-relative URLs ({@code //host}, and
 * {@code \\host} or {@code /\host}, which browsers read the same, WHATWG URL Standard §4.4) with the base's
 * scheme, {@code https:} without one.
 *
 * <p>Text nodes outside {@code <a>}, {@code <script>}, {@code <style>}, {@code <textarea>} and
 * {@code <title>} are scanned with the configured {@link PlainTextUrlExtractor}. At most
 * {@link #maxLinks()} links are returned per document. Immutable and thread-safe.
 */
public final class HtmlLinkExtractor {
    /** Default {@link #maxLinks()}. */
    public static final int DEFAULT_MAX_LINKS = 2000;

    private static final Map<String, List<String>> URL_ATTRIBUTES = urlAttributes();
    private static final Set<String> NO_TEXT_SCAN = Set.of("a", "script", "style", "textarea", "title",
            "noscript", "template");

    private final PlainTextUrlExtractor textExtractor;
    private final int maxLinks;

    private HtmlLinkExtractor(PlainTextUrlExtractor textExtractor, int maxLinks) {
        this.textExtractor = textExtractor;
        this.maxLinks = maxLinks;
    }

    /** @return an extractor with default limits */
    public static HtmlLinkExtractor create() {
        return new HtmlLinkExtractor(PlainTextUrlExtractor.create(), DEFAULT_MAX_LINKS);
    }

    /** @return a copy scanning text nodes with {@code textExtractor} */
    public HtmlLinkExtractor withTextExtractor(PlainTextUrlExtractor textExtractor) {
        return new HtmlLinkExtractor(Objects.requireNonNull(textExtractor), maxLinks);
    }

    /**
     * @return a copy returning at most {@code maxLinks} links per document
     * @throws IllegalArgumentException when below 1
     */
    public HtmlLinkExtractor withMaxLinks(int maxLinks) {
        if (maxLinks < 1) {
            throw new IllegalArgumentException("maxLinks must be at least 1");
        }
        return new HtmlLinkExtractor(textExtractor, maxLinks);
    }

    /** @return the maximum number of links returned per document */
    public int maxLinks() {
        return maxLinks;
    }

    /**
     * Parses {@code html} and extracts its links.
     *
     * @param html        decoded HTML text
     * @param documentUri absolute URI of the document, or empty string when unknown (usual for mail)
     * @return the links in document order
     */
    public List<HtmlLink> extract(String html, String documentUri) {
        return extract(Jsoup.parse(cdataAsBogusComment(html), documentUri));
    }

    private static final String CDATA = "<![CDATA[";

    /**
     * The text with every {@code <![CDATA[} made {@code <?[CDATA[}, of the same length. jsoup 1.15.3 reads a CDATA
     * section to {@code ]]>} anywhere, but a browser does so only inside SVG and MathML: in HTML content it reads a
     * bogus comment that ends at the first {@code >} (HTML Living Standard §13.2.5.42), so in
     * {@code <![CDATA[ > <a href=...>} the link is live. jsoup ends a {@code <?} bogus comment at the first
     * {@code >}, as browsers do. Links inside a real SVG CDATA section are then seen as links too (fail closed).
     *
     * @param html decoded HTML text
     * @return {@code html} itself when it holds no {@code <![CDATA[}
     */
    public static String cdataAsBogusComment(String html) {
        return html.contains(CDATA) ? html.replace(CDATA, "<?[CDATA[") : html;
    }

    /**
     * Extracts the links of an already parsed document; a rewriter parses once, extracts, edits the
     * returned elements and serialises the same document.
     *
     * @return the links in document order, at most {@link #maxLinks()}
     */
    public List<HtmlLink> extract(Document document) {
        List<HtmlLink> links = new ArrayList<>();
        extractInto(document, "", 0, links);
        return Collections.unmodifiableList(links.size() > maxLinks ? links.subList(0, maxLinks) : links);
    }

    /**
     * @param outerBase the base of the document holding this one as srcdoc, used when it has none of its own
     * @param depth     srcdoc levels above this document (0 for the message's own)
     */
    private void extractInto(Document document, String outerBase, int depth, List<HtmlLink> links) {
        String own = baseUri(document);
        String base = own.isEmpty() ? outerBase : own;
        NodeTraversor.traverse(new NodeVisitor() {
            @Override
            public void head(Node node, int level) {
                if (links.size() >= maxLinks) {
                    return;
                }
                if (node instanceof Element) {
                    Element element = (Element) node;
                    addAttributeLinks(element, base, links);
                    if (depth < HtmlHrefRewriter.MAX_SRCDOC_DEPTH && element.normalName().equals("iframe")
                            && element.hasAttr("srcdoc")) {
                        extractInto(Jsoup.parse(cdataAsBogusComment(element.attr("srcdoc")), ""), base, depth + 1,
                                links);
                    }
                } else if (node instanceof TextNode) {
                    addTextLinks((TextNode) node, links);
                }
            }

            @Override
            public void tail(Node node, int level) {
                // nothing on the way up
            }
        }, document);
    }

    /** @return whether an element lies inside a {@code <math>} element, where any element's href is a MathML link */
    static boolean insideMath(Element element) {
        for (Element e = element.parent(); e != null; e = e.parent()) {
            if (e.normalName().equals("math")) {
                return true;
            }
        }
        return false;
    }

    private void addAttributeLinks(Element element, String base, List<HtmlLink> links) {
        if (element.normalName().equals("meta")) {
            if (element.attr("http-equiv").strip().equalsIgnoreCase("refresh")) {
                RefreshContent refresh = RefreshContent.parse(element.attr("content"));
                if (refresh != null) {
                    links.add(new HtmlLink(element, HtmlLink.Source.ATTRIBUTE, "content", refresh.url(),
                            resolve(base, refresh.url()), "", null));
                }
            }
            return;
        }
        String name = element.normalName();
        List<String> attributes = URL_ATTRIBUTES.get(name);
        if (attributes != null) {
            for (String attribute : attributes) {
                if (!element.hasAttr(attribute)) {
                    continue;
                }
                String raw = element.attr(attribute).strip();
                if (raw.isEmpty()) {
                    continue;
                }
                links.add(new HtmlLink(element, HtmlLink.Source.ATTRIBUTE, attribute, raw, resolve(base, raw),
                        anchorText(element), null));
            }
        }
        if ((attributes == null || !attributes.contains("href")) && !name.equals("base") && element.hasAttr("href")
                && insideMath(element)) {
            String raw = element.attr("href").strip();
            if (!raw.isEmpty()) {
                links.add(new HtmlLink(element, HtmlLink.Source.ATTRIBUTE, "href", raw, resolve(base, raw),
                        element.text(), null));
            }
        }
        if ((name.equals("a") || name.equals("area")) && element.hasAttr("ping")) {
            // the browser POSTs to each URL of the list when the link is followed (hyperlink auditing)
            for (String url : element.attr("ping").split("[ \\t\\n\\r\\f]+")) {
                if (!url.isEmpty()) {
                    links.add(new HtmlLink(element, HtmlLink.Source.ATTRIBUTE, "ping", url, resolve(base, url), "", null));
                }
            }
        }
    }

    private void addTextLinks(TextNode text, List<HtmlLink> links) {
        for (Element e = text.parent() instanceof Element ? (Element) text.parent() : null; e != null;
             e = e.parent()) {
            if (NO_TEXT_SCAN.contains(e.normalName())) {
                return;
            }
        }
        String whole = text.getWholeText();
        for (UrlSpan span : textExtractor.extract(whole).spans()) {
            links.add(new HtmlLink((Element) text.parent(), HtmlLink.Source.TEXT, null, span.text(), span.href(),
                    "", span));
        }
    }

    private static String anchorText(Element element) {
        if (element.normalName().equals("a")) {
            return element.text();
        }
        if (element.normalName().equals("area")) {
            return element.attr("alt").strip();
        }
        return "";
    }

    /**
     * The first base[href] that gives a base URL, resolved against the document URI. A browser takes the first
     * base element with an href (HTML5 §4.2.3), but not one inside SVG, MathML or a template, which jsoup does not
     * tell apart: taking the first that gives a URL means an earlier relative or inert one cannot hide the one
     * that counts (fail closed).
     */
    private static String baseUri(Document document) {
        String documentUri = document.location();
        // "base[href]" without a selector: parsing the query cost more than the walk
        for (Element baseElement : document.getElementsByTag("base")) {
            if (!baseElement.hasAttr("href")) {
                continue;
            }
            String href = baseElement.attr("href").strip();
            String base;
            if (documentUri.isEmpty()) {
                base = baseOf(href);
            } else {
                String resolved = resolve(documentUri, href);
                base = UrlParts.parse(resolved).scheme().isEmpty() ? "" : resolved;
            }
            if (!base.isEmpty()) {
                return base;
            }
        }
        return documentUri;
    }

    /**
     * The base URL of a mail document (no document URI) from its first base href: an absolute URL as is (a
     * special one in its canonical form, {@link UrlParts#canonicalSpecial}), a scheme-relative one as
     * {@code https:} (the scheme of the webmail page it is shown in), anything else (a relative path, which
     * resolves inside the webmail's own site) as none.
     *
     * @param decodedHref the href value, entity-decoded and stripped
     * @return the base URL, or empty
     */
    static String baseOf(String decodedHref) {
        String cleaned = UrlParts.clean(decodedHref);
        if (isSchemeRelative(cleaned)) {
            return UrlParts.canonicalSpecial("https:" + cleaned);
        }
        return UrlParts.parse(cleaned).scheme().isEmpty() ? "" : UrlParts.canonicalSpecial(cleaned);
    }

    /**
     * Resolves one URL of a mail document as a webmail client does (WHATWG URL Standard §4.4, RFC 3986 §5.2).
     *
     * <ul>
     * <li>First the value is pre-processed as the WHATWG URL parser does ({@link UrlParts#clean}): leading and
     * trailing C0 controls and spaces go, and ASCII tab, LF and CR go wherever they are, so {@code ht\ttps://host/}
     * (written {@code ht&#9;tps://host/}) is the absolute URL {@code https://host/}, never a path under the base.</li>
     * <li>A scheme-relative reference, two or more {@code /} or {@code \} in any mix before the host
     * ({@code //host/p}, {@code \\host}, {@code /\host}), takes the scheme of an http(s) base and otherwise
     * {@code https:} (the page a webmail shows mail in), then {@link UrlParts#canonicalSpecial}:
     * {@code //evil.example/p} becomes {@code https://evil.example/p}.</li>
     * <li>Any other reference is resolved against {@code base} when there is one ({@code java.net.URL}).</li>
     * <li>Otherwise, and when resolution fails, the pre-processed value is returned: a relative link without a
     * base, {@code mailto:}, {@code cid:}, {@code #fragment}.</li>
     * </ul>
     *
     * @param base the base URL ({@link #baseOf}), or empty
     * @param raw  the value, entity-decoded and stripped
     * @return the resolved URL
     */
    static String resolve(String base, String raw) {
        String cleaned = UrlParts.clean(raw);
        if (isSchemeRelative(cleaned)) {
            String scheme = base == null ? "" : LinkRewritePolicy.scheme(base);
            return UrlParts.canonicalSpecial((scheme.equals("http") ? "http:" : "https:") + cleaned);
        }
        if (base == null || base.isEmpty()) {
            return cleaned;
        }
        try {
            URL resolved = new URL(new URL(base), cleaned);
            return resolved.toExternalForm();
        } catch (MalformedURLException | IllegalArgumentException e) {
            return cleaned;
        }
    }

    /** @return whether a cleaned URL starts with two characters each {@code /} or {@code \} */
    private static boolean isSchemeRelative(String cleaned) {
        return cleaned.length() >= 2 && (cleaned.charAt(0) == '/' || cleaned.charAt(0) == '\\')
                && (cleaned.charAt(1) == '/' || cleaned.charAt(1) == '\\');
    }

    private static Map<String, List<String>> urlAttributes() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("a", List.of("href", "xlink:href"));
        m.put("area", List.of("href"));
        m.put("link", List.of("href"));
        m.put("img", List.of("src"));
        m.put("iframe", List.of("src"));
        m.put("frame", List.of("src"));
        m.put("embed", List.of("src"));
        m.put("source", List.of("src"));
        m.put("video", List.of("src", "poster"));
        m.put("audio", List.of("src"));
        m.put("script", List.of("src"));
        m.put("input", List.of("src", "formaction"));
        m.put("object", List.of("data"));
        m.put("form", List.of("action"));
        m.put("button", List.of("formaction"));
        m.put("blockquote", List.of("cite"));
        m.put("q", List.of("cite"));
        m.put("ins", List.of("cite"));
        m.put("del", List.of("cite"));
        for (String tag : List.of("body", "table", "td", "th")) {
            m.put(tag, List.of("background"));
        }
        for (Map.Entry<String, List<String>> e : m.entrySet()) {
            e.setValue(List.copyOf(e.getValue()));
        }
        return Collections.unmodifiableMap(m);
    }

    @Override
    public String toString() {
        return "HtmlLinkExtractor[maxLinks=" + maxLinks + "]";
    }
}
