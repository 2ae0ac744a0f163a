package dev.tollgate.core.dlp.content;

import java.io.UnsupportedEncodingException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.mail.internet.MimeUtility;
import javax.mail.internet.ParseException;

/**
 * Decodes the RFC 2047 encoded words of a header value the way lenient clients show them: an encoded word is
 * decoded wherever it stands (also glued to other text or to another encoded word, which strict RFC 2047 §5
 * parsing leaves undecoded), and white space between two adjacent encoded words is dropped (§6.2). A word that
 * does not decode (unknown charset, malformed) is kept as written.
 */
final class EncodedWords {
    /** {@code =?charset?B|Q?text?=}; charset may carry an RFC 2231 language ({@code *en}). */
    private static final Pattern WORD = Pattern.compile("=\\?[^?\\s]+\\?[BbQq]\\?[^?\\s]*\\?=");

    private EncodedWords() {
    }

    /**
     * @param value an unfolded header value
     * @return the value with its encoded words decoded; the value itself when it has none
     */
    static String decode(String value) {
        if (value.indexOf("=?") < 0) {
            return value;
        }
        Matcher m = WORD.matcher(value);
        StringBuilder out = new StringBuilder(value.length());
        int from = 0;
        boolean previousWord = false;
        while (m.find()) {
            String between = value.substring(from, m.start());
            if (!(previousWord && between.isBlank())) {
                out.append(between);
            }
            out.append(word(m.group()));
            from = m.end();
            previousWord = true;
        }
        out.append(value, from, value.length());
        return out.toString();
    }

    private static String word(String encoded) {
        try {
            return MimeUtility.decodeWord(encoded);
        } catch (ParseException | UnsupportedEncodingException | RuntimeException e) {
            return encoded;
        }
    }
}
