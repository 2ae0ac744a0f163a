package dev.tollgate.core.dlp.content;

import java.text.Normalizer;

import dev.tollgate.core.dlp.PaymentCardDetector;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.lang.UProperty;

/**
 * Normalises extracted text before it is scanned, so that look-alike writing cannot hide a value:
 * <ol>
 *   <li>Unicode NFKC (UAX #15; fullwidth {@code ４１１１} and mathematical {@code 𝟒𝟏𝟏𝟏} become {@code 4111},
 *       no-break space a space);</li>
 *   <li>every remaining decimal digit of another script (general category Nd: Arabic-Indic {@code ٤١١١},
 *       Extended Arabic-Indic, Devanagari, Bengali, Thai, Myanmar, Adlam...) becomes the ASCII digit of the same
 *       value ({@link Character#digit(int, int)}), so the card, IBAN, SSN and national-id detectors read it.
 *       A digit of the Basic Multilingual Plane is one char before and after, so spans over such digits are
 *       the same in the scanned text as in the NFKC text;</li>
 *   <li>every other dash of the Basic Multilingual Plane (general category Pd: hyphen U+2010, non-breaking hyphen,
 *       figure, en and em dash U+2012–U+2014, horizontal bar...) and the minus sign U+2212 become {@code '-'}, so
 *       a number grouped with the dash a word processor puts in ({@code 4111–1111–1111–1111}) reads like one
 *       grouped with hyphens; with a space or tab after it, or before it and no digit after it (not a minus sign
 *       before an amount), such a dash becomes the en dash
 *       ({@link PaymentCardDetector#SPACED_DASH}) instead, the range or aside set between figures
 *       ({@code 4024 – 0071}), which joins card groups only under a card label; one char before and after, so
 *       spans stay the same;</li>
 *   <li>invisible characters are removed: general category Cf (zero-width space and joiners U+200B–U+200D,
 *       word joiner U+2060, U+FEFF, soft hyphen U+00AD, bidi controls...) and every other Unicode
 *       Default_Ignorable_Code_Point (UAX #44: combining grapheme joiner U+034F, variation selectors U+FE00–U+FE0F
 *       and U+E0100–U+E01EF, Hangul fillers U+115F, U+1160, U+3164, U+FFA0, tags U+E0000–U+E007F...), which a
 *       client draws as nothing, so one put between the digits of a number does not split it;</li>
 *   <li>the Arabic comma U+060C, the Arabic thousands separator U+066C and the ideographic comma U+3001 become
 *       {@code ','}; the middle dot U+00B7, the Arabic decimal separator U+066B, the hyphenation point U+2027 and
 *       the katakana middle dot U+30FB become {@code '.'} (one char before and after);</li>
 *   <li>the braille pattern blank U+2800, which a client draws as a blank, becomes a space; the line and paragraph
 *       separators U+2028 and U+2029, which a client draws as line breaks, become {@code '\n'};</li>
 *   <li>combining marks (general categories Mn and Me: acute U+0301, long stroke overlay U+0336, combining enclosing
 *       keycap U+20E3...) that follow a decimal digit, directly or after other such marks or removed invisible
 *       characters, are removed: {@code 4\u0301}, {@code 4\u0336} and the keycap {@code 4\uFE0F\u20E3} read as
 *       {@code 4}. A client draws the digit with the mark on it, so the number stays legible while the marks would
 *       split it. Marks after anything else (the vowel signs and diacritics of Devanagari, Arabic, Thai... follow
 *       letters) are kept.</li>
 * </ol>
 * Spans: the scanned text is this normalised text; a finding's span is an index into it. {@link #originalSpan}
 * maps such a span back to the text before normalisation (NFKC and the removals change lengths), to the precision of
 * an NFKC segment (a char with the combining marks composed into it).
 * Linear in the length of the text; text that needs none of this is returned as it is.
 */
final class TextNormalization {
    private TextNormalization() {
    }

    static String normalize(String text) {
        if (unchanged(text)) {
            return text;
        }
        return fold(nfkc(text), null);
    }

    static String nfkc(String text) {
        return Normalizer.isNormalized(text, Normalizer.Form.NFKC) ? text
                : Normalizer.normalize(text, Normalizer.Form.NFKC);
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
        int n = nfkc.length();
        for (int i = first; i < n; ) {
            int from = i;
            char c = nfkc.charAt(i);
            if (c < 0x80) {
                // a run of ASCII goes in as it is, in one copy: most of any text
                int end = i + 1;
                while (end < n && nfkc.charAt(end) < 0x80) {
                    end++;
                }
                if (sources != null) {
                    for (int k = i, at = out.length(); k < end; k++, at++) {
                        sources[at] = k;
                    }
                }
                out.append(nfkc, i, end);
                afterDigit = isAsciiDigit(nfkc.charAt(end - 1));
                i = end;
                continue;
            }
            // chars the steps below keep as they are, decided without a Unicode property look-up: ASCII (an ASCII
            // digit is kept and is a digit before what follows) and the table's chars that neither fold nor are marks
            int known = changes(c);
            if (known >= 0 && (known & (FOLD_CHANGE | MARK)) == 0) {
                source(sources, out.length(), from);
                out.append(c);
                afterDigit = isAsciiDigit(c);
                i++;
                continue;
            }
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

    static void source(int[] sources, int at, int from) {
        if (sources != null) {
            sources[at] = from;
        }
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

    static final int BRAILLE_BLANK = 0x2800;

    /**
     * Commas of other scripts that NFKC leaves: the Arabic comma U+060C, the Arabic thousands separator U+066C and
     * the ideographic comma U+3001 (a number grouped with them reads like one grouped with ASCII commas).
     */
    static boolean isOtherComma(int cp) {
        return cp == 0x060C || cp == 0x066C || cp == 0x3001;
    }

    /**
     * Dots drawn between groups: the middle dot U+00B7, the Arabic decimal separator U+066B, the hyphenation point
     * U+2027 and the katakana middle dot U+30FB (read as {@code '.'}).
     */
    static boolean isOtherDot(int cp) {
        return cp == 0x00B7 || cp == 0x066B || cp == 0x2027 || cp == 0x30FB;
    }
    static final int LINE_SEPARATOR = 0x2028;
    static final int PARAGRAPH_SEPARATOR = 0x2029;

    static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** @return whether a general category is a nonspacing or enclosing combining mark (Mn, Me) */
    static boolean isMark(int type) {
        return type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK;
    }

    /** @return whether cp is a Default_Ignorable_Code_Point (UAX #44) */
    static boolean ignorable(int cp) {
        return UCharacter.hasBinaryProperty(cp, UProperty.DEFAULT_IGNORABLE_CODE_POINT);
    }

    /** @return whether cp is a non-ASCII dash of the BMP (Pd) or the minus sign */
    static boolean isOtherDash(int cp) {
        return cp >= 0x80 && cp < 0x10000 && (cp == 0x2212 || Character.getType(cp) == Character.DASH_PUNCTUATION);
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
            int known = changes(c);
            if (known >= 0 && (known & (FOLD_CHANGE | MARK)) == 0) {
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

    /**
     * Chars of the ranges {@link #CHANGES} describes: below U+0300 (ASCII, Latin-1, Latin Extended-A and B, IPA,
     * spacing modifiers) and U+2000–U+20CF (General Punctuation, super- and subscripts, currency symbols), the
     * non-ASCII chars of most European text.
     */
    private static final int LOW_END = 0x0300;
    private static final int PUNCTUATION_START = 0x2000;
    private static final int PUNCTUATION_END = 0x20D0;
    /** The char is not in NFKC by itself, has a non-zero combining class or may compose with the char before. */
    private static final byte NFKC_CHANGE = 1;
    /** {@link #firstChange} stops at the char wherever it stands. */
    private static final byte FOLD_CHANGE = 2;
    /** A combining mark (Mn, Me): {@link #firstChange} stops at it after an ASCII digit. */
    private static final byte MARK = 4;
    /**
     * Per char of the two ranges (the punctuation range after the low one), what normalisation does to it, so
     * that text made of such chars is passed by one table look-up per char instead of a Unicode property
     * look-up. A string whose chars all have combining class 0 and NFKC quick check Yes is in NFKC (UAX #15 §9),
     * so no char here needs its neighbours to decide that; both the JDK's normaliser (which {@link #nfkc} uses)
     * and ICU's have to say so, else the char goes the general way.
     */
    private static final byte[] CHANGES = new byte[LOW_END + PUNCTUATION_END - PUNCTUATION_START];

    static {
        com.ibm.icu.text.Normalizer2 icu = com.ibm.icu.text.Normalizer2.getNFKCInstance();
        for (int k = 0; k < CHANGES.length; k++) {
            int cp = k < LOW_END ? k : k - LOW_END + PUNCTUATION_START;
            String alone = String.valueOf((char) cp);
            int type = Character.getType(cp);
            byte flags = 0;
            if (!Normalizer.isNormalized(alone, Normalizer.Form.NFKC) || !icu.isNormalized(alone)
                    || !icu.hasBoundaryBefore(cp) || UCharacter.getCombiningClass(cp) != 0) {
                flags |= NFKC_CHANGE;
            }
            if (type == Character.FORMAT || type == Character.DECIMAL_DIGIT_NUMBER || isOtherDash(cp)
                    || cp == BRAILLE_BLANK || cp == LINE_SEPARATOR || cp == PARAGRAPH_SEPARATOR || ignorable(cp)
                    || isOtherComma(cp) || isOtherDot(cp)) {
                flags |= FOLD_CHANGE;
            }
            if (isMark(type)) {
                flags |= MARK;
            }
            CHANGES[k] = flags;
        }
    }

    /** @return the {@link #CHANGES} flags of {@code c}, -1 outside the two ranges */
    private static int changes(char c) {
        if (c < LOW_END) {
            return CHANGES[c];
        }
        if (c >= PUNCTUATION_START && c < PUNCTUATION_END) {
            return CHANGES[c - PUNCTUATION_START + LOW_END];
        }
        return -1;
    }

    /**
     * @return whether {@link #normalize} returns {@code text} as it is, decided from the table alone; false also
     *     when a char outside its ranges needs the general check
     */
    private static boolean unchanged(String text) {
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (c >= 0x80 && changes(c) != 0) {
                return false;
            }
        }
        return true;
    }
}
