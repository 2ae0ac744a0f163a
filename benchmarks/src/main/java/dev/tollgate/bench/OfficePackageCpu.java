package dev.tollgate.bench;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

import javax.activation.DataHandler;
import javax.mail.Session;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import javax.mail.util.ByteArrayDataSource;

import dev.tollgate.core.dlp.content.DocumentText;
import dev.tollgate.core.dlp.content.ExtractedContent;
import dev.tollgate.core.dlp.content.MimeContentExtractor;

/**
 * What DLP extraction does in James's JVM with Office attachments, apart from the document worker: a message with
 * {@code testdata/tika/testWORD.docx} and {@code testEXCEL.xlsx} attached is extracted with the documents' text
 * taken from a stub (the worker's parse is another process), so the figure is Tollgate's own reading of the
 * packages (their zip structure, their parts). Thread CPU per message, the last 4 of 8 rounds of 300.
 *
 * <pre>java -cp benchmarks/target/classes:$(cat benchmarks/target/classpath.txt) dev.tollgate.bench.OfficePackageCpu</pre>
 */
public final class OfficePackageCpu {
    private OfficePackageCpu() {
    }

    public static void main(String[] args) throws Exception {
        Session session = Session.getInstance(new Properties());
        MimeMessage message = new MimeMessage(session);
        MimeMultipart parts = new MimeMultipart();
        MimeBodyPart text = new MimeBodyPart();
        text.setText("see attached");
        parts.addBodyPart(text);
        for (String name : new String[] {"testWORD.docx", "testEXCEL.xlsx"}) {
            MimeBodyPart document = new MimeBodyPart();
            document.setDataHandler(new DataHandler(new ByteArrayDataSource(
                    Files.readAllBytes(Path.of("testdata/tika", name)), "application/octet-stream")));
            document.setFileName(name);
            parts.addBodyPart(document);
        }
        message.setContent(parts);
        message.saveChanges();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        byte[] raw = out.toByteArray();
        MimeContentExtractor extractor = MimeContentExtractor.builder()
                .documentExtractor((bytes, name, timeout) -> DocumentText.of("text", List.of())).build();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int round = 0; round < 8; round++) {
            int n = 300;
            int segments = 0;
            long t0 = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) {
                ExtractedContent c = extractor.extract(new MimeMessage(session, new ByteArrayInputStream(raw)));
                segments = c.segments().size();
            }
            if (round >= 4) {
                System.out.printf(Locale.ROOT, "%.1f us CPU per message (%d segments)%n",
                        (threads.getCurrentThreadCpuTime() - t0) / 1e3 / n, segments);
            }
        }
    }
}
