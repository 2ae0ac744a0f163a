package dev.tollgate.core.dlp.policy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A rule that matched a mail: how many findings it counted and which recipients it applied to,
 * with the action it asked for and whether the sender's justification overrode it. Immutable.
 */
public final class RuleMatch {
    private final String ruleId;
    private final DlpAction action;
    private final int count;
    private final List<String> recipients;
    private final boolean justified;

    public RuleMatch(String ruleId, DlpAction action, int count, List<String> recipients, boolean justified) {
        this.ruleId = ruleId;
        this.action = action;
        this.count = count;
        this.recipients = Collections.unmodifiableList(new ArrayList<>(recipients));
        this.justified = justified;
    }

    public String ruleId() {
        return ruleId;
    }

    /** @return the rule's action as written (may be conditional) */
    public DlpAction action() {
        return action;
    }

    /** @return the number of counted findings (for {@code unscannable}: unscannable parts) */
    public int count() {
        return count;
    }

    public List<String> recipients() {
        return recipients;
    }

    /** @return true for an allow-with-justification rule the sender justified (the override is audited) */
    public boolean justified() {
        return justified;
    }

    @Override
    public String toString() {
        return ruleId + '(' + action.xmlName() + ", " + count + (justified ? ", justified" : "") + ')';
    }
}
