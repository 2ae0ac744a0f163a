package dev.tollgate.core.dlp.policy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.tollgate.core.dlp.Confidence;
import dev.tollgate.core.dlp.Finding;
import dev.tollgate.core.dlp.ScanResult;
import dev.tollgate.core.dlp.TextScanner;
import dev.tollgate.core.dlp.content.ContentSegment;
import dev.tollgate.core.dlp.content.ExtractedContent;
import dev.tollgate.core.dlp.content.Unscannable;

/**
 * The findings of every segment of an {@link ExtractedContent}, with their locations, plus the parts
 * that could not be examined. A segment whose scan was cut short (input or finding limit) is added
 * as {@link Unscannable.Reason#SIZE_LIMIT}: fail closed. A finding of an HTML part's second reading (without inline
 * gaps, superscripts apart, in CSS order, attributes joined: {@link ContentSegment#isSecondReading}) whose detector
 * and value (its letters and digits,
 * case folded) a finding of another segment, or an earlier one of such a reading, already has is left out, so that
 * the second reading adds only what the first missed and counts stay as they were. Immutable.
 */
public final class MessageScan {
    private final List<LocatedFinding> findings;
    private final List<Unscannable> unscannable;

    private MessageScan(List<LocatedFinding> findings, List<Unscannable> unscannable) {
        this.findings = Collections.unmodifiableList(findings);
        this.unscannable = Collections.unmodifiableList(unscannable);
    }

    /**
     * @param content extracted content of a message
     * @param scanner the scanner (thread-safe)
     * @return the scan
     */
    public static MessageScan of(ExtractedContent content, TextScanner scanner) {
        List<LocatedFinding> found = new ArrayList<>();
        List<Unscannable> un = new ArrayList<>(content.unscannable());
        boolean gaps = false;
        for (ContentSegment s : content.segments()) {
            gaps |= ContentSegment.isSecondReading(s.location());
        }
        // each value's strongest finding among the first readings: a second reading's finding of the same value
        // counts only when it is stronger (its context may hold what raises it: a label, a CVV)
        Map<String, Confidence> seen = gaps ? new HashMap<>() : null;
        List<ContentSegment> later = new ArrayList<>();
        for (ContentSegment s : content.segments()) {
            if (gaps && ContentSegment.isSecondReading(s.location())) {
                later.add(s); // after every other reading, so that what they found is known
                continue;
            }
            ScanResult r = scanner.scan(s.text());
            for (Finding f : r) {
                found.add(new LocatedFinding(s.location(), f));
                if (seen != null) {
                    seen.merge(key(s.text(), f), f.confidence(), (a, b) -> a.atLeast(b) ? a : b);
                }
            }
            if (r.isTruncated()) {
                un.add(Unscannable.of(s.location(), Unscannable.Reason.SIZE_LIMIT,
                        "scan stopped at the scanner's input or finding limit"));
            }
        }
        for (ContentSegment s : later) {
            ScanResult r = scanner.scan(s.text());
            for (Finding f : r) {
                String key = key(s.text(), f);
                Confidence before = seen.get(key);
                if (before == null || !before.atLeast(f.confidence())) {
                    seen.put(key, f.confidence());
                    found.add(new LocatedFinding(s.location(), f));
                }
            }
            if (r.isTruncated()) {
                un.add(Unscannable.of(s.location(), Unscannable.Reason.SIZE_LIMIT,
                        "scan stopped at the scanner's input or finding limit"));
            }
        }
        return new MessageScan(found, un);
    }

    /** Detector id and the finding's letters and digits, upper case: the same value however it is separated. */
    private static String key(CharSequence text, Finding f) {
        StringBuilder k = new StringBuilder(f.detectorId()).append(':');
        for (int i = f.start(); i < f.end() && i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                k.append(Character.toUpperCase(c));
            }
        }
        return k.toString();
    }

    public List<LocatedFinding> findings() {
        return findings;
    }

    /** @return the findings without locations, for {@link DlpInput} */
    public List<Finding> plainFindings() {
        List<Finding> out = new ArrayList<>(findings.size());
        for (LocatedFinding f : findings) {
            out.add(f.finding());
        }
        return out;
    }

    public List<Unscannable> unscannable() {
        return unscannable;
    }
}
