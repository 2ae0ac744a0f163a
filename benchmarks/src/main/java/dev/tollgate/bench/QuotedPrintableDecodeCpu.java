package dev.tollgate.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

import javax.mail.internet.MimeUtility;

import dev.tollgate.core.mime.TransferEncoding;

/**
 * Decoding a 4 MB quoted-printable attachment, in thread CPU time per MB, three ways interleaved round by round:
 * Tollgate's stream ({@link TransferEncoding#decode}, how attachments are read), JavaMail's stream
 * ({@link MimeUtility#decode}, how they were read before) and Tollgate's array decoder
 * ({@link TransferEncoding#decodeQuotedPrintableLenient}, how text parts are read). The body is lines of 180
 * characters (letters, blanks, {@code =3D}, {@code =C3=A9}) wrapped at 76 columns by soft breaks, as a mail client
 * writes it. Prints the medians and the ratios to JavaMail's. Usage:
 * {@code java -cp ... dev.tollgate.bench.QuotedPrintableDecodeCpu [rounds]}.
 */
public final class QuotedPrintableDecodeCpu {
    private QuotedPrintableDecodeCpu() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        byte[] encoded = body(4_000_000);
        byte[] expected = TransferEncoding.decodeQuotedPrintableLenient(encoded);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long[][] cpu = new long[3][rounds];
        for (int r = -10; r < rounds; r++) { // ten rounds of warm-up
            long t0 = mx.getCurrentThreadCpuTime();
            byte[] stream = readAll(TransferEncoding.decode(new ByteArrayInputStream(encoded), "quoted-printable"));
            long t1 = mx.getCurrentThreadCpuTime();
            byte[] javaMail = readAll(MimeUtility.decode(new ByteArrayInputStream(encoded), "quoted-printable"));
            long t2 = mx.getCurrentThreadCpuTime();
            byte[] array = TransferEncoding.decodeQuotedPrintableLenient(encoded);
            long t3 = mx.getCurrentThreadCpuTime();
            if (!Arrays.equals(stream, expected) || !Arrays.equals(javaMail, expected) || !Arrays.equals(array, expected)) {
                throw new IllegalStateException("the decoders disagree on the benchmark's body");
            }
            if (r >= 0) {
                cpu[0][r] = t1 - t0;
                cpu[1][r] = t2 - t1;
                cpu[2][r] = t3 - t2;
            }
        }
        double mb = encoded.length / 1e6;
        double stream = median(cpu[0]) / 1e6 / mb;
        double javaMail = median(cpu[1]) / 1e6 / mb;
        double array = median(cpu[2]) / 1e6 / mb;
        System.out.printf(Locale.ROOT, "encoded %d bytes, %d rounds; ms of CPU per encoded MB (median):%n", encoded.length, rounds);
        System.out.printf(Locale.ROOT, "  Tollgate stream %.2f (%.2f x JavaMail's)%n", stream, stream / javaMail);
        System.out.printf(Locale.ROOT, "  JavaMail stream %.2f%n", javaMail);
        System.out.printf(Locale.ROOT, "  Tollgate array  %.2f (%.2f x JavaMail's)%n", array, array / javaMail);
    }

    /** About {@code size} bytes of quoted-printable as a mail client writes it (fixed seed). */
    static byte[] body(int size) {
        Random random = new Random(1);
        StringBuilder sb = new StringBuilder(size + 256);
        while (sb.length() < size) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < 180; i++) {
                int k = random.nextInt(40);
                line.append(k < 30 ? String.valueOf((char) ('a' + k % 26)) : k < 36 ? " " : k < 38 ? "=3D" : "=C3=A9");
            }
            String l = line.toString();
            int at = 0;
            while (l.length() - at > 75) {
                int end = at + 75;
                while (l.charAt(end - 1) == '=' || l.charAt(end - 2) == '=') { // never split an escape
                    end--;
                }
                sb.append(l, at, end).append("=\r\n");
                at = end;
            }
            sb.append(l.substring(at)).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
