package dev.tollgate.core.links;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

import org.jsoup.parser.Parser;

/**
 * Finds the link values a reader's browser follows or loads, with their offsets in the source, in one linear pass
 * and without building a DOM: the {@code href} and {@code ping} of {@code <a>} and {@code <area>}, the
 * {@code xlink:href} of {@code <a>} (SVG links: jsoup and this lexer read {@code <svg>} content as markup like the
 * rest), the {@code href} of any element between {@code <math>} and {@code </math>} (MathML links), the
 * {@code action} of {@code <form>} (not of a form inside an open form, which the tree builder ignores), the
 * {@code formaction} of {@code <button>} and {@code <input>}, the URL inside the {@code content} of a
 * {@code <meta http-equiv="refresh">} ({@link RefreshContent}), the {@code src} and {@code srcdoc} of
 * {@code <iframe>}, the {@code src} of {@code <frame>} and {@code <embed>}, the {@code data} of {@code <object>};
 * and the first {@code <base href>} that gives a base URL ({@link HtmlLinkExtractor#baseOf}). A {@code ping} value
 * is a list of URLs and a {@code srcdoc} value an HTML document: {@link HtmlHrefRewriter} reads both further.
 *
 * <p>It follows the tokenizer of the HTML Living Standard (§13.2.5) as jsoup 1.15.3 applies it: tags are
 * only recognised in the data state; comments ({@code <!-- -->}, including {@code <!-->} and the
 * {@code --!>} ending) and bogus comments ({@code <!DOCTYPE>}, {@code <?...>}, {@code </ >}, and
 * {@code <![CDATA[}, which browsers end at the first {@code >} outside SVG and MathML, where jsoup reads a CDATA
 * section to {@code ]]>}: see {@link HtmlLinkExtractor#cdataAsBogusComment}) are skipped; the content of {@code script}, {@code style}, {@code xmp}, {@code iframe},
 * {@code noembed}, {@code noframes} (raw text), {@code title},
 * {@code textarea} (RCDATA, also when never closed, as browsers do) and everything after {@code plaintext}
 * is text, except between {@code <math>} and {@code </math>} or {@code <svg>} and {@code </svg>}, where a browser
 * builds them as MathML or SVG elements whose content is markup (jsoup does not; reading on finds more values, never
 * fewer); attributes are read with every
 * syntax (quoted,
 * unquoted, spaces around {@code =}) and the first of duplicate attributes wins; a tag cut off by the end
 * of the input is no tag. {@code noscript} content is markup, as in a mail client, which parses with
 * scripting disabled (jsoup reads it as raw text in the head). From the tree builder it takes one rule:
 * inside {@code <select>} start tags other than {@code script} and {@code textarea} are ignored (table
 * tags too when the select is in a table). Equivalence with the jsoup DOM is checked by
 * {@code HtmlHrefLexerTest} on crafted cases and the shared corpus.
 *
 * <p>Values are entity-decoded once (attribute rules) and stripped (a srcdoc document is not stripped); the first
 * of duplicate attributes counts.
 * Stateless and thread-safe.
 */
final class HtmlHrefLexer {
    private static final Set<String> RAW_TEXT = Set.of("script", "style", "xmp", "iframe", "noembed", "noframes",
            "title", "textarea");
    private static final Set<String> ENDS_SELECT = Set.of("input", "keygen", "textarea");
    private static final Set<String> ENDS_SELECT_IN_TABLE = Set.of("caption", "table", "tbody", "tfoot", "thead", "tr",
            "td", "th");

    private HtmlHrefLexer() {
    }

    /** One link-bearing attribute value in the source. */
    static final class Site {
        final String tag;
        /**
         * The attribute name in lower case: {@code href}, {@code xlink:href}, {@code ping}, {@code action},
         * {@code formaction}, {@code content}, {@code src}, {@code srcdoc}, {@code data}.
         */
        final String attribute;
        /** Offset of the first character of the value (after any quote). */
        final int start;
        /** Offset just after the value (at the closing quote, space or {@code >}). */
        final int end;
        /**
         * The URL: the value entity-decoded once and stripped; for a meta refresh, the URL inside its content; for
         * {@code srcdoc}, the whole document, entity-decoded once and not stripped.
         */
        final String value;
        /**
         * For a meta refresh, what a replacement value starts with before the new URL (the delay and
         * {@code ;url=}, see {@link RefreshContent}); null when the new URL replaces the whole value.
         */
        final String prefix;

        Site(String tag, String attribute, int start, int end, String value, String prefix) {
            this.tag = tag;
            this.attribute = attribute;
            this.start = start;
            this.end = end;
            this.value = value;
            this.prefix = prefix;
        }
    }

    /** The result of {@link #lex}. */
    static final class Lexed {
        final List<Site> sites;
        /**
         * Decoded, stripped value of the first {@code <base href>} that gives a base URL, or null. A browser takes
         * the first base element with an href, but not one inside SVG, MathML or a template: taking the first
         * that gives a URL means an earlier relative or inert one cannot hide the one that counts (fail closed).
         */
        final String baseHref;
        final boolean limitReached;

        Lexed(List<Site> sites, String baseHref, boolean limitReached) {
            this.sites = Collections.unmodifiableList(sites);
            this.baseHref = baseHref;
            this.limitReached = limitReached;
        }
    }

    /** Attributes read per start tag name; the others are skipped. */
    private static final String[] A = {"href", "xlink:href", "ping"};
    private static final String[] AREA = {"href", "ping"};
    private static final String[] HREF = {"href"};
    private static final String[] IFRAME = {"src", "srcdoc"};
    private static final String[] SRC = {"src"};
    private static final String[] DATA = {"data"};
    private static final String[] FORM = {"action"};
    private static final String[] FORMACTION = {"formaction"};
    private static final String[] META = {"http-equiv", "content"};

    private static String[] wanted(String tagName, boolean inMath) {
        switch (tagName) {
            case "a":
                return A;
            case "area":
                return AREA;
            case "base":
                return HREF;
            case "iframe":
                return IFRAME;
            case "frame":
            case "embed":
                return SRC;
            case "object":
                return DATA;
            case "form":
                return FORM;
            case "button":
            case "input":
                return FORMACTION;
            case "meta":
                return META;
            default:
                // MathML links: any element may carry href. Read up to </math> whatever the tree builder would have
                // closed earlier (an HTML element breaking out of MathML): rewriting a value nothing follows is harmless
                return inMath ? HREF : null;
        }
    }

    /** Most attributes {@link #wanted} names for one tag. */
    private static final int MAX_WANTED = 3;

    /** A start or end tag read by {@link #readTag}: the first occurrence of each of its wanted attributes. */
    private static final class Tag {
        String name;
        int end;
        String[] wanted;
        final int[] valueStart = new int[MAX_WANTED];
        final int[] valueEnd = new int[MAX_WANTED];
        final boolean[] seen = new boolean[MAX_WANTED];

        boolean has(int k) {
            return valueStart[k] >= 0;
        }
    }

    /**
     * @param html     decoded HTML text
     * @param maxSites stop after this many link values
     */
    static Lexed lex(String html, int maxSites) {
        List<Site> sites = new ArrayList<>();
        String base = null;
        boolean inForm = false;
        boolean inSelect = false;
        boolean selectInTable = false;
        boolean inMath = false;
        boolean inSvg = false;
        int tables = 0;
        int n = html.length();
        int i = 0;
        Tag tag = new Tag();
        while (i < n) {
            int lt = html.indexOf('<', i);
            if (lt < 0 || lt + 1 >= n) {
                break;
            }
            char c = html.charAt(lt + 1);
            if (c == '!') {
                if (html.startsWith("--", lt + 2)) {
                    i = commentEnd(html, lt + 4);
                } else {
                    // <!DOCTYPE ...>, and <![CDATA[ too: outside SVG and MathML a browser reads it as a bogus comment
                    // that ends at the first '>', so '<![CDATA[ > <a href=...>' is a live link
                    i = afterGt(html, lt + 2);
                }
                continue;
            }
            if (c == '?') {
                i = afterGt(html, lt + 2);
                continue;
            }
            if (c == '/') {
                if (lt + 2 < n && isAsciiLetter(html.charAt(lt + 2))) {
                    if (!readTag(html, lt + 2, tag, false, false)) {
                        break;
                    }
                    if (tag.name.equals("select")) {
                        inSelect = false;
                    } else if (tag.name.equals("form")) {
                        inForm = false;
                    } else if (tag.name.equals("math")) {
                        inMath = false;
                    } else if (tag.name.equals("svg")) {
                        inSvg = false;
                    } else if (tag.name.equals("table")) {
                        tables = Math.max(0, tables - 1);
                        inSelect = inSelect && !selectInTable;
                    }
                    i = tag.end;
                } else if (lt + 2 < n && html.charAt(lt + 2) == '>') {
                    i = lt + 3;
                } else {
                    i = afterGt(html, lt + 2);
                }
                continue;
            }
            if (!isAsciiLetter(c)) {
                i = lt + 1;
                continue;
            }
            // attributes are read in a select too: an <input> there closes it and is kept, formaction and all
            if (!readTag(html, lt + 1, tag, true, inMath)) {
                break; // a tag cut off by the end of input is not emitted
            }
            i = tag.end;
            String name = tag.name;
            if (inSelect) {
                if (name.equals("select")) {
                    inSelect = false; // a nested <select> closes the open one
                    continue;
                }
                if (ENDS_SELECT.contains(name) || selectInTable && ENDS_SELECT_IN_TABLE.contains(name)) {
                    inSelect = false;
                } else if (!name.equals("script")) {
                    continue;
                }
            }
            if (name.equals("select")) {
                inSelect = true;
                selectInTable = tables > 0;
                continue;
            }
            if (name.equals("table")) {
                tables++;
            } else if (name.equals("math")) {
                inMath = true; // also <math/>: reading on to </math> can only find more values (fail closed)
            } else if (name.equals("svg")) {
                inSvg = true;
            }
            if (tag.wanted != null) {
                if (name.equals("form")) {
                    if (inForm) {
                        continue; // a form inside an open form is ignored by the tree builder, action and all
                    }
                    inForm = true;
                }
                if (!addSites(html, tag, sites, maxSites)) {
                    return new Lexed(sites, base, true);
                }
                if (name.equals("base") && base == null && tag.has(0)) {
                    String href = decode(html.substring(tag.valueStart[0], tag.valueEnd[0]));
                    if (!HtmlLinkExtractor.baseOf(href).isEmpty()) {
                        base = href;
                    }
                }
            }
            if (name.equals("plaintext")) {
                break;
            }
            if (RAW_TEXT.contains(name) && !inMath && !inSvg) {
                // Inside <math> and <svg> a browser builds these as MathML or SVG elements and reads their content
                // as markup: <math><style><mi href=...> is a live link where MathML links are followed, and in
                // <svg><style><p><a href=...> the <p> ends the SVG and the link is an HTML one. jsoup reads raw
                // text there. Reading it as markup can only find more values (fail closed).
                i = rawTextEnd(html, i, name);
            }
        }
        return new Lexed(sites, base, false);
    }

    /**
     * Adds the link values of one start tag (not {@code base}, read by the caller).
     *
     * @return false when {@code maxSites} was reached before all were added
     */
    private static boolean addSites(String html, Tag tag, List<Site> sites, int maxSites) {
        String name = tag.name;
        if (name.equals("base")) {
            return true;
        }
        if (name.equals("meta")) {
            // <meta http-equiv="refresh" content="5;url=..."> navigates wherever it appears in the document
            if (!tag.has(0) || !tag.has(1)
                    || !decode(html.substring(tag.valueStart[0], tag.valueEnd[0])).equalsIgnoreCase("refresh")) {
                return true;
            }
            RefreshContent refresh = RefreshContent.parse(decode(html.substring(tag.valueStart[1], tag.valueEnd[1])));
            if (refresh == null) {
                return true;
            }
            if (sites.size() >= maxSites) {
                return false;
            }
            sites.add(new Site(name, "content", tag.valueStart[1], tag.valueEnd[1], refresh.url(), refresh.prefix()));
            return true;
        }
        int first = sites.size();
        for (int k = 0; k < tag.wanted.length; k++) {
            if (!tag.has(k)) {
                continue;
            }
            if (sites.size() >= maxSites) {
                sortFrom(sites, first);
                return false;
            }
            String written = html.substring(tag.valueStart[k], tag.valueEnd[k]);
            // a srcdoc document keeps its whitespace: it is written back whole when a link inside it changes
            String value = tag.wanted[k].equals("srcdoc") ? decodeKeepingSpace(written) : decode(written);
            sites.add(new Site(name, tag.wanted[k], tag.valueStart[k], tag.valueEnd[k], value, null));
        }
        sortFrom(sites, first);
        return true;
    }

    /**
     * Puts the sites of one tag in source order: they are found attribute name by attribute name, and the rewriter
     * copies the text between consecutive sites ({@code <a ping=... href=...>} has its ping first).
     */
    private static void sortFrom(List<Site> sites, int first) {
        if (sites.size() - first > 1) {
            sites.subList(first, sites.size()).sort(java.util.Comparator.comparingInt(s -> s.start));
        }
    }

    private static String decode(String written) {
        if (written.indexOf('&') < 0) {
            return written.strip();
        }
        if (onlyAmp(written)) {
            return written.replace("&amp;", "&").strip(); // the usual query separator, without a tokenizer
        }
        return Parser.unescapeEntities(written, true).strip();
    }

    private static String decodeKeepingSpace(String written) {
        return written.indexOf('&') < 0 ? written : Parser.unescapeEntities(written, true);
    }

    /** @return whether every {@code &} starts {@code &amp;} (which always decodes to {@code &}) */
    private static boolean onlyAmp(String s) {
        for (int at = s.indexOf('&'); at >= 0; at = s.indexOf('&', at + 1)) {
            if (!s.startsWith("&amp;", at)) {
                return false;
            }
        }
        return true;
    }

    /** Offset after the comment whose text starts at {@code from} (after {@code <!--}). */
    private static int commentEnd(String html, int from) {
        int n = html.length();
        if (from < n && html.charAt(from) == '>') {
            return from + 1; // <!-->
        }
        if (from + 1 < n && html.charAt(from) == '-' && html.charAt(from + 1) == '>') {
            return from + 2; // <!--->
        }
        int at = from;
        while (true) {
            int dashes = html.indexOf("--", at);
            if (dashes < 0) {
                return n;
            }
            int k = dashes + 2;
            while (k < n && html.charAt(k) == '-') {
                k++; // "--->" still ends the comment
            }
            if (k < n && html.charAt(k) == '>') {
                return k + 1;
            }
            if (k + 1 < n && html.charAt(k) == '!' && html.charAt(k + 1) == '>') {
                return k + 2;
            }
            at = k;
        }
    }

    private static int afterGt(String html, int from) {
        int gt = html.indexOf('>', from);
        return gt < 0 ? html.length() : gt + 1;
    }

    /** Offset of the {@code </name} that ends a raw-text or RCDATA element (end of input when none). */
    private static int rawTextEnd(String html, int from, String name) {
        int n = html.length();
        int at = from;
        while (true) {
            int lt = html.indexOf("</", at);
            if (lt < 0) {
                return n;
            }
            int after = lt + 2 + name.length();
            if (after <= n && html.regionMatches(true, lt + 2, name, 0, name.length())
                    && (after == n || isSpace(html.charAt(after)) || html.charAt(after) == '/'
                    || html.charAt(after) == '>')) {
                return lt;
            }
            at = lt + 2;
        }
    }

    /**
     * Reads the tag whose name starts at {@code from}; when {@code attributes}, records the value of the first
     * occurrence of each attribute {@link #wanted} for its name ({@code inMath}: between {@code <math>} and
     * {@code </math>}).
     *
     * @return false when the input ends inside the tag
     */
    private static boolean readTag(String html, int from, Tag tag, boolean attributes, boolean inMath) {
        int n = html.length();
        int i = from;
        while (i < n && !isSpace(html.charAt(i)) && html.charAt(i) != '/' && html.charAt(i) != '>') {
            i++;
        }
        tag.name = lowerAscii(html, from, i);
        String[] wanted = attributes ? wanted(tag.name, inMath) : null;
        tag.wanted = wanted;
        for (int k = 0; k < MAX_WANTED; k++) {
            tag.valueStart[k] = -1;
            tag.seen[k] = false;
        }
        while (true) {
            // before attribute name
            while (i < n && isSpace(html.charAt(i))) {
                i++;
            }
            if (i >= n) {
                return false;
            }
            char c = html.charAt(i);
            if (c == '>') {
                tag.end = i + 1;
                return true;
            }
            if (c == '/') {
                i++;
                if (i < n && html.charAt(i) == '>') {
                    tag.end = i + 1;
                    return true;
                }
                continue;
            }
            int nameStart = i;
            i++; // the first character belongs to the name, even '='
            while (i < n && !isSpace(html.charAt(i)) && html.charAt(i) != '/' && html.charAt(i) != '>'
                    && html.charAt(i) != '=') {
                i++;
            }
            int slot = -1;
            if (wanted != null) {
                for (int k = 0; k < wanted.length; k++) {
                    if (!tag.seen[k] && i - nameStart == wanted[k].length()
                            && html.regionMatches(true, nameStart, wanted[k], 0, wanted[k].length())) {
                        tag.seen[k] = true; // the first of duplicate attributes wins, even without a value
                        slot = k;
                        break;
                    }
                }
            }
            // after attribute name
            while (i < n && isSpace(html.charAt(i))) {
                i++;
            }
            if (i >= n) {
                return false;
            }
            if (html.charAt(i) != '=') {
                continue; // attribute without value; '/' and '>' are handled above
            }
            i++;
            while (i < n && isSpace(html.charAt(i))) {
                i++;
            }
            if (i >= n) {
                return false;
            }
            c = html.charAt(i);
            int valueStart;
            int valueEnd;
            if (c == '"' || c == '\'') {
                valueStart = i + 1;
                valueEnd = html.indexOf(c, valueStart);
                if (valueEnd < 0) {
                    return false;
                }
                i = valueEnd + 1;
            } else if (c == '>') {
                continue; // missing value: the tag ends here
            } else {
                valueStart = i;
                while (i < n && !isSpace(html.charAt(i)) && html.charAt(i) != '>') {
                    i++;
                }
                valueEnd = i;
            }
            if (slot >= 0) {
                tag.valueStart[slot] = valueStart;
                tag.valueEnd[slot] = valueEnd;
            }
        }
    }

    private static String lowerAscii(String s, int from, int to) {
        char[] out = new char[to - from];
        for (int k = from; k < to; k++) {
            char c = s.charAt(k);
            out[k - from] = c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
        }
        return new String(out);
    }

    private static boolean isAsciiLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
    }
}
