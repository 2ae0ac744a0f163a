package dev.tollgate.core.mime;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.UnsupportedEncodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

import javax.mail.MessagingException;
import javax.mail.Part;
import javax.mail.Session;
import javax.mail.internet.ContentType;
import javax.mail.internet.InternetHeaders;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import javax.mail.internet.MimePart;
import javax.mail.internet.MimeUtility;

/**
 * Header-level helpers over one MIME part: Content-Type (RFC 2045 §5), charset (RFC 2046 §4.1.2),
 * Content-Disposition and file name (RFC 2183, RFC 2231, RFC 2047), raw body access and header-preserving
 * body replacement. Stateless.
 */
public final class MimeParts {
    /** Parsing needs no properties: one session for every message parsed in core. */
    private static final Session SESSION = Session.getInstance(new Properties());

    private MimeParts() {
    }

    /** @return the session core parses messages with (no properties: JavaMail defaults) */
    public static Session session() {
        return SESSION;
    }

    /**
     * Parses a whole message (RFC 5322 header section, blank line, body).
     *
     * @throws MessagingException when the header section cannot be read, also where JavaMail fails with an unchecked
     *     exception (a folded continuation line before any header field makes it index a list that is empty)
     */
    public static MimeMessage parse(InputStream in) throws MessagingException {
        try {
            return new MimeMessage(SESSION, in);
        } catch (RuntimeException e) {
            throw new MessagingException("cannot parse the header section: " + e, e);
        }
    }

    /**
     * @return the parsed Content-Type, or null when the part has none
     * @throws MessagingException when the header does not parse (a {@link javax.mail.internet.ParseException})
     *     or cannot be read
     */
    public static ContentType contentType(Part part) throws MessagingException {
        String raw = part.getContentType();
        return raw == null ? null : new ContentType(raw);
    }

    /** @return the base type ({@code type/subtype}) in lower case */
    public static String baseType(ContentType type) {
        return type.getBaseType().toLowerCase(Locale.ROOT);
    }

    /** @return the {@code charset} parameter trimmed, or null when absent or blank (RFC 2046 §4.1.2) */
    public static String charset(ContentType type) {
        String charset = type == null ? null : type.getParameter("charset");
        return charset == null || charset.isBlank() ? null : charset.strip();
    }

    /**
     * @param mimeName a MIME charset name (IANA registry), mapped to a Java name by {@link MimeUtility#javaCharset}
     * @return the charset, empty when the name is not valid or not supported by this JVM
     */
    public static Optional<Charset> javaCharset(String mimeName) {
        try {
            return Optional.of(Charset.forName(MimeUtility.javaCharset(mimeName.strip())));
        } catch (IllegalArgumentException e) { // IllegalCharsetName, UnsupportedCharset
            return Optional.empty();
        }
    }

    /** @return the Content-Disposition type ({@code inline}, {@code attachment}, RFC 2183 §2), or null when absent or unreadable */
    public static String disposition(Part part) {
        try {
            return part.getDisposition();
        } catch (MessagingException e) {
            return null;
        }
    }

    /** @return whether the part is marked {@code Content-Disposition: attachment} (RFC 2183 §2.2) */
    public static boolean isAttachmentDisposition(Part part) {
        return Part.ATTACHMENT.equalsIgnoreCase(disposition(part));
    }

    /**
     * The part's file name: the Content-Disposition {@code filename} or Content-Type {@code name} parameter,
     * RFC 2231 encoded (decoded by JavaMail's parameter list), then RFC 2047 encoded words, which many mailers
     * use there although RFC 2047 §5 does not allow them.
     *
     * @return the name, or null when absent, blank or unreadable
     */
    public static String fileName(Part part) {
        String name;
        try {
            name = part.getFileName();
        } catch (MessagingException e) {
            return null;
        }
        if (name == null || name.isBlank()) {
            return null;
        }
        if (name.contains("=?")) {
            try {
                name = MimeUtility.decodeText(name);
            } catch (UnsupportedEncodingException e) {
                // unknown charset in an encoded word: keep the name as written
            }
        }
        return name;
    }

    /**
     * @param part  the part
     * @param names header field names a client reads once (Content-Type, Content-Transfer-Encoding...)
     * @return the first of {@code names} the part has more than once (then clients may read the part in different
     *     ways), or null
     * @throws MessagingException if the part's headers cannot be read
     */
    public static String repeatedHeader(Part part, String... names) throws MessagingException {
        for (String name : names) {
            String[] values = part.getHeader(name);
            if (values != null && values.length > 1) {
                return name;
            }
        }
        return null;
    }

    /**
     * Whether readers may disagree on the parameter {@code name} of the part's Content-Type: it is given more than
     * once, or in the form of RFC 2231 ({@code boundary*=us-ascii''b}, continuations {@code boundary*0},
     * {@code boundary*1}). JavaMail reads the last value given and decodes RFC 2231; James's IMAP server and other
     * clients read the first, or only the plain form, so they split or decode the body otherwise.
     *
     * @param name a parameter name, lower case ({@code boundary}, {@code charset})
     * @return a description such as {@code "boundary given 2 times"}, or null when it is given at most once, plainly
     * @throws MessagingException if the part's headers cannot be read
     */
    public static String ambiguousParameter(Part part, String name) throws MessagingException {
        String[] values = part.getHeader("Content-Type");
        if (values == null || values.length == 0) {
            return null;
        }
        int plain = 0;
        int extended = 0;
        for (String written : parameterNames(values[0])) {
            int star = written.indexOf('*');
            if ((star < 0 ? written : written.substring(0, star)).equals(name)) {
                if (star < 0) {
                    plain++;
                } else {
                    extended++;
                }
            }
        }
        if (plain + extended > 1) {
            return name + " given " + (plain + extended) + " times";
        }
        return extended > 0 ? name + " given in the form of RFC 2231" : null;
    }

    /**
     * The parameter names of a Content-Type field value as written (RFC 2045 §5.1), lower case, in order, RFC 2231
     * suffixes kept ({@code boundary*0*}); comments skipped. Reading stops at the first token out of place.
     */
    static java.util.List<String> parameterNames(String value) {
        java.util.List<String> names = new java.util.ArrayList<>();
        javax.mail.internet.HeaderTokenizer tokens = new javax.mail.internet.HeaderTokenizer(
                MimeUtility.unfold(value), javax.mail.internet.HeaderTokenizer.MIME);
        try {
            javax.mail.internet.HeaderTokenizer.Token t = tokens.next();
            while (t.getType() != javax.mail.internet.HeaderTokenizer.Token.EOF && !(t.getType() == ';')) {
                t = tokens.next(); // type "/" subtype
            }
            while (t.getType() == ';') {
                t = tokens.next();
                if (t.getType() != javax.mail.internet.HeaderTokenizer.Token.ATOM) {
                    break;
                }
                names.add(t.getValue().toLowerCase(Locale.ROOT));
                if (tokens.next().getType() != '=') {
                    break;
                }
                int v = tokens.next().getType();
                if (v != javax.mail.internet.HeaderTokenizer.Token.ATOM
                        && v != javax.mail.internet.HeaderTokenizer.Token.QUOTEDSTRING) {
                    break;
                }
                t = tokens.next();
            }
        } catch (javax.mail.internet.ParseException e) {
            // an unclosed quote or comment: the names read so far
        }
        return names;
    }

    /** @return the body still transfer-encoded, or null for a part that is neither a body part nor a message */
    public static InputStream rawStream(Part part) throws MessagingException {
        if (part instanceof MimeBodyPart) {
            return ((MimeBodyPart) part).getRawInputStream();
        }
        if (part instanceof MimeMessage) {
            return ((MimeMessage) part).getRawInputStream();
        }
        return null;
    }

    /**
     * Replaces child {@code index} of {@code parent} with a part that has {@code part}'s header lines, in their
     * order and as written, and {@code encodedBody}.
     *
     * @param encodedBody the new body, already encoded with the part's Content-Transfer-Encoding
     * @return the new part
     * @throws MessagingException when the headers cannot be read or the multipart cannot be changed
     */
    public static MimeBodyPart replaceBody(MimeMultipart parent, int index, MimePart part, byte[] encodedBody)
            throws MessagingException {
        InternetHeaders headers = new InternetHeaders();
        for (Enumeration<String> lines = part.getAllHeaderLines(); lines.hasMoreElements(); ) {
            headers.addHeaderLine(lines.nextElement());
        }
        MimeBodyPart replaced = new MimeBodyPart(headers, encodedBody);
        parent.removeBodyPart(index);
        parent.addBodyPart(replaced, index);
        return replaced;
    }

    /**
     * The bytes of a whole message with {@code part}'s header lines (as written, CRLF ended), a blank line and
     * {@code encodedBody}: what replacing the body of a message that is not inside a multipart yields.
     *
     * @throws MessagingException when the headers cannot be read
     */
    public static byte[] withBody(MimePart part, byte[] encodedBody) throws MessagingException {
        ByteArrayOutputStream whole = new ByteArrayOutputStream(encodedBody.length + 4096);
        for (Enumeration<String> lines = part.getAllHeaderLines(); lines.hasMoreElements(); ) {
            whole.writeBytes(lines.nextElement().getBytes(StandardCharsets.UTF_8));
            whole.write('\r');
            whole.write('\n');
        }
        whole.write('\r');
        whole.write('\n');
        whole.writeBytes(encodedBody);
        return whole.toByteArray();
    }

    /** @return {@link #withBody} as an input stream, ready to parse */
    public static InputStream withBodyStream(MimePart part, byte[] encodedBody) throws MessagingException {
        return new ByteArrayInputStream(withBody(part, encodedBody));
    }
}
