package dev.tollgate.core.dlp.content;

import java.nio.charset.StandardCharsets;

/**
 * Three readings of a fuzz input as text, so that the equivalence targets see every kind of char: the bytes as
 * UTF-8; each pair of bytes as one UTF-16 char (lone surrogates, unassigned and private-use chars included); each
 * byte as one char of a small alphabet of the chars the normalisation and the encoding search treat apart (ASCII
 * digits and letters, base64 punctuation, padding, line breaks, Latin-1 letters, marks, invisibles, dashes, other
 * scripts' digits and separators, compatibility chars, a surrogate pair's halves).
 */
final class FuzzText {
    private static final String ALPHABET = "0123456789AZaz+/-_=%\\ux\r\n \t\"'<>:.,"
            + "\u00e9\u00df\u00a0\u00ad\u00b7\u00b2\u00b5\u0301\u0336\u20e3\ufe0f\u034f\u200b\u200d\u2060\ufeff"
            + "\u2010\u2013\u2014\u2212\u2019\u2026\u2028\u2029\u2800\u060c\u066b\u066c\u3001\u30fb\u0664\u0967"
            + "\uff14\ufb01\u0410\u4e00\ud835\udfd2\u1161\u3164\u202e";

    private FuzzText() {
    }

    static String[] readings(byte[] data) {
        char[] pairs = new char[data.length / 2];
        for (int k = 0; k < pairs.length; k++) {
            pairs[k] = (char) ((data[2 * k] & 0xff) << 8 | data[2 * k + 1] & 0xff);
        }
        char[] picked = new char[data.length];
        for (int k = 0; k < data.length; k++) {
            picked[k] = ALPHABET.charAt((data[k] & 0xff) % ALPHABET.length());
        }
        return new String[] {new String(data, StandardCharsets.UTF_8), new String(pairs), new String(picked)};
    }
}
