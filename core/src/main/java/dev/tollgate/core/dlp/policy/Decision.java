package dev.tollgate.core.dlp.policy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.tollgate.core.dlp.Finding;
import dev.tollgate.core.dlp.content.Unscannable;

/**
 * The result of evaluating a {@link DlpPolicy} for one mail: every rule that matched, the resolved
 * verdict per recipient (internal and external recipients of one mail may differ), and a summary of
 * the findings that is safe to log (counts and masked samples, never values). Immutable.
 */
public final class Decision {
    /** Masked samples kept per detector. */
    public static final int MAX_SAMPLES = 3;
    /** Most unscannable parts listed by {@link #unscannableParts()}; {@link #unscannable()} counts them all. */
    public static final int MAX_UNSCANNABLE_PARTS = 10;

    private final DlpPolicy.Mode mode;
    private final List<RuleMatch> matches;
    private final Map<String, RecipientVerdict> recipients;
    private final Map<String, Integer> counts;
    private final Map<String, List<String>> samples;
    private final int unscannable;
    private final Map<String, Integer> unscannableReasons;
    private final List<String> unscannableParts;
    private final int encrypted;

    Decision(DlpPolicy.Mode mode, List<RuleMatch> matches, Map<String, RecipientVerdict> recipients,
            List<Finding> findings, List<Unscannable> unscannable) {
        this.mode = mode;
        this.matches = Collections.unmodifiableList(new ArrayList<>(matches));
        this.recipients = Collections.unmodifiableMap(new LinkedHashMap<>(recipients));
        Map<String, Integer> c = new TreeMap<>();
        Map<String, List<String>> s = new TreeMap<>();
        for (Finding f : findings) {
            c.merge(f.detectorId(), 1, Integer::sum);
            List<String> l = s.computeIfAbsent(f.detectorId(), k -> new ArrayList<>());
            if (l.size() < MAX_SAMPLES && !l.contains(f.maskedSample())) {
                l.add(f.maskedSample());
            }
        }
        this.counts = Collections.unmodifiableMap(c);
        s.replaceAll((k, v) -> Collections.unmodifiableList(v));
        this.samples = Collections.unmodifiableMap(s);
        this.unscannable = unscannable.size();
        Map<String, Integer> reasons = new TreeMap<>();
        List<String> parts = new ArrayList<>();
        for (Unscannable u : unscannable) {
            String reason = u.reason().name().toLowerCase(java.util.Locale.ROOT);
            reasons.merge(reason, 1, Integer::sum);
            if (parts.size() < MAX_UNSCANNABLE_PARTS) {
                parts.add(MaskedLocation.of(u.location()) + '(' + reason + ')');
            }
        }
        this.unscannableReasons = Collections.unmodifiableMap(reasons);
        this.unscannableParts = Collections.unmodifiableList(parts);
        this.encrypted = (int) unscannable.stream().filter(Unscannable::isEncryptedMessage).count();
    }

    public DlpPolicy.Mode mode() {
        return mode;
    }

    /** @return the rules that matched (including the pseudo-rule {@code unscannable}), in policy order */
    public List<RuleMatch> matches() {
        return matches;
    }

    /** @return recipient address to verdict, in envelope order */
    public Map<String, RecipientVerdict> recipients() {
        return recipients;
    }

    /** @return the verdict of a recipient ({@link RecipientVerdict#ALLOW} if unknown) */
    public RecipientVerdict verdict(String recipient) {
        return recipients.getOrDefault(recipient, RecipientVerdict.ALLOW);
    }

    /** @return the most severe resolved action over all recipients */
    public DlpAction action() {
        DlpAction worst = DlpAction.ALLOW;
        for (RecipientVerdict v : recipients.values()) {
            if (v.action().compareTo(worst) > 0) {
                worst = v.action();
            }
        }
        return worst;
    }

    /** @return true if recipients of this mail get different actions */
    public boolean split() {
        return recipients.values().stream().map(RecipientVerdict::action).distinct().count() > 1;
    }

    /** @return detector id to number of findings (all findings, counted or not) */
    public Map<String, Integer> counts() {
        return counts;
    }

    /** @return detector id to up to {@link #MAX_SAMPLES} distinct masked samples */
    public Map<String, List<String>> samples() {
        return samples;
    }

    /** @return number of parts that could not be examined, {@link #encrypted()} included */
    public int unscannable() {
        return unscannable;
    }

    /**
     * @return why parts could not be examined: reason ({@link Unscannable.Reason} in lower case, as in the
     *     {@code tollgate_dlp_unscannable} metric) to number of parts, by reason name; empty when every part was read
     */
    public Map<String, Integer> unscannableReasons() {
        return unscannableReasons;
    }

    /**
     * @return the parts that could not be examined, in the order they were met, at most {@value #MAX_UNSCANNABLE_PARTS}:
     *     each {@code location(reason)}, the location as in findings with long digit runs masked ({@link MaskedLocation})
     *     and the reason as in {@link #unscannableReasons()}, e.g. {@code attachment:a.pdf(extraction_failed)}
     */
    public List<String> unscannableParts() {
        return unscannableParts;
    }

    /** @return number of parts its sender encrypted (S/MIME, OpenPGP) */
    public int encrypted() {
        return encrypted;
    }

    /** @return ids of the matched rules */
    public List<String> ruleIds() {
        List<String> ids = new ArrayList<>();
        for (RuleMatch m : matches) {
            ids.add(m.ruleId());
        }
        return ids;
    }

    /**
     * @return {@code unscannable} (a part could not be examined), {@code encrypted} (the only parts not examined
     *     were encrypted by the sender), {@code sensitive} (some rule matched), {@code findings} (data found, no
     *     rule) or {@code clean}
     */
    public String verdict() {
        if (unscannable > encrypted) {
            return "unscannable";
        }
        if (encrypted > 0) {
            return "encrypted";
        }
        if (!matches.isEmpty()) {
            return "sensitive";
        }
        return counts.isEmpty() ? "clean" : "findings";
    }

    @Override
    public String toString() {
        return "Decision{" + mode.xmlName() + ' ' + action().xmlName() + ' ' + matches + ' ' + recipients + '}';
    }
}
