package dev.tollgate.core.links;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link LinkCheck}s over a link and combines their findings into a {@link LinkVerdict}.
 *
 * <pre>{@code
 * LinkScanner scanner = LinkScanner.builder()
 *         .allowList(DoNotRewriteList.of(List.of("*.corp.example")))
 *         .defaultChecks()
 *         .check(LinkChecks.homographs(List.of("paypal.com", "bank.example")))
 *         .check(LinkChecks.blockList(blockFile))
 *         .build();
 * LinkVerdict v = scanner.scan(link.resolved(), link.anchorText());
 * }</pre>
 *
 * <p>Order of work: a URL longer than {@link Builder#maxUrlLength(int)} is SUSPICIOUS ({@code OVERLONG})
 * without further checks, except that a {@code javascript:}, {@code data:} or {@code vbscript:} one is still
 * MALICIOUS ({@code DANGEROUS_SCHEME}: padding must not hide the scheme, which is read from the first
 * characters only); a host on the allow list is CLEAN ({@code ALLOWLISTED}) without further checks
 * (a {@code javascript:} or {@code data:} URL has no host and is never allowed); otherwise every check
 * runs and the verdict has the highest level found. A check that throws yields a SUSPICIOUS
 * {@code CHECK_FAILED} finding (fail closed). Immutable and thread-safe when its checks are.
 */
public final class LinkScanner {
    /** Default maximum URL length, in characters. */
    public static final int DEFAULT_MAX_URL_LENGTH = 8192;

    private static final Logger LOG = LoggerFactory.getLogger(LinkScanner.class);

    private final List<LinkCheck> checks;
    private final HostMatcher allowList;
    private final int maxUrlLength;

    private LinkScanner(Builder b) {
        this.checks = List.copyOf(b.checks);
        this.allowList = b.allowList;
        this.maxUrlLength = b.maxUrlLength;
    }

    /** @return a builder without checks */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a scanner with the {@linkplain Builder#defaultChecks() default checks} and nothing else */
    public static LinkScanner withDefaultChecks() {
        return builder().defaultChecks().build();
    }

    /** Scans a URL shown without anchor text. */
    public LinkVerdict scan(String url) {
        return scan(url, "");
    }

    /** Scans an HTML link: its resolved URL and anchor text. */
    public LinkVerdict scan(HtmlLink link) {
        return scan(link.resolved(), link.anchorText());
    }

    /**
     * @param url        the URL (absolute, entity-decoded)
     * @param anchorText the visible text shown for it, may be empty or null
     * @return the verdict; never throws for hostile input
     */
    public LinkVerdict scan(String url, String anchorText) {
        Objects.requireNonNull(url, "url");
        if (url.length() > maxUrlLength || (anchorText != null && anchorText.length() > maxUrlLength * 4L)) {
            LinkVerdict.Finding overlong = LinkVerdict.Finding.of(LinkVerdict.Reason.OVERLONG,
                    LinkVerdict.Level.SUSPICIOUS, "URL or anchor text longer than the scanner accepts");
            String scheme = LinkRewritePolicy.scheme(url);
            return LinkChecks.isDangerousScheme(scheme)
                    ? LinkVerdict.of(List.of(overlong, LinkChecks.dangerousSchemeFinding(scheme)))
                    : LinkVerdict.of(List.of(overlong));
        }
        ScannedLink link = ScannedLink.of(url, anchorText);
        if (link.host().isValid() && allowList.matches(link.host())) {
            return LinkVerdict.of(List.of(LinkVerdict.Finding.of(LinkVerdict.Reason.ALLOWLISTED,
                    LinkVerdict.Level.CLEAN, "host " + link.host().ascii() + " is on the allow list")));
        }
        List<LinkVerdict.Finding> findings = new ArrayList<>();
        for (LinkCheck check : checks) {
            try {
                List<LinkVerdict.Finding> found = check.inspect(link);
                if (found != null) {
                    findings.addAll(found);
                }
            } catch (RuntimeException e) {
                LOG.warn("Link check {} failed: {}", check.getClass().getName(), e.toString());
                findings.add(LinkVerdict.Finding.of(LinkVerdict.Reason.CHECK_FAILED, LinkVerdict.Level.SUSPICIOUS,
                        "a link check failed"));
            }
        }
        return LinkVerdict.of(findings);
    }

    /** @return the checks, in the order they run */
    List<LinkCheck> checks() {
        return checks;
    }

    @Override
    public String toString() {
        return "LinkScanner[" + checks.size() + " checks]";
    }

    /** Builder for {@link LinkScanner}; not thread-safe. */
    public static final class Builder {
        private final List<LinkCheck> checks = new ArrayList<>();
        private HostMatcher allowList = host -> false;
        private int maxUrlLength = DEFAULT_MAX_URL_LENGTH;

        private Builder() {
        }

        /** Adds a check; checks run in the order added. */
        public Builder check(LinkCheck check) {
            checks.add(Objects.requireNonNull(check));
            return this;
        }

        /** Adds several checks. */
        public Builder checks(Collection<LinkCheck> more) {
            more.forEach(this::check);
            return this;
        }

        /**
         * Adds the {@link DefaultLinkCheck}s without protected domains: {@link LinkChecks#dangerousScheme()},
         * {@link LinkChecks#userinfo()}, {@link LinkChecks#ipLiteralHost()}, {@link LinkChecks#invalidHost()},
         * {@link LinkChecks#invisibleCharacters()}, {@link LinkChecks#homographs} (mixed scripts only) and
         * {@link LinkChecks#deceptiveAnchor()}.
         */
        public Builder defaultChecks() {
            return defaultChecks(List.of());
        }

        /**
         * Adds the {@link DefaultLinkCheck}s, in their declaration order.
         *
         * @param protectedDomains domains whose look-alikes are MALICIOUS ({@link LinkChecks#homographs})
         * @throws IllegalArgumentException when a protected domain is not a valid host name
         */
        public Builder defaultChecks(Collection<String> protectedDomains) {
            return checks(DefaultLinkCheck.createAll(protectedDomains));
        }

        /** @param allowList hosts that are CLEAN without further checks (e.g. a {@link HostList}) */
        public Builder allowList(HostMatcher allowList) {
            this.allowList = Objects.requireNonNull(allowList);
            return this;
        }

        /** @param maxUrlLength longer URLs are SUSPICIOUS without further checks; ≥ 16 */
        public Builder maxUrlLength(int maxUrlLength) {
            if (maxUrlLength < 16) {
                throw new IllegalArgumentException("maxUrlLength must be at least 16");
            }
            this.maxUrlLength = maxUrlLength;
            return this;
        }

        /** @return the scanner */
        public LinkScanner build() {
            return new LinkScanner(this);
        }
    }
}
