package dev.tollgate.james.mfa.selfservice;

import dev.tollgate.core.audit.AuditEvent;
import dev.tollgate.core.audit.AuditLog;

/**
 * The page's audit lines: one {@link AuditEvent} of capability {@code mfa} per change or refusal, with
 * {@code details.source = security_page}, on the logger {@code tollgate.audit} (the schema of every other
 * decision). Never a secret, a code or a password.
 */
final class Audit {
    static final String SOURCE = "security_page";

    private Audit() {
    }

    /**
     * @param decision {@code allow} (a change made) or {@code deny} (a refused sign-in or change)
     * @param reason   what happened, in words; never a credential
     */
    static void log(String decision, String user, String client, String reason) {
        AuditLog.write(AuditEvent.of("mfa", decision).user(user).client(client).reason(reason)
                .detail("source", SOURCE));
    }
}
