package dev.tollgate.core.dlp.policy;

import java.util.Locale;

/**
 * What a DLP rule does with a matching mail, for the recipients in its scope. Declared from least to
 * most severe: when several rules match a recipient, the constant with the highest ordinal wins.
 *
 * <p>{@link #ENCRYPT} and {@link #ALLOW_WITH_JUSTIFICATION} are conditional: a rule with one of them
 * names an {@code else} action, taken when the recipient has no certificate, or when the sender did
 * not write the justification marker. A {@link RecipientVerdict} never holds
 * {@code ALLOW_WITH_JUSTIFICATION}: it is resolved to {@link #ALLOW} or the else action.
 */
public enum DlpAction {
    /** Deliver unchanged. */
    ALLOW,
    /** Deliver with a header and/or subject prefix. */
    TAG,
    /** Deliver, and send a notice (findings masked) to the sender and/or a compliance address. */
    NOTIFY,
    /** Deliver when the sender wrote the justification marker (audited); otherwise the else action. */
    ALLOW_WITH_JUSTIFICATION,
    /** Deliver S/MIME-encrypted to the recipient's certificate; otherwise the else action. */
    ENCRYPT,
    /** Keep in the quarantine mail repository, for release or deletion by an administrator. */
    QUARANTINE,
    /** Do not deliver; the sender gets a DSN naming the rule ids (never the data). */
    REJECT;

    /** @return the name as written in the policy file, e.g. {@code allow-with-justification} */
    public String xmlName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * @param text the name as written in the policy file (case-insensitive)
     * @return the action
     * @throws IllegalArgumentException listing the accepted names
     */
    public static DlpAction parse(String text) {
        String wanted = text.trim().replace('-', '_');
        for (DlpAction a : values()) {
            if (a.name().equalsIgnoreCase(wanted)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown action '" + text + "'; known: allow, tag, notify, "
                + "allow-with-justification, encrypt, quarantine, reject");
    }

    /** @return true for actions after which the mail is not delivered to the recipient */
    public boolean blocks() {
        return this == QUARANTINE || this == REJECT;
    }

    /** @return true if this action needs an else action ({@link #ENCRYPT}, {@link #ALLOW_WITH_JUSTIFICATION}) */
    public boolean conditional() {
        return this == ENCRYPT || this == ALLOW_WITH_JUSTIFICATION;
    }
}
