package dev.tollgate.core.dlp.content;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link DocumentTextExtractor} returned for one document: its text and metadata values, or why there is
 * none. Immutable.
 */
public final class DocumentText {
    private final String text;
    private final List<Property> metadata;
    private final Unscannable.Reason failure;
    private final String detail;

    /** One metadata value of a document and its key ({@code dc:title}, {@code custom:Ref}, {@code xmp:dc:title/rdf:li}). */
    public static final class Property {
        private final String key;
        private final String value;

        /**
         * @param key where the value was found in the document
         * @param value the value
         */
        public Property(String key, String value) {
            this.key = Objects.requireNonNull(key, "key");
            this.value = Objects.requireNonNull(value, "value");
        }

        public String key() {
            return key;
        }

        public String value() {
            return value;
        }
    }

    private DocumentText(String text, List<Property> metadata, Unscannable.Reason failure, String detail) {
        this.text = text;
        this.metadata = metadata;
        this.failure = failure;
        this.detail = detail;
    }

    /** @param text the document's text (may be empty: a document without text is scanned, not unscannable) */
    public static DocumentText of(String text) {
        return of(text, List.of());
    }

    /**
     * @param text the document's text (may be empty)
     * @param metadata its metadata values (Info dictionary, XMP, document properties), in document order
     */
    public static DocumentText of(String text, List<Property> metadata) {
        return new DocumentText(Objects.requireNonNull(text, "text"), List.copyOf(metadata), null, "");
    }

    /**
     * @param reason why the document could not be read ({@code ENCRYPTED}, {@code EXTRACTION_FAILED},
     *        {@code TIME_LIMIT}, {@code SIZE_LIMIT}...)
     * @param detail short explanation for logs, without document content
     */
    public static DocumentText failed(Unscannable.Reason reason, String detail) {
        return new DocumentText(null, List.of(), Objects.requireNonNull(reason, "reason"),
                Objects.requireNonNull(detail, "detail"));
    }

    /** @return the text, empty when the document could not be read */
    public Optional<String> text() {
        return Optional.ofNullable(text);
    }

    /** @return the metadata values, empty when the document has none or could not be read */
    public List<Property> metadata() {
        return metadata;
    }

    /** @return why the document could not be read, empty on success */
    public Optional<Unscannable.Reason> failure() {
        return Optional.ofNullable(failure);
    }

    public String detail() {
        return detail;
    }

    @Override
    public String toString() {
        return failure == null ? "DocumentText{" + text.length() + " chars}" : "DocumentText{" + failure + ": " + detail + '}';
    }
}
