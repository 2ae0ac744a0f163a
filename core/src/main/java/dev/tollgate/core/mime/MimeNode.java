package dev.tollgate.core.mime;

import javax.mail.MessagingException;
import javax.mail.internet.ContentType;
import javax.mail.internet.MimeMultipart;
import javax.mail.internet.MimePart;

/**
 * One part as {@link MimeWalker} reaches it: the part, where it is, and its parsed Content-Type.
 */
public final class MimeNode {
    private static final ContentType DEFAULT_TYPE = new ContentType("text", "plain", null);

    private final MimePart part;
    private final String path;
    private final int depth;
    private final MimeNode parent;
    private final MimeMultipart parentMultipart;
    private final int index;
    private final ContentType contentType;
    private final MessagingException typeError;
    MimeMultipart multipart;

    MimeNode(MimePart part, String path, int depth, MimeNode parent, MimeMultipart parentMultipart, int index,
             ContentType contentType, MessagingException typeError) {
        this.part = part;
        this.path = path;
        this.depth = depth;
        this.parent = parent;
        this.parentMultipart = parentMultipart;
        this.index = index;
        this.contentType = contentType;
        this.typeError = typeError;
    }

    /** @return the part */
    public MimePart part() {
        return part;
    }

    /**
     * @return the part path, IMAP style (RFC 3501 §6.4.5): {@code 1}, {@code 1.2}, ...; the path the walk was
     *     started with (empty for a top-level message) for the root
     */
    public String path() {
        return path;
    }

    /** @return levels of attached messages around this part; 0 in the top-level message */
    public int depth() {
        return depth;
    }

    /** @return the multipart node this part is in, null for the root of a walk */
    public MimeNode parent() {
        return parent;
    }

    /** @return the multipart this part is child {@link #index()} of, null for the root of a walk */
    public MimeMultipart parentMultipart() {
        return parentMultipart;
    }

    /** @return the 0-based index in {@link #parentMultipart()}, -1 for the root */
    public int index() {
        return index;
    }

    /** @return the parsed Content-Type, null when the part has none or it does not parse ({@link #typeError()}) */
    public ContentType contentType() {
        return contentType;
    }

    /** @return the Content-Type, or {@code text/plain} when the part has none (RFC 2045 §5.2); null when it does not parse */
    public ContentType contentTypeOrDefault() {
        if (typeError != null) {
            return null;
        }
        return contentType == null ? DEFAULT_TYPE : contentType;
    }

    /** @return the base type in lower case, {@code text/plain} when the part has none (RFC 2045 §5.2), null when it does not parse */
    public String baseType() {
        ContentType type = contentTypeOrDefault();
        return type == null ? null : MimeParts.baseType(type);
    }

    /** @return whether the Content-Type parses and names a {@code multipart/*} type */
    public boolean isMultipart() {
        String base = baseType();
        return base != null && base.startsWith("multipart/");
    }

    /** @return why the Content-Type did not parse; null when it did or is absent */
    public MessagingException typeError() {
        return typeError;
    }

    /** @return for a multipart whose structure was read, the multipart; null otherwise */
    public MimeMultipart multipart() {
        return multipart;
    }

    /** @return whether an enclosing multipart of this walk has base type {@code baseType} (lower case) */
    public boolean within(String baseType) {
        for (MimeNode n = parent; n != null; n = n.parent) {
            if (baseType.equals(n.baseType())) {
                return true;
            }
        }
        return false;
    }
}
