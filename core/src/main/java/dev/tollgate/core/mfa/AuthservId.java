package dev.tollgate.core.mfa;

import java.util.Locale;
import java.util.Optional;

/**
 * Reads the authserv-id of an {@code Authentication-Results} field value (RFC 8601 §2.2:
 * {@code [CFWS] authserv-id [CFWS authres-version] ( no-result / 1*resinfo ) [CFWS]}, authserv-id a
 * {@code value}: token or quoted-string). Comments (nested, with quoted-pairs) and folding whitespace are
 * skipped; the id is returned lower-cased without a trailing dot so a forger cannot dodge a comparison with
 * case, comments, quotes or a final dot. Bounded: one pass over at most {@link #MAX_CHARS} characters.
 */
public final class AuthservId {
    /** Longest field value examined; a longer one is unreadable. */
    public static final int MAX_CHARS = 8192;

    private AuthservId() {
    }

    /**
     * @param fieldValue the field body, possibly folded
     * @return the authserv-id, lower case, without a trailing dot; empty when the value cannot be read
     *     (unbalanced comment or quote, no id, too long)
     */
    public static Optional<String> of(String fieldValue) {
        if (fieldValue == null || fieldValue.length() > MAX_CHARS) {
            return Optional.empty();
        }
        String s = fieldValue;
        int i = skipCfws(s, 0);
        if (i < 0 || i >= s.length()) {
            return Optional.empty();
        }
        StringBuilder id = new StringBuilder();
        if (s.charAt(i) == '"') {
            i++;
            boolean closed = false;
            while (i < s.length()) {
                char c = s.charAt(i++);
                if (c == '\\' && i < s.length()) {
                    id.append(s.charAt(i++));
                } else if (c == '"') {
                    closed = true;
                    break;
                } else if (c != '\r' && c != '\n') {
                    id.append(c);
                }
            }
            if (!closed) {
                return Optional.empty();
            }
        } else {
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == ';' || c == '(' || Character.isWhitespace(c)) {
                    break;
                }
                id.append(c);
                i++;
            }
        }
        String v = id.toString().trim().toLowerCase(Locale.ROOT);
        while (v.endsWith(".")) {
            v = v.substring(0, v.length() - 1);
        }
        return v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    /**
     * @param fieldValue an {@code Authentication-Results} field body
     * @param ours       this server's authserv-id
     * @return true when the field claims to come from {@code ours}, or cannot be read (fail closed: an
     *     unreadable field may be read as ours by a lenient consumer)
     */
    public static boolean claims(String fieldValue, String ours) {
        Optional<String> id = of(fieldValue);
        String o = ours.toLowerCase(Locale.ROOT);
        while (o.endsWith(".")) {
            o = o.substring(0, o.length() - 1);
        }
        return id.isEmpty() || id.get().equals(o);
    }

    /** @return the index after whitespace and comments from {@code i}, or -1 for an unbalanced comment */
    private static int skipCfws(String s, int i) {
        int depth = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (depth > 0) {
                if (c == '\\') {
                    i++;
                } else if (c == '(') {
                    depth++;
                } else if (c == ')') {
                    depth--;
                }
            } else if (c == '(') {
                depth = 1;
            } else if (!Character.isWhitespace(c)) {
                return i;
            }
            i++;
        }
        return depth == 0 ? i : -1;
    }
}
