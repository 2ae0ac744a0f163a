package dev.tollgate.core.links;

import java.util.Locale;

/**
 * A lenient split of a URL into scheme, userinfo, host and port, close to what browsers do
 * (WHATWG URL Standard §4.4 for the pre-processing; RFC 3986 §3.2 for the authority). Never throws;
 * linear in the input. Package-private: callers use {@link HostNormalizer} and {@link ScannedLink}.
 */
final class UrlParts {
    private final String cleaned;
    private final String scheme;
    private final String userinfo;
    private final String host;
    private final String port;
    private final boolean hasAuthority;
    private final int authorityEnd;

    private UrlParts(String cleaned, String scheme, String userinfo, String host, String port,
                     boolean hasAuthority, int authorityEnd) {
        this.cleaned = cleaned;
        this.scheme = scheme;
        this.userinfo = userinfo;
        this.host = host;
        this.port = port;
        this.hasAuthority = hasAuthority;
        this.authorityEnd = authorityEnd;
    }

    static UrlParts parse(String url) {
        String s = clean(url);
        int colon = schemeEnd(s);
        String scheme = colon < 0 ? "" : s.substring(0, colon).toLowerCase(Locale.ROOT);
        int rest = colon < 0 ? 0 : colon + 1;
        boolean special = isSpecial(scheme);
        int authorityStart;
        if (special) {
            // WHATWG "special authority ignore slashes state": a browser reads any run of '/' and '\\' after a
            // special scheme, none included, as the start of the authority: https:host, https:/host,
            // https:///host and http:\\host all go to host.
            authorityStart = rest;
            while (authorityStart < s.length() && (s.charAt(authorityStart) == '/' || s.charAt(authorityStart) == '\\')) {
                authorityStart++;
            }
        } else if (startsWithSlashes(s, rest)) {
            authorityStart = rest + 2;
        } else {
            return new UrlParts(s, scheme, "", "", "", false, rest);
        }
        int authorityEnd = authorityStart;
        while (authorityEnd < s.length()) {
            char c = s.charAt(authorityEnd);
            if (c == '/' || c == '?' || c == '#' || (special && c == '\\')) {
                break;
            }
            authorityEnd++;
        }
        String authority = s.substring(authorityStart, authorityEnd);
        int at = authority.lastIndexOf('@');
        String userinfo = at < 0 ? "" : authority.substring(0, at);
        String hostPort = authority.substring(at + 1);
        String host;
        String port = "";
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            host = close < 0 ? hostPort : hostPort.substring(0, close + 1);
            if (close >= 0 && close + 1 < hostPort.length() && hostPort.charAt(close + 1) == ':') {
                port = hostPort.substring(close + 2);
            }
        } else {
            int c = hostPort.indexOf(':');
            host = c < 0 ? hostPort : hostPort.substring(0, c);
            port = c < 0 ? "" : hostPort.substring(c + 1);
        }
        return new UrlParts(s, scheme, userinfo, host, port, true, authorityEnd);
    }

    /**
     * WHATWG URL Standard, basic URL parser pre-processing: strip leading/trailing C0 controls and spaces, remove
     * ASCII tab, LF and CR anywhere ({@code ht\ttps://host} is {@code https://host} to a browser).
     *
     * @return {@code url} itself when there is nothing to remove
     */
    static String clean(String url) {
        int from = 0;
        int to = url.length();
        while (from < to && url.charAt(from) <= ' ') {
            from++;
        }
        while (to > from && url.charAt(to - 1) <= ' ') {
            to--;
        }
        if (from == 0 && to == url.length() && !hasTabOrNewline(url)) {
            return url;
        }
        StringBuilder b = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            char c = url.charAt(i);
            if (c != '\t' && c != '\n' && c != '\r') {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static boolean hasTabOrNewline(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\t' || c == '\n' || c == '\r') {
                return true;
            }
        }
        return false;
    }

    private static int schemeEnd(String s) {
        if (s.isEmpty() || !isAsciiLetter(s.charAt(0))) {
            return -1;
        }
        for (int i = 1; i < s.length() && i < 64; i++) {
            char c = s.charAt(i);
            if (c == ':') {
                return i;
            }
            if (!(isAsciiLetter(c) || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')) {
                return -1;
            }
        }
        return -1;
    }

    private static boolean startsWithSlashes(String s, int i) {
        return i + 1 < s.length() && s.charAt(i) == '/' && s.charAt(i + 1) == '/';
    }

    /**
     * The URL as a browser serialises it, for the special schemes (http, https, ftp, ws, wss): exactly {@code //}
     * after the scheme, whatever run of {@code /} and {@code \} was written (none included), and {@code \} read
     * as {@code /} before the query (WHATWG URL Standard §4.4). Other URLs are returned as given.
     */
    static String canonicalSpecial(String url) {
        UrlParts p = parse(url);
        if (!isSpecial(p.scheme) || !p.hasAuthority) {
            return url;
        }
        String s = p.cleaned;
        int i = p.scheme.length() + 1;
        while (i < s.length() && (s.charAt(i) == '/' || s.charAt(i) == '\\')) {
            i++;
        }
        StringBuilder b = new StringBuilder(s.length() + 2).append(s, 0, p.scheme.length()).append("://");
        boolean inQuery = false;
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '?' || c == '#') {
                inQuery = true;
            }
            b.append(c == '\\' && !inQuery ? '/' : c);
        }
        return b.toString();
    }

    private static boolean isSpecial(String scheme) {
        return scheme.equals("http") || scheme.equals("https") || scheme.equals("ftp") || scheme.equals("ws")
                || scheme.equals("wss");
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** @return the URL after WHATWG pre-processing */
    String cleaned() {
        return cleaned;
    }

    /** @return the scheme in lower case, empty when there is none */
    String scheme() {
        return scheme;
    }

    /** @return the userinfo before the last {@code @} of the authority, empty when absent */
    String userinfo() {
        return userinfo;
    }

    /** @return the host as written (IPv6 with brackets), empty when there is no authority */
    String host() {
        return host;
    }

    /** @return the port as written, empty when absent */
    String port() {
        return port;
    }

    /**
     * @return what follows the authority in the cleaned URL (path, query, fragment, as written), or everything after
     *     the scheme when there is no authority
     */
    String afterAuthority() {
        return cleaned.substring(authorityEnd);
    }

    /**
     * @return the port as a number: the scheme's default (http and ws 80, https and wss 443, ftp 21) when none is
     *     written, -1 when it is not digits only or above 65535 (a browser refuses such a URL) or unknown
     */
    int effectivePort() {
        if (port.isEmpty()) {
            switch (scheme) {
                case "http":
                case "ws":
                    return 80;
                case "https":
                case "wss":
                    return 443;
                case "ftp":
                    return 21;
                default:
                    return -1;
            }
        }
        if (port.length() > 10) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < port.length(); i++) {
            char c = port.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value > 65535 ? -1 : (int) value;
    }

    /** @return true when the URL has an authority: after {@code //}, or after any run of slashes for a special scheme */
    boolean hasAuthority() {
        return hasAuthority;
    }
}
