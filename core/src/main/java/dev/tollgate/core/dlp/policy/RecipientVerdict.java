package dev.tollgate.core.dlp.policy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of a {@link Decision} for one recipient: the action to take and the ids of the rules
 * that chose it. Never {@link DlpAction#ALLOW_WITH_JUSTIFICATION} (resolved). Immutable.
 */
public final class RecipientVerdict {
    /** Verdict of a recipient no rule applies to. */
    public static final RecipientVerdict ALLOW = new RecipientVerdict(DlpAction.ALLOW, List.of());

    private final DlpAction action;
    private final List<String> ruleIds;

    /**
     * @param action the resolved action
     * @param ruleIds the rules whose (resolved) action is {@code action}, in policy order
     */
    public RecipientVerdict(DlpAction action, List<String> ruleIds) {
        this.action = Objects.requireNonNull(action, "action");
        if (action == DlpAction.ALLOW_WITH_JUSTIFICATION) {
            throw new IllegalArgumentException("allow-with-justification must be resolved");
        }
        this.ruleIds = Collections.unmodifiableList(new ArrayList<>(ruleIds));
    }

    public DlpAction action() {
        return action;
    }

    public List<String> ruleIds() {
        return ruleIds;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecipientVerdict && ((RecipientVerdict) o).action == action
                && ((RecipientVerdict) o).ruleIds.equals(ruleIds);
    }

    @Override
    public int hashCode() {
        return Objects.hash(action, ruleIds);
    }

    @Override
    public String toString() {
        return action.xmlName() + ruleIds;
    }
}
