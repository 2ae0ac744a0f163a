package dev.tollgate.extractor;

import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.text.Bidi;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.io.MemoryUsageSetting;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.ResourceCache;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;
import org.apache.pdfbox.text.TextPositionComparator;
import org.apache.pdfbox.util.IterativeMergeSort;

/**
 * The page text of a PDF read with PDFBox: with {@link #read}, in one pass over the glyphs, the text Tika's PDF text
 * stripper gives (see {@link PdfRunsParser}) and a second writing of the same glyphs for the two layouts that text
 * (content-stream order, runs glued by position) gets wrong for DLP:
 * <ul>
 *   <li><b>text runs drawn out of reading order</b>: four digit groups drawn as four separately positioned text
 *       operators in another order ({@code 1111}, {@code 4111}, ...) come out of Tika in drawing order. Here the
 *       glyphs are sorted by position (top to bottom, left to right), so the groups read as printed;</li>
 *   <li><b>text runs that touch</b>: two text operators whose glyphs sit edge to edge (a card number in one table
 *       cell and an amount right-aligned against it in the next) come out of Tika as one word
 *       ({@code 41111111111111111250.00}). Here the ASCII unit separator ({@code U+001F}) is written between
 *       two digits drawn by different text operators (Tj, TJ, ' or ") when no space separates them, so the
 *       detectors see two values; but not next to a <em>short digit run</em>, a text operator that drew only
 *       digits, fewer than four ({@link #SHORT_DIGIT_RUN}): such digits are joined to the digits they touch, as
 *       a reader sees them. A table cell is drawn by one operator and its value stands apart from its neighbour,
 *       but digits drawn one, two or three per operator (each digit its own text object, overprinted or drawn out
 *       of order) are the pieces of one word: no card layout starts with a group shorter than four, so a
 *       separator there would only cut a card printed as {@code 4111 1111 1111 1111} or {@code 4111111111111111}
 *       into single digits that no detector joins. The cost: a one- to three-digit cell drawn against a number
 *       in the next cell ({@code 4111111111111111} then a quantity {@code 2}) reads as one number again, as in
 *       Tika's text; an amount with a decimal mark ({@code 7.50}) is no such run and stays apart;</li>
 *   <li><b>text drawn across the page</b>: glyphs whose text direction, turned by the page's {@code /Rotate},
 *       runs up or down the page as shown (a page of horizontal text with {@code /Rotate 90} or {@code 270},
 *       or text drawn turned by 90° on an upright page). Tika's stripper writes glyphs in content-stream order
 *       with their positions on the shown page, so it breaks such text into pieces of one or two glyphs
 *       ({@code 41}, {@code 11}, ... on separate lines). This reading sorts and writes the glyphs along their
 *       own direction (PDFBox's sorted writing), so the line reads whole.</li>
 * </ul>
 * The card detector reads the separator as a space between digit groups. Only the pages where this reading adds
 * something are returned: a page whose digits come out in another order
 * than in the content stream, that holds such a run boundary between two digits, that has a digit drawn
 * across the page, or whose short digit runs were joined to digits that Tika's text, in content-stream order,
 * does not write together (the digits read the same, but their grouping differs: equal digits of a card drawn
 * out of order). Other pages are in Tika's text already, and returning them again would count their values
 * twice; a page with text drawn across it is returned whether or not Tika's text happened to keep its numbers
 * whole (for some directions and glyph spacings it does), so its values may be counted twice.
 */
final class PdfTextRuns {
    /** Written between two digits of different text operators that touch: ASCII unit separator. */
    static final char RUN_SEPARATOR = '\u001F';
    /**
     * A text operator that drew only digits, at most this many glyphs, is a piece of a word rather than a value of
     * its own: no {@link #RUN_SEPARATOR} is written next to its digits. One less than the first group of every
     * printed card layout (four digits).
     */
    static final int SHORT_DIGIT_RUN = 3;

    private PdfTextRuns() {
    }

    /**
     * @param pdf the document
     * @param maxChars cap on the returned text
     * @return the text of the pages this reading changes, separated by blank lines; empty if none
     * @throws IOException if PDFBox cannot read the document
     * @throws DocumentParser.TextTooLong if the text would pass {@code maxChars}
     */
    static String pagesTikaMisreads(byte[] pdf, int maxChars) throws IOException {
        // the worker's heap bounds the memory, as for Tika's own parse of the same bytes
        try (PDDocument doc = PDDocument.load(pdf, "", null, null, MemoryUsageSetting.setupMainMemoryOnly())) {
            return pagesTikaMisreads(doc, maxChars);
        }
    }

    /**
     * The same from a document already loaded (Tika's, see {@link PdfRunsParser}); the document is left open.
     *
     * @throws IOException if PDFBox cannot read the pages
     * @throws DocumentParser.TextTooLong if the text would pass {@code maxChars}
     */
    static String pagesTikaMisreads(PDDocument doc, int maxChars) throws IOException {
        return pagesTikaMisreads(doc, maxChars, true);
    }

    /**
     * @param skipPages whether pages that cannot be returned are left unwritten (fewer than two digits, or glyphs
     *     whose sorted order keeps the digits in content-stream order with no two digits of different text
     *     operators next to each other); false writes every page and decides from the text (tests only)
     */
    static String pagesTikaMisreads(PDDocument doc, int maxChars, boolean skipPages) throws IOException {
        return pagesTikaMisreads(doc, maxChars, skipPages, false);
    }

    /**
     * @param pdfboxDuplicates whether PDFBox's own check drops the overlapping duplicates of glyphs instead of
     *     {@link DuplicateGlyphs} (tests only: both must drop the same glyphs)
     */
    static String pagesTikaMisreads(PDDocument doc, int maxChars, boolean skipPages, boolean pdfboxDuplicates)
            throws IOException {
        Stripper s = new Stripper(maxChars, skipPages, pdfboxDuplicates, null);
        StringWriter out = new StringWriter();
        s.writeText(doc, out);
        return out.toString();
    }

    /** What one glyph pass over a document's pages gives: Tika's page text and the runs. */
    static final class Reading {
        /**
         * The text Tika's PDF text stripper writes for each page between the start of its page element and the
         * end of the page's last paragraph, by page index (empty for a page without contents), with the
         * characters XML cannot hold replaced by U+FFFD as Tika's SAX output replaces them.
         */
        final List<String> pages;
        /** As {@link #pagesTikaMisreads(PDDocument, int)}. */
        final String runs;

        Reading(List<String> pages, String runs) {
            this.pages = pages;
            this.runs = runs;
        }
    }

    /**
     * Reads every page once: each page's glyphs are collected once, then written twice, in content-stream order
     * with the layout settings of Tika's PDF text stripper for {@code tika} (Tika's page text) and sorted by
     * position for the runs. Tika's stripper has no glyph of its own left to read when the pages' text is taken
     * from here (see {@link PdfRunsParser}).
     *
     * @param tika the configuration of Tika's PDF parser (word separator, tolerances, sort order, duplicates)
     * @param maxChars cap on Tika's page text and, separately, on the runs text
     * @throws IOException if PDFBox cannot read the pages
     * @throws DocumentParser.TextTooLong if either text would pass {@code maxChars}
     */
    static Reading read(PDDocument doc, int maxChars, org.apache.tika.parser.pdf.PDFParserConfig tika) throws IOException {
        Stripper s = new Stripper(maxChars, true, false, tika);
        StringWriter out = new StringWriter();
        s.writeText(doc, out);
        List<String> pages = new ArrayList<>(s.pagesRead());
        for (int i = 1; i <= s.pagesRead(); i++) {
            pages.add(s.tikaPages.getOrDefault(i, ""));
        }
        return new Reading(pages, out.toString());
    }

    /**
     * Whether an operator's failure that PDFBox would log and skip must fail the reading instead: one inside
     * {@code Do} (a form XObject's stream that cannot be decoded, an operator of the form that fails), unless nothing
     * is drawn anyway (a missing resource or operand, an image without a reader, an unbalanced restore).
     */
    static boolean failsReading(org.apache.pdfbox.contentstream.operator.Operator operator, IOException e) {
        return "Do".equals(operator.getName())
                && !(e instanceof org.apache.pdfbox.contentstream.operator.MissingOperandException)
                && !(e instanceof org.apache.pdfbox.pdmodel.MissingResourceException)
                && !(e instanceof org.apache.pdfbox.filter.MissingImageReaderException)
                && !(e instanceof org.apache.pdfbox.contentstream.operator.state.EmptyGraphicsStackException);
    }

    private static final class Stripper extends PDFTextStripper {
        private final int maxChars;
        /**
         * The text operator each glyph of the current page was drawn by; sized for a page of a few thousand glyphs,
         * since growing it glyph by glyph took a twentieth of a text page's parse. A glyph of one digit goes in as it
         * is drawn ({@link #mayBeReturned} looks up only those); the others wait in {@link #pending} until the page is
         * written with the runs ({@link #writeString} may look up any glyph), which most pages are not: hashing every
         * glyph by identity took a twentieth of a text PDF's parse.
         */
        private final Map<TextPosition, Integer> runOf = new IdentityHashMap<>(4096);
        /** The current page's glyphs not yet in {@link #runOf}, with their text operators in {@link #pendingRuns}. */
        private final List<TextPosition> pending = new ArrayList<>(4096);
        private final List<Integer> pendingRuns = new ArrayList<>(4096);
        /** The current text operator's number, boxed once per operator rather than once per glyph. */
        private Integer run = 0;
        /** The number of the first text operator of the current page. */
        private int pageFirstRun;
        /**
         * What each text operator of the current page drew, by its number less {@link #pageFirstRun}: how many
         * glyphs when all are digits so far (0 when none yet), or -1 when one is not a digit. Duplicates left out.
         */
        private int[] runDigits = new int[64];
        /** Whether a digit of the current page is drawn across the page as shown ({@link #across}). */
        private boolean crossDigits;
        /** The current page's {@code /Rotate}, read once per page. */
        private int pageRotation;
        private int pageStart;
        /** Digits of the page in content-stream order (after PDFBox drops overlapping duplicates). */
        private final StringBuilder streamDigits = new StringBuilder();
        /**
         * The digits of the glyphs kept so far on the page (neither hidden nor duplicates), as they are drawn: the
         * {@link #streamDigits} of a page without thread beads (one article), collected while each glyph is at hand;
         * reading them from the article's glyphs again took a twenty-fifth of a text PDF's parse.
         */
        private final StringBuilder keptDigits = new StringBuilder();
        private boolean digitBoundary;
        /**
         * The digits of the page in content-stream order, a space between two that Tika's text would not write
         * together ({@link #streamWords}), or null when the page has no short digit run.
         */
        private String streamWords;
        /** Whether two digits of different text operators were written joined (a short digit run beside them). */
        private boolean joinedRuns;
        /** Whether the current page was not written (it cannot be returned). */
        private boolean skipped;
        /**
         * A digit glyph of this page was dropped as an overlapping duplicate, or as hidden, here while Tika's text
         * keeps it (its default): Tika's text then holds digits the stream digits do not, so it cannot stand for
         * this page.
         */
        private boolean tikaKeptDuplicateDigits;

        private final boolean skipPages;
        /** The glyphs of the current page not dropped as duplicates, or null when PDFBox checks. */
        private final DuplicateGlyphs shown;
        /**
         * Tests only: PDFBox's own check drops the duplicates; {@link #shown} still decides (the same) to tell
         * whether Tika's text kept duplicate digits.
         */
        private final boolean pdfboxDuplicates;

        /** Where the text of the writing methods goes: Tika's page text, the runs, or nowhere. */
        private enum Mode { TIKA, RUNS, DISCARD }

        private Mode mode = Mode.RUNS;
        /** Tika's configuration, or null when only the runs are read. */
        private final org.apache.tika.parser.pdf.PDFParserConfig tika;
        /** Tika's text of each page written so far, by page number (from 1). */
        final Map<Integer, String> tikaPages = new HashMap<>();
        private final StringBuilder tikaPage = new StringBuilder();
        private long tikaChars;
        /** Glyphs of the current page that duplicate an earlier one: in Tika's text, left out of the runs. */
        private final java.util.Set<TextPosition> duplicates = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        /** Glyphs of the current page a reader cannot see ({@link #hidden(TextPosition)}): in Tika's text, left out of the runs. */
        private final java.util.Set<TextPosition> invisible = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        private final float runsAverageCharTolerance;
        private final float runsSpacingTolerance;
        private final float runsDropThreshold;
        private final String runsWordSeparator;
        private static final java.io.Writer NOWHERE = java.io.Writer.nullWriter();

        /** A step of the text stripper that writes. */
        private interface Write {
            void run() throws IOException;
        }

        /** Runs {@code step} for its paragraph state only: what it writes goes nowhere, then the runs are written again. */
        private void discarding(Write step) throws IOException {
            Writer runsOut = output;
            output = NOWHERE;
            mode = Mode.DISCARD;
            try {
                step.run();
            } finally {
                mode = Mode.RUNS;
                output = runsOut;
            }
        }

        Stripper(int maxChars, boolean skipPages, boolean pdfboxDuplicates,
                 org.apache.tika.parser.pdf.PDFParserConfig tika) throws IOException {
            this.maxChars = maxChars;
            this.skipPages = skipPages;
            this.tika = tika;
            setSortByPosition(true);
            // PDFBox's check (on by default) walks views of its trees of boxed floats for each glyph: a fifth of
            // the worker's parse of a text-heavy page (JFR); DuplicateGlyphs decides the same in a grid of cells
            shown = new DuplicateGlyphs();
            this.pdfboxDuplicates = pdfboxDuplicates;
            setSuppressDuplicateOverlappingText(pdfboxDuplicates);
            runsAverageCharTolerance = getAverageCharTolerance();
            runsSpacingTolerance = getSpacingTolerance();
            runsDropThreshold = getDropThreshold();
            runsWordSeparator = getWordSeparator();
            // PDFBox's text stripper does not follow colours; hidden() needs them (white glyphs are decoys)
            for (org.apache.pdfbox.contentstream.operator.OperatorProcessor colour : List.of(
                    new org.apache.pdfbox.contentstream.operator.color.SetNonStrokingColorSpace(),
                    new org.apache.pdfbox.contentstream.operator.color.SetNonStrokingColor(),
                    new org.apache.pdfbox.contentstream.operator.color.SetNonStrokingColorN(),
                    new org.apache.pdfbox.contentstream.operator.color.SetNonStrokingDeviceGrayColor(),
                    new org.apache.pdfbox.contentstream.operator.color.SetNonStrokingDeviceRGBColor(),
                    new org.apache.pdfbox.contentstream.operator.color.SetNonStrokingDeviceCMYKColor(),
                    new org.apache.pdfbox.contentstream.operator.color.SetStrokingColorSpace(),
                    new org.apache.pdfbox.contentstream.operator.color.SetStrokingColor(),
                    new org.apache.pdfbox.contentstream.operator.color.SetStrokingColorN(),
                    new org.apache.pdfbox.contentstream.operator.color.SetStrokingDeviceGrayColor(),
                    new org.apache.pdfbox.contentstream.operator.color.SetStrokingDeviceRGBColor(),
                    new org.apache.pdfbox.contentstream.operator.color.SetStrokingDeviceCMYKColor())) {
                addOperator(colour);
            }
        }

        /**
         * A failure of a form XObject fails the reading. PDFBox logs and skips whatever goes wrong inside {@code Do}
         * (a form's stream that cannot be decoded, an operator of the form that fails), so the text drawn by the
         * form would be missing from a page read as clean. What PDFBox skips because nothing is drawn (a resource
         * or operand that is missing, an image without a reader, an unbalanced restore) is skipped as before.
         */
        @Override
        protected void operatorException(org.apache.pdfbox.contentstream.operator.Operator operator,
                                         List<COSBase> operands, IOException e) throws IOException {
            if (failsReading(operator, e)) {
                throw e;
            }
            super.operatorException(operator, operands, e);
        }

        /** @return how many pages the stripper went through, those without contents included */
        int pagesRead() {
            return getCurrentPageNo();
        }

        /** The layout settings Tika's parser gives its stripper (its {@code PDFParserConfig.configure}). */
        private void tikaSettings() {
            setSortByPosition(tika.isSortByPosition());
            setWordSeparator(tika.isEnableAutoSpace() ? " " : "");
            if (tika.getAverageCharTolerance() != null) {
                setAverageCharTolerance(tika.getAverageCharTolerance());
            }
            if (tika.getSpacingTolerance() != null) {
                setSpacingTolerance(tika.getSpacingTolerance());
            }
            if (tika.getDropThreshold() != null) {
                setDropThreshold(tika.getDropThreshold());
            }
        }

        private void runsSettings() {
            setSortByPosition(true);
            setWordSeparator(runsWordSeparator);
            setAverageCharTolerance(runsAverageCharTolerance);
            setSpacingTolerance(runsSpacingTolerance);
            setDropThreshold(runsDropThreshold);
        }

        /**
         * Appends to Tika's page text as Tika's SAX output passes it on: code points XML 1.0 cannot hold (controls
         * but tab, line feed and carriage return; lone surrogates; U+FFFE, U+FFFF) each become U+FFFD.
         */
        private void tikaText(String s) {
            if (s == null) {
                return;
            }
            for (int i = 0; i < s.length(); ) {
                int c = s.codePointAt(i);
                boolean valid = c < 0x20 ? c == 0x9 || c == 0xA || c == 0xD
                        : c < 0xE000 ? c < 0xD800 : c < 0x10000 ? c <= 0xFFFD : c <= 0x10FFFF;
                if (valid) {
                    tikaPage.appendCodePoint(c);
                } else {
                    tikaPage.append('\uFFFD');
                }
                i += Character.charCount(c);
            }
            if (tikaChars + tikaPage.length() > maxChars) {
                throw new DocumentParser.TextTooLong();
            }
        }

        @Override
        protected void writeString(String text) throws IOException {
            if (mode == Mode.TIKA) {
                tikaText(text);
            } else {
                super.writeString(text);
            }
        }

        @Override
        protected void writeCharacters(TextPosition text) throws IOException {
            if (mode == Mode.TIKA) {
                tikaText(text.getUnicode());
            } else {
                super.writeCharacters(text);
            }
        }

        @Override
        protected void writeWordSeparator() throws IOException {
            if (mode == Mode.TIKA) {
                tikaText(getWordSeparator());
            } else {
                super.writeWordSeparator();
            }
        }

        @Override
        protected void writeLineSeparator() throws IOException {
            if (mode == Mode.TIKA) {
                tikaText("\n"); // Tika's line separator, whatever the platform's
            } else {
                super.writeLineSeparator();
            }
        }

        @Override
        protected void writeParagraphEnd() throws IOException {
            super.writeParagraphEnd();
            if (mode == Mode.TIKA) {
                tikaText("\n"); // the end of Tika's paragraph element is a line break in its text
            }
        }

        @Override
        public void showTextString(byte[] string) throws IOException {
            run = run + 1;
            super.showTextString(string);
        }

        @Override
        public void showTextStrings(org.apache.pdfbox.cos.COSArray array) throws IOException {
            run = run + 1; // one TJ operator is one run, whatever its kerning adjustments
            super.showTextStrings(array);
        }

        @Override
        protected void processTextPosition(TextPosition text) {
            String u = text.getUnicode();
            if (u != null && u.length() == 1 && Character.isDigit(u.charAt(0))) {
                runOf.put(text, run);
            } else {
                pending.add(text);
                pendingRuns.add(run);
            }
            if (hidden(text)) {
                // a decoy drawn over or among the shown glyphs: kept in Tika's text, left out of the runs, and not
                // registered as shown, so that the visible glyph drawn at the same place is not taken for its duplicate
                invisible.add(text);
                super.processTextPosition(text);
                return;
            }
            if (!shown.isDuplicate(text.getUnicode(), text.getX(), text.getY(), text.getWidth())) {
                countGlyph(text);
            } else {
                if (tika != null) {
                    duplicates.add(text); // Tika's text keeps duplicates (unless configured not to): dropped later
                } else {
                    // the separate reading beside Tika's own, which keeps duplicates
                    tikaKeptDuplicateDigits |= hasDigit(text.getUnicode());
                    if (!pdfboxDuplicates) {
                        return;
                    }
                }
            }
            super.processTextPosition(text);
        }

        /**
         * The digits of the page's glyphs article by article, each in content-stream order (before writePage sorts
         * them by position).
         */
        private String articleDigits() {
            StringBuilder digits = new StringBuilder();
            for (List<TextPosition> article : charactersByArticle) {
                for (TextPosition t : article) {
                    appendDigits(digits, t.getUnicode());
                }
            }
            return digits.toString();
        }

        /**
         * Adds the glyph, one that is kept, to what its text operator drew ({@link #runDigits}) and its digits to
         * {@link #keptDigits}, and notes a digit drawn across.
         */
        private void countGlyph(TextPosition text) {
            appendDigits(keptDigits, text.getUnicode());
            int k = run - pageFirstRun;
            if (k < 0) {
                return; // no text operator of this page: not a short digit run
            }
            if (k >= runDigits.length) {
                runDigits = java.util.Arrays.copyOf(runDigits, Math.max(k + 1, runDigits.length * 2));
            }
            String u = text.getUnicode();
            boolean digits = u != null && !u.isEmpty();
            for (int i = 0; digits && i < u.length(); i++) {
                digits = Character.isDigit(u.charAt(i));
            }
            if (!digits) {
                runDigits[k] = -1;
                return;
            }
            if (runDigits[k] >= 0) {
                runDigits[k] += u.length();
            }
            crossDigits |= across(text);
        }

        /**
         * Whether the glyph's text direction, turned by the page's rotation, runs up or down the page as shown:
         * 90° or 270° between them. The glyph's direction is one of 0, 90, 180, 270 (PDFBox rounds it).
         */
        private boolean across(TextPosition text) {
            int turn = Math.floorMod(Math.round(text.getDir()) - pageRotation, 180);
            return turn == 90;
        }

        /** Whether the text operator drew only digits, at most {@link #SHORT_DIGIT_RUN} of them. */
        private boolean shortDigitRun(Integer r) {
            int k = r - pageFirstRun;
            if (k < 0 || k >= runDigits.length) {
                return false;
            }
            return runDigits[k] > 0 && runDigits[k] <= SHORT_DIGIT_RUN;
        }

        /**
         * Reads the page through {@link FixedBoxPage}: PDFBox reads the crop box's width and height for every glyph
         * ({@code LegacyPDFStreamEngine.showGlyph}, the page size of each {@code TextPosition}; its lower left
         * corner too when it is not at the origin), each read converting a {@code BigDecimal} to a float again.
         */
        @Override
        public void processPage(PDPage page) throws IOException {
            super.processPage(new FixedBoxPage(page));
        }

        @Override
        protected void startPage(PDPage page) throws IOException {
            runOf.clear();
            pending.clear();
            pendingRuns.clear();
            pageFirstRun = run + 1;
            pageRotation = page.getRotation();
            java.util.Arrays.fill(runDigits, 0);
            crossDigits = false;
            shown.clear(); // as PDFBox clears its own for each page
            invisible.clear();
            streamDigits.setLength(0);
            keptDigits.setLength(0);
            digitBoundary = false;
            streamWords = null;
            joinedRuns = false;
            skipped = false;
            tikaKeptDuplicateDigits = false;
            pageStart = ((StringWriter) output).getBuffer().length();
            super.startPage(page);
            if (tika != null) {
                duplicates.clear();
                tikaPage.setLength(0);
                // Tika's stripper opens a paragraph as it starts a page: the paragraph state its page text starts from
                discarding(this::writeParagraphStart);
            }
        }

        @Override
        protected void writePage() throws IOException {
            if (tika != null) {
                if (tika.isSuppressDuplicateOverlappingText()) {
                    dropDuplicates();
                }
                // Tika's text first, while the glyphs are still in content-stream order
                Writer runsOut = output;
                output = NOWHERE;
                mode = Mode.TIKA;
                tikaSettings();
                try {
                    super.writePage();
                } finally {
                    runsSettings();
                    mode = Mode.RUNS;
                    output = runsOut;
                }
                for (TextPosition t : duplicates) {
                    tikaKeptDuplicateDigits |= hasDigit(t.getUnicode());
                }
                dropDuplicates();
            }
            dropInvisible();
            if (charactersByArticle.size() == 1) {
                // every kept glyph is in the one article, in the order drawn (PDFBox merges only diacritics, which
                // are no digits, into a neighbour)
                streamDigits.append(keptDigits);
                assert streamDigits.toString().equals(articleDigits()) : "kept digits " + streamDigits;
            } else {
                streamDigits.append(articleDigits());
            }
            if (streamDigits.length() >= 2 && hasShortDigitRun()) {
                streamWords = streamWords();
            }
            // with fewer than two digits the page can neither read its digits in another order nor have a boundary
            // between two digits, so endPage would drop it: skip sorting and writing it
            skipped = skipPages && !tikaKeptDuplicateDigits
                    && (streamDigits.length() < 2 || !crossDigits && !mayBeReturned());
            if (!skipped) {
                for (int i = 0; i < pending.size(); i++) {
                    runOf.put(pending.get(i), pendingRuns.get(i));
                }
                super.writePage();
            }
        }

        /**
         * Decides from the glyphs alone, without writing the page, whether endPage could keep it: false only when
         * the written text would hold the digits in content-stream order and no boundary mark. Writing the page
         * (lines, words, spacing) costs more than sorting its glyphs, and most pages are dropped. The glyphs are
         * sorted as {@link PDFTextStripper#writePage} sorts them (same comparator, same fallback), on a copy, so
         * a page that is written afterwards is sorted from the same order. The written text keeps the sorted
         * glyphs' order when each glyph is one character and nothing needs bidirectional reordering; otherwise
         * the page is written and endPage decides.
         */
        private boolean mayBeReturned() {
            StringBuilder sortedDigits = new StringBuilder(streamDigits.length());
            StringBuilder chars = new StringBuilder();
            for (List<TextPosition> article : charactersByArticle) {
                List<TextPosition> sorted = new ArrayList<>(article);
                TextPositionComparator comparator = new TextPositionComparator();
                try {
                    Collections.sort(sorted, comparator);
                } catch (IllegalArgumentException e) {
                    IterativeMergeSort.sort(sorted, comparator);
                }
                Integer previousDigitRun = null;
                for (TextPosition t : sorted) {
                    String u = t.getUnicode();
                    if (u == null || u.length() != 1) {
                        return true; // ligatures, combined diacritics: the text is not one character per glyph
                    }
                    char c = u.charAt(0);
                    chars.append(c);
                    if (Character.isDigit(c)) {
                        Integer r = runOf.getOrDefault(t, -1);
                        if (previousDigitRun != null && !previousDigitRun.equals(r)) {
                            return true; // two digits of different text operators next to each other
                        }
                        previousDigitRun = r;
                        sortedDigits.append(c);
                    } else {
                        previousDigitRun = null;
                    }
                }
            }
            if (Bidi.requiresBidi(chars.toString().toCharArray(), 0, chars.length())) {
                return true; // right-to-left text: lines are reordered when written
            }
            return !sortedDigits.toString().contentEquals(streamDigits);
        }

        /**
         * Removes the glyphs no reader sees, as if they had never been drawn; a page that had any is returned (its
         * Tika text holds them), as a page whose digits Tika misreads.
         */
        private void dropInvisible() {
            if (invisible.isEmpty()) {
                return;
            }
            for (TextPosition t : invisible) {
                tikaKeptDuplicateDigits |= hasDigit(t.getUnicode());
            }
            for (List<TextPosition> article : charactersByArticle) {
                article.removeIf(invisible::contains);
            }
        }

        /**
         * Below this size in points (font size times the text matrix's scale) a glyph is a dot beside text of a
         * readable size, not a character a reader reads: a decoy digit drawn under a shown one.
         */
        static final float MIN_VISIBLE_POINTS = 3f;
        /** Below this horizontal scaling (Tz, percent) a glyph is a vertical line. */
        static final float MIN_VISIBLE_SCALING = 10f;
        /** Each of red, green and blue at least this (of 255): white to a reader on the white of a page. */
        static final int NEAR_WHITE = 0xF2;

        /**
         * Whether a reader cannot see the glyph on the page: drawn with text rendering mode 3 or 7 (neither filled
         * nor stroked, ISO 32000-1 §9.3.6), fully transparent (constant alpha 0, §11.6.4.4), white or near white
         * where it is painted (filled and, when stroked too, stroked with a colour whose red, green and blue are all
         * at least {@value #NEAR_WHITE}/255: on the white of a page), smaller than {@value #MIN_VISIBLE_POINTS} pt,
         * or squeezed below {@value #MIN_VISIBLE_SCALING}% horizontal scaling.
         */
        private boolean hidden(TextPosition text) {
            org.apache.pdfbox.pdmodel.graphics.state.PDGraphicsState g = getGraphicsState();
            org.apache.pdfbox.pdmodel.graphics.state.RenderingMode mode = g.getTextState().getRenderingMode();
            boolean fill = mode.isFill() && g.getNonStrokeAlphaConstant() > 0;
            boolean stroke = mode.isStroke() && g.getAlphaConstant() > 0;
            if (!fill && !stroke) {
                return true;
            }
            if (Math.abs(text.getFontSizeInPt()) < MIN_VISIBLE_POINTS
                    || Math.abs(g.getTextState().getHorizontalScaling()) < MIN_VISIBLE_SCALING) {
                return true;
            }
            return (!fill || white(g.getNonStrokingColor())) && (!stroke || white(g.getStrokingColor()));
        }

        private org.apache.pdfbox.pdmodel.graphics.color.PDColor lastColor;
        private boolean lastWhite;

        /** Whether the colour is white or near white; the last answer is kept, as a colour (an ICC one too) holds for many glyphs. */
        private boolean white(org.apache.pdfbox.pdmodel.graphics.color.PDColor color) {
            if (color == lastColor) {
                return lastWhite;
            }
            boolean white;
            try {
                int rgb = color == null ? 0 : color.toRGB();
                white = color != null && (rgb >> 16 & 0xFF) >= NEAR_WHITE && (rgb >> 8 & 0xFF) >= NEAR_WHITE
                        && (rgb & 0xFF) >= NEAR_WHITE;
            } catch (IOException | RuntimeException e) {
                white = false; // a colour that cannot be converted counts as visible
            }
            lastColor = color;
            lastWhite = white;
            return white;
        }

        /** Removes the glyphs {@link DuplicateGlyphs} found, as if they had never been collected. */
        private void dropDuplicates() {
            if (duplicates.isEmpty()) {
                return;
            }
            for (List<TextPosition> article : charactersByArticle) {
                article.removeIf(duplicates::contains);
            }
            duplicates.clear();
        }

        @Override
        protected void writeString(String text, List<TextPosition> positions) throws IOException {
            if (mode != Mode.RUNS) {
                super.writeString(text, positions);
                return;
            }
            if (text.length() != positions.size()) {
                super.writeString(text, positions); // ligatures or combined diacritics: chars are not glyphs
                return;
            }
            StringBuilder sb = new StringBuilder(text.length() + 4);
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (i > 0 && Character.isDigit(c) && Character.isDigit(text.charAt(i - 1))
                        && !runOf.getOrDefault(positions.get(i - 1), -1).equals(runOf.getOrDefault(positions.get(i), -1))) {
                    if (boundary(runOf.getOrDefault(positions.get(i - 1), -1), runOf.getOrDefault(positions.get(i), -1))) {
                        sb.append(RUN_SEPARATOR);
                        digitBoundary = true;
                    } else {
                        joinedRuns = true;
                    }
                }
                sb.append(c);
            }
            if (((StringWriter) output).getBuffer().length() + sb.length() > maxChars) {
                throw new DocumentParser.TextTooLong();
            }
            super.writeString(sb.toString(), positions);
        }

        /**
         * Whether a {@link #RUN_SEPARATOR} goes between a digit of text operator {@code a} and the next digit, of
         * {@code b}: different operators, neither of them a short digit run.
         */
        private boolean boundary(Integer a, Integer b) {
            return !a.equals(b) && !shortDigitRun(a) && !shortDigitRun(b);
        }

        @Override
        protected void endPage(PDPage page) throws IOException {
            super.endPage(page);
            if (tika != null) {
                tikaPages.put(getCurrentPageNo(), tikaPage.toString());
                tikaChars += tikaPage.length();
                // Tika's stripper closes the page's paragraph at the end of each page; its line break is Tika's own
                discarding(this::writeParagraphEnd);
            }
            StringBuffer buffer = ((StringWriter) output).getBuffer();
            if (skipped) {
                buffer.setLength(pageStart);
                return;
            }
            if (!digitBoundary && !tikaKeptDuplicateDigits && !crossDigits) {
                StringBuilder shown = new StringBuilder(streamDigits.length());
                appendDigits(shown, buffer.substring(pageStart));
                if (shown.toString().contentEquals(streamDigits)
                        && !(joinedRuns && streamWords != null && !streamWords.equals(digitWords(buffer, pageStart)))) {
                    buffer.setLength(pageStart); // Tika's text reads this page the same way
                    return;
                }
            }
            buffer.append("\n\n");
            if (buffer.length() > maxChars) {
                throw new DocumentParser.TextTooLong();
            }
        }

        /** Whether some text operator of the page drew only digits, at most {@link #SHORT_DIGIT_RUN}. */
        private boolean hasShortDigitRun() {
            int n = Math.min(runDigits.length, run - pageFirstRun + 1);
            for (int k = 0; k < n; k++) {
                if (runDigits[k] > 0 && runDigits[k] <= SHORT_DIGIT_RUN) {
                    return true;
                }
            }
            return false;
        }

        /**
         * The page's digit glyphs in content-stream order (still unsorted), written as Tika's stripper groups them:
         * a space between two digits unless the second directly follows the first in the stream and starts where
         * the first ends on the same line (within a third of the first's width across, half its height down).
         * Digits drawn one per text operator in another order than they show, even where the digits themselves
         * read the same (a card's equal digits swapped), come out of Tika broken into pieces ({@code 4 1 11…});
         * the runs, which join them, must then be returned.
         */
        private String streamWords() {
            StringBuilder sb = new StringBuilder(streamDigits.length() * 2);
            for (List<TextPosition> article : charactersByArticle) {
                TextPosition previous = null;
                for (TextPosition t : article) {
                    String u = t.getUnicode();
                    if (!isDigits(u)) {
                        previous = null;
                        continue;
                    }
                    if (sb.length() > 0 && (previous == null || !follows(previous, t))) {
                        sb.append(' ');
                    }
                    sb.append(u);
                    previous = t;
                }
                previous = null;
            }
            return sb.toString();
        }

        private static boolean follows(TextPosition a, TextPosition b) {
            float end = a.getXDirAdj() + a.getWidthDirAdj();
            return a.getDir() == b.getDir() && Math.abs(b.getXDirAdj() - end) <= a.getWidthDirAdj() / 3
                    && Math.abs(b.getYDirAdj() - a.getYDirAdj()) <= a.getHeightDir() / 2;
        }

        /** The digits written since {@code from}, a space between two that other chars part. */
        private static String digitWords(StringBuffer buffer, int from) {
            StringBuilder sb = new StringBuilder();
            boolean apart = false;
            for (int i = from; i < buffer.length(); i++) {
                char c = buffer.charAt(i);
                if (Character.isDigit(c)) {
                    if (apart && sb.length() > 0) {
                        sb.append(' ');
                    }
                    apart = false;
                    sb.append(c);
                } else {
                    apart = true;
                }
            }
            return sb.toString();
        }

        private static boolean isDigits(String u) {
            if (u == null || u.isEmpty()) {
                return false;
            }
            for (int i = 0; i < u.length(); i++) {
                if (!Character.isDigit(u.charAt(i))) {
                    return false;
                }
            }
            return true;
        }

        private static boolean hasDigit(String s) {
            if (s != null) {
                for (int i = 0; i < s.length(); i++) {
                    if (Character.isDigit(s.charAt(i))) {
                        return true;
                    }
                }
            }
            return false;
        }

        private static void appendDigits(StringBuilder out, String s) {
            if (s == null) {
                return;
            }
            for (int i = 0; i < s.length(); i++) {
                if (Character.isDigit(s.charAt(i))) {
                    out.append(s.charAt(i));
                }
            }
        }
    }

    /**
     * A page as PDFBox's text stripper reads it, whose crop box is read from the page once: the same page dictionary
     * (contents, rotation, media box, thread beads, annotations are read from it as from the page), the page's own
     * resources (so the document's resource cache serves the fonts, as for the page), and a crop box of the page's
     * corner values read once. The text stripper reads a page only through {@code getCropBox} (its corners, width
     * and height: the page size of every glyph, the translation for a crop box off the origin, the initial clip,
     * the thread beads' offsets), {@code getBBox} (the crop box), {@code getMatrix} (identity), {@code getResources},
     * {@code getRotation}, {@code getMediaBox}, {@code getThreadBeads}, {@code hasContents} and the contents, which
     * it gets as bytes in memory ({@link #getContents}).
     */
    static final class FixedBoxPage extends PDPage {
        /**
         * Contents up to this many bytes (decoded) are read into an array; longer ones are read as PDFBox gives them,
         * so that a huge content stream is not held twice.
         */
        static final int CONTENTS_IN_MEMORY = 16 << 20;

        private final PDPage page;
        private final int inMemory;
        private PDRectangle cropBox;

        FixedBoxPage(PDPage page) {
            this(page, CONTENTS_IN_MEMORY);
        }

        /** @param inMemory the longest contents read into an array (tests) */
        FixedBoxPage(PDPage page, int inMemory) {
            super(page.getCOSObject());
            this.page = page;
            this.inMemory = inMemory;
        }

        @Override
        public PDResources getResources() {
            return page.getResources();
        }

        @Override
        public ResourceCache getResourceCache() {
            return page.getResourceCache();
        }

        /**
         * The page's contents as PDFBox gives them (its streams decoded, in order), read into an array when they are
         * at most {@link #CONTENTS_IN_MEMORY} bytes (or the length given). PDFBox's content parser reads its input a
         * byte at a time, and from PDFBox's stream each byte went through four more calls and a check of PDFBox's
         * scratch buffer page (the hex strings of a CID font's text: about a twentieth of a text PDF's parse).
         * PDFBox decodes the streams when it opens them, so a stream that cannot be decoded fails here, where it
         * failed before.
         *
         * @throws IOException if a content stream cannot be read
         */
        @Override
        public java.io.InputStream getContents() throws IOException {
            java.io.InputStream contents = super.getContents();
            byte[] head;
            try {
                head = contents.readNBytes(inMemory + 1);
            } catch (IOException | RuntimeException e) {
                contents.close();
                throw e;
            }
            if (head.length > inMemory) {
                return new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(head), contents);
            }
            contents.close();
            return new Bytes(head);
        }

        /** The page's crop box, its numbers read once (read again after a failure, as the page would). */
        @Override
        public PDRectangle getCropBox() {
            if (cropBox == null) {
                cropBox = new FixedRectangle(page.getCropBox());
            }
            return cropBox;
        }
    }

    /** Bytes read from an array without {@link java.io.ByteArrayInputStream}'s locking: one reader, a byte at a time. */
    static final class Bytes extends java.io.InputStream {
        private final byte[] bytes;
        private int next;

        Bytes(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int read() {
            return next < bytes.length ? bytes[next++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            if (next >= bytes.length) {
                return -1;
            }
            int n = Math.min(len, bytes.length - next);
            System.arraycopy(bytes, next, b, off, n);
            next += n;
            return n;
        }

        @Override
        public long skip(long n) {
            long k = Math.max(0, Math.min(n, bytes.length - next));
            next += (int) k;
            return k;
        }

        @Override
        public int available() {
            return bytes.length - next;
        }
    }

    /**
     * A rectangle whose corners, width and height are those {@code box} gives, read once. PDFBox's rectangle reads
     * its numbers from its array at every call (a {@code BigDecimal} converted to a float); every other method of
     * the rectangle that the text stripper calls (containment, transformation, path) goes through these getters.
     * It cannot be changed: the setters throw.
     */
    private static final class FixedRectangle extends PDRectangle {
        private final PDRectangle box;
        private final float lowerLeftX;
        private final float lowerLeftY;
        private final float upperRightX;
        private final float upperRightY;
        private final float width;
        private final float height;

        FixedRectangle(PDRectangle box) {
            this.box = box;
            lowerLeftX = box.getLowerLeftX();
            lowerLeftY = box.getLowerLeftY();
            upperRightX = box.getUpperRightX();
            upperRightY = box.getUpperRightY();
            width = box.getWidth();
            height = box.getHeight();
        }

        @Override
        public float getLowerLeftX() {
            return lowerLeftX;
        }

        @Override
        public float getLowerLeftY() {
            return lowerLeftY;
        }

        @Override
        public float getUpperRightX() {
            return upperRightX;
        }

        @Override
        public float getUpperRightY() {
            return upperRightY;
        }

        @Override
        public float getWidth() {
            return width;
        }

        @Override
        public float getHeight() {
            return height;
        }

        @Override
        public COSArray getCOSArray() {
            return box.getCOSArray();
        }

        @Override
        public COSBase getCOSObject() {
            return box.getCOSObject();
        }

        @Override
        public void setLowerLeftX(float value) {
            throw new UnsupportedOperationException("the page's crop box is read only here");
        }

        @Override
        public void setLowerLeftY(float value) {
            throw new UnsupportedOperationException("the page's crop box is read only here");
        }

        @Override
        public void setUpperRightX(float value) {
            throw new UnsupportedOperationException("the page's crop box is read only here");
        }

        @Override
        public void setUpperRightY(float value) {
            throw new UnsupportedOperationException("the page's crop box is read only here");
        }
    }
}
