package dev.tollgate.core.dlp.content;

import java.text.Normalizer;

/**
 * Normalises extracted text before it is scanned, so that look-alike writing cannot hide a value:
 * Unicode NFKC (UAX #15; fullwidth {@code ４１１１} becomes {@code 4111}, no-break space a space) and
 * removal of invisible format characters (general category Cf: zero-width space and joiners
 * U+200B–U+200D, word joiner U+2060, U+FEFF, soft hyphen U+00AD, bidi controls...). Linear in the
 * length of the text; text that needs neither is returned as it is.
 */
final class TextNormalization {
    private TextNormalization() {
    }

    static String normalize(String text) {
        String nfkc = Normalizer.isNormalized(text, Normalizer.Form.NFKC) ? text
                : Normalizer.normalize(text, Normalizer.Form.NFKC);
        int first = firstFormat(nfkc);
        if (first < 0) {
            return nfkc;
        }
        StringBuilder out = new StringBuilder(nfkc.length());
        out.append(nfkc, 0, first);
        for (int i = first; i < nfkc.length(); ) {
            int cp = nfkc.codePointAt(i);
            if (Character.getType(cp) != Character.FORMAT) {
                out.appendCodePoint(cp);
            }
            i += Character.charCount(cp);
        }
        return out.toString();
    }

    private static int firstFormat(String s) {
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (Character.getType(cp) == Character.FORMAT) {
                return i;
            }
            i += Character.charCount(cp);
        }
        return -1;
    }
}
