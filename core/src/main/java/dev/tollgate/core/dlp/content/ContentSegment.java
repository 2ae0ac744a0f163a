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
