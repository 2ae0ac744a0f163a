package dev.tollgate.core.dlp.content;

import java.util.ArrayList;
import java.util.List;

import com.ibm.icu.text.Bidi;

/**
 * The display (visual) order of text that a mail client lays out differently from the order it is stored in
 * (Unicode Bidirectional Algorithm, UAX #9, through ICU4J's {@link Bidi}). Text carrying a right-to-left override
 * ({@code U+202E 1111 1111 1111 1114}) is shown as {@code 4111 1111 1111 1111}; DLP reads the stored (logical)
 * order, and reads this display order as well.
 *
 * <p>Only the lines that need it are reordered: a line that holds an explicit bidi control (embeddings
 * U+202A/U+202B, overrides U+202D/U+202E, pop U+202C, isolates U+2066–U+2069, marks U+200E/U+200F/U+061C) or a
 * right-to-left letter (Hebrew, Arabic, Syriac, Thaana, N'Ko... and their presentation forms, and the
 * supplementary blocks U+10800–U+10FFF and U+1E800–U+1EFFF such as Adlam and Old Hungarian) together with a
 * digit. Each such line is laid out on its own, its paragraph direction taken from its first strong letter
 * (left-to-right when it has none, as a plain-text client shows it), the controls themselves dropped; the
 * nearest non-blank line before and after each one comes with it, in stored order, so a label on the line
 * before still reads as the number's context. Text without
 * any of these characters is answered from one pass over its chars that skips everything below U+0590 (ASCII and
 * Latin mail pay one comparison per char).
 */
final class DisplayOrder {
    private DisplayOrder() {
    }

    /**
     * @param text text as decoded, before normalisation (the controls are still in it)
     * @return the lines whose display differs from their stored order, in display order, each with the nearest
     *         non-blank line before and after it in stored order (so a label such as {@code Card number:} on the
     *         line before stays next to the number); lines end at CR, LF or CRLF and are joined with {@code '\n'}, groups
     *         of lines that are not adjacent are separated by a blank line; null when no line needs reordering or
     *         none reads differently
     */
    static String of(String text) {
        if (!mayReorder(text)) {
            return null;
        }
        List<String> lines = new ArrayList<>();
        int start = 0;
        while (start <= text.length()) {
            int end = start;
            while (end < text.length() && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
                end++;
            }
            lines.add(text.substring(start, end));
            start = end + (end + 1 < text.length() && text.charAt(end) == '\r' && text.charAt(end + 1) == '\n' ? 2 : 1);
        }
        String[] shown = new String[lines.size()];
        boolean[] keep = new boolean[lines.size()];
        boolean any = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (lineNeedsReordering(line)) {
                String visual = visual(line);
                if (!visual.equals(withoutControls(line))) {
                    shown[i] = visual;
                    keep[i] = true;
                    any = true;
                }
            }
        }
        if (!any) {
            return null;
        }
        for (int i = 0; i < lines.size(); i++) {
            if (shown[i] != null) {
                keepNearestNonBlank(lines, keep, i, -1);
                keepNearestNonBlank(lines, keep, i, 1);
            }
        }
        StringBuilder out = new StringBuilder();
        int last = -2;
        for (int i = 0; i < lines.size(); i++) {
            if (!keep[i]) {
                continue;
            }
            if (last >= 0) {
                out.append(i == last + 1 ? "\n" : "\n\n");
            }
            out.append(shown[i] != null ? shown[i] : lines.get(i));
            last = i;
        }
        return out.toString();
    }

    private static void keepNearestNonBlank(List<String> lines, boolean[] keep, int from, int step) {
        for (int j = from + step; j >= 0 && j < lines.size(); j += step) {
            if (!lines.get(j).isBlank()) {
                keep[j] = true;
                return;
            }
        }
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

    /**
     * Blocks of right-to-left scripts (their letters are bidi class R or AL): U+0590–U+08FF, the presentation forms,
     * and the supplementary right-to-left blocks U+10800–U+10FFF (Old Hungarian, Hanifi Rohingya...) and
     * U+1E800–U+1EFFF (Adlam, Mende Kikakui, Arabic mathematical letters), seen here by their high surrogates
     * U+D802–U+D803 and U+D83A–U+D83B.
     */
    private static boolean isRightToLeft(char c) {
        return (c >= 0x0590 && c <= 0x08FF) || (c >= 0xFB1D && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFE)
                || (c >= 0xD802 && c <= 0xD803) || (c >= 0xD83A && c <= 0xD83B);
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
