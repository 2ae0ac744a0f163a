package dev.tollgate.core.links;

import java.util.List;

/**
 * One pluggable heuristic of {@link LinkScanner}. Implementations must be thread-safe, must not throw for
 * hostile input (the scanner turns an exception into a {@link LinkVerdict.Reason#CHECK_FAILED} finding),
 * and must bound their work. Built-in checks are in {@link LinkChecks}; the ones every scanner runs are
 * declared in {@link DefaultLinkCheck}.
 */
@FunctionalInterface
public interface LinkCheck {
    /**
     * @param link the link under inspection
     * @return the findings, empty when nothing was found
     */
    List<LinkVerdict.Finding> inspect(ScannedLink link);
}
