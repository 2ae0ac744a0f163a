package dev.tollgate.core.dlp;

/**
 * A validating detector for one kind of sensitive data, plugged into a {@link TextScanner}.
 *
 * <p>Detectors do not scan by themselves: the scanner walks the text once and offers each
 * detector only the positions that start a word (the previous char is not a letter or digit) and
 * whose first chars pass the detector's cheap pre-filters, e.g. a digit followed by a digit
 * or separator for card numbers, or {@code ---} for {@code -----BEGIN}. Each detector then looks at a bounded window
 * and tells the scanner where it may be asked again, so total work stays linear in the input length.
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

    /** Stands for "no next char" (end of text) in {@link #triggersOn}. */
    static final char NO_NEXT = 0;
    /** Stands for "a non-ASCII next char" in {@link #triggersOn}. */
    static final char NON_ASCII_NEXT = 0x7F;

    /**
     * Cheap pre-filter on the first two chars; evaluated for every ASCII pair once, when the
     * scanner is built.
     *
     * @param c0 the ASCII char at the candidate position
     * @param c1 the next char if ASCII, else {@link #NO_NEXT} or {@link #NON_ASCII_NEXT}
     * @return true if a match can start with these chars
     */
    abstract boolean triggersOn(char c0, char c1);

    /**
     * Finer pre-filter on the third char, evaluated once per ASCII triple whose first two chars pass
     * {@link #triggersOn(char, char)}, when the scanner is built. It may return false only where
     * {@link #detect} at such a position would not match and would return a resume position that skips no
     * position where this detector could match (in practice: {@code pos + 1}, or the end of a run too short
     * to hold a match).
     *
     * @param c0 the ASCII char at the candidate position
     * @param c1 the next char as in {@link #triggersOn(char, char)}
     * @param c2 the char after it if ASCII; {@link #NO_NEXT} if there is none (or it is NUL),
     *     {@link #NON_ASCII_NEXT} if it is not ASCII (or it is DEL)
     * @return true if a match can start with these chars; by default always
     */
    boolean triggersOn(char c0, char c1, char c2) {
        return true;
    }

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
