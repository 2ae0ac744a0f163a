package dev.tollgate.core.mime;

import java.io.IOException;
import java.io.InputStream;

/**
 * Quoted-printable decoded as a stream, byte for byte as {@link TransferEncoding#decodeQuotedPrintableLenient}
 * decodes the whole body (RFC 2045 §6.7: escapes, soft breaks also when padded with blanks, blanks at the end of a
 * line deleted, a malformed escape kept as the {@code =} it is), for bodies read as a stream (attachments): memory
 * stays bounded by the blanks whose fate is not known yet, data or transport padding.
 *
 * <p>More than {@link #MAX_HELD_BLANKS} blanks in a row are refused with an {@link IOException}: no mail writes
 * them, and whether they are padding (and the text around them one word) is only known at their end.
 *
 * <p>The encoded bytes are read in blocks and a run of plain bytes is copied at once; only {@code =}, blanks and
 * line ends take the byte-wise rules.
 */
final class QuotedPrintableStream extends InputStream {
    /** Blanks in a row held at most (1 MiB). */
    static final int MAX_HELD_BLANKS = 1 << 20;
    /** The most encoded bytes a rule looks at before deciding: {@code =} and two hex digits. */
    private static final int LOOKAHEAD = 3;

    private final InputStream in;
    /** Encoded bytes read and not yet decoded: {@code buf[pos, lim)}. */
    private final byte[] buf;
    private int pos;
    private int lim;
    private boolean eof;
    /** Decoded bytes ready: {@code out[outAt, outLength)}. */
    private byte[] out = new byte[64];
    private int outAt;
    private int outLength;
    private byte[] blanks = new byte[64];
    private int held;
    private boolean ended;

    QuotedPrintableStream(InputStream encoded) {
        this(encoded, 8192);
    }

    /** @param bufferSize encoded bytes read at a time, at least {@value #LOOKAHEAD} (small in tests) */
    QuotedPrintableStream(InputStream encoded, int bufferSize) {
        if (bufferSize < LOOKAHEAD) {
            throw new IllegalArgumentException("bufferSize " + bufferSize + " < " + LOOKAHEAD);
        }
        this.in = encoded;
        this.buf = new byte[bufferSize];
    }

    @Override
    public int read() throws IOException {
        while (outAt == outLength) {
            if (ended) {
                return -1;
            }
            outAt = 0;
            outLength = 0;
            step();
        }
        return out[outAt++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        int n = 0;
        while (n < len) {
            if (outAt == outLength) {
                if (ended || n > 0 && pos == lim && (eof || in.available() == 0)) {
                    break; // what is decoded so far, rather than block for more
                }
                outAt = 0;
                outLength = 0;
                step();
                continue;
            }
            int k = Math.min(len - n, outLength - outAt);
            System.arraycopy(out, outAt, b, off + n, k);
            outAt += k;
            n += k;
        }
        return n == 0 ? -1 : n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** @return the encoded byte {@code i} places ahead (0 to {@value #LOOKAHEAD} - 1), or -1 after the end */
    private int peek(int i) throws IOException {
        if (pos + i >= lim) {
            if (buf.length - pos <= i) {
                System.arraycopy(buf, pos, buf, 0, lim - pos);
                lim -= pos;
                pos = 0;
            }
            while (pos + i >= lim && !eof) {
                int r = in.read(buf, lim, buf.length - lim);
                if (r < 0) {
                    eof = true;
                } else {
                    lim += r;
                }
            }
            if (pos + i >= lim) {
                return -1;
            }
        }
        return buf[pos + i] & 0xff;
    }

    /** Reads encoded bytes until some decoded byte is ready, or the end. */
    private void step() throws IOException {
        while (outLength == 0 && !ended) {
            int c = peek(0);
            if (c < 0) {
                ended = true;
                held = 0;
                return;
            }
            if (held == 0 && !special(c)) {
                copyPlain();
                return;
            }
            pos++;
            if (c == ' ' || c == '\t') {
                hold(c);
            } else if (c == '\n') {
                held = 0;
                emit('\n');
            } else if (c == '\r') {
                if (peek(0) == '\n') {
                    pos++;
                    held = 0;
                    emit('\r');
                    emit('\n');
                } else {
                    flushOne('\r');
                }
            } else if (c == '=') {
                flushOne(-1); // blanks before an '=' are data
                afterEqualsSign();
            } else {
                flushOne(c);
            }
        }
    }

    private static boolean special(int c) {
        return c == '=' || c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    /** Copies the run of plain bytes at {@code pos} (there is one) to the output as it is. */
    private void copyPlain() {
        int end = pos;
        while (end < lim && !special(buf[end] & 0xff)) {
            end++;
        }
        int k = end - pos;
        if (out.length - outLength < k) {
            out = java.util.Arrays.copyOf(out, Math.max(out.length * 2, outLength + k));
        }
        System.arraycopy(buf, pos, out, outLength, k);
        outLength += k;
        pos = end;
    }

    /** After an '=' (consumed) with no blank held before it. */
    private void afterEqualsSign() throws IOException {
        int d = peek(0);
        while (d == ' ' || d == '\t') {
            pos++;
            hold(d);
            d = peek(0);
        }
        if (d < 0) {
            held = 0; // a soft break ending the data
            ended = true;
            return;
        }
        if (d == '\n') {
            pos++;
            held = 0;
            return;
        }
        if (d == '\r') {
            if (peek(1) == '\n') {
                pos += 2;
                held = 0;
                return;
            }
            emit('='); // malformed: the blanks after it stay held, then the CR is data
            return;
        }
        if (held == 0 && hex(d) >= 0) {
            int e = peek(1);
            if (hex(e) >= 0) {
                pos += 2;
                emit(hex(d) << 4 | hex(e));
                return;
            }
        }
        emit('='); // malformed: kept as it is; the blanks after it are data or padding as any others
    }

    /** Writes the held blanks (data: something other than a line break follows them), then {@code c} unless -1. */
    private void flushOne(int c) {
        for (int i = 0; i < held; i++) {
            emit(blanks[i]);
        }
        held = 0;
        if (c >= 0) {
            emit(c);
        }
    }

    private void hold(int c) throws IOException {
        if (held == MAX_HELD_BLANKS) {
            throw new IOException("quoted-printable body with more than " + MAX_HELD_BLANKS + " blanks in a row");
        }
        if (held == blanks.length) {
            blanks = java.util.Arrays.copyOf(blanks, Math.min(MAX_HELD_BLANKS, held * 2));
        }
        blanks[held++] = (byte) c;
    }

    private void emit(int c) {
        if (outLength == out.length) {
            out = java.util.Arrays.copyOf(out, out.length * 2);
        }
        out[outLength++] = (byte) c;
    }

    /** @return the value of hex digit {@code b} (a byte or -1 for the end), or -1 */
    private static int hex(int b) {
        return b < 0 ? -1 : TransferEncoding.hex((byte) b);
    }
}
