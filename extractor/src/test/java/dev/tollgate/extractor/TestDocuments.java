package dev.tollgate.extractor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.poi.poifs.crypt.EncryptionInfo;
import org.apache.poi.poifs.crypt.EncryptionMode;
import org.apache.poi.poifs.crypt.Encryptor;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;
import org.apache.poi.xslf.usermodel.XMLSlideShow;
import org.apache.poi.xslf.usermodel.XSLFTextBox;
import org.apache.poi.xssf.usermodel.XSSFRow;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.poi.xwpf.usermodel.XWPFDocument;

/** Documents generated with planted test values (public test card and IBAN numbers). */
final class TestDocuments {
    static final String CARD = "4111111111111111";
    static final String IBAN = "DE89 3704 0044 0532 0130 00";

    private TestDocuments() {
    }

    /** A workbook whose card number sits in a numeric cell (Excel shows it as 4.11111E+15). */
    static byte[] xlsxWithNumericCard() throws IOException {
        try (XSSFWorkbook wb = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            XSSFSheet sheet = wb.createSheet("Customers");
            XSSFRow header = sheet.createRow(0);
            header.createCell(0).setCellValue("Name");
            header.createCell(1).setCellValue("Card");
            XSSFRow row = sheet.createRow(1);
            row.createCell(0).setCellValue("Ada Lovelace");
            row.createCell(1).setCellValue(Double.parseDouble(CARD));
            row.createCell(2).setCellFormula("B2");
            wb.getCreationHelper().createFormulaEvaluator().evaluateAll(); // cached result, as Excel saves it
            wb.write(out);
            return out.toByteArray();
        }
    }

    static byte[] docx(String text) throws IOException {
        try (XWPFDocument doc = new XWPFDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            doc.createParagraph().createRun().setText(text);
            doc.write(out);
            return out.toByteArray();
        }
    }

    static byte[] pptx(String text) throws IOException {
        try (XMLSlideShow show = new XMLSlideShow(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            XSLFTextBox box = show.createSlide().createTextBox();
            box.setText(text);
            show.write(out);
            return out.toByteArray();
        }
    }

    static byte[] pdf(String text) throws IOException {
        return WarmUp.onePagePdf(text, doc -> { });
    }

    /** A text run drawn at (x, y) in 10 pt Helvetica. */
    static final class Run {
        final float x;
        final float y;
        final String text;

        Run(float x, float y, String text) {
            this.x = x;
            this.y = y;
            this.text = text;
        }

        /** @return the x just after this run's last glyph */
        float end() throws IOException {
            return x + PDType1Font.HELVETICA.getStringWidth(text) / 1000 * 10;
        }
    }

    /** A one-page PDF with each run drawn by its own text operator, in the order given. */
    static byte[] pdfRuns(Run... runs) throws IOException {
        try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDPage page = new PDPage();
            doc.addPage(page);
            try (PDPageContentStream content = new PDPageContentStream(doc, page)) {
                for (Run r : runs) {
                    content.beginText();
                    content.setFont(PDType1Font.HELVETICA, 10);
                    content.newLineAtOffset(r.x, r.y);
                    content.showText(r.text);
                    content.endText();
                }
            }
            doc.save(out);
            return out.toByteArray();
        }
    }

    /** The four groups of {@code card} (16 digits) drawn as four runs 20 pt apart, third, first, fourth, second. */
    static byte[] pdfCardInFourRuns(String card) throws IOException {
        return pdfRuns(new Run(72, 700, "Card number:"), new Run(240, 700, card.substring(8, 12)),
                new Run(160, 700, card.substring(0, 4)), new Run(280, 700, card.substring(12)),
                new Run(200, 700, card.substring(4, 8)), new Run(72, 680, "Thank you"));
    }

    /**
     * A table row whose cells are drawn as runs that touch, with the cell borders: {@code cells[0]} left-aligned
     * at x 72, each next cell starting exactly where the previous one's glyphs end (a right-aligned amount
     * against the cell border).
     */
    static byte[] pdfTableRow(String... cells) throws IOException {
        Run[] runs = new Run[cells.length + 1];
        runs[0] = new Run(72, 720, "Statement");
        float x = 72;
        for (int i = 0; i < cells.length; i++) {
            runs[i + 1] = new Run(x, 700, cells[i]);
            x = runs[i + 1].end();
        }
        return pdfRuns(runs);
    }

    /**
     * A one-page PDF with {@code /Rotate rotation}: "Card number:" at x 72, y 700, then the glyphs of {@code text}
     * from x 160, each drawn by its own text operator where it would sit had {@code text} been drawn as one run
     * (glyphs touching edge to edge; a space is a gap, not drawn), in the order {@code order} gives (indexes into
     * {@code text}), the whole sequence drawn {@code times} times (each later time overprints the first).
     */
    static byte[] pdfGlyphByGlyph(int rotation, String text, int[] order, int times) throws IOException {
        try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDPage page = new PDPage();
            page.setRotation(rotation);
            doc.addPage(page);
            try (PDPageContentStream content = new PDPageContentStream(doc, page)) {
                content.beginText();
                content.setFont(PDType1Font.HELVETICA, 10);
                content.newLineAtOffset(72, 700);
                content.showText("Card number:");
                content.endText();
                for (int t = 0; t < times; t++) {
                    for (int i : order) {
                        if (text.charAt(i) == ' ') {
                            continue;
                        }
                        content.beginText();
                        content.setFont(PDType1Font.HELVETICA, 10);
                        content.newLineAtOffset(new Run(160, 700, text.substring(0, i)).end(), 700);
                        content.showText(text.substring(i, i + 1));
                        content.endText();
                    }
                }
            }
            doc.save(out);
            return out.toByteArray();
        }
    }

    /** How a decoy digit is hidden in {@link #pdfWithDecoys}. */
    enum Decoy { INVISIBLE, WHITE, NEAR_WHITE, TINY, TWO_POINT, TRANSPARENT, SQUEEZED, VISIBLE }

    /**
     * A one-page PDF with {@code text}'s digits drawn one per text operator in order, each preceded by a decoy
     * digit ({@code decoys}, cycled) at the same place, hidden as {@code how} says (or visible, for the counter-case).
     */
    static byte[] pdfWithDecoys(String text, String decoys, Decoy how) throws IOException {
        try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDPage page = new PDPage();
            doc.addPage(page);
            try (PDPageContentStream content = new PDPageContentStream(doc, page)) {
                content.beginText();
                content.setFont(PDType1Font.HELVETICA, 10);
                content.newLineAtOffset(72, 700);
                content.showText("Card number:");
                content.endText();
                for (int i = 0; i < text.length(); i++) {
                    if (text.charAt(i) == ' ') {
                        continue;
                    }
                    float x = new Run(160, 700, text.substring(0, i)).end();
                    content.beginText();
                    content.setFont(PDType1Font.HELVETICA, how == Decoy.TINY ? 0.5f : how == Decoy.TWO_POINT ? 2f : 10);
                    if (how == Decoy.INVISIBLE) {
                        content.setRenderingMode(org.apache.pdfbox.pdmodel.graphics.state.RenderingMode.NEITHER);
                    } else if (how == Decoy.WHITE) {
                        content.setNonStrokingColor(1f, 1f, 1f);
                    } else if (how == Decoy.NEAR_WHITE) {
                        content.setNonStrokingColor(0.97f, 0.97f, 0.97f);
                    } else if (how == Decoy.TRANSPARENT) {
                        org.apache.pdfbox.pdmodel.graphics.state.PDExtendedGraphicsState clear =
                                new org.apache.pdfbox.pdmodel.graphics.state.PDExtendedGraphicsState();
                        clear.setNonStrokingAlphaConstant(0f);
                        content.setGraphicsStateParameters(clear);
                    } else if (how == Decoy.SQUEEZED) {
                        content.setHorizontalScaling(1f);
                    }
                    content.newLineAtOffset(x, 700);
                    content.showText(String.valueOf(decoys.charAt(i % decoys.length())));
                    content.endText();
                    content.beginText();
                    content.setFont(PDType1Font.HELVETICA, 10);
                    content.setRenderingMode(org.apache.pdfbox.pdmodel.graphics.state.RenderingMode.FILL);
                    content.setNonStrokingColor(0f, 0f, 0f);
                    content.setHorizontalScaling(100f);
                    if (how == Decoy.TRANSPARENT) {
                        org.apache.pdfbox.pdmodel.graphics.state.PDExtendedGraphicsState opaque =
                                new org.apache.pdfbox.pdmodel.graphics.state.PDExtendedGraphicsState();
                        opaque.setNonStrokingAlphaConstant(1f);
                        content.setGraphicsStateParameters(opaque);
                    }
                    content.newLineAtOffset(x, 700);
                    content.showText(text.substring(i, i + 1));
                    content.endText();
                }
            }
            doc.save(out);
            return out.toByteArray();
        }
    }

    /**
     * A one-page PDF with {@code /Rotate rotation} and {@code text} drawn as one run at (300, 400) turned
     * {@code direction} degrees counter-clockwise in user space (0: horizontal).
     */
    static byte[] pdfTurned(int rotation, int direction, String text) throws IOException {
        try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDPage page = new PDPage();
            page.setRotation(rotation);
            doc.addPage(page);
            try (PDPageContentStream content = new PDPageContentStream(doc, page)) {
                content.beginText();
                content.setFont(PDType1Font.HELVETICA, 10);
                content.setTextMatrix(org.apache.pdfbox.util.Matrix.getRotateInstance(Math.toRadians(direction), 300, 400));
                content.showText(text);
                content.endText();
            }
            doc.save(out);
            return out.toByteArray();
        }
    }

    static byte[] rtf(String text) {
        return ("{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Times;}}\\f0\\fs24 " + text + "\\par}").getBytes(StandardCharsets.US_ASCII);
    }

    /** A minimal OpenDocument text: stored {@code mimetype} first, then {@code content.xml}. */
    static byte[] odt(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            byte[] mime = "application/vnd.oasis.opendocument.text".getBytes(StandardCharsets.US_ASCII);
            ZipEntry m = new ZipEntry("mimetype");
            m.setMethod(ZipEntry.STORED);
            m.setSize(mime.length);
            CRC32 crc = new CRC32();
            crc.update(mime);
            m.setCrc(crc.getValue());
            zip.putNextEntry(m);
            zip.write(mime);
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("content.xml"));
            zip.write(("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                    + "<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\""
                    + " xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\">"
                    + "<office:body><office:text><text:p>" + text + "</text:p></office:text></office:body>"
                    + "</office:document-content>").getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("META-INF/manifest.xml"));
            zip.write(("<?xml version=\"1.0\" encoding=\"UTF-8\"?><manifest:manifest"
                    + " xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\">"
                    + "<manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.text\"/>"
                    + "<manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>"
                    + "</manifest:manifest>").getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }

    /** {@code plain} (an OOXML file) encrypted with a password, as Office does (agile encryption). */
    static byte[] encrypted(byte[] plain) throws Exception {
        try (POIFSFileSystem fs = new POIFSFileSystem(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            EncryptionInfo info = new EncryptionInfo(EncryptionMode.agile);
            Encryptor enc = info.getEncryptor();
            enc.confirmPassword("secret");
            try (OutputStream os = enc.getDataStream(fs)) {
                os.write(plain);
            }
            fs.writeFilesystem(out);
            return out.toByteArray();
        }
    }

    /**
     * A one-page PDF with the given text, Info dictionary entries (standard keys such as {@code Title} or
     * {@code Producer}, or custom ones) and, when {@code xmp} is not null, that XMP packet.
     */
    static byte[] pdfWithMetadata(String text, java.util.Map<String, String> info, String xmp) throws IOException {
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
            org.apache.pdfbox.pdmodel.PDDocumentInformation information = doc.getDocumentInformation();
            info.forEach(information::setCustomMetadataValue);
            if (xmp != null) {
                doc.getDocumentCatalog().setMetadata(new org.apache.pdfbox.pdmodel.common.PDMetadata(doc,
                        new java.io.ByteArrayInputStream(xmp.getBytes(StandardCharsets.UTF_8))));
            }
            doc.save(out);
            return out.toByteArray();
        }
    }

    /** An XMP packet (ISO 16684-1) with one rdf:Description holding {@code properties} (raw XML elements). */
    static String xmp(String properties) {
        return "<?xpacket begin=\"\ufeff\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>"
                + "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">"
                + "<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\""
                + " xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" xmlns:xmpMM=\"http://ns.adobe.com/xap/1.0/mm/\""
                + " xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\" xmlns:acme=\"http://acme.example/ns/1.0/\">"
                + properties + "</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end=\"w\"?>";
    }

    /** A DOCX with the given body text, core title and custom properties. */
    static byte[] docxWithProperties(String text, String title, java.util.Map<String, String> custom) throws IOException {
        try (XWPFDocument doc = new XWPFDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            doc.createParagraph().createRun().setText(text);
            if (title != null) {
                doc.getProperties().getCoreProperties().setTitle(title);
            }
            custom.forEach((k, v) -> doc.getProperties().getCustomProperties().addProperty(k, v));
            doc.write(out);
            return out.toByteArray();
        }
    }

    /** An XLSX with one cell of text, the given core keywords and custom properties. */
    static byte[] xlsxWithProperties(String cell, String keywords, java.util.Map<String, String> custom) throws IOException {
        try (XSSFWorkbook wb = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            wb.createSheet("Sheet1").createRow(0).createCell(0).setCellValue(cell);
            if (keywords != null) {
                wb.getProperties().getCoreProperties().setKeywords(keywords);
            }
            custom.forEach((k, v) -> wb.getProperties().getCustomProperties().addProperty(k, v));
            wb.write(out);
            return out.toByteArray();
        }
    }
    /**
     * A one-page PDF with the given text whose Info dictionary {@code fill} writes directly (key names, dictionaries,
     * arrays, indirect objects: what {@link org.apache.pdfbox.pdmodel.PDDocumentInformation} does not offer).
     */
    static byte[] pdfWithRawInfo(String text, java.util.function.BiConsumer<PDDocument, org.apache.pdfbox.cos.COSDictionary> fill)
            throws IOException {
        return WarmUp.onePagePdf(text, doc -> fill.accept(doc, doc.getDocumentInformation().getCOSObject()));
    }

    /**
     * A docx holding {@code text} with a document embedded as Word embeds an attached Office file: a package part
     * under {@code word/embeddings/} that the main part links with a package relationship (ECMA-376 Part 1 §15.2.11).
     */
    static byte[] docxEmbedding(String text, byte[] embedded) throws Exception {
        try (XWPFDocument doc = new XWPFDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            doc.createParagraph().createRun().setText(text);
            org.apache.poi.openxml4j.opc.PackagePartName name =
                    org.apache.poi.openxml4j.opc.PackagingURIHelper.createPartName("/word/embeddings/Attached.docx");
            org.apache.poi.openxml4j.opc.PackagePart part = doc.getPackage().createPart(name,
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
            try (OutputStream os = part.getOutputStream()) {
                os.write(embedded);
            }
            doc.getPackagePart().addRelationship(name, org.apache.poi.openxml4j.opc.TargetMode.INTERNAL,
                    org.apache.poi.ooxml.POIXMLDocument.PACK_OBJECT_REL_TYPE);
            doc.write(out);
            return out.toByteArray();
        }
    }

    /**
     * A one-page PDF with "Page text" drawn on the page and {@code formText} drawn by a form XObject the page shows
     * ({@code Do}); with {@code decodable} false the form's stream claims {@code FlateDecode} but is not zlib data.
     */
    static byte[] pdfDrawingAForm(String formText, boolean decodable) throws IOException {
        return WarmUp.onePagePdf("Page text", doc -> {
            PDPage page = doc.getPage(0);
            org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject form = new org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject(doc);
            form.setBBox(page.getMediaBox());
            org.apache.pdfbox.pdmodel.PDResources resources = new org.apache.pdfbox.pdmodel.PDResources();
            resources.put(org.apache.pdfbox.cos.COSName.getPDFName("F1"), PDType1Font.HELVETICA);
            form.setResources(resources);
            try {
                try (OutputStream os = form.getContentStream().createOutputStream()) {
                    os.write(("BT /F1 10 Tf 72 600 Td (" + formText + ") Tj ET").getBytes(StandardCharsets.US_ASCII));
                }
                if (!decodable) {
                    form.getCOSObject().setItem(org.apache.pdfbox.cos.COSName.FILTER, org.apache.pdfbox.cos.COSName.FLATE_DECODE);
                }
                try (PDPageContentStream content = new PDPageContentStream(doc, page, PDPageContentStream.AppendMode.APPEND, true)) {
                    content.drawForm(form);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /**
     * A one-page PDF ("Page text") with a rubber stamp annotation whose normal appearance stream draws
     * {@code shownText} (its {@code /Contents}, what Tika reads of an annotation, is {@code contents}); the same
     * appearance is used by {@code copies} annotations. {@code decodable} false: the appearance draws a form XObject
     * whose stream claims a filter its bytes do not have.
     */
    static byte[] pdfWithStamp(String shownText, String contents, int copies, boolean decodable) throws IOException {
        return WarmUp.onePagePdf("Page text", doc -> {
            PDPage page = doc.getPage(0);
            org.apache.pdfbox.pdmodel.PDResources resources = new org.apache.pdfbox.pdmodel.PDResources();
            resources.put(org.apache.pdfbox.cos.COSName.getPDFName("F1"), PDType1Font.HELVETICA);
            org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceStream appearance =
                    new org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceStream(doc);
            org.apache.pdfbox.pdmodel.common.PDRectangle box = new org.apache.pdfbox.pdmodel.common.PDRectangle(100, 500, 300, 40);
            appearance.setBBox(box);
            appearance.setResources(resources);
            try {
                String draw = "BT /F1 10 Tf 105 515 Td (" + shownText + ") Tj ET";
                if (!decodable) {
                    org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject form =
                            new org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject(doc);
                    form.setBBox(box);
                    form.setResources(resources);
                    try (OutputStream os = form.getContentStream().createOutputStream()) {
                        os.write(draw.getBytes(StandardCharsets.US_ASCII));
                    }
                    form.getCOSObject().setItem(org.apache.pdfbox.cos.COSName.FILTER, org.apache.pdfbox.cos.COSName.FLATE_DECODE);
                    resources.put(org.apache.pdfbox.cos.COSName.getPDFName("Fm1"), form);
                    draw = "/Fm1 Do";
                }
                try (OutputStream os = appearance.getContentStream().createOutputStream()) {
                    os.write(draw.getBytes(StandardCharsets.US_ASCII));
                }
                for (int k = 0; k < copies; k++) {
                    org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationRubberStamp stamp =
                            new org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationRubberStamp();
                    stamp.setRectangle(box);
                    stamp.setContents(contents);
                    org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceDictionary ap =
                            new org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceDictionary();
                    ap.setNormalAppearance(appearance);
                    stamp.setAppearance(ap);
                    page.getAnnotations().add(stamp);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /** A one-page PDF ("Page text") with {@code file} in its embedded files (ISO 32000-1 §7.11.4) as {@code name}. */
    static byte[] pdfWithEmbeddedFile(String name, byte[] file) throws IOException {
        return WarmUp.onePagePdf("Page text", doc -> {
            org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification spec =
                    new org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification();
            spec.setFile(name);
            try {
                spec.setEmbeddedFile(new org.apache.pdfbox.pdmodel.common.filespecification.PDEmbeddedFile(doc,
                        new java.io.ByteArrayInputStream(file)));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            org.apache.pdfbox.pdmodel.PDEmbeddedFilesNameTreeNode tree = new org.apache.pdfbox.pdmodel.PDEmbeddedFilesNameTreeNode();
            tree.setNames(java.util.Map.of(name, spec));
            org.apache.pdfbox.pdmodel.PDDocumentNameDictionary names =
                    new org.apache.pdfbox.pdmodel.PDDocumentNameDictionary(doc.getDocumentCatalog());
            names.setEmbeddedFiles(tree);
            doc.getDocumentCatalog().setNames(names);
        });
    }

    /**
     * A workbook ({@code xlsx} true: XLSX, else XLS) with {@code cell} in A1 and each other text where a spreadsheet
     * shows text outside its cells: {@code box} in a text box inside a shape group, {@code header} in the centre
     * header, and {@code embedded} (a file, or null for none) as an embedded OLE package object, as Excel embeds a
     * file dropped on a sheet.
     */
    static byte[] workbookWithTextOutsideCells(boolean xlsx, String cell, String box, String header, byte[] embedded)
            throws IOException {
        try (org.apache.poi.ss.usermodel.Workbook wb = xlsx ? new XSSFWorkbook() : new org.apache.poi.hssf.usermodel.HSSFWorkbook();
             ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            org.apache.poi.ss.usermodel.Sheet sheet = wb.createSheet("Sheet1");
            sheet.createRow(0).createCell(0).setCellValue(cell);
            sheet.getHeader().setCenter(header);
            org.apache.poi.ss.usermodel.Drawing<?> drawing = sheet.createDrawingPatriarch();
            if (xlsx) {
                org.apache.poi.xssf.usermodel.XSSFShapeGroup group = ((org.apache.poi.xssf.usermodel.XSSFDrawing) drawing)
                        .createGroup(new org.apache.poi.xssf.usermodel.XSSFClientAnchor(0, 0, 0, 0, 1, 1, 5, 5));
                group.createTextbox(new org.apache.poi.xssf.usermodel.XSSFChildAnchor(0, 0, 100, 100))
                        .setText(new org.apache.poi.xssf.usermodel.XSSFRichTextString(box));
            } else {
                org.apache.poi.hssf.usermodel.HSSFShapeGroup group = ((org.apache.poi.hssf.usermodel.HSSFPatriarch) drawing)
                        .createGroup(new org.apache.poi.hssf.usermodel.HSSFClientAnchor(0, 0, 0, 0, (short) 1, 1, (short) 5, 5));
                group.createTextbox(new org.apache.poi.hssf.usermodel.HSSFChildAnchor(0, 0, 100, 100))
                        .setString(new org.apache.poi.hssf.usermodel.HSSFRichTextString(box));
            }
            if (embedded != null) {
                int picture = wb.addPicture(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, org.apache.poi.ss.usermodel.Workbook.PICTURE_TYPE_PNG);
                int storage = wb.addOlePackage(embedded, "attached", "attached.docx", "attached.docx");
                drawing.createObjectData(wb.getCreationHelper().createClientAnchor(), storage, picture);
            }
            wb.write(out);
            return out.toByteArray();
        }
    }

    /**
     * A workbook whose A1 holds {@code formula} with {@code cached} as the result stored for it (null: none stored,
     * as a library writes a formula it does not compute), XLSX or XLS; {@code savedByExcel} gives an XLSX the
     * calculation engine id Excel writes ({@code calcPr calcId}), {@code recalculate} sets the flag asking Excel to
     * recalculate on opening.
     */
    static byte[] workbookWithFormula(boolean xlsx, String formula, Double cached, boolean savedByExcel,
                                      boolean recalculate) throws IOException {
        try (org.apache.poi.ss.usermodel.Workbook wb = xlsx ? new XSSFWorkbook() : new org.apache.poi.hssf.usermodel.HSSFWorkbook();
             ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            org.apache.poi.ss.usermodel.Cell cell = wb.createSheet("Sheet1").createRow(0).createCell(0);
            cell.setCellFormula(formula);
            if (cached != null) {
                cell.setCellValue(cached); // on a formula cell: its cached result
            }
            if (xlsx && savedByExcel) {
                ((XSSFWorkbook) wb).getCTWorkbook().addNewCalcPr().setCalcId(191029);
            }
            wb.setForceFormulaRecalculation(recalculate);
            wb.write(out);
            return out.toByteArray();
        }
    }
}
