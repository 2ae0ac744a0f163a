package dev.tollgate.core.dlp.content;

import static dev.tollgate.core.dlp.content.TextNormalization.BRAILLE_BLANK;
import static dev.tollgate.core.dlp.content.TextNormalization.LINE_SEPARATOR;
import static dev.tollgate.core.dlp.content.TextNormalization.PARAGRAPH_SEPARATOR;
import static dev.tollgate.core.dlp.content.TextNormalization.ignorable;
import static dev.tollgate.core.dlp.content.TextNormalization.isAsciiDigit;
import static dev.tollgate.core.dlp.content.TextNormalization.isBlank;
import static dev.tollgate.core.dlp.content.TextNormalization.isMark;
import static dev.tollgate.core.dlp.content.TextNormalization.isOtherComma;
import static dev.tollgate.core.dlp.content.TextNormalization.isOtherDash;
import static dev.tollgate.core.dlp.content.TextNormalization.isOtherDot;
import static dev.tollgate.core.dlp.content.TextNormalization.nfkc;
import static dev.tollgate.core.dlp.content.TextNormalization.source;

import java.text.Normalizer;

import dev.tollgate.core.dlp.PaymentCardDetector;

/**
 * The test oracle for {@link TextNormalization}: the fold after NFKC and the mapping of spans back as first written,
 * every char after the first change through Unicode property look-ups, around the class's own char predicates, so
 * that the equivalence tests and the fuzz target hold the table look-ups to exactly the output of the plain reading.
 */
final class TextNormalizationReference {
    private TextNormalizationReference() {
    }

    static String normalize(String text) {
        return fold(nfkc(text), null);
    }

    /**
     * The steps after NFKC. With {@code sources} (at least {@code nfkc.length()} long), {@code sources[k]} is set to
     * the index in {@code nfkc} of the char that output char {@code k} comes from; the output is never longer.
     */
    private static String fold(String nfkc, int[] sources) {
        int first = firstChange(nfkc);
        if (sources != null) {
            for (int k = 0, unchanged = first < 0 ? nfkc.length() : first; k < unchanged; k++) {
                sources[k] = k;
            }
        }
        if (first < 0) {
            return nfkc;
        }
        StringBuilder out = new StringBuilder(nfkc.length());
        out.append(nfkc, 0, first);
        // whether the last char kept is a decimal digit (everything before first is unchanged, so ASCII digits)
        boolean afterDigit = first > 0 && isAsciiDigit(nfkc.charAt(first - 1));
        for (int i = first; i < nfkc.length(); ) {
            int from = i;
            int cp = nfkc.codePointAt(i);
            int type = Character.getType(cp);
            i += Character.charCount(cp);
            if (type == Character.DECIMAL_DIGIT_NUMBER) {
                source(sources, out.length(), from);
                out.append((char) ('0' + Character.digit(cp, 10)));
                afterDigit = true;
                continue;
            }
            if (type == Character.FORMAT || ignorable(cp) || afterDigit && isMark(type)) {
                continue; // removed; a digit before stays the last char kept
            }
            source(sources, out.length(), from);
            if (isOtherDash(cp)) {
                // a blank after it, or before it when no digit follows (a minus sign before an amount stays '-'):
                // a range or an aside between figures, not the hyphen inside one number
                boolean blankAfter = i < nfkc.length() && isBlank(nfkc.charAt(i));
                boolean spaced = blankAfter || out.length() > 0 && isBlank(out.charAt(out.length() - 1))
                        && !(i < nfkc.length() && isAsciiDigit(nfkc.charAt(i)));
                out.append(spaced ? PaymentCardDetector.SPACED_DASH : '-');
            } else if (cp == BRAILLE_BLANK) {
                out.append(' ');
            } else if (isOtherComma(cp)) {
                out.append(',');
            } else if (isOtherDot(cp)) {
                out.append('.');
            } else if (cp == LINE_SEPARATOR || cp == PARAGRAPH_SEPARATOR) {
                out.append('\n');
            } else {
                out.appendCodePoint(cp);
                source(sources, out.length() - 1, from);
            }
            afterDigit = false;
        }
        return out.toString();
    }

    /**
     * Maps a span of {@link #normalize normalize(text)} back to {@code text}.
     *
     * @param text  the text before normalisation
     * @param start start of the span in the normalised text (inclusive, UTF-16 chars)
     * @param end   end of the span in the normalised text (exclusive), greater than {@code start}
     * @return {@code {start, end}} in {@code text}, widened to whole NFKC segments (a base char and the marks composed
     *     with it, a ligature, a removed invisible char between two kept ones stays inside); {@code {0,
     *     text.length()}} should the segment-wise NFKC ever differ from the whole-text one (it does not for any
     *     text tested)
     * @throws IndexOutOfBoundsException if the span is not inside the normalised text
     */
    static int[] originalSpan(String text, int start, int end) {
        // NFKC segment by segment: each NFKC output char knows the input segment it came from.
        com.ibm.icu.text.Normalizer2 icu = com.ibm.icu.text.Normalizer2.getNFKCInstance();
        StringBuilder nfkc = new StringBuilder(text.length());
        int[] segStart = new int[text.length() + 16];
        int[] segEnd = new int[segStart.length];
        int from = 0;
        for (int i = 0; i <= text.length(); ) {
            int cp = i < text.length() ? text.codePointAt(i) : -1;
            if (i == text.length() || i > from && icu.hasBoundaryBefore(cp)) {
                String piece = Normalizer.normalize(text.substring(from, i), Normalizer.Form.NFKC);
                if (nfkc.length() + piece.length() > segStart.length) {
                    segStart = java.util.Arrays.copyOf(segStart, (nfkc.length() + piece.length()) * 2);
                    segEnd = java.util.Arrays.copyOf(segEnd, segStart.length);
                }
                for (int k = 0; k < piece.length(); k++) {
                    segStart[nfkc.length() + k] = from;
                    segEnd[nfkc.length() + k] = i;
                }
                nfkc.append(piece);
                from = i;
                if (i == text.length()) {
                    break;
                }
            }
            i += Character.charCount(cp);
        }
        String whole = nfkc(text);
        int[] sources = new int[whole.length()];
        String folded = fold(whole, sources);
        if (start < 0 || end > folded.length() || end <= start) {
            throw new IndexOutOfBoundsException("span [" + start + ", " + end + ") of " + folded.length() + " chars");
        }
        if (!whole.contentEquals(nfkc)) {
            return new int[] {0, text.length()};
        }
        return new int[] {segStart[sources[start]], segEnd[sources[end - 1]]};
    }

    /**
     * @return the index of the first format or ignorable char, braille blank, other dash, non-ASCII decimal
     *     digit or combining mark right after an ASCII digit, -1 if there is none
     */
    private static int firstChange(String s) {
        for (int i = 0; i < s.length(); ) {
            char c = s.charAt(i);
            if (c < 0x80) {
                i++;
                continue;
            }
            int cp = s.codePointAt(i);
            int type = Character.getType(cp);
            if (type == Character.FORMAT || type == Character.DECIMAL_DIGIT_NUMBER || isOtherDash(cp)
                    || cp == BRAILLE_BLANK || cp == LINE_SEPARATOR || cp == PARAGRAPH_SEPARATOR || ignorable(cp)
                    || isOtherComma(cp) || isOtherDot(cp)
                    || isMark(type) && i > 0 && isAsciiDigit(s.charAt(i - 1))) {
                return i;
            }
            i += Character.charCount(cp);
        }
        return -1;
    }
}
