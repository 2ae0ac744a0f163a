package dev.tollgate.core.links;

import java.util.Objects;

/**
 * One host pattern of a list: an exact host ({@code example.com}, {@code 192.0.2.1}) or a subdomain
 * wildcard ({@code *.example.com}).
 *
 * <p>Semantics: a wildcard matches every host strictly below the suffix, at any depth
 * ({@code a.example.com}, {@code a.b.example.com}), but not the suffix itself ({@code example.com}) and
 * not a host that merely contains it ({@code example.com.evil.test}, {@code badexample.com}). Both pattern
 * and host are compared after {@link HostNormalizer} normalisation (lower-case A-labels), so
 * {@code *.BÜCHER.example} matches {@code shop.xn--bcher-kva.example}. IP literals can only be exact.
 *
 * <p>Immutable and thread-safe.
 */
public final class HostPattern implements HostMatcher {
    private final String host;
    private final boolean wildcard;

    private HostPattern(String host, boolean wildcard) {
        this.host = host;
        this.wildcard = wildcard;
    }

    /**
     * @param pattern {@code host} or {@code *.suffix}
     * @return the pattern, normalised
     * @throws IllegalArgumentException when the pattern is not a valid host or uses {@code *} elsewhere
     */
    public static HostPattern parse(String pattern) {
        String p = Objects.requireNonNull(pattern, "pattern").strip();
        boolean wildcard = p.startsWith("*.");
        String rest = wildcard ? p.substring(2) : p;
        if (rest.indexOf('*') >= 0) {
            throw new IllegalArgumentException("'*' is only allowed as a whole first label, as in *.example.com");
        }
        NormalizedHost normalized = HostNormalizer.normalize(rest);
        if (!normalized.isValid()) {
            throw new IllegalArgumentException("invalid host pattern: " + normalized.error().orElse(""));
        }
        if (wildcard && normalized.isIpLiteral()) {
            throw new IllegalArgumentException("an IP address cannot have a wildcard");
        }
        return new HostPattern(normalized.ascii(), wildcard);
    }

    /** @return true for {@code *.suffix} patterns */
    public boolean isWildcard() {
        return wildcard;
    }

    /** @return the normalised host, or for a wildcard the normalised suffix without {@code *.} */
    public String host() {
        return host;
    }

    /**
     * @param host a host as written; normalised before comparison
     * @return whether it matches; false for invalid hosts
     */
    public boolean matches(String host) {
        NormalizedHost n = HostNormalizer.normalize(host);
        return n.isValid() && matches(n);
    }

    /** @return whether the already-normalised host matches */
    @Override
    public boolean matches(NormalizedHost host) {
        if (!host.isValid()) {
            return false;
        }
        String h = host.ascii();
        if (!wildcard) {
            return h.equals(this.host);
        }
        return !host.isIpLiteral() && h.length() > this.host.length() + 1 && h.endsWith(this.host)
                && h.charAt(h.length() - this.host.length() - 1) == '.';
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HostPattern && ((HostPattern) o).host.equals(host) && ((HostPattern) o).wildcard == wildcard;
    }

    @Override
    public int hashCode() {
        return host.hashCode() * 31 + (wildcard ? 1 : 0);
    }

    /** @return the pattern in list syntax, e.g. {@code *.xn--bcher-kva.example} */
    @Override
    public String toString() {
        return wildcard ? "*." + host : host;
    }
}
