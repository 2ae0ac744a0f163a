package dev.tollgate.core.dlp.content;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.mail.MessagingException;
import javax.mail.Part;
import javax.mail.internet.AddressException;
import javax.mail.internet.ContentType;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeUtility;

import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.archivers.zip.UnsupportedZipFeatureException;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.jsoup.Jsoup;

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
        if (!scope.nested) {
            addHeaders(message, scope.prefix + "headers");
        }
        try {
            walker.walk(walk, message, "", scope.depth, new PartVisitor(scope));
        } catch (IOException | MessagingException e) {
            // the part count (a limit of the whole mail) is checked as each part is reached
            handle(scope.prefix + "part", e);
        }
    }

    /** Address headers whose display names are read, then free-text headers read whole (RFC 5322 3.6). */
    private static final String[] ADDRESS_HEADERS = {"From", "To", "Cc", "Reply-To"};
    private static final String[] TEXT_HEADERS = {"Comments", "Keywords"};

    private void addHeaders(MimeMessage message, String location) {
        StringBuilder text = new StringBuilder();
        try {
            for (String name : ADDRESS_HEADERS) {
                String[] values = message.getHeader(name);
                for (int i = 0; values != null && i < values.length; i++) {
                    appendDisplayNames(text, MimeUtility.unfold(values[i]));
                }
            }
            for (String name : TEXT_HEADERS) {
                String[] values = message.getHeader(name);
                for (int i = 0; values != null && i < values.length; i++) {
                    appendLine(text, decodeHeader(MimeUtility.unfold(values[i]).trim()));
                }
            }
        } catch (MessagingException | RuntimeException e) {
            fail(location, Unscannable.Reason.EXTRACTION_FAILED, "unreadable header");
        }
        if (text.length() > 0) {
            addSegment(ContentKind.HEADER, location, text.toString());
        }
    }

    private static void appendDisplayNames(StringBuilder text, String value) {
        InternetAddress[] addresses;
        try {
            addresses = InternetAddress.parseHeader(value, false);
        } catch (AddressException e) {
            appendLine(text, decodeHeader(value.trim())); // unparseable: scan all of it
            return;
        }
        for (InternetAddress address : addresses) {
            String personal = address.getPersonal(); // RFC 2047 decoded by javax.mail
            if (personal != null && !personal.isBlank()) {
                appendLine(text, personal);
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

    private static String decodeHeader(String raw) {
        try {
            return MimeUtility.decodeText(raw);
        } catch (UnsupportedEncodingException e) {
            return raw; // unknown charset in an encoded word: scan it as written
        }
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

    private static String subject(MimeMessage message) throws MessagingException {
        String raw = message.getHeader("Subject", null);
        if (raw == null) {
            return null;
        }
        try {
            return MimeUtility.decodeText(MimeUtility.unfold(raw));
        } catch (UnsupportedEncodingException e) {
            return raw; // unknown charset in an encoded word: scan it as written
        }
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
                String location = scope.prefix + "multipart";
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
                if (ambiguousHeaders(part, scope.prefix + "part" + (node.path().isEmpty() ? "" : "[" + node.path() + "]"))) {
                    return;
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
                if (type.equals("message/rfc822")) {
                    location = scope.prefix + "message[" + (++scope.messages) + "]";
                    addName(location, fileName);
                    readBinary(decoded(part, location), location, fileName, type, scope.depth);
                } else if (!attachment && (type.equals("text/plain") || type.equals("text/html") || type.isEmpty())) {
                    location = scope.prefix + "body[" + (++scope.bodies) + "]";
                    byte[] bytes = textBody(part, location);
                    String text = TextDecoding.decode(bytes, charset, location, notes::add);
                    if (type.equals("text/html")) {
                        text = htmlText(text);
                    } else {
                        text = unflowIfFlowed(node.contentType(), text);
                    }
                    addSegment(scope.nested ? ContentKind.ATTACHMENT : ContentKind.BODY, location, text);
                    if (!type.equals("text/html")) {
                        readUuencoded(text, location, scope.depth);
                    }
                } else {
                    location = scope.prefix + (fileName != null ? "attachment:" + safeName(fileName)
                            : "attachment[" + (++scope.attachments) + "]");
                    addName(location, fileName);
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

    /** @return true (and records the part as unscannable) if a header that must be single is repeated */
    private boolean ambiguousHeaders(Part part, String location) throws MessagingException {
        for (String name : SINGLE_HEADERS) {
            String[] values = part.getHeader(name);
            if (values != null && values.length > 1) {
                fail(location, Unscannable.Reason.EXTRACTION_FAILED, values.length + " " + name
                        + " headers: clients disagree on which applies");
                return true;
            }
        }
        return false;
    }

    /** @return the body as sent (no transfer decoding), null if the part cannot give it */
    private static byte[] rawBody(Part part) throws MessagingException, IOException {
        InputStream in;
        if (part instanceof MimeBodyPart) {
            in = ((MimeBodyPart) part).getRawInputStream();
        } else if (part instanceof MimeMessage) {
            in = ((MimeMessage) part).getRawInputStream();
        } else {
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
        // only line starts can hold a delimiter: jump from one to the next (a tight loop over a large base64 body)
        for (; i + dash.length <= body.length; i = nextLine(body, i)) {
            if (!startsWith(body, i, dash)) {
                continue;
            }
            boolean closing = i + dash.length + 1 < body.length && body[i + dash.length] == '-'
                    && body[i + dash.length + 1] == '-';
            if (closing == close) {
                return i;
            }
        }
        return -1;
    }

    /** @return the offset after the next LF at or after {@code from}, or {@code body.length} */
    private static int nextLine(byte[] body, int from) {
        int i = from;
        while (i < body.length && body[i] != '\n') {
            i++;
        }
        return i + 1;
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
                    MimeMessage nested = MimeParts.parse(in);
                    walkMessage(nested, new Scope(location + "/", depth + 1, true));
                }
                break;
            case DOCUMENT:
                readDocument(in, location, name);
                break;
            case HTML:
                addSegment(ContentKind.ATTACHMENT, location,
                        htmlText(TextDecoding.decode(in.readAllBytes(), charset, location, notes::add)));
                break;
            case TEXT:
                addSegment(ContentKind.ATTACHMENT, location,
                        TextDecoding.decode(in.readAllBytes(), charset, location, notes::add));
                break;
            case UNSUPPORTED_ARCHIVE:
                fail(location, Unscannable.Reason.EXTRACTION_FAILED, "archive format not supported");
                break;
            default:
                // Images, audio, executables: only the name is scanned. Inside an archive the entry is
                // still inflated (and discarded) so that size and ratio limits see what it expands to.
                if (depth > 0) {
                    in.transferTo(OutputStream.nullOutputStream());
                }
                break;
        }
    }

    private boolean deeper(String location, int depth) {
        if (!walker.allowsDepth(depth + 1)) {
            fail(location, Unscannable.Reason.DEPTH_LIMIT, "nested deeper than " + walker.maxDepth() + " levels");
            return false;
        }
        return true;
    }

    private void readZip(InputStream in, String location, int depth) throws IOException, MessagingException {
        ZipArchiveInputStream zip = new ZipArchiveInputStream(in, "UTF-8", true, true);
        boolean afterEncrypted = false;
        while (true) {
            ZipArchiveEntry entry;
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
                return;
            }
            budget.countEntry();
            if (entry.isDirectory()) {
                continue;
            }
            String entryLocation = location + "!/" + safeName(entry.getName());
            addName(entryLocation, entry.getName());
            if (entry.getGeneralPurposeBit().usesEncryption()) {
                fail(entryLocation, Unscannable.Reason.ENCRYPTED, "encrypted zip entry");
                afterEncrypted = true;
                continue;
            }
            if (!zip.canReadEntryData(entry)) {
                fail(entryLocation, Unscannable.Reason.EXTRACTION_FAILED,
                        "zip compression method " + entry.getMethod() + " not supported");
                continue;
            }
            ZipArchiveInputStream source = zip;
            BoundedInputStream data = new BoundedInputStream(zip, budget, source::getCompressedCount);
            if (!readEntry(data, entryLocation, baseName(entry), depth)) {
                // Skipping the rest of a bomb entry would inflate it all: leave the archive.
                return;
            }
            // What the entry's reader left unread is inflated here, through the counters, not by the
            // zip reader's own skipping on the way to the next entry.
            data.transferTo(OutputStream.nullOutputStream());
        }
    }

    private void readTar(InputStream in, String location, int depth) throws IOException, MessagingException {
        TarArchiveInputStream tar = new TarArchiveInputStream(in);
        for (ArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
            budget.countEntry();
            if (entry.isDirectory() || !((org.apache.commons.compress.archivers.tar.TarArchiveEntry) entry).isFile()) {
                continue;
            }
            String entryLocation = location + "!/" + safeName(entry.getName());
            addName(entryLocation, entry.getName());
            if (!readEntry(tar, entryLocation, baseName(entry), depth)) {
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

    private void readDocument(InputStream in, String location, String name) throws IOException {
        if (documents == null) {
            fail(location, Unscannable.Reason.EXTRACTION_FAILED, "document text extraction is not configured");
            return;
        }
        byte[] bytes = in.readAllBytes();
        Duration left = budget.remaining();
        if (left.isZero()) {
            budget.checkTime();
        }
        DocumentText text = documents.extract(bytes, name, left);
        if (text.failure().isPresent()) {
            Unscannable.Reason reason = text.failure().get();
            fail(location, reason, text.detail());
            if (reason == Unscannable.Reason.TIME_LIMIT) {
                budget.checkTime();
            }
            return;
        }
        addSegment(ContentKind.ATTACHMENT, location, text.text().orElse(""));
    }

    /** The part's body through its Content-Transfer-Encoding, every byte counted against the budget. */
    /**
     * A text part's decoded body: strict quoted-printable from the shared cache (decoded once per mail, the
     * link components read the same), anything else through {@link #decoded}; counted against the budget alike.
     */
    private byte[] textBody(Part part, String location) throws MessagingException, IOException {
        if (part instanceof MimeBodyPart
                && TransferEncoding.QUOTED_PRINTABLE.equals(TransferEncoding.of((MimeBodyPart) part))) {
            byte[] raw;
            try (InputStream in = ((MimeBodyPart) part).getRawInputStream()) {
                raw = in.readAllBytes();
            }
            byte[] strict = cache.decodedQuotedPrintable(raw);
            if (strict != null) {
                budget.addBytes(strict.length);
                return strict;
            }
        }
        return decoded(part, location).readAllBytes();
    }

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
     * then text encoded inside it ({@link EmbeddedEncodings}) is decoded and added as a segment of its own at
     * {@code location → encoding}, up to {@value #MAX_ENCODED_LAYERS} layers. Decoded chars count against the
     * expanded-size limit; text still encoded below the last layer is unscannable ({@code DEPTH_LIMIT}).
     */
    private void addSegment(ContentKind kind, String location, String text) {
        String normalized = TextNormalization.normalize(text);
        segments.add(ContentSegment.of(kind, location, normalized));
        addEncoded(kind, location, normalized, 0);
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
            String normalized = TextNormalization.normalize(d.text);
            segments.add(ContentSegment.of(kind, inner, normalized));
            addEncoded(kind, inner, normalized, layer + 1);
        }
    }

    private static String describe(Exception e) {
        // The class and message of a parser error name the problem; they carry no message content
        // beyond what a header already says, and are cut short.
        String message = e.getMessage() == null ? "" : ": " + e.getMessage();
        String detail = e.getClass().getSimpleName() + message;
        return safeName(detail);
    }

    /** Attributes a client shows (tooltips, image replacements, form fields). */
    private static final String[] SHOWN_ATTRIBUTES = {"alt", "title", "value", "placeholder", "aria-label", "label",
        "content"};

    /**
     * The text of an HTML part, and what a client could also show or a reader reveal: the text of elements
     * hidden by CSS ({@code display:none}) is part of jsoup's text already; the content of {@code <noscript>}, comments
     * and the attributes of {@link #SHOWN_ATTRIBUTES} are added after it, each on its own paragraph (so
     * numbers of two places are never read as one).
     */
    private String htmlText(String html) {
        org.jsoup.nodes.Document doc = cache.html(html);
        StringBuilder out = new StringBuilder(doc.text());
        doc.traverse((node, depth) -> {
            if (node instanceof org.jsoup.nodes.Comment) {
                out.append("\n\n").append(((org.jsoup.nodes.Comment) node).getData());
            } else if (node instanceof org.jsoup.nodes.Element) {
                org.jsoup.nodes.Element e = (org.jsoup.nodes.Element) node;
                if (e.normalName().equals("noscript") && !e.data().isBlank()) {
                    out.append("\n\n").append(Jsoup.parse(e.data()).text()); // kept as raw data by the parser
                }
                for (String name : SHOWN_ATTRIBUTES) {
                    String v = node.attr(name);
                    if (!v.isBlank()) {
                        out.append("\n\n").append(v);
                    }
                }
            }
        });
        return out.toString();
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
    static String safeName(String name) {
        String cleaned = name.replaceAll("[\\p{Cntrl}]", "?");
        return cleaned.length() > MAX_LOCATION_NAME ? cleaned.substring(0, MAX_LOCATION_NAME) + "..." : cleaned;
    }
}
