package dev.tollgate.bench;

import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import javax.activation.DataSource;
import javax.mail.MessagingException;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import javax.mail.internet.MimePart;
import javax.mail.internet.MimePartDataSource;

import dev.tollgate.core.mime.MimeParts;
import dev.tollgate.core.mime.SplitMultipart;

/**
 * Reading every multipart of a mail (the top one and those nested in it) with JavaMail's {@link MimeMultipart}
 * and with {@link SplitMultipart}, in one JVM, interleaved round by round, in thread CPU time per mail: the
 * {@code html} and {@code pdf} mails of {@link MailChainCpuTime}. The message is parsed once; each reading
 * builds new multipart objects over it, as a first {@code getContent()} does.
 *
 * <pre>java -cp benchmarks/target/classes:$(cat benchmarks/target/classpath.txt) dev.tollgate.bench.MultipartParseCpuTime \
 *     [rounds] [readings per round]</pre>
 */
public final class MultipartParseCpuTime {
    private MultipartParseCpuTime() {
    }

    @FunctionalInterface
    private interface Reader {
        MimeMultipart read(DataSource ds) throws MessagingException;
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        String[] names = {"html", "pdf"};
        byte[][] mails = {MailChainCpuTime.htmlMail(null), MailChainCpuTime.htmlMail(MailChainCpuTime.pdf(100 * 1024))};
        Reader[] readers = {MimeMultipart::new, SplitMultipart::new};
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int m = 0; m < mails.length; m++) {
            MimeMessage message = MimeParts.parse(new ByteArrayInputStream(mails[m]));
            int[] parts = new int[2];
            List<List<Long>> times = List.of(new ArrayList<>(), new ArrayList<>());
            for (int r = -Math.max(10, rounds / 4); r < rounds; r++) { // warm-up rounds first
                for (int k = 0; k < 2; k++) {
                    int kk = (r & 1) == 0 ? k : 1 - k; // alternate which goes first
                    long t0 = threads.getCurrentThreadCpuTime();
                    for (int i = 0; i < perRound; i++) {
                        parts[kk] = readAll(readers[kk], message);
                    }
                    long t1 = threads.getCurrentThreadCpuTime();
                    if (r >= 0) {
                        times.get(kk).add((t1 - t0) / perRound);
                    }
                }
            }
            if (parts[0] != parts[1]) {
                throw new IllegalStateException("part counts differ: " + parts[0] + " vs " + parts[1]);
            }
            double[] median = new double[2];
            for (int k = 0; k < 2; k++) {
                List<Long> ts = times.get(k);
                Collections.sort(ts);
                median[k] = ts.get(ts.size() / 2) / 1000.0;
            }
            System.out.printf(Locale.ROOT, "%-4s %6d bytes, %d parts: JavaMail %8.1f µs, SplitMultipart %8.1f µs,"
                    + " ratio %.3f%n", names[m], mails[m].length, parts[0], median[0], median[1], median[1] / median[0]);
        }
    }

    /** Reads the multipart of {@code part} and, recursively, every multipart among its parts; counts the parts. */
    private static int readAll(Reader reader, MimePart part) throws Exception {
        MimeMultipart mp = reader.read(new MimePartDataSource(part));
        int n = mp.getCount();
        int total = n;
        for (int i = 0; i < n; i++) {
            MimeBodyPart p = (MimeBodyPart) mp.getBodyPart(i);
            if (p.isMimeType("multipart/*")) {
                total += readAll(reader, p);
            }
        }
        return total;
    }
}
