package dev.tollgate.core.dlp;

/** Mutable, per-scan out-parameter for {@link Detector#detect}. Not shared between threads. */
final class Hit {
    boolean found;
    int start;
    int end;
    Confidence confidence;
    String label;
    String masked;
    /** The match only counts if a positive context keyword is near (e.g. undashed SSN). */
    boolean needsPositiveContext;

    void reset() {
        found = false;
        needsPositiveContext = false;
        label = null;
        masked = null;
        confidence = null;
    }

    void set(int start, int end, Confidence confidence, String label, String masked) {
        this.found = true;
        this.start = start;
        this.end = end;
        this.confidence = confidence;
        this.label = label;
        this.masked = masked;
    }
}
