package dev.tollgate.core.links;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides whether one URL is rewritten and to what: {@code <redirector>/r/<token>}.
 *
 * <p>Never rewritten: any scheme other than {@code http}/{@code https} ({@code mailto:},
 * {@code tel:}, {@code cid:}, {@code javascript:}, ...); references without a scheme ({@code #anchor},
 * relative paths without a base); hosts on the do-not-rewrite list; links already wrapped by a known
 * rewriter ({@link #DEFAULT_WRAPPERS} and extra wrapper host patterns, recognised by host) and this redirector's
 * own links, recognised by host, port and a path of {@code <redirector path>/r/} and a token (any other URL on the
 * redirector's host, such as a loopback demo's {@code http://127.0.0.1/}, is rewritten). A host written as an
 * obfuscated IPv4 address ({@link NormalizedHost#obfuscated()}: {@code 0x7f000001}, {@code 2130706433},
 * {@code 127.1}, {@code 0177.0.0.1}) is always rewritten: no list entry and no wrapper exempts it, since a link
 * that hides its address is nobody's own site. A link that is not http(s) but was judged malicious (a
 * {@code javascript:} link, say) is {@linkplain #neutralise neutralised} by {@link MessageLinkRewriter} instead.
 * Immutable and thread-safe.
 */
public final class LinkRewritePolicy {
    /** Hosts of well-known link-protection services whose links are left as they are. */
    public static final List<String> DEFAULT_WRAPPERS = List.of(
            "*.safelinks.protection.outlook.com", "urldefense.proofpoint.com", "urldefense.com",
            "*.urldefense.com", "*.mimecast.com", "linkprotect.cudasvc.com", "*.linkprotect.cudasvc.com",
            "secure-web.cisco.com", "*.trendmicro.com");

    /** What the policy decided for one URL. */
    public enum Decision {
        /** Rewritten to the redirector. */
        REWRITE,
        /** Not http(s), or no scheme (anchors, relative references). */
        OTHER_SCHEME,
        /** Host on the do-not-rewrite list. */
        DO_NOT_REWRITE,
        /** Already wrapped by a known rewriter (by host), or a link of this redirector (host, port and path). */
        ALREADY_WRAPPED,
        /** http(s) URL without a valid host. */
        INVALID
    }

    private final String redirectorBase;
    private final String redirectorHost;
    private final int redirectorPort;
    /** Path of the redirector's links: the base's path followed by {@code /r/}. */
    private final String redirectorLinkPath;
    private final DoNotRewriteList doNotRewrite;
    private final DoNotRewriteList wrappers;
    private final java.util.function.Supplier<LinkTokenSigner> signer;

    private LinkRewritePolicy(String redirectorBase, DoNotRewriteList doNotRewrite, DoNotRewriteList wrappers,
                              java.util.function.Supplier<LinkTokenSigner> signer) {
        this.redirectorBase = redirectorBase;
        UrlParts base = UrlParts.parse(redirectorBase);
        this.redirectorHost = HostNormalizer.normalize(base.host()).ascii();
        this.redirectorPort = base.effectivePort();
        this.redirectorLinkPath = base.afterAuthority() + "/r/";
        this.doNotRewrite = doNotRewrite;
        this.wrappers = wrappers;
        this.signer = signer;
    }

    /**
     * @param redirectorBase {@code https://host[:port][/path]} without query, fragment or trailing slash
     * @param extraWrappers  host patterns of further link wrappers
     * @throws IllegalArgumentException when the base URL is not such an URL or a pattern is invalid
     */
    public static LinkRewritePolicy of(String redirectorBase, DoNotRewriteList doNotRewrite,
                                       Collection<String> extraWrappers, LinkTokenSigner signer) {
        Objects.requireNonNull(signer);
        return of(redirectorBase, doNotRewrite, extraWrappers, () -> signer);
    }

    /**
     * As {@link #of(String, DoNotRewriteList, Collection, LinkTokenSigner)}, signing with whatever signer
     * {@code signer} supplies at each link (the current key of a shared {@link LinkKeyRing}).
     */
    public static LinkRewritePolicy of(String redirectorBase, DoNotRewriteList doNotRewrite,
                                       Collection<String> extraWrappers, java.util.function.Supplier<LinkTokenSigner> signer) {
        String base = checkBase(redirectorBase);
        List<String> w = new ArrayList<>(DEFAULT_WRAPPERS);
        w.addAll(extraWrappers);
        return new LinkRewritePolicy(base, Objects.requireNonNull(doNotRewrite), DoNotRewriteList.of(w),
                Objects.requireNonNull(signer));
    }

    /** @return the base URL normalised (no trailing slash) @throws IllegalArgumentException when invalid */
    public static String checkBase(String redirectorBase) {
        String b = Objects.requireNonNull(redirectorBase).strip();
        while (b.endsWith("/")) {
            b = b.substring(0, b.length() - 1);
        }
        final URI uri;
        try {
            uri = new URI(b);
        } catch (Exception e) {
            throw new IllegalArgumentException("not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null
                || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("must be http(s)://host[:port][/path] without query, fragment or userinfo");
        }
        if (!HostNormalizer.hostOfUrl(b).isValid()) {
            throw new IllegalArgumentException("invalid host");
        }
        return b;
    }

    /** @return the redirector base URL, without trailing slash */
    public String redirectorBase() {
        return redirectorBase;
    }

    /** @return what would be done with {@code url} (absolute, entity-decoded) */
    public Decision decide(String url) {
        String scheme = scheme(url);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Decision.OTHER_SCHEME;
        }
        NormalizedHost host = HostNormalizer.hostOfUrl(url);
        if (!host.isValid()) {
            return Decision.INVALID;
        }
        if (host.obfuscated()) {
            return Decision.REWRITE;
        }
        if (isOwnLink(url, host) || wrappers.matches(host)) {
            return Decision.ALREADY_WRAPPED;
        }
        if (doNotRewrite.matches(host)) {
            return Decision.DO_NOT_REWRITE;
        }
        return Decision.REWRITE;
    }

    /**
     * Whether {@code url} is one of this redirector's links, as a browser would request it: same host, same port
     * (the scheme's default when none is written) and a path under the redirector's {@code /r/}. Host alone is not
     * enough: a redirector on an address (the launcher's {@code http://127.0.0.1:28480}) would otherwise leave every
     * link to that address, in any spelling, live in the mail.
     */
    private boolean isOwnLink(String url, NormalizedHost host) {
        if (!host.ascii().equals(redirectorHost)) {
            return false;
        }
        UrlParts parts = UrlParts.parse(UrlParts.canonicalSpecial(url));
        String path = parts.afterAuthority();
        if (parts.effectivePort() != redirectorPort || !path.startsWith(redirectorLinkPath)) {
            return false;
        }
        // the token and nothing else: a browser resolves /r/../admin, /r/%2e%2e/ or /r/./x to another path first
        int end = path.length();
        for (int i = redirectorLinkPath.length(); i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '?' || c == '#') {
                end = i;
                break;
            }
        }
        if (end == redirectorLinkPath.length()) {
            return false;
        }
        for (int i = redirectorLinkPath.length(); i < end; i++) {
            char c = path.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /**
     * @return the redirector URL for {@code url} when {@link #decide} says {@link Decision#REWRITE}
     *     and the token fits, else empty
     */
    public Optional<String> rewrite(String url, String recipientId, String messageId) {
        if (decide(url) != Decision.REWRITE) {
            return Optional.empty();
        }
        try {
            return Optional.of(redirectorBase + "/r/" + signer.get().sign(url, recipientId, messageId));
        } catch (IllegalArgumentException tooLong) {
            return Optional.empty();
        }
    }

    /** Longest part of a neutralised URL carried in its token; longer ones (big {@code data:} URLs) are cut. */
    static final int MAX_NEUTRALISED_URL = 512;

    /**
     * The replacement for a malicious link that must not stay live: a redirector link whose token carries the
     * URL (cut to {@value #MAX_NEUTRALISED_URL} characters, marked with an ellipsis). The redirector never
     * redirects to a URL that is not http(s) and shows its warning page for it, so the click is logged and
     * the reader learns why the link is dead; {@code #} when even the cut token does not fit.
     *
     * @param url the original URL, any scheme
     * @return the replacement href value, never empty
     */
    public String neutralise(String url, String recipientId, String messageId) {
        String carried = url;
        if (carried.length() > MAX_NEUTRALISED_URL) {
            int end = MAX_NEUTRALISED_URL;
            if (Character.isHighSurrogate(carried.charAt(end - 1))) {
                end--;
            }
            carried = carried.substring(0, end) + "\u2026";
        }
        try {
            return redirectorBase + "/r/" + signer.get().sign(carried, recipientId, messageId);
        } catch (IllegalArgumentException tooLong) {
            return "#";
        }
    }

    /** The scheme, lower-cased, after WHATWG pre-processing (leading C0/space trimmed, tabs/newlines removed). */
    static String scheme(String url) {
        StringBuilder s = new StringBuilder();
        int i = 0;
        while (i < url.length() && url.charAt(i) <= ' ') {
            i++;
        }
        for (; i < url.length() && s.length() < 32; i++) {
            char c = url.charAt(i);
            if (c == '\t' || c == '\n' || c == '\r') {
                continue;
            }
            if (c == ':') {
                return s.toString().toLowerCase(Locale.ROOT);
            }
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || s.length() > 0 && (c >= '0' && c <= '9'
                    || c == '+' || c == '-' || c == '.'))) {
                return "";
            }
            s.append(c);
        }
        return "";
    }
}
