package dev.tollgate.james.dlp;

import java.util.Optional;

import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeUtils;
import org.apache.mailet.Mail;

import dev.tollgate.core.dlp.policy.DlpAttributes;
import dev.tollgate.core.dlp.policy.DlpPolicy;

/** Reads the {@code dev.tollgate.dlp.*} attributes ScanSensitiveData set. */
final class DlpDecisionView {
    private DlpDecisionView() {
    }

    static Optional<String> attribute(Mail mail, String name) {
        return AttributeUtils.getValueAndCastFromMail(mail, AttributeName.of(name), String.class);
    }

    /** @return true when the mail was scanned in enforce mode (the DLP matchers match nothing otherwise) */
    static boolean enforced(Mail mail) {
        return attribute(mail, DlpAttributes.MODE).map(DlpPolicy.Mode.ENFORCE.xmlName()::equals).orElse(false);
    }
}
