package dev.tollgate.james.dlp;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;

import dev.tollgate.core.dlp.policy.DlpAction;
import dev.tollgate.core.dlp.policy.DlpAttributes;
import dev.tollgate.core.dlp.policy.RecipientVerdict;
import dev.tollgate.core.dlp.policy.RecipientVerdicts;
import dev.tollgate.james.config.ComponentInit;

/**
 * {@code HasDlpAction=<action>}: matches the recipients whose DLP verdict (set by {@code ScanSensitiveData})
 * is that action: {@code reject}, {@code quarantine}, {@code encrypt}, {@code notify}, {@code tag} or
 * {@code allow}. James splits the mail when only some recipients match, so internal and external
 * recipients of one mail can be treated differently. Matches nothing for mail not scanned or scanned in
 * {@code testing} mode. Thread-safe.
 */
public class HasDlpAction extends GenericMatcher {
    private volatile DlpAction action;

    @Override
    public void init() throws MessagingException {
        action = ComponentInit.matcher(this, DlpMatcherConfig::action);
    }

    @Override
    public Collection<MailAddress> match(Mail mail) throws MessagingException {
        if (!DlpDecisionView.enforced(mail)) {
            return List.of();
        }
        Map<String, RecipientVerdict> verdicts = DlpDecisionView.attribute(mail, DlpAttributes.RECIPIENTS)
                .map(RecipientVerdicts::decode).orElse(Map.of());
        List<MailAddress> out = new ArrayList<>();
        for (MailAddress r : mail.getRecipients()) {
            RecipientVerdict v = verdicts.getOrDefault(r.asString(), RecipientVerdict.ALLOW);
            if (v.action() == action) {
                out.add(r);
            }
        }
        return out;
    }
}
