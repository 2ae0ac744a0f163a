package dev.tollgate.core.links;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/** The one-line summary of a message's links, written in the {@code X-Tollgate-Links} header and logs. */
public final class LinkSummary {
    private LinkSummary() {
    }

    /** @return the distinct reasons of findings above CLEAN, sorted, comma-separated; empty when none */
    public static String reasons(MessageLinkRewriter.Outcome outcome) {
        Set<String> reasons = new TreeSet<>();
        for (MessageLinkRewriter.FoundLink l : outcome.links()) {
            for (LinkVerdict.Finding f : l.verdict().findings()) {
                if (f.level() != LinkVerdict.Level.CLEAN) {
                    reasons.add(f.reason().name());
                }
            }
        }
        return String.join(",", reasons);
    }

    /**
     * The message's verdict as the header and the audit log give it: the worst level of its links in lower case
     * ({@code clean}, {@code suspicious}, {@code malicious}), except that a message with a part whose links were not
     * read at all ({@link MessageLinkRewriter.Outcome#unexamined()}) and no worse link is {@code unexamined}, never
     * {@code clean}: what was not read is not known to be clean; {@code not_scanned} when the links were not scanned
     * (their levels are then not known either).
     *
     * @param scanned whether the links were scanned
     * @return the verdict, lower case
     */
    public static String verdict(MessageLinkRewriter.Outcome outcome, boolean scanned) {
        if (!scanned) {
            return "not_scanned";
        }
        LinkVerdict.Level worst = outcome.worst();
        if (worst == LinkVerdict.Level.CLEAN && !outcome.unexamined().isEmpty()) {
            return "unexamined";
        }
        return worst.name().toLowerCase(Locale.ROOT);
    }

    /** As {@link #header(MessageLinkRewriter.Outcome, String, boolean)} for a message whose links were scanned. */
    public static String header(MessageLinkRewriter.Outcome outcome, String mode) {
        return header(outcome, mode, true);
    }

    /**
     * @param mode    {@code enforce} or {@code testing}
     * @param scanned whether the links were scanned; if not, the verdict is {@code not_scanned}
     * @return e.g. {@code verdict=malicious; links=4; rewritten=3; suspicious=0; malicious=1; reasons=BLOCKLISTED; mode=enforce}
     *     (the verdict as {@link #verdict} gives it);
     *     {@code neutralised=N} follows {@code rewritten} when malicious links that are not http(s) were neutralised;
     *     {@code unexamined=N} follows {@code skipped} when N parts' links were not read at all
     *     ({@link MessageLinkRewriter.Outcome#unexamined()})
     */
    public static String header(MessageLinkRewriter.Outcome outcome, String mode, boolean scanned) {
        StringBuilder s = new StringBuilder();
        s.append("verdict=").append(verdict(outcome, scanned))
                .append("; links=").append(outcome.links().size())
                .append("; rewritten=").append(outcome.rewritten());
        if (outcome.neutralised() > 0) {
            s.append("; neutralised=").append(outcome.neutralised());
        }
        s.append("; suspicious=").append(outcome.count(LinkVerdict.Level.SUSPICIOUS))
                .append("; malicious=").append(outcome.count(LinkVerdict.Level.MALICIOUS));
        String reasons = reasons(outcome);
        if (!reasons.isEmpty()) {
            s.append("; reasons=").append(reasons);
        }
        if (!outcome.skipped().isEmpty()) {
            s.append("; skipped=").append(outcome.skipped().size());
        }
        if (!outcome.unexamined().isEmpty()) {
            s.append("; unexamined=").append(outcome.unexamined().size());
        }
        if (outcome.limitReached()) {
            s.append("; limit=reached");
        }
        return s.append("; mode=").append(mode).toString();
    }
}
