package dev.tollgate.core.links;

import com.google.common.net.InternetDomainName;
import com.ibm.icu.text.SpoofChecker;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The built-in {@link LinkCheck}s. Each is thread-safe and bounded in work.
 */
public final class LinkChecks {
    private static final Set<String> DANGEROUS_SCHEMES = Set.of("javascript", "data", "vbscript");
    private static final int MAX_ANCHOR_SCAN = 2048;
    private static final int MAX_ANCHOR_DOMAINS = 10;
    /** What separates the words of an anchor text that may name a domain. */
    private static final Pattern ANCHOR_WORD_BREAKS = Pattern.compile("[\\s,;()<>\\[\\]\"']+");
    private static final PlainTextUrlExtractor ANCHOR_URLS = PlainTextUrlExtractor.create()
            .withMaxUrls(MAX_ANCHOR_DOMAINS);

    private LinkChecks() {
    }

    /**
     * Userinfo before the host (RFC 3986 §7.6): MALICIOUS when the user part contains a dot, i.e. can pass
     * for a host name ({@code https://paypal.com@evil.test/}, {@code https://bank.example%2F@evil.test/}),
     * otherwise SUSPICIOUS.
     */
    public static LinkCheck userinfo() {
        return link -> {
            if (link.userinfo().isEmpty()) {
                return List.of();
            }
            String user = link.userinfo();
            int colon = user.indexOf(':');
            if (colon >= 0) {
                user = user.substring(0, colon); // the password part is never looked at or echoed
            }
            if (user.indexOf('.') > 0) {
                return List.of(LinkVerdict.Finding.of(LinkVerdict.Reason.USERINFO, LinkVerdict.Level.MALICIOUS,
                        "userinfo that looks like a host name disguises the real host " + link.host().ascii()));
            }
            return List.of(LinkVerdict.Finding.of(LinkVerdict.Reason.USERINFO, LinkVerdict.Level.SUSPICIOUS,
                    "URL carries userinfo before the host"));
        };
    }

    /** IP-literal hosts: SUSPICIOUS; IPv4 in hex, octal or non-dotted form: MALICIOUS. */
    public static LinkCheck ipLiteralHost() {
        return link -> {
            NormalizedHost host = link.host();
            if (!host.isIpLiteral()) {
                return List.of();
            }
            if (host.obfuscated()) {
                return List.of(LinkVerdict.Finding.of(LinkVerdict.Reason.OBFUSCATED_IP, LinkVerdict.Level.MALICIOUS,
                        "IPv4 address written in obfuscated form (" + host.ascii() + ")"));
            }
            return List.of(LinkVerdict.Finding.of(LinkVerdict.Reason.IP_LITERAL_HOST, LinkVerdict.Level.SUSPICIOUS,
                    "host is an IP address (" + host.ascii() + ")"));
        };
    }

    /** {@code javascript:}, {@code data:} and {@code vbscript:} URLs (any case, with embedded tabs/newlines): MALICIOUS. */
    public static LinkCheck dangerousScheme() {
        return link -> isDangerousScheme(link.scheme()) ? List.of(dangerousSchemeFinding(link.scheme())) : List.of();
    }

    /** @param scheme lower-cased, as {@link ScannedLink#scheme()} gives it */
    static boolean isDangerousScheme(String scheme) {
        return DANGEROUS_SCHEMES.contains(scheme);
    }

    static LinkVerdict.Finding dangerousSchemeFinding(String scheme) {
        return LinkVerdict.Finding.of(LinkVerdict.Reason.DANGEROUS_SCHEME, LinkVerdict.Level.MALICIOUS,
                "scheme " + scheme + ":");
    }

    /** A URL with an authority whose host cannot be normalised: SUSPICIOUS. */
    public static LinkCheck invalidHost() {
        return link -> link.hasAuthority() && !link.host().isValid()
                ? List.of(LinkVerdict.Finding.of(LinkVerdict.Reason.INVALID_HOST, LinkVerdict.Level.SUSPICIOUS,
                        link.host().error().orElse("invalid host")))
                : List.of();
    }

    /**
     * Bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C): MALICIOUS; zero-width
     * and invisible characters (U+200B–U+200D, U+2060, U+FEFF, U+00AD): SUSPICIOUS. Looked for in the URL
     * (also percent-encoded as UTF-8) and in the anchor text.
     */
    public static LinkCheck invisibleCharacters() {
        return link -> {
            List<LinkVerdict.Finding> out = new ArrayList<>(2);
            String url = link.url();
            String encoded = url.indexOf('%') >= 0 ? Invisible.decodePercentForScan(url) : url;
            int bidi = Math.max(Invisible.firstBidi(encoded), Invisible.firstBidi(link.anchorText()));
            if (bidi >= 0) {
                out.add(LinkVerdict.Finding.of(LinkVerdict.Reason.BIDI_CONTROL, LinkVerdict.Level.MALICIOUS,
                        String.format(Locale.ROOT, "bidirectional control U+%04X", bidi)));
            }
            int invisible = Math.max(Invisible.firstInvisible(encoded), Invisible.firstInvisible(link.anchorText()));
            if (invisible >= 0) {
                out.add(LinkVerdict.Finding.of(LinkVerdict.Reason.INVISIBLE_CHARACTER, LinkVerdict.Level.SUSPICIOUS,
                        String.format(Locale.ROOT, "invisible character U+%04X", invisible)));
            }
            return out;
        };
    }

    /**
     * Homographs (UTS #39 via ICU4J {@link SpoofChecker}): a host label mixing scripts beyond the "highly
     * restrictive" level is SUSPICIOUS ({@code MIXED_SCRIPT}); a host, or one of its parent domains, whose
     * confusable skeleton equals that of a protected domain without being that domain is MALICIOUS
     * ({@code HOMOGRAPH}), e.g. {@code pаypal.example} with a Cyrillic {@code а} against
     * {@code paypal.example}.
     *
     * @param protectedDomains domains to protect, e.g. the organisation's and its banks'
     * @throws IllegalArgumentException when a protected domain is not a valid host name
     */
    public static LinkCheck homographs(Collection<String> protectedDomains) {
        return new HomographCheck(protectedDomains);
    }

    /**
     * Deceptive anchors: the anchor text shows URLs or domain names whose registrable domain (eTLD+1,
     * Public Suffix List via Guava {@link InternetDomainName}, private section included) differs from the
     * link's: SUSPICIOUS. {@code www.example.co.uk} shown for {@code login.example.co.uk} is fine.
     */
    public static LinkCheck deceptiveAnchor() {
        return link -> {
            if (link.anchorText().isEmpty() || !link.host().isValid()) {
                return List.of();
            }
            String target = registrableDomain(link.host());
            for (NormalizedHost shown : domainsShownIn(link.anchorText())) {
                String shownDomain = registrableDomain(shown);
                if (!shownDomain.equals(target)) {
                    return List.of(LinkVerdict.Finding.of(LinkVerdict.Reason.DECEPTIVE_ANCHOR,
                            LinkVerdict.Level.SUSPICIOUS, "anchor shows " + shownDomain + " but the link goes to "
                                    + target));
                }
            }
            return List.of();
        };
    }

    /** Hosts on a local block list ({@link HostList} or {@link DoNotRewriteList}): MALICIOUS. */
    public static LinkCheck blockList(HostMatcher list) {
        Objects.requireNonNull(list);
        return link -> list.matches(link.host())
                ? List.of(LinkVerdict.Finding.of(LinkVerdict.Reason.BLOCKLISTED, LinkVerdict.Level.MALICIOUS,
                        "host " + link.host().ascii() + " is on the local block list"))
                : List.of();
    }

    /**
     * Looks the host and its registrable domain up in a DNS block list. Listings are MALICIOUS, or
     * SUSPICIOUS for the "abused legitimate" categories; errors are an informational
     * {@code DNSBL_ERROR} at level CLEAN (never a listing).
     */
    public static LinkCheck dnsbl(Dnsbl dnsbl) {
        Objects.requireNonNull(dnsbl);
        return link -> {
            NormalizedHost host = link.host();
            if (!host.isValid() || host.isIpLiteral()) {
                return List.of();
            }
            Set<String> names = new LinkedHashSet<>();
            names.add(host.ascii());
            names.add(registrableDomain(host));
            List<LinkVerdict.Finding> out = new ArrayList<>(2);
            for (String name : names) {
                DnsblResult r = dnsbl.check(name);
                if (r.isListed()) {
                    boolean abused = r.categories().stream().allMatch(DnsblResult.Category::isAbusedLegitimate);
                    out.add(LinkVerdict.Finding.of(LinkVerdict.Reason.DNSBL_LISTED,
                            abused ? LinkVerdict.Level.SUSPICIOUS : LinkVerdict.Level.MALICIOUS,
                            name + " listed by " + dnsbl.zone() + " " + r.categories()));
                } else if (r.status() == DnsblResult.Status.ERROR) {
                    out.add(LinkVerdict.Finding.of(LinkVerdict.Reason.DNSBL_ERROR, LinkVerdict.Level.CLEAN,
                            dnsbl.zone() + " error " + r.error().map(Enum::name).orElse("")));
                }
            }
            return out;
        };
    }

    /**
     * @return eTLD+1 of a DNS name by the Public Suffix List; for a top-level domain the list does not know
     *     (e.g. RFC 6761 {@code .test}), the PSL default rule {@code *} (last two labels); the host itself
     *     for IPs and public suffixes
     */
    static String registrableDomain(NormalizedHost host) {
        if (host.kind() != NormalizedHost.Kind.DNS_NAME) {
            return host.ascii();
        }
        // Guava validates the name and walks the suffix list on every call; a mail repeats its few hosts in
        // every link and anchor, so the answers are kept (bounded: hosts come from hostile mail)
        return REGISTRABLE_DOMAINS.getUnchecked(host.ascii());
    }

    /** Host names (ASCII, lower case) to their registrable domain; at most this many are remembered. */
    private static final int REGISTRABLE_DOMAINS_KEPT = 4096;
    private static final com.google.common.cache.LoadingCache<String, String> REGISTRABLE_DOMAINS =
            com.google.common.cache.CacheBuilder.newBuilder().maximumSize(REGISTRABLE_DOMAINS_KEPT)
                    .build(com.google.common.cache.CacheLoader.from(LinkChecks::registrableDomainOf));

    private static String registrableDomainOf(String ascii) {
        try {
            InternetDomainName name = InternetDomainName.from(ascii);
            if (name.isUnderPublicSuffix()) {
                return name.topPrivateDomain().toString();
            }
            if (name.hasPublicSuffix()) {
                return ascii; // the name is itself a public suffix
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            // not a name Guava accepts: fall through to the default rule
        }
        int last = ascii.lastIndexOf('.');
        int previous = last <= 0 ? -1 : ascii.lastIndexOf('.', last - 1);
        return previous < 0 ? ascii : ascii.substring(previous + 1);
    }

    /** Domains that the anchor text presents: hosts of URLs, else words that are names under a public suffix. */
    static List<NormalizedHost> domainsShownIn(String anchorText) {
        String text = anchorText.length() > MAX_ANCHOR_SCAN ? anchorText.substring(0, MAX_ANCHOR_SCAN) : anchorText;
        List<NormalizedHost> hosts = new ArrayList<>();
        for (UrlSpan span : ANCHOR_URLS.extract(text).spans()) {
            NormalizedHost h = HostNormalizer.hostOfUrl(span.href());
            if (h.isValid()) {
                hosts.add(h);
            }
        }
        if (!hosts.isEmpty()) {
            return hosts;
        }
        for (String word : ANCHOR_WORD_BREAKS.split(text)) {
            if (hosts.size() >= MAX_ANCHOR_DOMAINS) {
                break;
            }
            String w = word;
            while (!w.isEmpty() && ".!?:".indexOf(w.charAt(w.length() - 1)) >= 0) {
                w = w.substring(0, w.length() - 1);
            }
            int slash = w.indexOf('/');
            if (slash > 0) {
                w = w.substring(0, slash);
            }
            if (w.indexOf('.') <= 0 || w.indexOf('@') >= 0) {
                continue;
            }
            NormalizedHost h = HostNormalizer.normalize(w);
            if (h.kind() == NormalizedHost.Kind.IPV4 && w.chars().filter(c -> c == '.').count() == 3) {
                hosts.add(h);
            } else if (h.kind() == NormalizedHost.Kind.DNS_NAME && isUnderPublicSuffix(h.ascii())) {
                hosts.add(h);
            }
        }
        return hosts;
    }

    /** Words count as domains when under a PSL suffix or under an RFC 6761 reserved TLD. */
    private static boolean isUnderPublicSuffix(String ascii) {
        if (ascii.endsWith(".test") || ascii.endsWith(".example") || ascii.endsWith(".invalid")) {
            return true;
        }
        try {
            return InternetDomainName.from(ascii).isUnderPublicSuffix();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Character classes for {@link #invisibleCharacters()}. */
    static final class Invisible {
        private Invisible() {
        }

        static boolean isBidiControl(int c) {
            return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200E || c == 0x200F
                    || c == 0x061C;
        }

        static boolean isInvisible(int c) {
            return (c >= 0x200B && c <= 0x200D) || c == 0x2060 || c == 0xFEFF || c == 0x00AD;
        }

        static int firstBidi(String s) {
            for (int i = 0; i < s.length(); i++) {
                if (isBidiControl(s.charAt(i))) {
                    return s.charAt(i);
                }
            }
            return -1;
        }

        static int firstInvisible(String s) {
            for (int i = 0; i < s.length(); i++) {
                if (isInvisible(s.charAt(i))) {
                    return s.charAt(i);
                }
            }
            return -1;
        }

        /** Decodes runs of {@code %XX} as UTF-8 (malformed bytes become U+FFFD), to find hidden controls. */
        static String decodePercentForScan(String url) {
            StringBuilder out = new StringBuilder(url.length());
            java.io.ByteArrayOutputStream run = new java.io.ByteArrayOutputStream();
            int i = 0;
            while (i < url.length()) {
                int b = hexByteAt(url, i);
                if (b >= 0) {
                    run.write(b);
                    i += 3;
                    continue;
                }
                flush(run, out);
                out.append(url.charAt(i));
                i++;
            }
            flush(run, out);
            return out.toString();
        }

        private static void flush(java.io.ByteArrayOutputStream run, StringBuilder out) {
            if (run.size() > 0) {
                out.append(new String(run.toByteArray(), java.nio.charset.StandardCharsets.UTF_8));
                run.reset();
            }
        }

        /** @return the byte of {@code %XX} at {@code i}, or -1 */
        private static int hexByteAt(String s, int i) {
            if (i + 2 >= s.length() || s.charAt(i) != '%') {
                return -1;
            }
            int hi = Character.digit(s.charAt(i + 1), 16);
            int lo = Character.digit(s.charAt(i + 2), 16);
            return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
        }
    }

    /** UTS #39 checks; SpoofChecker's test functions are safe for concurrent use once built. */
    static final class HomographCheck implements LinkCheck {
        private static final int MAX_SUFFIXES = 8;

        private final SpoofChecker restriction;
        private final SpoofChecker skeletons;
        private final Map<String, String> protectedBySkeleton = new HashMap<>();

        HomographCheck(Collection<String> protectedDomains) {
            this.restriction = new SpoofChecker.Builder()
                    .setChecks(SpoofChecker.RESTRICTION_LEVEL | SpoofChecker.MIXED_NUMBERS)
                    .setRestrictionLevel(SpoofChecker.RestrictionLevel.HIGHLY_RESTRICTIVE)
                    .build();
            this.skeletons = new SpoofChecker.Builder().build();
            for (String domain : protectedDomains) {
                NormalizedHost h = HostNormalizer.normalize(domain);
                if (h.kind() != NormalizedHost.Kind.DNS_NAME) {
                    throw new IllegalArgumentException("protected domain is not a valid host name: " + domain);
                }
                protectedBySkeleton.put(skeletons.getSkeleton(h.unicode()), h.ascii());
            }
        }

        @Override
        public List<LinkVerdict.Finding> inspect(ScannedLink link) {
            NormalizedHost host = link.host();
            if (host.kind() != NormalizedHost.Kind.DNS_NAME) {
                return List.of();
            }
            List<LinkVerdict.Finding> out = new ArrayList<>(2);
            String unicode = host.unicode();
            // an all-ASCII name has no label to check: only a label with a non-ASCII char can mix scripts
            for (String label : isAscii(unicode) ? new String[0] : unicode.split("\\.")) {
                if (!isAscii(label) && restriction.failsChecks(label)) {
                    out.add(LinkVerdict.Finding.of(LinkVerdict.Reason.MIXED_SCRIPT, LinkVerdict.Level.SUSPICIOUS,
                            "label '" + label + "' mixes scripts"));
                    break;
                }
            }
            if (!protectedBySkeleton.isEmpty()) {
                String asciiSuffix = host.ascii();
                String unicodeSuffix = unicode;
                for (int n = 0; n < MAX_SUFFIXES && !asciiSuffix.isEmpty(); n++) {
                    String target = protectedBySkeleton.get(skeletons.getSkeleton(unicodeSuffix));
                    if (target != null && !target.equals(asciiSuffix)) {
                        out.add(LinkVerdict.Finding.of(LinkVerdict.Reason.HOMOGRAPH, LinkVerdict.Level.MALICIOUS,
                                asciiSuffix + " imitates protected domain " + target));
                        break;
                    }
                    asciiSuffix = afterFirstDot(asciiSuffix);
                    unicodeSuffix = afterFirstDot(unicodeSuffix);
                }
            }
            return out;
        }

        private static String afterFirstDot(String s) {
            int dot = s.indexOf('.');
            return dot < 0 ? "" : s.substring(dot + 1);
        }

        private static boolean isAscii(String s) {
            for (int i = 0; i < s.length(); i++) {
                if (s.charAt(i) >= 0x80) {
                    return false;
                }
            }
            return true;
        }
    }
}
