package dev.tollgate.core.links;

import java.nio.charset.StandardCharsets;

import dev.tollgate.core.mime.TransferEncoding;

/**
 * The Content-Transfer-Encoding writers of {@link TransferEncoding} under the names link rewriting callers
 * (benchmarks, tools) have always used. Every method delegates; the behaviour and its RFC 2045 §6
 * references are documented on {@link TransferEncoding}.
 */
public final class TransferEncodings {
    /** Longest quoted-printable line, soft break included (RFC 2045 §6.7 rule 5). */
    public static final int QP_MAX_LINE = TransferEncoding.QP_MAX_LINE;

    private TransferEncodings() {
    }

    /** @see TransferEncoding#encode */
    public static byte[] encode(byte[] data, String cte) {
        return TransferEncoding.encode(data, cte);
    }

    /** @see TransferEncoding#base64 */
    public static String base64(byte[] data) {
        return TransferEncoding.base64(data);
    }

    /** Quoted-printable ({@link TransferEncoding#quotedPrintableBytes}) as a US-ASCII string. */
    public static String quotedPrintable(byte[] data) {
        return new String(TransferEncoding.quotedPrintableBytes(data), StandardCharsets.US_ASCII);
    }

    /** @see TransferEncoding#quotedPrintableBytes */
    public static byte[] quotedPrintableBytes(byte[] data) {
        return TransferEncoding.quotedPrintableBytes(data);
    }

    /** @see TransferEncoding#decodeQuotedPrintableStrict */
    public static byte[] decodeQuotedPrintableStrict(byte[] data) {
        return TransferEncoding.decodeQuotedPrintableStrict(data);
    }

    /** @see TransferEncoding#requotePrintable */
    public static byte[] requotePrintable(byte[] raw, byte[] oldDecoded, byte[] newDecoded) {
        return TransferEncoding.requotePrintable(raw, oldDecoded, newDecoded);
    }
}
