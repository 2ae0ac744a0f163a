package dev.tollgate.core.links;

/**
 * The URL of a {@code <meta http-equiv="refresh" content="...">}, read as the HTML Living Standard's
 * "shared declarative refresh steps" (§4.2.5.3) read it: optional ASCII whitespace, a delay made of ASCII digits
 * and {@code .}, then {@code ;}, {@code ,} or whitespace, then the URL, optionally introduced by {@code url=}
 * (case-insensitive, spaces around {@code =}) and optionally in single or double quotes (cut at the matching
 * quote). Immutable.
 */
final class RefreshContent {
    private final String prefix;
    private final String url;

    private RefreshContent(String prefix, String url) {
        this.prefix = prefix;
        this.url = url;
    }

    /**
     * @param content the content attribute, entity-decoded
     * @return the refresh's URL, or null when the content is no refresh or one that reloads the same document
     *     (no URL): such a refresh leads nowhere new
     */
    static RefreshContent parse(String content) {
        int n = content.length();
        int i = skipSpace(content, 0);
        int digits = i;
        while (i < n && isDigit(content.charAt(i))) {
            i++;
        }
        if (i == digits && (i >= n || content.charAt(i) != '.')) {
            return null;
        }
        while (i < n && (isDigit(content.charAt(i)) || content.charAt(i) == '.')) {
            i++;
        }
        String delay = content.substring(digits, i);
        if (i >= n) {
            return null;
        }
        char c = content.charAt(i);
        if (c != ';' && c != ',' && !isSpace(c)) {
            return null;
        }
        i = skipSpace(content, i);
        if (i < n && (content.charAt(i) == ';' || content.charAt(i) == ',')) {
            i++;
        }
        i = skipSpace(content, i);
        if (i >= n) {
            return null;
        }
        int urlStart = i; // "parse" takes the rest from here unless url= is complete
        boolean skipQuotes = false;
        if (i < n && (content.charAt(i) == 'u' || content.charAt(i) == 'U')) {
            i++;
            if (i < n && (content.charAt(i) == 'r' || content.charAt(i) == 'R')) {
                i++;
                if (i < n && (content.charAt(i) == 'l' || content.charAt(i) == 'L')) {
                    i = skipSpace(content, i + 1);
                    if (i < n && content.charAt(i) == '=') {
                        i = skipSpace(content, i + 1);
                        skipQuotes = true;
                    }
                }
            }
        } else {
            skipQuotes = true; // the standard jumps straight to "skip quotes"
        }
        String url;
        if (skipQuotes) {
            char quote = i < n && (content.charAt(i) == '\'' || content.charAt(i) == '"') ? content.charAt(i) : 0;
            if (quote != 0) {
                i++;
            }
            url = content.substring(i);
            int close = quote == 0 ? -1 : url.indexOf(quote);
            if (close >= 0) {
                url = url.substring(0, close);
            }
        } else {
            url = content.substring(urlStart);
        }
        url = UrlParts.clean(url);
        return url.isEmpty() ? null : new RefreshContent(delay + ";url=", url);
    }

    /** @return what a rewritten content value starts with: the delay as written and {@code ;url=} */
    String prefix() {
        return prefix;
    }

    /** @return the URL, not yet resolved against any base, stripped as the URL parser strips it */
    String url() {
        return url;
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && isSpace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
