package dev.tollgate.core.links;

import java.util.Objects;

/**
 * A link as the {@link LinkCheck}s see it: the URL, the anchor text shown for it (empty when none), and
 * the URL's parts, split once. Immutable.
 */
public final class ScannedLink {
    private final String url;
    private final String anchorText;
    private final UrlParts parts;
    private final NormalizedHost host;

    private ScannedLink(String url, String anchorText) {
        this.url = Objects.requireNonNull(url, "url");
        this.anchorText = anchorText == null ? "" : anchorText;
        this.parts = UrlParts.parse(url);
        this.host = parts.hasAuthority() ? HostNormalizer.normalize(parts.host())
                : NormalizedHost.invalid("URL has no host");
    }

    /** @return a link without anchor text */
    public static ScannedLink of(String url) {
        return new ScannedLink(url, "");
    }

    /** @return a link shown with {@code anchorText} (may be null or empty) */
    public static ScannedLink of(String url, String anchorText) {
        return new ScannedLink(url, anchorText);
    }

    /** @return the URL as given */
    public String url() {
        return url;
    }

    /** @return the visible anchor text, empty when none */
    public String anchorText() {
        return anchorText;
    }

    /** @return the scheme in lower case after WHATWG pre-processing (tabs and newlines removed), or empty */
    public String scheme() {
        return parts.scheme();
    }

    /** @return the userinfo (RFC 3986 §3.2.1) before the last {@code @} of the authority, or empty */
    public String userinfo() {
        return parts.userinfo();
    }

    /** @return true when the URL has a {@code //} authority */
    public boolean hasAuthority() {
        return parts.hasAuthority();
    }

    /** @return the host as written, empty when there is no authority */
    public String rawHost() {
        return parts.host();
    }

    /** @return the normalised host; {@link NormalizedHost.Kind#INVALID} when absent or invalid */
    public NormalizedHost host() {
        return host;
    }

    @Override
    public String toString() {
        return "ScannedLink[" + host + "]";
    }
}
