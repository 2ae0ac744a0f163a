package dev.tollgate.core.mime;

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
import javax.mail.internet.ParseException;
import javax.mail.util.SharedByteArrayInputStream;

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
     * A line of the part's header block that is neither a header field nor a folded continuation: a field is a name
     * of printable US-ASCII characters other than {@code :}, then {@code :} (RFC 5322 §2.2, §3.6.8), a continuation
     * starts with a space or tab (§2.2.3); a {@code From } line (an mbox envelope line) is passed over by readers
     * alike, except as the last line of a block of several (Python's {@code email} starts the body there).
     * JavaMail and James's IMAP server (mime4j) keep reading such a line, and every line after it up to the
     * first empty one, as header; other readers (Python's {@code email} package among them) start the body at it,
     * so they show text Tollgate read as a header field ({@code Content-Type: text/html} followed at once by
     * {@code <p><a href=...>}).
     *
     * @param part a part or message whose header block was parsed by JavaMail
     * @return a description naming the line's position (1-based), or null when every line is a field or continuation
     * @throws MessagingException if the part's headers cannot be read
     */
    public static String headerLineNotAField(MimePart part) throws MessagingException {
        Enumeration<String> lines = part.getAllHeaderLines();
        int n = 0;
        while (lines.hasMoreElements()) {
            n++;
            String line = lines.nextElement();
            boolean last = !lines.hasMoreElements();
            if (!isFieldOrContinuation(line) || last && n > 1 && line.startsWith("From ")) {
                return "header line " + n + " is not a header field";
            }
        }
        return null;
    }

    /** message/* types that hold no message of their own (status fields, a fragment, a reference). */
    private static final java.util.Set<String> NOT_MESSAGES = java.util.Set.of("message/delivery-status",
            "message/disposition-notification", "message/partial", "message/external-body", "message/feedback-report",
            "message/global-delivery-status", "message/global-disposition-notification", "message/global-headers");

    /**
     * @param baseType a part's base type, lower case
     * @return whether it holds a message to read as one: {@code message/rfc822}, {@code message/global} (RFC 6532),
     *     {@code message/news} and other {@code message/*} types clients read as messages, not the status, fragment
     *     and reference types ({@code message/delivery-status}, {@code message/partial}...)
     */
    public static boolean isAttachedMessageType(String baseType) {
        return baseType.startsWith("message/") && !NOT_MESSAGES.contains(baseType);
    }

    /**
     * Where readers end the lines of a message's header block differently: a lone CR (not followed by LF) or
     * CR CR LF before its first empty line. JavaMail ends a line at either; James's IMAP server (mime4j) only at
     * LF, so it may read on past the empty line JavaMail saw and find other header fields (another Content-Type).
     *
     * @param b     the message's bytes, or its first bytes
     * @param n     how many of them are valid (the header block is looked for in {@code b[0, n)})
     * @param whole whether {@code b[0, n)} is the whole message: when it is not and holds no empty line, the header
     *              block is longer than {@code n} bytes and cannot be checked, which is reported (fail closed)
     * @return a description, or null when every header line ends with LF or CRLF
     */
    public static String ambiguousHeaderLineEnds(byte[] b, int n, boolean whole) {
        int p = 0;
        while (p < n) {
            int e = ByteScan.indexOfLineBreak(b, p, n);
            if (e < 0) {
                break;
            }
            if (b[e] == '\r' && !(e + 1 < n && b[e + 1] == '\n')) {
                return "a lone CR or CR CR LF in the header: readers end its lines at different places";
            }
            if (e == p) {
                return null; // the empty line that ends the block
            }
            p = b[e] == '\n' ? e + 1 : e + 2;
        }
        return whole ? null : "a header longer than " + n + " bytes, not checked for its line ends";
    }

    /**
     * A Content-Transfer-Encoding that is not one bare token (RFC 2045 §6.1): with a comment
     * ({@code quoted-printable (c)}), a second word or a {@code ;}. JavaMail drops the comment and decodes; James's
     * IMAP server reports the whole value as the encoding and clients leave the body undecoded, so they show other
     * text ({@code =41} is an A to one reader and the characters {@code =41} to another).
     *
     * @return a description, or null when the field is absent or one token
     * @throws MessagingException if the part's headers cannot be read
     */
    public static String ambiguousTransferEncoding(Part part) throws MessagingException {
        String[] values = part.getHeader("Content-Transfer-Encoding");
        if (values == null || values.length != 1) {
            return null; // none, or repeated: readers' choice among several is checked with the other repeated fields
        }
        String v = values[0].strip();
        if (v.isEmpty()) {
            return null;
        }
        for (int i = 0; i < v.length(); i++) {
            if (!isTokenChar(v.charAt(i))) {
                return "Content-Transfer-Encoding that is not one word";
            }
        }
        return null;
    }

    private static boolean isFieldOrContinuation(String line) {
        if (line.isEmpty() || line.charAt(0) == ' ' || line.charAt(0) == '\t' || line.startsWith("From ")) {
            return true;
        }
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == ':') {
                return true;
            }
            if (c < 0x21 || c > 0x7e) {
                return false;
            }
        }
        return false;
    }

    /** The start of a Content-Type value that every reader reads as its type and subtype. */
    private static final java.util.regex.Pattern PLAIN_TYPE =
            java.util.regex.Pattern.compile("^[A-Za-z0-9_-]+/[A-Za-z0-9_-]+");

    /**
     * Whether the part's Content-Type value does not start with its type and subtype in the plain form
     * ({@code [A-Za-z0-9_-]+/[A-Za-z0-9_-]+}, after the spaces, tabs and line breaks that follow the colon): a blank,
     * a control character or a comment before the type or around the {@code /} ({@code multipart /mixed},
     * {@code (x)text/html}, a form feed before {@code text/html}). RFC 5322 §3.2.2 allows blanks and comments between
     * the tokens of a structured field, and James's IMAP server (mime4j) and mail clients read the type (mime4j trims
     * the control characters); under James, JavaMail reads
     * {@code text/plain} instead (James 3.8.1 installs a Content-Type cleaner, {@code mail.mime.contenttypehandler},
     * that drops such a value), so Tollgate would read another part than the reader sees.
     *
     * @return whether the first Content-Type value is not in the plain form and names a type (a value without any,
     *     such as {@code text} or parameters alone, is read as the default type by every reader)
     * @throws MessagingException if the part's headers cannot be read
     */
    public static boolean typeNotPlain(Part part) throws MessagingException {
        String[] values = part.getHeader("Content-Type");
        if (values == null || values.length == 0 || values[0].isEmpty()) {
            return false;
        }
        // as JavaMail gives it (the spaces, tabs and line breaks after the colon skipped), which is what James's
        // cleaner sees: nothing else is skipped (a form feed or US before the type is trimmed by mime4j, not by it)
        String value = values[0];
        if (PLAIN_TYPE.matcher(value).find()) {
            return false;
        }
        // a value that names no type ("text", parameters alone) is text/plain, or a digest's message/rfc822, to
        // every reader; one that names a type only a lenient reader finds, or that cannot be told, is not plain
        try {
            ContentType type = new ContentType(value.trim());
            return type.getPrimaryType() != null && !type.getPrimaryType().isEmpty() && type.getSubType() != null
                    && !type.getSubType().isEmpty();
        } catch (ParseException e) {
            return value.indexOf('/') >= 0;
        }
    }

    /**
     * Whether readers may disagree on the parameter {@code name} of the part's Content-Type: it is given more than
     * once, or in the form of RFC 2231 ({@code boundary*=us-ascii''b}, continuations {@code boundary*0},
     * {@code boundary*1}), or as a quoted string with a backslash escape ({@code "a\xb"}). JavaMail reads the last
     * value given, decodes RFC 2231 and removes the backslash; James's IMAP server (mime4j) and other clients read
     * the first, or only the plain form, or keep the backslash, so they split or decode the body otherwise.
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
        boolean escaped = false;
        for (String[] p : parameters(values[0])) {
            if (isNamed(p[0], name)) {
                if (p[0].length() == name.length()) {
                    plain++;
                } else {
                    extended++;
                }
                escaped |= p[1].startsWith("\"") && p[1].indexOf('\\') >= 0;
            }
        }
        if (plain + extended > 1) {
            return name + " given " + (plain + extended) + " times";
        }
        if (extended > 0) {
            return name + " given in the form of RFC 2231";
        }
        return escaped ? name + " given with a backslash escape" : null;
    }

    /**
     * The values, as written (quotes and escapes kept), of every parameter of {@code header} named {@code name} or
     * an RFC 2231 form of it ({@code filename*}, {@code filename*0*}), in order.
     *
     * @throws MessagingException if the part's headers cannot be read
     */
    public static java.util.List<String> parameterValuesAsWritten(Part part, String header, String name)
            throws MessagingException {
        java.util.List<String> out = new java.util.ArrayList<>();
        String[] values = part.getHeader(header);
        if (values == null) {
            return out;
        }
        for (String value : values) {
            for (String[] p : parameters(value)) {
                if (isNamed(p[0], name)) {
                    out.add(p[1]);
                }
            }
        }
        return out;
    }

    /** @return whether a parameter name as written is {@code name} or an RFC 2231 form of it ({@code name*0*}) */
    private static boolean isNamed(String written, String name) {
        return written.startsWith(name) && (written.length() == name.length() || written.charAt(name.length()) == '*');
    }

    /**
     * The parameters of a Content-Type or Content-Disposition field value (RFC 2045 §5.1, RFC 2183 §2): pairs of the
     * name as written, lower case, RFC 2231 suffixes kept ({@code boundary*0*}), and the value as written (a quoted
     * string with its quotes and backslashes); comments (RFC 5322 §3.2.2) skipped. Where a character is out of place
     * reading goes on after the next {@code ;}, so that a malformed parameter does not hide the ones after it.
     */
    static java.util.List<String[]> parameters(String value) {
        java.util.List<String[]> out = new java.util.ArrayList<>();
        String v = MimeUtility.unfold(value);
        int[] at = {0};
        skipToSemicolon(v, at); // the type (type/subtype, or a disposition type)
        while (at[0] < v.length()) {
            if (v.charAt(at[0]) != ';') {
                skipToSemicolon(v, at); // out of place: the next parameter
                continue;
            }
            at[0]++;
            skipBlanks(v, at);
            int nameStart = at[0];
            while (at[0] < v.length() && isTokenChar(v.charAt(at[0]))) {
                at[0]++;
            }
            String name = v.substring(nameStart, at[0]).toLowerCase(Locale.ROOT);
            skipBlanks(v, at);
            if (name.isEmpty() || at[0] >= v.length() || v.charAt(at[0]) != '=') {
                continue;
            }
            at[0]++;
            skipBlanks(v, at);
            int valueStart = at[0];
            if (at[0] < v.length() && v.charAt(at[0]) == '"') {
                skipQuoted(v, at);
            } else {
                while (at[0] < v.length() && isTokenChar(v.charAt(at[0]))) {
                    at[0]++;
                }
            }
            out.add(new String[] {name, v.substring(valueStart, at[0])});
            skipBlanks(v, at);
        }
        return out;
    }

    /** Moves {@code at} to the next {@code ;} outside quotes and comments, or to the end. */
    private static void skipToSemicolon(String v, int[] at) {
        while (at[0] < v.length() && v.charAt(at[0]) != ';') {
            if (v.charAt(at[0]) == '(') {
                skipComment(v, at);
            } else if (v.charAt(at[0]) == '"') {
                skipQuoted(v, at);
            } else {
                at[0]++;
            }
        }
    }

    private static boolean isTokenChar(char c) {
        return c > ' ' && c < 0x7f && "()<>@,;:\\\"/[]?=".indexOf(c) < 0;
    }

    /** Skips white space and comments. */
    private static void skipBlanks(String v, int[] at) {
        while (at[0] < v.length()) {
            char c = v.charAt(at[0]);
            if (c == '(') {
                skipComment(v, at);
            } else if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                at[0]++;
            } else {
                return;
            }
        }
    }

    /** Skips a (nested) comment starting at {@code at}. */
    private static void skipComment(String v, int[] at) {
        int depth = 0;
        while (at[0] < v.length()) {
            char c = v.charAt(at[0]++);
            if (c == '\\') {
                at[0]++;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return;
            }
        }
    }

    /** Skips a quoted string starting at {@code at}; @return whether it was closed */
    private static boolean skipQuoted(String v, int[] at) {
        at[0]++;
        while (at[0] < v.length()) {
            char c = v.charAt(at[0]++);
            if (c == '\\') {
                at[0]++;
            } else if (c == '"') {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether readers may disagree on the byte order of a text body: a UTF-16 or UTF-32 label other than an explicit
     * {@code utf-16le}/{@code utf-16be}/{@code utf-32le}/{@code utf-32be} without a byte order mark (Java reads
     * {@code utf-16}, {@code unicode} and {@code iso-10646-ucs-2} as big-endian there, browsers and most clients as
     * little-endian), an explicit one whose byte order mark says the other order, or a UTF-16 byte order mark on a
     * body in another charset (browsers decode by the mark, whatever the label).
     *
     * @param label   the charset as declared
     * @param charset what Java decodes it with
     * @param body    the decoded body bytes
     * @return a description, or null when every reader decodes the same text
     */
    public static String ambiguousByteOrder(String label, Charset charset, byte[] body) {
        String name = charset.name().toUpperCase(Locale.ROOT);
        boolean wide = name.contains("UTF-16") || name.contains("UTF-32");
        int n = body.length;
        boolean be16 = n >= 2 && (body[0] & 0xff) == 0xFE && (body[1] & 0xff) == 0xFF;
        boolean le16 = n >= 2 && (body[0] & 0xff) == 0xFF && (body[1] & 0xff) == 0xFE;
        boolean be32 = n >= 4 && body[0] == 0 && body[1] == 0 && (body[2] & 0xff) == 0xFE && (body[3] & 0xff) == 0xFF;
        if (!wide) {
            return be16 || le16 ? "a UTF-16 byte order mark on a body in " + label : null;
        }
        // Java's decoders for these names read one order whatever the mark says (aliases too: x-utf-16be,
        // iso-10646-ucs-2 and UnicodeBigUnmarked are UTF-16BE); "UTF-16", "UTF-32" and the -BOM ones follow the mark
        boolean javaLittle = name.equals("UTF-16LE") || name.equals("UTF-32LE");
        boolean javaBig = name.equals("UTF-16BE") || name.equals("UTF-32BE");
        if (javaLittle && (be16 || be32)) {
            return "a big-endian byte order mark on a body in " + label;
        }
        if (javaBig && le16) {
            return "a little-endian byte order mark on a body in " + label;
        }
        if (be16 || le16 || be32) {
            return null;
        }
        String l = label.strip().toLowerCase(Locale.ROOT);
        return l.equals("utf-16le") || l.equals("utf-16be") || l.equals("utf-32le") || l.equals("utf-32be") ? null
                : label + " without a byte order mark";
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
        MessageBuffer whole = headersOf(part, encodedBody.length);
        whole.writeBytes(encodedBody);
        return whole.toByteArray();
    }

    /**
     * @return {@link #withBody} as a shared input stream, ready to parse: a {@link javax.mail.internet.MimeMessage}
     *     parsed from it reads its body from these bytes instead of copying them
     */
    public static InputStream withBodyStream(MimePart part, byte[] encodedBody) throws MessagingException {
        MessageBuffer whole = headersOf(part, encodedBody.length);
        whole.writeBytes(encodedBody);
        return whole.stream();
    }

    /**
     * Starts a whole message with {@code part}'s header lines (as written, CRLF ended) and the blank line after them;
     * the caller appends the encoded body, then reads the message with {@link MessageBuffer#stream}.
     *
     * @param bodyCapacity room to keep for the body, in bytes (a hint: the buffer grows past it)
     * @throws MessagingException when the headers cannot be read
     */
    public static MessageBuffer headersOf(MimePart part, int bodyCapacity) throws MessagingException {
        MessageBuffer whole = new MessageBuffer((int) Math.min(Integer.MAX_VALUE - 8, bodyCapacity + 4096L));
        for (Enumeration<String> lines = part.getAllHeaderLines(); lines.hasMoreElements(); ) {
            whole.writeBytes(lines.nextElement().getBytes(StandardCharsets.UTF_8));
            whole.write('\r');
            whole.write('\n');
        }
        whole.write('\r');
        whole.write('\n');
        return whole;
    }

    /** A message written into memory and read where it was written, without a copy of its bytes. */
    public static final class MessageBuffer extends ByteArrayOutputStream {
        private MessageBuffer(int capacity) {
            super(capacity);
        }

        /**
         * @return the bytes written so far as a shared input stream (a {@link javax.mail.internet.MimeMessage} parsed
         *     from it keeps its body in place); write nothing afterwards, which could move or change them
         */
        public InputStream stream() {
            return new SharedByteArrayInputStream(buf, 0, count);
        }
    }
}
