package dev.tollgate.core.dlp.content;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import javax.mail.internet.MimeUtility;

/**
 * Bytes to text for scanning: the declared charset (MIME names mapped to Java names by
 * {@link MimeUtility#javaCharset}); without one, UTF-8 when the bytes are valid UTF-8, else
 * windows-1252. An unknown or unsupported charset never fails: the fallback is used and noted.
 * Malformed sequences become U+FFFD.
 */
final class TextDecoding {
    private static final Charset FALLBACK_8BIT = windows1252();

    private TextDecoding() {
    }

    /**
     * @param declared charset parameter of the part, or null
     * @param note receives a remark (without content) when the declared charset was not usable
     */
    static String decode(byte[] bytes, String declared, String location, Consumer<String> note) {
        if (declared != null && !declared.isBlank()) {
            Charset cs = lookup(declared.trim());
            if (cs != null) {
                return new String(bytes, cs);
            }
            Charset fallback = guess(bytes);
            note.accept(location + ": unknown charset '" + printable(declared) + "', decoded as " + fallback.name());
            return new String(bytes, fallback);
        }
        return new String(bytes, guess(bytes));
    }

    private static Charset lookup(String name) {
        try {
            return Charset.forName(MimeUtility.javaCharset(name));
        } catch (IllegalArgumentException e) { // IllegalCharsetName, UnsupportedCharset
            return null;
        }
    }

    static Charset guess(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return StandardCharsets.UTF_8;
        } catch (CharacterCodingException e) {
            return FALLBACK_8BIT;
        }
    }

    private static String printable(String s) {
        String cut = s.length() > 40 ? s.substring(0, 40) : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }

    private static Charset windows1252() {
        try {
            return Charset.forName("windows-1252");
        } catch (IllegalArgumentException e) {
            return StandardCharsets.ISO_8859_1;
        }
    }
}
