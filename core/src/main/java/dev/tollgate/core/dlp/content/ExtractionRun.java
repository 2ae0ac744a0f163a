package dev.tollgate.core.dlp.content;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.mail.Header;
import javax.mail.MessagingException;
import javax.mail.Part;
import javax.mail.internet.AddressException;
import javax.mail.internet.ContentType;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimePart;
import javax.mail.internet.MimeUtility;

import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.archivers.zip.UnsupportedZipFeatureException;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.jsoup.Jsoup;

import dev.tollgate.core.mime.ByteScan;
import dev.tollgate.core.mime.MimeBodies;
import dev.tollgate.core.mime.MimeNode;
import dev.tollgate.core.mime.MimeParts;
import dev.tollgate.core.mime.MimeSkipReason;
import dev.tollgate.core.mime.MimeWalker;
import dev.tollgate.core.mime.PartCache;
import dev.tollgate.core.mime.TransferEncoding;

/**
 * One extraction of one message: walks the MIME tree ({@link MimeWalker}), archives and attached messages
 * depth-first, collecting segments and unscannable parts under one {@link ExtractionBudget}. Not thread-safe;
 * {@link MimeContentExtractor} creates one per message.
 */
final class ExtractionRun {
    private static final int MAX_LOCATION_NAME = 120;

    private final ExtractionBudget budget;
    private final DocumentTextExtractor documents;
    /** Decoded bodies and parsed HTML shared with the other components reading the same mail. */
    private final PartCache cache;
    private final List<ContentSegment> segments = new ArrayList<>();
    private final List<Unscannable> unscannable = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    /** Message depth shares the archive depth limit; encoded multiparts are decoded through the size budget. */
    private final MimeWalker walker;
    /** Parts are counted with archive entries, against one budget for the whole mail. */
    private final MimeWalker.Walk walk;

    /** Numbering of the parts of one (possibly attached) message. */
    private static final class Scope {
        final String prefix;
        final int depth;
        final boolean nested;
        int bodies;
        int attachments;
        int messages;

        Scope(String prefix, int depth, boolean nested) {
            this.prefix = prefix;
            this.depth = depth;
            this.nested = nested;
        }
    }

    /** Thrown to stop the run after a message-wide limit; already recorded. */
    private static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stop() {
            super(null, null, false, false);
        }
    }

    ExtractionRun(ExtractionBudget budget, DocumentTextExtractor documents, PartCache cache) {
        this.budget = budget;
        this.documents = documents;
        this.cache = cache;
        this.walker = MimeWalker.builder().maxDepth(budget.limits().maxDepth()).decodeEncodedMultiparts(true)
                .meter(in -> new BoundedInputStream(in, budget, null)).build();
        this.walk = walker.start(() -> {
            budget.countEntry();
            return true;
        });
    }

    ExtractedContent run(MimeMessage message) {
        try {
            walkMessage(message, new Scope("", 0, false));
        } catch (Stop stop) {
            // recorded
        }
        return ExtractedContent.of(segments, unscannable, notes);
    }

    private void walkMessage(MimeMessage message, Scope scope) {
        String subjectLocation = scope.prefix + "subject";
        try {
            String subject = subject(message);
            if (subject != null && !subject.isEmpty()) {
                addSegment(scope.nested ? ContentKind.ATTACHMENT : ContentKind.SUBJECT,
                        subjectLocation, subject);
            }
        } catch (MessagingException | RuntimeException e) {
            fail(subjectLocation, Unscannable.Reason.EXTRACTION_FAILED, "unreadable Subject header");
        }
        addHeaders(message, scope.prefix + "header:", scope.nested ? ContentKind.ATTACHMENT : ContentKind.HEADER);
        try {
            walker.walk(walk, message, "", scope.depth, new PartVisitor(scope));
        } catch (IOException | MessagingException e) {
            // the part count (a limit of the whole mail) is checked as each part is reached
            handle(scope.prefix + "part", e);
        }
    }

    /**
     * Headers whose display names are read, not the addresses (RFC 5322 §3.6.2, §3.6.3, §3.6.6; RFC 8098 §2.1):
     * an address is no secret and its local part is often a number.
     */
    private static final Set<String> ADDRESS_HEADERS = lowerCase("From", "Sender", "Reply-To", "To", "Cc", "Bcc",
            "Resent-From", "Resent-Sender", "Resent-To", "Resent-Cc", "Resent-Bcc", "Disposition-Notification-To");

    /**
     * Headers that are not scanned: trace and authentication fields written by servers (RFC 5321 §4.4, RFC 8601,
     * RFC 8617, RFC 6376), identifiers and dates (RFC 5322 §3.6.1, §3.6.4), and the MIME structure (RFC 2045,
     * RFC 2183; a file name is scanned as the attachment's name). Their values are machine-made digit and base64
     * runs (queue ids, timestamps, signatures, boundaries). The Subject is scanned on its own.
     */
    static final Set<String> UNSCANNED_HEADERS = lowerCase("Subject", "Received", "Return-Path", "Received-SPF",
            "Authentication-Results", "ARC-Seal", "ARC-Message-Signature", "ARC-Authentication-Results",
            "DKIM-Signature", "Message-ID", "In-Reply-To", "References", "Resent-Message-ID", "Date", "Resent-Date",
            "MIME-Version", "Content-Type", "Content-Transfer-Encoding", "Content-Disposition", "Content-ID");

    private static Set<String> lowerCase(String... names) {
        Set<String> set = new HashSet<>();
        for (String n : names) {
            set.add(n.toLowerCase(Locale.ROOT));
        }
        return Set.copyOf(set);
    }

    /**
     * Every header of a message or part except {@link #UNSCANNED_HEADERS}, RFC 2047 decoded, one segment per
     * header name at {@code prefix + name} (e.g. {@code header:X-Comment}); repeated headers are one line each.
     */
    private void addHeaders(Part part, String prefix, ContentKind kind) {
        Map<String, StringBuilder> byName = new LinkedHashMap<>();
        Map<String, String> spelling = new HashMap<>();
        StringBuilder names = new StringBuilder();
        try {
            Enumeration<?> all = part.getAllHeaders();
            while (all.hasMoreElements()) {
                Header h = (Header) all.nextElement();
                String key = h.getName().toLowerCase(Locale.ROOT);
                if (hasDigit(key) && !spelling.containsKey(key)) {
                    appendLine(names, h.getName()); // a field name is any printable text (RFC 5322 §3.6.8)
                }
                if (UNSCANNED_HEADERS.contains(key)) {
                    continue;
                }
                String value = MimeUtility.unfold(h.getValue() == null ? "" : h.getValue());
                StringBuilder text = byName.computeIfAbsent(key, k -> new StringBuilder());
                spelling.putIfAbsent(key, h.getName());
                if (ADDRESS_HEADERS.contains(key)) {
                    appendDisplayNames(text, value);
                } else {
                    appendLine(text, EncodedWords.decode(value).trim());
                }
            }
        } catch (MessagingException | RuntimeException e) {
            fail(prefix.isEmpty() ? "header" : prefix.substring(0, prefix.length() - 1),
                    Unscannable.Reason.EXTRACTION_FAILED, "unreadable header");
            return;
        }
        for (Map.Entry<String, StringBuilder> e : byName.entrySet()) {
            if (e.getValue().length() > 0) {
                addSegment(kind, prefix + safeName(spelling.get(e.getKey())), e.getValue().toString());
            }
        }
        if (names.length() > 0) {
            addSegment(kind, prefix.substring(0, prefix.length() - 1) + " names", names.toString());
        }
    }

    private static boolean hasDigit(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                return true;
            }
        }
        return false;
    }

    private static void appendDisplayNames(StringBuilder text, String value) {
        InternetAddress[] addresses;
        try {
            addresses = InternetAddress.parseHeader(value, false);
        } catch (AddressException e) {
            appendLine(text, EncodedWords.decode(value).trim()); // unparseable: scan all of it
            return;
        }
        for (InternetAddress address : addresses) {
            String personal = address.getPersonal(); // RFC 2047 decoded by javax.mail
            if (personal != null && !personal.isBlank()) {
                appendLine(text, EncodedWords.decode(personal));
            }
        }
    }

    private static void appendLine(StringBuilder text, String line) {
        if (line.isEmpty()) {
            return;
        }
        if (text.length() > 0) {
            text.append('\n');
        }
        text.append(line);
    }

    /** RFC 3676: {@code text/plain; format=flowed} soft line breaks are joined so values split across them are found. */
    private static String unflowIfFlowed(ContentType type, String text) {
        if (type == null || !"flowed".equalsIgnoreCase(trimmed(type.getParameter("format")))) {
            return text;
        }
        return FlowedText.unflow(text, "yes".equalsIgnoreCase(trimmed(type.getParameter("delsp"))));
    }

    private static String trimmed(String s) {
        return s == null ? null : s.trim();
    }

    /** Every Subject field (a client may show any of them), decoded, one paragraph each; null without one. */
    private static String subject(MimeMessage message) throws MessagingException {
        String[] all = message.getHeader("Subject");
        if (all == null) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        for (String raw : all) {
            paragraph(out, EncodedWords.decode(MimeUtility.unfold(raw)));
        }
        return out.toString();
    }

    /** The parts of one (possibly attached) message, numbered in its {@link Scope}. */
    private final class PartVisitor implements MimeWalker.Visitor {
        private final Scope scope;

        PartVisitor(Scope scope) {
            this.scope = scope;
        }

        @Override
        public void skipped(MimeNode node, MimeSkipReason reason, Exception cause) {
            if (reason == MimeSkipReason.MALFORMED) {
                String location = scope.prefix + (node.isMultipart() ? "multipart" : "part");
                if (cause == null) {
                    fail(location, Unscannable.Reason.EXTRACTION_FAILED, "multipart without a readable structure");
                } else {
                    handle(location, cause);
                }
                return;
            }
            fail(scope.prefix + "part", unscannableReason(reason), reason.toString());
        }

        /**
         * Text outside the parts that some clients still show: the preamble before the first boundary and the
         * epilogue after the close delimiter (RFC 2046 §5.1.1), which also holds any "parts" a sender put after
         * a premature close delimiter. Read from the raw body, scanned as text. A multipart with more than one
         * Content-Type header is unscannable: clients disagree on which one applies.
         */
        @Override
        public boolean enterMultipart(MimeNode node) {
            String suffix = node.path().isEmpty() ? "" : "[" + node.path() + "]";
            String location = scope.prefix + "multipart" + suffix;
            try {
                if (ambiguousHeaders(node.part(), location)) {
                    return true;
                }
                addPartHeaders(node.part(), location);
                failIfOpaqueEncryption(node, location);
                String boundary = node.contentType() == null ? null : node.contentType().getParameter("boundary");
                byte[] raw = rawBody(node.part());
                if (boundary == null || raw == null) {
                    return true;
                }
                byte[] dash = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
                int first = delimiterLine(raw, dash, false, 0);
                if (first > 0) {
                    addOutside(scope.prefix + "preamble" + suffix, raw, 0, first);
                }
                int close = delimiterLine(raw, dash, true, Math.max(first, 0));
                if (close >= 0) {
                    int eol = close;
                    while (eol < raw.length && raw[eol] != '\n') {
                        eol++;
                    }
                    if (eol + 1 < raw.length) {
                        addOutside(scope.prefix + "epilogue" + suffix, raw, eol + 1, raw.length);
                    }
                }
            } catch (IOException | MessagingException | RuntimeException e) {
                if (e instanceof Stop) {
                    throw (Stop) e;
                }
                handle(location, e);
            }
            return true;
        }

        /**
         * A {@code multipart/encrypted} (RFC 1847 §2.2) whose protocol is not OpenPGP's (RFC 3156 §4): its
         * encrypted part cannot be recognised by structure, so the multipart itself is recorded as encrypted. With
         * {@code application/pgp-encrypted} the encrypted part is recognised where it is read. The parts are
         * walked and read either way.
         */
        private void failIfOpaqueEncryption(MimeNode node, String location) {
            if (!"multipart/encrypted".equals(node.baseType())) {
                return;
            }
            String protocol = trimmed(node.contentType().getParameter("protocol"));
            if (!"application/pgp-encrypted".equalsIgnoreCase(protocol)) {
                failEncrypted(location, "multipart/encrypted, protocol " + (protocol == null ? "missing"
                        : safeName(protocol)));
            }
        }

        /** The headers of a body part (a message's own are read with the message), at {@code location header:Name}. */
        private void addPartHeaders(Part part, String location) {
            if (part instanceof MimeBodyPart) {
                addHeaders(part, location + " header:", scope.nested ? ContentKind.ATTACHMENT : ContentKind.HEADER);
            }
        }

        private void addOutside(String location, byte[] raw, int from, int to) {
            String text = new String(raw, from, to - from, StandardCharsets.UTF_8);
            if (!text.isBlank()) {
                addSegment(scope.nested ? ContentKind.ATTACHMENT : ContentKind.BODY, location, text);
            }
        }

        @Override
        public void leaf(MimeNode node) {
            Part part = node.part();
            try {
                String headerLocation = scope.prefix + "part" + (node.path().isEmpty() ? "" : "[" + node.path() + "]");
                if (ambiguousHeaders(part, headerLocation)) {
                    return;
                }
                if (node.typeError() != null) {
                    // read below as application/octet-stream; a client reads the type before the first ';' (a
                    // multipart, a message/partial) and may show what that reading misses
                    fail(headerLocation, Unscannable.Reason.EXTRACTION_FAILED, "Content-Type does not parse: clients"
                            + " read the type before its parameters");
                }
            } catch (MessagingException e) {
                handle(scope.prefix + "part", e);
                return;
            }
            String location = scope.prefix + "part";
            try {
                String type = baseType(node);
                String fileName = MimeParts.fileName(part);
                boolean attachment = fileName != null || MimeParts.isAttachmentDisposition(part);
                String charset = MimeParts.charset(node.contentType());
                if (MimeParts.isAttachedMessageType(type)) {
                    location = scope.prefix + "message[" + (++scope.messages) + "]";
                    addPartHeaders(part, location);
                    addName(location, fileName);
                    readBinary(decoded(part, location), location, fileName, type, scope.depth);
                } else if (!attachment && (type.equals("text/plain") || type.equals("text/html") || type.isEmpty())) {
                    location = scope.prefix + "body[" + (++scope.bodies) + "]";
                    addPartHeaders(part, location);
                    byte[] bytes = textBody(part, location);
                    Optional<Charset> known = charset == null || charset.isBlank() ? Optional.empty()
                            : MimeParts.javaCharset(charset);
                    String byteOrder = MimeParts.ambiguousByteOrder(charset == null ? "us-ascii" : charset,
                            known.orElse(StandardCharsets.US_ASCII), bytes);
                    if (byteOrder != null) {
                        // scanned as Java decodes it all the same; a client may show other text
                        fail(location, Unscannable.Reason.EXTRACTION_FAILED, byteOrder
                                + ": clients disagree on how the text is decoded");
                    }
                    // a declared charset: the decoding the link components of this mail share
                    String text = known.isPresent() ? cache.text(bytes, known.get())
                            : TextDecoding.decode(bytes, charset, location, notes::add);
                    ContentKind kind = scope.nested ? ContentKind.ATTACHMENT : ContentKind.BODY;
                    if (type.equals("text/html")) {
                        addHtml(kind, location, text);
                    } else {
                        text = unflowIfFlowed(node.contentType(), text);
                        addSegment(kind, location, text);
                        failIfArmouredEncryption(location, text);
                        readUuencoded(text, location, scope.depth);
                    }
                } else {
                    location = scope.prefix + (fileName != null ? "attachment:" + safeName(fileName)
                            : "attachment[" + (++scope.attachments) + "]");
                    addPartHeaders(part, location);
                    addName(location, fileName);
                    if (type.equals("message/partial")) {
                        // RFC 2046 §5.2.2: a client that joins the fragments reads a message no single mail holds;
                        // this fragment's text is still read
                        fail(location, Unscannable.Reason.EXTRACTION_FAILED,
                                "message/partial: a fragment of a message whose whole is not in this mail");
                    }
                    readBinary(decoded(part, location), location, fileName, type, charset, scope.depth);
                }
            } catch (IOException | MessagingException | RuntimeException e) {
                if (e instanceof Stop) {
                    throw (Stop) e;
                }
                handle(location, e);
            }
        }
    }

    /** Headers a client reads once: two of them give two readings of the part. */
    private static final String[] SINGLE_HEADERS = {"Content-Type", "Content-Transfer-Encoding", "Content-Disposition"};

    /**
     * @return true (and records the part as unscannable) if a header that must be single is repeated, or the
     *     charset parameter is given more than once, in the form of RFC 2231 or with a backslash escape (readers
     *     decode the text otherwise: {@link MimeParts#ambiguousParameter})
     */
    private boolean ambiguousHeaders(Part part, String location) throws MessagingException {
        String name = MimeParts.repeatedHeader(part, SINGLE_HEADERS);
        if (name == null) {
            if (MimeParts.typeNotPlain(part)) {
                fail(location, Unscannable.Reason.EXTRACTION_FAILED, "Content-Type with a blank, control character or"
                        + " comment before or around its '/': James's IMAP server and clients read its type, JavaMail"
                        + " under James text/plain");
                return true;
            }
            String charset = MimeParts.ambiguousParameter(part, "charset");
            if (charset != null) {
                fail(location, Unscannable.Reason.EXTRACTION_FAILED, "Content-Type with " + charset
                        + ": clients disagree on how the text is decoded");
                return true;
            }
            return false;
        }
        fail(location, Unscannable.Reason.EXTRACTION_FAILED, part.getHeader(name).length + " " + name
                + " headers: clients disagree on which applies");
        return true;
    }

    /** @return the body as sent (no transfer decoding), null if the part cannot give it */
    private static byte[] rawBody(Part part) throws MessagingException, IOException {
        InputStream in = MimeParts.rawStream(part);
        if (in == null) {
            return null;
        }
        try (InputStream raw = in) {
            return raw.readAllBytes();
        }
    }

    /**
     * @param close true for the close delimiter ({@code --boundary--}), false for a part delimiter
     * @return the offset of the first line at or after {@code from} that starts with the delimiter, or -1
     */
    private static int delimiterLine(byte[] body, byte[] dash, boolean close, int from) {
        int i = from;
        if (i > 0 && body[i - 1] != '\n') {
            i = nextLine(body, i);
        }
        // a delimiter starts a line with "--": the candidates are the '-' bytes at a line start, found eight bytes at
        // a time (a base64 body has none), not by stepping from line to line
        while (i + dash.length <= body.length) {
            if ((i == 0 || body[i - 1] == '\n') && startsWith(body, i, dash)) {
                boolean closing = i + dash.length + 1 < body.length && body[i + dash.length] == '-'
                        && body[i + dash.length + 1] == '-';
                if (closing == close) {
                    return i;
                }
            }
            int next = ByteScan.indexOf(body, (byte) '-', i + 1, body.length - dash.length + 1);
            if (next < 0) {
                return -1;
            }
            i = next;
        }
        return -1;
    }

    /** @return the offset after the next LF at or after {@code from}, or {@code body.length + 1} when there is none */
    private static int nextLine(byte[] body, int from) {
        int lf = ByteScan.indexOfLf(body, from, body.length);
        return (lf < 0 ? body.length : lf) + 1;
    }

    private static boolean startsWith(byte[] body, int at, byte[] prefix) {
        for (int k = 0; k < prefix.length; k++) {
            if (body[at + k] != prefix[k]) {
                return false;
            }
        }
        return true;
    }

    /** @return the walker's limits as the verdicts policy knows */
    private static Unscannable.Reason unscannableReason(MimeSkipReason reason) {
        switch (reason) {
            case DEPTH_LIMIT:
                return Unscannable.Reason.DEPTH_LIMIT;
            case PART_LIMIT:
                return Unscannable.Reason.ENTRY_LIMIT;
            case SIZE_LIMIT:
                return Unscannable.Reason.SIZE_LIMIT;
            case ENCRYPTED:
                return Unscannable.Reason.ENCRYPTED;
            default:
                return Unscannable.Reason.EXTRACTION_FAILED;
        }
    }

    private static final Pattern UU_BEGIN = Pattern.compile("(?m)^begin [0-7]{3,4} ([^\r\n]+?)\r?$");
    private static final Pattern UU_END = Pattern.compile("(?m)^end\r?$");

    /**
     * Files uuencoded inline in a text body ({@code begin 644 name} ... {@code end}, POSIX uuencode),
     * read like attachments at {@code body[1]!/name}. One pass over the text.
     */
    private void readUuencoded(String text, String location, int depth) throws IOException {
        Matcher begin = UU_BEGIN.matcher(text);
        Matcher end = UU_END.matcher(text);
        int from = 0;
        while (from < text.length() && begin.find(from)) {
            int stop = end.find(begin.end()) ? end.end() : text.length();
            String name = begin.group(1).trim();
            String entry = location + "!/" + safeName(name);
            addName(entry, name);
            byte[] block = text.substring(begin.start(), stop).getBytes(StandardCharsets.ISO_8859_1);
            try {
                InputStream decoded = MimeUtility.decode(new ByteArrayInputStream(block), "uuencode");
                if (!readEntry(new BoundedInputStream(decoded, budget, null), entry, name, depth)) {
                    return;
                }
            } catch (MessagingException | IOException e) {
                if (e instanceof LimitExceededException) {
                    throw (LimitExceededException) e;
                }
                fail(entry, Unscannable.Reason.EXTRACTION_FAILED, describe(e));
            }
            from = stop;
        }
    }

    /**
     * A text attachment whose declared charset leaves its byte order in doubt ({@link MimeParts#ambiguousByteOrder}:
     * UTF-16 or UTF-32 without a byte order mark, a mark against the label, a UTF-16 mark under another charset) in
     * the other reading: by its mark when it has one, else little-endian (Java read the label big-endian). The
     * program that opens a saved file goes by the mark or its own guess, not by the MIME label.
     *
     * @return the other reading without its mark, or null when the charset is absent, unknown or not in doubt
     */
    private String otherByteOrder(byte[] bytes, String charset) {
        if (charset == null || charset.isBlank()) {
            return null; // read by the mark or the pattern of NUL bytes already (TextDecoding)
        }
        Optional<Charset> known = MimeParts.javaCharset(charset);
        if (known.isEmpty() || MimeParts.ambiguousByteOrder(charset, known.get(), bytes) == null) {
            return null;
        }
        int n = bytes.length;
        boolean wide32 = known.get().name().toUpperCase(java.util.Locale.ROOT).contains("UTF-32");
        boolean mark32 = n >= 4 && ((bytes[0] == 0 && bytes[1] == 0 && (bytes[2] & 0xff) == 0xFE && (bytes[3] & 0xff) == 0xFF)
                || (wide32 && (bytes[0] & 0xff) == 0xFF && (bytes[1] & 0xff) == 0xFE && bytes[2] == 0 && bytes[3] == 0));
        boolean mark16 = n >= 2 && (((bytes[0] & 0xff) == 0xFE && (bytes[1] & 0xff) == 0xFF)
                || ((bytes[0] & 0xff) == 0xFF && (bytes[1] & 0xff) == 0xFE));
        Charset other = mark32 ? Charset.forName("UTF-32") : mark16 ? StandardCharsets.UTF_16
                : wide32 ? Charset.forName("UTF-32LE") : StandardCharsets.UTF_16LE;
        String text = new String(bytes, other);
        return !text.isEmpty() && text.charAt(0) == '\uFEFF' ? text.substring(1) : text;
    }

    /** Bytes of an attached message looked at for its header block's line ends. */
    private static final int HEADER_PEEK_BYTES = 64 * 1024;

    /** Reads an attachment, archive entry or attached message; {@code in} is already counted. */
    private void readBinary(InputStream raw, String location, String name, String type, int depth)
            throws IOException, MessagingException {
        readBinary(raw, location, name, type, null, depth);
    }

    /** @param charset the declared charset of a MIME part, or null (archive entries: guessed) */
    private void readBinary(InputStream raw, String location, String name, String type, String charset, int depth)
            throws IOException, MessagingException {
        BufferedInputStream in = new BufferedInputStream(raw, ContentFormat.HEAD_BYTES * 2);
        in.mark(ContentFormat.HEAD_BYTES + 1);
        byte[] head = new byte[ContentFormat.HEAD_BYTES];
        int length = in.readNBytes(head, 0, head.length);
        in.reset();
        ContentFormat format = ContentFormat.detect(head, length, name, type);
        boolean encrypted = false;
        if (format == ContentFormat.OTHER_BINARY || format == ContentFormat.TEXT) {
            // still read as before: text a fake "encrypted" block carries in the clear is scanned all the same
            java.util.Optional<String> what = SenderEncryption.binary(head, length);
            what.ifPresent(w -> failEncrypted(location, w));
            encrypted = what.isPresent();
        }
        switch (format) {
            case ZIP:
                if (deeper(location, depth)) {
                    readZip(in, location, depth + 1);
                }
                break;
            case TAR:
                if (deeper(location, depth)) {
                    readTar(in, location, depth + 1);
                }
                break;
            case GZIP:
                if (deeper(location, depth)) {
                    GzipCompressorInputStream gz = new GzipCompressorInputStream(in, true);
                    String inner = innerName(name, ".gz", ".tgz");
                    readBinary(new BoundedInputStream(gz, budget, gz::getCompressedCount), location + "!/" + safeName(inner),
                            inner, null, depth + 1);
                }
                break;
            case BZIP2:
                if (deeper(location, depth)) {
                    BZip2CompressorInputStream bz = new BZip2CompressorInputStream(in, true);
                    String inner = innerName(name, ".bz2", ".tbz2");
                    readBinary(new BoundedInputStream(bz, budget, bz::getCompressedCount), location + "!/" + safeName(inner),
                            inner, null, depth + 1);
                }
                break;
            case MESSAGE:
                if (deeper(location, depth)) {
                    in.mark(HEADER_PEEK_BYTES + 1);
                    byte[] start = in.readNBytes(HEADER_PEEK_BYTES);
                    in.reset();
                    String lineEnds = MimeParts.ambiguousHeaderLineEnds(start, start.length,
                            start.length < HEADER_PEEK_BYTES);
                    if (lineEnds != null) {
                        // read all the same, as JavaMail reads it; a client may find other header fields
                        fail(location, Unscannable.Reason.EXTRACTION_FAILED, lineEnds);
                    }
                    MimeMessage nested = MimeParts.parse(in);
                    walkMessage(nested, new Scope(location + "/", depth + 1, true));
                }
                break;
            case DOCUMENT:
                readDocument(in, location, name, depth);
                break;
            case HTML: {
                byte[] bytes = in.readAllBytes();
                addHtml(ContentKind.ATTACHMENT, location, TextDecoding.decode(bytes, charset, location, notes::add));
                String other = otherByteOrder(bytes, charset);
                if (other != null) {
                    addHtml(ContentKind.ATTACHMENT, location + ContentSegment.OTHER_BYTE_ORDER, other);
                }
                break;
            }
            case TEXT: {
                byte[] bytes = in.readAllBytes();
                if (ZipTrailer.endsWithEndRecord(bytes, bytes.length)) {
                    failPrefixedZip(location);
                }
                String text = TextDecoding.decode(bytes, charset, location, notes::add);
                addSegment(ContentKind.ATTACHMENT, location, isContentLines(name, type) ? unfoldContentLines(text) : text);
                String other = otherByteOrder(bytes, charset);
                if (other != null) {
                    addSegment(ContentKind.ATTACHMENT, location + ContentSegment.OTHER_BYTE_ORDER, other);
                }
                // XML (an Office part, an .xml or .svg file): also as parsed, references decoded, runs joined
                XmlText.of(text).ifPresent(xml -> addSecondReading(ContentKind.ATTACHMENT, location
                        + ContentSegment.XML_TEXT, xml));
                failIfArmouredEncryption(location, text);
                break;
            }
            case UNSUPPORTED_ARCHIVE:
                fail(location, Unscannable.Reason.EXTRACTION_FAILED, "archive format not supported");
                break;
            default:
                if (encrypted) {
                    // An encrypted header does not make what follows ciphertext: a policy that lets encrypted
                    // mail out must not let out text carried in the clear behind such a header.
                    String clear = SenderEncryption.clearTextRuns(in.readAllBytes());
                    if (!clear.isEmpty()) {
                        addSegment(ContentKind.ATTACHMENT, location + " \u2192 text runs", clear);
                    }
                    break;
                }
                // Images, audio, executables: only the name is scanned. The bytes are read to their end (inside an
                // archive also so that size and ratio limits see what the entry expands to) for a zip put after
                // other bytes, which archivers open by its end.
                if (ZipTrailer.endsAsZip(in)) {
                    failPrefixedZip(location);
                }
                break;
        }
    }

    /**
     * The local entries a stream reader read from one zip, by where their data begins: archivers extract what the
     * central directory lists, which must be one of these ({@link #lists}).
     */
    private static final class LocalEntries {
        private final Map<Long, List<LocalRead>> byDataOffset = new HashMap<>();
        private LocalRead last;

        /** Records the entry the reader just returned. */
        LocalRead add(ZipArchiveEntry entry) {
            last = new LocalRead(entry);
            byDataOffset.computeIfAbsent(last.dataOffset, k -> new ArrayList<>()).add(last);
            return last;
        }

        /** To call before the reader moves to its next entry, which resets its count of compressed bytes. */
        void beforeNext(ZipArchiveInputStream zip) {
            if (last != null && last.reading) {
                last.compressedRead = zip.getCompressedCount();
            }
        }

        /**
         * Whether what an archiver extracts for directory entry {@code e} is what was read here: the local header at
         * the offset the directory gives (APPNOTE §4.4.16) has its data where a local entry read here has its data,
         * and that entry has the directory's name bytes, compression method, encryption flag, CRC-32 and sizes, its
         * compressed size being the bytes actually read (§4.4.4, §4.4.5, §4.4.7–4.4.9, §4.4.17). The same start,
         * method and compressed length give the same bytes out, whatever other local headers hide inside the data;
         * the name is compared too because a type is told by it, the name of a Unicode Path extra field (§4.6.9)
         * included, which the stream reader takes from the local header and archivers from the directory.
         */
        boolean lists(ZipTrailer.Entry e, ZipTrailer.Tail tail) {
            long data = e.localHeaderOffset < 0 ? -1 : tail.dataStart(e.localHeaderOffset);
            for (LocalRead local : byDataOffset.getOrDefault(data, List.of())) {
                ZipArchiveEntry l = local.entry;
                if (new String(l.getRawName(), StandardCharsets.ISO_8859_1).equals(e.rawName)
                        && sameUnicodeName(l, e) && l.getMethod() == e.method
                        && l.getGeneralPurposeBit().usesEncryption() == e.encrypted
                        && l.getCrc() == e.crc && l.getSize() == e.size
                        && (local.compressedRead < 0 || local.compressedRead == e.compressedSize)) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * Whether the stream reader and archivers that read Unicode Path fields name the entry alike: when either the
     * local header's field (which the reader uses) or the directory's gives a name, the two names; else the name
     * bytes, compared already, decide.
     */
    private static boolean sameUnicodeName(ZipArchiveEntry local, ZipTrailer.Entry e) {
        boolean localField = local.getNameSource() == ZipArchiveEntry.NameSource.UNICODE_EXTRA_FIELD;
        return !localField && e.unicodeName == null || local.getName().equals(e.listedName());
    }

    /**
     * A local entry as the stream reader read it: where its data begins, and how many compressed bytes of it were
     * read ({@code -1} when its data was not read: encrypted, or a method not supported, each already unscannable).
     */
    private static final class LocalRead {
        final ZipArchiveEntry entry;
        final long dataOffset;
        long compressedRead = -1;
        /** Its data is being read: {@link #compressedRead} is taken from the reader before it moves on. */
        boolean reading;

        LocalRead(ZipArchiveEntry entry) {
            this.entry = entry;
            this.dataOffset = entry.getDataOffset();
        }
    }

    /** A zip archive after other bytes (a self-extracting archive, a polyglot): its entries were not read. */
    private void failPrefixedZip(String location) {
        fail(location, Unscannable.Reason.EXTRACTION_FAILED, "a zip archive after other bytes (a self-extracting "
                + "archive, or bytes put before a zip): its entries were not read");
    }

    private boolean deeper(String location, int depth) {
        if (!walker.allowsDepth(depth + 1)) {
            fail(location, Unscannable.Reason.DEPTH_LIMIT, "nested deeper than " + walker.maxDepth() + " levels");
            return false;
        }
        return true;
    }

    private void readZip(InputStream in, String location, int depth) throws IOException, MessagingException {
        ZipTrailer.Tail tail = new ZipTrailer.Tail(in);
        ZipArchiveInputStream zip = new ZipArchiveInputStream(tail, "UTF-8", true, true);
        LocalEntries locals = new LocalEntries();
        Set<String> decodedNames = new HashSet<>();
        boolean afterEncrypted = false;
        while (true) {
            ZipArchiveEntry entry;
            locals.beforeNext(zip);
            try {
                entry = zip.getNextZipEntry();
            } catch (UnsupportedZipFeatureException e) {
                if (!afterEncrypted) {
                    throw e;
                }
                // An encrypted entry's size is unknown to a stream reader: the rest cannot be found.
                fail(location, Unscannable.Reason.ENCRYPTED, "entries after an encrypted entry could not be read");
                return;
            }
            if (entry == null) {
                // the rest of the stream is the central directory and the end record, read through the counters
                tail.transferTo(OutputStream.nullOutputStream());
                readTrailer(tail, location, locals, decodedNames, false);
                return;
            }
            budget.countEntry();
            LocalRead last = locals.add(entry);
            decodedNames.add(entry.getName());
            if (entry.isDirectory()) {
                readDirectoryData(zip, last);
                continue;
            }
            String entryLocation = location + "!/" + safeName(entry.getName());
            addName(entryLocation, entry.getName());
            if (entry.getGeneralPurposeBit().usesEncryption()) {
                fail(entryLocation, Unscannable.Reason.ENCRYPTED, "encrypted zip entry");
                afterEncrypted = true;
                continue;
            }
            last.reading = zip.canReadEntryData(entry);
            if (!readZipEntryData(zip, entry, entryLocation, depth)) {
                return;
            }
        }
    }

    /**
     * A directory entry's data, read through the counters only so that its length is known: writers store none, or
     * deflate nothing into two bytes (Java's {@code ZipOutputStream}, Python's {@code zipfile}, the JDK's {@code jar}).
     */
    private void readDirectoryData(ZipArchiveInputStream zip, LocalRead read) throws IOException {
        if (zip.canReadEntryData(read.entry)) {
            read.reading = true;
            new BoundedInputStream(zip, budget, zip::getCompressedCount).transferTo(OutputStream.nullOutputStream());
        }
    }

    /**
     * Reads the data of the zip entry {@code zip} stands at, through the budget's counters.
     *
     * @return false when a limit stopped the entry: skipping the rest of a bomb entry would inflate it all, so the
     *     caller leaves the archive
     */
    private boolean readZipEntryData(ZipArchiveInputStream zip, ZipArchiveEntry entry, String entryLocation, int depth)
            throws IOException, MessagingException {
        if (!zip.canReadEntryData(entry)) {
            fail(entryLocation, Unscannable.Reason.EXTRACTION_FAILED,
                    "zip compression method " + entry.getMethod() + " not supported");
            return true;
        }
        BoundedInputStream data = new BoundedInputStream(zip, budget, zip::getCompressedCount);
        if (!readEntry(data, entryLocation, baseName(entry), depth)) {
            return false;
        }
        // What the entry's reader left unread is inflated here, through the counters, not by the
        // zip reader's own skipping on the way to the next entry.
        data.transferTo(OutputStream.nullOutputStream());
        return true;
    }

    /**
     * A zip read entry by entry (local headers and central directory) that is an Office Open XML package (a part
     * {@code [Content_Types].xml} at its root,
     * ECMA-376 Part 2 §10.1.2.4; part names compare case-insensitively) or an OpenDocument file (root entries
     * {@code mimetype} and {@code content.xml}) was not recognised as one from its name, type and first entries: its
     * XML parts were read as raw text, where a value split over two text runs is not found. Unscannable, so that such a
     * disguise fails closed; a document named or typed as one, or with the usual first entries, is read by the worker.
     */
    private void failIfOfficePackage(String location, Set<String> names) {
        boolean ooxml = false;
        boolean mimetype = false;
        boolean content = false;
        for (String name : names) {
            ooxml |= name.equalsIgnoreCase(ContentFormat.OOXML_CONTENT_TYPES);
            mimetype |= name.equalsIgnoreCase("mimetype");
            content |= name.equalsIgnoreCase("content.xml");
        }
        if (ooxml || (mimetype && content)) {
            fail(location, Unscannable.Reason.EXTRACTION_FAILED, (ooxml ? "an Office Open XML" : "an OpenDocument")
                    + " package not named, typed or laid out as one: its text was read as raw XML, not as a document");
        }
    }

    /**
     * What only the end of a zip holds: the archive comment ({@code attachment:a.zip → comment}), each entry's
     * comment ({@code attachment:a.zip!/x.txt → comment}) and the central directory's names that differ from the
     * local headers' names (an archiver lists those). An end record whose directory was not all kept or does not
     * parse, and a directory entry whose data was not read ({@link LocalEntries#lists}), make the archive
     * unscannable: what it hides was not read.
     *
     * @param officePackage the zip is a document's package: it is not checked for being one in disguise
     */
    private void readTrailer(ZipTrailer.Tail tail, String location, LocalEntries locals, Set<String> decodedNames,
                             boolean officePackage) {
        ZipTrailer.Trailer trailer = ZipTrailer.parse(tail.tail(), tail.tailStart());
        if (trailer == null) {
            fail(location, Unscannable.Reason.EXTRACTION_FAILED, "zip without an end of central directory record");
            return;
        }
        if (!trailer.comment.isEmpty()) {
            addSegment(ContentKind.ATTACHMENT, location + " \u2192 comment", trailer.comment);
        }
        for (ZipTrailer.Entry e : trailer.entries) {
            String entryLocation = location + "!/" + safeName(e.name);
            if (!decodedNames.contains(e.name)) {
                addName(entryLocation, e.name);
            }
            if (ZipTrailer.SEVERAL_UNICODE_PATHS.equals(e.unicodeName)) {
                fail(entryLocation, Unscannable.Reason.EXTRACTION_FAILED, "more than one Unicode Path extra field: "
                        + "archivers take different ones");
            } else if (e.unicodeName != null && !e.unicodeName.equals(e.name)) {
                if (!decodedNames.contains(e.unicodeName)) {
                    addName(entryLocation, e.unicodeName);
                }
                // Unicode Path fields exist to give a name in a legacy code page its UTF-8 form: one that renames an
                // ASCII name (page.dat listed as page.html), or changes its extension, has archivers disagree on the
                // name and the type with it
                if (e.rawName.chars().allMatch(c -> c < 0x80)
                        || !ContentFormat.extension(e.unicodeName).equals(ContentFormat.extension(e.name))) {
                    fail(entryLocation, Unscannable.Reason.EXTRACTION_FAILED, "named two ways: " + e.name
                            + " and, in its Unicode Path extra field, " + e.unicodeName);
                }
            }
            // archivers extract what the directory lists: an entry whose data is not that of a local entry read here
            // (a local header hidden inside another entry's data, or the entry read by another method) was not read
            if (!locals.lists(e, tail)) {
                fail(entryLocation, Unscannable.Reason.EXTRACTION_FAILED, "the central directory points to data, or "
                        + "gives a method, CRC or size, that no local entry read here has: what archivers extract was "
                        + "not read");
            }
            if (!e.comment.isEmpty()) {
                addSegment(ContentKind.ATTACHMENT, entryLocation + " \u2192 comment", e.comment);
            }
        }
        if (!tail.allLocalHeadersKept()) {
            fail(location, Unscannable.Reason.EXTRACTION_FAILED, "more than " + ZipTrailer.MAX_LOCAL_HEADERS
                    + " local header signatures: its entries were not matched with the central directory");
        }
        if (!trailer.complete) {
            fail(location, Unscannable.Reason.SIZE_LIMIT, "zip central directory not read whole (larger than "
                    + ZipTrailer.KEPT / 1024 + " KiB, or malformed): its names and comments are not all scanned");
        }
        if (officePackage) {
            return;
        }
        // an Office application opens a package by its central directory, which may name entries differently
        Set<String> names = new HashSet<>(decodedNames);
        for (ZipTrailer.Entry e : trailer.entries) {
            names.add(e.name);
        }
        failIfOfficePackage(location, names);
    }

    private void readTar(InputStream in, String location, int depth) throws IOException, MessagingException {
        org.apache.commons.compress.utils.CountingInputStream stored =
                new org.apache.commons.compress.utils.CountingInputStream(in);
        TarArchiveInputStream tar = new TarArchiveInputStream(stored);
        for (ArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
            budget.countEntry();
            if (entry.isDirectory() || !((org.apache.commons.compress.archivers.tar.TarArchiveEntry) entry).isFile()) {
                continue;
            }
            String entryLocation = location + "!/" + safeName(entry.getName());
            addName(entryLocation, entry.getName());
            InputStream data = tar;
            if (((org.apache.commons.compress.archivers.tar.TarArchiveEntry) entry).isSparse()) {
                // a sparse entry's holes are zeros the reader makes out of nothing (an 80 MiB file in a 10 KiB tar):
                // counted as they come, against the size budget and, per byte the tar reader takes from the archive,
                // the compression ratio; the bytes of other entries were counted when the tar itself was read
                long start = stored.getBytesRead();
                data = new BoundedInputStream(tar, budget, () -> stored.getBytesRead() - start);
            }
            if (!readEntry(data, entryLocation, baseName(entry), depth)) {
                return;
            }
        }
    }

    /**
     * One archive entry. A message-wide limit propagates; a per-entry limit (ratio) is recorded and
     * the archive is left (false); an unreadable attached message is recorded and the archive goes on.
     */
    private boolean readEntry(InputStream in, String location, String name, int depth) throws IOException {
        try {
            readBinary(in, location, name, null, depth);
            return true;
        } catch (LimitExceededException e) {
            if (e.endsMessage()) {
                throw e;
            }
            fail(location, e.reason(), e.getMessage());
            return false;
        } catch (MessagingException e) {
            LimitExceededException limit = LimitExceededException.findIn(e);
            if (limit == null) {
                fail(location, Unscannable.Reason.EXTRACTION_FAILED, describe(e));
                return true;
            }
            if (limit.endsMessage()) {
                throw limit;
            }
            fail(location, limit.reason(), limit.getMessage());
            return false;
        }
    }

    private void readDocument(InputStream in, String location, String name, int depth)
            throws IOException, MessagingException {
        if (documents == null) {
            fail(location, Unscannable.Reason.EXTRACTION_FAILED, "document text extraction is not configured");
            return;
        }
        byte[] bytes = MimeBodies.readAll(in);
        if (!isZip(bytes) && ZipTrailer.endsWithEndRecord(bytes, bytes.length)) {
            failPrefixedZip(location); // a PDF (or other document) with a zip after it: archivers open the zip
        }
        Duration left = budget.remaining();
        if (left.isZero()) {
            budget.checkTime();
        }
        DocumentText text = documents.extract(bytes, name, left);
        if (text.failure().isPresent()) {
            Unscannable.Reason reason = text.failure().get();
            fail(location, reason, text.detail());
            if (reason == Unscannable.Reason.TIME_LIMIT && budget.remaining().isZero()) {
                throw new Stop(); // the message's time is spent, and this part is its unscannable part (once)
            }
            return;
        }
        addSegment(ContentKind.ATTACHMENT, location, text.text().orElse(""));
        addMetadata(location, text.metadata());
        if (isZip(bytes) && deeper(location, depth)) {
            readPackageExtras(bytes, location, depth + 1);
        }
    }

    private static boolean isZip(byte[] b) {
        return b.length >= 4 && b[0] == 'P' && b[1] == 'K' && b[2] == 3 && b[3] == 4;
    }

    /**
     * Every entry of an OOXML or ODF package (a zip), read like the entries of any zip
     * ({@code attachment:x.docx!/customXml/item1.xml}): styles, settings, themes, media (told by their bytes, as any
     * entry), files put in the package, which Word and LibreOffice keep and do not show, yet an unzip shows them all;
     * and the parts the parser reads ({@link PackageParts}), raw, as second readings
     * ({@code attachment:x.docx!/word/document.xml → raw part}): the parser's text leaves out attribute values,
     * field instructions, alternative content, headers no section uses, and the relationships it follows are not
     * all a package holds.
     */
    private void readPackageExtras(byte[] bytes, String location, int depth) throws IOException, MessagingException {
        Set<String> parsed = PackageParts.readByParser(bytes);
        // Office applications open a package by its central directory, the parser read it entry by entry: the
        // directory's entries are matched with those read here, as for any zip
        ZipTrailer.Tail tail = new ZipTrailer.Tail(new java.io.ByteArrayInputStream(bytes));
        ZipArchiveInputStream zip = new ZipArchiveInputStream(tail, "UTF-8", true, true);
        LocalEntries locals = new LocalEntries();
        Set<String> decodedNames = new HashSet<>();
        while (true) {
            locals.beforeNext(zip);
            ZipArchiveEntry entry = zip.getNextZipEntry();
            if (entry == null) {
                tail.transferTo(OutputStream.nullOutputStream());
                readTrailer(tail, location, locals, decodedNames, true);
                return;
            }
            LocalRead read = locals.add(entry);
            decodedNames.add(entry.getName());
            if (entry.isDirectory()) {
                readDirectoryData(zip, read);
                continue;
            }
            boolean readable = !entry.getGeneralPurposeBit().usesEncryption() && zip.canReadEntryData(entry);
            budget.countEntry();
            String entryLocation = location + "!/" + safeName(entry.getName());
            addName(entryLocation, entry.getName());
            if (parsed.contains(PackageParts.partName(entry.getName()))) {
                // the parser's part, read again raw: what the parser leaves out of its text counts, what it gave
                // does not count twice
                entryLocation += ContentSegment.RAW_PART;
            }
            if (!readable) {
                fail(entryLocation, Unscannable.Reason.EXTRACTION_FAILED, "package part not readable");
                continue;
            }
            read.reading = true;
            if (!readZipEntryData(zip, entry, entryLocation, depth)) {
                return;
            }
        }
    }

    /**
     * A document's metadata values, one segment per key at {@code location → metadata:key}
     * ({@code attachment:x.pdf → metadata:dc:title}), the key's values each a paragraph of its own.
     */
    private void addMetadata(String location, List<DocumentText.Property> metadata) {
        Map<String, StringBuilder> byKey = new LinkedHashMap<>();
        for (DocumentText.Property p : metadata) {
            paragraph(byKey.computeIfAbsent(p.key(), k -> new StringBuilder()), p.value());
        }
        for (Map.Entry<String, StringBuilder> e : byKey.entrySet()) {
            addIfAny(ContentKind.ATTACHMENT, location + " \u2192 metadata:" + safeName(e.getKey()), e.getValue());
        }
    }

    /**
     * A text part's decoded body: quoted-printable from the raw bytes as RFC 2045 §6.7 says (strict from the shared
     * cache, decoded once per mail as the link components read it; lenient about malformed escapes otherwise),
     * anything else through {@link #decoded}; counted against the budget alike.
     */
    private byte[] textBody(Part part, String location) throws MessagingException, IOException {
        // a body part or a single-part message's own body
        InputStream rawStream = part instanceof MimePart
                && TransferEncoding.QUOTED_PRINTABLE.equals(TransferEncoding.of((MimePart) part))
                ? MimeParts.rawStream(part) : null;
        if (rawStream != null) {
            byte[] raw;
            try (InputStream in = rawStream) {
                raw = in.readAllBytes();
            }
            byte[] strict = cache.decodedQuotedPrintable(raw);
            // a malformed escape: the rest still as RFC 2045 says (padded soft breaks join the text they split)
            byte[] text = strict != null ? strict : TransferEncoding.decodeQuotedPrintableLenient(raw);
            budget.addBytes(text.length);
            return text;
        }
        return decoded(part, location).readAllBytes();
    }

    /** The part's body through its Content-Transfer-Encoding, every byte counted against the budget. */
    private InputStream decoded(Part part, String location) throws MessagingException, IOException {
        MimeBodies.Opened opened = MimeBodies.open(part);
        if (opened.undecoded()) {
            // scan the bytes as they are rather than nothing
            notes.add(location + ": unknown Content-Transfer-Encoding, scanned undecoded");
        }
        return new BoundedInputStream(opened.stream(), budget, null);
    }

    private void handle(String location, Exception e) {
        LimitExceededException limit = LimitExceededException.findIn(e);
        if (limit != null) {
            fail(location, limit.reason(), limit.getMessage());
            if (limit.endsMessage()) {
                throw new Stop();
            }
            return;
        }
        fail(location, Unscannable.Reason.EXTRACTION_FAILED, describe(e));
    }

    /** Records an S/MIME or OpenPGP encrypted part ({@link SenderEncryption}) at {@code location}. */
    private void failEncrypted(String location, String what) {
        unscannable.add(Unscannable.encryptedMessage(location, what));
    }

    private void failIfArmouredEncryption(String location, String text) {
        SenderEncryption.armoured(text).ifPresent(what -> failEncrypted(location, what));
    }

    private void fail(String location, Unscannable.Reason reason, String detail) {
        unscannable.add(Unscannable.of(location, reason, detail));
    }

    private void addName(String location, String name) {
        if (name != null && !name.isEmpty()) {
            addSegment(ContentKind.ATTACHMENT_NAME, location, name);
        }
    }

    /** Layers of encoding decoded inside text ({@code attachment:a.json → base64 → base64 → hex}). */
    static final int MAX_ENCODED_LAYERS = 3;

    /**
     * Every segment goes through here: NFKC, digits of every script folded, invisible format characters removed;
     * its lines shown in another order than stored are added in display order ({@link #addDisplayOrder});
     * then text encoded inside it ({@link EmbeddedEncodings}) is decoded and added as a segment of its own at
     * {@code location → encoding}, up to {@value #MAX_ENCODED_LAYERS} layers. Decoded chars count against the
     * expanded-size limit; text still encoded below the last layer is unscannable ({@code DEPTH_LIMIT}).
     */
    private void addSegment(ContentKind kind, String location, String text) {
        ContentSegment segment = ContentSegment.normalized(kind, location, text);
        segments.add(segment);
        addEncoded(kind, location, segment.text().toString(), 0);
        addDisplayOrder(kind, location, text);
    }

    /**
     * Lines that a client shows in another order than they are stored (bidi overrides, embeddings, isolates,
     * right-to-left letters around digits) are also scanned as shown, at {@code location → display order}
     * ({@link DisplayOrder}); their chars count against the expanded-size limit.
     */
    private void addDisplayOrder(ContentKind kind, String location, String text) {
        String visual = DisplayOrder.of(text);
        if (visual == null) {
            return;
        }
        String inner = location + " \u2192 display order";
        try {
            budget.addBytes(2L * visual.length());
        } catch (LimitExceededException e) {
            handle(inner, e);
            return;
        }
        ContentSegment segment = ContentSegment.normalized(kind, inner, visual);
        segments.add(segment);
        addEncoded(kind, inner, segment.text().toString(), 0);
    }

    /**
     * A second reading of an HTML part, at {@code inner} (a {@link ContentSegment#isSecondReading} location): the
     * lines that read differently without the short inline elements between two digits ({@link InlineGaps}), with
     * superscripts read apart, the children of reordering flex and grid containers in CSS order, or adjacent shown
     * attribute values joined ({@link Layout}); also in display order ({@code inner → display order}). Their chars
     * count against the expanded-size limit. A finding there that the part's other readings already hold is not
     * reported again ({@code MessageScan}).
     */
    private void addSecondReading(ContentKind kind, String inner, String text) {
        try {
            budget.addBytes(2L * text.length());
        } catch (LimitExceededException e) {
            handle(inner, e);
            return;
        }
        segments.add(ContentSegment.normalized(kind, inner, text));
        addDisplayOrder(kind, inner, text);
    }

    private void addEncoded(ContentKind kind, String location, String text, int layer) {
        List<EmbeddedEncodings.Decoded> decoded = EmbeddedEncodings.decode(text);
        if (decoded.isEmpty()) {
            return;
        }
        if (layer == MAX_ENCODED_LAYERS) {
            fail(location, Unscannable.Reason.DEPTH_LIMIT, "text encoded more than " + MAX_ENCODED_LAYERS
                    + " layers deep");
            return;
        }
        for (EmbeddedEncodings.Decoded d : decoded) {
            String inner = location + " \u2192 " + d.encoding;
            try {
                budget.addBytes(2L * d.text.length());
            } catch (LimitExceededException e) {
                handle(inner, e);
                return;
            }
            ContentSegment segment = ContentSegment.normalized(kind, inner, d.text);
            segments.add(segment);
            addEncoded(kind, inner, segment.text().toString(), layer + 1);
        }
    }

    private static String describe(Exception e) {
        // The class and message of a parser error name the problem; they carry no message content
        // beyond what a header already says, and are cut short.
        String message = e.getMessage() == null ? "" : ": " + e.getMessage();
        String detail = e.getClass().getSimpleName() + message;
        return safeName(detail);
    }

    /** Attributes a client shows (tooltips, image replacements, form fields): read with the text. */
    private static final Set<String> SHOWN_ATTRIBUTES = Set.of("alt", "title", "value", "placeholder", "aria-label",
            "label", "content");

    /**
     * An HTML part's text, and everything else a recipient can read in it, each at a location of its own:
     * <ul>
     *   <li>{@code location}: the text as laid out ({@link #visibleText}, {@link Layout}), then what a client could
     *       also show or a reader reveal, each a paragraph of its own: text hidden by markup or inline CSS, the ruby
     *       annotations, the content of
     *       {@code <noscript>}, comments and the attributes of {@link #SHOWN_ATTRIBUTES};</li>
     *   <li>{@code location → without inline gaps}: the lines of the laid-out text that read differently without the
     *       short inline elements between two digits ({@link InlineGaps}), only when the layout saw an inline element
     *       end between two digits ({@link #addSecondReading});</li>
     *   <li>{@code location → superscripts apart}, {@code location → css order}, {@code location → attributes
     *       joined}: the other second readings of the layout ({@link Layout}), each only where it reads
     *       differently;</li>
     *   <li>{@code location#href}: link targets ({@code href}), where a value sits in a query string or fragment
     *       (percent-encoded values are decoded as text encoded inside text, {@code #href → percent});</li>
     *   <li>{@code location#style}: {@code <style>} elements and {@code style} attributes (CSS comments, strings);</li>
     *   <li>{@code location#script}: {@code <script>} elements (comments, strings, constants);</li>
     *   <li>{@code location#attributes}: every other attribute value ({@code src}, {@code action}, {@code id},
     *       {@code data-*}, event handlers...).</li>
     * </ul>
     * The payload of a {@code data:} URI that decodes to binary (an inline image or font) is left out.
     * Each value is its own paragraph, so numbers of two places are never read as one.
     */
    private void addHtml(ContentKind kind, String location, String html) {
        org.jsoup.nodes.Document doc = ForeignContent.withMarkupRead(html, cache.html(html));
        StringBuilder hidden = new StringBuilder();
        HtmlHiding.Sheets sheets = HtmlHiding.sheets(doc);
        if (sheets.cut) {
            fail(location, Unscannable.Reason.SIZE_LIMIT, "style sheets beyond " + HtmlHiding.MAX_RULES + " rules or "
                    + HtmlHiding.MAX_SHEET_CHARS + " chars, with generated content, order or direction in the rest");
        }
        // the laid-out text counts against the expanded-size limit (addSegment): text that could not fit is not built
        // the visible text is seldom longer than the markup it came from: room for it up front, not grown by doubling
        Layout layout = new Layout(doc, hidden, sheets, false).limit(budget.charsLeft())
                .expect((int) Math.min(html.length(), Math.min(budget.charsLeft(), 1 << 18)));
        StringBuilder text = layout.runText();
        if (layout.cut()) {
            handle(location, budget.sizeExceeded());
            return;
        }
        String withoutGaps = layout.mayHaveGaps() ? InlineGaps.of(new Layout(doc, null, sheets, true).run()) : null;
        String inCssOrder = null;
        if (layout.mayReorder()) {
            Layout ordered = new Layout(doc, null, sheets, false, true);
            String t = ordered.run();
            inCssOrder = ordered.reordered() ? t : null;
        }
        paragraph(text, hidden.toString());
        paragraph(text, layout.annotations());
        if (layout.generatedCut()) {
            fail(location, Unscannable.Reason.SIZE_LIMIT, "CSS generated content beyond "
                    + Layout.MAX_GENERATED_CHARS + " chars");
        }
        if (layout.generatedChars() > 0) {
            try {
                budget.addBytes(2L * layout.generatedChars()); // text the part did not hold as text
            } catch (LimitExceededException e) {
                handle(location, e);
            }
        }
        StringBuilder href = new StringBuilder();
        StringBuilder style = new StringBuilder();
        StringBuilder script = new StringBuilder();
        StringBuilder attributes = new StringBuilder();
        doc.traverse((node, depth) -> {
            if (node instanceof org.jsoup.nodes.Comment) {
                paragraph(text, ((org.jsoup.nodes.Comment) node).getData());
            } else if (node instanceof org.jsoup.nodes.Element) {
                org.jsoup.nodes.Element e = (org.jsoup.nodes.Element) node;
                String name = e.normalName();
                if (name.equals("noscript") && !e.data().isBlank()) {
                    paragraph(text, Jsoup.parse(e.data()).text()); // kept as raw data by the parser
                } else if (name.equals("style")) {
                    paragraph(style, EmbeddedEncodings.withoutBinaryDataUris(e.data()));
                } else if (name.equals("script")) {
                    paragraph(script, e.data());
                }
                for (org.jsoup.nodes.Attribute a : e.attributes()) {
                    String key = a.getKey().toLowerCase(Locale.ROOT);
                    String v = EmbeddedEncodings.withoutBinaryDataUris(a.getValue());
                    if (SHOWN_ATTRIBUTES.contains(key)) {
                        paragraph(text, v);
                    } else if (key.equals("href")) {
                        paragraph(href, v);
                    } else if (key.equals("style")) {
                        paragraph(style, v);
                    } else {
                        paragraph(attributes, v);
                    }
                }
            }
        });
        addSegment(kind, location, text.toString());
        if (withoutGaps != null) {
            addSecondReading(kind, location + ContentSegment.WITHOUT_INLINE_GAPS, withoutGaps);
        }
        if (layout.superscriptsApart() != null) {
            addSecondReading(kind, location + ContentSegment.SUPERSCRIPTS_APART, layout.superscriptsApart());
        }
        if (inCssOrder != null) {
            addSecondReading(kind, location + ContentSegment.CSS_ORDER, inCssOrder);
        }
        if (layout.attributeRuns() != null) {
            addSecondReading(kind, location + ContentSegment.ATTRIBUTES_JOINED, layout.attributeRuns());
        }
        if (text.indexOf("BEGIN PGP MESSAGE") >= 0) {
            // the line-structured copy only where armour could be: a large HTML part must not be copied again
            failIfArmouredEncryption(location, textWithLineBreaks(doc));
        }
        addIfAny(kind, location + "#href", href);
        addIfAny(kind, location + "#style", style);
        addIfAny(kind, location + "#script", script);
        addIfAny(kind, location + "#attributes", attributes);
    }

    /** iCalendar (RFC 5545) and vCard (RFC 6350) files: text made of folded content lines. */
    static boolean isContentLines(String name, String type) {
        String t = type == null ? "" : type.toLowerCase(Locale.ROOT);
        String n = name == null ? "" : name.toLowerCase(Locale.ROOT);
        return t.equals("text/calendar") || t.equals("text/vcard") || t.equals("text/x-vcard")
                || t.equals("text/directory") || n.endsWith(".ics") || n.endsWith(".ifb") || n.endsWith(".vcs")
                || n.endsWith(".vcf");
    }

    /** Joins folded content lines (RFC 5545 §3.1, RFC 6350 §3.2): a line break followed by one blank goes. */
    static String unfoldContentLines(String text) {
        return FOLD.matcher(text).replaceAll("");
    }

    private static final Pattern FOLD = Pattern.compile("\\r?\\n[ \\t]");

    /**
     * The text a reader sees, as a browser lays it out: text nodes with white space collapsed; a paragraph
     * element ({@link #PARAGRAPHS}: {@code p}, {@code table}, {@code h1}–{@code h6}, lists...) starts
     * and ends with a blank line, another block element ({@code div}, {@code tr}, {@code li}...) and {@code <br>} end
     * a line, and table cells ({@code td}, {@code th}) of one row are joined by a tab, so that
     * {@code <div>Total</div><b>4111…</b>} reads as two lines, {@code <div>4111 1111</div><div>1111 1111</div>} as
     * one number wrapped across two lines (as a client shows it) and a row of an HTML table reads as a row of
     * tab-separated cells (line-based card context, {@code CardContext}, applies as to plain text). Elements hidden
     * from the reader (the {@code hidden} attribute, {@code <noscript>}/{@code <template>}, and CSS inline or from
     * {@code <style>} rules that hides them: {@link HtmlHiding}) are left out of the flow, so a hidden character
     * cannot split a visible number; their text goes to {@code hidden}, one paragraph each, and is scanned too.
     */
    static String visibleText(org.jsoup.nodes.Element root, StringBuilder hidden) {
        return visibleText(root, hidden, HtmlHiding.Sheets.NONE);
    }

    /** @param sheets what the document's {@code <style>} rules hide ({@link HtmlHiding#sheets}) */
    static String visibleText(org.jsoup.nodes.Element root, StringBuilder hidden, HtmlHiding.Sheets sheets) {
        return new Layout(root, hidden, sheets, false).run();
    }

    /**
     * One walk over an HTML tree laying its text out ({@link #visibleText}). Unmarked, it also notes whether an
     * inline element sits between two digits ({@link #mayHaveGaps}); marked, it wraps every inline element
     * ({@link InlineGaps#isCandidate}) in {@link InlineGaps#OPEN} … {@link InlineGaps#CLOSE} for
     * {@link InlineGaps#of}. In CSS order it walks the children of flex and grid containers that CSS reorders, and
     * of elements with children floated right, in the order shown ({@link DisplayOrder#cssChildren}).
     *
     * <p>Beyond the text nodes, the layout reads as a browser shows them:
     * <ul>
     *   <li>the strings of {@code ::before} and {@code ::after} rules ({@link HtmlHiding.Sheets#before}) at the start
     *       and end of the element, up to {@link #MAX_GENERATED_CHARS} chars in all ({@link #generatedCut});</li>
     *   <li>a ruby's base text without its annotations: {@code <rt>} (and {@code <rtc>}) text goes to
     *       {@link #annotations} (the
     *       annotations of one line joined by spaces, a line each), {@code <rp>} text (shown only where ruby is not
     *       supported) to the hidden text;</li>
     *   <li>a {@code <sup>} or {@code <sub>} starting with a digit right after a digit and followed by no digit (a
     *       footnote mark or the end of a group) is read apart from the digits before it, unless it completes a
     *       short group: the digits run before it plus its leading digits are at most the length of the group
     *       before, which is longer than that run ({@code 4111 1111 1111 111<sup>1</sup>},
     *       {@code 3782 822463 1000<sup>5</sup>}); then it is read glued, and apart in {@link #superscriptsApart};
     *       an ungrouped run of digits ({@code 378282246310005<sup>1</sup>}) or a whole group before it is always
     *       read apart;</li>
     *   <li>the shown attributes ({@code title}, {@code aria-label}; and {@code alt}, {@code value},
     *       {@code placeholder}, {@code label} of form fields and replaced elements, not of
     *       {@code <input type=hidden>}) of two or more elements with nothing but spaces laid out between them and
     *       no block boundary, joined by spaces, a line per run ({@link #attributeRuns}).</li>
     * </ul>
     */
    static final class Layout implements org.jsoup.select.NodeFilter {
        /** Chars of {@code ::before}/{@code ::after} strings one layout writes at most; beyond, the part is unscannable. */
        static final int MAX_GENERATED_CHARS = 1 << 20;
        private final org.jsoup.nodes.Element root;
        private final StringBuilder hidden;
        private final HtmlHiding.Sheets sheets;
        private final boolean marked;
        private final boolean cssOrder;
        private final StringBuilder out = new StringBuilder();
        /** Per depth: the bidi controls closing the element ({@code null}: none), and whether it began after a digit. */
        private String[] closers = new String[16];
        private boolean[] afterDigit = new boolean[16];
        private boolean[] opened = new boolean[16];
        /** Per depth: where a {@code <sup>}/{@code <sub>} began in {@link #out}, -1 for other elements. */
        private int[] supAt = new int[16];
        /** Start and end in {@link #out} of each superscript or subscript glued after a digit, in pairs. */
        private int[] glued = new int[0];
        private int gluedCount;
        private boolean pendingGap;
        private boolean mayHaveGaps;
        /** Block elements (and {@code <br>}) started or ended so far: a line or cell boundary between two marks. */
        private int boundaries;
        private boolean mayReorder;
        private boolean reordered;
        private final StringBuilder annotations = new StringBuilder();
        private int annotationBoundaries;
        private final StringBuilder attributeRun = new StringBuilder();
        private int attributeCount;
        private int attributeMark;
        private int attributeBoundaries;
        private final StringBuilder attributeRuns = new StringBuilder();
        private String apart;
        private long generatedChars;
        private boolean generatedCut;

        Layout(org.jsoup.nodes.Element root, StringBuilder hidden, HtmlHiding.Sheets sheets, boolean marked) {
            this(root, hidden, sheets, marked, false);
        }

        private long maxChars = Long.MAX_VALUE;
        private boolean cut;

        Layout(org.jsoup.nodes.Element root, StringBuilder hidden, HtmlHiding.Sheets sheets, boolean marked,
                boolean cssOrder) {
            this.root = root;
            this.hidden = hidden;
            this.sheets = sheets;
            this.marked = marked;
            this.cssOrder = cssOrder;
        }

        /** Makes room for {@code chars} of text before the layout runs (a hint: the text may be longer). */
        Layout expect(int chars) {
            out.ensureCapacity(chars);
            return this;
        }

        /**
         * Stops the layout once its text would pass {@code chars} (before collapsing white space): the part is then
         * over the size limit whatever the rest holds, and a hostile part is not copied again and again first.
         */
        Layout limit(long chars) {
            this.maxChars = chars;
            return this;
        }

        /** @return after {@link #run}: whether the text went past {@link #limit} (then {@link #run} gave "") */
        boolean cut() {
            return cut;
        }

        String run() {
            return runText().toString();
        }

        /**
         * {@link #run}, the text left in the layout's own builder (trimmed as {@link String#trim} does), for a caller
         * that appends to it: the part's text is then not copied into another builder first.
         */
        StringBuilder runText() {
            if (cssOrder) {
                walkInCssOrder();
            } else {
                org.jsoup.select.NodeTraversor.filter(this, root);
            }
            if (cut) {
                out.setLength(0);
                return out;
            }
            flushAttributes();
            if (gluedCount > 0) {
                splitSuperscripts();
            }
            int end = out.length();
            while (end > 0 && out.charAt(end - 1) <= ' ') {
                end--;
            }
            out.setLength(end);
            int start = 0;
            while (start < end && out.charAt(start) <= ' ') {
                start++;
            }
            return start == 0 ? out : out.delete(0, start);
        }

        /** @return after {@link #run}: whether an inline element lay between two digits on one line */
        boolean mayHaveGaps() {
            return mayHaveGaps;
        }

        /**
         * @return after {@link #run}: whether an element or rule sets {@code order}, {@code flex-direction},
         *         {@code flex-flow}, or {@code float: right} on an element with children
         */
        boolean mayReorder() {
            return mayReorder;
        }

        /** @return after {@link #run} in CSS order: whether a container's children were read in another order */
        boolean reordered() {
            return reordered;
        }

        /** @return after {@link #run}: the ruby annotations ({@code <rt>}), a line per laid-out line; "" without any */
        String annotations() {
            return annotations.toString().trim();
        }

        /** @return after {@link #run}: the runs of adjacent shown attribute values, a line each; null without any */
        String attributeRuns() {
            return attributeRuns.length() == 0 ? null : attributeRuns.toString().trim();
        }

        /**
         * @return after {@link #run} (unmarked): the lines holding a superscript read glued to the digits before it,
         *         with every such superscript read apart, each with the nearest non-blank line before it; null
         *         without any
         */
        String superscriptsApart() {
            return apart;
        }

        /** Walks the tree as {@link org.jsoup.select.NodeTraversor#filter} does, children of reordering containers in CSS order. */
        private void walkInCssOrder() {
            java.util.ArrayDeque<Object[]> stack = new java.util.ArrayDeque<>();
            if (head(root, 0) == FilterResult.SKIP_ENTIRELY) {
                return;
            }
            stack.push(new Object[] {root, children(root), new int[] {0}});
            while (!stack.isEmpty() && !cut) {
                Object[] frame = stack.peek();
                @SuppressWarnings("unchecked")
                java.util.List<org.jsoup.nodes.Node> kids = (java.util.List<org.jsoup.nodes.Node>) frame[1];
                int[] next = (int[]) frame[2];
                int depth = stack.size();
                if (next[0] < kids.size()) {
                    org.jsoup.nodes.Node child = kids.get(next[0]++);
                    FilterResult r = head(child, depth);
                    if (r == FilterResult.SKIP_ENTIRELY || r == FilterResult.STOP) {
                        continue;
                    }
                    if (child.childNodeSize() > 0) {
                        stack.push(new Object[] {child, children(child), new int[] {0}});
                    } else {
                        tail(child, depth);
                    }
                } else {
                    stack.pop();
                    tail((org.jsoup.nodes.Node) frame[0], depth - 1);
                }
            }
        }

        private java.util.List<org.jsoup.nodes.Node> children(org.jsoup.nodes.Node node) {
            if (node instanceof org.jsoup.nodes.Element) {
                org.jsoup.nodes.Element e = (org.jsoup.nodes.Element) node;
                java.util.List<org.jsoup.nodes.Node> shown = DisplayOrder.cssChildren(e, HtmlHiding.inlineStyle(e), sheets);
                if (shown != null) {
                    reordered = true;
                    return shown;
                }
            }
            return node.childNodes();
        }

        @Override
        public FilterResult head(org.jsoup.nodes.Node node, int depth) {
            if (node instanceof org.jsoup.nodes.TextNode) {
                String text = ((org.jsoup.nodes.TextNode) node).getWholeText();
                if (out.length() + (long) text.length() > maxChars) {
                    cut = true; // more text than the part may still produce: not laid out at all
                    return FilterResult.STOP;
                }
                if (pendingGap) {
                    for (int i = 0; i < text.length(); i++) {
                        char c = text.charAt(i);
                        if (!Character.isWhitespace(c) && c != '\u00a0') {
                            mayHaveGaps |= Character.isDigit(c);
                            pendingGap = false;
                            break;
                        }
                    }
                }
                WhiteSpaceCollapse.append(out, text, marked);
            } else if (node instanceof org.jsoup.nodes.Element) {
                return headElement((org.jsoup.nodes.Element) node, depth);
            }
            return FilterResult.CONTINUE;
        }

        /** {@link #head} of an element (kept apart so that the text-node path stays small for the JIT). */
        private FilterResult headElement(org.jsoup.nodes.Element e, int depth) {
            java.util.Map<String, String> style = HtmlHiding.inlineStyle(e);
            if (e != root && isHidden(e, style, sheets)) {
                if (hidden != null) {
                    paragraph(hidden, e.text());
                }
                return FilterResult.SKIP_ENTIRELY;
            }
            String name = e.normalName();
            if (name.startsWith("r") && e != root && annotation(e, name)) {
                return FilterResult.SKIP_ENTIRELY; // annotations, not part of the base text
            }
            if (!mayReorder) {
                mayReorder = reorders(e, style) || (!sheets.layout.isEmpty() && reorders(e, sheets.layout.get(e)));
            }
            int before = out.length();
            blockStart(out, e);
            if (out.length() != before || name.equals("br")) {
                pendingGap = false; // a line or cell ends here
            }
            if (e.isBlock() || name.equals("br")) {
                boundaries++; // counted also where nothing was laid out yet
            }
            if (e.attributesSize() > 0) {
                shownAttributes(e);
            }
            if (depth >= closers.length) {
                closers = java.util.Arrays.copyOf(closers, depth * 2);
                afterDigit = java.util.Arrays.copyOf(afterDigit, depth * 2);
                opened = java.util.Arrays.copyOf(opened, depth * 2);
                supAt = java.util.Arrays.copyOf(supAt, depth * 2);
            }
            afterDigit[depth] = !e.isBlock() && endsWithDigit(out);
            opened[depth] = marked && e != root && InlineGaps.isCandidate(e);
            if (opened[depth]) {
                out.append(InlineGaps.OPEN);
            }
            String[] bidi = HtmlHiding.bidiControls(e, style, sheets);
            closers[depth] = bidi == null ? null : bidi[1];
            if (bidi != null) {
                out.append(bidi[0]);
            }
            supAt[depth] = e != root && (name.equals("sup") || name.equals("sub")) ? out.length() : -1;
            if (!sheets.before.isEmpty()) {
                generate(sheets.before.get(e));
            }
            return FilterResult.CONTINUE;
        }

        @Override
        public FilterResult tail(org.jsoup.nodes.Node node, int depth) {
            if (node instanceof org.jsoup.nodes.Element) {
                org.jsoup.nodes.Element e = (org.jsoup.nodes.Element) node;
                if (!sheets.after.isEmpty()) {
                    generate(sheets.after.get(e));
                }
                if (supAt[depth] >= 0) {
                    noteSuperscript(supAt[depth], out.length());
                }
                if (closers[depth] != null) {
                    out.append(closers[depth]);
                }
                if (opened[depth]) {
                    out.append(InlineGaps.CLOSE);
                }
                if (afterDigit[depth]) {
                    pendingGap = true;
                }
                int before = out.length();
                blockEnd(out, e);
                if (out.length() != before) {
                    pendingGap = false;
                }
                if (e.isBlock()) {
                    boundaries++;
                }
            }
            return FilterResult.CONTINUE;
        }

        /**
         * Lays out a {@code ::before}/{@code ::after} string, up to {@link #MAX_GENERATED_CHARS} in all: one rule can
         * give every element of a document the same long string.
         */
        private void generate(String text) {
            if (text == null) {
                return;
            }
            if (generatedChars + text.length() > MAX_GENERATED_CHARS) {
                generatedCut = true;
                return;
            }
            generatedChars += text.length();
            WhiteSpaceCollapse.append(out, text, marked);
        }

        /** @return after {@link #run}: chars of generated content laid out */
        long generatedChars() {
            return generatedChars;
        }

        /** @return after {@link #run}: whether generated content beyond {@link #MAX_GENERATED_CHARS} was left out */
        boolean generatedCut() {
            return generatedCut;
        }

        /** A floated image or other element without children (no text to move) does not count. */
        private static boolean reorders(org.jsoup.nodes.Element e, java.util.Map<String, String> d) {
            return d != null && !d.isEmpty() && (d.containsKey("order") || d.containsKey("flex-direction")
                    || d.containsKey("flex-flow") || (e.childNodeSize() > 0 && "right".equals(d.get("float"))));
        }

        /** @return whether the element is a ruby annotation ({@code rt}, {@code rtc}, {@code rp}), its text noted */
        private boolean annotation(org.jsoup.nodes.Element e, String name) {
            if (name.equals("rp")) {
                if (hidden != null) {
                    paragraph(hidden, e.text());
                }
                return true;
            }
            if (name.equals("rt") || name.equals("rtc")) {
                annotate(e.text());
                return true;
            }
            return false;
        }

        /** Appends an {@code <rt>} text to the annotations: after a space on the same laid-out line, else a new line. */
        private void annotate(String text) {
            if (text.isBlank()) {
                return;
            }
            if (annotations.length() > 0) {
                annotations.append(boundaries != annotationBoundaries ? '\n' : ' ');
            }
            annotations.append(text.trim());
            annotationBoundaries = boundaries;
        }

        /** Shown attributes any element may carry. */
        private static final String[] SHOWN_ANY = {"title", "aria-label"};
        /** Those of form fields and replaced elements (HTML: {@code alt}, {@code value}, {@code placeholder}, {@code label}). */
        private static final String[] SHOWN_FIELD = {"alt", "value", "placeholder", "title", "aria-label", "label"};

        /** Adds the element's shown attribute values to the current run, first ending it if text was laid out since. */
        private void shownAttributes(org.jsoup.nodes.Element e) {
            org.jsoup.nodes.Attributes attributes = e.attributes(); // names are lower case, as the parser writes them
            String name = e.normalName();
            String[] keys = SHOWN_ANY;
            switch (name) {
                case "input":
                    if ("hidden".equalsIgnoreCase(attributes.get("type").trim())) {
                        return;
                    }
                    keys = SHOWN_FIELD;
                    break;
                case "img":
                case "area":
                case "button":
                case "textarea":
                case "option":
                case "optgroup":
                case "track":
                case "data":
                case "li":
                case "meter":
                case "progress":
                case "param":
                    keys = SHOWN_FIELD;
                    break;
                default:
                    break;
            }
            for (String key : keys) {
                if (!attributes.hasKey(key)) {
                    continue;
                }
                String v = attributes.get(key).trim();
                if (v.isEmpty()) {
                    continue;
                }
                if (attributeCount > 0 && boundaries != attributeBoundaries) {
                    flushAttributes();
                }
                if (attributeCount > 0) {
                    for (int i = Math.min(attributeMark, out.length()); i < out.length(); i++) {
                        char c = out.charAt(i);
                        if (c != ' ' && c != InlineGaps.OPEN && c != InlineGaps.CLOSE) {
                            flushAttributes();
                            break;
                        }
                    }
                }
                if (attributeCount > 0) {
                    attributeRun.append(' ');
                }
                attributeRun.append(v);
                attributeCount++;
                attributeMark = out.length();
                attributeBoundaries = boundaries;
            }
        }

        private void flushAttributes() {
            if (attributeCount >= 2 && !marked) {
                attributeRuns.append(attributeRun).append('\n');
            }
            attributeRun.setLength(0);
            attributeCount = 0;
        }

        /** Keeps a superscript [start, end) of {@link #out} that starts with a digit right after a digit. */
        private void noteSuperscript(int start, int end) {
            if (start >= end || end > out.length() || !Character.isDigit(charAt(start, 1))
                    || !Character.isDigit(charAt(start - 1, -1))) {
                return;
            }
            if (glued.length == 2 * gluedCount) {
                glued = java.util.Arrays.copyOf(glued, Math.max(8, glued.length * 2));
            }
            glued[2 * gluedCount] = start;
            glued[2 * gluedCount + 1] = end;
            gluedCount++;
        }

        /** The char at i or the nearest one in direction step that is no marker of {@link InlineGaps}; ' ' if none. */
        private char charAt(int i, int step) {
            for (; i >= 0 && i < out.length(); i += step) {
                char c = out.charAt(i);
                if (c != InlineGaps.OPEN && c != InlineGaps.CLOSE) {
                    return c;
                }
            }
            return ' ';
        }

        /** Digits from i in direction step, markers passed over. */
        private int digits(int i, int step) {
            int n = 0;
            for (; i >= 0 && i < out.length(); i += step) {
                char c = out.charAt(i);
                if (Character.isDigit(c)) {
                    n++;
                } else if (c != InlineGaps.OPEN && c != InlineGaps.CLOSE) {
                    break;
                }
            }
            return n;
        }

        /** Whether the superscript at [start, end) completes a short group (see the class comment). */
        private boolean completesGroup(int start, int end) {
            int run = digits(start - 1, -1);
            int i = start - 1;
            for (int seen = 0; i >= 0 && seen < run; i--) {
                if (Character.isDigit(out.charAt(i))) {
                    seen++;
                }
            }
            while (i >= 0 && (out.charAt(i) == InlineGaps.OPEN || out.charAt(i) == InlineGaps.CLOSE)) {
                i--;
            }
            char separator = i >= 0 ? out.charAt(i) : 'x';
            if (separator != ' ' && separator != '-' && separator != '.') {
                return false;
            }
            int group = digits(i - 1, -1);
            int own = 0;
            for (int k = start; k < end && own <= group; k++) {
                char c = out.charAt(k);
                if (Character.isDigit(c)) {
                    own++;
                } else if (c != InlineGaps.OPEN && c != InlineGaps.CLOSE) {
                    break;
                }
            }
            return group > run && run + own <= group;
        }

        /**
         * Reads apart each noted superscript followed by no digit, the group-completing ones only in
         * {@link #apart} (see the class comment).
         */
        private void splitSuperscripts() {
            int n = gluedCount;
            int[] starts = new int[n];
            boolean[] keep = new boolean[n];
            boolean any = false;
            for (int k = 0; k < n; k++) {
                int start = glued[2 * k];
                int end = glued[2 * k + 1];
                starts[k] = start;
                if (Character.isDigit(charAt(end, 1))) {
                    starts[k] = -1; // digits follow: the superscript is inside a number, read as it is
                    continue;
                }
                keep[k] = completesGroup(start, end);
                any |= keep[k];
            }
            // both copies from one pass: the main reading with the non-completing ones apart, the other with all apart
            Integer[] order = new Integer[n];
            for (int k = 0; k < n; k++) {
                order[k] = k;
            }
            java.util.Arrays.sort(order, (a, b) -> Integer.compare(starts[a], starts[b]));
            String text = out.toString();
            StringBuilder main = new StringBuilder(text.length() + n);
            StringBuilder all = any && !marked ? new StringBuilder(text.length() + n) : null;
            java.util.Set<Integer> lines = new java.util.TreeSet<>();
            int from = 0;
            int line = 0;
            for (int k : order) {
                int at = starts[k];
                if (at < 0 || at < from || (at == from && from > 0)) {
                    continue; // not split, or a superscript nested in one that starts at the same place
                }
                main.append(text, from, at);
                if (all != null) {
                    all.append(text, from, at);
                    for (int i = from; i < at; i++) {
                        line += text.charAt(i) == '\n' ? 1 : 0;
                    }
                    all.append(' ');
                    if (keep[k]) {
                        lines.add(line);
                    }
                }
                if (!keep[k]) {
                    main.append(' ');
                }
                from = at;
            }
            main.append(text, from, text.length());
            out.setLength(0);
            out.append(main);
            if (all == null) {
                return;
            }
            all.append(text, from, text.length());
            String[] split = all.toString().split("\n", -1);
            StringBuilder shown = new StringBuilder();
            for (int l : lines) {
                int label = l - 1;
                while (label >= 0 && split[label].isBlank()) {
                    label--;
                }
                if (shown.length() > 0) {
                    shown.append("\n\n");
                }
                if (label >= 0) {
                    shown.append(split[label].trim()).append('\n');
                }
                shown.append(split[l].trim());
            }
            apart = shown.toString();
        }
    }

    /** Whether the last char before trailing spaces is a digit. */
    private static boolean endsWithDigit(StringBuilder out) {
        for (int i = out.length() - 1; i >= 0; i--) {
            char c = out.charAt(i);
            if (c != ' ') {
                return Character.isDigit(c);
            }
        }
        return false;
    }

    /** Elements laid out as paragraphs of their own: a blank line before and after. */
    private static final Set<String> PARAGRAPHS = Set.of("p", "table", "h1", "h2", "h3", "h4", "h5", "h6",
        "ul", "ol", "dl", "blockquote", "pre", "section", "article", "header", "footer", "aside", "nav", "main",
        "form", "fieldset", "figure", "address", "hr", "body");

    private static void blockStart(StringBuilder out, org.jsoup.nodes.Element e) {
        String name = e.normalName();
        if (name.equals("td") || name.equals("th")) {
            trimBlanks(out);
            if (out.length() > 0 && out.charAt(out.length() - 1) != '\n') {
                out.append('\t'); // the next cell of a row
            }
        } else if (name.equals("br")) {
            trimBlanks(out);
            int n = out.length();
            if (n > 0 && !(n >= 2 && out.charAt(n - 1) == '\n' && out.charAt(n - 2) == '\n')) {
                out.append('\n'); // a line break; at most one blank line however many in a row
            }
        } else {
            blockEnd(out, e);
        }
    }

    private static void blockEnd(StringBuilder out, org.jsoup.nodes.Element e) {
        String name = e.normalName();
        if (PARAGRAPHS.contains(name)) {
            lineBreaks(out, 2);
        } else if (e.isBlock() && !name.equals("td") && !name.equals("th")) {
            lineBreaks(out, 1);
        }
    }

    /** Ends the text so far with at least n line breaks (none at the start), blanks before them removed. */
    private static void lineBreaks(StringBuilder out, int n) {
        trimBlanks(out);
        if (out.length() == 0) {
            return;
        }
        int have = 0;
        while (have < n && have < out.length() && out.charAt(out.length() - 1 - have) == '\n') {
            have++;
        }
        for (int k = have; k < n; k++) {
            out.append('\n');
        }
    }

    private static void trimBlanks(StringBuilder out) {
        int n = out.length();
        while (n > 0 && (out.charAt(n - 1) == ' ' || out.charAt(n - 1) == '\t')) {
            n--;
        }
        out.setLength(n);
    }

    /**
     * An HTML document's text with its line structure, for the armour check ({@link SenderEncryption#armoured}):
     * text nodes as written (the line breaks of a {@code <pre>} kept), a line break wherever a block element or a
     * {@code <br>} starts or ends, so an armoured block pasted into {@code <pre>} or as paragraphs keeps its lines.
     */
    static String textWithLineBreaks(org.jsoup.nodes.Element root) {
        StringBuilder out = new StringBuilder();
        org.jsoup.select.NodeTraversor.traverse(new org.jsoup.select.NodeVisitor() {
            @Override
            public void head(org.jsoup.nodes.Node node, int depth) {
                if (node instanceof org.jsoup.nodes.TextNode) {
                    out.append(((org.jsoup.nodes.TextNode) node).getWholeText().replace("\r", ""));
                } else if (node instanceof org.jsoup.nodes.Element && breaksLine((org.jsoup.nodes.Element) node)) {
                    out.append('\n');
                }
            }

            @Override
            public void tail(org.jsoup.nodes.Node node, int depth) {
                if (node instanceof org.jsoup.nodes.Element && ((org.jsoup.nodes.Element) node).isBlock()) {
                    out.append('\n');
                }
            }
        }, root);
        return out.toString();
    }

    private static boolean breaksLine(org.jsoup.nodes.Element e) {
        return e.isBlock() || e.normalName().equals("br");
    }

    /** Hidden by markup, by inline CSS (its declarations {@code style}) or by a {@code <style>} rule ({@link HtmlHiding}). */
    private static boolean isHidden(org.jsoup.nodes.Element e, java.util.Map<String, String> style,
            HtmlHiding.Sheets sheets) {
        String name = e.normalName();
        return name.equals("noscript") || name.equals("template") || e.hasAttr("hidden")
                || sheets.hidden.contains(e) || HtmlHiding.hiddenByInlineStyle(e, style, sheets);
    }

    private static void paragraph(StringBuilder out, String value) {
        if (!value.isBlank()) {
            if (out.length() > 0) {
                out.append("\n\n");
            }
            out.append(value);
        }
    }

    private void addIfAny(ContentKind kind, String location, StringBuilder text) {
        if (text.length() > 0) {
            addSegment(kind, location, text.toString());
        }
    }

    /** @return the lower-case base type; "" without a Content-Type; an unknown attachment when it does not parse */
    private static String baseType(MimeNode node) {
        if (node.typeError() != null) {
            return "application/octet-stream";
        }
        return node.contentType() == null ? "" : MimeParts.baseType(node.contentType());
    }

    private static String baseName(ArchiveEntry entry) {
        String n = entry.getName();
        int slash = Math.max(n.lastIndexOf('/'), n.lastIndexOf('\\'));
        return slash >= 0 ? n.substring(slash + 1) : n;
    }

    private static String innerName(String name, String... suffixes) {
        if (name == null) {
            return "decompressed";
        }
        String lower = name.toLowerCase(Locale.ROOT);
        for (String s : suffixes) {
            if (lower.endsWith(s)) {
                String stem = name.substring(0, name.length() - s.length());
                return s.startsWith(".t") ? stem + ".tar" : stem;
            }
        }
        return name + ".decompressed";
    }

    /** Names in locations are for log lines: no control characters, bounded length. */
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    static String safeName(String name) {
        String cleaned = CONTROL.matcher(name).replaceAll("?");
        return cleaned.length() > MAX_LOCATION_NAME ? cleaned.substring(0, MAX_LOCATION_NAME) + "..." : cleaned;
    }
}
