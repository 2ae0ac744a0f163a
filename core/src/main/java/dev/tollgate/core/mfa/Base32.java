package dev.tollgate.core.mfa;

/**
 * Base32 with the standard alphabet {@code A-Z 2-7} (RFC 4648 §6), as used for TOTP shared secrets
 * in authenticator apps and {@code otpauth://} URIs.
 *
 * <p>Decoding is lenient about presentation and strict about content:
 * <ul>
 *   <li>lower case letters are accepted;</li>
 *   <li>spaces and hyphens are ignored anywhere, because apps and admin pages show secrets in groups
 *       such as {@code "JBSW Y3DP"} or {@code "JBSW-Y3DP"}, and users type them back that way;</li>
 *   <li>{@code =} padding is optional, but when present it may only appear at the end and must have a
 *       length that RFC 4648 §6 allows (1, 3, 4 or 6 characters, completing a multiple of 8);</li>
 *   <li>any other character, or a length that cannot come from encoding whole bytes
 *       (1, 3 or 6 symbols in the last group), is refused with an {@link IllegalArgumentException}.
 *       Messages give only the position, never the input, since the input is usually a secret.</li>
 * </ul>
 * Unused trailing bits of the last symbol are ignored (RFC 4648 §3.5 allows either choice).
 *
 * <p>Encoding produces upper case without padding, the form authenticator apps expect in
 * {@code otpauth://} URIs. Work is linear in the input length. The class is stateless and thread-safe.
 */
public final class Base32 {
    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
    private static final int[] VALUES = new int[128];

    static {
        java.util.Arrays.fill(VALUES, -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            VALUES[ALPHABET[i]] = i;
            VALUES[Character.toLowerCase(ALPHABET[i])] = i;
        }
    }

    private Base32() {
    }

    /**
     * Encodes bytes as upper-case Base32 without padding (RFC 4648 §6).
     *
     * @param data the bytes; never null; may be empty
     * @return 8 symbols per 5 bytes, the last group shortened to 2, 4, 5 or 7 symbols
     */
    public static String encode(byte[] data) {
        StringBuilder out = new StringBuilder((data.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(ALPHABET[(buffer >>> (bits - 5)) & 0x1f]);
                bits -= 5;
            }
            buffer &= (1 << bits) - 1;
        }
        if (bits > 0) {
            out.append(ALPHABET[(buffer << (5 - bits)) & 0x1f]);
        }
        return out.toString();
    }

    /**
     * Decodes Base32 text (RFC 4648 §6) as described in the class documentation.
     *
     * @param text the encoded text; never null
     * @return the decoded bytes; empty for an empty (or separators-only) input
     * @throws IllegalArgumentException for a character outside the alphabet, misplaced or wrong padding,
     *                                  or an impossible length; the message never contains the input
     */
    public static byte[] decode(CharSequence text) {
        int symbols = 0;
        int padding = 0;
        int position = 0;
        byte[] out = new byte[text.length() * 5 / 8 + 1];
        int written = 0;
        int buffer = 0;
        int bits = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            position++;
            if (c == ' ' || c == '-') {
                continue;
            }
            if (c == '=') {
                padding++;
                continue;
            }
            int value = c < 128 ? VALUES[c] : -1;
            if (value < 0) {
                throw new IllegalArgumentException("invalid Base32 character at position " + position);
            }
            if (padding > 0) {
                throw new IllegalArgumentException("Base32 padding '=' before data at position " + position);
            }
            symbols++;
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8) {
                out[written++] = (byte) (buffer >>> (bits - 8));
                bits -= 8;
                buffer &= (1 << bits) - 1;
            }
        }
        int tail = symbols % 8;
        if (tail == 1 || tail == 3 || tail == 6) {
            throw new IllegalArgumentException("invalid Base32 length: " + symbols + " symbols");
        }
        if (padding > 0 && (tail == 0 || (symbols + padding) % 8 != 0)) {
            throw new IllegalArgumentException("invalid Base32 padding length");
        }
        return java.util.Arrays.copyOf(out, written);
    }
}
