package dev.tollgate.core.dlp.content;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Recognises content its sender encrypted, by its structure (never by a file name or a declared type alone),
 * so that it is reported as unscannable ({@link Unscannable#encryptedMessage}) rather than read as opaque
 * bytes and found clean:
 * <ul>
 *   <li>CMS {@code ContentInfo} (RFC 5652 §3) whose content type is {@code id-envelopedData} (RFC 5652 §6,
 *       1.2.840.113549.1.7.3) or {@code id-ct-authEnvelopedData} (RFC 5083, 1.2.840.113549.1.9.16.1.23): the
 *       body of an S/MIME {@code application/pkcs7-mime} enveloped message or a {@code .p7m} file
 *       (RFC 8551 §3.3). Signed-data, compressed-data and certs-only are not encrypted.</li>
 *   <li>A binary OpenPGP message (RFC 4880 §11.3, RFC 9580 §10.3): one or more public-key or symmetric-key
 *       encrypted session key packets (tags 1, 3) followed by an encrypted data packet (tags 9, 18, 20), with
 *       well-formed packet headers (RFC 4880 §4.2). Signatures, keys, compressed and literal data are not
 *       encrypted.</li>
 *   <li>Such a message ASCII-armoured (RFC 4880 §6.2) in text: a line {@code -----BEGIN PGP MESSAGE-----},
 *       optional armour headers, base64 whose decoded packets are as above, and a line
 *       {@code -----END PGP MESSAGE-----}. A {@code PGP SIGNED MESSAGE}, {@code PGP SIGNATURE} or
 *       {@code PGP PUBLIC KEY BLOCK}, or the words in a sentence, are not.</li>
 * </ul>
 * Bounded work: binary checks read at most the {@link ContentFormat#HEAD_BYTES} bytes they are given; the
 * armour check is one pass over the text and decodes at most {@value #ARMOUR_HEAD_CHARS} base64 characters
 * of each armoured block. Stateless and thread-safe.
 */
public final class SenderEncryption {
    /** Base64 characters of an armoured block decoded for the packet check (3 KiB of packets). */
    static final int ARMOUR_HEAD_CHARS = 4096;

    /** The content types as encoded in a {@code ContentInfo}: tag, length and value (X.690 §8.19). */
    // Written out so that core needs no ASN.1 library: 1.2.840.113549.1.7.3 and 1.2.840.113549.1.9.16.1.23.
    private static final byte[] ENVELOPED_DATA_DER = {0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7,
        0x0d, 0x01, 0x07, 0x03};
    private static final byte[] AUTH_ENVELOPED_DATA_DER = {0x06, 0x0b, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
        (byte) 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x01, 0x17};
    private static final String BEGIN = "-----BEGIN PGP MESSAGE-----";
    private static final String END = "-----END PGP MESSAGE-----";

    private SenderEncryption() {
    }

    /**
     * @param head the first bytes of a decoded part or file
     * @param length how many of them are valid
     * @return what the encrypted content is ("S/MIME enveloped-data (CMS)", "OpenPGP encrypted message"), or
     *     empty when the bytes are not an encrypted CMS or OpenPGP message
     */
    public static Optional<String> binary(byte[] head, int length) {
        Optional<String> cms = cms(head, length);
        if (cms.isPresent()) {
            return cms;
        }
        return openPgp(head, 0, length) ? Optional.of("OpenPGP encrypted message") : Optional.empty();
    }

    /**
     * @param text decoded text (a body or a text attachment)
     * @return a description of the first armoured OpenPGP encrypted message in it, or empty
     */
    public static Optional<String> armoured(String text) {
        int from = 0;
        while (true) {
            int begin = text.indexOf(BEGIN, from);
            if (begin < 0) {
                return Optional.empty();
            }
            from = begin + BEGIN.length();
            if ((begin > 0 && text.charAt(begin - 1) != '\n') || !restOfLineBlank(text, from)) {
                continue; // the armour line is a line of its own (RFC 4880 §6.2), not words in a sentence
            }
            if (armouredBlockEncrypted(text, nextLine(text, from))) {
                return Optional.of("OpenPGP encrypted message, ASCII-armoured");
            }
        }
    }

    /** @param start the line after the BEGIN line */
    private static boolean armouredBlockEncrypted(String text, int start) {
        int line = start;
        // armour headers ("Version: ...", "Comment: ..."), then a blank line (RFC 4880 §6.2)
        while (line < text.length()) {
            int eol = endOfLine(text, line);
            String l = text.substring(line, eol).strip();
            if (l.isEmpty()) {
                line = nextLine(text, eol);
                break;
            }
            if (l.indexOf(':') < 0) {
                break; // no header block: some writers omit the blank line; base64 starts here
            }
            line = nextLine(text, eol);
        }
        StringBuilder base64 = new StringBuilder();
        while (line < text.length()) {
            int eol = endOfLine(text, line);
            String l = text.substring(line, eol).strip();
            if (l.equals(END)) {
                return openPgpBase64(base64);
            }
            if (l.startsWith("-----")) {
                return false; // another armour line before the end: not one well-formed block
            }
            if (!l.startsWith("=") && base64.length() < ARMOUR_HEAD_CHARS) {
                base64.append(l, 0, Math.min(l.length(), ARMOUR_HEAD_CHARS - base64.length()));
            }
            line = nextLine(text, eol);
        }
        return false; // no END line
    }

    private static boolean openPgpBase64(CharSequence base64) {
        String chars = base64.toString();
        int usable = chars.length() - chars.length() % 4; // a cut block decodes whole
        byte[] packets;
        try {
            packets = Base64.getMimeDecoder().decode(chars.substring(0, usable).getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            return false;
        }
        return openPgp(packets, 0, packets.length);
    }

    private static boolean restOfLineBlank(String text, int from) {
        int eol = endOfLine(text, from);
        return text.substring(from, eol).isBlank();
    }

    private static int endOfLine(String text, int from) {
        int eol = text.indexOf('\n', from);
        return eol < 0 ? text.length() : eol;
    }

    private static int nextLine(String text, int from) {
        int eol = text.indexOf('\n', from);
        return eol < 0 ? text.length() : eol + 1;
    }

    /**
     * A DER or BER {@code ContentInfo}: {@code SEQUENCE} (definite or indefinite length), the content type
     * {@code OBJECT IDENTIFIER}, then the {@code [0]} content. Read by hand within the head: the lengths of the
     * sequence and of the content count the whole file, and a parser given a head would either refuse them or,
     * without a limit, allocate what a hostile length says.
     */
    private static Optional<String> cms(byte[] head, int length) {
        if (length < 2 || (head[0] & 0xff) != 0x30) {
            return Optional.empty();
        }
        int at = skipLength(head, 1, length);
        if (at < 0) {
            return Optional.empty();
        }
        String what = null;
        if (startsWith(head, at, length, ENVELOPED_DATA_DER)) {
            what = "S/MIME enveloped-data (CMS, RFC 5652)";
            at += ENVELOPED_DATA_DER.length;
        } else if (startsWith(head, at, length, AUTH_ENVELOPED_DATA_DER)) {
            what = "S/MIME authenticated enveloped-data (CMS, RFC 5083)";
            at += AUTH_ENVELOPED_DATA_DER.length;
        }
        if (what == null || at >= length || (head[at] & 0xff) != 0xa0) {
            return Optional.empty();
        }
        return Optional.of(what);
    }

    /** @return the offset after the length octets at {@code at} (X.690 §8.1.3), -1 if they are cut or invalid */
    private static int skipLength(byte[] head, int at, int length) {
        if (at >= length) {
            return -1;
        }
        int first = head[at] & 0xff;
        if (first <= 0x80) {
            return at + 1; // short form, or 0x80: indefinite (BER)
        }
        int n = first & 0x7f;
        if (n > 4 || at + n >= length) {
            return -1;
        }
        return at + 1 + n;
    }

    /** Shortest run of printable bytes {@link #clearTextRuns} keeps. */
    static final int MIN_RUN = 8;

    /**
     * The text a part that looks encrypted carries in the clear: every run of at least {@value #MIN_RUN} printable
     * ASCII bytes (0x20–0x7E, tab, CR, LF), one run per line. Ciphertext yields few and short runs, so this costs
     * little and finds nothing in a real encrypted message. Linear in {@code bytes.length}.
     */
    static String clearTextRuns(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        int start = -1;
        for (int i = 0; i <= bytes.length; i++) {
            int b = i < bytes.length ? bytes[i] & 0xff : -1;
            boolean printable = (b >= 0x20 && b < 0x7f) || b == '\t' || b == '\r' || b == '\n';
            if (printable) {
                if (start < 0) {
                    start = i;
                }
            } else {
                if (start >= 0 && i - start >= MIN_RUN) {
                    out.append(new String(bytes, start, i - start, StandardCharsets.US_ASCII)).append('\n');
                }
                start = -1;
            }
        }
        return out.toString();
    }

    private static boolean startsWith(byte[] head, int at, int length, byte[] prefix) {
        if (at + prefix.length > length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (head[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Walks the packet headers within {@code bytes[from, to)}: at least one session key packet, each with a
     * known version, and then an encrypted data packet; or the bytes end inside a run of complete session key
     * packets (a message to many recipients whose encrypted data starts beyond the head).
     */
    static boolean openPgp(byte[] bytes, int from, int to) {
        int at = from;
        int sessionKeys = 0;
        while (at < to) {
            int b0 = bytes[at] & 0xff;
            if ((b0 & 0x80) == 0) {
                return false;
            }
            int tag;
            long length;
            int header;
            boolean partial = false;
            if ((b0 & 0x40) != 0) { // new format (RFC 4880 §4.2.2)
                tag = b0 & 0x3f;
                if (at + 1 >= to) {
                    return sessionKeys > 0;
                }
                int o1 = bytes[at + 1] & 0xff;
                if (o1 < 192) {
                    length = o1;
                    header = 2;
                } else if (o1 < 224) {
                    if (at + 2 >= to) {
                        return sessionKeys > 0;
                    }
                    length = ((o1 - 192) << 8) + (bytes[at + 2] & 0xff) + 192;
                    header = 3;
                } else if (o1 == 255) {
                    if (at + 5 >= to) {
                        return sessionKeys > 0;
                    }
                    length = ((long) (bytes[at + 2] & 0xff) << 24) | ((bytes[at + 3] & 0xff) << 16)
                            | ((bytes[at + 4] & 0xff) << 8) | (bytes[at + 5] & 0xff);
                    header = 6;
                } else {
                    partial = true;
                    length = 1L << (o1 & 0x1f);
                    header = 2;
                }
            } else { // old format (RFC 4880 §4.2.1)
                tag = (b0 >> 2) & 0x0f;
                int type = b0 & 3;
                if (type == 3) {
                    partial = true; // indeterminate length: to the end of the data
                    length = Long.MAX_VALUE;
                    header = 1;
                } else {
                    int n = 1 << type;
                    if (at + n >= to) {
                        return sessionKeys > 0;
                    }
                    length = 0;
                    for (int i = 1; i <= n; i++) {
                        length = (length << 8) | (bytes[at + i] & 0xff);
                    }
                    header = 1 + n;
                }
            }
            if (tag == 9 || tag == 18 || tag == 20) {
                return sessionKeys > 0; // encrypted data after its session keys
            }
            if ((tag != 1 && tag != 3) || partial) {
                return false; // only data packets may have partial lengths (RFC 4880 §4.2.2.4)
            }
            int body = at + header;
            if (body >= to) {
                return sessionKeys > 0;
            }
            int version = bytes[body] & 0xff;
            boolean known = tag == 1 ? (version == 3 || version == 6) && length >= 10
                    : (version == 4 || version == 5 || version == 6) && length >= 4;
            if (!known) {
                return false;
            }
            sessionKeys++;
            if (length > to - body) {
                return true; // the head ends inside a well-formed session key packet
            }
            at = body + (int) length;
        }
        return sessionKeys > 0;
    }
}
