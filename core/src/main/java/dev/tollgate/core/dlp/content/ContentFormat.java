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
        if (type.equals("message/rfc822") || ext.equals("eml")) {
            return MESSAGE;
        }
        if (startsWith(head, length, 'P', 'K', 3, 4) || startsWith(head, length, 'P', 'K', 5, 6)) {
            boolean document = DOCUMENT_ZIP_EXTENSIONS.contains(ext) || type.contains("officedocument")
                    || type.contains("opendocument") || type.contains("ms-excel.sheet") || type.contains("ms-word.document")
                    || type.contains("ms-powerpoint.presentation") || contains(head, length, "[Content_Types].xml")
                    || contains(head, length, "mimetypeapplication/vnd.oasis.opendocument");
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
        if (type.startsWith("text/") || TEXT_EXTENSIONS.contains(ext) || looksLikeText(head, length)) {
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

    /** No NUL and few control characters: text in an ASCII-compatible charset (UTF-16 is not detected). */
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

    private static boolean contains(byte[] head, int length, String ascii) {
        byte[] needle = ascii.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + needle.length <= length; i++) {
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
