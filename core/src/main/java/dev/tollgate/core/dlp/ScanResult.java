package dev.tollgate.core.dlp;

import java.util.AbstractList;
import java.util.Collections;
import java.util.List;
import java.util.RandomAccess;

/**
 * The findings of one {@link TextScanner#scan} call: an immutable list sorted by start offset
 * (then end, then detector id), plus whether the scan was cut short.
 */
public final class ScanResult extends AbstractList<Finding> implements RandomAccess {
    private final List<Finding> findings;
    private final boolean truncated;
    private final int scannedChars;

    ScanResult(List<Finding> findings, boolean truncated, int scannedChars) {
        this.findings = Collections.unmodifiableList(findings);
        this.truncated = truncated;
        this.scannedChars = scannedChars;
    }

    @Override
    public Finding get(int index) {
        return findings.get(index);
    }

    @Override
    public int size() {
        return findings.size();
    }

    /**
     * @return true if the scan stopped early, because the maximum number of findings was reached
     *     or the input was longer than the scanner's input limit; callers should then treat the
     *     text as containing more sensitive data than listed (fail closed)
     */
    public boolean isTruncated() {
        return truncated;
    }

    /** @return number of chars actually examined (at most the scanner's input limit) */
    public int scannedChars() {
        return scannedChars;
    }

    @Override
    public String toString() {
        return "ScanResult{" + findings.size() + " findings" + (truncated ? ", truncated" : "") + '}';
    }
}
