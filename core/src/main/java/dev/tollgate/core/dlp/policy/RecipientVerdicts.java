package dev.tollgate.core.dlp.policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Text form of the per-recipient verdicts, stored as one String mail attribute so it survives James's
 * queue serialization: {@code rcpt=action:rule+rule;rcpt=action:} (recipient addresses cannot contain
 * {@code =} in the domain and never {@code ;} unquoted; rule ids are {@code [A-Za-z0-9._-]}).
 * The address is split at the last {@code =}.
 */
public final class RecipientVerdicts {
    private RecipientVerdicts() {
    }

    /** @return the encoded verdicts */
    public static String encode(Map<String, RecipientVerdict> verdicts) {
        StringBuilder s = new StringBuilder();
        for (Map.Entry<String, RecipientVerdict> e : verdicts.entrySet()) {
            if (s.length() > 0) {
                s.append(';');
            }
            s.append(e.getKey()).append('=').append(e.getValue().action().xmlName()).append(':')
                    .append(String.join("+", e.getValue().ruleIds()));
        }
        return s.toString();
    }

    /**
     * @param text output of {@link #encode}
     * @return recipient to verdict
     * @throws IllegalArgumentException on malformed text
     */
    public static Map<String, RecipientVerdict> decode(String text) {
        Map<String, RecipientVerdict> out = new LinkedHashMap<>();
        if (text.isEmpty()) {
            return out;
        }
        for (String item : text.split(";")) {
            int eq = item.lastIndexOf('=');
            int colon = item.indexOf(':', eq);
            if (eq <= 0 || colon < 0) {
                throw new IllegalArgumentException("malformed recipient verdict");
            }
            String rules = item.substring(colon + 1);
            List<String> ids = rules.isEmpty() ? List.of() : new ArrayList<>(Arrays.asList(rules.split("\\+")));
            out.put(item.substring(0, eq), new RecipientVerdict(DlpAction.parse(item.substring(eq + 1, colon)), ids));
        }
        return out;
    }
}
