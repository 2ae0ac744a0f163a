package dev.tollgate.core.links;

import java.util.Objects;
import java.util.Optional;
import org.jsoup.nodes.Element;

/**
 * One link found in an HTML document by {@link HtmlLinkExtractor}.
 *
 * <p>The value fields are immutable; {@link #element()} is the live jsoup node of the parsed document so
 * that a rewriter can set {@code element().attr(attribute, newUrl)} and serialise the document. Like the
 * document it belongs to, that node is not thread-safe.
 */
public final class HtmlLink {
    /** Where the URL was found. */
    public enum Source {
        /** An attribute value such as {@code a[href]} or {@code img[src]}. */
        ATTRIBUTE,
        /** A bare URL in a text node, found by {@link PlainTextUrlExtractor}. */
        TEXT
    }

    private final Element element;
    private final Source source;
    private final String attribute;
    private final String raw;
    private final String resolved;
    private final String anchorText;
    private final UrlSpan span;

    HtmlLink(Element element, Source source, String attribute, String raw, String resolved, String anchorText,
             UrlSpan span) {
        this.element = Objects.requireNonNull(element);
        this.source = source;
        this.attribute = attribute;
        this.raw = raw;
        this.resolved = resolved;
        this.anchorText = anchorText;
        this.span = span;
    }

    /** @return the element carrying the attribute, or the parent element of the text node */
    public Element element() {
        return element;
    }

    /** @return the element's tag name in lower case, e.g. {@code a} */
    public String tagName() {
        return element.normalName();
    }

    /** @return whether the URL came from an attribute or from text */
    public Source source() {
        return source;
    }

    /** @return the attribute name in lower case (e.g. {@code href}), empty for {@link Source#TEXT} */
    public Optional<String> attribute() {
        return Optional.ofNullable(attribute);
    }

    /**
     * @return the URL as written, after HTML entity decoding (done exactly once, by the parser) and
     *     without surrounding whitespace; for text links the text of the span
     */
    public String raw() {
        return raw;
    }

    /**
     * @return the URL resolved against {@code <base href>} and the document URI (RFC 3986 §5.2), after the WHATWG
     *     pre-processing (ASCII tab, LF and CR removed anywhere); when it cannot be resolved (no base, or a scheme
     *     such as {@code javascript:}) {@link #raw()} so pre-processed;
     *     for bare {@code www.} text links {@code http://} is prepended
     */
    public String resolved() {
        return resolved;
    }

    /**
     * @return the visible text of an {@code <a>} element (or the {@code alt} of an {@code <area>}),
     *     whitespace-normalised; empty string for other elements
     */
    public String anchorText() {
        return anchorText;
    }

    /** @return for {@link Source#TEXT} links, the span inside the text node's whole text */
    public Optional<UrlSpan> span() {
        return Optional.ofNullable(span);
    }

    @Override
    public String toString() {
        return "HtmlLink[" + tagName() + (attribute == null ? "" : "[" + attribute + "]") + " " + source + "]";
    }
}
