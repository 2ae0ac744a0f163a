package dev.tollgate.extractor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.poi.xwpf.usermodel.XWPFDocument;

/**
 * Parses a small PDF, DOCX and XLSX, written here, a few times before the worker takes its first request:
 * the detector's and parsers' classes are loaded and their hottest paths compiled while the worker is idle
 * (it is started with James and replaced in the background), not while a mail waits. Failures are ignored:
 * warming up is an optimisation, never a reason for a worker not to start.
 */
final class WarmUp {
    /** Rounds over the three documents: enough to load every class on their paths, cheap enough to repeat. */
    static final int ROUNDS = 3;

    private WarmUp() {
    }

    static void run(DocumentParser parser) {
        byte[][] documents;
        try {
            documents = new byte[][] {pdf(), docx(), xlsx()};
        } catch (IOException | RuntimeException e) {
            return;
        }
        for (int round = 0; round < ROUNDS; round++) {
            for (byte[] document : documents) {
                try {
                    parser.parse(document, null);
                } catch (RuntimeException e) {
                    return;
                }
            }
        }
    }

    private static byte[] pdf() throws IOException {
        return onePagePdf("warm-up", doc -> { });
    }

    /**
     * A one-page PDF (US Letter) with {@code text} in 12 pt Helvetica at (72, 700) pt; {@code before} may change the
     * document (its Info dictionary, say) just before it is saved. Tests build their PDFs with it too.
     *
     * @throws IOException if PDFBox cannot write the document
     */
    static byte[] onePagePdf(String text, java.util.function.Consumer<PDDocument> before) throws IOException {
        try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDPage page = new PDPage();
            doc.addPage(page);
            try (PDPageContentStream content = new PDPageContentStream(doc, page)) {
                content.beginText();
                content.setFont(PDType1Font.HELVETICA, 12);
                content.newLineAtOffset(72, 700);
                content.showText(text);
                content.endText();
            }
            before.accept(doc);
            doc.save(out);
            return out.toByteArray();
        }
    }

    private static byte[] docx() throws IOException {
        try (XWPFDocument doc = new XWPFDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            doc.createParagraph().createRun().setText("warm-up");
            doc.write(out);
            return out.toByteArray();
        }
    }

    private static byte[] xlsx() throws IOException {
        try (XSSFWorkbook book = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            book.createSheet("s").createRow(0).createCell(0).setCellValue("warm-up");
            book.write(out);
            return out.toByteArray();
        }
    }
}
