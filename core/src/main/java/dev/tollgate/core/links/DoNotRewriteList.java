package dev.tollgate.core.links;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Parameters;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * An immutable set of {@link HostPattern}s, e.g. hosts whose links are never rewritten (the
 * organisation's own sites). Lookup costs one hash probe per label of the host, whatever the list size.
 *
 * <p>Thread-safe.
 */
public final class DoNotRewriteList implements HostMatcher {
    private static final DoNotRewriteList EMPTY = new DoNotRewriteList(List.of());

    private final Set<HostPattern> patterns;
    private final Set<String> exact;
    private final Set<String> wildcardSuffixes;

    private DoNotRewriteList(Collection<HostPattern> patterns) {
        this.patterns = Collections.unmodifiableSet(new LinkedHashSet<>(patterns));
        Set<String> e = new HashSet<>();
        Set<String> w = new HashSet<>();
        for (HostPattern p : patterns) {
            (p.isWildcard() ? w : e).add(p.host());
        }
        this.exact = Collections.unmodifiableSet(e);
        this.wildcardSuffixes = Collections.unmodifiableSet(w);
    }

    /** @return a list matching nothing */
    public static DoNotRewriteList empty() {
        return EMPTY;
    }

    /**
     * @param patterns pattern texts, see {@link HostPattern#parse(String)}
     * @throws IllegalArgumentException naming the first invalid pattern
     */
    public static DoNotRewriteList of(Collection<String> patterns) {
        Set<HostPattern> parsed = new LinkedHashSet<>();
        for (String p : patterns) {
            try {
                parsed.add(HostPattern.parse(p));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + p + "': " + e.getMessage(), e);
            }
        }
        return new DoNotRewriteList(parsed);
    }

    /** @return the list built from already parsed patterns */
    public static DoNotRewriteList ofPatterns(Collection<HostPattern> patterns) {
        return new DoNotRewriteList(patterns);
    }

    /**
     * Reads a comma-separated init parameter, e.g. {@code doNotRewrite = example.com, *.example.com}.
     *
     * @throws ConfigException naming {@code name} when a pattern is invalid
     */
    public static DoNotRewriteList fromParameter(Parameters parameters, String name) {
        try {
            return of(parameters.list(name));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name, e.getMessage(), e);
        }
    }

    /** @return the patterns, in the order given */
    public Set<HostPattern> patterns() {
        return patterns;
    }

    /** @return true when no pattern is present */
    public boolean isEmpty() {
        return patterns.isEmpty();
    }

    /** @param host a host as written; false when it is invalid */
    public boolean matches(String host) {
        return matches(HostNormalizer.normalize(host));
    }

    /** @return true when some pattern matches the normalised host */
    @Override
    public boolean matches(NormalizedHost host) {
        if (!host.isValid()) {
            return false;
        }
        String h = host.ascii();
        if (exact.contains(h)) {
            return true;
        }
        if (host.isIpLiteral() || wildcardSuffixes.isEmpty()) {
            return false;
        }
        for (int dot = h.indexOf('.'); dot >= 0; dot = h.indexOf('.', dot + 1)) {
            if (wildcardSuffixes.contains(h.substring(dot + 1))) {
                return true;
            }
        }
        return false;
    }

    /** @return true when the host of {@code url} matches */
    public boolean matchesUrl(String url) {
        return matches(HostNormalizer.hostOfUrl(url));
    }

    @Override
    public String toString() {
        return "DoNotRewriteList" + patterns;
    }
}
