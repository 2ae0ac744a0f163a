package dev.tollgate.extractor;

import java.io.IOException;
import java.io.InputStream;

import java.util.List;

import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.io.MemoryUsageSetting;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDMetadata;
import org.apache.tika.exception.EncryptedDocumentException;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.pdf.PDFParser;
import org.apache.tika.parser.pdf.PDFParserConfig;
import org.apache.tika.sax.ContentHandlerDecorator;
import org.xml.sax.Attributes;
import org.xml.sax.ContentHandler;
import org.xml.sax.SAXException;

/**
 * Tika's PDF parser, whose pages' text is read by {@link PdfTextRuns} in one glyph pass with the runs: in the
 * document Tika loads, every page is read once ({@link PdfTextRuns#read}: Tika's page text and the runs from the
 * same glyphs), then the pages' content streams are removed from the loaded document (in memory only), so that
 * Tika's own text stripper finds no glyph to read, and each page's text is put back into Tika's output where
 * Tika's page begins ({@link Runs#pages}). What Tika reads from the document's objects rather than from the pages'
 * content streams is Tika's as before: metadata, annotations (their text, attached files), AcroForm fields and XFA,
 * bookmarks, embedded files (parsed by the context's parser), in Tika's order; what the annotations' appearance
 * streams draw is read here ({@link PdfAppearances}) and kept with the runs. The runs are read for the request
 * that put a {@link Runs} in the {@link ParseContext}, once: a PDF embedded in it is parsed through the context's
 * parser, which gives it a reading of its own. The document's XMP packet is kept with the runs (Tika reads only the
 * XMP properties it knows), and so is what its Info dictionary holds beyond Tika's reading ({@link PdfInfo}: key
 * names, dictionary and array values).
 *
 * <p>The page text is the text Tika's stripper writes with this parser's configuration (PDFBox's layout in
 * content-stream order, Tika's word separator and tolerances); the configuration is checked once, and options that
 * change what Tika's stripper reads from the content streams (marked content, angle detection, inline images,
 * OCR, page rendering) are refused. OCR is off: Tika finds no OCR parser in the worker, and with no glyph left on
 * the pages it would otherwise look for one on every page.
 */
final class PdfRunsParser extends PDFParser {
    private static final long serialVersionUID = 1L;

    PdfRunsParser() {
        PDFParserConfig config = getPDFParserConfig();
        config.setOcrStrategy(PDFParserConfig.OCR_STRATEGY.NO_OCR);
        if (config.isExtractMarkedContent() || config.isDetectAngles() || config.isExtractInlineImages()
                || config.isExtractInlineImageMetadataOnly()
                || config.getImageStrategy() != PDFParserConfig.IMAGE_STRATEGY.NONE
                || config.isIfXFAExtractOnlyXFA()) {
            throw new IllegalStateException("PDF parser options that read the pages' content streams are not supported");
        }
    }

    /** Put in the {@link ParseContext} of a PDF to receive its page text and runs, or the failure of that reading. */
    static final class Runs {
        private final int maxChars;
        private final PDFParserConfig config;
        private boolean read;
        private List<String> pages = List.of();
        private int inserted;
        private String text = "";
        private Exception failure;
        private byte[] xmp;
        private PdfInfo info;

        /** @param maxChars cap on the page text and on the runs text ({@link DocumentParser.TextTooLong} beyond it) */
        Runs(int maxChars, PDFParserConfig config) {
            this.maxChars = maxChars;
            this.config = config;
        }

        /**
         * @return the text of the pages Tika misreads (empty if none, or when no PDF was loaded)
         * @throws IOException if PDFBox could not read the pages
         * @throws DocumentParser.TextTooLong if the text passed the cap
         * @throws IllegalStateException if a page's text was not put into Tika's output
         */
        String text() throws IOException {
            if (failure instanceof IOException) {
                throw (IOException) failure;
            }
            if (failure != null) {
                throw (RuntimeException) failure;
            }
            for (int i = inserted; i < pages.size(); i++) {
                if (!pages.get(i).isEmpty()) {
                    throw new IllegalStateException("Tika's output had no place for the text of page " + (i + 1));
                }
            }
            return text;
        }

        /** @return the document's XMP packet (at most {@link DocumentMetadata#MAX_XML_BYTES} + 1 bytes), or null */
        byte[] xmp() {
            return xmp;
        }

        /** @return the Info dictionary's key names and values ({@link PdfInfo}), or null when no PDF was loaded */
        PdfInfo info() {
            return info;
        }

        /**
         * @param handler what Tika's PDF parser writes to
         * @return a handler that passes everything to {@code handler} and writes each page's text right after the
         *     start of Tika's element for that page ({@code div class="page"}, outside any other {@code div}: the
         *     pages of PDFs embedded in this one sit inside a page's element or come after the last page)
         */
        ContentHandler pages(ContentHandler handler) {
            return new ContentHandlerDecorator(handler) {
                private int openDivs;

                @Override
                public void startElement(String uri, String localName, String name, Attributes atts) throws SAXException {
                    super.startElement(uri, localName, name, atts);
                    if ("div".equals(localName)) {
                        if (openDivs == 0 && "page".equals(atts.getValue("class")) && inserted < pages.size()) {
                            String page = pages.get(inserted++);
                            if (!page.isEmpty()) {
                                super.characters(page.toCharArray(), 0, page.length());
                            }
                        }
                        openDivs++;
                    }
                }

                @Override
                public void endElement(String uri, String localName, String name) throws SAXException {
                    if ("div".equals(localName)) {
                        openDivs--;
                    }
                    super.endElement(uri, localName, name);
                }
            };
        }
    }

    @Override
    protected PDDocument getPDDocument(InputStream stream, TikaInputStream tstream, String password,
                                       MemoryUsageSetting memoryUsageSetting, Metadata metadata, ParseContext context)
            throws IOException, EncryptedDocumentException {
        PDDocument document = super.getPDDocument(stream, tstream, password, memoryUsageSetting, metadata, context);
        Runs runs = context.get(Runs.class);
        if (runs != null && !runs.read) {
            runs.read = true;
            // kept until Tika has read the document: a failure of Tika's own reading is the one reported, as
            // when the runs were read after it
            try {
                PdfTextRuns.Reading reading = PdfTextRuns.read(document, runs.maxChars, runs.config);
                runs.pages = reading.pages;
                String shown = PdfAppearances.read(document, runs.maxChars);
                runs.text = shown.isEmpty() ? reading.runs
                        : reading.runs.isEmpty() ? shown : reading.runs + "\n\n" + shown;
                PDMetadata xmp = document.getDocumentCatalog().getMetadata();
                if (xmp != null) {
                    try (InputStream in = xmp.exportXMPMetadata()) {
                        runs.xmp = in.readNBytes(DocumentMetadata.MAX_XML_BYTES + 1);
                    }
                }
                runs.info = PdfInfo.read(document.getDocument().getTrailer().getCOSDictionary(COSName.INFO));
            } catch (IOException | RuntimeException e) {
                runs.failure = e;
            }
            // read above, or the document is unscannable: Tika's stripper is not to read the glyphs again
            for (PDPage page : document.getPages()) {
                page.getCOSObject().removeItem(COSName.CONTENTS);
            }
        }
        return document;
    }
}
