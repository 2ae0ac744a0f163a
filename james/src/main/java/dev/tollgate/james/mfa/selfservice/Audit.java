package dev.tollgate.james.mfa.selfservice;

import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON object per line at INFO on the logger {@code tollgate.audit}: {@code time}, {@code capability},
 * {@code decision}, {@code user}, {@code client}, {@code reason}. Never a secret, a code or a password.
 */
final class Audit {
    private static final Logger AUDIT = LoggerFactory.getLogger("tollgate.audit");
    static final String CAPABILITY = "mfa-selfservice";

    private Audit() {
    }

    static void log(String decision, String user, String client, String reason) {
        if (!AUDIT.isInfoEnabled()) {
            return;
        }
        AUDIT.info("{\"time\":\"{}\",\"capability\":\"{}\",\"decision\":\"{}\",\"user\":\"{}\",\"client\":\"{}\",\"reason\":\"{}\"}",
                Instant.now(), CAPABILITY, json(decision), json(user), json(client), json(reason));
    }

    static String json(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
