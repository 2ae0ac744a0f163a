package dev.tollgate.core.mime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;

import javax.activation.DataHandler;
import javax.activation.DataSource;
import javax.mail.MessagingException;
import javax.mail.Part;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.ContentType;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMultipart;
import javax.mail.internet.ParseException;
import javax.mail.internet.SharedInputStream;

/**
 * A {@link MimeMultipart} that finds its delimiter lines (RFC 2046 §5.1.1) with a plain scan over the body's
 * bytes instead of JavaMail 1.6's stream-driven Boyer-Moore loop, and otherwise gives JavaMail's exact result:
 * the same parts (each created by JavaMail's own {@link #createMimeBodyPart(InputStream)} over a slice of the
 * shared body stream, so headers and content are parsed by JavaMail), the same preamble, the same
 * {@link #isComplete()} flag and the same exceptions, on well-formed and malformed bodies alike.
 *
 * <p>The rules reproduced, JavaMail 1.6 with its default {@code mail.mime.multipart.*} settings:
 * <ul>
 *   <li>preamble: lines (ended by LF, CRLF, CR CR LF or a lone CR) stripped of trailing spaces and tabs; the
 *       first equal to {@code "--" + boundary} starts the parts, one equal to it plus {@code "--"} ends the
 *       multipart with no parts ("Missing start boundary"); without a boundary parameter the first line that
 *       starts with {@code "--"} and is not all dashes (when longer than four) is taken as the boundary; every
 *       other non-empty line joins the preamble followed by the platform line separator;</li>
 *   <li>each part: its header lines are skipped up to the first empty line (end of input there ends the
 *       multipart, incomplete, without that part); its content ends before the CRLF, CR or LF preceding the
 *       next {@code "--" + boundary} that starts the content or follows CR or LF and is followed either by
 *       {@code "--"} (close delimiter: complete, the epilogue is ignored) or by spaces/tabs and an end of line;
 *       with no such line the content runs to the end of input and the multipart is incomplete.</li>
 * </ul>
 * Anything else falls back to JavaMail's own parse: a body stream that is not a {@link SharedInputStream}
 * (JavaMail then copies parts instead of slicing), a boundary with non-ASCII characters, or any
 * {@code mail.mime.multipart.*} / {@code mail.mime.allowutf8} system property set to a non-default value.
 *
 * <p>Writing differs from JavaMail's on purpose: a multipart split here is written with the sender's own bytes
 * before its first delimiter line and after its close-delimiter line (RFC 2046 §5.1.1's preamble and epilogue),
 * where JavaMail writes its normalised preamble with the platform's line separator (a bare LF on Linux) and drops
 * the epilogue. The parts and delimiters are JavaMail's. {@link #setPreamble(String)} writes the preamble set.
 */
public class SplitMultipart extends MimeMultipart {
    /**
     * @param ds the multipart's body and Content-Type, as JavaMail's {@link MimeMultipart#MimeMultipart(DataSource)}
     * @throws MessagingException as JavaMail's constructor
     */
    public SplitMultipart(DataSource ds) throws MessagingException {
        super(ds);
    }

    /** Whether this class split the body (and so knows its preamble and epilogue bytes). */
    private boolean framed;
    /** The sender's bytes before the first delimiter line, line ends included; null when none or replaced. */
    private SharedInputStream rawPreamble;
    /** The sender's bytes after the close-delimiter line; null when none. */
    private SharedInputStream rawEpilogue;
    /** Whether the close delimiter line has more than blanks after its {@code --}. */
    private boolean closeWithText;
    /** Whether a lone CR ends a delimiter line, the line before one, or a line of a part's header. */
    private boolean loneCr;
    /** Whether a part's header block runs to the end of the body (no empty line ends it). */
    private boolean unendedHeader;
    /** Whether a line is the boundary, blanks, then other text: a delimiter to James's IMAP server, not to JavaMail. */
    private boolean delimiterWithText;

    @Override
    public synchronized void setPreamble(String preamble) throws MessagingException {
        super.setPreamble(preamble);
        rawPreamble = null;
    }

    /**
     * Writes the multipart as JavaMail does, except that a multipart split here keeps the sender's preamble and
     * epilogue bytes (see the class comment).
     *
     * @throws IOException        reading the body's preamble or epilogue, or writing
     * @throws MessagingException as {@link MimeMultipart#writeTo(OutputStream)}
     */
    @Override
    public synchronized void writeTo(OutputStream os) throws IOException, MessagingException {
        parse();
        if (!framed) {
            super.writeTo(os);
            return;
        }
        String normalised = preamble;
        if (rawPreamble != null) {
            copy(rawPreamble, os);
            preamble = null; // written above as sent
        }
        try {
            super.writeTo(os);
        } finally {
            preamble = normalised;
        }
        if (rawEpilogue != null) {
            copy(rawEpilogue, os);
        }
    }

    /**
     * Why readers other than JavaMail split this multipart otherwise, or null when nothing here says so:
     * <ul>
     *   <li>the close delimiter line has more than blanks after its final {@code --} ({@code --b--x}): RFC 2046
     *       §5.1.1 allows only transport padding there; JavaMail ends the multipart, readers such as Python's
     *       {@code email} take the line as content and read the parts after it;</li>
     *   <li>a CR not followed by LF ends a delimiter line, the line before one, or a line of a part's header block
     *       (or CR CR LF ends a later delimiter line or a part's header line): JavaMail ends a line there, James's
     *       IMAP server (mime4j) and most clients do not, so they find other delimiters or header fields;</li>
     *   <li>a line is the boundary, blanks and other text ({@code --b x}): content to JavaMail and Python, a
     *       delimiter to mime4j;</li>
     *   <li>a part's header block has no empty line before the end of the body: JavaMail drops the part (reading any
     *       delimiter line on the way as a header line), other readers show its lines as the part's body.</li>
     * </ul>
     * Always null for a multipart that JavaMail's own parse read (see the class comment).
     *
     * @throws MessagingException as {@link #getCount()}
     */
    public synchronized String readersSplitDifferently() throws MessagingException {
        parse();
        if (closeWithText) {
            return "close delimiter followed by text: readers end the multipart at different lines";
        }
        if (loneCr) {
            return "a lone CR ends a delimiter or header line: readers end lines at different places";
        }
        if (delimiterWithText) {
            return "a delimiter line with text after blanks: readers split the multipart at different lines";
        }
        if (unendedHeader) {
            return "a part's header runs to the end of the multipart: readers keep or drop the part";
        }
        return null;
    }

    /** @return whether {@link #writeTo} writes the sender's preamble and epilogue (this class split the body) */
    synchronized boolean framed() throws MessagingException {
        parse();
        return framed;
    }

    /** Writes as JavaMail's {@code writeTo} would: the equivalence tests compare it. */
    synchronized void writeToAsJavaMail(OutputStream os) throws IOException, MessagingException {
        super.writeTo(os);
    }

    /** Copies a slice without closing it: the slice stays open, as the parts' own slices do, to be written again. */
    private static void copy(SharedInputStream slice, OutputStream os) throws IOException {
        try (InputStream in = slice.newStream(0, -1)) {
            in.transferTo(os);
        }
    }

    /** JavaMail's data handler over a part's own bytes (as opposed to one over an object set on the part). */
    private static final String PART_DATA_HANDLER = "javax.mail.internet.MimeBodyPart$MimePartDataHandler";
    /** JavaMail's {@code mail.mime.cachemultipart}, read once as JavaMail does. */
    private static final boolean CACHE_MULTIPART = !"false".equalsIgnoreCase(System.getProperty("mail.mime.cachemultipart"));
    private static final Field MESSAGE_CACHED = cachedContentField(MimeMessage.class);
    private static final Field BODY_PART_CACHED = cachedContentField(MimeBodyPart.class);

    private static Field cachedContentField(Class<?> type) {
        try {
            Field f = type.getDeclaredField("cachedContent");
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /**
     * {@code part.getContent()}, except that a multipart JavaMail would read from the part's own bytes is a
     * {@link SplitMultipart} (read on first use, so a malformed one fails at {@code getCount()}; parts it creates
     * cache their nested multiparts as JavaMail's do, which in-place edits rely on). The content already cached
     * in {@code part}, content set on it, and anything but a multipart are JavaMail's. A {@link SplitMultipart}
     * made here for a part JavaMail created is not cached in that part.
     *
     * @throws MessagingException as {@link Part#getContent()}
     * @throws IOException        as {@link Part#getContent()}
     */
    public static Object contentOf(Part part) throws MessagingException, IOException {
        if (part instanceof SplitBodyPart) {
            return part.getContent();
        }
        Field cached = part instanceof MimeMessage ? MESSAGE_CACHED : part instanceof MimeBodyPart ? BODY_PART_CACHED : null;
        try {
            if (cached == null || cached.get(part) != null) {
                return part.getContent();
            }
        } catch (IllegalAccessException e) {
            return part.getContent();
        }
        if (!part.isMimeType("multipart/*")) {
            return part.getContent();
        }
        DataHandler dh = part.getDataHandler();
        if (dh == null || !PART_DATA_HANDLER.equals(dh.getClass().getName())) {
            return part.getContent();
        }
        Object c = dh.getContent();
        return c != null && c.getClass() == MimeMultipart.class ? new SplitMultipart(dh.getDataSource()) : c;
    }

    /** Parts read by {@link SplitMultipart}: their own multipart content is a {@link SplitMultipart} too. */
    @Override
    protected MimeBodyPart createMimeBodyPart(InputStream is) throws MessagingException {
        return new SplitBodyPart(is);
    }

    /**
     * A part whose {@link #getContent()} is JavaMail's, caching included, except that multipart content read
     * from the part's own bytes is a {@link SplitMultipart}.
     */
    static final class SplitBodyPart extends MimeBodyPart {
        SplitBodyPart(InputStream is) throws MessagingException {
            super(is);
        }

        @Override
        public Object getContent() throws IOException, MessagingException {
            if (cachedContent != null) {
                return cachedContent;
            }
            if (!isMimeType("multipart/*")) {
                return super.getContent();
            }
            DataHandler handler = getDataHandler();
            if (!PART_DATA_HANDLER.equals(handler.getClass().getName())) {
                return super.getContent();
            }
            Object c = handler.getContent();
            if (c == null || c.getClass() != MimeMultipart.class) {
                // JavaMail's own path for everything else (its folder-closed handling, attached messages)
                return super.getContent();
            }
            SplitMultipart split = new SplitMultipart(handler.getDataSource());
            if (CACHE_MULTIPART && (content != null || contentStream != null)) {
                cachedContent = split;
                split.getCount(); // JavaMail parses a multipart it caches at once
            }
            return split;
        }
    }

    @Override
    protected synchronized void parse() throws MessagingException {
        if (parsed) {
            return;
        }
        initializeProperties();
        if (!ignoreMissingEndBoundary || !ignoreMissingBoundaryParameter || ignoreExistingBoundaryParameter
                || allowEmpty || Boolean.getBoolean("mail.mime.allowutf8")) {
            super.parse();
            return;
        }
        InputStream in;
        try {
            in = ds.getInputStream();
        } catch (Exception e) {
            throw new MessagingException("No inputstream from datasource", e);
        }
        if (!(in instanceof SharedInputStream)) {
            closeQuietly(in);
            super.parse();
            return;
        }
        SharedInputStream shared = (SharedInputStream) in;
        try {
            String parameter = new ContentType(contentType).getParameter("boundary");
            if (parameter != null && !isAscii(parameter)) {
                closeQuietly(in);
                super.parse();
                return;
            }
            long base = shared.getPosition();
            byte[] body = in.readAllBytes();
            split(shared, base, body, parameter == null ? null : "--" + parameter);
        } catch (IOException e) {
            throw new MessagingException("IO Error", e);
        } finally {
            closeQuietly(in);
        }
    }

    private void split(SharedInputStream shared, long base, byte[] b, String boundaryOrNull)
            throws MessagingException {
        int n = b.length;
        int[] pos = {0};
        String boundary = boundaryOrNull;
        StringBuilder preambleText = null;
        String line;
        int lineStart = 0;
        while ((line = readLine(b, pos)) != null) {
            int i = line.length() - 1;
            while (i >= 0 && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
                i--;
            }
            line = line.substring(0, i + 1);
            if (boundary != null) {
                if (line.equals(boundary)) {
                    break;
                }
                delimiterWithText |= withTextAfterBlanks(line, boundary);
                if (line.length() == boundary.length() + 2 && line.startsWith(boundary) && line.endsWith("--")) {
                    line = null;
                    break;
                }
            } else if (line.length() > 2 && line.startsWith("--") && !(line.length() > 4 && allDashes(line))) {
                boundary = line;
                break;
            }
            if (line.length() > 0) {
                if (preambleText == null) {
                    preambleText = new StringBuilder(line.length() + 2);
                }
                preambleText.append(line).append(System.lineSeparator());
            }
            lineStart = pos[0];
        }
        if (preambleText != null) {
            preamble = preambleText.toString();
        }
        if (line == null) {
            throw new ParseException("Missing start boundary");
        }
        // a lone CR ending the first delimiter line or the line before it (elsewhere in the preamble it ends nothing
        // that matters: both readers take the preamble as one text)
        loneCr = ByteScan.hasLoneCr(b, Math.max(0, lineStart - 1), pos[0]);
        if (!isAscii(boundary)) {
            // a boundary guessed from a non-ASCII preamble line: JavaMail's search has its own rules there
            preamble = null;
            super.parse();
            return;
        }
        byte[] bnd = boundary.getBytes(StandardCharsets.ISO_8859_1);
        int bl = bnd.length;
        int epilogue = n;
        boolean done = false;
        while (!done) {
            int start = pos[0];
            String header;
            while ((header = readLine(b, pos)) != null && header.length() > 0) {
                // header lines are JavaMail's to parse, from the part's slice
            }
            if (header == null) {
                unendedHeader = pos[0] > start;
                complete = false;
                break;
            }
            int contentStart = pos[0];
            // a lone CR, or CR CR LF (an empty line to JavaMail, a line holding two CRs to mime4j), in the header
            loneCr |= ByteScan.hasCrWithoutLf(b, start, contentStart);
            int end = n;
            boolean found = false;
            int w = contentStart;
            while (w + bl <= n) {
                int next = w == contentStart || b[w - 1] == '\n' || b[w - 1] == '\r' ? delimiterAt(b, w, bnd)
                        : NO_DELIMITER;
                if (next != NO_DELIMITER) {
                    int eolLen = 0;
                    if (w > contentStart) {
                        eolLen = b[w - 1] == '\n' && w - 2 >= contentStart && b[w - 2] == '\r' ? 2 : 1;
                    }
                    end = w - eolLen;
                    found = true;
                    loneCr |= w > contentStart && b[w - 1] == '\r';
                    if (next == CLOSE) {
                        complete = true;
                        done = true;
                        epilogue = lineEnd(b, w + bl + 2);
                        int text = ByteScan.blanksEnd(b, w + bl + 2);
                        closeWithText = text < n && b[text] != '\r' && b[text] != '\n';
                        loneCr |= ByteScan.hasLoneCr(b, w, Math.min(epilogue, n));
                    } else {
                        pos[0] = next;
                        // a delimiter line ended by one CR (before another CR, a CR CR LF): JavaMail starts the part
                        // at the second CR, an empty line, so the part has no header; mime4j reads its header fields
                        loneCr |= b[next - 1] == '\r';
                    }
                    break;
                }
                if ((w == contentStart || b[w - 1] == '\n' || b[w - 1] == '\r') && w + bl < n
                        && (b[w + bl] == ' ' || b[w + bl] == '\t') && startsWith(b, w, bnd)) {
                    delimiterWithText = true; // the boundary, blanks, then text: a delimiter to mime4j only
                }
                // the next candidate: a '-' (every boundary starts with "--") that may start a line, i.e. follow a
                // CR or LF; a base64 body has none, so it is passed over eight bytes at a time, not line by line
                int dash = ByteScan.indexOf(b, (byte) '-', w + 1, n - bl + 1);
                if (dash < 0) {
                    break;
                }
                w = dash;
            }
            if (!found) {
                complete = false;
                done = true;
            }
            MimeBodyPart part;
            InputStream slice = shared.newStream(base + start, base + end);
            try {
                part = createMimeBodyPart(slice);
            } finally {
                closeQuietly(slice);
            }
            // MimeMultipart.addBodyPart parses first; the part list is being built by this parse
            parsed = true;
            try {
                addBodyPart(part);
            } finally {
                parsed = false;
            }
        }
        parsed = true;
        // JavaMail writes the parts under the boundary parameter: without one the guessed boundary is not written
        if (boundaryOrNull != null) {
            InputStream before = lineStart > 0 ? shared.newStream(base, base + lineStart) : null;
            InputStream after = epilogue < n ? shared.newStream(base + epilogue, base + n) : null;
            // JavaMail's shared streams slice into shared streams; another kind could not be read twice
            framed = (before == null || before instanceof SharedInputStream)
                    && (after == null || after instanceof SharedInputStream);
            rawPreamble = framed ? (SharedInputStream) before : null;
            rawEpilogue = framed ? (SharedInputStream) after : null;
        }
    }

    /**
     * @return the index after the line end at or after {@code from}, ended as {@link #readLine} ends lines (LF, CRLF,
     *     CR CR LF or a lone CR); the length without one
     */
    private static int lineEnd(byte[] b, int from) {
        int[] pos = {from};
        readLine(b, pos);
        return pos[0];
    }

    private static final int NO_DELIMITER = -1;
    private static final int CLOSE = -2;

    /**
     * Whether a delimiter line starts at {@code w} (which starts the content or follows CR or LF): the boundary,
     * then either "--" ({@link #CLOSE}, whatever follows) or spaces/tabs and CRLF, LF or a lone CR (the index
     * after that line); otherwise {@link #NO_DELIMITER}. The end of input after the boundary is no delimiter.
     */
    private static int delimiterAt(byte[] b, int w, byte[] bnd) {
        int n = b.length;
        if (!startsWith(b, w, bnd)) {
            return NO_DELIMITER;
        }
        int a = w + bnd.length;
        if (a < n && b[a] == '-') {
            return a + 1 < n && b[a + 1] == '-' ? CLOSE : NO_DELIMITER;
        }
        a = ByteScan.blanksEnd(b, a);
        if (a < n && b[a] == '\n') {
            return a + 1;
        }
        if (a < n && b[a] == '\r') {
            return a + 1 < n && b[a + 1] == '\n' ? a + 2 : a + 1;
        }
        return NO_DELIMITER;
    }

    private static boolean startsWith(byte[] b, int at, byte[] prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if (b[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * JavaMail's line reading (com.sun.mail.util.LineInputStream without UTF-8): a line ends at LF, CRLF,
     * CR CR LF or a lone CR; its bytes are latin-1 characters; null at the end of input with nothing read.
     */
    private static String readLine(byte[] b, int[] pos) {
        int p = pos[0];
        int n = b.length;
        if (p >= n) {
            return null;
        }
        int s = p;
        while (p < n && b[p] != '\n' && b[p] != '\r') {
            p++;
        }
        int e = p;
        if (p < n) {
            if (b[p] == '\n') {
                p++;
            } else {
                p++;
                if (p < n && b[p] == '\n') {
                    p++;
                } else if (p + 1 < n && b[p] == '\r' && b[p + 1] == '\n') {
                    p += 2;
                }
            }
        }
        pos[0] = p;
        return new String(b, s, e - s, StandardCharsets.ISO_8859_1);
    }

    /** @return whether {@code line} (trailing blanks removed) is {@code boundary}, blanks, then other text */
    private static boolean withTextAfterBlanks(String line, String boundary) {
        return line.length() > boundary.length() + 1 && line.startsWith(boundary)
                && (line.charAt(boundary.length()) == ' ' || line.charAt(boundary.length()) == '\t');
    }

    private static boolean allDashes(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) != '-') {
                return false;
            }
        }
        return true;
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // JavaMail ignores a failing close of the body stream too
        }
    }
}
