package dev.tollgate.core.dlp.policy;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

import dev.tollgate.core.dlp.Confidence;
import dev.tollgate.core.dlp.Finding;

/**
 * One rule of a {@link DlpPolicy}: which findings count, how many are needed, for whom, and what to do.
 *
 * <p>A rule matches a mail when the number of findings of its detectors with at least
 * {@link #minConfidence()} is between {@link #minCount()} and {@link #maxCount()} (inclusive) and
 * the sender is in scope; it then applies to the recipients in scope. Immutable.
 */
public final class PolicyRule {
    /** Detector id written in a rule to count findings of every detector. */
    public static final String ANY_DETECTOR = "any";

    private final String id;
    private final Set<String> detectors;
    private final Confidence minConfidence;
    private final int minCount;
    private final int maxCount;
    private final Scope scope;
    private final DlpAction action;
    private final DlpAction elseAction;

    /**
     * @param id unique rule id (letters, digits, {@code .-_})
     * @param detectors detector ids ({@code payment-card}, ..., {@code edm:<exact-data id>}) or {@link #ANY_DETECTOR}
     * @param minConfidence weakest confidence that counts
     * @param minCount fewest findings for a match, at least 1
     * @param maxCount most findings for a match ({@link Integer#MAX_VALUE}: unbounded)
     * @param scope senders and recipients
     * @param action the action
     * @param elseAction for {@link DlpAction#conditional()} actions, what to do when the condition
     *     fails; null otherwise
     */
    public PolicyRule(String id, Set<String> detectors, Confidence minConfidence, int minCount, int maxCount,
            Scope scope, DlpAction action, DlpAction elseAction) {
        this.id = Objects.requireNonNull(id, "id");
        this.detectors = Collections.unmodifiableSet(new LinkedHashSet<>(detectors));
        this.minConfidence = Objects.requireNonNull(minConfidence, "minConfidence");
        if (minCount < 1 || maxCount < minCount) {
            throw new IllegalArgumentException("need 1 <= minCount <= maxCount");
        }
        this.minCount = minCount;
        this.maxCount = maxCount;
        this.scope = Objects.requireNonNull(scope, "scope");
        this.action = Objects.requireNonNull(action, "action");
        if (action.conditional() && (elseAction == null || elseAction.conditional())) {
            throw new IllegalArgumentException("action " + action.xmlName() + " needs an unconditional else action");
        }
        this.elseAction = action.conditional() ? elseAction : null;
    }

    /** @return whether the finding counts for this rule (detector and confidence) */
    public boolean counts(Finding f) {
        return f.confidence().atLeast(minConfidence)
                && (detectors.contains(ANY_DETECTOR) || detectors.contains(f.detectorId()));
    }

    public String id() {
        return id;
    }

    public Set<String> detectors() {
        return detectors;
    }

    public Confidence minConfidence() {
        return minConfidence;
    }

    public int minCount() {
        return minCount;
    }

    public int maxCount() {
        return maxCount;
    }

    public Scope scope() {
        return scope;
    }

    public DlpAction action() {
        return action;
    }

    /** @return the else action of a conditional action, or null */
    public DlpAction elseAction() {
        return elseAction;
    }

    @Override
    public String toString() {
        return "PolicyRule{" + id + ' ' + detectors + " >=" + minConfidence + " count " + minCount + ".."
                + (maxCount == Integer.MAX_VALUE ? "" : String.valueOf(maxCount)) + ' ' + action.xmlName()
                + (elseAction == null ? "" : " else " + elseAction.xmlName()) + ' ' + scope + '}';
    }
}
