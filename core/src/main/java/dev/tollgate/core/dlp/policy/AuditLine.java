package dev.tollgate.core.dlp.policy;

import java.util.List;
import java.util.Map;

/**
 * Formats the one structured audit line written per DLP decision, as space-separated {@code key=value}
 * pairs (values with spaces are double-quoted, {@code "} and {@code \} escaped), e.g.
 *
 * <pre>
 * dlp mail=Mail123 mode=enforce verdict=sensitive action=quarantine rules=cards-external
 * recipients="bob@partner.example:quarantine(cards-external),alice@example.com:allow"
 * detectors=payment-card:2 samples="payment-card:4111 **** **** 1111" unscannable=0 unscannable-reasons=
 * unscannable-parts= encrypted=0 justified=
 * </pre>
 *
 * <p>{@code unscannable} counts every part not examined, {@code unscannable-reasons} says why (reason:count,
 * e.g. {@code time_limit:1,extraction_failed:1}), {@code unscannable-parts} lists them
 * ({@link #unscannableParts(Decision)}), {@code encrypted} counts those its sender encrypted.
 * Only rule ids, detector ids, counts and masked samples appear: never a matched value.
 */
public final class AuditLine {
    private AuditLine() {
    }

    /**
     * @param mailName the mail's name in James (or a file name in the CLI)
     * @param sender envelope sender, null for the null sender
     * @param d the decision
     * @return the line, without a line break
     */
    public static String format(String mailName, String sender, Decision d) {
        StringBuilder s = new StringBuilder("dlp");
        kv(s, "mail", mailName);
        kv(s, "sender", sender == null ? "<>" : sender);
        kv(s, "mode", d.mode().xmlName());
        kv(s, "verdict", d.verdict());
        kv(s, "action", d.action().xmlName());
        kv(s, "rules", String.join(",", d.ruleIds()));
        StringBuilder r = new StringBuilder();
        for (Map.Entry<String, RecipientVerdict> e : d.recipients().entrySet()) {
            if (r.length() > 0) {
                r.append(',');
            }
            r.append(e.getKey()).append(':').append(e.getValue().action().xmlName());
            if (!e.getValue().ruleIds().isEmpty()) {
                r.append('(').append(String.join("+", e.getValue().ruleIds())).append(')');
            }
        }
        kv(s, "recipients", r.toString());
        kv(s, "detectors", DlpAttributes.encodeCounts(d));
        kv(s, "samples", samples(d));
        kv(s, "unscannable", String.valueOf(d.unscannable()));
        kv(s, "unscannable-reasons", DlpAttributes.encodeCounts(d.unscannableReasons()));
        kv(s, "unscannable-parts", unscannableParts(d));
        kv(s, "encrypted", String.valueOf(d.encrypted()));
        StringBuilder j = new StringBuilder();
        for (RuleMatch m : d.matches()) {
            if (m.justified()) {
                if (j.length() > 0) {
                    j.append(',');
                }
                j.append(m.ruleId());
            }
        }
        kv(s, "justified", j.toString());
        return s.toString();
    }

    /**
     * @return the unscannable parts ({@link Decision#unscannableParts()}) joined by {@code |} (a location may hold a
     *     comma), followed by {@code |+N} when more than those listed were not examined
     */
    public static String unscannableParts(Decision d) {
        String listed = String.join("|", d.unscannableParts());
        int more = d.unscannable() - d.unscannableParts().size();
        return more > 0 ? listed + "|+" + more : listed;
    }

    /** @return {@code detector:sample|sample,detector:sample}, masked samples only */
    public static String samples(Decision d) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, List<String>> e : d.samples().entrySet()) {
            if (out.length() > 0) {
                out.append(',');
            }
            out.append(e.getKey()).append(':').append(String.join("|", e.getValue()));
        }
        return out.toString();
    }

    private static void kv(StringBuilder s, String key, String value) {
        s.append(' ').append(key).append('=');
        boolean quote = value.isEmpty() ? false : needsQuotes(value);
        if (!quote) {
            s.append(value);
            return;
        }
        s.append('"');
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch == '"' || ch == '\\') {
                s.append('\\');
            }
            s.append(ch < 0x20 ? ' ' : ch);
        }
        s.append('"');
    }

    private static boolean needsQuotes(String v) {
        for (int i = 0; i < v.length(); i++) {
            char ch = v.charAt(i);
            if (ch <= ' ' || ch == '"' || ch == '\\' || ch == '=') {
                return true;
            }
        }
        return false;
    }
}
