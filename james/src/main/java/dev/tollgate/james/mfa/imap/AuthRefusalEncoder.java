package dev.tollgate.james.mfa.imap;

import java.io.IOException;

import org.apache.james.imap.encode.ImapResponseComposer;
import org.apache.james.imap.encode.ImapResponseEncoder;

/** Writes an {@link AuthRefusal} as {@code tag NO [CODE] COMMAND text} (RFC 9051 §7.1 resp-text). Listed in {@link MfaImapPackage}. */
public final class AuthRefusalEncoder implements ImapResponseEncoder<AuthRefusal> {
    @Override
    public Class<AuthRefusal> acceptableMessages() {
        return AuthRefusal.class;
    }

    @Override
    public void encode(AuthRefusal message, ImapResponseComposer composer) throws IOException {
        composer.tag(message.tag());
        composer.message("NO");
        composer.openSquareBracket();
        composer.message(message.code());
        composer.closeSquareBracket();
        if (message.command() != null) {
            composer.commandName(message.command());
        }
        composer.message(message.text());
        composer.end();
    }
}
