package dev.tollgate.core.tls;

import dev.tollgate.core.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A per-destination TLS policy table in the format of Postfix {@code smtp_tls_policy_maps}
 * ({@code texthash}-style text):
 *
 * <pre>
 * # comment
 * example.com      verify
 * .example.org     encrypt protocols=&gt;=TLSv1.3 match=mx.example.org:.example.org
 * </pre>
 *
 * <p>Each line is {@code PATTERN LEVEL [ATTRIBUTE=VALUE ...]}. {@code PATTERN} is a domain (exact match)
 * or {@code .parent} (any subdomain of {@code parent}, never {@code parent} itself). Lookup prefers the
 * exact entry, then the longest matching {@code .parent}. Names are compared case-insensitively, with
 * a trailing dot ignored and IDN labels converted to A-labels (UTS #46). Attributes: {@code protocols=}
 * ({@code >=TLSv1.2} or exclusions such as {@code !SSLv2:!SSLv3}; an entry can only narrow the versions the
 * global minimum allows, see {@link TlsPolicyEntry#allowedProtocols(String)} and {@link #checkProtocols}),
 * {@code ciphers=} (a Postfix grade {@code high}, {@code medium}, {@code low} or {@code export}, see
 * {@link TlsCipherGrade}; {@code null} is refused) and {@code match=} (colon- or comma-separated names).
 * Unknown attributes are refused.
 *
 * <p>Immutable and thread-safe.
 */
public final class TlsPolicyMap {
    /** Upper bound on lines read, against runaway files. */
    static final int MAX_LINES = 100_000;
    /** Upper bound on one line's length in characters. */
    static final int MAX_LINE_LENGTH = 4096;

    /** JSSE protocol names, weakest first. */
    static final List<String> PROTOCOLS = List.of("SSLv2", "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");
    /** The versions a connection may use at all (SSL is never offered), weakest first. */
    public static final List<String> TLS_PROTOCOLS = List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");
    private static final List<String> MATCH_KEYWORDS = List.of("hostname", "nexthop", "dot-nexthop");

    private static final TlsPolicyMap EMPTY = new TlsPolicyMap(Map.of());

    private final Map<String, TlsPolicyEntry> entries;

    private TlsPolicyMap(Map<String, TlsPolicyEntry> entries) {
        this.entries = Collections.unmodifiableMap(entries);
    }

    /** @return a map without entries: every lookup is empty */
    public static TlsPolicyMap empty() {
        return EMPTY;
    }

    /**
     * Parses the text of a policy map.
     *
     * @param text      the whole table, lines separated by LF or CRLF
     * @param parameter the configuration parameter named in errors (e.g. {@code policyMap})
     * @throws ConfigException naming {@code parameter} and the 1-based line number of the first bad line
     */
    public static TlsPolicyMap parse(String text, String parameter) {
        if (text == null) {
            throw new ConfigException(parameter, "missing policy map");
        }
        return parseLines(List.of(text.split("\r?\n", -1)), parameter);
    }

    /**
     * Reads and parses a policy map file (UTF-8).
     *
     * @throws ConfigException naming {@code parameter} when the file cannot be read or a line is bad
     */
    public static TlsPolicyMap load(Path file, String parameter) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), parameter);
        } catch (IOException e) {
            throw new ConfigException(parameter, "cannot read policy map file", e);
        }
    }

    private static TlsPolicyMap parseLines(List<String> lines, String parameter) {
        if (lines.size() > MAX_LINES) {
            throw new ConfigException(parameter, "policy map has more than " + MAX_LINES + " lines");
        }
        Map<String, TlsPolicyEntry> map = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            int lineNo = i + 1;
            String line = lines.get(i);
            if (line.length() > MAX_LINE_LENGTH) {
                throw bad(parameter, lineNo, "line longer than " + MAX_LINE_LENGTH + " characters");
            }
            String content = line.trim();
            if (content.isEmpty() || content.startsWith("#")) {
                continue;
            }
            TlsPolicyEntry entry = parseEntry(content.split("\\s+"), parameter, lineNo);
            if (map.putIfAbsent(entry.pattern(), entry) != null) {
                throw bad(parameter, lineNo, "duplicate entry for " + entry.pattern());
            }
        }
        return new TlsPolicyMap(map);
    }

    private static TlsPolicyEntry parseEntry(String[] fields, String parameter, int lineNo) {
        if (fields.length < 2) {
            throw bad(parameter, lineNo, "expected 'DOMAIN LEVEL [ATTRIBUTE=VALUE ...]'");
        }
        String pattern = normalisePattern(fields[0], parameter, lineNo);
        TlsSecurityLevel level;
        try {
            level = TlsSecurityLevel.parse(fields[1], parameter);
        } catch (ConfigException e) {
            throw bad(parameter, lineNo, e.reason());
        }
        String minimumProtocol = null;
        List<String> excludedProtocols = List.of();
        TlsCipherGrade ciphers = null;
        List<String> match = new ArrayList<>();
        boolean[] seen = new boolean[3];
        for (int f = 2; f < fields.length; f++) {
            String field = fields[f];
            int eq = field.indexOf('=');
            if (eq <= 0) {
                throw bad(parameter, lineNo, "expected ATTRIBUTE=VALUE");
            }
            String name = field.substring(0, eq).toLowerCase(Locale.ROOT);
            String value = field.substring(eq + 1);
            if (value.isEmpty()) {
                throw bad(parameter, lineNo, "empty value for " + name);
            }
            switch (name) {
                case "protocols":
                    once(seen, 0, parameter, lineNo, name);
                    if (value.startsWith(">=")) {
                        minimumProtocol = canonicalProtocol(value.substring(2));
                        if (minimumProtocol == null) {
                            throw bad(parameter, lineNo, "unknown protocol; expected one of " + PROTOCOLS);
                        }
                    } else {
                        excludedProtocols = parseExclusions(value, parameter, lineNo);
                    }
                    break;
                case "ciphers":
                    once(seen, 1, parameter, lineNo, name);
                    if (value.equalsIgnoreCase("null")) {
                        throw bad(parameter, lineNo, "ciphers=null (authentication without encryption) is not "
                                + "supported: TLS-only delivery needs encryption");
                    }
                    ciphers = TlsCipherGrade.fromPostfixName(value);
                    if (ciphers == null) {
                        throw bad(parameter, lineNo, "unknown cipher grade; expected high, medium, low or export");
                    }
                    break;
                case "match":
                    once(seen, 2, parameter, lineNo, name);
                    for (String m : value.split("[:,]")) {
                        if (!m.isEmpty()) {
                            match.add(normaliseMatchName(m, parameter, lineNo));
                        }
                    }
                    if (match.isEmpty()) {
                        throw bad(parameter, lineNo, "empty match list");
                    }
                    break;
                default:
                    throw bad(parameter, lineNo, "unknown attribute '" + name
                            + "'; known attributes are protocols, ciphers, match");
            }
        }
        return new TlsPolicyEntry(pattern, level, minimumProtocol, excludedProtocols, ciphers, match);
    }

    private static void once(boolean[] seen, int index, String parameter, int lineNo, String name) {
        if (seen[index]) {
            throw bad(parameter, lineNo, "attribute " + name + " given twice");
        }
        seen[index] = true;
    }

    /** Postfix exclusions {@code !SSLv2:!SSLv3} (colon- or comma-separated): each item a known version with '!'. */
    private static List<String> parseExclusions(String value, String parameter, int lineNo) {
        boolean[] excluded = new boolean[PROTOCOLS.size()];
        for (String item : value.split("[:,]")) {
            if (item.isEmpty()) {
                continue;
            }
            String name = item.startsWith("!") ? canonicalProtocol(item.substring(1)) : null;
            if (name == null) {
                throw bad(parameter, lineNo, "protocols must be '>=VERSION' or exclusions such as '!SSLv2:!SSLv3' "
                        + "(versions: " + String.join(", ", PROTOCOLS) + ")");
            }
            excluded[PROTOCOLS.indexOf(name)] = true;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < excluded.length; i++) {
            if (excluded[i]) {
                out.add(PROTOCOLS.get(i));
            }
        }
        if (out.isEmpty()) {
            throw bad(parameter, lineNo, "empty protocols list");
        }
        if (out.containsAll(TLS_PROTOCOLS)) {
            throw bad(parameter, lineNo, "protocols excludes every TLS version");
        }
        return out;
    }

    private static String canonicalProtocol(String name) {
        for (String p : PROTOCOLS) {
            if (p.equalsIgnoreCase(name)) {
                return p;
            }
        }
        return null;
    }

    private static String normalisePattern(String raw, String parameter, int lineNo) {
        boolean wildcard = raw.startsWith(".");
        String ascii = DomainNames.toAsciiOrNull(wildcard ? raw.substring(1) : raw);
        if (ascii == null || ascii.startsWith(".")) {
            throw bad(parameter, lineNo, "not a valid domain pattern");
        }
        return wildcard ? "." + ascii : ascii;
    }

    private static String normaliseMatchName(String raw, String parameter, int lineNo) {
        String lower = raw.toLowerCase(Locale.ROOT);
        if (MATCH_KEYWORDS.contains(lower)) {
            return lower;
        }
        return normalisePattern(raw, parameter, lineNo);
    }

    private static ConfigException bad(String parameter, int lineNo, String reason) {
        return new ConfigException(parameter, "line " + lineNo + ": " + reason);
    }

    /**
     * Checks every entry's {@code protocols=} against the global minimum: an entry can only narrow the versions
     * the global minimum allows. {@code >=VERSION} below the global minimum is refused (it could not take
     * effect), and so is an exclusion list that leaves no version at or above it. Exclusions of versions
     * already below it (Postfix's usual {@code !SSLv2:!SSLv3}) are accepted and change nothing.
     *
     * @param globalMinimum the configured lowest version, one of {@link #TLS_PROTOCOLS}
     * @param parameter     the configuration parameter named in errors (e.g. {@code policyMap})
     * @throws ConfigException naming {@code parameter} and the entry
     */
    public void checkProtocols(String globalMinimum, String parameter) {
        int floor = PROTOCOLS.indexOf(globalMinimum);
        for (TlsPolicyEntry e : new java.util.TreeMap<>(entries).values()) {
            String min = e.minimumProtocol().orElse(null);
            if (min != null && PROTOCOLS.indexOf(min) < floor) {
                throw new ConfigException(parameter, "entry " + e.pattern() + ": protocols=>=" + min
                        + " is below minimumProtocol " + globalMinimum
                        + "; an entry can only raise the floor (lower minimumProtocol to allow " + min + ")");
            }
            if (e.allowedProtocols(globalMinimum).isEmpty()) {
                throw new ConfigException(parameter, "entry " + e.pattern() + ": protocols=!"
                        + String.join(":!", e.excludedProtocols()) + " excludes every version allowed by "
                        + "minimumProtocol " + globalMinimum);
            }
        }
    }

    /**
     * Finds the policy for a next-hop domain: the exact entry if any, else the longest {@code .parent}
     * entry that the domain is a proper subdomain of.
     *
     * @param domain a domain name in any case, U-labels or A-labels, with or without trailing dot
     * @return the entry, or empty when nothing matches or {@code domain} is not a valid domain name
     */
    public Optional<TlsPolicyEntry> lookup(String domain) {
        String name = DomainNames.toAsciiOrNull(domain);
        if (name == null) {
            return Optional.empty();
        }
        TlsPolicyEntry exact = entries.get(name);
        if (exact != null) {
            return Optional.of(exact);
        }
        for (int dot = name.indexOf('.'); dot >= 0; dot = name.indexOf('.', dot + 1)) {
            TlsPolicyEntry wild = entries.get(name.substring(dot));
            if (wild != null) {
                return Optional.of(wild);
            }
        }
        return Optional.empty();
    }

    /** @return the entries, in no particular order */
    public Collection<TlsPolicyEntry> entries() {
        return entries.values();
    }

    /** @return the number of entries */
    public int size() {
        return entries.size();
    }

    @Override
    public String toString() {
        return "TlsPolicyMap[" + entries.size() + " entries]";
    }
}
