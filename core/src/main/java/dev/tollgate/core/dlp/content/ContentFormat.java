package dev.tollgate.core.dlp.content;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * What an attachment or archive entry is, judged from its first bytes (magic numbers) and, where
 * the bytes are ambiguous (a DOCX is a zip), from its file name and declared type.
 */
enum ContentFormat {
    ZIP, GZIP, BZIP2, TAR, MESSAGE, DOCUMENT, TEXT, HTML,
    /** An archive or compression format Tollgate cannot open (7z, RAR, xz...): unscannable. */
    UNSUPPORTED_ARCHIVE,
    /** Anything else (images, audio, executables): only its name is scanned. */
    OTHER_BINARY;

    /** The part an Office Open XML package holds at its root (ECMA-376 Part 2 §10.1.2.4); compared ignoring case. */
    static final String OOXML_CONTENT_TYPES = "[Content_Types].xml";

    /** Bytes needed by {@link #detect}. */
    static final int HEAD_BYTES = 4096;

    private static final Set<String> DOCUMENT_ZIP_EXTENSIONS = Set.of("docx", "docm", "dotx", "dotm", "xlsx", "xlsm",
            "xltx", "xltm", "pptx", "pptm", "potx", "ppsx", "odt", "ods", "odp", "odg", "ott", "ots", "otp");
    private static final Set<String> TEXT_EXTENSIONS = Set.of("txt", "csv", "tsv", "log", "json", "xml", "md", "ini",
            "yaml", "yml", "properties", "sql", "pem", "key", "asc", "conf", "cfg", "env", "vcf", "ics");

    /**
     * @param head up to {@link #HEAD_BYTES} first bytes
     * @param length how many of them are valid
     * @param name file name or null
     * @param contentType declared MIME type (lower case, no parameters) or null
     */
    static ContentFormat detect(byte[] head, int length, String name, String contentType) {
        String ext = extension(name);
        String type = contentType == null ? "" : contentType;
        if (dev.tollgate.core.mime.MimeParts.isAttachedMessageType(type) || ext.equals("eml")) {
            return MESSAGE;
        }
        if (startsWith(head, length, 'P', 'K', 3, 4) || startsWith(head, length, 'P', 'K', 5, 6)) {
            boolean document = DOCUMENT_ZIP_EXTENSIONS.contains(ext) || type.contains("officedocument")
                    || type.contains("opendocument") || type.contains("ms-excel.sheet") || type.contains("ms-word.document")
                    || type.contains("ms-powerpoint.presentation") || officeEntries(head, length);
            return document ? DOCUMENT : ZIP;
        }
        if (startsWith(head, length, 0x1f, 0x8b)) {
            return GZIP;
        }
        if (startsWith(head, length, 'B', 'Z', 'h')) {
            return BZIP2;
        }
        if (length >= 262 && new String(head, 257, 5, StandardCharsets.US_ASCII).equals("ustar")) {
            return TAR;
        }
        if (startsWith(head, length, '%', 'P', 'D', 'F') || startsWith(head, length, '{', '\\', 'r', 't', 'f')
                || startsWith(head, length, 0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1)) {
            return DOCUMENT;
        }
        if (startsWith(head, length, '7', 'z', 0xbc, 0xaf, 0x27, 0x1c) || startsWith(head, length, 'R', 'a', 'r', '!')
                || startsWith(head, length, 0xfd, '7', 'z', 'X', 'Z', 0) || startsWith(head, length, 0x28, 0xb5, 0x2f, 0xfd)
                || startsWith(head, length, 0x1f, 0x9d) || startsWith(head, length, 'x', 'a', 'r', '!')
                || startsWith(head, length, 0x60, 0xea) || startsWith(head, length, 'M', 'S', 'C', 'F')) {
            return UNSUPPORTED_ARCHIVE;
        }
        if (type.equals("text/html") || ext.equals("html") || ext.equals("htm")) {
            return HTML;
        }
        if (type.startsWith("text/") || TEXT_EXTENSIONS.contains(ext) || looksLikeText(head, length)
                || TextDecoding.isWideText(head, length)) {
            return TEXT;
        }
        return OTHER_BINARY;
    }

    static String extension(String name) {
        if (name == null) {
            return "";
        }
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT).trim();
    }

    /**
     * No NUL and few control characters: text in an ASCII-compatible charset (UTF-16 and UTF-32:
     * {@link TextDecoding#isWideText}).
     */
    private static boolean looksLikeText(byte[] head, int length) {
        if (length == 0) {
            return true;
        }
        int control = 0;
        for (int i = 0; i < length; i++) {
            int b = head[i] & 0xff;
            if (b == 0) {
                return false;
            }
            if (b < 0x20 && b != '\n' && b != '\r' && b != '\t' && b != '\f' && b != 0x1b) {
                control++;
            }
        }
        return control * 100 < length;
    }

    private static boolean startsWith(byte[] head, int length, int... magic) {
        if (length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((head[i] & 0xff) != magic[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the zip's own entries, as far as their local file headers (APPNOTE 4.3.7) lie in {@code head}, make it an
     * Office Open XML package (an entry {@code [Content_Types].xml}, ECMA-376 Part 2 §10.1.2.4) or an OpenDocument
     * file (a first entry {@code mimetype} holding an OpenDocument type, ODF 1.2 Part 3 §3.3). The walk steps over
     * each entry's data, so the entries of a document stored uncompressed inside a plain zip do not count; an entry
     * whose sizes follow its data (flag bit 3) ends the walk, and the rest of the head is then searched for a local
     * header of that name.
     */
    private static boolean officeEntries(byte[] head, int length) {
        int p = 0;
        for (int entry = 0; p + 30 <= length && le16(head, p) == 0x4b50 && le16(head, p + 2) == 0x0403; entry++) {
            int flags = le16(head, p + 6);
            long size = le16(head, p + 18) | ((long) le16(head, p + 20) << 16);
            int nameLength = le16(head, p + 26);
            int data = p + 30 + nameLength + le16(head, p + 28);
            if (p + 30 + nameLength > length) {
                return false;
            }
            String name = new String(head, p + 30, nameLength, StandardCharsets.ISO_8859_1);
            if (name.equalsIgnoreCase(OOXML_CONTENT_TYPES)) {
                return true;
            }
            if (entry == 0 && name.equals("mimetype")) {
                String odf = "application/vnd.oasis.opendocument";
                return contains(head, Math.min(length, data + odf.length()), data, odf);
            }
            if ((flags & 8) != 0) {
                return laterEntryNamed(head, length, data, OOXML_CONTENT_TYPES);
            }
            if (data + size > length) {
                return false;
            }
            p = (int) (data + size);
        }
        return false;
    }

    /** Whether a local file header signature from {@code from} on is followed by an entry named {@code name}. */
    private static boolean laterEntryNamed(byte[] head, int length, int from, String name) {
        for (int q = Math.max(0, from); q + 30 <= length; q++) {
            if (head[q] == 'P' && head[q + 1] == 'K' && head[q + 2] == 3 && head[q + 3] == 4) {
                int nameLength = le16(head, q + 26);
                if (nameLength == name.length() && q + 30 + nameLength <= length && name.equalsIgnoreCase(
                        new String(head, q + 30, nameLength, StandardCharsets.ISO_8859_1))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int le16(byte[] b, int i) {
        return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8;
    }

    private static boolean contains(byte[] head, int length, int from, String ascii) {
        byte[] needle = ascii.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = Math.max(0, from); i + needle.length <= length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (head[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
