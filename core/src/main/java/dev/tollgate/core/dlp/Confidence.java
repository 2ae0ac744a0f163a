package dev.tollgate.core.dlp;

/**
 * How sure a detector is that a {@link Finding} is real sensitive data rather than a look-alike.
 * Ordered from weakest to strongest, so {@code compareTo} can be used for thresholds.
 */
public enum Confidence {
    /** Structure matched but weakly validated, or negative context nearby. */
    LOW,
    /** Structure and checksum/format rules matched. */
    MEDIUM,
    /** Validated and supported by context (or unambiguous by construction, e.g. key material). */
    HIGH;

    /** @return the next stronger level, or {@code HIGH} if already there */
    public Confidence raise() {
        return this == LOW ? MEDIUM : HIGH;
    }

    /** @return the next weaker level, or {@code LOW} if already there */
    public Confidence lower() {
        return this == HIGH ? MEDIUM : LOW;
    }

    /** @return true if this level is at least {@code other} */
    public boolean atLeast(Confidence other) {
        return compareTo(other) >= 0;
    }
}
