package dev.tollgate.james.dlp;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeUtils;
import org.apache.mailet.Mail;

import dev.tollgate.core.dlp.policy.DlpAttributes;
import dev.tollgate.core.dlp.policy.RecipientVerdict;
import dev.tollgate.core.dlp.policy.RecipientVerdicts;

/** Reads the decision {@link ScanSensitiveData} stored on a mail. */
final class DlpMail {
    private DlpMail() {
    }

    static Optional<String> attribute(Mail mail, String name) {
        return AttributeUtils.getValueAndCastFromMail(mail, AttributeName.of(name), String.class);
    }

    /** @return recipient to verdict; empty when the mail was not scanned */
    static Map<String, RecipientVerdict> verdicts(Mail mail) {
        return attribute(mail, DlpAttributes.RECIPIENTS).map(RecipientVerdicts::decode).orElse(Map.of());
    }

    /** @return the rule ids that chose the verdicts of the mail's current recipients, distinct, in order */
    static List<String> ruleIdsForCurrentRecipients(Mail mail) {
        Map<String, RecipientVerdict> v = verdicts(mail);
        java.util.LinkedHashSet<String> ids = new java.util.LinkedHashSet<>();
        mail.getRecipients().forEach(r -> {
            RecipientVerdict rv = v.get(r.asString());
            if (rv != null) {
                ids.addAll(rv.ruleIds());
            }
        });
        return List.copyOf(ids);
    }

    /** @return the masked samples text (never values) */
    static String samples(Mail mail) {
        return attribute(mail, DlpAttributes.SAMPLES).orElse("");
    }

    /** @return the detector counts text */
    static String detectors(Mail mail) {
        return attribute(mail, DlpAttributes.DETECTORS).orElse("");
    }
}
