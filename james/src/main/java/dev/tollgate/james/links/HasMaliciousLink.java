package dev.tollgate.james.links;

import dev.tollgate.core.links.LinkVerdict;

/**
 * Matches all recipients of a mail with at least one MALICIOUS link (block list, DNSBL listing,
 * homograph of a protected domain, userinfo deception, script schemes...), e.g. to quarantine it:
 *
 * <pre>{@code
 * <mailet match="dev.tollgate.james.links.HasMaliciousLink=blockList=conf/link-blocklist.txt" class="ToRepository">
 *     <repositoryPath>memory://var/mail/quarantine/</repositoryPath>
 * </mailet>
 * }</pre>
 *
 * <p>The condition is described in {@link LinkMatcherConfig}.
 */
public class HasMaliciousLink extends LinkVerdictMatcher {
    @Override
    LinkVerdict.Level threshold() {
        return LinkVerdict.Level.MALICIOUS;
    }

    @Override
    public String getMatcherInfo() {
        return "Tollgate HasMaliciousLink: matches mail with a malicious link";
    }
}
