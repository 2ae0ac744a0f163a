package dev.tollgate.core.dlp.content;

import java.util.Objects;

/**
 * One piece of text taken from a message, with where it came from.
 *
 * <p>The location is a human-readable path for audit lines and reports, never containing the
 * text itself: {@code subject}, {@code body[1]}, {@code attachment:report.xlsx},
 * {@code attachment:a.zip!/inner.zip!/cards.csv}, {@code message[2]/body[1]}. Immutable.
 */
public final class ContentSegment {
    /**
     * Suffix of the location of an HTML part's second reading with the short inline elements between two digits left
     * out ({@code body[1] → without inline gaps}); findings there that another reading holds are not reported twice.
     */
    public static final String WITHOUT_INLINE_GAPS = " \u2192 without inline gaps";
    /**
     * Suffix of the location of an HTML part's second reading with superscripts and subscripts glued after a digit
     * read apart from it ({@code body[1] → superscripts apart}); findings there that another reading holds are not
     * reported twice.
     */
    public static final String SUPERSCRIPTS_APART = " \u2192 superscripts apart";
    /**
     * Suffix of the location of an HTML part's second reading with the children of flex and grid containers that
     * CSS reorders read in the order shown ({@code body[1] → css order}); findings there that another reading holds
     * are not reported twice.
     */
    public static final String CSS_ORDER = " \u2192 css order";
    /**
     * Suffix of the location of an HTML part's second reading of adjacent shown attribute values ({@code alt},
     * {@code value}, {@code title}...) joined as one line ({@code body[1] → attributes joined}); findings there that
     * another reading holds are not reported twice.
     */
    public static final String ATTRIBUTES_JOINED = " \u2192 attributes joined";

    /**
     * Suffix of the location of an Office package part that the document parser reads too, read again as the raw
     * part ({@code attachment:x.docx!/word/document.xml → raw part}): what the parser does not output (attribute
     * values, field instructions, alternative content, a header no section uses) is found there; findings that
     * another reading holds are not reported twice.
     */
    public static final String RAW_PART = " \u2192 raw part";
    /**
     * Suffix of the location of an XML text's second reading as parsed ({@code attachment:a.zip!/notes.xml → xml
     * text}): character references decoded, a paragraph's runs joined, attribute values; findings that another
     * reading holds are not reported twice.
     */
    public static final String XML_TEXT = " \u2192 xml text";
    /**
     * Suffix of the location of a text or HTML attachment's second reading in the other byte order
     * ({@code attachment:a.txt → other byte order}), when its declared charset leaves the order in doubt
     * ({@link dev.tollgate.core.mime.MimeParts#ambiguousByteOrder}): a program opening the file goes by its byte
     * order mark or its own guess, not by the MIME label. Findings that another reading holds are not reported twice.
     */
    public static final String OTHER_BYTE_ORDER = " \u2192 other byte order";

    /**
     * @param location a segment's location
     * @return whether it is a second reading of an HTML part ({@link #WITHOUT_INLINE_GAPS}, {@link #SUPERSCRIPTS_APART},
     *         {@link #CSS_ORDER}, {@link #ATTRIBUTES_JOINED}) or a raw part an Office document's parser reads too
     *         ({@link #RAW_PART}), an XML text as parsed ({@link #XML_TEXT}), or an attachment read in the other byte
     *         order ({@link #OTHER_BYTE_ORDER}), whose findings count only where no other
     *         reading has them
     */
    public static boolean isSecondReading(String location) {
        return location.contains(WITHOUT_INLINE_GAPS) || location.contains(SUPERSCRIPTS_APART)
                || location.contains(CSS_ORDER) || location.contains(ATTRIBUTES_JOINED) || location.contains(RAW_PART)
                || location.contains(XML_TEXT) || location.contains(OTHER_BYTE_ORDER);
    }

    private final ContentKind kind;
    private final String location;
    private final CharSequence text;
    /** The text before normalisation; {@code text} itself when normalising changed nothing or was not done. */
    private final CharSequence original;

    private ContentSegment(ContentKind kind, String location, CharSequence text, CharSequence original) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.location = Objects.requireNonNull(location, "location");
        this.text = Objects.requireNonNull(text, "text");
        this.original = original;
    }

    /**
     * @param kind which part of the message the text comes from
     * @param location path of the part, see the class comment
     * @param text the decoded text (not copied: pass an immutable sequence)
     * @return the segment
     * @throws NullPointerException if an argument is null
     */
    public static ContentSegment of(ContentKind kind, String location, CharSequence text) {
        return new ContentSegment(kind, location, text, text);
    }

    /** A segment whose text is {@code TextNormalization.normalize(original)}, keeping the original for spans. */
    static ContentSegment normalized(ContentKind kind, String location, String original) {
        // normalize returns its argument when nothing changes: then text and original are one object
        return new ContentSegment(kind, location, TextNormalization.normalize(original), original);
    }

    public ContentKind kind() {
        return kind;
    }

    public String location() {
        return location;
    }

    /** @return the text the detectors scan (normalised: NFKC, digits of every script folded, invisibles removed) */
    public CharSequence text() {
        return text;
    }

    /**
     * @return the extracted text before normalisation: what the part showed, with its own digits, dashes and
     *     invisible chars; {@link #text()} itself when normalising changed nothing
     */
    public CharSequence originalText() {
        return original;
    }

    /**
     * Maps a finding's span back to {@link #originalText()}: a card written in Arabic-Indic digits with a zero-width
     * space inside is found in {@link #text()} as ASCII digits, and this gives where it stands in the part's text.
     *
     * @param start start of a span of {@link #text()} (inclusive, UTF-16 chars), e.g. {@code Finding.start()}
     * @param end   its end (exclusive), greater than {@code start}
     * @return {@code {start, end}} in {@link #originalText()}, widened to whole NFKC segments (a char and the marks
     *     composed with it); the same span when the text was not changed by normalising. Computed on each call
     *     (linear in the text), so scanning pays nothing for it.
     * @throws IndexOutOfBoundsException if the span is not inside {@link #text()}
     */
    public int[] originalSpan(int start, int end) {
        if (original == text) {
            if (start < 0 || end > text.length() || end <= start) {
                throw new IndexOutOfBoundsException("span [" + start + ", " + end + ") of " + text.length() + " chars");
            }
            return new int[] {start, end};
        }
        return TextNormalization.originalSpan(original.toString(), start, end);
    }

    @Override
    public String toString() {
        return "ContentSegment{" + kind + ' ' + location + ", " + text.length() + " chars}";
    }
}
