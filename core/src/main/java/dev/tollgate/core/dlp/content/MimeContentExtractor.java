package dev.tollgate.core.dlp.content;

import java.util.Objects;
import java.util.function.LongSupplier;

import javax.mail.internet.MimeMessage;

import dev.tollgate.core.mime.PartCache;

/**
 * The {@link MessageContentExtractor} over javax.mail: subject (RFC 2047), the display names in
 * From/To/Cc/Reply-To and the Comments and Keywords headers ({@link ContentKind#HEADER}), text parts
 * after Content-Transfer-Encoding and charset decoding ({@code format=flowed} un-flowed per RFC 3676,
 * HTML reduced to text with jsoup), attachment file names (RFC 2231 and RFC 2047), attached
 * {@code message/rfc822} messages (also when base64 or quoted-printable encoded), zip, tar, gzip and bzip2
 * archives (nested too, read as streams with every produced byte counted), and documents through a
 * {@link DocumentTextExtractor} (PDF, Office, ODF, RTF).
 *
 * <p>Every segment's text is NFKC-normalised with invisible format characters (Unicode Cf, e.g.
 * zero-width space, soft hyphen) removed, so that look-alike writing does not hide a value.
 *
 * <p>Locations: {@code subject}, {@code headers}, {@code body[1]}, {@code attachment:a.zip!/inner.zip!/cards.csv},
 * {@code attachment[2]} (no file name), {@code message[1]/body[1]}. Inside an attached message or
 * archive every text is {@link ContentKind#ATTACHMENT} (names stay {@link ContentKind#ATTACHMENT_NAME}).
 *
 * <p>Limits ({@link ExtractionLimits}): the depth, compression ratio and unreadable-part verdicts
 * affect one part and extraction goes on; the size, entry and time limits end the extraction of the
 * message (what was read so far is kept). Without a document extractor, documents are
 * {@link Unscannable.Reason#EXTRACTION_FAILED}; images and other binaries are not examined beyond
 * their names. Immutable and thread-safe.
 */
public final class MimeContentExtractor implements MessageContentExtractor {
    private final ExtractionLimits limits;
    private final DocumentTextExtractor documents;
    private final LongSupplier nanoTime;

    private MimeContentExtractor(Builder builder) {
        this.limits = builder.limits;
        this.documents = builder.documents;
        this.nanoTime = builder.nanoTime;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public ExtractedContent extract(MimeMessage message) {
        Objects.requireNonNull(message, "message");
        return extract(message, PartCache.none());
    }

    @Override
    public ExtractedContent extract(MimeMessage message, PartCache cache) {
        Objects.requireNonNull(message, "message");
        return new ExtractionRun(new ExtractionBudget(limits, nanoTime), documents, Objects.requireNonNull(cache, "cache"))
                .run(message);
    }

    public ExtractionLimits limits() {
        return limits;
    }

    public static final class Builder {
        private ExtractionLimits limits = ExtractionLimits.defaults();
        private DocumentTextExtractor documents;
        private LongSupplier nanoTime = System::nanoTime;

        private Builder() {
        }

        public Builder limits(ExtractionLimits value) {
            limits = Objects.requireNonNull(value, "limits");
            return this;
        }

        /** @param value the document extractor, or null to report documents as unscannable */
        public Builder documentExtractor(DocumentTextExtractor value) {
            documents = value;
            return this;
        }

        /** @param value the clock for the time budget (tests); default {@link System#nanoTime()} */
        public Builder nanoTime(LongSupplier value) {
            nanoTime = Objects.requireNonNull(value, "nanoTime");
            return this;
        }

        public MimeContentExtractor build() {
            return new MimeContentExtractor(this);
        }
    }
}
