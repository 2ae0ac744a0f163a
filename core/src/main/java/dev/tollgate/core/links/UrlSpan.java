package dev.tollgate.core.links;

import java.util.Objects;

/**
 * One URL found in text: the half-open character range {@code [start, end)} of the source text and the
 * URL as written there. Immutable.
 *
 * <p>A rewriter replaces {@code text.substring(start, end)} with its own link; spans returned by one
 * extraction never overlap and are in ascending order.
 */
public final class UrlSpan {
    private final int start;
    private final int end;
    private final String text;
    private final boolean overlong;

    UrlSpan(int start, int end, String text, boolean overlong) {
        this.start = start;
        this.end = end;
        this.text = Objects.requireNonNull(text);
        this.overlong = overlong;
    }

    /** @return offset of the first character of the URL in the source text (inclusive) */
    public int start() {
        return start;
    }

    /** @return offset just after the last character of the URL in the source text (exclusive) */
    public int end() {
        return end;
    }

    /**
     * @return the URL as written, e.g. {@code www.example.com/a}; for an {@link #overlong()} span only
     *     its first {@code maxUrlLength} characters
     */
    public String text() {
        return text;
    }

    /**
     * @return the URL to follow: {@link #text()} with {@code http://} prepended when it was written as a
     *     bare {@code www.} host
     */
    public String href() {
        if (text.regionMatches(true, 0, "www.", 0, 4)) {
            return "http://" + text;
        }
        return text;
    }

    /**
     * @return true when the URL is longer than the extractor's maximum length; {@link #text()} is then
     *     truncated and a caller should treat the link as suspicious rather than follow it
     */
    public boolean overlong() {
        return overlong;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof UrlSpan)) {
            return false;
        }
        UrlSpan other = (UrlSpan) o;
        return start == other.start && end == other.end && overlong == other.overlong
                && text.equals(other.text);
    }

    @Override
    public int hashCode() {
        return Objects.hash(start, end, text, overlong);
    }

    @Override
    public String toString() {
        return "UrlSpan[" + start + "," + end + (overlong ? ",overlong" : "") + "]";
    }
}
