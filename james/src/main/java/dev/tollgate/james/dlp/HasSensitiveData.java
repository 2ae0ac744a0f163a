package dev.tollgate.james.dlp;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;

import dev.tollgate.core.dlp.policy.DlpAttributes;
import dev.tollgate.james.config.ComponentInit;

/**
 * {@code HasSensitiveData=<rule id | detector id | any>}: after {@code ScanSensitiveData}, matches the
 * recipients a policy rule with that id applied to; or, for a detector id ({@code payment-card},
 * {@code iban}, ...), all recipients when that detector found something; {@code any}: all recipients
 * when anything was found or a part was unscannable. Matches nothing for mail not scanned or scanned
 * in {@code testing} mode. Thread-safe.
 */
public class HasSensitiveData extends GenericMatcher {
    private volatile String id;

    @Override
    public void init() throws MessagingException {
        id = ComponentInit.matcher(this, DlpMatcherConfig::id);
    }

    @Override
    public Collection<MailAddress> match(Mail mail) throws MessagingException {
        if (!DlpDecisionView.enforced(mail)) {
            return List.of();
        }
        String counts = DlpDecisionView.attribute(mail, DlpAttributes.DETECTORS).orElse("");
        String verdict = DlpDecisionView.attribute(mail, DlpAttributes.VERDICT).orElse("clean");
        if ("any".equals(id)) {
            return "clean".equals(verdict) ? List.of() : mail.getRecipients();
        }
        for (String c : counts.split(",")) {
            if (c.startsWith(id + ':')) {
                return mail.getRecipients();
            }
        }
        Map<String, List<String>> matches = DlpAttributes.decodeMatches(
                DlpDecisionView.attribute(mail, DlpAttributes.MATCHES).orElse(""));
        List<String> applied = matches.getOrDefault(id, List.of());
        List<MailAddress> out = new ArrayList<>();
        for (MailAddress r : mail.getRecipients()) {
            if (applied.contains(r.asString())) {
                out.add(r);
            }
        }
        return out;
    }
}
