package dev.tollgate.extractor;

import java.io.IOException;
import java.io.InputStream;

import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.io.MemoryUsageSetting;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.common.PDMetadata;
import org.apache.tika.exception.EncryptedDocumentException;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.pdf.PDFParser;

/**
 * Tika's PDF parser that also reads the {@link PdfTextRuns} of the document it loads, from the same
 * {@link PDDocument}: the file is parsed once and its fonts (cached per document by PDFBox) are read once, where a
 * separate second reading would load both again. Tika's own text, annotations, form fields and embedded files are
 * untouched: only the loading is shared. The runs are read for the request that put a {@link Runs} in the
 * {@link ParseContext}, once: PDFs embedded in it are parsed by the plain parser. The document's XMP packet is
 * kept with the runs (Tika reads only the XMP properties it knows), and so is what its Info dictionary holds beyond
 * Tika's reading ({@link PdfInfo}: key names, dictionary and array values).
 */
final class PdfRunsParser extends PDFParser {
    private static final long serialVersionUID = 1L;

    /** Put in the {@link ParseContext} of a PDF to receive its runs text, or the failure of that reading. */
    static final class Runs {
        private final int maxChars;
        private boolean read;
        private String text = "";
        private Exception failure;
        private byte[] xmp;
        private PdfInfo info;

        /** @param maxChars cap on the runs text ({@link DocumentParser.TextTooLong} beyond it) */
        Runs(int maxChars) {
            this.maxChars = maxChars;
        }

        /**
         * @return the text of the pages Tika misreads (empty if none, or when no PDF was loaded)
         * @throws IOException if PDFBox could not read the pages
         * @throws DocumentParser.TextTooLong if the text passed the cap
         */
        String text() throws IOException {
            if (failure instanceof IOException) {
                throw (IOException) failure;
            }
            if (failure != null) {
                throw (RuntimeException) failure;
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
                runs.text = PdfTextRuns.pagesTikaMisreads(document, runs.maxChars);
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
        }
        return document;
    }
}
