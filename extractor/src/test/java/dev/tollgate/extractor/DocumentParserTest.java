package dev.tollgate.extractor;

import static dev.tollgate.extractor.TestDocuments.CARD;
import static dev.tollgate.extractor.TestDocuments.IBAN;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.junit.jupiter.api.Test;

/** The parsing done inside the worker, in-process. */
class DocumentParserTest {
    final DocumentParser parser = new DocumentParser(1_000_000);

    static byte[] corpus(String name) throws Exception {
        Path p = Paths.get(System.getProperty("tollgate.corpus", "../testdata/tika")).resolve(name);
        return Files.readAllBytes(p);
    }

    @Test
    void numericCellGivesTheRawDigitsC62() throws Exception {
        DocumentParser.Result r = parser.parse(TestDocuments.xlsxWithNumericCard(), "cards.xlsx");
        assertThat(r.status).isEqualTo("OK");
        assertThat(r.body).contains("Customers", "Ada Lovelace", "Ada Lovelace\t" + CARD + "\t" + CARD)
                .doesNotContain("E+15", "E15");
    }

    @Test
    void plainNumbersKeepTheirDigits() {
        assertThat(DocumentParser.plain(4111111111111111d)).isEqualTo("4111111111111111");
        assertThat(DocumentParser.plain(12.5)).isEqualTo("12.5");
        assertThat(DocumentParser.plain(100)).isEqualTo("100");
    }

    @Test
    void officeOdfRtfAndPdfDocumentsGiveTheirText() throws Exception {
        assertThat(parser.parse(TestDocuments.docx("IBAN " + IBAN), "a.docx").body).contains("IBAN " + IBAN);
        assertThat(parser.parse(TestDocuments.pptx("Card " + CARD), "a.pptx").body).contains("Card " + CARD);
        assertThat(parser.parse(TestDocuments.pdf("Card " + CARD), "a.pdf").body).contains("Card " + CARD);
        assertThat(parser.parse(TestDocuments.rtf("Card " + CARD), "a.rtf").body).contains("Card " + CARD);
        assertThat(parser.parse(TestDocuments.odt("IBAN " + IBAN), "a.odt").body).contains("IBAN " + IBAN);
    }

    @Test
    void aCardDrawnAsFourRunsOutOfOrderReadsInPositionOrder() throws Exception {
        DocumentParser.Result r = parser.parse(TestDocuments.pdfCardInFourRuns(CARD), "runs.pdf");
        assertThat(r.status).isEqualTo("OK");
        assertThat(r.body).contains("Card number: 4111 1111 1111 1111");
    }

    @Test
    void aPdfWhoseRunsTikaReadsInOrderIsNotRepeated() throws Exception {
        // counter-case: four groups drawn in reading order and apart: Tika's text has them, once
        byte[] pdf = TestDocuments.pdfRuns(new TestDocuments.Run(72, 700, "Card"), new TestDocuments.Run(160, 700, "4111"),
                new TestDocuments.Run(200, 700, "1111"), new TestDocuments.Run(240, 700, "1111"),
                new TestDocuments.Run(280, 700, "1111"));
        String body = parser.parse(pdf, "ordered.pdf").body;
        assertThat(body).contains("4111 1111 1111 1111");
        assertThat(body.indexOf("4111")).isEqualTo(body.lastIndexOf("4111"));
    }

    @Test
    void touchingTableCellsAreSeparatedBetweenDigits() throws Exception {
        DocumentParser.Result r = parser.parse(TestDocuments.pdfTableRow("Order 17 ", CARD, "1250.00"), "row.pdf");
        assertThat(r.status).isEqualTo("OK");
        // Tika glues the cells; the run reading keeps them apart
        assertThat(r.body).contains(CARD + "1250.00").contains(CARD + PdfTextRuns.RUN_SEPARATOR + "1250.00");
    }

    @Test
    void touchingRunsWithinAWordOrAfterASpaceAreLeftAlone() throws Exception {
        // counter-case: letters touching digits, and a space between runs, need no separator: the page is Tika's
        String body = parser.parse(TestDocuments.pdfTableRow("Invoice", "2026 ", "total"), "row.pdf").body;
        assertThat(body).contains("Invoice2026 total").doesNotContain(String.valueOf(PdfTextRuns.RUN_SEPARATOR));
        assertThat(body.indexOf("2026")).isEqualTo(body.lastIndexOf("2026"));
    }

    @Test
    void corpusDocuments() throws Exception {
        assertThat(parser.parse(corpus("testWORD.docx"), "testWORD.docx").body).contains("Sample Word Document");
        assertThat(parser.parse(corpus("testEXCEL.xlsx"), "testEXCEL.xlsx").body).contains("Numbers and their Squares", "225");
        assertThat(parser.parse(corpus("testPDF.pdf"), "testPDF.pdf").body).contains("Apache Tika");
    }

    @Test
    void passwordProtectedOfficeDocumentIsEncrypted() throws Exception {
        DocumentParser.Result r = parser.parse(TestDocuments.encrypted(TestDocuments.xlsxWithNumericCard()), "locked.xlsx");
        assertThat(r.status).isEqualTo("ENCRYPTED");
        assertThat(r.body).doesNotContain(CARD);
    }

    @Test
    void garbageClaimingToBeAPdfFails() {
        DocumentParser.Result r = parser.parse("%PDF-1.4\nnot really a pdf".getBytes(), "x.pdf");
        assertThat(r.status).isEqualTo("EXTRACTION_FAILED");
    }

    @Test
    void aPlainZipPosingAsADocumentFails() throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(bytes)) {
            zip.putNextEntry(new java.util.zip.ZipEntry("[Content_Types].xml"));
            zip.write("<Types/>".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            zip.putNextEntry(new java.util.zip.ZipEntry("cards.txt"));
            zip.write(("card " + CARD).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        DocumentParser.Result r = parser.parse(bytes.toByteArray(), "fake.docx");
        assertThat(r.status).isEqualTo("EXTRACTION_FAILED");
        assertThat(parser.parse(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10}, "x.pdf").status)
                .isEqualTo("EXTRACTION_FAILED");
    }

    @Test
    void textBeyondTheCapIsASizeLimit() throws Exception {
        DocumentParser small = new DocumentParser(100);
        assertThat(small.parse(TestDocuments.docx("x".repeat(500)), "a.docx").status).isEqualTo("SIZE_LIMIT");
    }

    @Test
    void eachDocumentsTypeIsDetectedOnce() throws Exception {
        java.util.concurrent.atomic.AtomicInteger detections = new java.util.concurrent.atomic.AtomicInteger();
        org.apache.tika.detect.Detector real = org.apache.tika.config.TikaConfig.getDefaultConfig().getDetector();
        DocumentParser counting = new DocumentParser(100_000, (in, metadata) -> {
            detections.incrementAndGet();
            return real.detect(in, metadata);
        });
        assertThat(counting.parse(TestDocuments.docx("IBAN " + IBAN), "a.docx").body).contains("IBAN " + IBAN);
        assertThat(detections.getAndSet(0)).isEqualTo(1);
        assertThat(counting.parse(TestDocuments.pdf("Card " + CARD), "a.pdf").body).contains("Card " + CARD);
        assertThat(detections.getAndSet(0)).isEqualTo(1);
        assertThat(counting.parse(corpus("testPDF.pdf"), "testPDF.pdf").body).contains("Apache Tika");
        assertThat(detections.get()).isEqualTo(1);
    }
}
