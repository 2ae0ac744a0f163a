package dev.tollgate.core.links;

/**
 * Something that says whether a normalised host is in a set: {@link DoNotRewriteList}, {@link HostList}.
 * Implementations are thread-safe.
 */
@FunctionalInterface
public interface HostMatcher {
    /** @return true when the (already normalised) host is in the set; false for invalid hosts */
    boolean matches(NormalizedHost host);
}
