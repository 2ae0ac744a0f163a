package dev.tollgate.core.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The quoted-printable decoder reads escapes in a row without a new search; on any input, regular or not, it
 * decodes as the loop it replaced, kept here as the reference (RFC 2045 §6.7).
 */
class QuotedPrintableDecodingTest {
    /** The decoder before escapes in a row were read together: every '=' went through the soft break tests first. */
    private static byte[] reference(byte[] data, boolean lenient) {
        byte[] out = new byte[data.length];
        int o = 0;
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
                while (o > floor && (out[o - 1] == ' ' || out[o - 1] == '\t')) {
                    o--;
                }
                break;
            }
            byte b = data[i];
            if (b == '=') {
                int j = ByteScan.blanksEnd(data, i + 1);
                if (j < n && data[j] == '\n') {
                    i = j + 1;
                } else if (j + 1 < n && data[j] == '\r' && data[j + 1] == '\n') {
                    i = j + 2;
                } else if (j == n) {
                    i = n;
                } else {
                    int hi = i + 2 < n ? TransferEncoding.hex(data[i + 1]) : -1;
                    int lo = hi < 0 ? -1 : TransferEncoding.hex(data[i + 2]);
                    if (lo >= 0) {
                        out[o++] = (byte) (hi << 4 | lo);
                        i += 3;
                    } else if (lenient) {
                        out[o++] = '=';
                        i++;
                    } else {
                        return null;
                    }
                }
            } else if (b == '\n' || i + 1 < n && data[i + 1] == '\n') {
                while (o > floor && (out[o - 1] == ' ' || out[o - 1] == '\t')) {
                    o--;
                }
                int end = b == '\n' ? i + 1 : i + 2;
                while (i < end) {
                    out[o++] = data[i++];
                }
            } else {
                out[o++] = b;
                i++;
            }
            floor = o;
        }
        return Arrays.copyOf(out, o);
    }

    @Test
    void everyInputDecodesAsTheReferenceLoopDecodesIt() {
        String[] pieces = {"a", "word ", "=C3=A9", "=c3=a9", "=3D", "=", "=\r\n", "=\n", "= \r\n", "=\t\n", "=4", "=4 ",
            "=zz", "=G0", "= x", "\r\n", "\n", "\r", " ", "\t", "  \r\n", "=0D=0A", "=20", "=\r", "=C3", "=9F"};
        Random random = new Random(41);
        for (int round = 0; round < 100_000; round++) {
            ByteArrayOutputStream in = new ByteArrayOutputStream();
            for (int k = random.nextInt(30); k > 0; k--) {
                byte[] piece = pieces[random.nextInt(pieces.length)].getBytes(StandardCharsets.US_ASCII);
                in.write(piece, 0, piece.length);
            }
            byte[] data = in.toByteArray();
            String as = new String(data, StandardCharsets.US_ASCII);
            assertThat(TransferEncoding.decodeQuotedPrintableStrict(data)).as("strict: %s", as).isEqualTo(reference(data, false));
            assertThat(TransferEncoding.decodeQuotedPrintableLenient(data)).as("lenient: %s", as).isEqualTo(reference(data, true));
        }
    }

    @Test
    void escapesInARowDecodeToTheirBytes() {
        byte[] decoded = TransferEncoding.decodeQuotedPrintableStrict(
                "Gr=C3=BC=C3=9Fe=3D=\r\n=C3=A9t=C3=A9=".getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(decoded, StandardCharsets.UTF_8)).isEqualTo("Grüße=été");
    }
}
