package dev.tollgate.core.links;

import java.time.Instant;
import java.util.Objects;

/**
 * The authenticated content of a redirect token issued by {@link LinkTokenSigner}: which link was
 * rewritten, for whom, in which message, when, and under which key. Immutable.
 *
 * <p>{@link #toString()} shows only the version, key id and issue time: the URL may carry secrets
 * (password-reset links) and the recipient is personal data.
 */
public final class LinkToken {
    private final int version;
    private final String keyId;
    private final Instant issuedAt;
    private final String url;
    private final String recipientId;
    private final String messageId;

    LinkToken(int version, String keyId, Instant issuedAt, String url, String recipientId, String messageId) {
        this.version = version;
        this.keyId = Objects.requireNonNull(keyId);
        this.issuedAt = Objects.requireNonNull(issuedAt);
        this.url = Objects.requireNonNull(url);
        this.recipientId = Objects.requireNonNull(recipientId);
        this.messageId = Objects.requireNonNull(messageId);
    }

    /** @return the token format version, currently {@value LinkTokenSigner#VERSION} */
    public int version() {
        return version;
    }

    /** @return the id of the key that authenticated the token */
    public String keyId() {
        return keyId;
    }

    /** @return when the token was issued, whole seconds since the epoch */
    public Instant issuedAt() {
        return issuedAt;
    }

    /** @return the original URL the token redirects to */
    public String url() {
        return url;
    }

    /** @return the recipient id given when signing (opaque to Tollgate), possibly empty */
    public String recipientId() {
        return recipientId;
    }

    /** @return the message id given when signing (e.g. the Message-ID), possibly empty */
    public String messageId() {
        return messageId;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof LinkToken)) {
            return false;
        }
        LinkToken t = (LinkToken) o;
        return version == t.version && keyId.equals(t.keyId) && issuedAt.equals(t.issuedAt) && url.equals(t.url)
                && recipientId.equals(t.recipientId) && messageId.equals(t.messageId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, keyId, issuedAt, url, recipientId, messageId);
    }

    @Override
    public String toString() {
        return "LinkToken[v" + version + ", key=" + keyId + ", issuedAt=" + issuedAt + "]";
    }
}
