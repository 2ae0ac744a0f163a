package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import dev.tollgate.core.dlp.content.StoredZip;
import dev.tollgate.it.harness.Fixtures;
import dev.tollgate.it.harness.JamesContainer;
import dev.tollgate.it.harness.Messages;
import dev.tollgate.it.harness.SmtpClient;

/**
 * DLP content extraction inside the real James 3.8.1 with the bundle deployed: the document worker is
 * found beside tollgate-core in extensions-jars/tollgate/, started with James's own {@code java}, and
 * reads an XLSX and a DOCX inside a zip attachment (also stored uncompressed); an encrypted zip, an Office
 * package disguised as a plain zip, and a zip entry renamed by a Unicode Path field are unscannable. The fixture mailet
 * {@code ExtractContentProbe} writes what extraction saw into headers of the delivered mail.
 */
@Testcontainers
class ContentExtractionIT {
    static final String DOMAIN = "tollgate.test";
    static final String BOB = "bob@" + DOMAIN;
    static final String PASSWORD = "s3cret-Passw0rd";
    static final Duration WAIT = Duration.ofSeconds(120);

    static final String PROBE = "<mailet match=\"All\" class=\"dev.tollgate.it.fixtures.ExtractContentProbe\">"
            + "<needle>Sample</needle><documentExtraction>worker</documentExtraction>"
            + "<documentExtractorHeapMb>256</documentExtractorHeapMb><documentTimeout>90s</documentTimeout>"
            + "<extractionTimePerMessage>100s</extractionTimePerMessage></mailet>\n";

    @Container
    static final JamesContainer JAMES = new JamesContainer()
            .withExtensionJar(Fixtures.jar())
            .withConfEdit("mailetcontainer.xml", xml -> xml.insertBefore(
                    "<!-- ===== Tollgate: transport facts (foundation) =====", PROBE));

    @BeforeAll
    static void users() {
        JAMES.webAdmin().addDomain(DOMAIN).addUser(BOB, PASSWORD);
    }

    static Path corpus(String name) {
        return Paths.get(System.getProperty("tollgate.corpus", "../testdata/tika")).resolve(name);
    }

    @Test
    void documentsInsideAZipAreReadByTheWorkerInsideJames() throws Exception {
        sendAndExpectBothDocumentsRead(false, "Extraction documents");
    }

    @Test
    void documentsStoredUncompressedInsideAZipAreReadToo() throws Exception {
        // the stored DOCX's own entry names lie in the zip's first bytes: the zip is still read as a zip
        sendAndExpectBothDocumentsRead(true, "Extraction stored documents");
    }

    @Test
    void anOfficePackageDisguisedAsAPlainZipIsUnscannable() throws Exception {
        // a DOCX whose first entry is a picture larger than the 4 KiB its type is told from, sent as a plain zip: read
        // entry by entry its XML would show a value split over two text runs as two pieces
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        byte[] picture = new byte[6000];
        new java.util.Random(5).nextBytes(picture);
        try (ZipOutputStream zip = new ZipOutputStream(zipped)) {
            String[][] entries = {{"word/media/image1.png", null},
                {"word/document.xml", "<w:document><w:body><w:p><w:r><w:t>Sample 4111 1111 </w:t></w:r><w:r>"
                    + "<w:t>1111 1111</w:t></w:r></w:p></w:body></w:document>"},
                {"[Content_Types].xml", "<Types/>"}};
            for (String[] e : entries) {
                zip.putNextEntry(new ZipEntry(e[0]));
                zip.write(e[1] == null ? picture : e[1].getBytes(java.nio.charset.StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        send(Messages.multipartWithAttachment("someone@sender.test", BOB, "Extraction disguised package",
                zipped.toByteArray(), "m.zip"));
        String delivered = JAMES.imap(BOB, PASSWORD).awaitMessageContaining("Extraction disguised package", WAIT);
        assertThat(delivered).contains("X-Probe-Unscannable: attachment:m.zip=EXTRACTION_FAILED");
    }

    @Test
    void aWordDocumentWhoseDirectoryPointsIntoAnImageIsUnscannable() throws Exception {
        // testWORD.docx rebuilt stored, with a second word/document.xml carrying a card hidden inside an image's data:
        // Word and archivers open the package by its central directory, which points at the hidden part; the
        // worker's parser reads it entry by entry and gets the original document
        java.util.Map<String, byte[]> parts = new java.util.LinkedHashMap<>();
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(Files.newInputStream(corpus("testWORD.docx")))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                parts.put(e.getName(), in.readAllBytes());
            }
        }
        parts.put("[Content_Types].xml", new String(parts.get("[Content_Types].xml"), java.nio.charset.StandardCharsets.UTF_8)
                .replace("</Types>", "<Default Extension=\"png\" ContentType=\"image/png\"/></Types>")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)); // a part without a type fails the parser
        byte[] original = parts.remove("word/document.xml");
        String xml = new String(original, java.nio.charset.StandardCharsets.UTF_8);
        byte[] hiddenXml = xml.replaceFirst("<w:t>", "<w:t>Card 4111 1111 1111 1111 ")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        // the part the parser reads: the original, padded to the hidden one's size, claiming its CRC
        byte[] visibleXml = java.util.Arrays.copyOf(original, hiddenXml.length);
        java.util.Arrays.fill(visibleXml, original.length, visibleXml.length, (byte) ' ');
        StoredZip zip = new StoredZip();
        parts.forEach(zip::entry);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        int hidden = zip.offset() + 30 + "word/media/image9.png".length() + png.size();
        png.write(StoredZip.localHeader("word/document.xml", hiddenXml, StoredZip.crc(hiddenXml)));
        png.write(hiddenXml);
        zip.entry("word/media/image9.png", png.toByteArray());
        zip.local("word/document.xml", visibleXml, StoredZip.crc(hiddenXml));
        byte[] docx = zip.listed("word/document.xml", hiddenXml, StoredZip.crc(hiddenXml), hidden).finish();

        Path file = Files.createTempFile("hidden", ".docx");
        try {
            Files.write(file, docx);
            try (java.util.zip.ZipFile byDirectory = new java.util.zip.ZipFile(file.toFile())) {
                assertThat(new String(byDirectory.getInputStream(byDirectory.getEntry("word/document.xml")).readAllBytes(),
                        java.nio.charset.StandardCharsets.UTF_8)).contains("Card 4111 1111 1111 1111");
            }
        } finally {
            Files.delete(file);
        }
        send(Messages.multipartWithAttachment("someone@sender.test", BOB, "Extraction hidden part", docx, "x.docx"));
        String delivered = JAMES.imap(BOB, PASSWORD).awaitMessageContaining("Extraction hidden part", WAIT);
        // the worker read the document the parser was given, only the directory's part is unscannable
        assertThat(delivered).contains("X-Probe-Unscannable: attachment:x.docx!/word/document.xml=EXTRACTION_FAILED\r\n")
                .containsPattern("X-Probe-Found: [^\r\n]*attachment:x\\.docx");
    }

    @Test
    void partsNoRelationshipGivesTheParserAreReadInsideJames() throws Exception {
        // testWORD.docx with a part Word keeps but no relationship reaches and a part only a header relationship from
        // the package itself points to, and a plain zip whose [Content_Types].xml makes it look like a package: the
        // worker's parser reads none of those files, Tollgate reads them all
        ByteArrayOutputStream docx = new ByteArrayOutputStream();
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(Files.newInputStream(corpus("testWORD.docx")));
             ZipOutputStream out = new ZipOutputStream(docx)) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                out.putNextEntry(new ZipEntry(e.getName()));
                byte[] data = in.readAllBytes();
                if (e.getName().equals("_rels/.rels")) {
                    // a header relationship from the package itself, which the parser does not follow
                    data = new String(data, java.nio.charset.StandardCharsets.UTF_8).replace("</Relationships>",
                            "<Relationship Id=\"rId99\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
                                    + "relationships/header\" Target=\"notes/secret.xml\"/></Relationships>")
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
                }
                out.write(data);
            }
            out.putNextEntry(new ZipEntry("word/unlisted.xml"));
            out.write("<x>Sample 4111 1111 1111 1111</x>".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.putNextEntry(new ZipEntry("notes/secret.xml"));
            out.write("<x>Sample 5555 5555 5555 4444</x>".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            out.putNextEntry(new ZipEntry("[Content_Types].xml"));
            out.write("<Types/>".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.putNextEntry(new ZipEntry("docProps/card.txt"));
            out.write("Sample 4111 1111 1111 1111".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        send(Messages.multipartWithAttachment("someone@sender.test", BOB, "Extraction unlisted part", docx.toByteArray(),
                "u.docx"));
        send(Messages.multipartWithAttachment("someone@sender.test", BOB, "Extraction package-like zip", zip.toByteArray(),
                "p.zip"));
        assertThat(JAMES.imap(BOB, PASSWORD).awaitMessageContaining("Extraction unlisted part", WAIT))
                .containsPattern("X-Probe-Found: [^\r\n]*attachment:u\\.docx!/word/unlisted\\.xml")
                .containsPattern("X-Probe-Found: [^\r\n]*attachment:u\\.docx!/notes/secret\\.xml")
                .containsPattern("X-Probe-Found: [^\r\n]*attachment:u\\.docx[,\r]")
                .containsPattern("X-Probe-Unscannable: *\r?\n");
        assertThat(JAMES.imap(BOB, PASSWORD).awaitMessageContaining("Extraction package-like zip", WAIT))
                .containsPattern("X-Probe-Found: [^\r\n]*attachment:p\\.zip!/docProps/card\\.txt");
    }

    @Test
    void anEntryRenamedByAUnicodePathFieldIsUnscannable() throws Exception {
        // page.dat in the local header and the directory, named page.html by the directory's Info-ZIP Unicode Path
        // field (0x7075), which unzip and 7-Zip follow: a browser shows its character references as digits
        byte[] html = "<p>Sample &#52;&#49;&#49;&#49; &#49;&#49;&#49;&#49; &#49;&#49;&#49;&#49; &#49;&#49;&#49;&#49;</p>"
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] dat = "page.dat".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] zip = new StoredZip().entry(dat, html, new byte[0], StoredZip.unicodePath(dat, "page.html")).finish();
        send(Messages.multipartWithAttachment("someone@sender.test", BOB, "Extraction unicode path", zip, "r.zip"));
        assertThat(JAMES.imap(BOB, PASSWORD).awaitMessageContaining("Extraction unicode path", WAIT))
                .containsPattern("X-Probe-Unscannable: [^\r\n]*attachment:r\\.zip[^\r\n=]*=EXTRACTION_FAILED");
    }

    private static void sendAndExpectBothDocumentsRead(boolean stored, String subject) throws Exception {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(zipped)) {
            for (String name : new String[] {"testWORD.docx", "testEXCEL.xlsx"}) {
                byte[] data = Files.readAllBytes(corpus(name));
                ZipEntry entry = new ZipEntry("reports/" + name);
                if (stored) {
                    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                    crc.update(data);
                    entry.setMethod(ZipEntry.STORED);
                    entry.setSize(data.length);
                    entry.setCrc(crc.getValue());
                }
                zip.putNextEntry(entry);
                zip.write(data);
                zip.closeEntry();
            }
        }
        send(Messages.multipartWithAttachment("someone@sender.test", BOB, subject, zipped.toByteArray(), "reports.zip"));
        String delivered = JAMES.imap(BOB, PASSWORD).awaitMessageContaining(subject, WAIT);
        assertThat(delivered).containsPattern("X-Probe-Found: [^\r\n]*attachment:reports\\.zip!/reports/testWORD\\.docx")
                .containsPattern("X-Probe-Found: [^\r\n]*attachment:reports\\.zip!/reports/testEXCEL\\.xlsx")
                .containsPattern("X-Probe-Unscannable: *\r?\n");
    }

    @Test
    void encryptedZipInCorpusMessageIsUnscannable() throws Exception {
        byte[] raw = Files.readAllBytes(corpus("testRFC822_encrypted_zip"));
        String message = "Subject: Extraction encrypted\r\nTo: " + BOB + "\r\n"
                + new String(raw, java.nio.charset.StandardCharsets.ISO_8859_1).replaceFirst("(?m)^Subject:", "X-Old-Subject:")
                        .replaceFirst("(?m)^To:", "X-Old-To:");
        send(message.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        String delivered = JAMES.imap(BOB, PASSWORD).awaitMessageContaining("Extraction encrypted", WAIT);
        assertThat(delivered).contains("=ENCRYPTED");
    }

    /**
     * What a PDF holds beyond its page text is read with it, and what cannot be read there makes the PDF unscannable:
     * a DOCX in its embedded files that does not parse (Tika would go on without it), a form XObject whose stream
     * does not decode (PDFBox would skip it), also in a PDF embedded in the PDF, and an embedded zip (no parser in
     * the worker reads its entries). The same PDFs with those parts readable give their text; a DOCX embedded under an
     * image's name is read by its bytes, and PostScript (no parser) as the text it is. What a stamp annotation's
     * appearance draws is read (Tika reads its /Contents only); a form in the appearance that does not decode makes
     * the PDF unscannable.
     */
    @Test
    void aPdfWhoseEmbeddedFileOrFormCannotBeReadIsUnscannable() throws Exception {
        byte[] word = Files.readAllBytes(corpus("testWORD.docx"));
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(zipped)) {
            zip.putNextEntry(new ZipEntry("cards.txt"));
            zip.write("Sample 4111 1111 1111 1111".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        byte[] postScript = "%!PS-Adobe-3.0\n72 700 moveto (Sample 4111 1111 1111 1111) show\n"
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[][] pdfs = {pdfEmbedding("report.docx", word),
            pdfEmbedding("report.docx", java.util.Arrays.copyOf(word, word.length / 2)),
            pdfDrawingAForm(true), pdfDrawingAForm(false), pdfEmbedding("cards.png", word),
            pdfEmbedding("cards.zip", zipped.toByteArray()), pdfEmbedding("print.ps", postScript),
            pdfEmbedding("form.pdf", pdfDrawingAForm(false)), pdfWithStamp(true), pdfWithStamp(false)};
        String[] subjects = {"Extraction embedded readable", "Extraction embedded broken", "Extraction form readable",
            "Extraction form broken", "Extraction embedded misnamed", "Extraction embedded archive",
            "Extraction embedded postscript", "Extraction embedded pdf form broken", "Extraction stamp readable",
            "Extraction stamp broken"};
        for (int i = 0; i < pdfs.length; i++) {
            send(Messages.multipartWithAttachment("someone@sender.test", BOB, subjects[i], pdfs[i], "e.pdf"));
        }
        for (int i = 0; i < pdfs.length; i++) {
            String delivered = JAMES.imap(BOB, PASSWORD).awaitMessageContaining(subjects[i], WAIT);
            if (i % 2 == 0) {
                assertThat(delivered).as(subjects[i]).containsPattern("X-Probe-Found: [^\r\n]*attachment:e\\.pdf")
                        .containsPattern("X-Probe-Unscannable: *\r?\n");
            } else {
                assertThat(delivered).as(subjects[i]).contains("X-Probe-Unscannable: attachment:e.pdf=EXTRACTION_FAILED\r\n");
            }
        }
    }

    /**
     * A legacy XLS's text outside its cells is read: a text box (Sample and a card in it, the cells hold neither), and
     * a file embedded on the sheet; an embedded document that is encrypted makes the workbook unscannable. (A zip
     * embedded in an XLS, a DOCX say, is stored as is and makes it unscannable anyway: a zip after other bytes.)
     */
    @Test
    void aWorkbooksTextBoxAndEmbeddedFileAreRead() throws Exception {
        byte[] word = Files.readAllBytes(corpus("testWORD.docx"));
        send(Messages.multipartWithAttachment("someone@sender.test", BOB, "Extraction xls text box",
                xls("Sample 4111 1111 1111 1111", null), "w.xls"));
        send(Messages.multipartWithAttachment("someone@sender.test", BOB, "Extraction xls embedded readable",
                xls("box", "Sample 4111 1111 1111 1111".getBytes(java.nio.charset.StandardCharsets.US_ASCII)), "w.xls"));
        send(Messages.multipartWithAttachment("someone@sender.test", BOB, "Extraction xls embedded encrypted",
                xls("box", encrypted(word)), "w.xls"));
        assertThat(JAMES.imap(BOB, PASSWORD).awaitMessageContaining("Extraction xls text box", WAIT))
                .containsPattern("X-Probe-Found: [^\r\n]*attachment:w\\.xls").containsPattern("X-Probe-Unscannable: *\r?\n");
        assertThat(JAMES.imap(BOB, PASSWORD).awaitMessageContaining("Extraction xls embedded readable", WAIT))
                .containsPattern("X-Probe-Found: [^\r\n]*attachment:w\\.xls").containsPattern("X-Probe-Unscannable: *\r?\n");
        assertThat(JAMES.imap(BOB, PASSWORD).awaitMessageContaining("Extraction xls embedded encrypted", WAIT))
                .contains("X-Probe-Unscannable: attachment:w.xls=ENCRYPTED\r\n");
    }

    /**
     * A formula is read by its value, not only by the result the file stores: a library writes 0 for a formula it
     * does not compute, and Excel shows the computed value (here Sample and a card joined from two pieces). A number
     * format's own text is read too (1111 shown as Sample and a card).
     */
    @Test
    void aFormulaIsReadByItsValueNotItsStaleStoredResult() throws Exception {
        byte[] xls;
        try (org.apache.poi.hssf.usermodel.HSSFWorkbook wb = new org.apache.poi.hssf.usermodel.HSSFWorkbook();
             ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            org.apache.poi.ss.usermodel.Cell cell = wb.createSheet("Sheet1").createRow(0).createCell(0);
            cell.setCellFormula("\"Sam\"&\"ple 4111 1111 \"&\"1111 1111\"");
            cell.setCellValue(0.0);
            wb.write(out);
            xls = out.toByteArray();
        }
        byte[] formatted;
        try (org.apache.poi.hssf.usermodel.HSSFWorkbook wb = new org.apache.poi.hssf.usermodel.HSSFWorkbook();
             ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            org.apache.poi.ss.usermodel.Cell cell = wb.createSheet("Sheet1").createRow(0).createCell(0);
            cell.setCellValue(1111);
            org.apache.poi.ss.usermodel.CellStyle style = wb.createCellStyle();
            style.setDataFormat(wb.createDataFormat().getFormat("\"Sample 4111 1111 1111 \"0000"));
            cell.setCellStyle(style);
            wb.write(out);
            formatted = out.toByteArray();
        }
        send(Messages.multipartWithAttachment("someone@sender.test", BOB, "Extraction xls number format", formatted, "n.xls"));
        assertThat(JAMES.imap(BOB, PASSWORD).awaitMessageContaining("Extraction xls number format", WAIT))
                .containsPattern("X-Probe-Found: [^\r\n]*attachment:n\\.xls").containsPattern("X-Probe-Unscannable: *\r?\n");
        send(Messages.multipartWithAttachment("someone@sender.test", BOB, "Extraction xls formula", xls, "f.xls"));
        assertThat(JAMES.imap(BOB, PASSWORD).awaitMessageContaining("Extraction xls formula", WAIT))
                .containsPattern("X-Probe-Found: [^\r\n]*attachment:f\\.xls").containsPattern("X-Probe-Unscannable: *\r?\n");
    }

    /** {@code plain} (an OOXML file) encrypted with a password as an OLE2 file (ECMA-376 standard encryption). */
    private static byte[] encrypted(byte[] plain) throws Exception {
        try (org.apache.poi.poifs.filesystem.POIFSFileSystem fs = new org.apache.poi.poifs.filesystem.POIFSFileSystem();
             ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            org.apache.poi.poifs.crypt.Encryptor encryptor = new org.apache.poi.poifs.crypt.EncryptionInfo(
                    org.apache.poi.poifs.crypt.EncryptionMode.standard).getEncryptor();
            encryptor.confirmPassword("secret");
            try (java.io.OutputStream os = encryptor.getDataStream(fs)) {
                os.write(plain);
            }
            fs.writeFilesystem(out);
            return out.toByteArray();
        }
    }

    /**
     * An XLSX with a file dropped on its sheet (an OLE package object) is read with that file and delivered: its
     * {@code xl/embeddings/oleObject1.bin} part, also read on its own as a zip entry, gives the file's text.
     */
    @Test
    void anXlsxWithAFileDroppedOnItIsReadNotUnscannable() throws Exception {
        byte[] xlsx;
        try (org.apache.poi.xssf.usermodel.XSSFWorkbook wb = new org.apache.poi.xssf.usermodel.XSSFWorkbook();
             ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            org.apache.poi.xssf.usermodel.XSSFSheet sheet = wb.createSheet("Sheet1");
            sheet.createRow(0).createCell(0).setCellValue("cell");
            int picture = wb.addPicture(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, org.apache.poi.ss.usermodel.Workbook.PICTURE_TYPE_PNG);
            sheet.createDrawingPatriarch().createObjectData(new org.apache.poi.xssf.usermodel.XSSFClientAnchor(),
                    wb.addOlePackage("Sample notes".getBytes(java.nio.charset.StandardCharsets.US_ASCII), "notes", "notes.txt",
                            "notes.txt"), picture);
            wb.write(out);
            xlsx = out.toByteArray();
        }
        send(Messages.multipartWithAttachment("someone@sender.test", BOB, "Extraction xlsx dropped file", xlsx, "d.xlsx"));
        assertThat(JAMES.imap(BOB, PASSWORD).awaitMessageContaining("Extraction xlsx dropped file", WAIT))
                .containsPattern("X-Probe-Found: [^\r\n]*attachment:d\\.xlsx").containsPattern("X-Probe-Unscannable: *\r?\n");
    }

    /** An XLS whose cell A1 holds "cell", a text box {@code box}, and {@code embedded} (or nothing) as an OLE package object. */
    private static byte[] xls(String box, byte[] embedded) throws java.io.IOException {
        try (org.apache.poi.hssf.usermodel.HSSFWorkbook wb = new org.apache.poi.hssf.usermodel.HSSFWorkbook();
             ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            org.apache.poi.hssf.usermodel.HSSFSheet sheet = wb.createSheet("Sheet1");
            sheet.createRow(0).createCell(0).setCellValue("cell");
            org.apache.poi.hssf.usermodel.HSSFPatriarch drawing = sheet.createDrawingPatriarch();
            drawing.createTextbox(new org.apache.poi.hssf.usermodel.HSSFClientAnchor(0, 0, 0, 0, (short) 1, 1, (short) 4, 4))
                    .setString(new org.apache.poi.hssf.usermodel.HSSFRichTextString(box));
            if (embedded != null) {
                int picture = wb.addPicture(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, org.apache.poi.ss.usermodel.Workbook.PICTURE_TYPE_PNG);
                drawing.createObjectData(new org.apache.poi.hssf.usermodel.HSSFClientAnchor(),
                        wb.addOlePackage(embedded, "report", "report.txt", "report.txt"), picture);
            }
            wb.write(out);
            return out.toByteArray();
        }
    }

    /** A one-page PDF with {@code file} in its embedded files as {@code name}, deflated as PDF writers store one. */
    private static byte[] pdfEmbedding(String name, byte[] file) throws java.io.IOException {
        try (org.apache.pdfbox.pdmodel.PDDocument doc = new org.apache.pdfbox.pdmodel.PDDocument();
             ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            doc.addPage(new org.apache.pdfbox.pdmodel.PDPage());
            org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification spec =
                    new org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification();
            spec.setFile(name);
            spec.setEmbeddedFile(new org.apache.pdfbox.pdmodel.common.filespecification.PDEmbeddedFile(doc,
                    new java.io.ByteArrayInputStream(file), org.apache.pdfbox.cos.COSName.FLATE_DECODE));
            org.apache.pdfbox.pdmodel.PDEmbeddedFilesNameTreeNode files = new org.apache.pdfbox.pdmodel.PDEmbeddedFilesNameTreeNode();
            files.setNames(java.util.Map.of(name, spec));
            org.apache.pdfbox.pdmodel.PDDocumentNameDictionary names =
                    new org.apache.pdfbox.pdmodel.PDDocumentNameDictionary(doc.getDocumentCatalog());
            names.setEmbeddedFiles(files);
            doc.getDocumentCatalog().setNames(names);
            doc.save(out);
            return out.toByteArray();
        }
    }

    /** A one-page PDF whose page shows a form XObject drawing "Sample 4111 1111 1111 1111"; not zlib data under FlateDecode when not {@code readable}. */
    private static byte[] pdfDrawingAForm(boolean readable) throws java.io.IOException {
        try (org.apache.pdfbox.pdmodel.PDDocument doc = new org.apache.pdfbox.pdmodel.PDDocument();
             ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            org.apache.pdfbox.pdmodel.PDPage page = new org.apache.pdfbox.pdmodel.PDPage();
            doc.addPage(page);
            org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject form = new org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject(doc);
            form.setBBox(page.getMediaBox());
            org.apache.pdfbox.pdmodel.PDResources fonts = new org.apache.pdfbox.pdmodel.PDResources();
            fonts.put(org.apache.pdfbox.cos.COSName.getPDFName("F1"), org.apache.pdfbox.pdmodel.font.PDType1Font.HELVETICA);
            form.setResources(fonts);
            try (java.io.OutputStream os = form.getContentStream().createOutputStream()) {
                os.write("BT /F1 10 Tf 72 600 Td (Sample 4111 1111 1111 1111) Tj ET".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
            if (!readable) {
                form.getCOSObject().setItem(org.apache.pdfbox.cos.COSName.FILTER, org.apache.pdfbox.cos.COSName.FLATE_DECODE);
            }
            try (org.apache.pdfbox.pdmodel.PDPageContentStream content = new org.apache.pdfbox.pdmodel.PDPageContentStream(doc, page)) {
                content.drawForm(form);
            }
            doc.save(out);
            return out.toByteArray();
        }
    }

    /**
     * A one-page PDF with a rubber stamp annotation ({@code /Contents} "Approved") whose appearance stream draws
     * "Sample 4111 1111 1111 1111" itself, or, not {@code readable}, through a form XObject that is not zlib data
     * under FlateDecode.
     */
    private static byte[] pdfWithStamp(boolean readable) throws java.io.IOException {
        try (org.apache.pdfbox.pdmodel.PDDocument doc = new org.apache.pdfbox.pdmodel.PDDocument();
             ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            org.apache.pdfbox.pdmodel.PDPage page = new org.apache.pdfbox.pdmodel.PDPage();
            doc.addPage(page);
            org.apache.pdfbox.pdmodel.PDResources fonts = new org.apache.pdfbox.pdmodel.PDResources();
            fonts.put(org.apache.pdfbox.cos.COSName.getPDFName("F1"), org.apache.pdfbox.pdmodel.font.PDType1Font.HELVETICA);
            org.apache.pdfbox.pdmodel.common.PDRectangle box = new org.apache.pdfbox.pdmodel.common.PDRectangle(72, 600, 300, 40);
            String draw = "BT /F1 10 Tf 80 615 Td (Sample 4111 1111 1111 1111) Tj ET";
            if (!readable) {
                org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject form = new org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject(doc);
                form.setBBox(box);
                form.setResources(fonts);
                try (java.io.OutputStream os = form.getContentStream().createOutputStream()) {
                    os.write(draw.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                }
                form.getCOSObject().setItem(org.apache.pdfbox.cos.COSName.FILTER, org.apache.pdfbox.cos.COSName.FLATE_DECODE);
                fonts.put(org.apache.pdfbox.cos.COSName.getPDFName("Fm1"), form);
                draw = "/Fm1 Do";
            }
            org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceStream appearance =
                    new org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceStream(doc);
            appearance.setBBox(box);
            appearance.setResources(fonts);
            try (java.io.OutputStream os = appearance.getContentStream().createOutputStream()) {
                os.write(draw.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
            org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationRubberStamp stamp =
                    new org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationRubberStamp();
            stamp.setRectangle(box);
            stamp.setContents("Approved");
            org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceDictionary ap =
                    new org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceDictionary();
            ap.setNormalAppearance(appearance);
            stamp.setAppearance(ap);
            page.getAnnotations().add(stamp);
            doc.save(out);
            return out.toByteArray();
        }
    }

    private static void send(byte[] message) {
        try (SmtpClient smtp = JAMES.smtp(JamesContainer.SMTP)) {
            smtp.ehlo("mx.sender.test");
            assertThat(smtp.mailFrom("someone@sender.test").code).isEqualTo(250);
            assertThat(smtp.rcptTo(BOB).code).isEqualTo(250);
            assertThat(smtp.data(message).code).isEqualTo(250);
        }
    }
}
