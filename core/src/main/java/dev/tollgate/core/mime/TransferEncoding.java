package dev.tollgate.core.mime;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;

import javax.mail.MessagingException;
import javax.mail.internet.MimePart;
import javax.mail.internet.MimeUtility;

/**
 * Content-Transfer-Encoding (RFC 2045 §6): the one place that normalises the token, decodes a body and
 * encodes a replaced body with the encoding it arrived in.
 *
 * <p>Tokens are handled normalised: trimmed and lower case (RFC 2045 §6.1 makes them case-insensitive). A part
 * without the header, or with an empty one, is {@link #DEFAULT} ({@code 7bit}, RFC 2045 §6.1).
 *
 * <p>Quoted-printable written here (RFC 2045 §6.7): every output line is at most 76 characters including a soft
 * line break {@code =}; an {@code =XX} escape is never split by a soft break; a CRLF in the data is a hard line
 * break, a lone LF or CR is written {@code =0A} or {@code =0D}, so that the decoded bytes are the data's (rule 4
 * keeps hard breaks for CRLF); a space or tab before a hard line break is escaped; a {@code .} at the start of a
 * line is written {@code =2E} and the {@code F} of a line starting {@code From } is written {@code =46},
 * so the body survives SMTP servers that do not dot-stuff and mbox storage unchanged.
 */
public final class TransferEncoding {
    /** The encoding of a part without a Content-Transfer-Encoding header (RFC 2045 §6.1). */
    public static final String DEFAULT = "7bit";
    /** RFC 2045 §6.7. */
    public static final String QUOTED_PRINTABLE = "quoted-printable";
    /** RFC 2045 §6.8. */
    public static final String BASE64 = "base64";
    /** Longest quoted-printable line, soft break included (RFC 2045 §6.7 rule 5). */
    public static final int QP_MAX_LINE = 76;
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private TransferEncoding() {
    }

    /**
     * @param headerValue a Content-Transfer-Encoding value (comments already removed), or null when absent
     * @return the token trimmed and lower case; {@link #DEFAULT} for null or blank
     */
    public static String normalize(String headerValue) {
        if (headerValue == null || headerValue.isBlank()) {
            return DEFAULT;
        }
        return headerValue.strip().toLowerCase(Locale.ROOT);
    }

    /**
     * @return the part's normalised token ({@link #normalize}); JavaMail removes RFC 822 comments
     * @throws MessagingException when the header cannot be read
     */
    public static String of(MimePart part) throws MessagingException {
        return normalize(part.getEncoding());
    }

    /** @return whether {@code token} (normalised) leaves the bytes as they are: {@code 7bit}, {@code 8bit}, {@code binary} */
    public static boolean isIdentity(String token) {
        return token.equals("7bit") || token.equals("8bit") || token.equals("binary");
    }

    /**
     * Most octets a line may hold before its CRLF (RFC 5322 §2.1.1, RFC 5321 §4.5.3.1.6): a relay may break a longer
     * line or refuse the message. An identity encoding (7bit, 8bit, binary) carries its lines as they are.
     */
    public static final int MAX_LINE_OCTETS = 998;

    /**
     * @param data body bytes
     * @return the length in octets of the longest line of {@code data}: up to each LF, the LF and a CR before it not
     *     counted (a lone CR is data, as in RFC 5322 §2.3; a bare LF ends a line, as relays read it)
     */
    public static int longestLine(byte[] data) {
        int longest = 0;
        int from = 0;
        while (true) {
            int end = ByteScan.indexOfLf(data, from, data.length);
            int stop = end < 0 ? data.length : end > from && data[end - 1] == '\r' ? end - 1 : end;
            longest = Math.max(longest, stop - from);
            if (end < 0) {
                return longest;
            }
            from = end + 1;
        }
    }

    /** @return whether {@code token} (normalised) is one of the encodings (RFC 2045 §6.2, §6.7, §6.8) that change the bytes */
    public static boolean isEncoding(String token) {
        return token.equals(QUOTED_PRINTABLE) || token.equals(BASE64);
    }

    /** @return whether {@link #encode} can write {@code token} (normalised): identity, quoted-printable, base64 */
    public static boolean canEncode(String token) {
        return isIdentity(token) || isEncoding(token);
    }

    /**
     * Encodes {@code data} with {@code token}.
     *
     * @param token a Content-Transfer-Encoding, normalised here ({@link #normalize}); identity encodings return
     *              the data unchanged
     * @throws IllegalArgumentException for a token {@link #canEncode} refuses
     */
    public static byte[] encode(byte[] data, String token) {
        String e = normalize(token);
        if (e.equals(QUOTED_PRINTABLE)) {
            return quotedPrintableBytes(data);
        }
        if (e.equals(BASE64)) {
            return base64(data).getBytes(StandardCharsets.US_ASCII);
        }
        if (isIdentity(e)) {
            return data;
        }
        throw new IllegalArgumentException("unknown Content-Transfer-Encoding " + e);
    }

    /**
     * Encoded base64 bodies up to this size are decoded at once by the JDK's MIME decoder, several times faster
     * than JavaMail's stream; larger ones stream through JavaMail so that memory stays bounded.
     */
    static final int BUFFERED_BASE64_MAX = 8 * 1024 * 1024;

    /**
     * A decoding view of {@code encoded}: base64 up to {@link #BUFFERED_BASE64_MAX} encoded bytes with the JDK's
     * MIME decoder ({@link Base64#getMimeDecoder()}: characters outside the alphabet ignored, RFC 2045 §6.8);
     * what it refuses (padding inside the data, a dangling character) and longer bodies with JavaMail's lenient
     * decoder, which gives the same bytes wherever both accept the data (the JDK's also reads a body whose final
     * padding is missing, which JavaMail's refuses); quoted-printable as {@link #decodeQuotedPrintableLenient}
     * decodes it, as a stream ({@code QuotedPrintableStream}: its read throws an {@link IOException} after more than
     * a mebibyte of blanks in a row); uuencode and identities with JavaMail's decoders.
     *
     * @param token a Content-Transfer-Encoding (normalised here)
     * @throws MessagingException for a token JavaMail does not know
     * @throws IOException        when a base64 body cannot be read
     */
    public static InputStream decode(InputStream encoded, String token) throws MessagingException, IOException {
        if (normalize(token).equals(QUOTED_PRINTABLE)) {
            // as RFC 2045 §6.7 says, as the text parts are read: JavaMail's decoder keeps transport padding, and a
            // soft break padded with blanks as an '=' and a line break
            return new QuotedPrintableStream(encoded);
        }
        if (!normalize(token).equals(BASE64)) {
            return MimeUtility.decode(encoded, token);
        }
        if (encoded.available() > BUFFERED_BASE64_MAX) {
            return new ZeroLengthReads(MimeUtility.decode(encoded, token));
        }
        byte[] head = readUpTo(encoded, BUFFERED_BASE64_MAX + 1);
        if (head.length > BUFFERED_BASE64_MAX) {
            return new ZeroLengthReads(MimeUtility.decode(
                    new SequenceInputStream(new ByteArrayInputStream(head), encoded), token));
        }
        try {
            return new ByteArrayInputStream(decodeBase64(head));
        } catch (IllegalArgumentException strictDecoderRefused) {
            return new ZeroLengthReads(MimeUtility.decode(new ByteArrayInputStream(head), token));
        }
    }

    /**
     * Base64 as {@link Base64#getMimeDecoder()} decodes it: the common body, lines of the alphabet separated by line
     * breaks, is decoded by the JDK's basic decoder once the line breaks are dropped (the MIME decoder first scans the
     * whole body byte by byte to size its output); a body with anything else outside the alphabet goes to the MIME
     * decoder, as does padding ({@code ==}) split by a line break, which the MIME decoder refuses. Both give the same
     * bytes, or both refuse, on every body.
     *
     * @throws IllegalArgumentException when the MIME decoder refuses the body
     */
    static byte[] decodeBase64(byte[] encoded) {
        byte[] compact = new byte[encoded.length];
        int n = 0;
        int from = 0;
        int width = ByteScan.indexOfLineBreak(encoded, 0, encoded.length);
        if (width > 0) {
            // most bodies are lines of one width, each ended by CRLF: such lines are copied without searching them
            // (a line break inside one is copied too, and the basic decoder refuses it: the MIME decoder reads the body)
            while (from + width + 2 <= encoded.length && encoded[from + width] == '\r'
                    && encoded[from + width + 1] == '\n') {
                System.arraycopy(encoded, from, compact, n, width);
                n += width;
                from += width + 2;
            }
        }
        while (from < encoded.length) {
            int eol = ByteScan.indexOfLineBreak(encoded, from, encoded.length);
            int end = eol < 0 ? encoded.length : eol;
            System.arraycopy(encoded, from, compact, n, end - from);
            n += end - from;
            from = end + 1;
        }
        if (n >= 2 && compact[n - 1] == '=' && compact[n - 2] == '=' && !paddingTogether(encoded)) {
            // the MIME decoder refuses "==" split by a line break; the basic one would not see the break
            return Base64.getMimeDecoder().decode(encoded);
        }
        try {
            return Base64.getDecoder().decode(n == compact.length ? compact : Arrays.copyOf(compact, n));
        } catch (IllegalArgumentException notPlainBase64) {
            return Base64.getMimeDecoder().decode(encoded);
        }
    }

    /** Whether the body's last {@code =} directly follows another. */
    private static boolean paddingTogether(byte[] encoded) {
        int last = encoded.length - 1;
        while (last >= 0 && encoded[last] != '=') {
            last--;
        }
        return last > 0 && encoded[last - 1] == '=';
    }

    /**
     * @return the stream's bytes up to {@code max}: one copy when the stream knows its length (a body inside a
     *         buffered message), else read in chunks
     */
    private static byte[] readUpTo(InputStream in, int max) throws IOException {
        int known = in.available();
        if (known <= 0 || known >= max) {
            return in.readNBytes(max);
        }
        byte[] bytes = new byte[known];
        int n = in.readNBytes(bytes, 0, known);
        int next = n == known ? in.read() : -1;
        if (n == known && next < 0) {
            return bytes;
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream(Math.max(32, n + 1));
        all.write(bytes, 0, n);
        if (next >= 0) {
            all.write(next);
            all.write(in.readNBytes(max - n - 1));
        }
        return all.toByteArray();
    }

    /**
     * JavaMail's base64 decoder answers a read of zero bytes with -1 (end of data), and
     * {@link InputStream#readAllBytes()} asks for zero bytes whenever its 8 KiB buffer is full: without this,
     * every base64 body read that way would stop after 8,192 bytes.
     */
    private static final class ZeroLengthReads extends FilterInputStream {
        ZeroLengthReads(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return len == 0 ? 0 : in.read(b, off, len);
        }
    }

    /** MIME base64 (RFC 2045 §6.8): lines of 76 characters separated by CRLF (the enclosing part ends the last). */
    public static String base64(byte[] data) {
        return Base64.getMimeEncoder(76, new byte[] {'\r', '\n'}).encodeToString(data);
    }

    /** Quoted-printable as described in the class documentation, as US-ASCII bytes. */
    public static byte[] quotedPrintableBytes(byte[] data) {
        byte[] out = new byte[data.length + data.length / 8 + 16];
        int o = 0;
        int lineLength = 0;
        int i = 0;
        while (i < data.length) {
            if (lineLength > 0) {
                // Away from a line start (the '.' and "From " rules) and from the column where a soft break could
                // be needed, and before the last byte, a byte's encoding needs no look-ahead beyond the next byte:
                // printable ASCII other than '=' as it is, a space or tab as it is when no CR or LF follows, any
                // other byte but CR and LF as =XX. The byte loop below gives the same bytes, one at a time with
                // every rule; this loop leaves it line starts, line ends, CRs and the last columns of a line.
                if (out.length - o < QP_MAX_LINE + 8) {
                    out = Arrays.copyOf(out, Math.max(out.length * 2, o + QP_MAX_LINE + 8));
                }
                int last = data.length - 1;
                while (i < last) {
                    byte c = data[i];
                    int width = widthInLine(c, data[i + 1]);
                    if (width == 0 || lineLength + width > QP_MAX_LINE - 1) {
                        break;
                    }
                    if (width == 1) {
                        out[o++] = c;
                    } else {
                        out[o++] = '=';
                        out[o++] = (byte) HEX[(c >> 4) & 0xf];
                        out[o++] = (byte) HEX[c & 0xf];
                    }
                    lineLength += width;
                    i++;
                }
            }
            if (out.length - o < 8) {
                out = Arrays.copyOf(out, out.length * 2);
            }
            int b = data[i] & 0xff;
            if (b == '\r' && i + 1 < data.length && data[i + 1] == '\n') {
                out[o++] = '\r';
                out[o++] = '\n';
                lineLength = 0;
                i += 2;
                continue;
            }
            // a lone LF or CR is data, not a line break: written =0A or =0D like any other control char (rule 1),
            // so that decoding gives it back (a hard break would give CRLF)
            boolean lineEndNext = i + 1 >= data.length
                    || data[i + 1] == '\r' && i + 2 < data.length && data[i + 2] == '\n';
            boolean escape;
            if (b == ' ' || b == '\t') {
                escape = lineEndNext;
            } else if (b == '.' && lineLength == 0) {
                escape = true;
            } else if (b == 'F' && lineLength == 0 && startsWith(data, i, "From ")) {
                escape = true;
            } else {
                escape = b < 33 || b > 126 || b == '=';
            }
            int width = escape ? 3 : 1;
            // keep room for the soft break '=' unless this is the last character of the line
            int limit = lineEndNext ? QP_MAX_LINE : QP_MAX_LINE - 1;
            if (lineLength + width > limit) {
                out[o++] = '=';
                out[o++] = '\r';
                out[o++] = '\n';
                lineLength = 0;
                if (b == '.' || b == 'F' && startsWith(data, i, "From ")) {
                    escape = true;
                    width = 3;
                }
            }
            if (escape) {
                out[o++] = '=';
                out[o++] = (byte) HEX[b >> 4];
                out[o++] = (byte) HEX[b & 0xf];
            } else {
                out[o++] = (byte) b;
            }
            lineLength += width;
            i++;
        }
        return Arrays.copyOf(out, o);
    }

    /**
     * @return the columns {@code b}, followed by {@code next}, takes in the middle of an encoded line (RFC 2045
     *     §6.7 rules 1 to 3): 1 for printable ASCII other than {@code =} and for a space or tab that does not end its
     *     line, 3 for any other byte but CR and LF ({@code =XX}), 0 for CR, LF and a space or tab before either,
     *     which only the byte loop of {@link #quotedPrintableBytes} encodes
     */
    private static int widthInLine(byte b, byte next) {
        if (b > ' ' && b < 127) {
            return b == '=' ? 3 : 1;
        }
        if (b == ' ' || b == '\t') {
            return next == '\r' || next == '\n' ? 0 : 1;
        }
        return b == '\r' || b == '\n' ? 0 : 3;
    }

    /**
     * Decodes quoted-printable as RFC 2045 §6.7 tells a decoder to: {@code =XX} escapes (either case), soft breaks
     * {@code =CRLF} (or {@code =LF}), CRLF or LF hard breaks (kept as written), and white space at the end of an
     * encoded line deleted (rule 3: transport padding), so that {@code =} followed by spaces or tabs and a line break
     * is a soft break too, as a client that follows the RFC shows it; an {@code =} (and blanks) ending the data is a
     * soft break as well (the last line of a body part, whose CRLF belongs to the boundary that follows).
     *
     * @return the decoded bytes, or null when the data has a malformed escape (an {@code =} followed by neither
     *     two hex digits nor a line break): the caller then decodes with {@link #decodeQuotedPrintableLenient}
     */
    public static byte[] decodeQuotedPrintableStrict(byte[] data) {
        return decodeQuotedPrintable(data, false);
    }

    /**
     * {@link #decodeQuotedPrintableStrict}, with a malformed escape (an {@code =} followed by neither two hex digits
     * nor blanks and a line break) kept as the {@code =} it is, as mail clients show it; every other rule applies, so
     * that text split by a soft break padded with blanks reads as one, as the reader sees it.
     *
     * @return the decoded bytes, never null
     */
    public static byte[] decodeQuotedPrintableLenient(byte[] data) {
        return decodeQuotedPrintable(data, true);
    }

    private static byte[] decodeQuotedPrintable(byte[] data, boolean lenient) {
        byte[] out = new byte[data.length];
        int o = 0;
        // out[floor, o) holds only bytes copied as they are since the last escape or line break: white space at its
        // end is what rule 3 deletes when a line break or the end of the data follows
        int floor = 0;
        int n = data.length;
        int i = 0;
        while (true) {
            int special = ByteScan.indexOfLineBreakOr(data, (byte) '=', i, n);
            int stop = special < 0 ? n : special;
            System.arraycopy(data, i, out, o, stop - i);
            o += stop - i;
            i = stop;
            if (i == n) {
                o = trailingBlanksDeleted(out, floor, o);
                break;
            }
            byte b = data[i];
            // an escape first, the usual case (a hex digit is neither a blank nor a line break, so the soft break
            // tests below could not have matched); escapes in a row, as each non-ASCII char of UTF-8 text gives,
            // are read here without a new search
            int hi;
            int lo;
            if (b == '=' && i + 2 < n && (hi = hex(data[i + 1])) >= 0 && (lo = hex(data[i + 2])) >= 0) {
                do {
                    out[o++] = (byte) (hi << 4 | lo);
                    i += 3;
                } while (i + 2 < n && data[i] == '=' && (hi = hex(data[i + 1])) >= 0 && (lo = hex(data[i + 2])) >= 0);
            } else if (b == '=') {
                int j = ByteScan.blanksEnd(data, i + 1);
                if (j < n && data[j] == '\n') {
                    i = j + 1;
                } else if (j + 1 < n && data[j] == '\r' && data[j + 1] == '\n') {
                    i = j + 2;
                } else if (j == n) {
                    i = n; // a soft break ending the data
                } else if (lenient) {
                    out[o++] = '=';
                    i++;
                } else {
                    return null;
                }
            } else if (b == '\n' || i + 1 < n && data[i + 1] == '\n') {
                // a hard line break, LF or CRLF, kept as written
                o = trailingBlanksDeleted(out, floor, o);
                int end = b == '\n' ? i + 1 : i + 2;
                while (i < end) {
                    out[o++] = data[i++];
                }
            } else {
                out[o++] = b; // a CR not followed by LF is data
                i++;
            }
            floor = o;
        }
        return Arrays.copyOf(out, o);
    }

    /** @return {@code to} less the spaces and tabs that end {@code out[floor, to)} */
    private static int trailingBlanksDeleted(byte[] out, int floor, int to) {
        int o = to;
        while (o > floor && (out[o - 1] == ' ' || out[o - 1] == '\t')) {
            o--;
        }
        return o;
    }

    /**
     * Re-encodes a changed quoted-printable body line by line: a hard line (RFC 2045 §6.7 rule 4) whose decoded
     * bytes did not change keeps its original encoded bytes; in a changed one, the encoded soft lines wholly before
     * and after the change are kept and the bytes between are encoded as {@link #quotedPrintableBytes} would
     * (the whole line so when its encoding cannot be mapped). Cheaper than encoding the whole part, and what did not
     * change stays byte for byte as the sender wrote it.
     *
     * @param raw        the original encoded body, CRLF line breaks
     * @param oldDecoded {@code raw} decoded
     * @param newDecoded the changed decoded body, with the same number of CRLF line breaks
     * @return the encoded body, or null when the shapes do not allow it (lone LF or CR, encoded line breaks
     *     {@code =0D}/{@code =0A}, a different number of lines): then encode the whole part
     */
    public static byte[] requotePrintable(byte[] raw, byte[] oldDecoded, byte[] newDecoded) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(requotedCapacity(raw, oldDecoded, newDecoded));
        return requotePrintable(raw, oldDecoded, newDecoded, out) ? out.toByteArray() : null;
    }

    /**
     * As {@link #requotePrintable(byte[], byte[], byte[])}, appending the encoded body to {@code out}.
     *
     * @return false, having written nothing, when the shapes do not allow it (then encode the whole part)
     */
    public static boolean requotePrintable(byte[] raw, byte[] oldDecoded, byte[] newDecoded, ByteArrayOutputStream out) {
        int[] rawLines = hardLines(raw, true);
        int[] oldLines = hardLines(oldDecoded, false);
        int[] newLines = hardLines(newDecoded, false);
        if (rawLines == null || oldLines == null || newLines == null || rawLines.length != oldLines.length
                || oldLines.length != newLines.length) {
            return false;
        }
        int rawAt = 0;
        int oldAt = 0;
        int newAt = 0;
        for (int k = 0; k < rawLines.length; k++) {
            if (k > 0) {
                out.write('\r');
                out.write('\n');
            }
            if (Arrays.equals(oldDecoded, oldAt, oldLines[k], newDecoded, newAt, newLines[k])) {
                out.write(raw, rawAt, rawLines[k] - rawAt);
            } else if (!requoteChangedSoftLines(out, raw, rawAt, rawLines[k], oldDecoded, oldAt, oldLines[k], newDecoded,
                    newAt, newLines[k])) {
                byte[] line = quotedPrintableBytes(Arrays.copyOfRange(newDecoded, newAt, newLines[k]));
                out.write(line, 0, line.length);
            }
            rawAt = rawLines[k] + 2;
            oldAt = oldLines[k] + 2;
            newAt = newLines[k] + 2;
        }
        return true;
    }

    /**
     * Room for {@link #requotePrintable}'s output, enough in the usual case (a change that adds bytes the sender's
     * encoding did not escape): the sender's encoded bytes, three bytes (an escape) for each byte the change added,
     * and their soft line breaks. A larger output only makes the buffer grow.
     *
     * @return a capacity in bytes, at most {@link Integer#MAX_VALUE} - 8
     */
    public static int requotedCapacity(byte[] raw, byte[] oldDecoded, byte[] newDecoded) {
        long grown = Math.max(0, (long) newDecoded.length - oldDecoded.length);
        return (int) Math.min(Integer.MAX_VALUE - 8, raw.length + 3 * grown + grown / 8 + 16);
    }

    /**
     * Encodes one changed hard line, keeping the sender's encoded soft lines (RFC 2045 §6.7 rule 5: lines ending in
     * {@code =CRLF}) that lie wholly before the first changed byte or wholly after the last one; the decoded bytes
     * between are encoded as {@link #quotedPrintableBytes} encodes them, from the start of a soft line, and joined
     * to the kept soft lines after them by a soft break. A link rewritten in a paragraph-long line then costs the
     * encoding of the soft lines around it, not of the whole paragraph.
     *
     * @param raw    the encoded body; the line is {@code raw[rawFrom, rawTo)}, without its CRLF
     * @param oldD   the decoded body; the line's old bytes are {@code oldD[oldFrom, oldTo)}
     * @param newD   the changed decoded body; the line's new bytes are {@code newD[newFrom, newTo)}
     * @return false, having written nothing, when the line's encoding does not map onto its decoded bytes (then
     *     encode the whole line)
     */
    private static boolean requoteChangedSoftLines(ByteArrayOutputStream out, byte[] raw, int rawFrom, int rawTo,
            byte[] oldD, int oldFrom, int oldTo, byte[] newD, int newFrom, int newTo) {
        int oldLength = oldTo - oldFrom;
        int newLength = newTo - newFrom;
        int prefix = Arrays.mismatch(oldD, oldFrom, oldTo, newD, newFrom, newTo);
        if (prefix < 0) {
            return false; // the line did not change
        }
        int suffix = 0;
        int most = Math.min(oldLength, newLength) - prefix;
        while (suffix + 32 <= most && Arrays.equals(oldD, oldTo - suffix - 32, oldTo - suffix, newD,
                newTo - suffix - 32, newTo - suffix)) {
            suffix += 32;
        }
        while (suffix < most && oldD[oldTo - 1 - suffix] == newD[newTo - 1 - suffix]) {
            suffix++;
        }
        // The decoded offset at each soft break. The body was decoded strictly and its hard lines matched the
        // decoded ones, so inside this line every LF ends a soft break "=CRLF" (a soft break padded with blanks
        // would have counted as a hard line) and every other '=' starts an escape of three bytes for one; the
        // decoded length is checked against the line's at the end all the same.
        int decoded = 0;
        int at = rawFrom;
        int keepBefore = rawFrom;
        int keptDecoded = 0;
        int keepFrom = -1;
        int keepFromDecoded = -1;
        while (true) {
            int lf = ByteScan.indexOf(raw, (byte) '\n', at, rawTo);
            if (lf < 0) {
                break;
            }
            if (lf - 2 < at || raw[lf - 1] != '\r' || raw[lf - 2] != '=') {
                return false;
            }
            decoded += lf - 2 - at - 2 * ByteScan.count(raw, (byte) '=', at, lf - 2);
            at = lf + 1;
            if (decoded <= prefix) {
                keepBefore = at;
                keptDecoded = decoded;
            }
            if (keepFrom < 0 && decoded >= oldLength - suffix) {
                keepFrom = at;
                keepFromDecoded = decoded;
            }
        }
        // the last soft line: blanks after its last escape and before the line's end are padding (rule 3); an '='
        // and blanks ending the body are a soft break (the last line of a body part)
        int lastEscape = ByteScan.lastIndexOf(raw, (byte) '=', at, rawTo);
        int end = rawTo;
        if (lastEscape >= 0 && rawTo == raw.length && ByteScan.blanksEnd(raw, lastEscape + 1) == rawTo) {
            decoded += lastEscape - at - 2 * ByteScan.count(raw, (byte) '=', at, lastEscape);
        } else {
            int floor = lastEscape < 0 ? at : lastEscape + 3;
            while (end > floor && (raw[end - 1] == ' ' || raw[end - 1] == '\t')) {
                end--;
            }
            decoded += end - at - 2 * ByteScan.count(raw, (byte) '=', at, rawTo);
        }
        if (decoded != oldLength) {
            return false;
        }
        if (keepFrom < 0) {
            keepFrom = rawTo;
            keepFromDecoded = oldLength;
        }
        int middleFrom = newFrom + keptDecoded;
        int middleTo = newFrom + keepFromDecoded + newLength - oldLength;
        out.write(raw, rawFrom, keepBefore - rawFrom);
        if (middleTo > middleFrom && keepFrom < rawTo) {
            // encoded with one more byte after it, so that its last line leaves a column for the soft break and a
            // blank at its end stays as it is (the soft break follows it); the extra byte is then left out
            byte[] middle = Arrays.copyOfRange(newD, middleFrom, middleTo + 1);
            middle[middle.length - 1] = 'x';
            byte[] encoded = quotedPrintableBytes(middle);
            int length = encoded.length - 1;
            out.write(encoded, 0, length);
            if (!(length >= 3 && encoded[length - 1] == '\n' && encoded[length - 3] == '=')) {
                out.write('=');
                out.write('\r');
                out.write('\n');
            }
        } else if (middleTo > middleFrom) {
            byte[] encoded = quotedPrintableBytes(Arrays.copyOfRange(newD, middleFrom, middleTo));
            out.write(encoded, 0, encoded.length);
        }
        out.write(raw, keepFrom, rawTo - keepFrom);
        return true;
    }

    /**
     * @return the end offset of each line (the offset of its CRLF, or the data length for the last line), or
     *     null for a lone CR or LF, or, in encoded data, an escaped CR or LF
     */
    static int[] hardLines(byte[] data, boolean encoded) {
        // eight bytes per step: a word with no CR, no LF and (encoded) no "=0" is skipped whole, and in a word with
        // some only those bytes are looked at; about one word in ten holds a line break, and "=0" (an escaped
        // control char) is rare
        int[] ends = new int[64];
        int count = 0;
        int n = data.length;
        int i = 0;
        // a word is read only while the byte after it is there too (the "=0" test looks one byte ahead)
        for (; i + 9 <= n; i += 8) {
            long word = ByteScan.word(data, i);
            long marks = ByteScan.bytesEqual(word, '\n') | ByteScan.bytesEqual(word, '\r');
            if (encoded) {
                marks |= ByteScan.bytesEqual(word, '=') & ByteScan.bytesEqual(ByteScan.word(data, i + 1), '0');
            }
            // only the marked bytes: every other byte is data
            for (; marks != 0; marks &= marks - 1) {
                int at = i + (Long.numberOfTrailingZeros(marks) >>> 3);
                count = hardLineMark(data, at, encoded, ends, count);
                if (count < 0) {
                    return null;
                }
                if (count == ends.length) {
                    ends = Arrays.copyOf(ends, count * 2);
                }
            }
        }
        for (; i < n; i++) {
            count = hardLineMark(data, i, encoded, ends, count);
            if (count < 0) {
                return null;
            }
            if (count == ends.length) {
                ends = Arrays.copyOf(ends, count * 2);
            }
        }
        int[] result = Arrays.copyOf(ends, count + 1);
        result[count] = n;
        return result;
    }

    /**
     * One byte of {@link #hardLines}' scan: a hard line break's CRLF is recorded at its CR, in {@code ends[count]}
     * (which must have room).
     *
     * @return the new count, or -1 for a lone CR or LF or (encoded) an escaped CR or LF
     */
    private static int hardLineMark(byte[] data, int i, boolean encoded, int[] ends, int count) {
        byte b = data[i];
        if (b == '\n') {
            if (i == 0 || data[i - 1] != '\r') {
                return -1;
            }
            if (!(encoded && i >= 2 && data[i - 2] == '=')) {
                ends[count++] = i - 1;
            }
        } else if (b == '\r') {
            if (i + 1 >= data.length || data[i + 1] != '\n') {
                return -1;
            }
        } else if (b == '=' && encoded && i + 2 < data.length && data[i + 1] == '0'
                && (data[i + 2] == 'D' || data[i + 2] == 'd' || data[i + 2] == 'A' || data[i + 2] == 'a')) {
            return -1;
        }
        return count;
    }

    /** @return the value of hex digit {@code b} (either case), or -1 */
    static int hex(byte b) {
        return HEX_VALUES[b & 0xff];
    }

    /** Hex digit values by byte, -1 for a byte that is none: one load where three range tests would branch. */
    private static final byte[] HEX_VALUES = new byte[256];

    static {
        Arrays.fill(HEX_VALUES, (byte) -1);
        for (int d = 0; d < 16; d++) {
            HEX_VALUES["0123456789ABCDEF".charAt(d)] = (byte) d;
            HEX_VALUES["0123456789abcdef".charAt(d)] = (byte) d;
        }
    }

    private static boolean startsWith(byte[] data, int at, String prefix) {
        if (at + prefix.length() > data.length) {
            return false;
        }
        for (int k = 0; k < prefix.length(); k++) {
            if (data[at + k] != prefix.charAt(k)) {
                return false;
            }
        }
        return true;
    }
}
