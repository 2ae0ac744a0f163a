package dev.tollgate.core.dlp.content;

import com.ibm.icu.text.Bidi;

/**
 * The display (visual) order of text that a mail client lays out differently from the order it is stored in
 * (Unicode Bidirectional Algorithm, UAX #9, through ICU4J's {@link Bidi}). Text carrying a right-to-left override
 * ({@code U+202E 1111 1111 1111 1114}) is shown as {@code 4111 1111 1111 1111}; DLP reads the stored (logical)
 * order, and reads this display order as well.
 *
 * <p>Only the lines that need it are reordered: a line that holds an explicit bidi control (embeddings
 * U+202A/U+202B, overrides U+202D/U+202E, pop U+202C, isolates U+2066–U+2069, marks U+200E/U+200F/U+061C) or a
 * right-to-left letter (Hebrew, Arabic, Syriac, Thaana, N'Ko... and their presentation forms) together with a
 * digit. Each such line is laid out on its own, its paragraph direction taken from its first strong letter
 * (left-to-right when it has none, as a plain-text client shows it), the controls themselves dropped. Text without
 * any of these characters is answered from one pass over its chars that skips everything below U+0590 (ASCII and
 * Latin mail pay one comparison per char).
 */
final class DisplayOrder {
    private DisplayOrder() {
    }

    /**
     * @param text text as decoded, before normalisation (the controls are still in it)
     * @return the display order of the lines that differ from their stored order, one line each (a line ends at
     *         CR or LF), joined with {@code '\n'}; null when no line needs reordering or none reads differently
     */
    static String of(String text) {
        if (!mayReorder(text)) {
            return null;
        }
        StringBuilder out = null;
        int start = 0;
        while (start <= text.length()) {
            int end = start;
            while (end < text.length() && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
                end++;
            }
            String line = text.substring(start, end);
            if (lineNeedsReordering(line)) {
                String visual = visual(line);
                if (!visual.equals(withoutControls(line))) {
                    if (out == null) {
                        out = new StringBuilder();
                    } else {
                        out.append('\n');
                    }
                    out.append(visual);
                }
            }
            start = end + 1;
        }
        return out == null ? null : out.toString();
    }

    /** @return whether the text holds any char that can make a line's display differ from its stored order */
    static boolean mayReorder(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x0590 && (isControl(c) || isRightToLeft(c))) {
                return true;
            }
        }
        return false;
    }

    private static boolean lineNeedsReordering(String line) {
        boolean rtl = false;
        boolean digit = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (isControl(c)) {
                return true;
            }
            rtl |= isRightToLeft(c);
            digit |= Character.isDigit(c);
        }
        return rtl && digit;
    }

    /** Explicit bidi formatting characters (UAX #9 §2) and the implicit marks. */
    static boolean isControl(char c) {
        return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200E || c == 0x200F
                || c == 0x061C;
    }

    /** Blocks of right-to-left scripts (their letters are bidi class R or AL). */
    private static boolean isRightToLeft(char c) {
        return (c >= 0x0590 && c <= 0x08FF) || (c >= 0xFB1D && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFE);
    }

    private static String visual(String line) {
        Bidi bidi = new Bidi(line, Bidi.DIRECTION_DEFAULT_LEFT_TO_RIGHT);
        return bidi.writeReordered(Bidi.REMOVE_BIDI_CONTROLS);
    }

    private static String withoutControls(String line) {
        StringBuilder out = new StringBuilder(line.length());
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (!isControl(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }
}
