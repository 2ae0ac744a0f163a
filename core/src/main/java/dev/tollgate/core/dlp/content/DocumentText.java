package dev.tollgate.core.dlp.content;

import java.util.Objects;
import java.util.Optional;

/** What a {@link DocumentTextExtractor} returned for one document: its text, or why there is none. Immutable. */
public final class DocumentText {
    private final String text;
    private final Unscannable.Reason failure;
    private final String detail;

    private DocumentText(String text, Unscannable.Reason failure, String detail) {
        this.text = text;
        this.failure = failure;
        this.detail = detail;
    }

    /** @param text the document's text (may be empty: a document without text is scanned, not unscannable) */
    public static DocumentText of(String text) {
        return new DocumentText(Objects.requireNonNull(text, "text"), null, "");
    }

    /**
     * @param reason why the document could not be read ({@code ENCRYPTED}, {@code EXTRACTION_FAILED},
     *        {@code TIME_LIMIT}, {@code SIZE_LIMIT}...)
     * @param detail short explanation for logs, without document content
     */
    public static DocumentText failed(Unscannable.Reason reason, String detail) {
        return new DocumentText(null, Objects.requireNonNull(reason, "reason"), Objects.requireNonNull(detail, "detail"));
    }

    /** @return the text, empty when the document could not be read */
    public Optional<String> text() {
        return Optional.ofNullable(text);
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
