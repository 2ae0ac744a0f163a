package dev.tollgate.core.dlp.policy;

import java.util.Objects;

import dev.tollgate.core.dlp.Finding;

/** A {@link Finding} with the location of the segment it was found in (e.g. {@code attachment:cards.xlsx}). */
public final class LocatedFinding {
    private final String location;
    private final Finding finding;

    public LocatedFinding(String location, Finding finding) {
        this.location = Objects.requireNonNull(location, "location");
        this.finding = Objects.requireNonNull(finding, "finding");
    }

    public String location() {
        return location;
    }

    public Finding finding() {
        return finding;
    }

    @Override
    public String toString() {
        return location + ": " + finding.detectorId() + ' ' + finding.confidence() + " '" + finding.maskedSample() + '\'';
    }
}
