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
 * without one, UTF-16 when a byte order mark or every other byte being NUL says so, else UTF-8 when the bytes
 * are valid UTF-8, else windows-1252. An unknown or unsupported charset
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

    /** Bytes looked at to tell UTF-16 without a byte order mark. */
    private static final int UTF16_PROBE = 512;

    static Charset guess(byte[] bytes) {
        // A byte order mark (what Windows' "Unicode" text files start with) names UTF-16; UTF-16 text without one
        // shows as NUL in every other byte, which UTF-8 would accept as valid text.
        if (bytes.length >= 2 && (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xfe) {
            return StandardCharsets.UTF_16LE;
        }
        if (bytes.length >= 2 && (bytes[0] & 0xff) == 0xfe && (bytes[1] & 0xff) == 0xff) {
            return StandardCharsets.UTF_16BE;
        }
        Optional<Charset> utf16 = utf16WithoutMark(bytes);
        if (utf16.isPresent()) {
            return utf16.get();
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return StandardCharsets.UTF_8;
        } catch (CharacterCodingException e) {
            return FALLBACK_8BIT;
        }
    }

    /** UTF-16 of mostly Latin text: at least 90% of the high bytes NUL, under 10% of the low ones. */
    private static Optional<Charset> utf16WithoutMark(byte[] bytes) {
        int n = Math.min(bytes.length, UTF16_PROBE) & ~1;
        if (n < 8) {
            return Optional.empty();
        }
        int evenNul = 0;
        int oddNul = 0;
        for (int i = 0; i < n; i += 2) {
            evenNul += bytes[i] == 0 ? 1 : 0;
            oddNul += bytes[i + 1] == 0 ? 1 : 0;
        }
        int pairs = n / 2;
        if (oddNul * 10 >= pairs * 9 && evenNul * 10 < pairs) {
            return Optional.of(StandardCharsets.UTF_16LE);
        }
        if (evenNul * 10 >= pairs * 9 && oddNul * 10 < pairs) {
            return Optional.of(StandardCharsets.UTF_16BE);
        }
        return Optional.empty();
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
