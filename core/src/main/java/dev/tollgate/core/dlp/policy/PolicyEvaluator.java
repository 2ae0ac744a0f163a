package dev.tollgate.core.dlp.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.tollgate.core.dlp.Finding;

/**
 * Applies a {@link DlpPolicy} to a {@link DlpInput}.
 *
 * <p>For each rule in order: count the findings of its detectors at or above its minimum confidence
 * over the whole mail; the rule matches when that count is within [min-count, max-count] and the
 * sender is in scope, and then applies to every recipient in scope. A conditional action is resolved
 * per recipient: {@code encrypt} needs a certificate, {@code allow-with-justification} needs the
 * marker in the Subject (case-insensitive), else the rule's else action. A mail with unscannable
 * parts matches the pseudo-rule {@code unscannable} for its external recipients (every recipient with
 * {@code unscannable-scope="all"}); parts its sender encrypted (S/MIME, OpenPGP:
 * {@link dev.tollgate.core.dlp.content.Unscannable#isEncryptedMessage()}) match the pseudo-rule
 * {@code encrypted} instead, with the policy's {@code encrypted} action and scope. Per recipient the most
 * severe resolved action wins; every matched rule is recorded. Stateless and thread-safe.
 */
public final class PolicyEvaluator {
    private PolicyEvaluator() {
    }

    /**
     * @param policy the policy
     * @param input the mail
     * @return the decision; with no matching rule every recipient is {@link RecipientVerdict#ALLOW}
     */
    public static Decision evaluate(DlpPolicy policy, DlpInput input) {
        List<RuleMatch> matches = new ArrayList<>();
        Map<String, List<Candidate>> perRecipient = new LinkedHashMap<>();
        for (String r : input.recipients()) {
            perRecipient.put(r, new ArrayList<>());
        }
        boolean justified = containsIgnoreCase(input.subject(), policy.justificationMarker());
        for (PolicyRule rule : policy.rules()) {
            int count = 0;
            for (Finding f : input.findings()) {
                if (rule.counts(f)) {
                    count++;
                }
            }
            if (count < rule.minCount() || count > rule.maxCount() || !rule.scope().matchesSender(input.sender())) {
                continue;
            }
            List<String> applied = new ArrayList<>();
            for (String r : input.recipients()) {
                if (rule.scope().matchesRecipient(r, input.isLocalDomain())) {
                    applied.add(r);
                    perRecipient.get(r).add(new Candidate(resolve(rule, r, justified, input), rule.id()));
                }
            }
            if (!applied.isEmpty()) {
                matches.add(new RuleMatch(rule.id(), rule.action(), count, applied,
                        rule.action() == DlpAction.ALLOW_WITH_JUSTIFICATION && justified));
            }
        }
        int encrypted = 0;
        for (dev.tollgate.core.dlp.content.Unscannable u : input.unscannable()) {
            if (u.isEncryptedMessage()) {
                encrypted++;
            }
        }
        int other = input.unscannable().size() - encrypted;
        pseudoRule(DlpPolicy.UNSCANNABLE_RULE, other, policy.unscannableAction(), policy.unscannableExternalOnly(),
                input, perRecipient, matches);
        pseudoRule(DlpPolicy.ENCRYPTED_RULE, encrypted, policy.encryptedAction(), policy.encryptedExternalOnly(),
                input, perRecipient, matches);
        Map<String, RecipientVerdict> verdicts = new LinkedHashMap<>();
        for (Map.Entry<String, List<Candidate>> e : perRecipient.entrySet()) {
            verdicts.put(e.getKey(), winner(e.getValue()));
        }
        return new Decision(policy.mode(), matches, verdicts, input.findings(), input.unscannable());
    }

    /** The {@code unscannable} or {@code encrypted} verdict as a rule matching {@code count} parts. */
    private static void pseudoRule(String id, int count, DlpAction action, boolean externalOnly, DlpInput input,
            Map<String, List<Candidate>> perRecipient, List<RuleMatch> matches) {
        if (count == 0) {
            return;
        }
        Scope scope = new Scope(java.util.Set.of(), java.util.Set.of(), java.util.Set.of(), externalOnly);
        List<String> applied = new ArrayList<>();
        for (String r : input.recipients()) {
            if (scope.matchesRecipient(r, input.isLocalDomain())) {
                applied.add(r);
                perRecipient.get(r).add(new Candidate(action, id));
            }
        }
        if (!applied.isEmpty()) {
            matches.add(new RuleMatch(id, action, count, applied, false));
        }
    }

    private static DlpAction resolve(PolicyRule rule, String recipient, boolean justified, DlpInput input) {
        switch (rule.action()) {
            case ENCRYPT:
                return input.hasCertificate().test(recipient) ? DlpAction.ENCRYPT : rule.elseAction();
            case ALLOW_WITH_JUSTIFICATION:
                return justified ? DlpAction.ALLOW : rule.elseAction();
            default:
                return rule.action();
        }
    }

    private static RecipientVerdict winner(List<Candidate> candidates) {
        if (candidates.isEmpty()) {
            return RecipientVerdict.ALLOW;
        }
        DlpAction worst = DlpAction.ALLOW;
        for (Candidate c : candidates) {
            if (c.action.compareTo(worst) > 0) {
                worst = c.action;
            }
        }
        List<String> ids = new ArrayList<>();
        for (Candidate c : candidates) {
            if (c.action == worst) {
                ids.add(c.ruleId);
            }
        }
        return new RecipientVerdict(worst, ids);
    }

    static boolean containsIgnoreCase(String text, String needle) {
        int n = needle.length();
        for (int i = 0; i + n <= text.length(); i++) {
            if (text.regionMatches(true, i, needle, 0, n)) {
                return true;
            }
        }
        return false;
    }

    private static final class Candidate {
        final DlpAction action;
        final String ruleId;

        Candidate(DlpAction action, String ruleId) {
            this.action = action;
            this.ruleId = ruleId;
        }
    }
}
