package dev.tollgate.james.dlp;

import java.util.regex.Pattern;

import dev.tollgate.core.config.AbstractComponentSpec;
import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Parameters;
import dev.tollgate.core.dlp.policy.DlpAction;

/** Validates the conditions of {@link HasDlpAction} and {@link HasSensitiveData}. */
public final class DlpMatcherConfig {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private DlpMatcherConfig() {
    }

    /**
     * @param condition text after {@code HasDlpAction=}
     * @return the action (never allow-with-justification, which is always resolved)
     * @throws ConfigException naming {@code condition}
     */
    public static DlpAction action(String condition) {
        if (condition == null || condition.trim().isEmpty()) {
            throw new ConfigException("condition", "is required: HasDlpAction=reject|quarantine|encrypt|notify|tag|allow");
        }
        try {
            DlpAction a = DlpAction.parse(condition);
            if (a == DlpAction.ALLOW_WITH_JUSTIFICATION) {
                throw new ConfigException("condition", "allow-with-justification is resolved to allow or the rule's else action;"
                        + " match those instead");
            }
            return a;
        } catch (IllegalArgumentException e) {
            throw new ConfigException("condition", e.getMessage());
        }
    }

    /**
     * @param condition text after {@code HasSensitiveData=}: a rule id, a detector id, or {@code any}
     * @return the trimmed id
     * @throws ConfigException naming {@code condition}
     */
    public static String id(String condition) {
        if (condition == null || !ID.matcher(condition.trim()).matches()) {
            throw new ConfigException("condition", "must be a rule id, a detector id or any (A-Z a-z 0-9 . _ -)");
        }
        return condition.trim();
    }

    /** check-config spec of {@link HasDlpAction}. */
    public static final class ActionSpec extends AbstractComponentSpec {
        public ActionSpec() {
            super("dev.tollgate.james.dlp.HasDlpAction", Kind.MATCHER);
        }

        @Override
        public void validate(Parameters parameters, String condition) {
            action(condition);
        }
    }

    /** check-config spec of {@link HasSensitiveData}. */
    public static final class SensitiveSpec extends AbstractComponentSpec {
        public SensitiveSpec() {
            super("dev.tollgate.james.dlp.HasSensitiveData", Kind.MATCHER);
        }

        @Override
        public void validate(Parameters parameters, String condition) {
            id(condition);
        }
    }
}
