package dev.tollgate.core.dlp.content;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Consumer;

import dev.tollgate.core.mime.MimeParts;

/**
 * Bytes to text for scanning: the declared charset (a MIME name, looked up by {@link MimeParts#javaCharset});
 * without one, UTF-8 when the bytes are valid UTF-8, else windows-1252. An unknown or unsupported charset
 * never fails: the fallback is used and noted. Malformed sequences become U+FFFD.
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
            Optional<Charset> cs = MimeParts.javaCharset(declared);
            if (cs.isPresent()) {
                return new String(bytes, cs.get());
            }
            Charset fallback = guess(bytes);
            note.accept(location + ": unknown charset '" + printable(declared) + "', decoded as " + fallback.name());
            return new String(bytes, fallback);
        }
        return new String(bytes, guess(bytes));
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
