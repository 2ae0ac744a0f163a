package dev.tollgate.core.dlp.content;

import static dev.tollgate.core.dlp.content.EmbeddedEncodings.add;
import static dev.tollgate.core.dlp.content.EmbeddedEncodings.append;
import static dev.tollgate.core.dlp.content.EmbeddedEncodings.byteSequence;
import static dev.tollgate.core.dlp.content.EmbeddedEncodings.hexValue;
import static dev.tollgate.core.dlp.content.EmbeddedEncodings.isStd;
import static dev.tollgate.core.dlp.content.EmbeddedEncodings.isTokenBreak;
import static dev.tollgate.core.dlp.content.EmbeddedEncodings.isUrl;
import static dev.tollgate.core.dlp.content.EmbeddedEncodings.lines;
import static dev.tollgate.core.dlp.content.EmbeddedEncodings.readRun;
import static dev.tollgate.core.dlp.content.EmbeddedEncodings.text;
import static dev.tollgate.core.dlp.content.EmbeddedEncodings.utf8;

import java.util.ArrayList;
import java.util.List;

import dev.tollgate.core.dlp.content.EmbeddedEncodings.Decoded;

/**
 * The test oracle for {@link EmbeddedEncodings}: the search for alphabet runs, separated hex bytes and
 * percent-encoded tokens written plainly, char by char over the whole text, around the class's own helpers for
 * everything else (reading a run with its wrapped lines, classifying and decoding it, reading a sequence of hex
 * bytes, escapes and quoted-printable lines), so that the equivalence tests and the fuzz target hold the faster
 * searches, which skip ahead, to exactly the output of the plain ones.
 */
final class EmbeddedEncodingsReference {
    private EmbeddedEncodingsReference() {
    }

    /** {@link EmbeddedEncodings#withoutBinaryDataUris}, which the faster class did not change. */
    static String withoutBinaryDataUris(String text) {
        return EmbeddedEncodings.withoutBinaryDataUris(text);
    }

    /**
     * @param text text to look into
     * @return the decoded text per encoding found, in the order base64, base64url, base32, hex, percent, escapes,
     *     quoted-printable; empty when nothing decodes to text
     */
    static List<Decoded> decode(String text) {
        StringBuilder b64 = new StringBuilder();
        StringBuilder b64url = new StringBuilder();
        StringBuilder b32 = new StringBuilder();
        StringBuilder hex = new StringBuilder();
        alphabetRuns(text, b64, b64url, b32, hex);
        hexBytes(text, hex);
        StringBuilder pct = new StringBuilder();
        StringBuilder esc = new StringBuilder();
        StringBuilder qp = new StringBuilder();
        if (text.indexOf('%') >= 0) {
            percentTokens(text, pct);
        }
        if (text.indexOf('\\') >= 0 || text.indexOf('=') >= 0) {
            lines(text, esc, qp);
        }
        List<Decoded> out = new ArrayList<>(0);
        add(out, "base64", b64);
        add(out, "base64url", b64url);
        add(out, "base32", b32);
        add(out, "hex", hex);
        add(out, "percent", pct);
        add(out, "escapes", esc);
        add(out, "quoted-printable", qp);
        return out;
    }

    private static boolean isAlphabet(char c) {
        return isStd(c) || c == '-' || c == '_';
    }

    /** Base64, base64url and hex runs: maximal runs of the union alphabet, each read from its first char. */
    private static void alphabetRuns(String s, StringBuilder b64, StringBuilder b64url, StringBuilder b32,
            StringBuilder hex) {
        int n = s.length();
        int i = 0;
        while (i < n) {
            if (!isAlphabet(s.charAt(i))) {
                i++;
                continue;
            }
            i = readRun(s, i, i, b64, b64url, b32, hex);
        }
    }

    /** Separated hex bytes: a sequence tried at every char that does not lie in one already read. */
    private static void hexBytes(String s, StringBuilder hex) {
        int i = 0;
        while (i < s.length()) {
            int end = byteSequence(s, i, hex);
            i = end > 0 ? end : i + 1;
        }
    }

    /** Tokens with at least two {@code %HH} escapes (one in a URL), percent-decoded. */
    private static void percentTokens(String s, StringBuilder out) {
        int n = s.length();
        int i = 0;
        while (i < n) {
            while (i < n && isTokenBreak(s.charAt(i))) {
                i++;
            }
            int start = i;
            int escapes = 0;
            while (i < n && !isTokenBreak(s.charAt(i))) {
                if (s.charAt(i) == '%' && i + 2 < n && hexValue(s.charAt(i + 1)) >= 0 && hexValue(s.charAt(i + 2)) >= 0) {
                    escapes++;
                }
                i++;
            }
            if (escapes >= 2 || (escapes == 1 && isUrl(s, start, i))) {
                byte[] bytes = new byte[(i - start) * 3];
                int b = 0;
                for (int k = start; k < i; k++) {
                    char c = s.charAt(k);
                    if (c == '%' && k + 2 < i && hexValue(s.charAt(k + 1)) >= 0 && hexValue(s.charAt(k + 2)) >= 0) {
                        bytes[b++] = (byte) (hexValue(s.charAt(k + 1)) << 4 | hexValue(s.charAt(k + 2)));
                        k += 2;
                    } else if (c == '+') {
                        bytes[b++] = ' ';
                    } else {
                        b = utf8(c, bytes, b);
                    }
                }
                append(out, text(bytes, b));
            }
        }
    }
}
