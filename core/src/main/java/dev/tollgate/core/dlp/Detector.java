package dev.tollgate.core.dlp;

/**
 * A validating detector for one kind of sensitive data, plugged into a {@link TextScanner}.
 *
 * <p>Detectors do not scan by themselves: the scanner walks the text once and offers each
 * detector only the positions that start a word (the previous char is not a letter or digit) and
 * whose char is one of the detector's cheap trigger chars, e.g. a digit for card numbers or
 * {@code '-'} for {@code -----BEGIN}. Each detector then looks at a bounded window and tells the
 * scanner where it may be asked again, so total work stays linear in the input length.
 *
 * <p>The set of detectors is closed (package-private constructor); instances are immutable and
 * thread-safe.
 */
public abstract class Detector {
    private final String id;
    private final DetectorType type;

    Detector(String id, DetectorType type) {
        this.id = id;
        this.type = type;
    }

    /** @return stable identifier used in findings and configuration, e.g. {@code "iban"} */
    public final String id() {
        return id;
    }

    /** @return the category of data this detector finds */
    public final DetectorType type() {
        return type;
    }

    /** @return true if {@code c} (ASCII) can start a match; called once when the scanner is built */
    abstract boolean triggersOn(char c);

    /** @return true if non-ASCII letters or digits can start a match */
    boolean triggersOnNonAscii() {
        return false;
    }

    /**
     * Tries to match at {@code pos}, which is a word start holding a trigger char.
     *
     * @param text the text
     * @param pos the position to try
     * @param limit exclusive end of the scanned region
     * @param hit out-parameter, reset by the caller; set via {@link Hit#set} on a match
     * @return the first position at which this detector may be tried again, {@code > pos}; on a
     *     match this is normally {@code hit.end}
     */
    abstract int detect(CharSequence text, int pos, int limit, Hit hit);

    @Override
    public String toString() {
        return getClass().getSimpleName() + '[' + id + ']';
    }
}
