package dev.tollgate.james.links;

import java.util.Set;
import java.util.TreeSet;

import javax.inject.Inject;

import org.apache.mailet.Mail;

import dev.tollgate.core.audit.AuditEvent;
import dev.tollgate.core.audit.AuditLog;
import dev.tollgate.core.audit.MetricNames;
import dev.tollgate.core.audit.Metrics;
import dev.tollgate.core.links.LinkSummary;
import dev.tollgate.core.links.LinkVerdict;
import dev.tollgate.core.links.MessageLinkRewriter;
import dev.tollgate.james.ops.JamesMetrics;

/**
 * Records what {@code RewriteLinks} decided for one mail: {@code tollgate_links_verdict:<level>} per link
 * scanned, {@code tollgate_links_finding:<reason>} per finding, {@code tollgate_links_rewritten} (links
 * rewritten) and one audit line (levels, reasons and counts; never a URL). Thread-safe.
 */
public class LinkDecisions {
    private final Metrics metrics;

    @Inject
    public LinkDecisions(JamesMetrics metrics) {
        this((Metrics) metrics);
    }

    /** @param metrics where counters go ({@link Metrics#NONE} in tests) */
    public LinkDecisions(Metrics metrics) {
        this.metrics = metrics;
        for (LinkVerdict.Level l : LinkVerdict.Level.values()) {
            metrics.register(Metrics.name(MetricNames.LINKS_VERDICT, l.name()));
        }
        metrics.register(MetricNames.LINKS_REWRITTEN);
    }

    /** @return the timer of one mail's scan and rewrite */
    public Metrics.Timer time() {
        return metrics.timer(MetricNames.LINKS_REWRITE);
    }

    /**
     * @param mail      the mail
     * @param messageId its Message-ID, or empty
     * @param outcome   what the rewriter did
     * @param enforce   whether links were rewritten ({@code enforce}) or only scanned ({@code testing})
     * @param scanned   whether links were scanned at all
     */
    public void record(Mail mail, String messageId, MessageLinkRewriter.Outcome outcome, boolean enforce, boolean scanned) {
        Set<String> reasons = new TreeSet<>();
        if (scanned) {
            for (MessageLinkRewriter.FoundLink link : outcome.links()) {
                metrics.increment(MetricNames.LINKS_VERDICT, link.verdict().level().name());
                for (LinkVerdict.Finding f : link.verdict().findings()) {
                    metrics.increment(MetricNames.LINKS_FINDING, f.reason().name());
                }
                reasons.addAll(link.verdict().concerns());
            }
        }
        metrics.add(MetricNames.LINKS_REWRITTEN, outcome.rewritten());
        AuditLog.write(AuditEvent.of("links", enforce ? "rewrite" : "report")
                .user(mail.getMaybeSender().asOptional().map(a -> a.asString()).orElse("<>"))
                .client(mail.getRemoteAddr()).messageId(messageId.isEmpty() ? null : messageId).rules(reasons)
                .reason(LinkSummary.verdict(outcome, scanned))
                .detail("mail", mail.getName()).detail("links", outcome.links().size())
                .detail("rewritten", outcome.rewritten()).detail("neutralised", outcome.neutralised())
                .detail("malicious", outcome.count(LinkVerdict.Level.MALICIOUS))
                .detail("suspicious", outcome.count(LinkVerdict.Level.SUSPICIOUS))
                .detail("unexamined", outcome.unexamined().size()));
    }
}
