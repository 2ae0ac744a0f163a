package dev.tollgate.it.harness;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text edits of one file of {@code conf/} that fail when their target is not where the test expects it.
 * Tests change James's configuration by exact text; once the shipped XML is reformatted or renamed, a plain
 * {@link String#replace} would leave the file as shipped and the test would run against the defaults. Every
 * method here counts its target first and throws an {@link AssertionError} naming the file and the text when
 * the count is not the expected one.
 *
 * <pre>{@code
 * ConfEdit.of("mailetcontainer.xml", xml)
 *     .replaceOnce("<maxRetries>5</maxRetries>", "<maxRetries>1</maxRetries>")
 *     .text();
 * }</pre>
 * {@link JamesContainer#withConfEdit} hands a test a {@code ConfEdit} of the shipped file.
 */
public final class ConfEdit {
    private final String file;
    private String text;

    private ConfEdit(String file, String text) {
        this.file = file;
        this.text = text;
    }

    /**
     * @param file the file's name, used in failure messages only (e.g. {@code mailetcontainer.xml})
     * @param text the file's current content
     */
    public static ConfEdit of(String file, String text) {
        return new ConfEdit(file, text);
    }

    /** Replaces {@code target}, which must occur exactly once. */
    public ConfEdit replaceOnce(String target, String replacement) {
        return replaceExactly(target, replacement, 1);
    }

    /** Replaces every occurrence of {@code target}, which must occur exactly {@code expectedCount} times (at least 1). */
    public ConfEdit replaceExactly(String target, String replacement, int expectedCount) {
        if (expectedCount < 1) {
            throw new IllegalArgumentException("expectedCount must be at least 1, was " + expectedCount);
        }
        int found = count(target);
        if (found != expectedCount) {
            throw mismatch(target, expectedCount == 1 ? "once" : expectedCount + " times", found);
        }
        text = text.replace(target, replacement);
        return this;
    }

    /** Replaces the first occurrence of {@code target}; it must occur at least once. */
    public ConfEdit replaceFirst(String target, String replacement) {
        int at = text.indexOf(target);
        if (at < 0) {
            throw mismatch(target, "at least once", 0);
        }
        text = text.substring(0, at) + replacement + text.substring(at + target.length());
        return this;
    }

    /** Inserts {@code insert} just before {@code marker}, which must occur exactly once. */
    public ConfEdit insertBefore(String marker, String insert) {
        return replaceOnce(marker, insert + marker);
    }

    /**
     * Replaces every whole line matching {@code lineRegex} (anchored at both ends, e.g. {@code host=.*}) with
     * {@code line}, taken literally; at least one line must match. For {@code .properties} files, where the last
     * of repeated keys wins, so every match is replaced.
     */
    public ConfEdit replaceLines(String lineRegex, String line) {
        Matcher m = Pattern.compile("(?m)^(?:" + lineRegex + ")$").matcher(text);
        if (!m.find()) {
            throw mismatch("a line matching " + lineRegex, "at least once", 0);
        }
        text = m.replaceAll(Matcher.quoteReplacement(line));
        return this;
    }

    /** @return the edited content */
    public String text() {
        return text;
    }

    private int count(String target) {
        if (target.isEmpty()) {
            throw new IllegalArgumentException("empty target");
        }
        int n = 0;
        for (int at = text.indexOf(target); at >= 0; at = text.indexOf(target, at + target.length())) {
            n++;
        }
        return n;
    }

    private AssertionError mismatch(String target, String expected, int found) {
        return new AssertionError(file + ": text to edit found " + found + " time" + (found == 1 ? "" : "s")
                + ", expected " + expected + " (has the shipped file changed?): " + target);
    }
}
