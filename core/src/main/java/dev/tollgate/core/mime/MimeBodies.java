package dev.tollgate.core.mime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.function.UnaryOperator;

import javax.mail.MessagingException;
import javax.mail.Part;
import javax.mail.internet.MimeMultipart;
import javax.mail.internet.MimePart;
import javax.mail.util.ByteArrayDataSource;
import javax.mail.util.SharedByteArrayInputStream;

/**
 * Reading a part's body through its Content-Transfer-Encoding (RFC 2045 §6), streamed or bounded.
 *
 * <p>JavaMail ignores a base64 or quoted-printable encoding on {@code multipart/*} and {@code message/*} parts
 * (RFC 2045 §6.4 and RFC 2046 §5.2.1 allow only 7bit, 8bit and binary there), but mailers do send forwarded
 * messages encoded, and a hostile sender can encode a multipart that some clients decode: here every part's
 * body is decoded with its declared encoding, whatever its type.
 */
public final class MimeBodies {
    private MimeBodies() {
    }

    /** A decoding stream over a part's body. */
    public static final class Opened {
        private final InputStream stream;
        private final String encoding;
        private final boolean undecoded;

        private Opened(InputStream stream, String encoding, boolean undecoded) {
            this.stream = stream;
            this.encoding = encoding;
            this.undecoded = undecoded;
        }

        /** @return the decoded body (the caller closes it) */
        public InputStream stream() {
            return stream;
        }

        /** @return the normalised Content-Transfer-Encoding */
        public String encoding() {
            return encoding;
        }

        /**
         * @return true when the encoding was unknown ({@link MimeSkipReason#UNKNOWN_ENCODING}) and the stream is
         *     the body as transmitted
         */
        public boolean undecoded() {
            return undecoded;
        }
    }

    /**
     * Opens {@code part}'s body decoded: base64 and quoted-printable with JavaMail's (lenient) decoders for any
     * content type, other encodings as JavaMail's {@link Part#getInputStream()} does. An encoding JavaMail does
     * not know gives the raw body, marked {@link Opened#undecoded()}, rather than nothing.
     *
     * @throws MessagingException when the part cannot be read at all
     * @throws IOException        when the body cannot be read at all
     */
    public static Opened open(Part part) throws MessagingException, IOException {
        String token = part instanceof MimePart ? TransferEncoding.of((MimePart) part) : TransferEncoding.DEFAULT;
        InputStream raw = TransferEncoding.isEncoding(token) ? MimeParts.rawStream(part) : null;
        if (raw != null) {
            return new Opened(new DecoderFaults(TransferEncoding.decode(raw, token)), token, false);
        }
        try {
            return new Opened(new DecoderFaults(part.getInputStream()), token, false);
        } catch (MessagingException | IOException e) {
            InputStream undecoded = MimeParts.rawStream(part);
            if (undecoded == null) {
                throw e;
            }
            return new Opened(undecoded, token, true);
        }
    }

    /**
     * Reads {@code part}'s body decoded, at most {@code maxBytes} decoded bytes. Quoted-printable is decoded from the
     * raw bytes as RFC 2045 §6.7 says ({@link TransferEncoding#decodeQuotedPrintableStrict}: trailing white space
     * deleted); without a malformed escape the raw bytes are kept ({@link MimeBody#rawQuotedPrintable()}) so that a
     * changed body can be re-encoded line by line, with one a malformed escape is kept as the {@code =} it is
     * ({@link TransferEncoding#decodeQuotedPrintableLenient}); anything else goes through {@link #open}.
     *
     * @param maxBytes decoded bytes at most, ≥ 0; a longer body is {@link MimeSkipReason#SIZE_LIMIT}
     * @throws MessagingException when the part cannot be read at all
     * @throws IOException        when the body cannot be read at all
     */
    public static MimeBody read(MimePart part, long maxBytes) throws MessagingException, IOException {
        return read(part, maxBytes, PartCache.none());
    }

    /**
     * {@link #read(MimePart, long)}, with the quoted-printable decoding taken from (and left in) {@code cache}.
     *
     * @param cache what earlier readers of the same mail decoded
     */
    public static MimeBody read(MimePart part, long maxBytes, PartCache cache) throws MessagingException, IOException {
        String token = TransferEncoding.of(part);
        // a body part or a message's own body (a single-part mail): both keep their encoded bytes
        InputStream rawStream = token.equals(TransferEncoding.QUOTED_PRINTABLE) ? MimeParts.rawStream(part) : null;
        if (rawStream != null) {
            // quoted-printable is at most three encoded bytes per decoded byte, plus soft breaks
            byte[] raw = readAtMost(rawStream, maxBytes * 3 + 1024);
            byte[] decoded = raw == null ? null : cache.decodedQuotedPrintable(raw);
            if (decoded != null) {
                return decoded.length > maxBytes ? MimeBody.tooLarge(token) : MimeBody.decoded(decoded, token, raw);
            }
            if (raw != null) {
                // a malformed escape: the rest as RFC 2045 says all the same, and no line-by-line re-encoding
                byte[] lenient = TransferEncoding.decodeQuotedPrintableLenient(raw);
                return lenient.length > maxBytes ? MimeBody.tooLarge(token) : MimeBody.decoded(lenient, token, null);
            }
        }
        Opened opened = open(part);
        byte[] bytes = readAtMost(opened.stream(), maxBytes);
        if (bytes == null) {
            return MimeBody.tooLarge(token);
        }
        return opened.undecoded() ? MimeBody.undecoded(bytes, token) : MimeBody.decoded(bytes, token, null);
    }

    /**
     * Reads and closes {@code stream}.
     *
     * @param max bytes at most
     * @return every byte, or null when there are more than {@code max} (nothing partial is returned)
     */
    public static byte[] readAtMost(InputStream stream, long max) throws IOException {
        try (InputStream in = stream) {
            return readUpTo(in, max);
        }
    }

    /**
     * Reads {@code in} to its end and leaves it open, as {@link InputStream#readAllBytes()} does, into one array of
     * the length the stream says it has ({@link InputStream#available()}) when that is all of it.
     *
     * @return every byte
     * @throws OutOfMemoryError when the bytes do not fit in an array
     */
    public static byte[] readAll(InputStream in) throws IOException {
        return readUpTo(in, Long.MAX_VALUE);
    }

    /**
     * The most {@link #readUpTo} allocates on a stream's word ({@link InputStream#available()}) before reading: an
     * archive entry reports its declared size and a decoder an estimate, so a hostile part could have it reserve
     * far more than it holds.
     */
    private static final int TRUSTED_AVAILABLE = 1 << 20;

    private static byte[] readUpTo(InputStream in, long max) throws IOException {
        int guess = in.available();
        byte[] first = null;
        int got = 0;
        if (guess > 0 && guess <= max && guess <= TRUSTED_AVAILABLE) {
            // a body in memory says its length: read it into an array of that size, no buffer, no copy
            first = new byte[guess];
            got = in.readNBytes(first, 0, guess);
            if (got == guess) {
                int next = in.read();
                if (next < 0) {
                    return first;
                }
                first = Arrays.copyOf(first, guess + 1);
                first[got++] = (byte) next;
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(first != null ? got + 8192
                : Math.max(8192, Math.min(guess, TRUSTED_AVAILABLE)));
        if (first != null) {
            out.write(first, 0, got);
            if (out.size() > max) {
                return null;
            }
        }
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) != -1) {
            out.write(buf, 0, n);
            if (out.size() > max) {
                return null;
            }
        }
        return out.toByteArray();
    }

    /**
     * The structure of a {@code multipart/*} part (RFC 2046 §5.1), its body decoded first when it is base64 or
     * quoted-printable (see the class documentation).
     *
     * @param meter wraps the decoding stream, e.g. to count decoded bytes against a budget
     * @return the multipart, or null when JavaMail does not give one
     * @throws MessagingException when the structure does not parse
     * @throws IOException        when the body cannot be read
     */
    public static MimeMultipart multipart(Part part, UnaryOperator<InputStream> meter)
            throws MessagingException, IOException {
        String token = part instanceof MimePart ? TransferEncoding.of((MimePart) part) : TransferEncoding.DEFAULT;
        InputStream raw = TransferEncoding.isEncoding(token) ? MimeParts.rawStream(part) : null;
        if (raw != null) {
            byte[] bytes;
            try (InputStream in = meter.apply(TransferEncoding.decode(raw, token))) {
                bytes = in.readAllBytes();
            }
            // over a shared stream, so that SplitMultipart splits it (and tells a close delimiter with text after it)
            return new SplitMultipart(new ByteArrayDataSource(bytes, part.getContentType()) {
                @Override
                public InputStream getInputStream() {
                    return new SharedByteArrayInputStream(bytes);
                }
            });
        }
        Object content = SplitMultipart.contentOf(part);
        return content instanceof MimeMultipart ? (MimeMultipart) content : null;
    }

    /**
     * JavaMail's decoders throw runtime exceptions on some malformed bodies (its uuencode decoder an
     * {@code ArrayIndexOutOfBoundsException} for a line longer than its length char says): reported as the
     * {@link com.sun.mail.util.DecodingException} a body that cannot be decoded gives, which readers handle.
     */
    private static final class DecoderFaults extends java.io.FilterInputStream {
        DecoderFaults(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return in.read();
            } catch (RuntimeException e) {
                throw fault(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (RuntimeException e) {
                throw fault(e);
            }
        }

        @Override
        public long skip(long n) throws IOException {
            try {
                return in.skip(n);
            } catch (RuntimeException e) {
                throw fault(e);
            }
        }

        private static IOException fault(RuntimeException e) {
            com.sun.mail.util.DecodingException d = new com.sun.mail.util.DecodingException(
                    "body not decodable: " + e.getClass().getSimpleName());
            d.initCause(e);
            return d;
        }
    }
}
