package dev.tollgate.core.mime;

import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;

/**
 * Quoted-printable decoded as a stream, byte for byte as {@link TransferEncoding#decodeQuotedPrintableLenient}
 * decodes the whole body (RFC 2045 §6.7: escapes, soft breaks also when padded with blanks, blanks at the end of a
 * line deleted, a malformed escape kept as the {@code =} it is), for bodies read as a stream (attachments): memory
 * stays bounded by the blanks whose fate is not known yet, data or transport padding.
 *
 * <p>More than {@link #MAX_HELD_BLANKS} blanks in a row are refused with an {@link IOException}: no mail writes
 * them, and whether they are padding (and the text around them one word) is only known at their end.
 */
final class QuotedPrintableStream extends InputStream {
    /** Blanks in a row held at most (1 MiB). */
    static final int MAX_HELD_BLANKS = 1 << 20;

    private final PushbackInputStream in;
    /** Decoded bytes ready: {@code out[outAt, outLength)}. */
    private byte[] out = new byte[64];
    private int outAt;
    private int outLength;
    private byte[] blanks = new byte[64];
    private int held;
    private boolean ended;

    QuotedPrintableStream(InputStream encoded) {
        this.in = new PushbackInputStream(encoded instanceof java.io.BufferedInputStream
                || encoded instanceof java.io.ByteArrayInputStream ? encoded : new java.io.BufferedInputStream(encoded), 2);
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
            if (outAt == outLength && n > 0 && in.available() == 0) {
                break; // what is decoded so far, rather than block for more
            }
            int c = read();
            if (c < 0) {
                return n == 0 ? -1 : n;
            }
            b[off + n++] = (byte) c;
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** Reads encoded bytes until some decoded byte is ready, or the end. */
    private void step() throws IOException {
        while (outLength == 0 && !ended) {
            int c = in.read();
            if (c < 0) {
                ended = true;
                held = 0;
                return;
            }
            if (c == ' ' || c == '\t') {
                hold(c);
            } else if (c == '\n') {
                held = 0;
                emit('\n');
            } else if (c == '\r') {
                int d = in.read();
                if (d == '\n') {
                    held = 0;
                    emit('\r');
                    emit('\n');
                } else {
                    if (d >= 0) {
                        in.unread(d);
                    }
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

    /** After an '=' with no blank held before it. */
    private void afterEqualsSign() throws IOException {
        int d = in.read();
        while (d == ' ' || d == '\t') {
            hold(d);
            d = in.read();
        }
        if (d < 0) {
            held = 0; // a soft break ending the data
            ended = true;
            return;
        }
        if (d == '\n') {
            held = 0;
            return;
        }
        if (d == '\r') {
            int e = in.read();
            if (e == '\n') {
                held = 0;
                return;
            }
            if (e >= 0) {
                in.unread(e);
            }
            in.unread(d);
            emit('='); // malformed: the blanks after it stay held, then the CR is data
            return;
        }
        if (held == 0 && hex(d) >= 0) {
            int e = in.read();
            if (hex(e) >= 0) {
                emit(hex(d) << 4 | hex(e));
                return;
            }
            if (e >= 0) {
                in.unread(e);
            }
        }
        in.unread(d);
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
