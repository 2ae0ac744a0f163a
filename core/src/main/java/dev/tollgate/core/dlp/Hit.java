package dev.tollgate.core.dlp;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

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

    /**
     * {@link CardContext} cache: the last position asked about (-1: none), its line's start, the first line of its
     * block, the first line of its run of lines holding its column separator ({@code ctxSep}) and their verdicts
     * (strong labels only). Valid because one Hit serves one scan.
     */
    int ctxPos = -1;
    int ctxLineStart;
    int ctxHeaderStart;
    int ctxRunStart;
    int ctxRunDepth;
    char ctxSep;
    boolean ctxVerdict;
    boolean ctxHeaderVerdict;
    boolean ctxRunVerdict;

    /** Where the last payment card found ended (-1: none): the cards of a list before the groups read now. */
    int cardEnd = -1;

    private MessageDigest sha256;
    /** Last {@link #numericRunEnd} call: its start position (-1: none) and result. */
    private int runFrom = -1;
    private int runEnd;

    /**
     * {@link Chars#numericRunEnd}, remembered for the last position: the card and SSN detectors ask for the same
     * run at the same position. Valid because one Hit serves one scan (same text and limit throughout).
     */
    int numericRunEnd(CharSequence text, int pos, int limit) {
        if (pos != runFrom) {
            runEnd = Chars.numericRunEnd(text, pos, limit);
            runFrom = pos;
        }
        return runEnd;
    }

    /** @return a SHA-256 instance owned by this scan (created on first use) */
    MessageDigest sha256() {
        if (sha256 == null) {
            sha256 = newSha256();
        }
        return sha256;
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    void reset() {
        found = false;
        needsPositiveContext = false;
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
