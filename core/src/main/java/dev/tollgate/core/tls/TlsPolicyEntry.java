package dev.tollgate.core.tls;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One line of a {@link TlsPolicyMap}: the destination pattern, its security level and the optional
 * Postfix attributes {@code protocols=}, {@code ciphers=} and {@code match=}.
 *
 * <p>Immutable and thread-safe.
 */
public final class TlsPolicyEntry {
    private final String pattern;
    private final TlsSecurityLevel level;
    private final String minimumProtocol;
    private final String ciphers;
    private final List<String> matchNames;

    TlsPolicyEntry(String pattern, TlsSecurityLevel level, String minimumProtocol, String ciphers,
            List<String> matchNames) {
        this.pattern = Objects.requireNonNull(pattern);
        this.level = Objects.requireNonNull(level);
        this.minimumProtocol = minimumProtocol;
        this.ciphers = ciphers;
        this.matchNames = List.copyOf(matchNames);
    }

    /** @return the pattern as normalised: {@code example.com} (exact) or {@code .example.com} (subdomains) */
    public String pattern() {
        return pattern;
    }

    /** @return true when the pattern is a {@code .parent} wildcard matching subdomains only */
    public boolean isWildcard() {
        return pattern.startsWith(".");
    }

    /** @return the security level */
    public TlsSecurityLevel level() {
        return level;
    }

    /**
     * @return the lowest protocol allowed, as a JSSE name ({@code TLSv1}, {@code TLSv1.1},
     *     {@code TLSv1.2}, {@code TLSv1.3}, or {@code SSLv3}), from {@code protocols=>=TLSv1.3} or from a
     *     Postfix exclusion list such as {@code protocols=!SSLv2:!SSLv3}; empty when not configured
     */
    public Optional<String> minimumProtocol() {
        return Optional.ofNullable(minimumProtocol);
    }

    /** @return the Postfix cipher grade ({@code high}, {@code medium}, {@code low}, {@code export}, {@code null}) */
    public Optional<String> ciphers() {
        return Optional.ofNullable(ciphers);
    }

    /**
     * @return the {@code match=} names, in order: A-label host names, {@code .parent} names matching
     *     subdomains, or the Postfix keywords {@code hostname}, {@code nexthop}, {@code dot-nexthop};
     *     empty when not configured
     */
    public List<String> matchNames() {
        return matchNames;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof TlsPolicyEntry)) {
            return false;
        }
        TlsPolicyEntry other = (TlsPolicyEntry) o;
        return pattern.equals(other.pattern) && level == other.level
                && Objects.equals(minimumProtocol, other.minimumProtocol)
                && Objects.equals(ciphers, other.ciphers) && matchNames.equals(other.matchNames);
    }

    @Override
    public int hashCode() {
        return Objects.hash(pattern, level, minimumProtocol, ciphers, matchNames);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(pattern).append(' ').append(level.postfixName());
        if (minimumProtocol != null) {
            sb.append(" protocols=>=").append(minimumProtocol);
        }
        if (ciphers != null) {
            sb.append(" ciphers=").append(ciphers);
        }
        if (!matchNames.isEmpty()) {
            sb.append(" match=").append(String.join(":", matchNames));
        }
        return sb.toString();
    }
}
