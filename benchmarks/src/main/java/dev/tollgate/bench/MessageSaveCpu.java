package dev.tollgate.bench;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;

import javax.mail.Session;

import org.apache.james.server.core.MimeMessageInputStreamSource;
import org.apache.james.server.core.MimeMessageWrapper;

/**
 * What saving a message ({@code MimeMessage.saveChanges()}) costs a mailet that changed only header fields, in thread
 * CPU per mail: a James {@link MimeMessageWrapper} over James's {@link MimeMessageInputStreamSource} (a temporary file
 * beyond 100 KiB, as the SMTP server keeps it) gets three header fields added, saved after each, saved once, or not
 * saved, then is written out as local delivery writes it (James's {@code writeTo} saves a message whose header fields
 * changed since it was last saved). Mails: {@link MailChainCpuTime}'s HTML mail with the end-to-end benchmark's PDF
 * ({@code report}), without it ({@code html}), and its HTML part alone ({@code single}).
 *
 * <pre>java -cp benchmarks/target/classes:$(cat benchmarks/target/classpath.txt) dev.tollgate.bench.MessageSaveCpu [rounds]</pre>
 */
public final class MessageSaveCpu {
    private MessageSaveCpu() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        byte[] pdf = Files.readAllBytes(Path.of("testdata/bench/report-100k.pdf"));
        String[] names = {"report", "html", "single"};
        byte[][] mails = {MailChainCpuTime.htmlMail(pdf), MailChainCpuTime.htmlMail(null), MailChainCpuTime.htmlMail(null, true)};
        String[] modes = {"saved after each change", "saved once", "not saved (writeTo saves)", "none: no header change"};
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Session session = Session.getInstance(new Properties());
        int perRound = 200;
        for (int m = 0; m < mails.length; m++) {
            long[][] perMode = new long[modes.length][rounds];
            for (int r = -2; r < rounds; r++) { // two warm-up rounds
                for (int mode = 0; mode < modes.length; mode++) {
                    long total = 0;
                    for (int i = 0; i < perRound; i++) {
                        MimeMessageInputStreamSource source = MimeMessageInputStreamSource.create("m" + i,
                                new ByteArrayInputStream(mails[m]));
                        try {
                            MimeMessageWrapper message = new MimeMessageWrapper(session, source);
                            long t0 = threads.getCurrentThreadCpuTime();
                            for (int h = 0; h < (mode == 3 ? 0 : 3); h++) {
                                message.addHeader("X-Bench-" + h, "value " + h);
                                if (mode == 0 || (mode == 1 && h == 2)) {
                                    message.saveChanges();
                                }
                            }
                            message.writeTo(OutputStream.nullOutputStream());
                            total += threads.getCurrentThreadCpuTime() - t0;
                        } finally {
                            source.dispose();
                        }
                    }
                    if (r >= 0) {
                        perMode[mode][r] = total / perRound;
                    }
                }
            }
            for (int mode = 0; mode < modes.length; mode++) {
                long[] ts = perMode[mode].clone();
                java.util.Arrays.sort(ts);
                System.out.printf(Locale.ROOT, "%-6s 3 header changes, %-26s then written: median %7.1f us CPU per mail%n",
                        names[m], modes[mode], ts[ts.length / 2] / 1e3);
            }
        }
    }
}
