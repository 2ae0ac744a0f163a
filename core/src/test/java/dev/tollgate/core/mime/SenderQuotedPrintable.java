package dev.tollgate.core.mime;

import java.nio.charset.StandardCharsets;

/**
 * Quoted-printable as other senders write it, for tests of what link rewriting keeps: soft breaks (RFC 2045 §6.7
 * rule 5) at {@code width} columns or earlier with escapes kept whole, blanks before a soft break left as they are,
 * upper- or lower-case hex, and, with {@code padding}, a space and a tab of transport padding (rule 3) at the end of
 * each hard line: shapes Tollgate's own encoder never writes.
 */
final class SenderQuotedPrintable {
    private SenderQuotedPrintable() {
    }

    /**
     * @param decoded hard lines separated by CRLF (a lone CR or LF is encoded as {@code =0D} / {@code =0A})
     * @param width   longest encoded line, 4 or more, soft break included
     * @return the encoded body, US-ASCII
     */
    static byte[] encode(byte[] decoded, int width, boolean lowerHex, boolean padding) {
        StringBuilder out = new StringBuilder();
        int column = 0;
        for (int i = 0; i < decoded.length; i++) {
            int b = decoded[i] & 0xff;
            if (b == '\r' && i + 1 < decoded.length && decoded[i + 1] == '\n') {
                if (padding && column < width - 2) {
                    out.append(" \t");
                }
                out.append("\r\n");
                column = 0;
                i++;
                continue;
            }
            boolean lineEnd = i + 1 == decoded.length
                    || decoded[i + 1] == '\r' && i + 2 < decoded.length && decoded[i + 2] == '\n';
            String piece = b == '=' || b > 126 || b < 32 && b != '\t' || lineEnd && (b == ' ' || b == '\t')
                    ? String.format(lowerHex ? "=%02x" : "=%02X", b) : String.valueOf((char) b);
            if (column + piece.length() > width - 1) {
                out.append("=\r\n");
                column = 0;
            }
            out.append(piece);
            column += piece.length();
        }
        if (padding && column < width - 2) {
            out.append(" \t");
        }
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
