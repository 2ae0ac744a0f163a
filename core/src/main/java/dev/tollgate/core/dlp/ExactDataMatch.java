package dev.tollgate.core.dlp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Exact data match (EDM): finds values from an administrator-supplied list (customer numbers,
 * contract ids …) without keeping the values. Only salted SHA-256 digests are stored:
 * {@code SHA-256(salt || UTF-8(normalise(value)))}, with a random 16-byte salt per list.
 *
 * <p><b>Tokens and normalisation.</b> Text is split into tokens: maximal runs of letters and
 * digits (any script), where a single {@code '-'}, {@code '_'}, {@code '.'} or {@code '/'}
 * between two letters/digits joins the run ({@code CU-1234.56} is one token). A token is
 * normalised by dropping those joiners and lower-casing with {@link Locale#ROOT}; list values are
 * normalised the same way, so {@code CU-12345}, {@code cu12345} and {@code CU_12345} match each
 * other. Values must be a single token after trimming (no whitespace or other punctuation) and
 * at most {@value #MAX_VALUE_LENGTH} chars; the match is on the whole token only. Only tokens
 * whose normalised length and shape (digits only, no digits, or mixed) occur in the list are
 * hashed. This cheap pre-filter keeps ordinary words from being hashed; the file therefore
 * reveals each value's length and shape, not the value.
 *
 * <p><b>Digest file format</b> (UTF-8 text, written by {@link #writeTo}):
 * <pre>
 * tollgate-edm 1
 * salt &lt;32 hex chars&gt;
 * &lt;length&gt; &lt;shape: d|a|m&gt; &lt;64 hex chars SHA-256&gt;   (one line per value)
 * </pre>
 * Length counts the value's letters and digits (UTF-16 chars, joiners excluded, before case
 * folding). Shape {@code d}: digits only, {@code a}: no digits, {@code m}: both. Blank lines and lines
 * starting with {@code #} are ignored.
 *
 * <p>Findings: type {@link DetectorType#EXACT_DATA}, base confidence {@link Confidence#HIGH},
 * label is the list id, masked sample masks every letter/digit except the last two (all of them
 * for values shorter than 6). Immutable and thread-safe. Digest set lookups are hash-table
 * lookups on salted digests, which reveal nothing useful through timing.
 */
public final class ExactDataMatch extends Detector {
    /** Longest accepted value (normalised chars). */
    public static final int MAX_VALUE_LENGTH = 256;
    /** Most values per list. */
    public static final int MAX_VALUES = 5_000_000;

    private static final String MAGIC = "tollgate-edm 1";
    private static final int SALT_BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Shape codes by index: digits only, no digits (alphabetic), mixed. */
    private static final String SHAPES = "dam";

    /** A digest file that cannot be read; the message is {@code line N: reason}. */
    public static final class FormatException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final int line;
        private final String reason;

        FormatException(int line, String reason) {
            super("line " + line + ": " + reason);
            this.line = line;
            this.reason = reason;
        }

        /** @return 1-based line number (the last line for errors about the whole file) */
        public int line() {
            return line;
        }

        /** @return the reason without the line number */
        public String reason() {
            return reason;
        }
    }

    private final byte[] salt;
    private final Set<ByteBuffer> digests;
    private final List<String> lines;
    private final boolean[][] lengths;

    private ExactDataMatch(String id, byte[] salt, Set<ByteBuffer> digests, List<String> lines, boolean[][] lengths) {
        super(id, DetectorType.EXACT_DATA);
        this.salt = salt;
        this.digests = digests;
        this.lines = lines;
        this.lengths = lengths;
    }

    /**
     * Builds a list from plaintext values with a fresh random salt; the values are hashed and not
     * retained.
     *
     * @param id detector id, non-blank, used in findings (e.g. {@code "edm-customers"})
     * @param values the values; blank entries are skipped
     * @return the detector
     * @throws IllegalArgumentException if a value is not a single token, too long, or there are
     *     more than {@value #MAX_VALUES} values (the message never contains a value)
     */
    public static ExactDataMatch fromValues(String id, Collection<String> values) {
        checkId(id);
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        Set<ByteBuffer> digests = new HashSet<>();
        List<String> lines = new ArrayList<>();
        boolean[][] lengths = new boolean[3][MAX_VALUE_LENGTH + 1];
        MessageDigest md = Hit.newSha256();
        int index = 0;
        for (String v : values) {
            index++;
            if (v == null || v.trim().isEmpty()) {
                continue;
            }
            String joined = joinValue(v.trim(), index);
            byte[] d = digest(md, salt, joined.toLowerCase(Locale.ROOT));
            if (digests.add(ByteBuffer.wrap(d))) {
                int shape = shape(joined);
                lines.add(joined.length() + " " + SHAPES.charAt(shape) + " " + hex(d));
                lengths[shape][joined.length()] = true;
            }
            if (digests.size() > MAX_VALUES) {
                throw new IllegalArgumentException("more than " + MAX_VALUES + " values");
            }
        }
        return new ExactDataMatch(id, salt, Collections.unmodifiableSet(digests),
                Collections.unmodifiableList(lines), lengths);
    }

    /**
     * Loads a list from the digest file format described above.
     *
     * @param id detector id, non-blank
     * @param in the file contents; read to the end, not closed
     * @return the detector
     * @throws IOException if reading fails
     * @throws FormatException if the format is invalid (names the line number, never a digest)
     */
    public static ExactDataMatch load(String id, Reader in) throws IOException {
        checkId(id);
        BufferedReader r = in instanceof BufferedReader ? (BufferedReader) in : new BufferedReader(in);
        byte[] salt = null;
        boolean magic = false;
        Set<ByteBuffer> digests = new HashSet<>();
        List<String> lines = new ArrayList<>();
        boolean[][] lengths = new boolean[3][MAX_VALUE_LENGTH + 1];
        String line;
        int no = 0;
        while ((line = r.readLine()) != null) {
            no++;
            line = line.trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (!magic) {
                if (!line.equals(MAGIC)) {
                    throw new FormatException(no, "expected '" + MAGIC + "'");
                }
                magic = true;
                continue;
            }
            String[] parts = line.split(" ");
            if (salt == null) {
                if (parts.length != 2 || !parts[0].equals("salt")) {
                    throw new FormatException(no, "expected 'salt <hex>'");
                }
                salt = unhex(parts[1], SALT_BYTES, no);
                continue;
            }
            if (parts.length != 3 || parts[1].length() != 1 || SHAPES.indexOf(parts[1].charAt(0)) < 0) {
                throw new FormatException(no, "expected '<length> <d|a|m> <sha256 hex>'");
            }
            int shape = SHAPES.indexOf(parts[1].charAt(0));
            int len;
            try {
                len = Integer.parseInt(parts[0]);
            } catch (NumberFormatException e) {
                throw new FormatException(no, "bad length");
            }
            if (len < 1 || len > MAX_VALUE_LENGTH) {
                throw new FormatException(no, "length out of range");
            }
            byte[] d = unhex(parts[2], 32, no);
            if (digests.add(ByteBuffer.wrap(d))) {
                lines.add(len + " " + SHAPES.charAt(shape) + " " + hex(d));
                lengths[shape][len] = true;
            }
            if (digests.size() > MAX_VALUES) {
                throw new FormatException(no, "more than " + MAX_VALUES + " values");
            }
        }
        if (salt == null) {
            throw new FormatException(no, "missing header or salt");
        }
        return new ExactDataMatch(id, salt, Collections.unmodifiableSet(digests),
                Collections.unmodifiableList(lines), lengths);
    }

    /**
     * Writes this list in the digest file format (salt and digests only).
     *
     * @param out destination; flushed, not closed
     * @throws IOException if writing fails
     */
    public void writeTo(Writer out) throws IOException {
        out.write(MAGIC);
        out.write('\n');
        out.write("salt " + hex(salt) + '\n');
        for (String l : lines) {
            out.write(l);
            out.write('\n');
        }
        out.flush();
    }

    /** @return number of distinct values in the list */
    public int size() {
        return digests.size();
    }

    /**
     * @param value a candidate value
     * @return true if the value, normalised, is in the list; false for blank or multi-token input
     */
    public boolean contains(String value) {
        if (value == null) {
            return false;
        }
        String norm;
        try {
            norm = joinValue(value.trim(), 0).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return !norm.isEmpty() && digests.contains(ByteBuffer.wrap(digest(Hit.newSha256(), salt, norm)));
    }

    @Override
    boolean triggersOn(char c, char next) {
        return Chars.isAsciiAlnum(c);
    }

    @Override
    boolean triggersOnNonAscii() {
        return true;
    }

    @Override
    int detect(CharSequence text, int pos, int limit, Hit hit) {
        int i = pos;
        int n = 0;
        int digits = 0;
        while (i < limit) {
            char c = text.charAt(i);
            if (Chars.isDigit(c)) {
                n++;
                digits++;
                i++;
            } else if (Chars.isWordChar(c)) {
                n++;
                i++;
            } else if (isJoiner(c) && i + 1 < limit && Chars.isWordChar(text.charAt(i + 1))) {
                i++;
            } else {
                break;
            }
        }
        if (n > MAX_VALUE_LENGTH || !lengths[digits == n ? 0 : digits == 0 ? 1 : 2][n]
                || !Chars.boundaryAt(text, i, limit)) {
            return i;
        }
        StringBuilder sb = new StringBuilder(n);
        for (int k = pos; k < i; k++) {
            char c = text.charAt(k);
            if (!isJoiner(c)) {
                sb.append(c);
            }
        }
        String norm = sb.toString().toLowerCase(Locale.ROOT);
        if (!digests.contains(ByteBuffer.wrap(digest(hit.sha256(), salt, norm)))) {
            return i;
        }
        hit.set(pos, i, Confidence.HIGH, id(), mask(text, pos, i, n));
        return i;
    }

    private static String mask(CharSequence text, int start, int end, int wordChars) {
        StringBuilder sb = new StringBuilder(end - start);
        int k = 0;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (isJoiner(c)) {
                sb.append(c);
            } else {
                sb.append(wordChars >= 6 && k >= wordChars - 2 ? c : '*');
                k++;
            }
        }
        return sb.toString();
    }

    /** @return 0 digits only, 1 no digits, 2 mixed (index into {@link #SHAPES}) */
    private static int shape(String joined) {
        int digits = 0;
        for (int i = 0; i < joined.length(); i++) {
            if (Chars.isDigit(joined.charAt(i))) {
                digits++;
            }
        }
        return digits == joined.length() ? 0 : digits == 0 ? 1 : 2;
    }

    private static boolean isJoiner(char c) {
        return c == '-' || c == '_' || c == '.' || c == '/';
    }

    /**
     * Drops joiners from one list value (no case folding yet); index is only used in error
     * messages, never the value.
     */
    private static String joinValue(String v, int index) {
        StringBuilder sb = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (Chars.isWordChar(c)) {
                sb.append(c);
            } else if (isJoiner(c) && i > 0 && i + 1 < v.length()
                    && Chars.isWordChar(v.charAt(i - 1)) && Chars.isWordChar(v.charAt(i + 1))) {
                continue;
            } else {
                throw new IllegalArgumentException("value #" + index + " is not a single token");
            }
        }
        if (sb.length() > MAX_VALUE_LENGTH) {
            throw new IllegalArgumentException("value #" + index + " is longer than " + MAX_VALUE_LENGTH);
        }
        return sb.toString();
    }

    private static byte[] digest(MessageDigest md, byte[] salt, String norm) {
        md.reset();
        md.update(salt);
        return md.digest(norm.getBytes(StandardCharsets.UTF_8));
    }

    private static void checkId(String id) {
        Objects.requireNonNull(id, "id");
        if (id.trim().isEmpty()) {
            throw new IllegalArgumentException("blank id");
        }
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length * 2);
        for (byte x : b) {
            sb.append(Character.forDigit((x >> 4) & 0xF, 16)).append(Character.forDigit(x & 0xF, 16));
        }
        return sb.toString();
    }

    private static byte[] unhex(String s, int bytes, int line) {
        if (s.length() != bytes * 2) {
            throw new FormatException(line, "expected " + bytes * 2 + " hex chars");
        }
        byte[] out = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            int hi = Character.digit(s.charAt(2 * i), 16);
            int lo = Character.digit(s.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                throw new FormatException(line, "invalid hex");
            }
            out[i] = (byte) (hi << 4 | lo);
        }
        return out;
    }

    @Override
    public String toString() {
        return "ExactDataMatch[" + id() + ", " + digests.size() + " digests]";
    }
}
