package dev.tollgate.extractor;

import static dev.tollgate.extractor.TestDocuments.CARD;
import static dev.tollgate.extractor.TestDocuments.IBAN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import javax.activation.DataHandler;
import javax.mail.Session;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import javax.mail.util.ByteArrayDataSource;

import dev.tollgate.core.dlp.content.ContentKind;
import dev.tollgate.core.dlp.content.ContentSegment;
import dev.tollgate.core.dlp.content.DocumentText;
import dev.tollgate.core.dlp.content.ExtractedContent;
import dev.tollgate.core.dlp.content.MimeContentExtractor;
import dev.tollgate.core.dlp.content.Unscannable;
import dev.tollgate.core.dlp.content.WorkerDocumentExtractor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Core's extractor with the real worker JVM running the shaded jar (built in the package phase):
 * the path James takes.
 */
class WorkerExtractionIT {
    static final Session SESSION = Session.getInstance(new Properties());
    static Path jar;
    static WorkerDocumentExtractor worker;
    static MimeContentExtractor extractor;

    @BeforeAll
    static void start() {
        jar = Paths.get(System.getProperty("tollgate.extractor.jar"));
        assertThat(jar).isRegularFile();
        worker = WorkerDocumentExtractor.builder().jar(jar).workers(1).maxHeapMb(256)
                .documentTimeout(Duration.ofSeconds(60)).build();
        extractor = MimeContentExtractor.builder().documentExtractor(worker).build();
    }

    @AfterAll
    static void stop() {
        worker.close();
    }

    static MimeMessage message(Object... nameThenBytes) throws Exception {
        MimeMessage m = new MimeMessage(SESSION);
        m.setSubject("quarterly numbers");
        MimeMultipart mixed = new MimeMultipart("mixed");
        MimeBodyPart text = new MimeBodyPart();
        text.setText("see attached", "UTF-8");
        mixed.addBodyPart(text);
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
        return new MimeMessage(SESSION, new ByteArrayInputStream(out.toByteArray()));
    }

    static String textAt(ExtractedContent c, String location) {
        return c.segments().stream().filter(s -> s.location().equals(location) && s.kind() == ContentKind.ATTACHMENT)
                .map(s -> s.text().toString()).findFirst().orElseThrow(() -> new AssertionError(location + " in " + c.segments()));
    }

    static byte[] corpus(String name) throws Exception {
        return Files.readAllBytes(Paths.get(System.getProperty("tollgate.corpus")).resolve(name));
    }

    @Test
    void metadataValuesComeBackOverTheProtocolAtTheirOwnLocations() throws Exception {
        ExtractedContent c = extractor.extract(message(
                "report.pdf", TestDocuments.pdfWithMetadata("Quarterly report", java.util.Map.of("BillingRef", CARD),
                        TestDocuments.xmp("<acme:ref>" + IBAN + "</acme:ref>")),
                "notes.docx", TestDocuments.docxWithProperties("Meeting notes", null, java.util.Map.of("Ref", IBAN))));
        assertThat(c.unscannable()).isEmpty();
        assertThat(textAt(c, "attachment:report.pdf")).contains("Quarterly report").doesNotContain(CARD);
        assertThat(textAt(c, "attachment:report.pdf \u2192 metadata:pdf:docinfo:custom:BillingRef")).isEqualTo(CARD);
        assertThat(textAt(c, "attachment:report.pdf \u2192 metadata:xmp:acme:ref")).isEqualTo(IBAN);
        assertThat(textAt(c, "attachment:notes.docx \u2192 metadata:custom:Ref")).isEqualTo(IBAN);
    }

    @Test
    void infoKeyNamesAndCustomPropertyNamesComeBackAtTheirOwnLocations() throws Exception {
        String digits = CARD.replace(" ", "");
        ExtractedContent c = extractor.extract(message(
                "report.pdf", TestDocuments.pdfWithMetadata("Quarterly report", java.util.Map.of(digits, "x"), null),
                "notes.docx", TestDocuments.docxWithProperties("Meeting notes", null, java.util.Map.of(digits, "yes"))));
        assertThat(c.unscannable()).isEmpty();
        for (String location : new String[] {"attachment:report.pdf \u2192 metadata:pdf:docinfo:keys",
            "attachment:notes.docx \u2192 metadata:docProps/custom.xml:property@name"}) {
            assertThat(c.segments()).as(location).anySatisfy(s -> {
                assertThat(s.location()).isEqualTo(location);
                assertThat(s.text().toString()).contains(digits);
            });
        }
    }

    @Test
    void documentsInAMessageAndInsideAZip() throws Exception {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(zipped)) {
            zip.putNextEntry(new ZipEntry("contracts/letter.docx"));
            zip.write(TestDocuments.docx("IBAN " + IBAN));
            zip.closeEntry();
        }
        ExtractedContent c = extractor.extract(message(
                "cards.xlsx", TestDocuments.xlsxWithNumericCard(),
                "deck.pptx", TestDocuments.pptx("Card " + CARD),
                "scan.pdf", TestDocuments.pdf("Card " + CARD),
                "memo.rtf", TestDocuments.rtf("Card " + CARD),
                "notes.odt", TestDocuments.odt("IBAN " + IBAN),
                "bundle.zip", zipped.toByteArray(),
                "testPDF.pdf", corpus("testPDF.pdf"),
                "testWORD.docx", corpus("testWORD.docx"),
                "testEXCEL.xlsx", corpus("testEXCEL.xlsx")));
        assertThat(c.unscannable()).isEmpty();
        assertThat(textAt(c, "attachment:cards.xlsx")).contains(CARD).doesNotContain("E+15");
        assertThat(textAt(c, "attachment:deck.pptx")).contains("Card " + CARD);
        assertThat(textAt(c, "attachment:scan.pdf")).contains("Card " + CARD);
        assertThat(textAt(c, "attachment:memo.rtf")).contains("Card " + CARD);
        assertThat(textAt(c, "attachment:notes.odt")).contains("IBAN " + IBAN);
        assertThat(textAt(c, "attachment:bundle.zip!/contracts/letter.docx")).contains("IBAN " + IBAN);
        assertThat(textAt(c, "attachment:testPDF.pdf")).contains("Apache Tika");
        assertThat(textAt(c, "attachment:testWORD.docx")).contains("Sample Word Document");
        assertThat(textAt(c, "attachment:testEXCEL.xlsx")).contains("Numbers and their Squares");
    }

    @Test
    void encryptedAndBrokenDocumentsAreUnscannable() throws Exception {
        ExtractedContent c = extractor.extract(message(
                "locked.xlsx", TestDocuments.encrypted(TestDocuments.xlsxWithNumericCard()),
                "broken.pdf", "%PDF-1.7\n garbage".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        assertThat(c.unscannable()).extracting(Unscannable::location, Unscannable::reason).containsExactly(
                tuple("attachment:locked.xlsx", Unscannable.Reason.ENCRYPTED),
                tuple("attachment:broken.pdf", Unscannable.Reason.EXTRACTION_FAILED));
        assertThat(c.segments()).extracting(ContentSegment::text).noneMatch(t -> t.toString().contains(CARD));
    }

    @Test
    void aTimedOutWorkerIsKilledAndTheNextDocumentGetsAFreshOne() throws Exception {
        try (WorkerDocumentExtractor impatient = WorkerDocumentExtractor.builder().jar(jar).workers(1).maxHeapMb(128)
                .documentTimeout(Duration.ofSeconds(60)).build()) {
            byte[] pdf = TestDocuments.pdf("Card " + CARD);
            // The limit runs from the worker's READY; a nanosecond is too short for any parse.
            DocumentText tooSlow = impatient.extract(pdf, "scan.pdf", Duration.ofNanos(1));
            assertThat(tooSlow.failure()).contains(Unscannable.Reason.TIME_LIMIT);
            DocumentText next = impatient.extract(pdf, "scan.pdf", Duration.ofSeconds(60));
            assertThat(next.text()).hasValueSatisfying(t -> assertThat(t).contains("Card " + CARD));
        }
    }

    @Test
    void aStartedWorkerHasWarmedUpAndAnswersItsFirstDocumentFromTheReadyPool() throws Exception {
        try (WorkerDocumentExtractor warm = WorkerDocumentExtractor.builder().jar(jar).workers(1).maxHeapMb(256)
                .documentTimeout(Duration.ofSeconds(60)).build()) {
            warm.startWorkers();
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (warm.idleWorkers() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(warm.idleWorkers()).isEqualTo(1);
            DocumentText first = warm.extract(corpus("testPDF.pdf"), "testPDF.pdf", Duration.ofSeconds(60));
            assertThat(first.text()).hasValueSatisfying(t -> assertThat(t).contains("Apache Tika"));
            assertThat(warm.idleWorkers()).isEqualTo(1);
        }
    }

    @Test
    void aWorkerThatCannotStartGivesExtractionFailed() {
        try (WorkerDocumentExtractor broken = WorkerDocumentExtractor.builder().jar(jar)
                .java(Paths.get("/nonexistent/bin/java")).build()) {
            DocumentText r = broken.extract(new byte[] {'%', 'P', 'D', 'F'}, "x.pdf", Duration.ofSeconds(5));
            assertThat(r.failure()).contains(Unscannable.Reason.EXTRACTION_FAILED);
        }
    }
}
