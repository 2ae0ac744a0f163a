package dev.tollgate.james.mfa;

import org.apache.james.protocols.api.ProtocolSession;

/**
 * Session attachments shared by {@link MfaAuthHook} (writer) and {@link SessionFactsHook} (reader).
 * Kept in the connection state ({@link ProtocolSession.State#Connection}): AUTH holds for the whole
 * connection, across transactions.
 */
public final class MfaSessionKeys {
    private MfaSessionKeys() {
    }

    /** String: the MFA method of the session's AUTH, {@code totp}, {@code app-password} or {@code oauth-mfa}; absent without MFA. */
    public static final ProtocolSession.AttachmentKey<String> METHOD =
            ProtocolSession.AttachmentKey.of("dev.tollgate.mfa.method", String.class);
}
