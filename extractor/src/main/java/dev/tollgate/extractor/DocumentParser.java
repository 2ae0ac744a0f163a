package dev.tollgate.extractor;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.apache.poi.EncryptedDocumentException;
import org.apache.poi.hpsf.DocumentSummaryInformation;
import org.apache.poi.hpsf.Property;
import org.apache.poi.hpsf.PropertySet;
import org.apache.poi.hssf.usermodel.HSSFWorkbook;
import org.apache.poi.openxml4j.opc.PackagePart;
import org.apache.poi.openxml4j.opc.PackageProperties;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.ss.usermodel.WorkbookFactory;
import org.apache.tika.config.TikaConfig;
import org.apache.tika.detect.Detector;
import org.apache.tika.exception.TikaException;
import org.apache.tika.exception.WriteLimitReachedException;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.mime.MediaType;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.CompositeParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.Parser;
import org.apache.tika.parser.ParserDecorator;
import org.apache.tika.sax.BodyContentHandler;
import org.xml.sax.SAXException;

/**
 * Text of one document: spreadsheets through POI with raw cell values (a numeric cell holding
 * 4111111111111111 gives those digits, not the "General" display 4.11111E+15), then their headers, footers, text
 * boxes and embedded documents, everything else
 * through Tika's parser for the type detected once, with embedded documents parsed too; a PDF's pages through
 * {@link PdfTextRuns} in one glyph pass inside Tika's PDF parser ({@link PdfRunsParser}: the page text Tika's stripper
 * would give, plus the pages whose text runs that order reads out of order or glues together). Output is capped at
 * {@code maxChars}. Beside the text, the document's metadata values ({@link DocumentMetadata}): what Tika read
 * (PDF Info dictionary and XMP, Office core and custom properties...), a PDF's whole XMP packet, a workbook's
 * properties.
 */
final class DocumentParser {
    /**
     * Outcome: a status ({@code OK} or an Unscannable reason name), the text or a detail, and on {@code OK} the
     * document's metadata values.
     */
    static final class Result {
        final String status;
        final String body;
        final DocumentMetadata metadata;

        Result(String status, String body) {
            this(status, body, new DocumentMetadata());
        }

        Result(String status, String body, DocumentMetadata metadata) {
            this.status = status;
            this.body = body;
            this.metadata = metadata;
        }
    }

    private final AutoDetectParser parser;
    private final Detector detector;
    /** The parsers of {@link #parser}, chosen by the Content-Type in the metadata (no detection). */
    private final CompositeParser byType;
    /** Tika's PDF parser, sharing its loaded document with {@link PdfTextRuns}. */
    private final PdfRunsParser pdfParser = new PdfRunsParser();
    /**
     * The types {@link #parser} reads, asked once. Tika's PDF parser asks the parser of embedded documents for them
     * on every PDF (to decide whether to read the XMP packet and XFA form as embedded documents), and a composite
     * parser answers by asking each of its parsers again: a twentieth of a text PDF's parse. None of the parsers here
     * answers differently for another parse context
     * ({@code DocumentParserTest.theEmbeddedParsersTypesDoNotDependOnTheContext}).
     */
    private final java.util.Set<MediaType> embeddedTypes;
    private final int maxChars;

    DocumentParser(int maxChars) {
        this(maxChars, TikaConfig.getDefaultConfig().getDetector());
    }

    /** @param detector detects every document's type, and the embedded documents' types */
    DocumentParser(int maxChars, Detector detector) {
        this.maxChars = maxChars;
        this.detector = detector;
        this.parser = new AutoDetectParser(detector);
        this.byType = new CompositeParser(parser.getMediaTypeRegistry(), parser.getAllComponentParsers());
        this.embeddedTypes = java.util.Collections.unmodifiableSet(
                new java.util.HashSet<>(parser.getSupportedTypes(new ParseContext())));
    }

    Result parse(byte[] document, String name) {
        embeddedDocuments = 0;
        return parse(document, name, 0);
    }

    /**
     * Workbooks read through POI ({@link #spreadsheet}): XLSX, XLSM, their templates (XLTX, XLTM), Excel add-ins
     * (XLAM) and XLS. An XLSB (binary workbook) is read by Tika.
     */
    static final java.util.Set<String> SPREADSHEETS = java.util.Set.of(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.template",
            "application/vnd.ms-excel.sheet.macroenabled.12", "application/vnd.ms-excel.template.macroenabled.12",
            "application/vnd.ms-excel.addin.macroenabled.12", "application/vnd.ms-excel");

    /** More documents than this embedded in one document (all levels) make it unscannable: each is parsed in turn. */
    static final int MAX_EMBEDDED_DOCUMENTS = 100;
    /** Embedded documents parsed so far for the document sent (the parser reads one document at a time). */
    private int embeddedDocuments;

    /** Documents embedded deeper than this in a document make it unscannable. */
    static final int MAX_EMBEDDED_DEPTH = 8;
    /** Largest embedded document read (its bytes as stored, decompressed); larger: {@code SIZE_LIMIT}. */
    static final int MAX_EMBEDDED_BYTES = 64 << 20;

    /** @param depth how deep the document is embedded (0: the document sent) */
    private Result parse(byte[] document, String name, int depth) {
        Metadata metadata = new Metadata();
        if (name != null) {
            metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, name);
        }
        // one stream for detection and parsing: the type is detected once, and a container the detector
        // opened (the OOXML package, the OLE2 file system) is reused by the parser instead of read again
        try (TikaInputStream in = TikaInputStream.get(document)) {
            MediaType type = startsAsPdf(document) ? MediaType.application("pdf") : detector.detect(in, metadata);
            String base = type.getBaseType().toString();
            if (SPREADSHEETS.contains(base)) {
                return spreadsheet(document, depth);
            }
            if (base.equals("application/x-tika-msoffice-embedded")) {
                Result packaged = packagedFile(document, depth);
                if (packaged != null) {
                    return packaged;
                }
            }
            if (base.equals("application/x-tika-ooxml-protected") || base.equals("application/x-tika-msoffice-protected")) {
                return new Result("ENCRYPTED", "password-protected Office document");
            }
            if (!readHere(base)) {
                // Tika has no parser here for it (a plain zip named .docx, an image): it would return
                // no text, which must not pass for a clean document.
                return new Result("EXTRACTION_FAILED", "not a supported document type: " + base);
            }
            metadata.set(Metadata.CONTENT_TYPE, type.toString());
            if (base.equals("application/pdf")) {
                return pdf(in, metadata, depth);
            }
            return tika(in, metadata, document, base, depth);
        } catch (org.apache.tika.exception.EncryptedDocumentException | EncryptedDocumentException e) {
            return new Result("ENCRYPTED", "password-protected document");
        } catch (WriteLimitReachedException | TextTooLong e) {
            return new Result("SIZE_LIMIT", "document text longer than " + maxChars + " characters");
        } catch (DocumentMetadata.TooLarge e) {
            return new Result("SIZE_LIMIT", e.getMessage());
        } catch (Exception | StackOverflowError e) {
            // the cause chain down to its root: an embedded document's failure comes wrapped
            for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
                if (cause instanceof org.apache.tika.exception.EncryptedDocumentException
                        || cause instanceof EncryptedDocumentException) {
                    return new Result("ENCRYPTED", "password-protected document");
                }
                if (cause instanceof EmbeddedNotRead) {
                    return new Result(((EmbeddedNotRead) cause).status, cause.getMessage());
                }
                if (cause instanceof DocumentMetadata.TooLarge || cause instanceof TextTooLong) {
                    return new Result("SIZE_LIMIT", cause instanceof TextTooLong
                            ? "document text longer than " + maxChars + " characters" : cause.getMessage());
                }
            }
            if (WriteLimitReachedException.isWriteLimitReached(e)) {
                return new Result("SIZE_LIMIT", "document text longer than " + maxChars + " characters");
            }
            return new Result("EXTRACTION_FAILED", e.getClass().getSimpleName() + " while parsing the document");
        }
    }

    private static final byte[] PDF_HEADER = {'%', 'P', 'D', 'F', '-'};

    /**
     * Whether the document starts with a PDF header ({@code %PDF-}, ISO 32000-1 §7.5.2), which Tika's magic reads as
     * {@code application/pdf} whatever follows. Such a document is parsed as a PDF without running Tika's
     * detectors over it (about a tenth of the parse of a 100 KB PDF). Tika would call one named {@code *.ai}
     * Illustrator, a type with no parser here; read as a PDF, its text is scanned instead of being unscannable.
     */
    static boolean startsAsPdf(byte[] document) {
        return document.length >= PDF_HEADER.length
                && Arrays.equals(document, 0, PDF_HEADER.length, PDF_HEADER, 0, PDF_HEADER.length);
    }

    /**
     * Whether {@link #parse(byte[], String, int)} reads a document of this type (to text or to a verdict): the
     * {@link #supported} types, workbooks, password-protected Office files (ENCRYPTED) and OLE package storages.
     */
    static boolean readHere(String type) {
        return supported(type) || SPREADSHEETS.contains(type) || type.equals("application/x-tika-msoffice-embedded")
                || type.equals("application/x-tika-ooxml-protected") || type.equals("application/x-tika-msoffice-protected");
    }

    /** PDF, RTF, OOXML, legacy Office (OLE2, including Outlook .msg) and OpenDocument. */
    static boolean supported(String type) {
        return type.equals("application/pdf") || type.equals("application/rtf") || type.equals("application/msword")
                || type.equals("application/x-tika-ooxml") || type.equals("application/x-tika-msoffice")
                || type.startsWith("application/vnd.openxmlformats-officedocument.")
                || type.startsWith("application/vnd.oasis.opendocument.") || type.startsWith("application/vnd.ms-");
    }

    /**
     * Parses with the parser registered for the type already in {@code metadata}: the composite parser
     * behind the AutoDetectParser picks it by that type without detecting again. Embedded documents go
     * through the AutoDetectParser, since their types are not known yet.
     */
    private Result tika(TikaInputStream in, Metadata metadata, byte[] document, String type, int depth)
            throws IOException, SAXException, TikaException {
        BodyContentHandler handler = new BodyContentHandler(maxChars);
        ParseContext context = new ParseContext();
        Embedded embedded = new Embedded(depth + 1); // embedded documents (images aside) are parsed as well
        context.set(Parser.class, embedded);
        byType.parse(in, handler, metadata, context);
        embedded.check(metadata);
        DocumentMetadata values = new DocumentMetadata();
        values.addTika(metadata);
        if (isZip(document) && !type.startsWith("application/vnd.oasis.opendocument.")) {
            customProperties(document, values);
        }
        return new Result(WorkerProtocol.OK, handler.toString(), values);
    }

    /**
     * @return the parser this one gives Tika for the documents embedded in a document sent ({@link Embedded}); tests
     *     parse a document with Tika's own parser and these embedded documents to compare
     */
    Parser embeddedDocuments() {
        embeddedDocuments = 0; // a document of its own
        return new Embedded(1);
    }

    /** An embedded document this parser could not read, with the status that makes the holder unscannable. */
    static final class EmbeddedNotRead extends TikaException {
        private static final long serialVersionUID = 1L;
        final String status;

        EmbeddedNotRead(String status, String detail) {
            super("an embedded document: " + detail);
            this.status = status;
        }
    }

    /**
     * The file an OLE package object stored as a file of its own holds (an {@code oleObject1.bin} part of an Office
     * package, read as a zip entry), parsed as a document embedded in it; null when the storage holds no package
     * ({@code \u0001Ole10Native}), for Tika's parser to read.
     */
    private Result packagedFile(byte[] document, int depth) throws IOException, SAXException, TikaException {
        try (org.apache.poi.poifs.filesystem.POIFSFileSystem fs =
                     new org.apache.poi.poifs.filesystem.POIFSFileSystem(new ByteArrayInputStream(document))) {
            byte[] file = packaged(fs.getRoot(), null);
            if (file == null) {
                return null;
            }
            Embedded embedded = new Embedded(depth + 1);
            BodyContentHandler handler = new BodyContentHandler(maxChars);
            try (TikaInputStream in = TikaInputStream.get(file)) {
                embedded.parse(in, handler, new Metadata(), new ParseContext());
            }
            embedded.check(new Metadata());
            return new Result(WorkerProtocol.OK, handler.toString());
        }
    }

    /**
     * The parser of the documents embedded in one document (attached files, OLE objects, a PDF's embedded files),
     * with the first failure kept. PDFs, Office and OpenDocument files and RTF are read as the document sent is
     * ({@link #parse(byte[], String, int)}: a PDF's glyph pass and its checks, spreadsheets' raw cells and
     * formulas), their metadata values written after their text; other types through Tika's AutoDetectParser
     * (text, HTML, XML...), and a document of a type no parser here reads as text when its bytes are text, passed
     * over when it is an image, audio, video or other binary, and unscannable when it is an archive or a message.
     * Tika's embedded document extractor catches an embedded document's {@code TikaException} (an encrypted or
     * corrupt attachment) and goes on, and container parsers keep a failure to read an embedded stream only as
     * {@code X-TIKA:EXCEPTION:*} metadata of its parent: either way the embedded text would be missing from a
     * document that parses. {@link #check} makes the whole document fail instead.
     */
    private final class Embedded extends ParserDecorator {
        private static final long serialVersionUID = 1L;
        private final int depth;
        private transient Throwable failure;

        /** @param depth how deep the documents this parser reads are embedded (1: in the document sent) */
        Embedded(int depth) {
            super(parser);
            this.depth = depth;
        }

        /** The types Tika's parser reads, whatever the context ({@link #embeddedTypes}). */
        @Override
        public java.util.Set<MediaType> getSupportedTypes(ParseContext context) {
            return embeddedTypes;
        }

        @Override
        public void parse(InputStream stream, org.xml.sax.ContentHandler handler, Metadata metadata, ParseContext context)
                throws IOException, SAXException, TikaException {
            try {
                parseEmbedded(stream, handler, metadata, context);
            } catch (IOException | SAXException | TikaException | RuntimeException | Error e) {
                keep(e);
                throw e;
            }
        }

        private void parseEmbedded(InputStream stream, org.xml.sax.ContentHandler handler, Metadata metadata,
                                   ParseContext context) throws IOException, SAXException, TikaException {
            if (depth > MAX_EMBEDDED_DEPTH) {
                throw new EmbeddedNotRead("EXTRACTION_FAILED", "documents embedded more than " + MAX_EMBEDDED_DEPTH + " deep");
            }
            byte[] bytes = stream.readNBytes(MAX_EMBEDDED_BYTES + 1);
            if (bytes.length > MAX_EMBEDDED_BYTES) {
                throw new EmbeddedNotRead("SIZE_LIMIT", "larger than " + MAX_EMBEDDED_BYTES + " bytes");
            }
            MediaType type;
            try (TikaInputStream in = TikaInputStream.get(bytes)) {
                type = startsAsPdf(bytes) ? MediaType.application("pdf") : detector.detect(in, metadata);
            }
            String base = type.getBaseType().toString();
            if (readHere(base)) {
                if (++embeddedDocuments > MAX_EMBEDDED_DOCUMENTS) {
                    throw new EmbeddedNotRead("EXTRACTION_FAILED", "more than " + MAX_EMBEDDED_DOCUMENTS + " embedded documents");
                }
                Result r = DocumentParser.this.parse(bytes, metadata.get(TikaCoreProperties.RESOURCE_NAME_KEY), depth);
                if (!r.status.equals(WorkerProtocol.OK)) {
                    throw new EmbeddedNotRead(r.status, r.body);
                }
                List<String> paragraphs = new java.util.ArrayList<>(List.of(r.body));
                r.metadata.byKey().values().forEach(paragraphs::addAll);
                write(handler, metadata, paragraphs);
                return;
            }
            try (TikaInputStream in = TikaInputStream.get(bytes)) {
                metadata.set(Metadata.CONTENT_TYPE, type.toString());
                super.parse(in, handler, metadata, context);
            }
            keep(recorded(metadata));
            if (notRead(metadata)) {
                MediaType t = type.getBaseType();
                if (archiveOrMessage(t)) {
                    throw new EmbeddedNotRead("EXTRACTION_FAILED", "an embedded " + t + " is not read in a document");
                }
                String text = asText(bytes);
                if (text != null) {
                    write(handler, metadata, List.of(text));
                }
            }
        }

        /** Writes each text as a paragraph of an XHTML document, as Tika's parsers write theirs. */
        private void write(org.xml.sax.ContentHandler handler, Metadata metadata, List<String> paragraphs)
                throws SAXException {
            org.apache.tika.sax.XHTMLContentHandler xhtml = new org.apache.tika.sax.XHTMLContentHandler(handler, metadata);
            xhtml.startDocument();
            for (String p : paragraphs) {
                xhtml.element("p", p);
            }
            xhtml.endDocument();
        }

        void keep(Throwable e) {
            if (failure == null && e != null) {
                failure = e;
            }
        }

        /**
         * @param metadata the document's own metadata, after its parse
         * @throws TikaException caused by the first failure of an embedded document, or by one recorded in
         *     {@code metadata}
         */
        void check(Metadata metadata) throws TikaException {
            keep(recorded(metadata));
            if (failure != null) {
                throw new TikaException("an embedded document could not be read", failure);
            }
        }

        /** Whether no parser here read the embedded document (Tika's EmptyParser). */
        private boolean notRead(Metadata metadata) {
            String[] parsedBy = metadata.getValues(TikaCoreProperties.TIKA_PARSED_BY);
            return parsedBy.length == 1 && parsedBy[0].equals(org.apache.tika.parser.EmptyParser.class.getName());
        }

        /** Whether the type is an archive or a message ({@link #READ_WHEN_ATTACHED}, {@code message/*}, {@code multipart/*}). */
        private boolean archiveOrMessage(MediaType type) {
            boolean is = type.getType().equals("message") || type.getType().equals("multipart");
            for (MediaType readWhenAttached : READ_WHEN_ATTACHED) {
                is |= type.equals(readWhenAttached) || parser.getMediaTypeRegistry().isSpecializationOf(type, readWhenAttached);
            }
            return is;
        }
    }

    /** Archive types read entry by entry when they stand alone in a mail, which no parser here reads. */
    private static final List<MediaType> READ_WHEN_ATTACHED = List.of(MediaType.APPLICATION_ZIP,
            MediaType.application("x-tar"), MediaType.application("gzip"), MediaType.application("x-gzip"),
            MediaType.application("x-bzip"), MediaType.application("x-bzip2"), MediaType.application("x-xz"),
            MediaType.application("zstd"), MediaType.application("x-lzma"), MediaType.application("x-compress"),
            MediaType.application("x-7z-compressed"), MediaType.application("x-rar-compressed"),
            MediaType.application("vnd.rar"), MediaType.application("x-cpio"), MediaType.application("x-archive"),
            MediaType.application("vnd.ms-cab-compressed"), MediaType.application("x-iso9660-image"));

    /** A failure Tika recorded in a document's metadata rather than threw ({@code X-TIKA:EXCEPTION:*}), or null. */
    private static TikaException recorded(Metadata metadata) {
        for (String name : metadata.names()) {
            if (name.startsWith(TikaCoreProperties.TIKA_META_EXCEPTION_PREFIX)) {
                String trace = metadata.get(name);
                String first = trace == null ? "" : trace.lines().findFirst().orElse("");
                // kept as a stack trace's text: an encrypted embedded document is told by its exception's name
                return first.startsWith(org.apache.tika.exception.EncryptedDocumentException.class.getName())
                        ? new org.apache.tika.exception.EncryptedDocumentException(name + ": " + first)
                        : new TikaException(name + ": " + first);
            }
        }
        return null;
    }

    /**
     * UTF-16 without a byte order mark, told by its zero bytes: of the first 4 KiB, at least 90% of the bytes at odd
     * offsets are zero and fewer than 10% at even ones (little-endian text of Latin script), or the other way round
     * (big-endian); null otherwise.
     */
    static java.nio.charset.Charset wideText(byte[] bytes) {
        int n = Math.min(bytes.length, 4096) & ~1;
        if (n < 4) {
            return null;
        }
        int evenZeros = 0;
        int oddZeros = 0;
        for (int i = 0; i < n; i += 2) {
            evenZeros += bytes[i] == 0 ? 1 : 0;
            oddZeros += bytes[i + 1] == 0 ? 1 : 0;
        }
        int half = n / 2;
        if (oddZeros * 10 >= half * 9 && evenZeros * 10 < half) {
            return java.nio.charset.StandardCharsets.UTF_16LE;
        }
        if (evenZeros * 10 >= half * 9 && oddZeros * 10 < half) {
            return java.nio.charset.StandardCharsets.UTF_16BE;
        }
        return null;
    }

    /**
     * The text of bytes that are text, or null for binary bytes: as a mail attachment's bytes are told (no NUL, fewer
     * than 1% control characters but tab, line breaks, form feed and escape), decoded as UTF-8 when they are valid
     * UTF-8, else as ISO-8859-1; with a UTF-16 byte order mark, or zero bytes that make it UTF-16 ({@link
     * #wideText}), as UTF-16 (fewer than 1% control characters among its chars).
     */
    static String asText(byte[] bytes) {
        if (bytes.length >= 2 && ((bytes[0] == (byte) 0xFE && bytes[1] == (byte) 0xFF)
                || (bytes[0] == (byte) 0xFF && bytes[1] == (byte) 0xFE))) {
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_16);
        }
        java.nio.charset.Charset wide = wideText(bytes);
        if (wide != null) {
            String text = new String(bytes, wide);
            long controls = text.chars().filter(c -> c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f').count();
            return controls * 100 < Math.max(1, text.length()) ? text : null;
        }
        int control = 0;
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c == 0) {
                return null;
            }
            if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != 0x1b) {
                control++;
            }
        }
        if (control * 100L >= Math.max(1, bytes.length)) {
            return null;
        }
        try {
            return java.nio.charset.StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    /** The custom properties part of an Office Open XML package (ISO/IEC 29500-1 §15.2.12.2) by its usual name. */
    static final String CUSTOM_PROPERTIES = "docProps/custom.xml";

    private static boolean isZip(byte[] document) {
        return document.length >= 4 && document[0] == 'P' && document[1] == 'K' && document[2] == 3 && document[3] == 4;
    }

    /**
     * Every text node and attribute of an Office Open XML package's {@value #CUSTOM_PROPERTIES} ({@link
     * DocumentMetadata#addXml}): the property names ({@code property@name}), which Tika reads only as part of its
     * keys ({@code custom:Name}), and the values of types Tika leaves out (vectors, arrays, blobs). Values Tika
     * read already are kept once. A package without the part adds nothing.
     */
    private static void customProperties(byte[] document, DocumentMetadata values) throws IOException {
        try (org.apache.commons.compress.archivers.zip.ZipFile zip = new org.apache.commons.compress.archivers.zip.ZipFile(
                new org.apache.commons.compress.utils.SeekableInMemoryByteChannel(document))) {
            org.apache.commons.compress.archivers.zip.ZipArchiveEntry entry = zip.getEntry(CUSTOM_PROPERTIES);
            if (entry == null) {
                return;
            }
            try (InputStream in = zip.getInputStream(entry)) {
                values.addXml(CUSTOM_PROPERTIES, in);
            }
        }
    }

    /**
     * Tika's text of a PDF (its page text written from the worker's own reading of the glyphs, see
     * {@link PdfRunsParser}), then the pages {@link PdfTextRuns} reads differently, from the same pass.
     */
    private Result pdf(TikaInputStream in, Metadata metadata, int depth) throws IOException, SAXException, TikaException {
        BodyContentHandler handler = new BodyContentHandler(maxChars);
        ParseContext context = new ParseContext();
        Embedded embedded = new Embedded(depth + 1); // embedded documents (images aside) are parsed as well
        context.set(Parser.class, embedded);
        PdfRunsParser.Runs runs = new PdfRunsParser.Runs(maxChars, pdfParser.getPDFParserConfig());
        context.set(PdfRunsParser.Runs.class, runs);
        pdfParser.parse(in, runs.pages(handler), metadata, context);
        embedded.check(metadata);
        String body = handler.toString();
        String extra = runs.text();
        DocumentMetadata values = new DocumentMetadata();
        values.addTika(metadata);
        if (runs.xmp() != null) {
            values.addXml("xmp", runs.xmp());
        }
        PdfInfo info = runs.info();
        if (info != null) {
            if (info.tooLarge) {
                throw new DocumentMetadata.TooLarge();
            }
            for (String[] kv : info.values) {
                values.add(kv[0], kv[1]);
            }
        }
        if (extra.isEmpty()) {
            return new Result(WorkerProtocol.OK, body, values);
        }
        if (extra.length() > maxChars - body.length()) {
            throw new TextTooLong();
        }
        return new Result(WorkerProtocol.OK, body + "\n\n" + extra, values);
    }

    private Result spreadsheet(byte[] document, int depth)
            throws IOException, SAXException, TikaException, org.apache.poi.openxml4j.exceptions.OpenXML4JException {
        StringBuilder text = new StringBuilder();
        DocumentMetadata values = new DocumentMetadata();
        try (Workbook workbook = WorkbookFactory.create(new ByteArrayInputStream(document))) {
            properties(workbook, values);
            Formulas formulas = new Formulas(workbook);
            List<String> otherReadings = new java.util.ArrayList<>();
            for (Sheet sheet : workbook) {
                append(text, sheet.getSheetName()).append('\n');
                for (Row row : sheet) {
                    boolean first = true;
                    for (Cell cell : row) {
                        String value = raw(cell, formulas, otherReadings);
                        if (value.isEmpty()) {
                            continue;
                        }
                        if (!first) {
                            append(text, "\t");
                        }
                        append(text, value);
                        first = false;
                    }
                    append(text, "\n");
                }
                conditionalFormats(sheet, formulas, otherReadings);
                // each a paragraph of its own: beside the cell's value, digits would run on into one number
                for (String other : otherReadings) {
                    append(text, "\n").append(other);
                    append(text, "\n");
                }
                otherReadings.clear();
            }
            for (Sheet sheet : workbook) {
                headersAndFooters(sheet, text);
                shapes(sheet, text);
            }
            embedded(workbook, text, depth);
        }
        return new Result(WorkerProtocol.OK, text.toString(), values);
    }

    /**
     * The text of a sheet's headers and footers (left, centre and right sections; of XLSX the odd, even and
     * first-page ones), as shown: formatting codes ({@code &P}, {@code &"Arial"}, {@code &12}) removed.
     */
    private void headersAndFooters(Sheet sheet, StringBuilder text) {
        List<org.apache.poi.ss.usermodel.HeaderFooter> all = new java.util.ArrayList<>(List.of(sheet.getHeader(), sheet.getFooter()));
        if (sheet instanceof org.apache.poi.xssf.usermodel.XSSFSheet) {
            org.apache.poi.xssf.usermodel.XSSFSheet x = (org.apache.poi.xssf.usermodel.XSSFSheet) sheet;
            all.addAll(List.of(x.getEvenHeader(), x.getEvenFooter(), x.getFirstHeader(), x.getFirstFooter()));
        }
        for (org.apache.poi.ss.usermodel.HeaderFooter hf : all) {
            for (String section : new String[] {hf.getLeft(), hf.getCenter(), hf.getRight()}) {
                if (section != null && !section.isBlank()) {
                    append(text, org.apache.poi.hssf.usermodel.HeaderFooter.stripFields(section)).append('\n');
                }
            }
        }
    }

    /** The text of a sheet's drawing shapes: text boxes and shapes with text, inside groups too (comments are read with their cells). */
    private void shapes(Sheet sheet, StringBuilder text) {
        if (sheet instanceof org.apache.poi.xssf.usermodel.XSSFSheet) {
            org.apache.poi.xssf.usermodel.XSSFDrawing drawing = ((org.apache.poi.xssf.usermodel.XSSFSheet) sheet).getDrawingPatriarch();
            if (drawing != null) {
                xssfShapes(drawing.getShapes(), text);
            }
        } else if (sheet instanceof org.apache.poi.hssf.usermodel.HSSFSheet) {
            org.apache.poi.hssf.usermodel.HSSFPatriarch drawing = ((org.apache.poi.hssf.usermodel.HSSFSheet) sheet).getDrawingPatriarch();
            if (drawing != null) {
                hssfShapes(drawing.getChildren(), text);
            }
        }
    }

    private void xssfShapes(Iterable<? extends org.apache.poi.xssf.usermodel.XSSFShape> shapes, StringBuilder text) {
        for (org.apache.poi.xssf.usermodel.XSSFShape shape : shapes) {
            if (shape instanceof org.apache.poi.xssf.usermodel.XSSFSimpleShape) {
                String s = ((org.apache.poi.xssf.usermodel.XSSFSimpleShape) shape).getText();
                if (s != null && !s.isBlank()) {
                    append(text, s).append('\n');
                }
            } else if (shape instanceof org.apache.poi.xssf.usermodel.XSSFShapeGroup) {
                xssfShapes((org.apache.poi.xssf.usermodel.XSSFShapeGroup) shape, text);
            }
        }
    }

    private void hssfShapes(List<org.apache.poi.hssf.usermodel.HSSFShape> shapes, StringBuilder text) {
        for (org.apache.poi.hssf.usermodel.HSSFShape shape : shapes) {
            if (shape instanceof org.apache.poi.hssf.usermodel.HSSFShapeGroup) {
                hssfShapes(((org.apache.poi.hssf.usermodel.HSSFShapeGroup) shape).getChildren(), text);
            } else if (shape instanceof org.apache.poi.hssf.usermodel.HSSFSimpleShape
                    && !(shape instanceof org.apache.poi.hssf.usermodel.HSSFComment)
                    && !(shape instanceof org.apache.poi.hssf.usermodel.HSSFPicture)) {
                org.apache.poi.hssf.usermodel.HSSFRichTextString s;
                try {
                    s = ((org.apache.poi.hssf.usermodel.HSSFSimpleShape) shape).getString();
                } catch (NullPointerException noTextRecord) {
                    continue; // POI's getString on a shape stored without a text object record (a line): no text
                }
                if (s != null && s.getString() != null && !s.getString().isBlank()) {
                    append(text, s.getString()).append('\n');
                }
            }
        }
    }

    /**
     * The file an OLE package object holds (the {@code \u0001Ole10Native} stream Office writes for a file dropped
     * into a document; Tika's parser reads no text from such a storage on its own), or {@code otherwise} when the
     * storage holds none.
     *
     * @throws IOException if the stream does not parse
     */
    private static byte[] packaged(org.apache.poi.poifs.filesystem.DirectoryEntry storage, byte[] otherwise) throws IOException {
        if (!storage.hasEntry(org.apache.poi.poifs.filesystem.Ole10Native.OLE10_NATIVE)) {
            return otherwise;
        }
        try {
            return org.apache.poi.poifs.filesystem.Ole10Native.createFromEmbeddedOleObject(
                    (org.apache.poi.poifs.filesystem.DirectoryNode) storage).getDataBuffer();
        } catch (org.apache.poi.poifs.filesystem.Ole10NativeException e) {
            throw new IOException("an OLE package object does not parse", e);
        }
    }

    /**
     * The documents embedded in a workbook (OLE objects and packages), parsed as embedded documents are ({@link
     * Embedded}: one that does not parse, or that is an archive, message or text no parser reads, fails the workbook).
     */
    private void embedded(Workbook workbook, StringBuilder text, int depth)
            throws IOException, SAXException, TikaException, org.apache.poi.openxml4j.exceptions.OpenXML4JException {
        List<byte[]> documents = new java.util.ArrayList<>();
        if (workbook instanceof XSSFWorkbook) {
            for (PackagePart part : ((XSSFWorkbook) workbook).getAllEmbeddedParts()) {
                byte[] bytes;
                try (InputStream in = part.getInputStream()) {
                    bytes = in.readAllBytes();
                }
                if (org.apache.poi.poifs.filesystem.FileMagic.valueOf(bytes) == org.apache.poi.poifs.filesystem.FileMagic.OLE2) {
                    try (org.apache.poi.poifs.filesystem.POIFSFileSystem fs =
                                 new org.apache.poi.poifs.filesystem.POIFSFileSystem(new ByteArrayInputStream(bytes))) {
                        bytes = packaged(fs.getRoot(), bytes);
                    }
                }
                documents.add(bytes);
            }
        } else if (workbook instanceof HSSFWorkbook) {
            for (org.apache.poi.hssf.usermodel.HSSFObjectData object : ((HSSFWorkbook) workbook).getAllEmbeddedObjects()) {
                if (!object.hasDirectoryEntry()) {
                    documents.add(object.getObjectData());
                    continue;
                }
                org.apache.poi.poifs.filesystem.DirectoryEntry storage =
                        (org.apache.poi.poifs.filesystem.DirectoryEntry) object.getDirectory();
                byte[] file = packaged(storage, null);
                if (file != null) {
                    documents.add(file);
                } else {
                    // an OLE2 storage inside the workbook's (a Word or Excel document): copied out as a file of its own
                    try (org.apache.poi.poifs.filesystem.POIFSFileSystem fs = new org.apache.poi.poifs.filesystem.POIFSFileSystem();
                         java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream()) {
                        org.apache.poi.poifs.filesystem.EntryUtils.copyNodes(storage, fs.getRoot());
                        fs.writeFilesystem(out);
                        documents.add(out.toByteArray());
                    }
                }
            }
        }
        if (documents.isEmpty()) {
            return;
        }
        Embedded embedded = new Embedded(depth + 1);
        ParseContext context = new ParseContext();
        context.set(Parser.class, embedded);
        for (byte[] document : documents) {
            BodyContentHandler handler = new BodyContentHandler(Math.max(1, maxChars - text.length()));
            try (TikaInputStream in = TikaInputStream.get(document)) {
                embedded.parse(in, handler, new Metadata(), context);
            }
            append(text, handler.toString()).append('\n');
        }
        embedded.check(new Metadata());
    }

    /**
     * A workbook's properties (read by POI here, not by Tika): of XLSX every {@code docProps/*.xml} part (the core
     * properties by their getters, under {@code docProps/core.xml}; extended and custom ones as XML), of XLS the summary and document summary information with its custom properties.
     */
    static void properties(Workbook workbook, DocumentMetadata values) throws IOException {
        if (workbook instanceof XSSFWorkbook) {
            for (PackagePart part : ((XSSFWorkbook) workbook).getPackage().getPartsByName(DOC_PROPS)) {
                String name = part.getPartName().getName().substring(1);
                if (part instanceof PackageProperties) {
                    // the core properties part is read through its getters only
                    PackageProperties core = (PackageProperties) part;
                    for (Optional<String> v : List.of(core.getTitleProperty(), core.getSubjectProperty(),
                            core.getCreatorProperty(), core.getKeywordsProperty(), core.getDescriptionProperty(),
                            core.getCategoryProperty(), core.getContentStatusProperty(), core.getIdentifierProperty(),
                            core.getLanguageProperty(), core.getLastModifiedByProperty(), core.getRevisionProperty(),
                            core.getVersionProperty(), core.getContentTypeProperty())) {
                        values.add(name, v.orElse(null));
                    }
                    continue;
                }
                try (InputStream in = part.getInputStream()) {
                    values.addXml(name, in);
                }
            }
        } else if (workbook instanceof HSSFWorkbook) {
            HSSFWorkbook hssf = (HSSFWorkbook) workbook;
            addProperties(values, "summary", hssf.getSummaryInformation());
            DocumentSummaryInformation dsi = hssf.getDocumentSummaryInformation();
            addProperties(values, "docsummary", dsi);
            if (dsi != null && dsi.getCustomProperties() != null) {
                for (Map.Entry<String, Object> e : dsi.getCustomProperties().entrySet()) {
                    values.add("custom:" + e.getKey(), e.getKey());
                    values.add("custom:" + e.getKey(), e.getValue() == null ? null : e.getValue().toString());
                }
            }
        }
    }

    private static final Pattern DOC_PROPS = Pattern.compile("/docProps/[^/]+\\.xml");

    private static void addProperties(DocumentMetadata values, String key, PropertySet set) {
        if (set == null) {
            return;
        }
        for (Property p : set.getProperties()) {
            if (p.getValue() instanceof String) {
                values.add(key + ':' + p.getID(), (String) p.getValue());
            }
        }
    }

    private StringBuilder append(StringBuilder text, String s) {
        if (text.length() + s.length() > maxChars) {
            throw new TextTooLong();
        }
        return text.append(s);
    }

    /**
     * A number format that writes digits of its own: a quoted literal, a character escaped by {@code \\} or {@code !},
     * or a currency section holding a digit ({@code "4111 "0000}, {@code \4\1}, {@code [$4111-409]}). Other formats only lay out the
     * value's own digits, which are read already.
     */
    private static final Pattern LITERAL_DIGIT = Pattern.compile("\"[^\"]*\\d|[\\\\!]\\d|\\[\\$[^\\]]*\\d");

    /**
     * A cell's value: a number in plain decimal notation, a formula's value as POI evaluates it ({@link Formulas}),
     * plus the cell's comment. Added to {@code otherReadings} when they differ from it: the result a formula's file
     * stores (what a viewer that does not recalculate shows), and a number as its cell's format shows it when the
     * format writes digits of its own ({@link #LITERAL_DIGIT}: 1111 shown through {@code "4111 1111 1111 "0000}).
     */
    static String raw(Cell cell, Formulas formulas, List<String> otherReadings) {
        String value;
        CellType type = cell.getCellType();
        if (type == CellType.FORMULA) {
            type = cell.getCachedFormulaResultType();
            String stored = Formulas.noStoredResult(cell) ? "" : value(cell, type);
            value = formulas.evaluate(cell);
            if (!stored.isEmpty() && !stored.equals(value)) {
                otherReadings.add(stored);
            }
        } else {
            value = value(cell, type);
        }
        if (cell.getCellStyle().getDataFormat() != 0) {
            String format = cell.getCellStyle().getDataFormatString();
            if (format != null && LITERAL_DIGIT.matcher(format).find()) {
                List<String> shown = new java.util.ArrayList<>(literals(format));
                shown.addAll(sections(format, value));
                if (type != CellType.STRING) {
                    shown.add(formulas.shown(cell));
                }
                addReadings(otherReadings, value, shown);
            }
        }
        if (cell.getCellComment() != null && cell.getCellComment().getString() != null) {
            value = value + " " + cell.getCellComment().getString().getString();
        }
        return value;
    }

    /**
     * The characters each section of a number format writes of its own, in order: quoted text, escaped characters,
     * the symbol of a currency section and spaces (value placeholders, colours and conditions left out), one string
     * per section that has any. POI's formatter renders some formats otherwise than Excel (escaped zeros), so a
     * format made of escaped digits is read from here too.
     */
    static List<String> literals(String format) {
        return sections(format, null);
    }

    /**
     * Each section of a number format as it shows a value: its own characters (as {@link #literals}) with
     * {@code value} (a plain decimal number, or a text) in place of the section's first run of digit placeholders
     * ({@code 0}, {@code #}, {@code ?}) and of each {@code @} (a text section); the value's own layout (thousands separators,
     * decimals, scaling) is not applied. POI's formatter misreads some formats with quoted digits, so this reading
     * is made beside POI's.
     *
     * @param value the value, or null for the format's own characters only
     */
    static List<String> sections(String format, String value) {
        List<String> sections = new java.util.ArrayList<>();
        StringBuilder out = new StringBuilder();
        boolean placed = false;
        for (int i = 0; i <= format.length(); i++) {
            char c = i < format.length() ? format.charAt(i) : ';';
            if (c == ';') {
                // each section (positive; negative; zero; text) is shown for some value: all are read
                if (!out.toString().isBlank()) {
                    sections.add(out.toString().trim());
                }
                out.setLength(0);
                placed = false;
            } else if (c == '"') {
                int end = format.indexOf('"', i + 1);
                end = end < 0 ? format.length() : end;
                out.append(format, i + 1, end);
                i = end;
            } else if ((c == '\\' || c == '!') && i + 1 < format.length()) {
                out.append(format.charAt(++i));
            } else if (c == '[') {
                int end = format.indexOf(']', i);
                end = end < 0 ? format.length() : end;
                if (format.startsWith("[$", i)) {
                    int dash = format.indexOf('-', i);
                    out.append(format, i + 2, dash > i && dash < end ? dash : end);
                }
                i = end; // a colour or condition otherwise
            } else if (c == ' ') {
                out.append(' ');
            } else if (c == '@' && value != null) {
                out.append(value); // the text, wherever the text section writes it
            } else if ((c == '0' || c == '#' || c == '?') && value != null && !placed) {
                out.append(value);
                placed = true;
            }
        }
        return sections;
    }

    /** Adds each reading that is not blank, not the cell's value and not read already. */
    private static void addReadings(List<String> otherReadings, String value, List<String> readings) {
        for (String r : readings) {
            if (!r.isBlank() && !r.equals(value) && !otherReadings.contains(r)) {
                otherReadings.add(r);
            }
        }
    }

    /**
     * What the number formats of a sheet's conditional formatting show: each format that writes digits of its own
     * ({@link #LITERAL_DIGIT}) gives its own characters, and the value of each cell of its ranges (a formula's
     * evaluated) as it shows it, whether or not the condition holds (Excel applies it when it does); past
     * {@value #MAX_FORMATTED_CELLS} such cells the workbook is unscannable.
     */
    private static void conditionalFormats(Sheet sheet, Formulas formulas, List<String> otherReadings) {
        org.apache.poi.ss.usermodel.SheetConditionalFormatting all = sheet.getSheetConditionalFormatting();
        List<org.apache.poi.ss.usermodel.ExcelNumberFormat> formats = new java.util.ArrayList<>();
        List<org.apache.poi.ss.util.CellRangeAddress[]> ranges = new java.util.ArrayList<>();
        for (int i = 0; i < all.getNumConditionalFormattings(); i++) {
            org.apache.poi.ss.usermodel.ConditionalFormatting cf = all.getConditionalFormattingAt(i);
            for (int r = 0; r < cf.getNumberOfRules(); r++) {
                org.apache.poi.ss.usermodel.ExcelNumberFormat nf = cf.getRule(r).getNumberFormat();
                if (nf != null && nf.getFormat() != null && LITERAL_DIGIT.matcher(nf.getFormat()).find()) {
                    addReadings(otherReadings, "", literals(nf.getFormat()));
                    formats.add(nf);
                    ranges.add(cf.getFormattingRanges());
                }
            }
        }
        if (formats.isEmpty()) {
            return;
        }
        int cells = 0;
        for (Row row : sheet) {
            for (Cell cell : row) {
                for (int k = 0; k < formats.size(); k++) {
                    boolean in = false;
                    for (org.apache.poi.ss.util.CellRangeAddress range : ranges.get(k)) {
                        in |= range.isInRange(cell);
                    }
                    if (!in) {
                        continue;
                    }
                    if (++cells > MAX_FORMATTED_CELLS) {
                        throw new IllegalStateException("conditional number formats over more than "
                                + MAX_FORMATTED_CELLS + " cells");
                    }
                    org.apache.poi.ss.usermodel.ExcelNumberFormat nf = formats.get(k);
                    CellType type = cell.getCellType() == CellType.FORMULA ? cell.getCachedFormulaResultType() : cell.getCellType();
                    String value = cell.getCellType() == CellType.FORMULA ? formulas.evaluate(cell)
                            : type == CellType.STRING ? cell.getStringCellValue()
                            : type == CellType.NUMERIC ? plain(cell.getNumericCellValue()) : "";
                    if (value.isEmpty()) {
                        continue;
                    }
                    List<String> shown = new java.util.ArrayList<>(sections(nf.getFormat(), value));
                    if (type == CellType.NUMERIC && cell.getCellType() != CellType.FORMULA) {
                        shown.add(formulas.formatted(cell.getNumericCellValue(), nf.getIdx(), nf.getFormat()));
                    }
                    addReadings(otherReadings, value, shown);
                }
            }
        }
    }

    /** Most cells (that hold a value) a sheet's conditional number formats apply to; more: unscannable. */
    static final int MAX_FORMATTED_CELLS = 10_000;

    private static String value(Cell cell, CellType type) {
        switch (type) {
            case NUMERIC:
                return plain(cell.getNumericCellValue());
            case STRING:
                return cell.getRichStringCellValue().getString();
            case BOOLEAN:
                return Boolean.toString(cell.getBooleanCellValue());
            default:
                return "";
        }
    }

    /**
     * A workbook's formulas evaluated by POI. The result a file stores for a formula is whatever its writer put there:
     * a library writes none or a stale one (XlsxWriter writes 0) and Excel computes the shown value on opening, so
     * a formula joining pieces of a card number showed the card while its stored result read 0. A formula's value
     * is therefore POI's evaluation. A formula POI cannot evaluate (a function it does not implement), or that it
     * evaluates to an error where the file stores a value, makes the workbook unscannable: what Excel shows is not
     * known, and a file's stored results (and its calculation engine id) are the sender's to write. So does a formula
     * that needs another workbook (POI would give the stored result for the whole formula), and any formula of a
     * workbook that turns iterative calculation on (Excel iterates a circular reference to a value POI does not
     * compute).
     */
    static final class Formulas {
        private final Workbook workbook;
        /** Made for the first formula or formatted number: most workbooks read need neither. */
        private org.apache.poi.ss.usermodel.FormulaEvaluator evaluator;
        private org.apache.poi.ss.usermodel.DataFormatter formatter;

        /** Whether the workbook turns iterative calculation on (then no formula's value is known); read with the evaluator. */
        private boolean iterative;

        Formulas(Workbook workbook) {
            this.workbook = workbook;
        }

        /** XLSX: {@code calcPr iterate}; XLS: a sheet's ITERATION record set (MS-XLS 2.4.147). */
        static boolean iterative(Workbook workbook) {
            if (workbook instanceof XSSFWorkbook) {
                org.openxmlformats.schemas.spreadsheetml.x2006.main.CTCalcPr calc =
                        ((XSSFWorkbook) workbook).getCTWorkbook().getCalcPr();
                return calc != null && calc.isSetIterate() && calc.getIterate();
            }
            if (workbook instanceof HSSFWorkbook) {
                for (Sheet sheet : workbook) {
                    org.apache.poi.hssf.record.Record r = ((org.apache.poi.hssf.usermodel.HSSFSheet) sheet).getSheet()
                            .findFirstRecordBySid(org.apache.poi.hssf.record.IterationRecord.sid);
                    if (r instanceof org.apache.poi.hssf.record.IterationRecord
                            && ((org.apache.poi.hssf.record.IterationRecord) r).getIteration()) {
                        return true;
                    }
                }
            }
            return false;
        }

        private org.apache.poi.ss.usermodel.FormulaEvaluator evaluator() {
            if (evaluator == null) {
                iterative = iterative(workbook);
                evaluator = workbook.getCreationHelper().createFormulaEvaluator();
                // left false: a formula that needs another workbook throws (unscannable) rather than POI giving the
                // stored result for the whole formula, through a defined name or any sheet name
                evaluator.setIgnoreMissingWorkbooks(false);
            }
            return evaluator;
        }

        /** @return a number as the given format shows it (POI's rendering) */
        String formatted(double value, int index, String format) {
            if (formatter == null) {
                formatter = new org.apache.poi.ss.usermodel.DataFormatter(java.util.Locale.ROOT);
            }
            return formatter.formatRawCellContents(value, index, format);
        }

        /** @return the cell's value as its number format shows it (POI's rendering, a formula evaluated) */
        String shown(Cell cell) {
            if (formatter == null) {
                formatter = new org.apache.poi.ss.usermodel.DataFormatter(java.util.Locale.ROOT);
            }
            return formatter.formatCellValue(cell, cell.getCellType() == CellType.FORMULA ? evaluator() : null);
        }

        /**
         * A reference to another workbook in a formula's text as POI writes it: {@code [1]Sheet1!A1} (an external
         * link's index) or {@code '[book.xlsx]Sheet1'!A1}: a bracket, then a sheet and {@code !}. Brackets inside
         * string literals and table references ({@code Table1[Amount]}) do not count.
         */
        private static final Pattern EXTERNAL_REFERENCE =
                Pattern.compile("^(?:[^\"]|\"[^\"]*\")*?\\[[^\\]]*\\][^\\[\\]!\"(),;=]*!");

        /** Whether a formula's text holds a reference to another workbook ({@link #EXTERNAL_REFERENCE}). */
        static boolean refersToAnotherWorkbook(String formula) {
            return formula.indexOf('[') >= 0 && EXTERNAL_REFERENCE.matcher(formula).find();
        }

        /** Whether the cell holds a formula with no stored result (an XLSX cell without its {@code v} element). */
        static boolean noStoredResult(Cell cell) {
            return cell instanceof org.apache.poi.xssf.usermodel.XSSFCell
                    && !((org.apache.poi.xssf.usermodel.XSSFCell) cell).getCTCell().isSetV();
        }

        /**
         * @return the formula's value evaluated, as text (empty for a blank result, or an error the file stores too)
         * @throws IllegalStateException when POI cannot evaluate it, or evaluates it to an error where the file
         *     stores a value
         */
        String evaluate(Cell cell) {
            org.apache.poi.ss.usermodel.FormulaEvaluator evaluator = evaluator();
            if (iterative) {
                throw new IllegalStateException("a formula of a workbook that calculates iteratively");
            }
            if (refersToAnotherWorkbook(cell.getCellFormula())) {
                // POI gives the stored result for a formula that refers to another workbook, whatever else it computes
                throw new IllegalStateException("a formula that refers to another workbook");
            }
            org.apache.poi.ss.usermodel.CellValue v;
            try {
                v = evaluator.evaluate(cell);
            } catch (RuntimeException e) {
                throw new IllegalStateException("a formula POI cannot evaluate", e);
            }
            if (v == null) {
                return "";
            }
            switch (v.getCellType()) {
                case NUMERIC:
                    return plain(v.getNumberValue());
                case STRING:
                    return v.getStringValue();
                case BOOLEAN:
                    return Boolean.toString(v.getBooleanValue());
                case ERROR:
                    if (v.getErrorValue() == org.apache.poi.ss.usermodel.FormulaError.CIRCULAR_REF.getCode()
                            || noStoredResult(cell) || cell.getCachedFormulaResultType() != CellType.ERROR
                            || cell.getErrorCellValue() != v.getErrorValue()) {
                        // a circular reference Excel may iterate to a value, or an error the file does not store
                        throw new IllegalStateException("a formula POI evaluates to an error other than the file's");
                    }
                    return "";
                default:
                    return "";
            }
        }
    }

    static String plain(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return Double.toString(d);
        }
        return new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
    }

    /** Thrown when the spreadsheet text passes {@code maxChars}. */
    static final class TextTooLong extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }
}
