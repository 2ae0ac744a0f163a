package dev.tollgate.james.mfa.imap;

import java.util.Objects;

import org.apache.james.imap.api.ImapCommand;
import org.apache.james.imap.api.Tag;
import org.apache.james.imap.api.message.response.ImapResponseMessage;

/**
 * A tagged {@code NO} with an RFC 5530 response code, e.g. {@code a1 NO [AUTHENTICATIONFAILED] LOGIN ...}.
 * James 3.8.1's {@code StatusResponse.ResponseCode} cannot name RFC 5530 codes (its extension codes get an
 * {@code X} prefix), so the IMAP package carries this response and its {@link AuthRefusalEncoder}. Immutable.
 */
public final class AuthRefusal implements ImapResponseMessage {
    /** RFC 5530 §3: the credentials were wrong, or are not accepted here. */
    static final String AUTHENTICATIONFAILED = "AUTHENTICATIONFAILED";
    /** RFC 5530 §3: a temporary failure; the client may try again later. */
    static final String UNAVAILABLE = "UNAVAILABLE";

    private final Tag tag;
    private final ImapCommand command;
    private final String code;
    private final String text;

    AuthRefusal(Tag tag, ImapCommand command, String code, String text) {
        this.tag = Objects.requireNonNull(tag, "tag");
        this.command = command;
        this.code = Objects.requireNonNull(code, "code");
        this.text = Objects.requireNonNull(text, "text");
    }

    /** @return the response code, without brackets */
    public String code() {
        return code;
    }

    /** @return the human-readable text */
    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return tag.asString() + " NO [" + code + "] " + (command == null ? "" : command.getName() + " ") + text;
    }

    Tag tag() {
        return tag;
    }

    ImapCommand command() {
        return command;
    }
}
