package dev.tollgate.james.links;

import dev.tollgate.core.links.LinkVerdict;

/**
 * Matches all recipients of a mail with at least one SUSPICIOUS or MALICIOUS link (IP-literal hosts,
 * mixed-script hosts, anchor text showing another domain, invisible characters...). The condition is
 * described in {@link LinkMatcherConfig}.
 *
 * <pre>{@code
 * <mailet match="dev.tollgate.james.links.HasSuspiciousLink" class="AddSubjectPrefix">
 *     <subjectPrefix>[SUSPICIOUS LINK]</subjectPrefix>
 * </mailet>
 * }</pre>
 */
public class HasSuspiciousLink extends LinkVerdictMatcher {
    @Override
    LinkVerdict.Level threshold() {
        return LinkVerdict.Level.SUSPICIOUS;
    }

    @Override
    public String getMatcherInfo() {
        return "Tollgate HasSuspiciousLink: matches mail with a suspicious or malicious link";
    }
}
