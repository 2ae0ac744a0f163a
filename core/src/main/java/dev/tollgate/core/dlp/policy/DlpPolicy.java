package dev.tollgate.core.dlp.policy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import dev.tollgate.core.dlp.ExactDataMatch;

/**
 * A parsed DLP policy file (see {@link PolicyParser} for the format): rules, the actions for the
 * {@code unscannable} and {@code encrypted} verdicts, the justification marker, the mode and the exact-data lists the policy
 * declares (with the files they were read from, so a change to one reloads the policy). Immutable.
 */
public final class DlpPolicy {
    /** Default of {@code unscannable}: a part that could not be examined is never treated as clean. */
    public static final DlpAction DEFAULT_UNSCANNABLE = DlpAction.QUARANTINE;
    /** Default justification marker, looked for in the Subject. */
    public static final String DEFAULT_MARKER = "[dlp-justified]";
    /** Prefix of the detector id of a declared exact-data list: {@code <exact-data id="x">} is {@code edm:x}. */
    public static final String EXACT_DATA_PREFIX = "edm:";
    /** Rule id under which the {@code unscannable} verdict is recorded. */
    public static final String UNSCANNABLE_RULE = "unscannable";
    /** Rule id under which mail its sender encrypted (S/MIME, OpenPGP) is recorded. */
    public static final String ENCRYPTED_RULE = "encrypted";

    /** {@code enforce} applies actions; {@code testing} decides, logs and reports, never blocks. */
    public enum Mode {
        /** Apply the actions. */
        ENFORCE,
        /** Report only. */
        TESTING;

        /** @return lower-case name */
        public String xmlName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Mode mode;
    private final List<PolicyRule> rules;
    private final DlpAction unscannableAction;
    private final String justificationMarker;
    private final String source;
    private final boolean unscannableExternalOnly;
    private final List<ExactDataMatch> exactData;
    private final List<Path> exactDataFiles;
    private final DlpAction encryptedAction;
    private final boolean encryptedExternalOnly;

    /**
     * @param mode enforce or testing
     * @param rules rules, ids unique
     * @param unscannableAction action for a mail with parts that could not be examined (not conditional)
     * @param justificationMarker text the sender writes in the Subject to justify a mail
     * @param source where the policy came from (file path), for messages
     */
    public DlpPolicy(Mode mode, List<PolicyRule> rules, DlpAction unscannableAction, String justificationMarker,
            String source) {
        this(mode, rules, unscannableAction, true, justificationMarker, source);
    }

    /**
     * @param mode enforce or testing
     * @param rules rules, ids unique
     * @param unscannableAction action for a mail with parts that could not be examined (not conditional)
     * @param unscannableExternalOnly whether that action applies to external recipients only
     * @param justificationMarker text the sender writes in the Subject to justify a mail
     * @param source where the policy came from (file path), for messages
     */
    public DlpPolicy(Mode mode, List<PolicyRule> rules, DlpAction unscannableAction, boolean unscannableExternalOnly,
            String justificationMarker, String source) {
        this(mode, rules, unscannableAction, unscannableExternalOnly, justificationMarker, source, List.of(), List.of());
    }

    /**
     * @param mode enforce or testing
     * @param rules rules, ids unique
     * @param unscannableAction action for a mail with parts that could not be examined (not conditional)
     * @param unscannableExternalOnly whether that action applies to external recipients only
     * @param justificationMarker text the sender writes in the Subject to justify a mail
     * @param source where the policy came from (file path), for messages
     * @param exactData the declared exact-data lists (detector ids {@code edm:<id>})
     * @param exactDataFiles the files those lists were read from
     */
    public DlpPolicy(Mode mode, List<PolicyRule> rules, DlpAction unscannableAction, boolean unscannableExternalOnly,
            String justificationMarker, String source, List<ExactDataMatch> exactData, List<Path> exactDataFiles) {
        this(mode, rules, unscannableAction, unscannableExternalOnly, unscannableAction, unscannableExternalOnly,
                justificationMarker, source, exactData, exactDataFiles);
    }

    /**
     * @param mode enforce or testing
     * @param rules rules, ids unique
     * @param unscannableAction action for a mail with parts that could not be examined (not conditional)
     * @param unscannableExternalOnly whether that action applies to external recipients only
     * @param encryptedAction action for a mail with parts its sender encrypted (S/MIME, OpenPGP; not conditional)
     * @param encryptedExternalOnly whether that action applies to external recipients only
     * @param justificationMarker text the sender writes in the Subject to justify a mail
     * @param source where the policy came from (file path), for messages
     * @param exactData the declared exact-data lists (detector ids {@code edm:<id>})
     * @param exactDataFiles the files those lists were read from
     */
    public DlpPolicy(Mode mode, List<PolicyRule> rules, DlpAction unscannableAction, boolean unscannableExternalOnly,
            DlpAction encryptedAction, boolean encryptedExternalOnly, String justificationMarker, String source,
            List<ExactDataMatch> exactData, List<Path> exactDataFiles) {
        this.encryptedAction = Objects.requireNonNull(encryptedAction, "encryptedAction");
        if (encryptedAction.conditional()) {
            throw new IllegalArgumentException("encrypted action cannot be conditional");
        }
        this.encryptedExternalOnly = encryptedExternalOnly;
        this.exactData = List.copyOf(exactData);
        this.exactDataFiles = List.copyOf(exactDataFiles);
        this.unscannableExternalOnly = unscannableExternalOnly;
        this.mode = Objects.requireNonNull(mode, "mode");
        this.rules = Collections.unmodifiableList(new ArrayList<>(rules));
        this.unscannableAction = Objects.requireNonNull(unscannableAction, "unscannableAction");
        if (unscannableAction.conditional()) {
            throw new IllegalArgumentException("unscannable action cannot be conditional");
        }
        this.justificationMarker = Objects.requireNonNull(justificationMarker, "justificationMarker");
        this.source = Objects.requireNonNull(source, "source");
    }

    public Mode mode() {
        return mode;
    }

    public List<PolicyRule> rules() {
        return rules;
    }

    public DlpAction unscannableAction() {
        return unscannableAction;
    }

    /** @return true when the unscannable action applies to external recipients only (the default) */
    public boolean unscannableExternalOnly() {
        return unscannableExternalOnly;
    }

    /**
     * @return the action for a mail with parts its sender encrypted as a message (S/MIME enveloped data, OpenPGP);
     *     the {@link #unscannableAction()} unless the policy says otherwise
     */
    public DlpAction encryptedAction() {
        return encryptedAction;
    }

    /** @return true when the encrypted action applies to external recipients only */
    public boolean encryptedExternalOnly() {
        return encryptedExternalOnly;
    }

    public String justificationMarker() {
        return justificationMarker;
    }

    public String source() {
        return source;
    }

    /** @return the exact-data lists declared by the policy, detector ids {@code edm:<id>} */
    public List<ExactDataMatch> exactData() {
        return exactData;
    }

    /** @return the files of {@link #exactData()}, watched for changes with the policy file */
    public List<Path> exactDataFiles() {
        return exactDataFiles;
    }

    @Override
    public String toString() {
        return "DlpPolicy{" + source + ", " + mode.xmlName() + ", " + rules.size() + " rules, " + exactData.size() + " exact-data lists, unscannable "
                + unscannableAction.xmlName() + ", encrypted " + encryptedAction.xmlName() + '}';
    }
}
