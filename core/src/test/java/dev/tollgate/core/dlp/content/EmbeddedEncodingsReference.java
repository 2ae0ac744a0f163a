package dev.tollgate.core.dlp.content;

import static dev.tollgate.core.dlp.content.EmbeddedEncodings.MIN_BASE64_CHARS;
import static dev.tollgate.core.dlp.content.EmbeddedEncodings.MIN_HEX_CHARS;
import static dev.tollgate.core.dlp.content.EmbeddedEncodings.MIN_WRAPPED_LINE;
import static dev.tollgate.core.dlp.content.EmbeddedEncodings.add;
import static dev.tollgate.core.dlp.content.EmbeddedEncodings.append;
import static dev.tollgate.core.dlp.content.EmbeddedEncodings.classify;
import static dev.tollgate.core.dlp.content.EmbeddedEncodings.hexValue;
import static dev.tollgate.core.dlp.content.EmbeddedEncodings.isStd;
import static dev.tollgate.core.dlp.content.EmbeddedEncodings.isTokenBreak;
import static dev.tollgate.core.dlp.content.EmbeddedEncodings.isUrl;
import static dev.tollgate.core.dlp.content.EmbeddedEncodings.isWordJoiner;
import static dev.tollgate.core.dlp.content.EmbeddedEncodings.lines;
import static dev.tollgate.core.dlp.content.EmbeddedEncodings.text;
import static dev.tollgate.core.dlp.content.EmbeddedEncodings.utf8;
import static dev.tollgate.core.dlp.content.EmbeddedEncodings.wholeLine;

import java.util.ArrayList;
import java.util.List;

import dev.tollgate.core.dlp.content.EmbeddedEncodings.Decoded;

/**
 * The test oracle for {@link EmbeddedEncodings}: the search for alphabet runs and percent-encoded tokens as first
 * written, char by char over the whole text, around the class's own helpers for everything else (classifying and
 * decoding a run, escapes and quoted-printable lines), so that the equivalence tests and the fuzz target hold the
 * faster searches to exactly the output of the plain ones.
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

    /** Base64, base64url and hex runs: maximal runs of the union alphabet, classified once each. */
    private static void alphabetRuns(String s, StringBuilder b64, StringBuilder b64url, StringBuilder b32,
            StringBuilder hex) {
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (!isAlphabet(c)) {
                i++;
                continue;
            }
            int start = i;
            int lineStart = i;
            boolean wrapped = false;
            while (true) {
                while (i < n && isAlphabet(s.charAt(i))) {
                    i++;
                }
                // a line of base64 wrapped at a fixed width continues on the next line
                int next = i < n && s.charAt(i) == '\n' ? i + 1
                        : i + 1 < n && s.charAt(i) == '\r' && s.charAt(i + 1) == '\n' ? i + 2 : -1;
                if (next > 0 && i - lineStart >= MIN_WRAPPED_LINE && (i - lineStart) % 4 == 0 && next < n
                        && wholeLine(s, next)) {
                    wrapped = true;
                    i = next;
                    lineStart = next;
                    continue;
                }
                break;
            }
            int end = i;
            while (i < n && i - end < 2 && s.charAt(i) == '=') {
                i++;
            }
            if (end - start < Math.min(MIN_BASE64_CHARS, MIN_HEX_CHARS) || (start > 0 && isWordJoiner(s.charAt(start - 1)))) {
                continue;
            }
            String run = s.substring(start, end);
            if (wrapped) {
                run = run.replace("\r", "").replace("\n", "");
            }
            classify(run, b64, b64url, b32, hex);
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
