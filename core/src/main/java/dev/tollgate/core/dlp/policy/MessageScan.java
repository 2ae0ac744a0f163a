package dev.tollgate.core.dlp.policy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import dev.tollgate.core.dlp.Finding;
import dev.tollgate.core.dlp.ScanResult;
import dev.tollgate.core.dlp.TextScanner;
import dev.tollgate.core.dlp.content.ContentSegment;
import dev.tollgate.core.dlp.content.ExtractedContent;
import dev.tollgate.core.dlp.content.Unscannable;

/**
 * The findings of every segment of an {@link ExtractedContent}, with their locations, plus the parts
 * that could not be examined. A segment whose scan was cut short (input or finding limit) is added
 * as {@link Unscannable.Reason#SIZE_LIMIT}: fail closed. Immutable.
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
        for (ContentSegment s : content.segments()) {
            ScanResult r = scanner.scan(s.text());
            for (Finding f : r) {
                found.add(new LocatedFinding(s.location(), f));
            }
            if (r.isTruncated()) {
                un.add(Unscannable.of(s.location(), Unscannable.Reason.SIZE_LIMIT,
                        "scan stopped at the scanner's input or finding limit"));
            }
        }
        return new MessageScan(found, un);
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
