package dev.tollgate.core.dlp.content;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Everything a {@link MessageContentExtractor} took from one message: the text segments in message
 * order, and the parts it could not examine. Immutable.
 */
public final class ExtractedContent {
    private final List<ContentSegment> segments;
    private final List<Unscannable> unscannable;
    private final List<String> notes;

    private ExtractedContent(List<ContentSegment> segments, List<Unscannable> unscannable, List<String> notes) {
        this.segments = Collections.unmodifiableList(new ArrayList<>(segments));
        this.unscannable = Collections.unmodifiableList(new ArrayList<>(unscannable));
        this.notes = Collections.unmodifiableList(new ArrayList<>(notes));
    }

    /**
     * @param segments extracted text, in message order
     * @param unscannable parts that could not be examined (empty when everything was read)
     * @return the result
     */
    public static ExtractedContent of(List<ContentSegment> segments, List<Unscannable> unscannable) {
        return of(segments, unscannable, List.of());
    }

    /**
     * @param segments extracted text, in message order
     * @param unscannable parts that could not be examined (empty when everything was read)
     * @param notes things an administrator may want to know that did not stop the scan, e.g.
     *        {@code body[1]: unknown charset 'x-foo', decoded as UTF-8} (never message content)
     * @return the result
     */
    public static ExtractedContent of(List<ContentSegment> segments, List<Unscannable> unscannable, List<String> notes) {
        return new ExtractedContent(Objects.requireNonNull(segments, "segments"),
                Objects.requireNonNull(unscannable, "unscannable"), Objects.requireNonNull(notes, "notes"));
    }

    public List<ContentSegment> segments() {
        return segments;
    }

    public List<Unscannable> unscannable() {
        return unscannable;
    }

    /** @return remarks about lenient decoding (unknown charset or encoding), for logs; never message content */
    public List<String> notes() {
        return notes;
    }

    /** @return true when every part was examined (no {@link Unscannable}) */
    public boolean isComplete() {
        return unscannable.isEmpty();
    }

    @Override
    public String toString() {
        return "ExtractedContent{" + segments.size() + " segments, " + unscannable.size() + " unscannable}";
    }
}
