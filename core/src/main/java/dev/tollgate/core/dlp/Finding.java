package dev.tollgate.core.dlp;

import java.util.Objects;

/**
 * One piece of sensitive data found in a text. Immutable.
 *
 * <p>The finding never carries the matched value itself: {@link #maskedSample()} shows only what
 * an operator needs to recognise it (a card's first and last four digits, an IBAN's country and
 * last four characters, a key's header line), so findings are safe to log.
 *
 * <p>Offsets are UTF-16 {@code char} indices into the scanned {@link CharSequence}: {@code start}
 * inclusive, {@code end} exclusive, spanning the original text including any separators.
 */
public final class Finding implements Comparable<Finding> {
    private final String detectorId;
    private final DetectorType type;
    private final String label;
    private final int start;
    private final int end;
    private final Confidence confidence;
    private final String maskedSample;

    Finding(String detectorId, DetectorType type, String label, int start, int end,
            Confidence confidence, String maskedSample) {
        this.detectorId = Objects.requireNonNull(detectorId, "detectorId");
        this.type = Objects.requireNonNull(type, "type");
        this.label = Objects.requireNonNull(label, "label");
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("invalid span [" + start + ", " + end + ")");
        }
        this.start = start;
        this.end = end;
        this.confidence = Objects.requireNonNull(confidence, "confidence");
        this.maskedSample = Objects.requireNonNull(maskedSample, "maskedSample");
    }

    /** @return id of the detector that produced this finding, e.g. {@code "payment-card"} */
    public String detectorId() {
        return detectorId;
    }

    /** @return the category of data found */
    public DetectorType type() {
        return type;
    }

    /**
     * @return a detector-specific sub-kind, e.g. {@code "VISA"}, {@code "DE"} (IBAN country),
     *     {@code "AWS_ACCESS_KEY_ID"}, {@code "RSA PRIVATE KEY"}; never the value itself
     */
    public String label() {
        return label;
    }

    /** @return start offset (inclusive, UTF-16 chars) in the scanned text */
    public int start() {
        return start;
    }

    /** @return end offset (exclusive, UTF-16 chars) in the scanned text */
    public int end() {
        return end;
    }

    /** @return confidence after context rules were applied */
    public Confidence confidence() {
        return confidence;
    }

    /** @return a masked rendering of the match that is safe to log, e.g. {@code 4111 **** **** 1111} */
    public String maskedSample() {
        return maskedSample;
    }

    /** Orders by start, then end, then detector id (deterministic report order). */
    @Override
    public int compareTo(Finding o) {
        int c = Integer.compare(start, o.start);
        if (c == 0) {
            c = Integer.compare(end, o.end);
        }
        return c != 0 ? c : detectorId.compareTo(o.detectorId);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Finding)) {
            return false;
        }
        Finding f = (Finding) o;
        return start == f.start && end == f.end && detectorId.equals(f.detectorId) && type == f.type
                && label.equals(f.label) && confidence == f.confidence && maskedSample.equals(f.maskedSample);
    }

    @Override
    public int hashCode() {
        return Objects.hash(detectorId, type, label, start, end, confidence, maskedSample);
    }

    @Override
    public String toString() {
        return "Finding{" + detectorId + ' ' + type + '/' + label + " [" + start + ',' + end + ") "
                + confidence + " '" + maskedSample + "'}";
    }
}
