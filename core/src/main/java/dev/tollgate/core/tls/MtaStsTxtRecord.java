package dev.tollgate.core.tls;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The MTA-STS discovery record published as TXT at {@code _mta-sts.<domain>} (RFC 8461 §3.1), e.g.
 * {@code v=STSv1; id=20160831085700Z;}.
 *
 * <p>Immutable and thread-safe.
 */
public final class MtaStsTxtRecord {
    /** Bound on the record length we accept, far above any legitimate record. */
    static final int MAX_LENGTH = 4096;
    private static final String VERSION = "v=STSv1";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9]{1,32}");
    private static final Pattern EXT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}");
    private static final Pattern EXT_VALUE = Pattern.compile("[\\x21-\\x3A\\x3C\\x3E-\\x7E]+");

    private final String id;
    private final Map<String, String> extensions;

    private MtaStsTxtRecord(String id, Map<String, String> extensions) {
        this.id = id;
        this.extensions = Collections.unmodifiableMap(extensions);
    }

    /**
     * Picks and parses the STS record among all TXT strings found at {@code _mta-sts.<domain>}: records
     * not starting with {@code v=STSv1} are discarded (RFC 8461 §3.1).
     *
     * @param txtRecords each TXT record's strings already concatenated; may be empty
     * @return the record, or empty when no record starts with {@code v=STSv1}
     * @throws TlsPolicyException ({@link TlsFailureReason#STS_POLICY_INVALID}) when more than one record
     *     starts with {@code v=STSv1} or the single one is invalid; senders then treat the domain as
     *     having no available policy
     */
    public static Optional<MtaStsTxtRecord> select(List<String> txtRecords) throws TlsPolicyException {
        List<String> candidates = new ArrayList<>();
        for (String txt : txtRecords) {
            if (txt != null && txt.startsWith(VERSION)) {
                candidates.add(txt);
            }
        }
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        if (candidates.size() > 1) {
            throw new TlsPolicyException(TlsFailureReason.STS_POLICY_INVALID,
                    "more than one TXT record starts with v=STSv1");
        }
        return Optional.of(parse(candidates.get(0)));
    }

    /**
     * Parses one record: {@code v=STSv1} first, then fields separated by {@code ;} (optional blanks
     * around), exactly one {@code id=} of 1 to 32 letters and digits, and any extension fields
     * {@code name=value}, which are kept but have no meaning here (RFC 8461 §3.1).
     *
     * @throws TlsPolicyException ({@link TlsFailureReason#STS_POLICY_INVALID}) when malformed
     */
    public static MtaStsTxtRecord parse(String record) throws TlsPolicyException {
        if (record == null || record.length() > MAX_LENGTH) {
            throw invalid("missing or overlong record");
        }
        String[] fields = record.split(";", -1);
        if (!fields[0].trim().equals(VERSION) || fields[0].startsWith(" ") || fields.length < 2) {
            throw invalid("record must start with v=STSv1 followed by ';'");
        }
        String id = null;
        Map<String, String> extensions = new LinkedHashMap<>();
        for (int i = 1; i < fields.length; i++) {
            String field = trimWsp(fields[i]);
            if (field.isEmpty()) {
                if (i == fields.length - 1) {
                    break; // optional trailing delimiter
                }
                throw invalid("empty field");
            }
            int eq = field.indexOf('=');
            if (eq <= 0) {
                throw invalid("field without '='");
            }
            String name = field.substring(0, eq);
            String value = field.substring(eq + 1);
            if (name.equals("id")) {
                if (id != null) {
                    throw invalid("more than one id field");
                }
                if (!ID.matcher(value).matches()) {
                    throw invalid("id must be 1 to 32 letters or digits");
                }
                id = value;
            } else if (EXT_NAME.matcher(name).matches() && EXT_VALUE.matcher(value).matches()) {
                extensions.putIfAbsent(name, value);
            } else {
                throw invalid("malformed extension field");
            }
        }
        if (id == null) {
            throw invalid("missing id field");
        }
        return new MtaStsTxtRecord(id, extensions);
    }

    private static String trimWsp(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && (s.charAt(start) == ' ' || s.charAt(start) == '\t')) {
            start++;
        }
        while (end > start && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) {
            end--;
        }
        return s.substring(start, end);
    }

    private static TlsPolicyException invalid(String why) {
        return new TlsPolicyException(TlsFailureReason.STS_POLICY_INVALID, "MTA-STS TXT record: " + why);
    }

    /** @return the policy id (1 to 32 letters and digits); a change signals a new policy */
    public String id() {
        return id;
    }

    /** @return extension fields by name, in record order (first occurrence kept) */
    public Map<String, String> extensions() {
        return extensions;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MtaStsTxtRecord && id.equals(((MtaStsTxtRecord) o).id)
                && extensions.equals(((MtaStsTxtRecord) o).extensions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, extensions);
    }

    @Override
    public String toString() {
        return "v=STSv1; id=" + id + ";";
    }
}
