package dev.tollgate.core.dlp.policy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Names of the mail attributes {@code ScanSensitiveData} sets (all String values, so they survive
 * James's queue and repository serialization), and the text form of the per-rule recipients.
 */
public final class DlpAttributes {
    private DlpAttributes() {
    }

    /** {@code clean}, {@code findings}, {@code sensitive} or {@code unscannable}. */
    public static final String VERDICT = "dev.tollgate.dlp.verdict";
    /** Most severe resolved action over all recipients, e.g. {@code quarantine}. */
    public static final String ACTION = "dev.tollgate.dlp.action";
    /** {@code enforce} or {@code testing}; the DLP matchers match nothing in {@code testing}. */
    public static final String MODE = "dev.tollgate.dlp.mode";
    /** Matched rule ids, comma-separated (may include {@code unscannable}). */
    public static final String RULES = "dev.tollgate.dlp.rules";
    /** Detector id to count, {@code payment-card:2,iban:1}. */
    public static final String DETECTORS = "dev.tollgate.dlp.detectors";
    /** Masked samples per detector (see {@link AuditLine#samples}); never a value. */
    public static final String SAMPLES = "dev.tollgate.dlp.samples";
    /** Per-recipient verdicts, see {@link RecipientVerdicts}. */
    public static final String RECIPIENTS = "dev.tollgate.dlp.recipients";
    /** Recipients per matched rule: {@code rule:rcpt,rcpt;rule2:rcpt}. */
    public static final String MATCHES = "dev.tollgate.dlp.matches";
    /**
     * String: the absolute path of the recipient-certificate directory the scan consulted for {@code encrypt}
     * rules; absent when the scanner has none. The encrypting mailet reads the certificates from there, so the
     * decision and the encryption use the same certificates.
     */
    public static final String CERTIFICATES = "dev.tollgate.dlp.certificates";
    /**
     * String: set by {@code DlpEncrypt} on the mail it encrypted, the SHA-256 of the CMS content it produced
     * ({@code SmimeEncryptor.contentDigest}). A later {@code ScanSensitiveData} on the same mail (a reprocessing)
     * finds the message still that content and does not scan it again, so Tollgate's own encryption is never
     * taken for the sender's. A mail attribute, which no sender can set; a header would be forgeable.
     */
    public static final String ENCRYPTED_BY_TOLLGATE = "dev.tollgate.dlp.encrypted-by-tollgate";

    /** @return the {@link #MATCHES} text of a decision */
    public static String encodeMatches(Decision d) {
        StringBuilder s = new StringBuilder();
        for (RuleMatch m : d.matches()) {
            if (s.length() > 0) {
                s.append(';');
            }
            s.append(m.ruleId()).append(':').append(String.join(",", m.recipients()));
        }
        return s.toString();
    }

    /** @return rule id to recipients, from {@link #encodeMatches} text */
    public static Map<String, List<String>> decodeMatches(String text) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (text.isEmpty()) {
            return out;
        }
        for (String item : text.split(";")) {
            int colon = item.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("malformed rule matches");
            }
            String rcpts = item.substring(colon + 1);
            out.put(item.substring(0, colon), rcpts.isEmpty() ? List.of() : List.of(rcpts.split(",")));
        }
        return out;
    }

    /** @return {@code detector:count,...} of a decision */
    public static String encodeCounts(Decision d) {
        return encodeCounts(d.counts());
    }

    /** @return {@code key:count,...} in the map's order, empty for an empty map */
    public static String encodeCounts(Map<String, Integer> counts) {
        StringBuilder c = new StringBuilder();
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            if (c.length() > 0) {
                c.append(',');
            }
            c.append(e.getKey()).append(':').append(e.getValue());
        }
        return c.toString();
    }
}
