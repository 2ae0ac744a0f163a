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
 * without one, UTF-32 or UTF-16 when a byte order mark or the pattern of NUL bytes says so, else UTF-8 when the bytes
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
        // A byte order mark (what Windows' "Unicode" text files start with) names UTF-16 or UTF-32; such text
        // without one shows as NUL in every other byte (three of four), which UTF-8 would accept as valid text.
        // UTF-32LE's mark starts with UTF-16LE's, so it is tried first.
        if (bytes.length >= 4 && (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xfe && bytes[2] == 0
                && bytes[3] == 0) {
            return UTF_32LE;
        }
        if (bytes.length >= 4 && bytes[0] == 0 && bytes[1] == 0 && (bytes[2] & 0xff) == 0xfe
                && (bytes[3] & 0xff) == 0xff) {
            return UTF_32BE;
        }
        Optional<Charset> utf32 = utf32WithoutMark(bytes);
        if (utf32.isPresent()) {
            return utf32.get();
        }
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

    /**
     * Whether {@code head}'s first {@code length} bytes are text in UTF-16 or UTF-32 (a byte order mark, or the NUL
     * pattern {@link #guess} tells them by) with under 1% control characters: what Windows' "Unicode" text files hold,
     * whatever their names, which a test for NUL-free text takes for binary.
     */
    static boolean isWideText(byte[] head, int length) {
        byte[] bytes = java.util.Arrays.copyOf(head, length);
        Charset charset = guess(bytes);
        if (!charset.equals(StandardCharsets.UTF_16LE) && !charset.equals(StandardCharsets.UTF_16BE)
                && !charset.equals(UTF_32LE) && !charset.equals(UTF_32BE)) {
            return false;
        }
        String text = new String(bytes, charset);
        int control = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f') {
                control++;
            }
        }
        return control * 100 < text.length();
    }

    private static final Charset UTF_32LE = Charset.forName("UTF-32LE");
    private static final Charset UTF_32BE = Charset.forName("UTF-32BE");

    /** UTF-32 of mostly Latin text: at least 90% of the three high bytes of each unit NUL, under 10% of the low one. */
    private static Optional<Charset> utf32WithoutMark(byte[] bytes) {
        int n = Math.min(bytes.length, UTF16_PROBE) & ~3;
        if (n < 16) {
            return Optional.empty();
        }
        int lowFirstNul = 0;
        int highFirstNul = 0;
        int lowLastNul = 0;
        int highLastNul = 0;
        for (int i = 0; i < n; i += 4) {
            lowFirstNul += bytes[i] == 0 ? 1 : 0;
            highFirstNul += bytes[i + 1] == 0 && bytes[i + 2] == 0 && bytes[i + 3] == 0 ? 1 : 0;
            lowLastNul += bytes[i + 3] == 0 ? 1 : 0;
            highLastNul += bytes[i] == 0 && bytes[i + 1] == 0 && bytes[i + 2] == 0 ? 1 : 0;
        }
        int units = n / 4;
        if (highFirstNul * 10 >= units * 9 && lowFirstNul * 10 < units) {
            return Optional.of(UTF_32LE);
        }
        if (highLastNul * 10 >= units * 9 && lowLastNul * 10 < units) {
            return Optional.of(UTF_32BE);
        }
        return Optional.empty();
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
