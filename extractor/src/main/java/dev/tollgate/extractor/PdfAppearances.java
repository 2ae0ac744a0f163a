package dev.tollgate.extractor;

import java.io.IOException;
import java.io.Writer;
import java.util.List;

import org.apache.pdfbox.contentstream.operator.Operator;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.common.PDStream;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotation;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceStream;
import org.apache.pdfbox.text.PDFTextStripper;

/**
 * The text drawn by the annotations of a PDF's pages (ISO 32000-1 §12.5.5, appearance streams): a stamp, a free
 * text box, a form field's widget shows what its normal appearance stream draws, which viewers render over the page
 * while the page's content stream and the annotation's {@code /Contents} (what Tika reads of an annotation) need not
 * hold it. Each annotation's normal appearance (for its current {@code /AS} state) is read as a page of its own,
 * glyphs sorted by position, hidden annotations too: what a viewer could show is scanned.
 */
final class PdfAppearances {
    private PdfAppearances() {
    }

    /**
     * @param doc the document (left open; its objects are read, not changed)
     * @param maxChars cap on the text
     * @return the text the pages' annotation appearances draw, one block per annotation; empty if none
     * @throws IOException if an appearance stream, or a form XObject it draws, cannot be read
     * @throws DocumentParser.TextTooLong if the text would pass {@code maxChars}
     */
    static String read(PDDocument doc, int maxChars) throws IOException {
        // one page per appearance in a scratch document sharing the original's objects: the text stripper reads
        // pages, and an appearance stream is a content stream with its own resources and box
        PDDocument scratch = null; // made for the first appearance: most PDFs have none
        java.util.Set<Object> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (PDPage page : doc.getPages()) {
            for (PDAnnotation annotation : page.getAnnotations()) {
                PDAppearanceStream appearance = annotation.getNormalAppearanceStream();
                if (appearance == null || !seen.add(appearance.getCOSObject())) {
                    continue; // an appearance shared by many annotations draws the same text: read once
                }
                PDRectangle box = appearance.getBBox();
                PDPage shown = new PDPage(box != null ? box : page.getMediaBox());
                PDResources resources = appearance.getResources();
                shown.setResources(resources != null ? resources : new PDResources());
                shown.setContents(new PDStream(appearance.getCOSObject()));
                if (scratch == null) {
                    scratch = new PDDocument();
                }
                scratch.addPage(shown);
            }
        }
        if (scratch == null) {
            return "";
        }
        // closing it closes only what it made itself (its scratch buffers), not the original's streams; left open
        // it would be finalizable garbage, which a worker's heap check counts until the finalizer has run
        try (PDDocument pages = scratch) {
            Stripper stripper = new Stripper();
            stripper.setSortByPosition(true);
            BoundedWriter out = new BoundedWriter(maxChars);
            stripper.writeText(pages, out);
            return out.text.toString().strip();
        }
    }

    /** Collects the text, throwing {@link DocumentParser.TextTooLong} as soon as it passes the cap. */
    private static final class BoundedWriter extends Writer {
        private final int maxChars;
        private final StringBuilder text = new StringBuilder();

        BoundedWriter(int maxChars) {
            this.maxChars = maxChars;
        }

        @Override
        public void write(char[] chars, int off, int len) {
            if (text.length() + len > maxChars) {
                throw new DocumentParser.TextTooLong();
            }
            text.append(chars, off, len);
        }

        @Override
        public void write(String str, int off, int len) {
            if (text.length() + len > maxChars) {
                throw new DocumentParser.TextTooLong();
            }
            text.append(str, off, off + len);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    /** PDFBox's text stripper, failing where a form XObject cannot be read ({@link PdfTextRuns#failsReading}). */
    private static final class Stripper extends PDFTextStripper {
        Stripper() throws IOException {
            super();
        }

        @Override
        protected void operatorException(Operator operator, List<COSBase> operands, IOException e) throws IOException {
            if (PdfTextRuns.failsReading(operator, e)) {
                throw e;
            }
            super.operatorException(operator, operands, e);
        }
    }
}
