package dev.tollgate.bench;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import javax.activation.DataHandler;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import javax.mail.util.ByteArrayDataSource;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import dev.tollgate.core.dlp.content.ExtractedContent;
import dev.tollgate.core.dlp.content.MimeContentExtractor;
import dev.tollgate.core.dlp.content.WorkerDocumentExtractor;

/**
 * Content extraction throughput over a mixed attachment corpus, in messages per second; MB/s is that
 * times the message size printed at setup (bytes of the raw message, as James stores it).
 *
 * <ul>
 *   <li>{@code parseOnly}: the baseline, javax.mail parsing and reading every part's decoded bytes.</li>
 *   <li>{@code textAndArchives}: a message with a text body, an HTML part, a CSV, a zip of CSVs and a
 *       tar.gz, all extracted in-process.</li>
 *   <li>{@code withDocuments}: the same plus a DOCX, an XLSX and a PDF (Tika corpus files) read by the
 *       worker JVM ({@code -Dtollgate.extractor.jar=...}, default {@code extractor/target/tollgate-extractor-*.jar}).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class ContentExtractionBenchmark {
    private static final Session SESSION = Session.getInstance(new Properties());

    private byte[] archivesMessage;
    private byte[] documentsMessage;
    private MimeContentExtractor inProcess;
    private MimeContentExtractor withWorker;
    private WorkerDocumentExtractor worker;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Random random = new Random(42);
        byte[] csv = csv(random, 200_000);
        byte[] html = ("<html><body>" + "<p>Quarterly report paragraph with numbers 12345 and names.</p>".repeat(3000)
                + "</body></html>").getBytes(StandardCharsets.UTF_8);
        byte[] zip = zip(new String[] {"a.csv", "b.csv", "c.csv"}, csv(random, 150_000), csv(random, 150_000),
                csv(random, 150_000));
        byte[] gz = gzip(csv(random, 300_000));
        String text = "Hello,\n\nplease find the figures attached. Card on file ends 1111.\n".repeat(200);
        archivesMessage = message(text, html, "customers.csv", csv, "export.zip", zip, "dump.csv.gz", gz);

        Path corpus = Paths.get(System.getProperty("tollgate.corpus", "testdata/tika"));
        documentsMessage = message(text, html, "customers.csv", csv, "export.zip", zip, "dump.csv.gz", gz,
                "testWORD.docx", Files.readAllBytes(corpus.resolve("testWORD.docx")),
                "testEXCEL.xlsx", Files.readAllBytes(corpus.resolve("testEXCEL.xlsx")),
                "testPDF.pdf", Files.readAllBytes(corpus.resolve("testPDF.pdf")));
        System.err.printf("%nmessage sizes: textAndArchives %d bytes, withDocuments %d bytes%n", archivesMessage.length,
                documentsMessage.length);

        inProcess = MimeContentExtractor.builder().build();
        worker = WorkerDocumentExtractor.builder().jar(extractorJar()).workers(1).build();
        withWorker = MimeContentExtractor.builder().documentExtractor(worker).build();
        ExtractedContent check = withWorker.extract(parse(documentsMessage));
        if (!check.isComplete() || !inProcess.extract(parse(archivesMessage)).isComplete()) {
            throw new IllegalStateException("corpus not fully extracted: " + check.unscannable());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        worker.close();
    }

    @Benchmark
    public long parseOnly() throws Exception {
        MimeMessage m = parse(archivesMessage);
        MimeMultipart mp = (MimeMultipart) m.getContent();
        long n = 0;
        for (int i = 0; i < mp.getCount(); i++) {
            n += mp.getBodyPart(i).getInputStream().readAllBytes().length;
        }
        return n;
    }

    @Benchmark
    public ExtractedContent textAndArchives() throws MessagingException {
        return inProcess.extract(parse(archivesMessage));
    }

    @Benchmark
    public ExtractedContent withDocuments() throws MessagingException {
        return withWorker.extract(parse(documentsMessage));
    }

    private static MimeMessage parse(byte[] raw) throws MessagingException {
        return new MimeMessage(SESSION, new ByteArrayInputStream(raw));
    }

    private static Path extractorJar() throws IOException {
        String given = System.getProperty("tollgate.extractor.jar");
        if (given != null) {
            return Paths.get(given);
        }
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(Paths.get("extractor/target"), "tollgate-extractor-*.jar")) {
            for (Path p : jars) {
                return p;
            }
        }
        throw new IllegalStateException("build the extractor module or set -Dtollgate.extractor.jar");
    }

    private static byte[] csv(Random random, int size) {
        StringBuilder sb = new StringBuilder("id;name;iban;amount\n");
        while (sb.length() < size) {
            sb.append(random.nextInt(1_000_000)).append(";Customer ").append(random.nextInt(10_000)).append(";DE")
                    .append(10 + random.nextInt(89)).append(' ').append(1000 + random.nextInt(8999)).append(' ')
                    .append(1000 + random.nextInt(8999)).append(";").append(random.nextInt(100_000) / 100.0).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] zip(String[] names, byte[]... contents) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (int i = 0; i < names.length; i++) {
                zip.putNextEntry(new ZipEntry(names[i]));
                zip.write(contents[i]);
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    private static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(content);
        }
        return out.toByteArray();
    }

    private static byte[] message(String text, byte[] html, Object... nameThenBytes) throws Exception {
        MimeMessage m = new MimeMessage(SESSION);
        m.setSubject("figures");
        MimeMultipart mixed = new MimeMultipart("mixed");
        MimeBodyPart plain = new MimeBodyPart();
        plain.setText(text, "UTF-8");
        mixed.addBodyPart(plain);
        MimeBodyPart htmlPart = new MimeBodyPart();
        htmlPart.setContent(new String(html, StandardCharsets.UTF_8), "text/html; charset=UTF-8");
        htmlPart.setHeader("Content-Transfer-Encoding", "quoted-printable");
        mixed.addBodyPart(htmlPart);
        for (int i = 0; i < nameThenBytes.length; i += 2) {
            MimeBodyPart file = new MimeBodyPart();
            file.setDataHandler(new DataHandler(new ByteArrayDataSource((byte[]) nameThenBytes[i + 1],
                    "application/octet-stream")));
            file.setFileName((String) nameThenBytes[i]);
            file.setHeader("Content-Transfer-Encoding", "base64");
            mixed.addBodyPart(file);
        }
        m.setContent(mixed);
        m.saveChanges();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeTo(out);
        return out.toByteArray();
    }
}
