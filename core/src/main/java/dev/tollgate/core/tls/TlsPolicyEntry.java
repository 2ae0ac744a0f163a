package dev.tollgate.core.tls;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One line of a {@link TlsPolicyMap}: the destination pattern, its security level and the optional
 * Postfix attributes {@code protocols=}, {@code ciphers=} and {@code match=}.
 *
 * <p>Protocols: an entry can only narrow the set allowed by the global minimum, never widen it. The protocols of a
 * connection are {@link #allowedProtocols(String)}: the TLS versions at or above the global minimum, at or above
 * {@code protocols=>=VERSION} when given, minus the {@code protocols=!VERSION:...} exclusions.
 *
 * <p>Immutable and thread-safe.
 */
public final class TlsPolicyEntry {
    private final String pattern;
    private final TlsSecurityLevel level;
    private final String minimumProtocol;
    private final List<String> excludedProtocols;
    private final TlsCipherGrade ciphers;
    private final List<String> matchNames;

    TlsPolicyEntry(String pattern, TlsSecurityLevel level, String minimumProtocol, List<String> excludedProtocols,
            TlsCipherGrade ciphers, List<String> matchNames) {
        this.pattern = Objects.requireNonNull(pattern);
        this.level = Objects.requireNonNull(level);
        this.minimumProtocol = minimumProtocol;
        this.excludedProtocols = List.copyOf(excludedProtocols);
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
     * @return the floor from {@code protocols=>=VERSION}, as a JSSE name ({@code TLSv1}, {@code TLSv1.1},
     *     {@code TLSv1.2}, {@code TLSv1.3}, {@code SSLv3}); empty when not configured that way
     */
    public Optional<String> minimumProtocol() {
        return Optional.ofNullable(minimumProtocol);
    }

    /**
     * @return the versions excluded by {@code protocols=!VERSION:...} (e.g. {@code !SSLv2:!SSLv3}), JSSE names,
     *     weakest first; empty when not configured that way
     */
    public List<String> excludedProtocols() {
        return excludedProtocols;
    }

    /**
     * The TLS versions a connection under this entry may use: those of {@link TlsPolicyMap#TLS_PROTOCOLS} at or
     * above {@code globalMinimum}, at or above {@link #minimumProtocol()}, minus {@link #excludedProtocols()}.
     * Never below {@code globalMinimum}: an exclusion of a version already below it changes nothing.
     *
     * @param globalMinimum the configured lowest version, one of {@link TlsPolicyMap#TLS_PROTOCOLS}
     * @return JSSE protocol names, weakest first; empty when the entry excludes every version left
     * @throws IllegalArgumentException when {@code globalMinimum} is not a TLS version name
     */
    public List<String> allowedProtocols(String globalMinimum) {
        int floor = TlsPolicyMap.PROTOCOLS.indexOf(globalMinimum);
        if (floor < 0 || !TlsPolicyMap.TLS_PROTOCOLS.contains(globalMinimum)) {
            throw new IllegalArgumentException("not a TLS protocol version: " + globalMinimum);
        }
        if (minimumProtocol != null) {
            floor = Math.max(floor, TlsPolicyMap.PROTOCOLS.indexOf(minimumProtocol));
        }
        List<String> out = new ArrayList<>();
        for (String p : TlsPolicyMap.TLS_PROTOCOLS) {
            if (TlsPolicyMap.PROTOCOLS.indexOf(p) >= floor && !excludedProtocols.contains(p)) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * @return the minimum cipher grade from {@code ciphers=} (Postfix semantics: that grade or stronger); empty
     *     when not configured
     */
    public Optional<TlsCipherGrade> ciphers() {
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
                && excludedProtocols.equals(other.excludedProtocols)
                && ciphers == other.ciphers && matchNames.equals(other.matchNames);
    }

    @Override
    public int hashCode() {
        return Objects.hash(pattern, level, minimumProtocol, excludedProtocols, ciphers, matchNames);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(pattern).append(' ').append(level.postfixName());
        if (minimumProtocol != null) {
            sb.append(" protocols=>=").append(minimumProtocol);
        } else if (!excludedProtocols.isEmpty()) {
            sb.append(" protocols=!").append(String.join(":!", excludedProtocols));
        }
        if (ciphers != null) {
            sb.append(" ciphers=").append(ciphers.postfixName());
        }
        if (!matchNames.isEmpty()) {
            sb.append(" match=").append(String.join(":", matchNames));
        }
        return sb.toString();
    }
}
