package dev.tollgate.extractor;

import static dev.tollgate.extractor.TestDocuments.CARD;
import static dev.tollgate.extractor.TestDocuments.IBAN;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

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

    /** Every index of a 16-digit card, shuffled as the digits of a card drawn out of order. */
    private static final int[] SHUFFLED = {3, 0, 5, 1, 2, 4, 7, 6, 9, 8, 11, 10, 13, 12, 15, 14};

    private static int[] inOrder(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }

    @Test
    void digitsDrawnOneGlyphPerRunReadAsTheWordTheyShow() throws Exception {
        // out of order: Tika's text has the digits scrambled; the runs join the single digits they touch
        String body = parser.parse(TestDocuments.pdfGlyphByGlyph(0, CARD, SHUFFLED, 1), "one-by-one.pdf").body;
        assertThat(body).contains("Card number: 14 111").contains("Card number: " + CARD + "\n")
                .doesNotContain(String.valueOf(PdfTextRuns.RUN_SEPARATOR));
        // printed in groups: the gaps between groups stay spaces (a card whose digits a shuffle does reorder)
        int[] spacedOrder = new int[19];
        for (int i = 0; i < 19; i++) {
            spacedOrder[i] = (i * 7) % 19;
        }
        body = parser.parse(TestDocuments.pdfGlyphByGlyph(0, "4539 1488 0343 6467", spacedOrder, 1), "groups.pdf").body;
        assertThat(body).contains("Card number: 4539 1488 0343 6467");
        // shuffled only among equal digits: the digits read the same in content-stream order, but Tika's text breaks
        // them into pieces
        body = parser.parse(TestDocuments.pdfGlyphByGlyph(0, "4111 1111 1111 1111", spacedOrder, 1), "same.pdf").body;
        assertThat(body).contains("Card number: 4 11 11").contains("Card number: 4111 1111 1111 1111");
        // in order but overprinted: Tika's text keeps the duplicates (32 digits), the runs drop them
        body = parser.parse(TestDocuments.pdfGlyphByGlyph(0, CARD, inOrder(16), 2), "overprinted.pdf").body;
        assertThat(body).contains(CARD + CARD).contains("Card number: " + CARD + "\n");
    }

    /** Decoy digits drawn under each shown digit, hidden in each way a reader cannot see: the runs read the card. */
    @Test
    void hiddenDecoyDigitsAreLeftOutOfTheRuns() throws Exception {
        for (TestDocuments.Decoy how : TestDocuments.Decoy.values()) {
            if (how == TestDocuments.Decoy.VISIBLE) {
                continue;
            }
            for (String card : new String[] {CARD, "4111 1111 1111 1111"}) {
                String body = parser.parse(TestDocuments.pdfWithDecoys(card, "97", how), "decoys.pdf").body;
                assertThat(body).as(how + " " + card).contains("Card number: " + card);
            }
        }
        // counter-case: visible digits drawn over each other are what the page shows, a smudge, not the card
        String body = parser.parse(TestDocuments.pdfWithDecoys(CARD, "97", TestDocuments.Decoy.VISIBLE), "smudge.pdf").body;
        assertThat(body).doesNotContain("Card number: " + CARD);
    }

    @Test
    void digitsDrawnOneGlyphPerRunInOrderAreNotRepeated() throws Exception {
        // counter-case: in order and drawn once, Tika's text reads the card whole: the page is not returned again
        String body = parser.parse(TestDocuments.pdfGlyphByGlyph(0, CARD, inOrder(16), 1), "in-order.pdf").body;
        assertThat(body).contains("Card number: " + CARD);
        assertThat(body.indexOf(CARD)).isEqualTo(body.lastIndexOf(CARD));
    }

    @Test
    void cellsOfFourDigitsOrMoreOrWithADecimalMarkStayApart() throws Exception {
        // counter-cases of the short digit runs: a card cell against an amount with one digit before its decimal
        // mark, and two four-digit cells, keep the separator; a cell of one to three digits joins its neighbour
        String body = parser.parse(TestDocuments.pdfTableRow("Order 17 ", CARD, "7.50"), "row.pdf").body;
        assertThat(body).contains(CARD + PdfTextRuns.RUN_SEPARATOR + "7.50");
        body = parser.parse(TestDocuments.pdfTableRow("Year ", "2026", "4111"), "row.pdf").body;
        assertThat(body).contains("2026" + PdfTextRuns.RUN_SEPARATOR + "4111");
        // drawn right to left, so the page is returned: the quantity and the card read as one number, as shown
        TestDocuments.Run qty = new TestDocuments.Run(72, 700, "Qty ");
        TestDocuments.Run twelve = new TestDocuments.Run(qty.end(), 700, "12");
        body = parser.parse(TestDocuments.pdfRuns(new TestDocuments.Run(twelve.end(), 700, CARD), twelve, qty),
                "row.pdf").body;
        assertThat(body).contains("Qty 12" + CARD + "\n").doesNotContain(String.valueOf(PdfTextRuns.RUN_SEPARATOR));
    }

    @Test
    void textDrawnAcrossARotatedPageReadsWhole() throws Exception {
        // Tika's stripper breaks text running up the shown page into pieces of one or two glyphs
        for (int[] rd : new int[][] {{270, 0}, {90, 180}, {0, 90}, {180, 270}, {90, 0}, {0, 270}}) {
            String body = parser.parse(TestDocuments.pdfTurned(rd[0], rd[1], "Card " + CARD), "turned.pdf").body;
            assertThat(body).as("rotate %d, direction %d", rd[0], rd[1]).contains("Card " + CARD);
            body = parser.parse(TestDocuments.pdfTurned(rd[0], rd[1], "Card 4111 1111 1111 1111"), "turned.pdf").body;
            assertThat(body).as("rotate %d, direction %d", rd[0], rd[1]).contains("Card 4111 1111 1111 1111");
        }
        // and digits drawn one per run, shuffled, on a page turned 270 degrees
        String body = parser.parse(TestDocuments.pdfGlyphByGlyph(270, CARD, SHUFFLED, 1), "r.pdf").body;
        assertThat(body).contains("Card number: " + CARD);
    }

    @Test
    void textAlongARotatedPageIsNotRepeated() throws Exception {
        // counter-case: text that reads across the shown page (its direction turned with the page) is Tika's
        for (int[] rd : new int[][] {{0, 0}, {90, 90}, {180, 180}, {270, 270}, {0, 180}, {270, 90}}) {
            String body = parser.parse(TestDocuments.pdfTurned(rd[0], rd[1], "Card " + CARD), "turned.pdf").body;
            assertThat(body.indexOf(CARD)).as("rotate %d, direction %d", rd[0], rd[1]).isEqualTo(body.lastIndexOf(CARD))
                    .isNotNegative();
        }
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

    /**
     * An embedded document is read with the document that holds it, and one that cannot be read makes the whole
     * document unscannable: Tika catches an embedded document's failure and goes on, which read the holder as clean.
     */
    @Test
    void anEmbeddedDocumentThatCannotBeReadMakesItsHolderUnscannable() throws Exception {
        byte[] attached = TestDocuments.docx("attached " + CARD);
        DocumentParser.Result readable = parser.parse(TestDocuments.docxEmbedding("Cover letter", attached), "a.docx");
        assertThat(readable.status).isEqualTo("OK");
        assertThat(readable.body).contains("Cover letter", "attached " + CARD);

        DocumentParser.Result locked = parser.parse(
                TestDocuments.docxEmbedding("Cover letter", TestDocuments.encrypted(attached)), "a.docx");
        assertThat(locked.status).isEqualTo("ENCRYPTED");

        byte[] truncated = java.util.Arrays.copyOf(attached, attached.length / 2);
        assertThat(parser.parse(TestDocuments.docxEmbedding("Cover letter", truncated), "a.docx").status)
                .isEqualTo("EXTRACTION_FAILED");

        assertThat(parser.parse(TestDocuments.pdfWithEmbeddedFile("a.docx", attached), "a.pdf").body)
                .contains("Page text", "attached " + CARD);
        assertThat(parser.parse(TestDocuments.pdfWithEmbeddedFile("a.docx", TestDocuments.encrypted(attached)), "a.pdf")
                .status).isEqualTo("ENCRYPTED");
        assertThat(parser.parse(TestDocuments.pdfWithEmbeddedFile("a.docx", truncated), "a.pdf").status)
                .isEqualTo("EXTRACTION_FAILED");
    }

    /**
     * An embedded archive no parser here reads is unscannable, as its entries would be lost (an attached zip is read
     * entry by entry); an embedded image is passed over (no OCR), as an attached one is.
     */
    @Test
    void anEmbeddedArchiveIsUnscannableAndAnEmbeddedImageIsNot() throws Exception {
        java.io.ByteArrayOutputStream zipped = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(zipped)) {
            zip.putNextEntry(new java.util.zip.ZipEntry("cards.txt"));
            zip.write(("card " + CARD).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        DocumentParser.Result archive = parser.parse(TestDocuments.pdfWithEmbeddedFile("a.zip", zipped.toByteArray()), "a.pdf");
        assertThat(archive.status).isEqualTo("EXTRACTION_FAILED");

        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image, "png", png);
        DocumentParser.Result picture = parser.parse(TestDocuments.pdfWithEmbeddedFile("a.png", png.toByteArray()), "a.pdf");
        assertThat(picture.status).isEqualTo("OK");
        assertThat(picture.body).contains("Page text");
    }

    /** PDFBox logs and skips a form XObject it cannot read; the text that form draws would be missing from OK. */
    @Test
    void aPdfFormXObjectThatCannotBeReadMakesTheDocumentUnscannable() throws Exception {
        DocumentParser.Result readable = parser.parse(TestDocuments.pdfDrawingAForm("form " + CARD, true), "a.pdf");
        assertThat(readable.status).isEqualTo("OK");
        assertThat(readable.body).contains("Page text", "form " + CARD);
        assertThat(parser.parse(TestDocuments.pdfDrawingAForm("form " + CARD, false), "a.pdf").status)
                .isEqualTo("EXTRACTION_FAILED");
    }

    /**
     * A viewer shows what an annotation's appearance stream draws; Tika reads only its {@code /Contents}. A stamp
     * drawing a card with other contents is read; an appearance shared by many annotations is read once; a form
     * XObject of an appearance that cannot be read makes the document unscannable.
     */
    @Test
    void whatAnAnnotationsAppearanceDrawsIsRead() throws Exception {
        DocumentParser.Result r = parser.parse(TestDocuments.pdfWithStamp("Approved " + CARD, "Approved", 1, true), "a.pdf");
        assertThat(r.status).isEqualTo("OK");
        assertThat(r.body).contains("Page text", "Approved " + CARD);
        assertThat(cards(r.body)).hasSize(1);
        DocumentParser.Result many = parser.parse(TestDocuments.pdfWithStamp("Paid " + CARD, "", 500, true), "a.pdf");
        assertThat(many.status).isEqualTo("OK");
        assertThat(cards(many.body)).hasSize(1);
        assertThat(parser.parse(TestDocuments.pdfWithStamp("Paid " + CARD, "", 1, false), "a.pdf").status)
                .isEqualTo("EXTRACTION_FAILED");
        assertThat(parser.parse(TestDocuments.pdfWithStamp("Approved", "ok", 1, true), "a.pdf").body)
                .contains("Approved", "ok").doesNotContain("4111");
    }

    /**
     * A spreadsheet's text outside its cells (text boxes, headers, embedded files) is read with the cells; an
     * embedded file that does not parse makes the workbook unscannable. Cells alone read a legacy XLS as clean.
     */
    @Test
    void aWorkbooksTextBoxesHeadersAndEmbeddedFilesAreRead() throws Exception {
        byte[] attached = TestDocuments.docx("attached 5500 0000 0000 0004");
        for (boolean xlsx : new boolean[] {false, true}) {
            String name = xlsx ? "a.xlsx" : "a.xls";
            DocumentParser.Result r = parser.parse(TestDocuments.workbookWithTextOutsideCells(xlsx, "cell",
                    "box " + CARD, "header " + IBAN, attached), name);
            assertThat(r.status).as(name + " " + r.body).isEqualTo("OK");
            assertThat(r.body).as(name).contains("cell", "box " + CARD, "header " + IBAN, "attached 5500 0000 0000 0004");

            byte[] truncated = java.util.Arrays.copyOf(attached, attached.length / 2);
            assertThat(parser.parse(TestDocuments.workbookWithTextOutsideCells(xlsx, "cell", "box", "header", truncated),
                    name).status).as(name).isEqualTo("EXTRACTION_FAILED");
            assertThat(parser.parse(TestDocuments.workbookWithTextOutsideCells(xlsx, "cell", "box", "header",
                    TestDocuments.encrypted(attached)), name).status).as(name).isEqualTo("ENCRYPTED");
        }
    }

    /** The payment cards the scanner finds in a text, by their digits. */
    static java.util.List<String> cards(String text) {
        return dev.tollgate.core.dlp.TextScanner.builder().allBuiltInDetectors().build().scan(text).stream()
                .filter(f -> f.detectorId().equals("payment-card")).map(f -> f.maskedSample()).collect(java.util.stream.Collectors.toList());
    }

    /**
     * A formula is read by its value as POI evaluates it, the result the file stores in a paragraph of its own: a
     * library writes a stale result (0) that Excel replaces on opening, so a card joined from pieces read as 0, and
     * the stored 0 written beside the value ran on into a 17-digit number.
     */
    @Test
    void aFormulasValueIsEvaluatedAndItsStoredResultReadApart() throws Exception {
        String joined = "\"4111 1111 1111 \"&(1000+111)";
        for (boolean xlsx : new boolean[] {false, true}) {
            String name = xlsx ? "a.xlsx" : "a.xls";
            DocumentParser.Result stale = parser.parse(TestDocuments.workbookWithFormula(xlsx, joined, 0.0, true, false), name);
            assertThat(stale.status).as(name).isEqualTo("OK");
            assertThat(stale.body).as(name).startsWith("Sheet1\n4111 1111 1111 1111\n").contains("\n\n0\n");
            assertThat(cards(stale.body)).as(name).containsExactly("4111 **** **** 1111");
            DocumentParser.Result same = parser.parse(TestDocuments.workbookWithFormula(xlsx, "A2*2", 0.0, false, false), name);
            assertThat(same.body).as(name).isEqualTo("Sheet1\n0\n");
        }
        assertThat(parser.parse(TestDocuments.workbookWithFormula(true, joined, null, false, false), "a.xlsx").body)
                .isEqualTo("Sheet1\n4111 1111 1111 1111\n");
    }

    /**
     * A formula POI cannot evaluate, or evaluates to an error where the file stores a value (a circular reference
     * Excel iterates), makes the workbook unscannable whatever the file claims about its calculation: a file's stored
     * results and calculation engine id are the sender's to write. An error the file stores too is read as nothing.
     */
    @Test
    void aFormulaPoiCannotEvaluateMakesTheWorkbookUnscannable() throws Exception {
        String unevaluable = "CUBEVALUE(\"a\",\"b\")";
        for (boolean xlsx : new boolean[] {false, true}) {
            String name = xlsx ? "a.xlsx" : "a.xls";
            for (boolean savedByExcel : new boolean[] {false, true}) {
                assertThat(parser.parse(TestDocuments.workbookWithFormula(xlsx, unevaluable, 7.0, savedByExcel, false), name)
                        .status).as(name).isEqualTo("EXTRACTION_FAILED");
            }
            assertThat(parser.parse(TestDocuments.workbookWithFormula(xlsx, "A1+1", 0.0, true, false), name).status)
                    .as(name + " circular").isEqualTo("EXTRACTION_FAILED");
            assertThat(parser.parse(TestDocuments.workbookWithFormula(xlsx, "1/0", null, true, false), name).status)
                    .as(name + " no stored result").isEqualTo("EXTRACTION_FAILED");
        }
        assertThat(parser.parse(TestDocuments.workbookWithFormula(true, unevaluable, null, true, false), "a.xlsx").status)
                .isEqualTo("EXTRACTION_FAILED");
    }

    /**
     * A number format that writes digits of its own shows a value no cell holds ({@code 1111} through
     * {@code "4111 1111 1111 "0000}, {@code 0} through escaped digits): the shown text is read as well.
     */
    @Test
    void aNumberFormatsOwnDigitsAreRead() throws Exception {
        for (boolean xlsx : new boolean[] {false, true}) {
            String name = xlsx ? "a.xlsx" : "a.xls";
            byte[] book;
            try (org.apache.poi.ss.usermodel.Workbook wb = xlsx ? new org.apache.poi.xssf.usermodel.XSSFWorkbook()
                    : new org.apache.poi.hssf.usermodel.HSSFWorkbook(); java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream()) {
                org.apache.poi.ss.usermodel.Row row = wb.createSheet("Sheet1").createRow(0);
                String[][] cells = {{"1111", "\"4111 1111 1111 \"0000"}, {"0", "\\5\\5\\0\\0\\ \\0\\0\\0\\0\\ \\0\\0\\0\\0\\ \\0\\0\\0\\4"},
                    {"2026", "0000"}};
                for (int i = 0; i < cells.length; i++) {
                    org.apache.poi.ss.usermodel.CellStyle style = wb.createCellStyle();
                    style.setDataFormat(wb.createDataFormat().getFormat(cells[i][1]));
                    org.apache.poi.ss.usermodel.Cell cell = row.createCell(i);
                    cell.setCellValue(Double.parseDouble(cells[i][0]));
                    cell.setCellStyle(style);
                }
                wb.write(out);
                book = out.toByteArray();
            }
            DocumentParser.Result r = parser.parse(book, name);
            assertThat(r.status).as(name).isEqualTo("OK");
            assertThat(r.body).as(name).startsWith("Sheet1\n1111\t0\t2026\n")
                    .contains("\n4111 1111 1111 1111\n", "\n5500 0000 0000 0004\n").doesNotContain("\n2026\n\n");
            assertThat(cards(r.body)).as(name).contains("4111 **** **** 1111", "5500 **** **** 0004");
        }
        assertThat(DocumentParser.literals("\\4\\1 \"11\"0;[Red]0")).containsExactly("41 11");
        assertThat(DocumentParser.literals("[$4111-409]#,##0")).containsExactly("4111");
        assertThat(DocumentParser.literals("0;;;\"4111 1111 1111 1111\"")).containsExactly("4111 1111 1111 1111");
        assertThat(DocumentParser.sections("0;0;0;\"4111 1111 1111 \"@", "1111")).contains("4111 1111 1111 1111");
        assertThat(DocumentParser.sections("@\" \"@", "ab")).containsExactly("ab ab");
        assertThat(DocumentParser.sections("0.00", "1111")).containsExactly("1111");
        assertThat(DocumentParser.literals("!4!1!1!1 0")).containsExactly("4111");
        assertThat(DocumentParser.sections("!4!1!1!1 !1!1!1!1 !1!1!1!1 0000", "1111")).containsExactly("4111 1111 1111 1111");
    }

    /**
     * A workbook that turns iterative calculation on is unscannable when it holds a formula: Excel iterates a
     * circular reference (one that tests its own error, say) to a value POI does not compute.
     */
    @Test
    void aWorkbookCalculatingIterativelyIsUnscannableWithFormulas() throws Exception {
        for (boolean iterate : new boolean[] {false, true}) {
            for (boolean xlsx : new boolean[] {false, true}) {
                byte[] book;
                try (org.apache.poi.ss.usermodel.Workbook wb = xlsx ? new org.apache.poi.xssf.usermodel.XSSFWorkbook()
                        : new org.apache.poi.hssf.usermodel.HSSFWorkbook(); java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream()) {
                    org.apache.poi.ss.usermodel.Sheet sheet = wb.createSheet("Sheet1");
                    sheet.createRow(0).createCell(0).setCellFormula("1+1");
                    if (iterate && xlsx) {
                        ((org.apache.poi.xssf.usermodel.XSSFWorkbook) wb).getCTWorkbook().addNewCalcPr().setIterate(true);
                    } else if (iterate) {
                        org.apache.poi.hssf.model.InternalSheet internal = ((org.apache.poi.hssf.usermodel.HSSFSheet) sheet).getSheet();
                        ((org.apache.poi.hssf.record.IterationRecord) internal.findFirstRecordBySid(
                                org.apache.poi.hssf.record.IterationRecord.sid)).setIteration(true);
                    }
                    wb.write(out);
                    book = out.toByteArray();
                }
                String name = xlsx ? "a.xlsx" : "a.xls";
                assertThat(parser.parse(book, name).status).as(name + " iterate " + iterate)
                        .isEqualTo(iterate ? "EXTRACTION_FAILED" : "OK");
            }
        }
    }

    /**
     * Formats show digits no cell holds in other ways too: a text cell through a format's text section, a format
     * whose later section is all literal, and a conditional format's number format (read whether its condition
     * holds or not).
     */
    @Test
    void textSectionsLaterSectionsAndConditionalFormatsAreRead() throws Exception {
        for (boolean xlsx : new boolean[] {false, true}) {
            String name = xlsx ? "a.xlsx" : "a.xls";
            byte[] book;
            try (org.apache.poi.ss.usermodel.Workbook wb = xlsx ? new org.apache.poi.xssf.usermodel.XSSFWorkbook()
                    : new org.apache.poi.hssf.usermodel.HSSFWorkbook(); java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream()) {
                org.apache.poi.ss.usermodel.Sheet sheet = wb.createSheet("Sheet1");
                org.apache.poi.ss.usermodel.Row row = sheet.createRow(0);
                String[][] cells = {{"1111", "\"4111 1111 1111 \"@"}, {"note", ";;;\"5500 0000 0000 0004\""}};
                for (int i = 0; i < cells.length; i++) {
                    org.apache.poi.ss.usermodel.CellStyle style = wb.createCellStyle();
                    style.setDataFormat(wb.createDataFormat().getFormat(cells[i][1]));
                    org.apache.poi.ss.usermodel.Cell cell = row.createCell(i);
                    cell.setCellValue(cells[i][0]);
                    cell.setCellStyle(style);
                }
                if (xlsx) {
                    row.createCell(2).setCellFormula("1000+111"); // a formula's value, as it evaluates
                    org.apache.poi.ss.usermodel.SheetConditionalFormatting cf = sheet.getSheetConditionalFormatting();
                    org.apache.poi.ss.usermodel.ConditionalFormattingRule rule = cf.createConditionalFormattingRule("FALSE");
                    rule.createFontFormatting().setFontHeight(200); // gives the rule its differential format
                    cf.addConditionalFormatting(new org.apache.poi.ss.util.CellRangeAddress[] {
                        org.apache.poi.ss.util.CellRangeAddress.valueOf("C1")}, rule);
                    org.openxmlformats.schemas.spreadsheetml.x2006.main.CTNumFmt numFmt = ((org.apache.poi.xssf.usermodel.XSSFWorkbook) wb)
                            .getStylesSource().getDxfAt(0).addNewNumFmt();
                    numFmt.setNumFmtId(200);
                    numFmt.setFormatCode("\"6011 0009 9013 \"0000");
                }
                wb.write(out);
                book = out.toByteArray();
            }
            DocumentParser.Result r = parser.parse(book, name);
            assertThat(r.status).as(name).isEqualTo("OK");
            assertThat(r.body).as(name).contains("\n4111 1111 1111 1111\n", "\n5500 0000 0000 0004\n");
            if (xlsx) {
                assertThat(r.body).contains("\n6011 0009 9013 1111\n");
            }
        }
    }

    /** Templates and add-ins (XLTX, XLTM, XLAM) are read as workbooks are: a formula by its evaluated value. */
    @Test
    void workbookTemplatesAndAddInsAreReadAsWorkbooks() throws Exception {
        String[][] types = {{"xltx", "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml"},
            {"xltm", "application/vnd.ms-excel.template.macroEnabled.main+xml"},
            {"xlam", "application/vnd.ms-excel.addin.macroEnabled.main+xml"}};
        for (String[] type : types) {
            byte[] book;
            try (org.apache.poi.xssf.usermodel.XSSFWorkbook wb = new org.apache.poi.xssf.usermodel.XSSFWorkbook();
                 java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream()) {
                org.apache.poi.ss.usermodel.Cell cell = wb.createSheet("Sheet1").createRow(0).createCell(0);
                cell.setCellFormula("\"4111 1111 1111 \"&(1000+111)");
                cell.setCellValue(0.0);
                wb.getPackage().replaceContentType(
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", type[1]);
                wb.write(out);
                book = out.toByteArray();
            }
            String name = "a." + type[0];
            DocumentParser.Result r = parser.parse(book, name);
            assertThat(r.status).as(name).isEqualTo("OK");
            assertThat(cards(r.body)).as(name).containsExactly("4111 **** **** 1111");
        }
    }

    /**
     * A formula that refers to another workbook makes the workbook unscannable: POI gives the result the file stores
     * for the whole formula, whatever else it joins. A table reference is no such thing.
     */
    @Test
    void aFormulaReferringToAnotherWorkbookMakesTheWorkbookUnscannable() throws Exception {
        byte[] book;
        try (org.apache.poi.xssf.usermodel.XSSFWorkbook wb = new org.apache.poi.xssf.usermodel.XSSFWorkbook();
             java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream()) {
            org.apache.poi.xssf.usermodel.XSSFCell cell = wb.createSheet("Sheet1").createRow(0).createCell(0);
            cell.setCellFormula("1+1");
            cell.getCTCell().getF().setStringValue("\"4111 1111 1111 \"&(1000+111)&LEFT([1]Sheet1!A1,0)");
            cell.getCTCell().setT(org.openxmlformats.schemas.spreadsheetml.x2006.main.STCellType.STR);
            cell.getCTCell().setV("pending");
            wb.write(out);
            book = out.toByteArray();
        }
        assertThat(parser.parse(book, "a.xlsx").status).isEqualTo("EXTRACTION_FAILED");
        assertThat(DocumentParser.Formulas.refersToAnotherWorkbook("SUM(Table1[Amount])")).isFalse();
        assertThat(DocumentParser.Formulas.refersToAnotherWorkbook("\"[1]Sheet1!\"&A1")).isFalse();
        assertThat(DocumentParser.Formulas.refersToAnotherWorkbook("'[book.xlsx]My Sheet'!A1+1")).isTrue();
        assertThat(DocumentParser.Formulas.refersToAnotherWorkbook("LEFT([1]Sheet1!A1,0)")).isTrue();
    }

    /** More than a hundred documents embedded in one (a PDF listing the next one many times at each level): unscannable. */
    @Test
    void moreThanAHundredEmbeddedDocumentsMakeTheDocumentUnscannable() throws Exception {
        byte[] pdf = TestDocuments.pdf("leaf");
        for (int level = 0; level < 3; level++) {
            byte[] inner = pdf;
            pdf = WarmUp.onePagePdf("level " + level, doc -> {
                java.util.Map<String, org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification> files =
                        new java.util.LinkedHashMap<>();
                for (int i = 0; i < 5; i++) {
                    org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification spec =
                            new org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification();
                    spec.setFile("f" + i + ".pdf");
                    try {
                        spec.setEmbeddedFile(new org.apache.pdfbox.pdmodel.common.filespecification.PDEmbeddedFile(doc,
                                new java.io.ByteArrayInputStream(inner)));
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    files.put("f" + i + ".pdf", spec);
                }
                org.apache.pdfbox.pdmodel.PDEmbeddedFilesNameTreeNode tree = new org.apache.pdfbox.pdmodel.PDEmbeddedFilesNameTreeNode();
                tree.setNames(files);
                org.apache.pdfbox.pdmodel.PDDocumentNameDictionary names =
                        new org.apache.pdfbox.pdmodel.PDDocumentNameDictionary(doc.getDocumentCatalog());
                names.setEmbeddedFiles(tree);
                doc.getDocumentCatalog().setNames(names);
            });
            if (level == 1) {
                // 5 + 25 embedded documents: read
                DocumentParser.Result thirty = parser.parse(pdf, "a.pdf");
                assertThat(thirty.status).isEqualTo("OK");
                assertThat(thirty.body.split("leaf", -1)).hasSize(26);
            }
        }
        // 5 + 25 + 125
        DocumentParser.Result r = parser.parse(pdf, "a.pdf");
        assertThat(r.status).isEqualTo("EXTRACTION_FAILED");
        assertThat(r.body).contains("more than 100 embedded documents");
        assertThat(parser.parse(TestDocuments.pdf("after"), "b.pdf").status).isEqualTo("OK"); // the count starts again
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
        // a PDF header is enough: Tika's detectors do not run
        assertThat(counting.parse(TestDocuments.pdf("Card " + CARD), "a.pdf").body).contains("Card " + CARD);
        assertThat(detections.getAndSet(0)).isZero();
        assertThat(counting.parse(corpus("testPDF.pdf"), "testPDF.pdf").body).contains("Apache Tika");
        assertThat(detections.getAndSet(0)).isZero();
        // a PDF behind a byte of something else is detected as anything else is
        byte[] shifted = ("\n" + new String(TestDocuments.pdf("Card " + CARD), java.nio.charset.StandardCharsets.ISO_8859_1))
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        counting.parse(shifted, "a.pdf");
        assertThat(detections.get()).isEqualTo(1);
    }

    /** The PDF-header shortcut gives the type Tika's detectors give, for every PDF at hand, named or not. */
    @Test
    void everyPdfAtHandStartsWithTheHeaderAndTikaDetectsItAsPdf() throws Exception {
        org.apache.tika.detect.Detector tika = org.apache.tika.config.TikaConfig.getDefaultConfig().getDetector();
        java.util.Map<String, byte[]> pdfs = pdfsAtHand();
        assertThat(pdfs).hasSizeGreaterThan(20);
        for (java.util.Map.Entry<String, byte[]> e : pdfs.entrySet()) {
            assertThat(DocumentParser.startsAsPdf(e.getValue())).as(e.getKey()).isTrue();
            for (String name : new String[] {null, e.getKey()}) {
                org.apache.tika.metadata.Metadata m = new org.apache.tika.metadata.Metadata();
                if (name != null) {
                    m.set(org.apache.tika.metadata.TikaCoreProperties.RESOURCE_NAME_KEY, name);
                }
                try (org.apache.tika.io.TikaInputStream in = org.apache.tika.io.TikaInputStream.get(e.getValue())) {
                    assertThat(tika.detect(in, m).getBaseType().toString()).as(e.getKey()).isEqualTo("application/pdf");
                }
            }
        }
        assertThat(DocumentParser.startsAsPdf("%PDF".getBytes(java.nio.charset.StandardCharsets.US_ASCII))).isFalse();
        assertThat(DocumentParser.startsAsPdf(TestDocuments.docx("x"))).isFalse();
    }

    /**
     * The text stripper reads a page's contents from an array, or, past the length kept in memory, as PDFBox gives
     * them: the same bytes either way, for contents of one stream, of several (one of them compressed) and of none.
     */
    @Test
    void aPagesContentsAreTheBytesPdfboxGives() throws Exception {
        try (org.apache.pdfbox.pdmodel.PDDocument doc = new org.apache.pdfbox.pdmodel.PDDocument()) {
            org.apache.pdfbox.pdmodel.PDPage one = new org.apache.pdfbox.pdmodel.PDPage();
            one.setContents(stream(doc, "BT /F1 12 Tf 72 720 Td (4111 1111) Tj ET", false));
            org.apache.pdfbox.pdmodel.PDPage two = new org.apache.pdfbox.pdmodel.PDPage();
            two.setContents(List.of(stream(doc, "BT /F1 12 Tf 72 720 Td <0034> Tj ET", true),
                    stream(doc, "BT (1111 1111) Tj ET", false)));
            org.apache.pdfbox.pdmodel.PDPage none = new org.apache.pdfbox.pdmodel.PDPage();
            for (org.apache.pdfbox.pdmodel.PDPage page : List.of(one, two, none)) {
                byte[] expected = page.getContents().readAllBytes();
                for (int inMemory : new int[] {PdfTextRuns.FixedBoxPage.CONTENTS_IN_MEMORY, expected.length, 5, 0}) {
                    PdfTextRuns.FixedBoxPage fixed = new PdfTextRuns.FixedBoxPage(page, inMemory);
                    assertThat(fixed.getContents().readAllBytes()).as("%d in memory", inMemory).isEqualTo(expected);
                    java.io.InputStream byByte = fixed.getContents();
                    java.io.ByteArrayOutputStream read = new java.io.ByteArrayOutputStream();
                    for (int b; (b = byByte.read()) >= 0; ) {
                        read.write(b);
                    }
                    assertThat(read.toByteArray()).as("%d in memory, a byte at a time", inMemory).isEqualTo(expected);
                    assertThat(byByte.read()).isEqualTo(-1);
                }
            }
            assertThat(two.getContents().readAllBytes().length).isGreaterThan(40);
        }
    }

    private static org.apache.pdfbox.pdmodel.common.PDStream stream(org.apache.pdfbox.pdmodel.PDDocument doc,
            String operators, boolean compressed) throws java.io.IOException {
        byte[] bytes = operators.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        return compressed
                ? new org.apache.pdfbox.pdmodel.common.PDStream(doc, new java.io.ByteArrayInputStream(bytes),
                        org.apache.pdfbox.cos.COSName.FLATE_DECODE)
                : new org.apache.pdfbox.pdmodel.common.PDStream(doc, new java.io.ByteArrayInputStream(bytes));
    }

    /**
     * The parser of embedded documents answers Tika's question for the types it reads from a set asked once: Tika's
     * own parser, asked with each context a document is parsed with here (or with none), names the same types.
     */
    @Test
    void theEmbeddedParsersTypesDoNotDependOnTheContext() {
        org.apache.tika.parser.AutoDetectParser tika = new org.apache.tika.parser.AutoDetectParser();
        org.apache.tika.parser.Parser embedded = parser.embeddedDocuments();
        org.apache.tika.parser.ParseContext pdf = new org.apache.tika.parser.ParseContext();
        pdf.set(org.apache.tika.parser.Parser.class, embedded);
        pdf.set(PdfRunsParser.Runs.class, new PdfRunsParser.Runs(1000, new org.apache.tika.parser.pdf.PDFParserConfig()));
        org.apache.tika.parser.ParseContext configured = new org.apache.tika.parser.ParseContext();
        configured.set(org.apache.tika.parser.Parser.class, tika);
        configured.set(org.apache.tika.parser.pdf.PDFParserConfig.class, new org.apache.tika.parser.pdf.PDFParserConfig());
        for (org.apache.tika.parser.ParseContext context : List.of(new org.apache.tika.parser.ParseContext(), pdf, configured)) {
            java.util.Set<org.apache.tika.mime.MediaType> types = embedded.getSupportedTypes(context);
            assertThat(types).isEqualTo(tika.getSupportedTypes(context)).hasSizeGreaterThan(100);
        }
    }

    /**
     * One glyph pass: the pages' text is read with the runs and Tika's own stripper reads no glyph, and the result
     * must still be what Tika's own parser gives (its page text, annotations, form fields, bookmarks, embedded
     * files read as the worker reads embedded documents, in its order) followed by the runs read from the bytes separately, as before, for every PDF at hand (the
     * evaluation corpus's attachments included); the metadata values too, but Tika's counts of the glyphs it read
     * ({@link DocumentMetadata#addTika} leaves them out). Were Tika's stripper still reading the glyphs, each page's
     * text would come out twice.
     */
    @Test
    void pdfTextIsTikasTextThenTheRunsOfASeparateReading() throws Exception {
        java.util.Map<String, byte[]> pdfs = new java.util.LinkedHashMap<>(pdfsAtHand());
        pdfs.put("edge-cases.pdf", pdfEdgeCases());
        pdfs.putAll(brokenAndEncryptedPdfs());
        org.apache.tika.parser.AutoDetectParser tika = new org.apache.tika.parser.AutoDetectParser();
        int failed = 0;
        for (java.util.Map.Entry<String, byte[]> e : pdfs.entrySet()) {
            org.apache.tika.sax.BodyContentHandler handler = new org.apache.tika.sax.BodyContentHandler(1_000_000);
            org.apache.tika.parser.ParseContext context = new org.apache.tika.parser.ParseContext();
            context.set(org.apache.tika.parser.Parser.class, parser.embeddedDocuments()); // as the worker reads them
            org.apache.tika.metadata.Metadata tikaMetadata = new org.apache.tika.metadata.Metadata();
            tikaMetadata.set(org.apache.tika.metadata.TikaCoreProperties.RESOURCE_NAME_KEY, e.getKey());
            String runs;
            try {
                tika.parse(new java.io.ByteArrayInputStream(e.getValue()), handler, tikaMetadata, context);
                runs = PdfTextRuns.pagesTikaMisreads(e.getValue(), 1_000_000);
            } catch (Exception | StackOverflowError failure) {
                // the two readings of before could not read it: unscannable then, unscannable now
                String status = parser.parse(e.getValue(), e.getKey()).status;
                assertThat(status).as(e.getKey() + " after " + failure).isNotEqualTo("OK");
                if (failure instanceof org.apache.tika.exception.EncryptedDocumentException) {
                    assertThat(status).as(e.getKey()).isEqualTo("ENCRYPTED");
                }
                failed++;
                continue;
            }
            DocumentMetadata values = new DocumentMetadata();
            values.addTika(tikaMetadata);
            String expected;
            try (org.apache.pdfbox.pdmodel.PDDocument doc = org.apache.pdfbox.pdmodel.PDDocument.load(e.getValue())) {
                // then what the annotations' appearances draw (Tika reads their /Contents only)
                String shown = PdfAppearances.read(doc, 1_000_000);
                runs = shown.isEmpty() ? runs : runs.isEmpty() ? shown : runs + "\n\n" + shown;
                expected = runs.isEmpty() ? handler.toString() : handler + "\n\n" + runs;
                org.apache.pdfbox.pdmodel.common.PDMetadata xmp = doc.getDocumentCatalog().getMetadata();
                if (xmp != null) {
                    values.addXml("xmp", xmp.exportXMPMetadata().readAllBytes());
                }
                for (String[] kv : PdfInfo.read(doc.getDocument().getTrailer().getCOSDictionary(
                        org.apache.pdfbox.cos.COSName.INFO)).values) {
                    values.add(kv[0], kv[1]);
                }
            }
            DocumentParser.Result r = parser.parse(e.getValue(), e.getKey());
            assertThat(r.status).as(e.getKey()).isEqualTo("OK");
            assertThat(r.body).as(e.getKey()).isEqualTo(expected);
            assertThat(r.metadata.byKey()).as(e.getKey()).isEqualTo(values.byKey());
        }
        assertThat(failed).as("PDFs the readings of before could not read").isGreaterThanOrEqualTo(2);
    }

    /**
     * Encrypted with a user password (unreadable), encrypted with only an owner password (readable, as Tika reads
     * it), cut short, and with a page whose compressed content stream is garbage.
     */
    static java.util.Map<String, byte[]> brokenAndEncryptedPdfs() throws Exception {
        java.util.Map<String, byte[]> pdfs = new java.util.LinkedHashMap<>();
        pdfs.put("user-password.pdf", encryptedPdf("secret"));
        pdfs.put("owner-password-only.pdf", encryptedPdf(""));
        byte[] report = Files.readAllBytes(Paths.get(System.getProperty("tollgate.corpus", "../testdata/tika"))
                .resolveSibling("bench").resolve("report-100k.pdf"));
        pdfs.put("report-cut-short.pdf", java.util.Arrays.copyOf(report, report.length * 3 / 5));
        pdfs.put("testPDF-cut-short.pdf", java.util.Arrays.copyOf(corpus("testPDF.pdf"), 20_000));
        try (org.apache.pdfbox.pdmodel.PDDocument doc = new org.apache.pdfbox.pdmodel.PDDocument();
             java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream()) {
            org.apache.pdfbox.pdmodel.PDPage page = new org.apache.pdfbox.pdmodel.PDPage();
            org.apache.pdfbox.pdmodel.common.PDStream garbage = new org.apache.pdfbox.pdmodel.common.PDStream(doc,
                    new java.io.ByteArrayInputStream(new byte[] {'x', 'q', 1, 2, 3, (byte) 0xff, 0, 7, 'B', 'T'}));
            garbage.getCOSObject().setItem(org.apache.pdfbox.cos.COSName.FILTER, org.apache.pdfbox.cos.COSName.FLATE_DECODE);
            page.setContents(garbage);
            doc.addPage(page);
            doc.save(out);
            pdfs.put("garbage-content-stream.pdf", out.toByteArray());
        }
        return pdfs;
    }

    private static byte[] encryptedPdf(String userPassword) throws Exception {
        try (org.apache.pdfbox.pdmodel.PDDocument doc = org.apache.pdfbox.pdmodel.PDDocument.load(
                TestDocuments.pdf("Card " + CARD)); java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream()) {
            org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy policy =
                    new org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy("owner",
                            userPassword, new org.apache.pdfbox.pdmodel.encryption.AccessPermission());
            policy.setEncryptionKeyLength(128);
            doc.protect(policy);
            doc.save(out);
            return out.toByteArray();
        }
    }

    @Test
    void encryptedPdfsAreEncryptedUnlessTheUserPasswordIsEmpty() throws Exception {
        assertThat(parser.parse(encryptedPdf("secret"), "locked.pdf").status).isEqualTo("ENCRYPTED");
        DocumentParser.Result open = parser.parse(encryptedPdf(""), "open.pdf");
        assertThat(open.status).isEqualTo("OK");
        assertThat(open.body).contains("Card " + CARD);
    }

    /**
     * The cap counts the pages' text with everything else Tika writes, as when Tika's stripper wrote it: the text
     * up to a cap is what the readings of before gave with a write limit at that cap ({@code SIZE_LIMIT} where it
     * was reached; Tika lets the document's closing line breaks pass once the limit is reached, which is where the
     * body may end short of the cap). A PDF's text beyond the cap is a size limit, never a clean document.
     */
    @Test
    void aPdfsTextBeyondTheCapIsASizeLimitAsBefore() throws Exception {
        java.util.Map<String, byte[]> pdfs = new java.util.LinkedHashMap<>();
        pdfs.put("edge", pdfEdgeCases());
        pdfs.put("testPDF", corpus("testPDF.pdf"));
        pdfs.put("forms", pdfWithFormEmbeddedFileAndAnnotation());
        org.apache.tika.parser.AutoDetectParser tika = new org.apache.tika.parser.AutoDetectParser();
        for (java.util.Map.Entry<String, byte[]> e : pdfs.entrySet()) {
            byte[] pdf = e.getValue();
            int length = new DocumentParser(1_000_000).parse(pdf, "a.pdf").body.length();
            for (int cap = 1; cap <= length + 1; cap++) {
                org.apache.tika.sax.BodyContentHandler handler = new org.apache.tika.sax.BodyContentHandler(cap);
                org.apache.tika.parser.ParseContext context = new org.apache.tika.parser.ParseContext();
                context.set(org.apache.tika.parser.Parser.class, parser.embeddedDocuments()); // as the worker reads them
                String before;
                try {
                    tika.parse(new java.io.ByteArrayInputStream(pdf), handler, new org.apache.tika.metadata.Metadata(), context);
                    before = handler.toString();
                } catch (Exception failure) {
                    assertThat(org.apache.tika.exception.WriteLimitReachedException.isWriteLimitReached(failure)).isTrue();
                    before = null;
                }
                DocumentParser.Result r = new DocumentParser(cap).parse(pdf, "a.pdf");
                if (before == null) {
                    assertThat(r.status).as(e.getKey() + " cap " + cap).isEqualTo("SIZE_LIMIT");
                } else {
                    assertThat(r.status).as(e.getKey() + " cap " + cap).isIn("OK", "SIZE_LIMIT");
                    if (r.status.equals("OK")) {
                        assertThat(r.body).as(e.getKey() + " cap " + cap).startsWith(before);
                    }
                }
            }
            assertThat(new DocumentParser(length - 3).parse(pdf, "a.pdf").status).as(e.getKey()).isEqualTo("SIZE_LIMIT");
        }
    }

    @Test
    void theEdgeCasesPdfHoldsWhatItIsFor() throws Exception {
        String body = parser.parse(pdfEdgeCases(), "edge-cases.pdf").body;
        assertThat(body).contains("Card\uFFFD 4111", "5500 0000", "note on a page without contents 4012888888881881",
                "attached 4000 0566 5566 5556", "inner 5105 1051 0510 5100", "bookmark 6011 0009 9013 9424",
                "third page");
        assertThat(body.indexOf("Card")).isLessThan(body.indexOf("note on a page without")).as("page order");
        assertThat(body.indexOf("note on a page without")).isLessThan(body.indexOf("third page"));
    }

    /**
     * Three pages and what Tika reads around them: on page 1 a control character (Tika's text holds U+FFFD for it)
     * and a run drawn twice half a point apart (an overlapping duplicate); page 2 has no contents, only a text
     * annotation; page 3 has text and a file attachment annotation holding a PDF; the document's embedded files hold
     * another PDF (whose pages Tika writes after the last page), and its outline a bookmark.
     */
    static byte[] pdfEdgeCases() throws Exception {
        try (org.apache.pdfbox.pdmodel.PDDocument doc = new org.apache.pdfbox.pdmodel.PDDocument();
             java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream()) {
            org.apache.pdfbox.pdmodel.PDResources resources = new org.apache.pdfbox.pdmodel.PDResources();
            resources.put(org.apache.pdfbox.cos.COSName.getPDFName("F1"), org.apache.pdfbox.pdmodel.font.PDType1Font.HELVETICA);
            org.apache.pdfbox.pdmodel.PDPage first = new org.apache.pdfbox.pdmodel.PDPage();
            first.setResources(resources);
            first.setContents(new org.apache.pdfbox.pdmodel.common.PDStream(doc, new java.io.ByteArrayInputStream(
                    ("BT /F1 12 Tf 72 700 Td (Card\001 4111) Tj ET\n"
                            + "BT /F1 12 Tf 72 650 Td (5500 0000) Tj ET\nBT /F1 12 Tf 72.5 650 Td (5500 0000) Tj ET\n")
                            .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))));
            doc.addPage(first);
            org.apache.pdfbox.pdmodel.PDPage empty = new org.apache.pdfbox.pdmodel.PDPage();
            org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationText note =
                    new org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationText();
            note.setContents("note on a page without contents 4012888888881881");
            note.setRectangle(new org.apache.pdfbox.pdmodel.common.PDRectangle(72, 500, 20, 20));
            empty.getAnnotations().add(note);
            doc.addPage(empty);
            org.apache.pdfbox.pdmodel.PDPage third = new org.apache.pdfbox.pdmodel.PDPage();
            third.setResources(resources);
            third.setContents(new org.apache.pdfbox.pdmodel.common.PDStream(doc, new java.io.ByteArrayInputStream(
                    "BT /F1 12 Tf 72 700 Td (third page) Tj ET\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))));
            org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationFileAttachment attachment =
                    new org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationFileAttachment();
            attachment.setFile(fileSpec(doc, "attached.pdf", TestDocuments.pdf("attached 4000 0566 5566 5556")));
            attachment.setRectangle(new org.apache.pdfbox.pdmodel.common.PDRectangle(72, 400, 20, 20));
            third.getAnnotations().add(attachment);
            doc.addPage(third);
            org.apache.pdfbox.pdmodel.PDEmbeddedFilesNameTreeNode tree = new org.apache.pdfbox.pdmodel.PDEmbeddedFilesNameTreeNode();
            tree.setNames(java.util.Map.of("inner.pdf", fileSpec(doc, "inner.pdf", TestDocuments.pdf("inner 5105 1051 0510 5100"))));
            org.apache.pdfbox.pdmodel.PDDocumentNameDictionary names = new org.apache.pdfbox.pdmodel.PDDocumentNameDictionary(doc.getDocumentCatalog());
            names.setEmbeddedFiles(tree);
            doc.getDocumentCatalog().setNames(names);
            org.apache.pdfbox.pdmodel.interactive.documentnavigation.outline.PDDocumentOutline outline =
                    new org.apache.pdfbox.pdmodel.interactive.documentnavigation.outline.PDDocumentOutline();
            org.apache.pdfbox.pdmodel.interactive.documentnavigation.outline.PDOutlineItem item =
                    new org.apache.pdfbox.pdmodel.interactive.documentnavigation.outline.PDOutlineItem();
            item.setTitle("bookmark 6011 0009 9013 9424");
            item.setDestination(third);
            outline.addLast(item);
            doc.getDocumentCatalog().setDocumentOutline(outline);
            doc.save(out);
            return out.toByteArray();
        }
    }

    private static org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification fileSpec(
            org.apache.pdfbox.pdmodel.PDDocument doc, String name, byte[] content) throws Exception {
        org.apache.pdfbox.pdmodel.common.filespecification.PDEmbeddedFile file =
                new org.apache.pdfbox.pdmodel.common.filespecification.PDEmbeddedFile(doc, new java.io.ByteArrayInputStream(content));
        file.setSubtype("application/pdf");
        org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification spec =
                new org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification();
        spec.setFile(name);
        spec.setEmbeddedFile(file);
        return spec;
    }

    /**
     * Pages are left unwritten when their sorted glyphs show they cannot be returned; writing every page and
     * deciding from the text gives the same runs for every PDF at hand (the corpus's among them) and for random
     * pages of digit groups and words drawn in random order and places (touching or not, on one to three lines).
     */
    @Test
    void pagesThatCannotBeReturnedAreSkippedWithoutChangingTheRuns() throws Exception {
        int returned = 0;
        for (java.util.Map.Entry<String, byte[]> e : pdfsAtHand().entrySet()) {
            try (org.apache.pdfbox.pdmodel.PDDocument doc = org.apache.pdfbox.pdmodel.PDDocument.load(e.getValue())) {
                String all = PdfTextRuns.pagesTikaMisreads(doc, 1_000_000, false);
                assertThat(PdfTextRuns.pagesTikaMisreads(doc, 1_000_000, true)).as(e.getKey()).isEqualTo(all);
                returned += all.isEmpty() ? 0 : 1;
            }
        }
        assertThat(returned).isGreaterThan(5);
        java.util.Random random = new java.util.Random(20261204);
        String[] words = {"4111", "1111", "12", "1250.00", "Card", "ref", "7", "x", "05/27", "GB82", "-"};
        int randomReturned = 0;
        for (int n = 0; n < 200; n++) {
            int count = 2 + random.nextInt(7);
            TestDocuments.Run[] runs = new TestDocuments.Run[count];
            float x = 72;
            for (int i = 0; i < count; i++) {
                String w = words[random.nextInt(words.length)];
                runs[i] = new TestDocuments.Run(random.nextInt(3) > 0 ? x : 72 + random.nextInt(300),
                        700 - 20 * random.nextInt(3), w);
                x = runs[i].end() + (random.nextBoolean() ? 0 : 3);
            }
            if (random.nextBoolean()) {
                java.util.Collections.shuffle(java.util.Arrays.asList(runs), random);
            }
            try (org.apache.pdfbox.pdmodel.PDDocument doc = org.apache.pdfbox.pdmodel.PDDocument.load(TestDocuments.pdfRuns(runs))) {
                String all = PdfTextRuns.pagesTikaMisreads(doc, 1_000_000, false);
                assertThat(PdfTextRuns.pagesTikaMisreads(doc, 1_000_000, true)).as("page " + n).isEqualTo(all);
                randomReturned += all.isEmpty() ? 0 : 1;
            }
        }
        // both kinds of page occur: returned ones and dropped ones that had digits to compare
        assertThat(randomReturned).isBetween(20, 180);
    }

    /**
     * The runs reading drops overlapping duplicate glyphs (text drawn twice to look bold) itself, in a grid of cells
     * ({@link DuplicateGlyphs}) instead of PDFBox's trees: it gives the same runs, page written or not, as PDFBox's check for every PDF at hand
     * and for 300 random pages where runs of digits and words are drawn again at small offsets (0 to 4 pt across,
     * 0 to 3 pt down: within a third of a glyph's width or not), in random order, and 150 pages of runs drawn again
     * at the tolerance's edges and at negative, large and scaled coordinates ({@link #pdfDuplicateEdges}).
     */
    @Test
    void digitsDrawnTwiceOverThemselvesAreReadOnceInPositionOrder() throws Exception {
        // "fake bold": each group drawn a second time at the same place, in its own text object. Tika's text keeps
        // both copies (41114111 ...), so the reading in position order, which drops the copies, must be added
        try (org.apache.pdfbox.pdmodel.PDDocument doc = new org.apache.pdfbox.pdmodel.PDDocument();
             java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream()) {
            org.apache.pdfbox.pdmodel.PDPage page = new org.apache.pdfbox.pdmodel.PDPage();
            doc.addPage(page);
            try (org.apache.pdfbox.pdmodel.PDPageContentStream c = new org.apache.pdfbox.pdmodel.PDPageContentStream(doc, page)) {
                String[] groups = {"Payment card:", "4111", "1111", "1111", "1111"};
                float[] xs = {72, 160, 190, 220, 250};
                for (int k = 0; k < groups.length; k++) {
                    for (int copy = 0; copy < (k == 0 ? 1 : 2); copy++) {
                        c.beginText();
                        c.setFont(org.apache.pdfbox.pdmodel.font.PDType1Font.HELVETICA, 10);
                        c.newLineAtOffset(xs[k], 700);
                        c.showText(groups[k]);
                        c.endText();
                    }
                }
            }
            doc.save(out);
            DocumentParser.Result r = new DocumentParser(100_000).parse(out.toByteArray(), "fake-bold.pdf");
            assertThat(r.status).isEqualTo("OK");
            assertThat(r.body).contains("41114111").contains("Payment card: 4111 1111 1111 1111");
        }
    }

    @Test
    void duplicateGlyphsAreDroppedAsPdfboxDropsThem() throws Exception {
        java.util.Map<String, byte[]> pdfs = new java.util.LinkedHashMap<>(pdfsAtHand());
        java.util.Random random = new java.util.Random(4242);
        String[] words = {"4111", "1111", "12", "1250.00", "Card", "ref", "7", "05/27", "GB82", "-", "0000"};
        float[] offsets = {0f, 0.2f, 0.5f, 1f, 1.7f, 2.5f, 4f};
        for (int n = 0; n < 300; n++) {
            java.util.List<TestDocuments.Run> runs = new java.util.ArrayList<>();
            float x = 72;
            int count = 2 + random.nextInt(6);
            for (int i = 0; i < count; i++) {
                TestDocuments.Run r = new TestDocuments.Run(random.nextInt(3) > 0 ? x : 72 + random.nextInt(300),
                        700 - 20 * random.nextInt(3), words[random.nextInt(words.length)]);
                runs.add(r);
                if (random.nextInt(3) > 0) {
                    runs.add(new TestDocuments.Run(r.x + offsets[random.nextInt(offsets.length)],
                            r.y - offsets[random.nextInt(4)], r.text));
                }
                x = r.end() + (random.nextBoolean() ? 0 : 3);
            }
            java.util.Collections.shuffle(runs, random);
            pdfs.put("random page " + n, TestDocuments.pdfRuns(runs.toArray(new TestDocuments.Run[0])));
        }
        for (int n = 0; n < 150; n++) {
            pdfs.put("edge page " + n, pdfDuplicateEdges(random));
        }
        int differ = 0;
        for (java.util.Map.Entry<String, byte[]> e : pdfs.entrySet()) {
            try (org.apache.pdfbox.pdmodel.PDDocument doc = org.apache.pdfbox.pdmodel.PDDocument.load(e.getValue())) {
                for (boolean skip : new boolean[] {false, true}) {
                    String pdfbox = PdfTextRuns.pagesTikaMisreads(doc, 1_000_000, skip, true);
                    assertThat(PdfTextRuns.pagesTikaMisreads(doc, 1_000_000, skip, false)).as(e.getKey()).isEqualTo(pdfbox);
                }
                // the pages do hold duplicates that are dropped: without the check the text would differ
                org.apache.pdfbox.text.PDFTextStripper keepAll = new org.apache.pdfbox.text.PDFTextStripper();
                keepAll.setSuppressDuplicateOverlappingText(false);
                org.apache.pdfbox.text.PDFTextStripper dropping = new org.apache.pdfbox.text.PDFTextStripper();
                differ += keepAll.getText(doc).equals(dropping.getText(doc)) ? 0 : 1;
            }
        }
        assertThat(differ).isGreaterThan(100);
    }

    /**
     * A page of runs drawn again at the duplicate check's tolerance (a third of the first glyph's width, exactly as a
     * float, one float step under or over, half or twice it), across and down, at negative coordinates (off the page
     * to the left and below), at large ones (10^6 to 10^9, past the duplicate grid's end cells for small glyphs), on
     * some pages scaled by 10^18 (coordinates up to 10^28, widths of 10^18) or mirrored; some pages have a crop box
     * off the origin and a rotation. (PDFBox refuses a matrix product that overflows, so no page gives infinite or
     * NaN coordinates: {@code DuplicateGlyphsTest} covers those.)
     */
    static byte[] pdfDuplicateEdges(java.util.Random random) throws Exception {
        String[] words = {"4111", "1", "0000", "Card", "7", "ab", "-"};
        StringBuilder content = new StringBuilder();
        int scale = random.nextInt(5);
        if (scale == 1) {
            content.append("1000000000000000000 0 0 1000000000000000000 0 0 cm\n");
        } else if (scale == 2) {
            content.append("1000000000 0 0 -1000000000 0 0 cm\n-0.000000001 0 0 1000000000 0 0 cm\n");
        }
        int count = 2 + random.nextInt(5);
        for (int i = 0; i < count; i++) {
            String w = words[random.nextInt(words.length)];
            float[] bases = {72f, -40f - random.nextInt(200), 1e6f, 1e9f, 300f + random.nextInt(200) * 0.25f, -0.5f};
            float x = bases[random.nextInt(bases.length)];
            float y = random.nextBoolean() ? 700 - 20 * random.nextInt(3) : bases[random.nextInt(bases.length)];
            content.append(run(x, y, w));
            float tolerance = org.apache.pdfbox.pdmodel.font.PDType1Font.HELVETICA.getWidth(w.charAt(0)) / 1000f * 10f / 3.0f;
            float[] k = {tolerance, Math.nextDown(tolerance), Math.nextUp(tolerance), tolerance / 2, tolerance * 2, 0f};
            for (int copies = random.nextInt(3); copies > 0; copies--) {
                content.append(run(x + k[random.nextInt(k.length)] * (random.nextBoolean() ? 1 : -1),
                        y + k[random.nextInt(k.length)] * (random.nextBoolean() ? 1 : -1), w));
            }
        }
        try (org.apache.pdfbox.pdmodel.PDDocument doc = new org.apache.pdfbox.pdmodel.PDDocument();
             java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream()) {
            org.apache.pdfbox.pdmodel.PDPage page = new org.apache.pdfbox.pdmodel.PDPage();
            org.apache.pdfbox.pdmodel.PDResources resources = new org.apache.pdfbox.pdmodel.PDResources();
            resources.put(org.apache.pdfbox.cos.COSName.getPDFName("F1"), org.apache.pdfbox.pdmodel.font.PDType1Font.HELVETICA);
            page.setResources(resources);
            if (random.nextInt(3) == 0) {
                page.setCropBox(new org.apache.pdfbox.pdmodel.common.PDRectangle(-30.5f, 20.25f, 500f, 600f));
                page.setRotation(90 * random.nextInt(4));
            }
            page.setContents(new org.apache.pdfbox.pdmodel.common.PDStream(doc, new java.io.ByteArrayInputStream(
                    content.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))));
            doc.addPage(page);
            doc.save(out);
            return out.toByteArray();
        }
    }

    /** A text object drawing {@code text} at exactly {@code x}, {@code y} (written as the floats' exact decimals). */
    private static String run(float x, float y, String text) {
        return "BT /F1 10 Tf " + new java.math.BigDecimal(x).toPlainString() + " " + new java.math.BigDecimal(y).toPlainString()
                + " Td (" + text + ") Tj ET\n";
    }

    /**
     * The runs reading hands PDFBox each page with its crop box read once ({@link PdfTextRuns.FixedBoxPage}): every
     * glyph PDFBox's stripper places (text, positions, sizes, page size, matrix) and its text are the same as with
     * the page itself, for every PDF at hand and for pages whose crop box is off the origin, larger than the media
     * box or inherited, rotated each way; and the fonts are loaded once per document, as with the page itself.
     */
    @Test
    void aPageWithItsCropBoxReadOnceGivesPdfboxTheSameGlyphs() throws Exception {
        java.util.Map<String, byte[]> pdfs = new java.util.LinkedHashMap<>(pdfsAtHand());
        java.util.Random random = new java.util.Random(99);
        for (int n = 0; n < 40; n++) {
            pdfs.put("edge page " + n, pdfDuplicateEdges(random));
        }
        org.apache.pdfbox.pdmodel.common.PDRectangle[] boxes = {
            new org.apache.pdfbox.pdmodel.common.PDRectangle(-30.5f, 20.25f, 500f, 600f),
            new org.apache.pdfbox.pdmodel.common.PDRectangle(100f, 100f, 1000f, 1000f), // past the media box
            new org.apache.pdfbox.pdmodel.common.PDRectangle(0.1f, 0.3f, 611.7f, 791.9f)};
        byte[] plain = TestDocuments.pdfCardInFourRuns(CARD);
        for (int rotation = 0; rotation < 360; rotation += 90) {
            for (int b = 0; b <= boxes.length; b++) {
                try (org.apache.pdfbox.pdmodel.PDDocument doc = org.apache.pdfbox.pdmodel.PDDocument.load(plain);
                     java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream()) {
                    org.apache.pdfbox.pdmodel.PDPage page = doc.getPage(0);
                    page.setRotation(rotation);
                    if (b < boxes.length) {
                        page.setCropBox(boxes[b]);
                    } else {
                        // inherited from the page tree's root, not on the page
                        doc.getPages().getCOSObject().setItem(org.apache.pdfbox.cos.COSName.CROP_BOX, boxes[0].getCOSArray());
                    }
                    doc.save(out);
                    pdfs.put("rotation " + rotation + " box " + b, out.toByteArray());
                }
            }
        }
        for (java.util.Map.Entry<String, byte[]> e : pdfs.entrySet()) {
            String[] texts = new String[2];
            String[] glyphs = new String[2];
            int[] fontsLoaded = new int[2];
            for (int fixed = 0; fixed < 2; fixed++) {
                try (org.apache.pdfbox.pdmodel.PDDocument doc = org.apache.pdfbox.pdmodel.PDDocument.load(e.getValue())) {
                    int[] loaded = new int[1];
                    doc.setResourceCache(new org.apache.pdfbox.pdmodel.DefaultResourceCache() {
                        @Override
                        public void put(org.apache.pdfbox.cos.COSObject indirect, org.apache.pdfbox.pdmodel.font.PDFont font)
                                throws java.io.IOException {
                            loaded[0]++;
                            super.put(indirect, font);
                        }
                    });
                    StringBuilder seen = new StringBuilder();
                    boolean wrap = fixed == 1;
                    org.apache.pdfbox.text.PDFTextStripper stripper = new org.apache.pdfbox.text.PDFTextStripper() {
                        @Override
                        public void processPage(org.apache.pdfbox.pdmodel.PDPage page) throws java.io.IOException {
                            super.processPage(wrap ? new PdfTextRuns.FixedBoxPage(page) : page);
                        }

                        @Override
                        protected void processTextPosition(org.apache.pdfbox.text.TextPosition t) {
                            seen.append(t.getUnicode()).append(' ').append(t.getX()).append(' ').append(t.getY())
                                    .append(' ').append(t.getXDirAdj()).append(' ').append(t.getYDirAdj())
                                    .append(' ').append(t.getWidth()).append(' ').append(t.getWidthDirAdj())
                                    .append(' ').append(t.getHeight()).append(' ').append(t.getHeightDir())
                                    .append(' ').append(t.getPageWidth()).append(' ').append(t.getPageHeight())
                                    .append(' ').append(t.getRotation()).append(' ').append(t.getTextMatrix())
                                    .append(' ').append(t.getEndX()).append(' ').append(t.getEndY())
                                    .append(' ').append(t.getFont() == null ? null : t.getFont().getName())
                                    .append('\n');
                            super.processTextPosition(t);
                        }
                    };
                    stripper.setSortByPosition(true);
                    texts[fixed] = stripper.getText(doc);
                    glyphs[fixed] = seen.toString();
                    fontsLoaded[fixed] = loaded[0];
                }
            }
            assertThat(glyphs[1]).as(e.getKey()).isEqualTo(glyphs[0]);
            assertThat(texts[1]).as(e.getKey()).isEqualTo(texts[0]);
            assertThat(fontsLoaded[1]).as(e.getKey()).isEqualTo(fontsLoaded[0]);
        }
        // the fonts of a document of several pages sharing its fonts are loaded once, not once per page
        try (org.apache.pdfbox.pdmodel.PDDocument doc = org.apache.pdfbox.pdmodel.PDDocument.load(pdfs.get("report-100k.pdf"))) {
            java.util.List<org.apache.pdfbox.cos.COSObject> loaded = new java.util.ArrayList<>();
            doc.setResourceCache(new org.apache.pdfbox.pdmodel.DefaultResourceCache() {
                @Override
                public void put(org.apache.pdfbox.cos.COSObject indirect, org.apache.pdfbox.pdmodel.font.PDFont font)
                        throws java.io.IOException {
                    loaded.add(indirect);
                    super.put(indirect, font);
                }
            });
            assertThat(doc.getNumberOfPages()).isGreaterThan(1);
            PdfTextRuns.pagesTikaMisreads(doc, 1_000_000, false);
            assertThat(loaded).isNotEmpty().doesNotHaveDuplicates();
        }
    }

    /**
     * The PDFs of the tests, {@code testPDF.pdf}, the end-to-end benchmark's {@code testdata/bench/report-100k.pdf} and
     * every PDF attached in {@code testdata/dlp-eval}.
     */
    private static java.util.Map<String, byte[]> pdfsAtHand() throws Exception {
        java.util.Map<String, byte[]> pdfs = new java.util.LinkedHashMap<>();
        pdfs.put("testPDF.pdf", corpus("testPDF.pdf"));
        pdfs.put("runs.pdf", TestDocuments.pdfCardInFourRuns(CARD));
        pdfs.put("table.pdf", TestDocuments.pdfTableRow(CARD, "1250.00"));
        pdfs.put("plain.pdf", TestDocuments.pdf("Card " + CARD));
        pdfs.put("forms.pdf", pdfWithFormEmbeddedFileAndAnnotation());
        pdfs.put("report-100k.pdf", Files.readAllBytes(Paths.get(System.getProperty("tollgate.corpus", "../testdata/tika"))
                .resolveSibling("bench").resolve("report-100k.pdf")));
        Path eval = Paths.get(System.getProperty("tollgate.corpus", "../testdata/tika")).resolveSibling("dlp-eval");
        try (java.util.stream.Stream<Path> emls = Files.list(eval)) {
            for (Path eml : (Iterable<Path>) emls.filter(f -> f.toString().endsWith(".eml")).sorted()::iterator) {
                collectPdfs(new javax.mail.internet.MimeMessage(null, new java.io.ByteArrayInputStream(Files.readAllBytes(eml))),
                        eml.getFileName().toString(), pdfs);
            }
        }
        assertThat(pdfs.size()).isGreaterThan(20);
        return pdfs;
    }

    @Test
    void aPdfsFormFieldsAnnotationsAndEmbeddedFilesAreStillRead() throws Exception {
        String body = parser.parse(pdfWithFormEmbeddedFileAndAnnotation(), "forms.pdf").body;
        assertThat(body).contains("Page text", "field " + CARD, "note " + IBAN, "embedded 5500 0000 0000 0004");
    }

    @Test
    void tikasTextPlusTheRunsBeyondTheCapIsASizeLimit() throws Exception {
        // the runs page alone fits the cap, Tika's text plus the runs do not
        byte[] pdf = TestDocuments.pdfCardInFourRuns(CARD);
        int tikaAndRuns = new DocumentParser(1_000_000).parse(pdf, "runs.pdf").body.length();
        assertThat(new DocumentParser(tikaAndRuns).parse(pdf, "runs.pdf").status).isEqualTo("OK");
        assertThat(new DocumentParser(tikaAndRuns - 4).parse(pdf, "runs.pdf").status).isEqualTo("SIZE_LIMIT");
    }

    private static void collectPdfs(javax.mail.Part part, String name, java.util.Map<String, byte[]> pdfs) throws Exception {
        if (part.isMimeType("multipart/*")) {
            javax.mail.Multipart mp = (javax.mail.Multipart) part.getContent();
            for (int i = 0; i < mp.getCount(); i++) {
                collectPdfs(mp.getBodyPart(i), name + "/" + i, pdfs);
            }
        } else if (part.isMimeType("application/pdf")) {
            pdfs.put(name, part.getInputStream().readAllBytes());
        }
    }

    /** A page, an AcroForm text field, a text annotation and an attached file, each with its own value. */
    static byte[] pdfWithFormEmbeddedFileAndAnnotation() throws Exception {
        try (org.apache.pdfbox.pdmodel.PDDocument doc = new org.apache.pdfbox.pdmodel.PDDocument();
             java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream()) {
            org.apache.pdfbox.pdmodel.PDPage page = new org.apache.pdfbox.pdmodel.PDPage();
            doc.addPage(page);
            try (org.apache.pdfbox.pdmodel.PDPageContentStream content = new org.apache.pdfbox.pdmodel.PDPageContentStream(doc, page)) {
                content.beginText();
                content.setFont(org.apache.pdfbox.pdmodel.font.PDType1Font.HELVETICA, 12);
                content.newLineAtOffset(72, 700);
                content.showText("Page text");
                content.endText();
            }
            org.apache.pdfbox.pdmodel.interactive.form.PDAcroForm form = new org.apache.pdfbox.pdmodel.interactive.form.PDAcroForm(doc);
            doc.getDocumentCatalog().setAcroForm(form);
            org.apache.pdfbox.pdmodel.PDResources resources = new org.apache.pdfbox.pdmodel.PDResources();
            resources.put(org.apache.pdfbox.cos.COSName.getPDFName("Helv"), org.apache.pdfbox.pdmodel.font.PDType1Font.HELVETICA);
            form.setDefaultResources(resources);
            form.setDefaultAppearance("/Helv 10 Tf 0 g");
            org.apache.pdfbox.pdmodel.interactive.form.PDTextField field = new org.apache.pdfbox.pdmodel.interactive.form.PDTextField(form);
            field.setPartialName("card");
            org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationWidget widget = field.getWidgets().get(0);
            widget.setRectangle(new org.apache.pdfbox.pdmodel.common.PDRectangle(72, 600, 300, 20));
            widget.setPage(page);
            page.getAnnotations().add(widget);
            form.getFields().add(field);
            field.setValue("field " + CARD);
            org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationText note =
                    new org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationText();
            note.setContents("note " + IBAN);
            note.setRectangle(new org.apache.pdfbox.pdmodel.common.PDRectangle(72, 500, 20, 20));
            page.getAnnotations().add(note);
            org.apache.pdfbox.pdmodel.common.filespecification.PDEmbeddedFile file =
                    new org.apache.pdfbox.pdmodel.common.filespecification.PDEmbeddedFile(doc,
                            new java.io.ByteArrayInputStream("embedded 5500 0000 0000 0004".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            file.setSubtype("text/plain");
            org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification spec =
                    new org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification();
            spec.setFile("cards.txt");
            spec.setEmbeddedFile(file);
            org.apache.pdfbox.pdmodel.PDEmbeddedFilesNameTreeNode tree = new org.apache.pdfbox.pdmodel.PDEmbeddedFilesNameTreeNode();
            tree.setNames(java.util.Map.of("cards.txt", spec));
            org.apache.pdfbox.pdmodel.PDDocumentNameDictionary names = new org.apache.pdfbox.pdmodel.PDDocumentNameDictionary(doc.getDocumentCatalog());
            names.setEmbeddedFiles(tree);
            doc.getDocumentCatalog().setNames(names);
            doc.save(out);
            return out.toByteArray();
        }
    }

    /**
     * A page with fewer than two digits is not sorted: it could neither read its digits in another order nor hold a
     * boundary between two digits, so it was never returned. Random pages of letter runs and at most one digit,
     * drawn in random order and places (touching or not), give the same (empty) runs text with and without the
     * skip; pages with two digits out of order still come out.
     */
    @Test
    void pagesWithFewerThanTwoDigitsAreSkippedWithoutChangingTheRuns() throws Exception {
        java.util.Random random = new java.util.Random(20261203);
        String[] words = {"Card", "ref", "Total", "x", "IBAN", "no", "7", "A"};
        for (int n = 0; n < 60; n++) {
            int count = 2 + random.nextInt(6);
            TestDocuments.Run[] runs = new TestDocuments.Run[count];
            boolean digit = false;
            float x = 72;
            for (int i = 0; i < count; i++) {
                String w = words[random.nextInt(words.length)];
                if (w.equals("7") && digit) {
                    w = "y";
                }
                digit |= w.equals("7");
                runs[i] = new TestDocuments.Run(random.nextBoolean() ? x : 72 + random.nextInt(300), 700 - 20 * random.nextInt(3), w);
                x = runs[i].end();
            }
            java.util.Collections.shuffle(java.util.Arrays.asList(runs), random);
            byte[] pdf = TestDocuments.pdfRuns(runs);
            try (org.apache.pdfbox.pdmodel.PDDocument doc = org.apache.pdfbox.pdmodel.PDDocument.load(pdf)) {
                assertThat(PdfTextRuns.pagesTikaMisreads(doc, 1_000_000, false)).isEmpty();
                assertThat(PdfTextRuns.pagesTikaMisreads(doc, 1_000_000, true)).isEmpty();
            }
        }
        byte[] twoDigits = TestDocuments.pdfRuns(new TestDocuments.Run(200, 700, "2"), new TestDocuments.Run(100, 700, "1"));
        try (org.apache.pdfbox.pdmodel.PDDocument doc = org.apache.pdfbox.pdmodel.PDDocument.load(twoDigits)) {
            assertThat(PdfTextRuns.pagesTikaMisreads(doc, 1_000_000, true)).contains("1 2")
                    .isEqualTo(PdfTextRuns.pagesTikaMisreads(doc, 1_000_000, false));
        }
    }

    /** Every metadata value of a result, as one text. */
    static String metadataText(DocumentParser.Result r) {
        StringBuilder out = new StringBuilder();
        r.metadata.byKey().forEach((k, vs) -> vs.forEach(v -> out.append(k).append(" = ").append(v).append('\n')));
        return out.toString();
    }

    @Test
    void pdfValuesOnlyInTheInfoDictionaryOrXmpAreReturnedAsMetadata() throws Exception {
        byte[] pdf = TestDocuments.pdfWithMetadata("Quarterly report", java.util.Map.of("Title", "Card " + CARD,
                "Keywords", "iban " + IBAN.replace(" ", ""), "BillingRef", "5555 5555 5555 4444"),
                TestDocuments.xmp("<acme:secret>AKIAIOSFODNN7EXAMPLE</acme:secret>"
                        + "<dc:subject><rdf:Bag><rdf:li>3782 822463 10005</rdf:li></rdf:Bag></dc:subject>"));
        DocumentParser.Result r = parser.parse(pdf, "report.pdf");
        assertThat(r.status).isEqualTo("OK");
        assertThat(r.body).contains("Quarterly report").doesNotContain(CARD, "5555", "AKIA", "3782");
        assertThat(r.metadata.byKey().get("pdf:docinfo:custom:BillingRef")).containsExactly("5555 5555 5555 4444");
        assertThat(metadataText(r)).contains("title = Card " + CARD, "iban DE89370400440532013000", "xmp:acme:secret = AKIAIOSFODNN7EXAMPLE",
                "3782 822463 10005");
    }

    @Test
    void docxAndXlsxPropertiesAreReturnedAsMetadata() throws Exception {
        DocumentParser.Result docx = parser.parse(TestDocuments.docxWithProperties("Meeting notes", "Card " + CARD,
                java.util.Map.of("Ref", IBAN)), "notes.docx");
        assertThat(docx.status).isEqualTo("OK");
        assertThat(docx.body).doesNotContain(CARD, IBAN);
        assertThat(docx.metadata.byKey().get("custom:Ref")).containsExactly(IBAN);
        assertThat(metadataText(docx)).contains("Card " + CARD);

        DocumentParser.Result xlsx = parser.parse(TestDocuments.xlsxWithProperties("Budget", "card " + CARD,
                java.util.Map.of("Account", IBAN)), "budget.xlsx");
        assertThat(xlsx.status).as(xlsx.body).isEqualTo("OK");
        assertThat(xlsx.body).contains("Budget").doesNotContain(CARD, IBAN);
        assertThat(metadataText(xlsx)).contains("docProps/core.xml = card " + CARD,
                "docProps/custom.xml:vt:lpwstr = " + IBAN);
    }

    @Test
    void ordinaryMetadataHoldsNoValue() throws Exception {
        // counter-case: producer and creator strings, dates, XMP document and instance ids, a page count
        byte[] pdf = TestDocuments.pdfWithMetadata("Invoice 2024-0173", java.util.Map.of("Producer",
                "Microsoft\u00ae Word for Microsoft 365 (16.0.17928.20114)", "Creator", "Acrobat PDFMaker 23.1",
                "CreationDate", "D:20240513091522+02'00'"),
                TestDocuments.xmp("<xmp:CreateDate>2024-05-13T09:15:22+02:00</xmp:CreateDate>"
                        + "<xmpMM:DocumentID>uuid:4f1c9a2e-7b3d-4e8a-9c41-2d5e6f708192</xmpMM:DocumentID>"
                        + "<xmpMM:InstanceID>xmp.iid:0980117407206811822AFE5C5B1A2F4D</xmpMM:InstanceID>"
                        + "<pdf:Producer>Adobe PDF Library 23.1.175</pdf:Producer>"));
        DocumentParser.Result r = parser.parse(pdf, "invoice.pdf");
        assertThat(r.status).isEqualTo("OK");
        assertThat(metadataText(r)).contains("uuid:4f1c9a2e-7b3d-4e8a-9c41-2d5e6f708192", "Adobe PDF Library");
        dev.tollgate.core.dlp.TextScanner scanner = dev.tollgate.core.dlp.TextScanner.builder().allBuiltInDetectors().build();
        r.metadata.byKey().forEach((k, vs) -> vs.forEach(v -> assertThat(scanner.scan(v)).as(k + " = " + v).isEmpty()));
        assertThat(r.metadata.byKey().keySet()).noneMatch(k -> k.startsWith("X-TIKA:") || k.equals("Content-Type"));
    }

    @Test
    void metadataPastItsBoundsMakesTheDocumentUnscannable() throws Exception {
        java.util.Map<String, String> many = new java.util.HashMap<>();
        for (int i = 0; i < DocumentMetadata.MAX_VALUES; i++) {
            many.put("p" + i, "value " + i);
        }
        DocumentParser.Result r = parser.parse(TestDocuments.docxWithProperties("text", null, many), "many.docx");
        assertThat(r.status).isEqualTo("SIZE_LIMIT");
        assertThat(r.body).contains("metadata");
    }
    private static org.apache.pdfbox.cos.COSArray array(org.apache.pdfbox.cos.COSBase... items) {
        org.apache.pdfbox.cos.COSArray a = new org.apache.pdfbox.cos.COSArray();
        for (org.apache.pdfbox.cos.COSBase item : items) {
            a.add(item);
        }
        return a;
    }

    @Test
    void pdfInfoKeyNamesAndDictionaryAndArrayValuesAreReturnedAsMetadata() throws Exception {
        byte[] pdf = TestDocuments.pdfWithRawInfo("Quarterly report", (doc, info) -> {
            info.setString(org.apache.pdfbox.cos.COSName.getPDFName(CARD.replace(" ", "")), "x");
            org.apache.pdfbox.cos.COSDictionary billing = new org.apache.pdfbox.cos.COSDictionary();
            billing.setString("Ref", "5555 5555 5555 4444");
            billing.setItem(org.apache.pdfbox.cos.COSName.getPDFName("378282246310005"), org.apache.pdfbox.cos.COSBoolean.TRUE);
            info.setItem("Billing", billing);
            info.setItem("Parts", array(new org.apache.pdfbox.cos.COSString("6011"), new org.apache.pdfbox.cos.COSString("1111"),
                    new org.apache.pdfbox.cos.COSString("1111"), new org.apache.pdfbox.cos.COSString("1117")));
            info.setItem("Number", array(org.apache.pdfbox.cos.COSInteger.get(4012888888881881L)));
            // an indirect dictionary holding itself: read once
            org.apache.pdfbox.cos.COSDictionary loop = new org.apache.pdfbox.cos.COSDictionary();
            loop.setString("Iban", IBAN);
            org.apache.pdfbox.cos.COSObject ref;
            try {
                ref = new org.apache.pdfbox.cos.COSObject(loop);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            loop.setItem("Self", ref);
            info.setItem("Loop", ref);
        });
        DocumentParser.Result r = parser.parse(pdf, "report.pdf");
        assertThat(r.status).as(r.body).isEqualTo("OK");
        assertThat(r.metadata.byKey().get(PdfInfo.KEYS)).contains(CARD.replace(" ", ""), "Billing", "Parts");
        assertThat(r.metadata.byKey().get("pdf:docinfo:custom:Billing")).contains("Ref", "5555 5555 5555 4444",
                "378282246310005");
        assertThat(r.metadata.byKey().get("pdf:docinfo:custom:Parts")).contains("6011 1111 1111 1117");
        assertThat(r.metadata.byKey().get("pdf:docinfo:custom:Number")).contains("4012888888881881");
        assertThat(metadataText(r)).contains(IBAN);
        dev.tollgate.core.dlp.TextScanner scanner = dev.tollgate.core.dlp.TextScanner.builder().allBuiltInDetectors().build();
        long cards = r.metadata.byKey().values().stream().flatMap(java.util.List::stream)
                .filter(v -> !scanner.scan(v).isEmpty()).count();
        assertThat(cards).isGreaterThanOrEqualTo(5);
    }

    @Test
    void pdfInfoNestedPastItsBoundsMakesTheDocumentUnscannable() throws Exception {
        byte[] deep = TestDocuments.pdfWithRawInfo("text", (doc, info) -> {
            org.apache.pdfbox.cos.COSArray inner = array(new org.apache.pdfbox.cos.COSString("leaf"));
            for (int i = 0; i < PdfInfo.MAX_DEPTH + 5; i++) {
                inner = array(inner);
            }
            info.setItem("Deep", inner);
        });
        assertThat(parser.parse(deep, "deep.pdf").status).isEqualTo("SIZE_LIMIT");
        byte[] wide = TestDocuments.pdfWithRawInfo("text", (doc, info) -> {
            org.apache.pdfbox.cos.COSArray many = new org.apache.pdfbox.cos.COSArray();
            for (int i = 0; i < PdfInfo.MAX_NODES + 1; i++) {
                many.add(org.apache.pdfbox.cos.COSInteger.get(i));
            }
            info.setItem("Wide", many);
        });
        assertThat(parser.parse(wide, "wide.pdf").status).isEqualTo("SIZE_LIMIT");
    }

    @Test
    void docxCustomPropertyNamesAreReturnedAsMetadata() throws Exception {
        DocumentParser.Result docx = parser.parse(TestDocuments.docxWithProperties("Meeting notes", null,
                java.util.Map.of(CARD.replace(" ", ""), "yes", "Ref", "internal")), "notes.docx");
        assertThat(docx.status).isEqualTo("OK");
        assertThat(docx.metadata.byKey().get(DocumentParser.CUSTOM_PROPERTIES + ":property@name"))
                .contains(CARD.replace(" ", ""), "Ref");
    }

    @Test
    void ordinaryInfoKeysAndCustomPropertyNamesHoldNoValue() throws Exception {
        // counter-case: the usual Info keys, a custom entry with an array of page numbers and a dictionary of
        // settings; custom property names and their ids
        byte[] pdf = TestDocuments.pdfWithRawInfo("Invoice 2024-0173", (doc, info) -> {
            info.setString("Producer", "Microsoft\u00ae Word for Microsoft 365 (16.0.17928.20114)");
            info.setString("CreationDate", "D:20240513091522+02'00'");
            info.setItem("Pages", array(org.apache.pdfbox.cos.COSInteger.get(4000), org.apache.pdfbox.cos.COSInteger.get(12),
                    org.apache.pdfbox.cos.COSInteger.get(1300), org.apache.pdfbox.cos.COSInteger.get(1407)));
            org.apache.pdfbox.cos.COSDictionary settings = new org.apache.pdfbox.cos.COSDictionary();
            settings.setInt("Copies", 2);
            settings.setName("Duplex", "DuplexFlipLongEdge");
            info.setItem("PrintSettings", settings);
        });
        DocumentParser.Result r = parser.parse(pdf, "invoice.pdf");
        DocumentParser.Result docx = parser.parse(TestDocuments.docxWithProperties("Notes", null, java.util.Map.of(
                "ProjectCode", "PRJ-2026-0417", "Build", "16.0.17928.20114", "Approved by", "A. Example")), "notes.docx");
        dev.tollgate.core.dlp.TextScanner scanner = dev.tollgate.core.dlp.TextScanner.builder().allBuiltInDetectors().build();
        for (DocumentParser.Result x : java.util.List.of(r, docx)) {
            assertThat(x.status).isEqualTo("OK");
            x.metadata.byKey().forEach((k, vs) -> vs.forEach(v -> assertThat(scanner.scan(v)).as(k + " = " + v).isEmpty()));
        }
        assertThat(metadataText(r)).contains("pdf:docinfo:keys = PrintSettings", "DuplexFlipLongEdge");
        assertThat(metadataText(docx)).contains("property@name = Approved by");
    }
}
