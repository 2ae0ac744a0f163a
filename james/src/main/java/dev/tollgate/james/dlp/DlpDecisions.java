package dev.tollgate.james.dlp;

import javax.inject.Inject;

import org.apache.mailet.Mail;

import dev.tollgate.core.audit.AuditEvent;
import dev.tollgate.core.audit.AuditLog;
import dev.tollgate.core.audit.MetricNames;
import dev.tollgate.core.audit.Metrics;
import dev.tollgate.core.dlp.content.Unscannable;
import dev.tollgate.core.dlp.policy.AuditLine;
import dev.tollgate.core.dlp.policy.Decision;
import dev.tollgate.core.dlp.policy.DlpAction;
import dev.tollgate.core.dlp.policy.DlpAttributes;
import dev.tollgate.core.dlp.policy.DlpEngine;
import dev.tollgate.core.dlp.policy.RuleMatch;
import dev.tollgate.james.ops.JamesMetrics;

/**
 * Records one DLP decision: {@code tollgate_dlp_decision:<action>}, {@code tollgate_dlp_rule:<rule>:<action>}
 * per matched rule, {@code tollgate_dlp_unscannable:<reason>} per part that could not be examined, and one
 * audit line (rule ids, detector counts; never a matched value or a masked sample). Thread-safe.
 */
public class DlpDecisions {
    private final Metrics metrics;

    @Inject
    public DlpDecisions(JamesMetrics metrics) {
        this((Metrics) metrics);
    }

    /** @param metrics where counters go ({@link Metrics#NONE} in tests) */
    public DlpDecisions(Metrics metrics) {
        this.metrics = metrics;
        for (DlpAction a : DlpAction.values()) {
            metrics.register(Metrics.name(MetricNames.DLP_DECISION, a.xmlName()));
        }
        for (String event : new String[] {"start", "timeout", "crash", "recycle"}) {
            metrics.register(Metrics.name(MetricNames.DLP_WORKER, event));
        }
        for (Unscannable.Reason r : Unscannable.Reason.values()) {
            metrics.register(Metrics.name(MetricNames.DLP_UNSCANNABLE, r.name()));
        }
    }

    /** @return the timer of one mail's scan */
    public Metrics.Timer time() {
        return metrics.timer(MetricNames.DLP_SCAN);
    }

    /** @return the metrics the extraction workers report to */
    public Metrics metrics() {
        return metrics;
    }

    /**
     * @param mail      the mail scanned
     * @param sender    its envelope sender, null for the null sender
     * @param messageId its Message-ID header, or null
     * @param result    the engine's result
     */
    public void record(Mail mail, String sender, String messageId, DlpEngine.Result result) {
        Decision d = result.decision();
        metrics.increment(MetricNames.DLP_DECISION, d.action().xmlName());
        for (RuleMatch m : d.matches()) {
            metrics.increment(MetricNames.DLP_RULE, m.ruleId(), m.action().xmlName());
        }
        for (Unscannable u : result.scan().unscannable()) {
            metrics.increment(MetricNames.DLP_UNSCANNABLE, u.reason().name());
        }
        AuditLog.write(AuditEvent.of("dlp", d.action().xmlName()).user(sender == null ? "<>" : sender)
                .client(mail.getRemoteAddr()).messageId(messageId).rules(d.ruleIds()).reason(d.verdict())
                .detail("mode", d.mode().xmlName()).detail("mail", mail.getName())
                .detail("recipients", d.recipients().size()).detail("detectors", DlpAttributes.encodeCounts(d))
                .detail("unscannable", d.unscannable())
                .detail("unscannable_reasons", DlpAttributes.encodeCounts(d.unscannableReasons()))
                .detail("unscannable_parts", AuditLine.unscannableParts(d)));
    }
}
