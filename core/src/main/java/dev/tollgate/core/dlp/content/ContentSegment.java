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
     * @param location a segment's location
     * @return whether it is a second reading of an HTML part ({@link #WITHOUT_INLINE_GAPS}, {@link #SUPERSCRIPTS_APART},
     *         {@link #CSS_ORDER}, {@link #ATTRIBUTES_JOINED}), whose findings count only where no other reading has them
     */
    public static boolean isSecondReading(String location) {
        return location.contains(WITHOUT_INLINE_GAPS) || location.contains(SUPERSCRIPTS_APART)
                || location.contains(CSS_ORDER) || location.contains(ATTRIBUTES_JOINED);
    }

    private final ContentKind kind;
    private final String location;
    private final CharSequence text;

    private ContentSegment(ContentKind kind, String location, CharSequence text) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.location = Objects.requireNonNull(location, "location");
        this.text = Objects.requireNonNull(text, "text");
    }

    /**
     * @param kind which part of the message the text comes from
     * @param location path of the part, see the class comment
     * @param text the decoded text (not copied: pass an immutable sequence)
     * @return the segment
     * @throws NullPointerException if an argument is null
     */
    public static ContentSegment of(ContentKind kind, String location, CharSequence text) {
        return new ContentSegment(kind, location, text);
    }

    public ContentKind kind() {
        return kind;
    }

    public String location() {
        return location;
    }

    public CharSequence text() {
        return text;
    }

    @Override
    public String toString() {
        return "ContentSegment{" + kind + ' ' + location + ", " + text.length() + " chars}";
    }
}
