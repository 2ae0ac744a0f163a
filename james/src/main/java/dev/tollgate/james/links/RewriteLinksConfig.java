package dev.tollgate.james.links;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.tollgate.core.config.AbstractComponentSpec;
import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.HomePaths;
import dev.tollgate.core.config.Parameters;
import dev.tollgate.core.links.DkimCheck;
import dev.tollgate.core.links.DoNotRewriteList;
import dev.tollgate.core.links.HostPattern;
import dev.tollgate.core.links.LinkKeys;
import dev.tollgate.core.links.LinkRewritePolicy;
import dev.tollgate.core.links.LinkScanSettings;
import dev.tollgate.core.links.LinkSettingsFile;
import dev.tollgate.core.links.MessageLinkRewriter;

/**
 * Configuration of {@link RewriteLinks}, validated once at James startup. {@link #parse} checks syntax
 * only (as {@code tollgate check-config} does); {@link #build} loads the key file and lists.
 *
 * <table>
 *   <caption>Parameters (plus the scanner's, see {@link LinkScanSettings})</caption>
 *   <tr><th>name</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code redirectorUrl}</td><td>required</td><td>public base URL of the redirector, e.g. {@code https://links.example.com}</td></tr>
 *   <tr><td>{@code linkSettings}</td><td>none</td><td>the redirector's properties file (e.g.
 *       {@code conf/tollgate-links.properties}); {@code keyFile}, {@code createKeyFile} and the scanner's parameters
 *       are then read from it, so the mailet and the redirector cannot disagree; giving one of them here too is an
 *       error</td></tr>
 *   <tr><td>{@code keyFile}</td><td>required</td><td>token key file (first line signs, further lines verify)</td></tr>
 *   <tr><td>{@code createKeyFile}</td><td>{@code true}</td><td>generate a key (0600) when the file is missing; {@code false} fails startup instead</td></tr>
 *   <tr><td>{@code mode}</td><td>{@code enforce}</td><td>{@code enforce} rewrites; {@code testing} only scans and writes the header</td></tr>
 *   <tr><td>{@code doNotRewrite}</td><td>none</td><td>comma-separated host patterns never rewritten ({@code *.example.com} = strict subdomains; an IPv4 host written obfuscated, {@code 0x7f000001}, is rewritten even when its address is listed)</td></tr>
 *   <tr><td>{@code knownWrappers}</td><td>none</td><td>further host patterns of link wrappers whose links are left as they are</td></tr>
 *   <tr><td>{@code rewritePlainText}</td><td>{@code false}</td><td>also rewrite bare URLs in text/plain parts</td></tr>
 *   <tr><td>{@code rewriteDkimSigned}</td><td>{@code false}</td><td>also rewrite mail whose DKIM signature verifies (breaks that signature); when false such mail is left
 *       alone, while a signature that fails or cannot be checked (no key, DNS failure, malformed) is rewritten as usual</td></tr>
 *   <tr><td>{@code scan}</td><td>{@code true}</td><td>scan each link for the header and attributes; with
 *       {@code false} no verdict is recorded, so link matchers placed after it scan the mail themselves</td></tr>
 *   <tr><td>{@code header}</td><td>{@code X-Tollgate-Links}</td><td>summary header written (any such header from the sender is removed)</td></tr>
 *   <tr><td>{@code maxMessageDepth}</td><td>3</td><td>levels of attached messages ({@code message/rfc822}) whose links are scanned, 0 to 10</td></tr>
 *   <tr><td>{@code rewriteAttachedMessages}</td><td>{@code false}</td><td>also rewrite links inside attached messages (breaks their own signatures; signed parts inside stay untouched)</td></tr>
 *   <tr><td>{@code splitPerRecipient}</td><td>{@code false}</td><td>in enforce mode, a mail with several recipients is split into one copy per recipient, sent back to {@code splitProcessor}, so each copy's tokens name its recipient; {@code false}: one shared token set without recipient id</td></tr>
 *   <tr><td>{@code splitProcessor}</td><td>the mail's current processor</td><td>processor the single-recipient copies are sent to (they are rewritten when they reach RewriteLinks again)</td></tr>
 *   <tr><td>{@code maxParts}, {@code maxPartBytes}, {@code maxLinks}</td><td>100, 4194304, 1000</td><td>work bounds per message</td></tr>
 * </table>
 */
public final class RewriteLinksConfig {
    /** Default summary header. */
    public static final String DEFAULT_HEADER = "X-Tollgate-Links";

    /** {@code enforce} or {@code testing}. */
    public enum Mode {
        /** Rewrite links. */
        ENFORCE,
        /** Scan and report only. */
        TESTING
    }

    static final Set<String> OWN = Set.of("redirectorUrl", "keyFile", "createKeyFile", "mode", "doNotRewrite",
            "knownWrappers", "rewritePlainText", "rewriteDkimSigned", "scan", "header", "maxParts",
            "maxPartBytes", "maxLinks", "splitPerRecipient", "splitProcessor", "maxMessageDepth",
            "rewriteAttachedMessages");
    /** Read from {@code linkSettings} when it is given: the redirector must verify what this mailet signs. */
    static final Set<String> SHARED_WITH_REDIRECTOR;

    static {
        Set<String> shared = new HashSet<>(LinkScanSettings.PARAMETERS);
        shared.add("keyFile");
        shared.add("createKeyFile");
        shared.add("tls"); // only checked against redirectorUrl's scheme
        SHARED_WITH_REDIRECTOR = Set.copyOf(shared);
    }

    private final String redirectorUrl;
    private final Path keyFile;
    private final boolean createKeyFile;
    private final Mode mode;
    private final DoNotRewriteList doNotRewrite;
    private final List<String> knownWrappers;
    private final boolean rewritePlainText;
    private final boolean rewriteDkimSigned;
    private final boolean scan;
    private final String header;
    private final int maxParts;
    private final int maxPartBytes;
    private final int maxLinks;
    private final LinkScanSettings scanSettings;
    private final boolean splitPerRecipient;
    private final int maxMessageDepth;
    private final boolean rewriteAttachedMessages;
    private final String splitProcessor;
    /** The values in effect by parameter name, as {@link #differingParameters} compares them. */
    private final Map<String, String> inEffect = new TreeMap<>();

    private RewriteLinksConfig(Parameters p) {
        try {
            this.redirectorUrl = LinkRewritePolicy.checkBase(p.required("redirectorUrl"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("redirectorUrl", e.getMessage());
        }
        if (p.bool("tls", false) && redirectorUrl.regionMatches(true, 0, "http:", 0, 5)) {
            // the redirector serves HTTPS itself: an http:// link would reach its TLS port and never open
            throw new ConfigException("redirectorUrl", "is http:// but the redirector serves HTTPS (tls=true in "
                    + LinkSettingsFile.PARAMETER + "): write https://");
        }
        this.keyFile = HomePaths.resolve(p.required("keyFile"));
        this.createKeyFile = p.bool("createKeyFile", true);
        this.mode = p.enumValue("mode", Mode.class, Mode.ENFORCE);
        this.doNotRewrite = DoNotRewriteList.fromParameter(p, "doNotRewrite");
        this.knownWrappers = p.list("knownWrappers");
        for (String w : knownWrappers) {
            try {
                HostPattern.parse(w);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("knownWrappers", "'" + w + "': " + e.getMessage());
            }
        }
        this.rewritePlainText = p.bool("rewritePlainText", false);
        this.rewriteDkimSigned = p.bool("rewriteDkimSigned", false);
        this.scan = p.bool("scan", true);
        this.header = p.headerName("header", DEFAULT_HEADER);
        this.maxParts = p.intInRange("maxParts", MessageLinkRewriter.DEFAULT_MAX_PARTS, 1, 10_000);
        this.maxPartBytes = p.intInRange("maxPartBytes", MessageLinkRewriter.DEFAULT_MAX_PART_BYTES, 1024, 256 * 1024 * 1024);
        this.maxLinks = p.intInRange("maxLinks", MessageLinkRewriter.DEFAULT_MAX_LINKS, 1, 100_000);
        this.scanSettings = LinkScanSettings.parse(p);
        this.maxMessageDepth = p.intInRange("maxMessageDepth", MessageLinkRewriter.DEFAULT_MAX_MESSAGE_DEPTH, 0, 10);
        this.rewriteAttachedMessages = p.bool("rewriteAttachedMessages", false);
        this.splitPerRecipient = p.bool("splitPerRecipient", false);
        this.splitProcessor = p.string("splitProcessor", "").strip();
        if (!splitProcessor.isEmpty() && !splitPerRecipient) {
            throw new ConfigException("splitProcessor", "only used with splitPerRecipient=true");
        }
        if (splitProcessor.chars().anyMatch(ch -> ch <= ' ' || ch == 0x7f)) {
            throw new ConfigException("splitProcessor", "must be a processor name without spaces");
        }
        inEffect.put("redirectorUrl", caseFolded(redirectorUrl));
        inEffect.put("keyFile", keyFile.normalize().toString());
        inEffect.put("createKeyFile", String.valueOf(createKeyFile));
        inEffect.put("mode", mode.name());
        inEffect.put("doNotRewrite", LinkScanSettings.canonicalHosts(p.list("doNotRewrite")));
        inEffect.put("knownWrappers", LinkScanSettings.canonicalHosts(knownWrappers));
        inEffect.put("rewritePlainText", String.valueOf(rewritePlainText));
        inEffect.put("rewriteDkimSigned", String.valueOf(rewriteDkimSigned));
        inEffect.put("scan", String.valueOf(scan));
        inEffect.put("header", header.toLowerCase(Locale.ROOT)); // field names are case-insensitive (RFC 5322 §1.2.2)
        inEffect.put("maxParts", String.valueOf(maxParts));
        inEffect.put("maxPartBytes", String.valueOf(maxPartBytes));
        inEffect.put("maxLinks", String.valueOf(maxLinks));
        inEffect.put("maxMessageDepth", String.valueOf(maxMessageDepth));
        inEffect.put("rewriteAttachedMessages", String.valueOf(rewriteAttachedMessages));
        inEffect.put("splitPerRecipient", String.valueOf(splitPerRecipient));
        inEffect.putAll(scanSettings.inEffect());
    }

    /** @return the URL with its scheme and host lower-cased (RFC 3986 §6.2.2.1), the rest as written */
    private static String caseFolded(String url) {
        int hostStart = url.indexOf("://") + 3;
        int hostEnd = url.indexOf('/', hostStart);
        int end = hostEnd < 0 ? url.length() : hostEnd;
        return url.substring(0, end).toLowerCase(Locale.ROOT) + url.substring(end);
    }

    /**
     * The parameters whose values in effect differ between this mailet and {@code other}: defaults filled in, the
     * values a {@code linkSettings} file gives read from it, files resolved against James's home, booleans, numbers,
     * durations, {@code mode} and the header name as the mailet reads them, the redirector URL's scheme and host and
     * the host lists in any case and order ({@link LinkScanSettings#inEffect}). {@code splitProcessor} is not
     * compared: it names a processor, by default the mailet's own, so two mailets in two processors rightly differ
     * there.
     *
     * @return parameter names in alphabetical order; empty when both rewrite links alike
     */
    public List<String> differingParameters(RewriteLinksConfig other) {
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, String> e : inEffect.entrySet()) {
            if (!e.getValue().equals(other.inEffect.get(e.getKey()))) {
                names.add(e.getKey());
            }
        }
        return names;
    }

    /** @return whether links are scanned (when not, no verdict is recorded on the mail) */
    public boolean scan() {
        return scan;
    }

    /** @throws ConfigException naming the parameter, for unknown names and invalid values */
    public static RewriteLinksConfig parse(Parameters parameters) {
        Set<String> known = new HashSet<>(OWN);
        known.addAll(LinkScanSettings.PARAMETERS);
        known.add(LinkSettingsFile.PARAMETER);
        parameters.requireKnown(known);
        return LinkSettingsFile.parse(parameters, SHARED_WITH_REDIRECTOR, RewriteLinksConfig::new);
    }

    /**
     * Loads the key file (creating it when missing and allowed) and the scanner's lists.
     *
     * @throws ConfigException naming the parameter
     */
    public MessageLinkRewriter build(Clock clock) {
        return build(clock, DkimCheck.NONE);
    }

    /**
     * As {@link #build(Clock)}, with the DKIM verifier deciding which signed mail is left alone when
     * {@code rewriteDkimSigned} is false.
     *
     * @throws ConfigException naming the parameter
     */
    public MessageLinkRewriter build(Clock clock, DkimCheck dkimCheck) {
        return build(clock, dkimCheck, fixed(LinkKeys.load("keyFile", keyFile, createKeyFile, java.time.Duration.ZERO, clock)));
    }

    /**
     * As {@link #build(Clock, DkimCheck)}, signing with the current signing key of this James's key ring
     * ({@code keyFile}'s ring with the file backend, the state store's otherwise).
     *
     * @throws ConfigException naming the parameter
     */
    public MessageLinkRewriter build(Clock clock, DkimCheck dkimCheck, LinkKeyRings rings) {
        dev.tollgate.core.links.LinkKeyRing ring = rings.ring("keyFile", keyFile, createKeyFile);
        return build(clock, dkimCheck, () -> ring.signer(java.time.Duration.ZERO));
    }

    private static java.util.function.Supplier<dev.tollgate.core.links.LinkTokenSigner> fixed(
            dev.tollgate.core.links.LinkTokenSigner signer) {
        return () -> signer;
    }

    private MessageLinkRewriter build(Clock clock, DkimCheck dkimCheck,
            java.util.function.Supplier<dev.tollgate.core.links.LinkTokenSigner> signer) {
        LinkRewritePolicy policy = LinkRewritePolicy.of(redirectorUrl, doNotRewrite, knownWrappers, signer);
        return MessageLinkRewriter.builder().policy(policy)
                .scanner(scan ? scanSettings.build(clock) : null)
                .rewritePlainText(rewritePlainText).rewriteDkimSigned(rewriteDkimSigned).dkimCheck(dkimCheck)
                .maxParts(maxParts).maxPartBytes(maxPartBytes).maxLinks(maxLinks)
                .maxMessageDepth(maxMessageDepth).rewriteAttachedMessages(rewriteAttachedMessages).build();
    }

    /** @return whether mail whose DKIM signature verifies is rewritten too */
    public boolean rewriteDkimSigned() {
        return rewriteDkimSigned;
    }

    /** @return whether a mail with several recipients is split into one copy per recipient (enforce mode) */
    public boolean splitPerRecipient() {
        return splitPerRecipient;
    }

    /** @return the processor the copies are sent to; empty for the mail's current processor */
    public String splitProcessor() {
        return splitProcessor;
    }

    /** @return the mode */
    public Mode mode() {
        return mode;
    }

    /** @return the summary header name */
    public String header() {
        return header;
    }

    /** @return the key file, resolved */
    public Path keyFile() {
        return keyFile;
    }

    /** Lets {@code tollgate check-config} validate {@code RewriteLinks} as James would. */
    public static final class Spec extends AbstractComponentSpec {
        public Spec() {
            super("dev.tollgate.james.links.RewriteLinks", Kind.MAILET);
        }

        @Override
        public void validate(Parameters parameters, String condition) {
            parse(parameters);
        }
    }
}
