package dev.tollgate.it.faults;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import dev.tollgate.it.harness.ItSettings;

/**
 * Hostile messages, generated deterministically (nothing large is kept in git). Each is a complete RFC 5322
 * message from {@code from} to {@code to}, carrying the extra header lines given (e.g. the accounting id).
 * Every line on the wire stays under James's 8,192-byte SMTP line limit: large or single-line content travels
 * base64 or quoted-printable encoded, as a mail client sends it.
 */
final class HostileMessages {
    private HostileMessages() {
    }

    private static StringBuilder head(String from, String to, String subject, String contentType, String... headers) {
        StringBuilder m = new StringBuilder();
        m.append("From: ").append(from).append("\r\n");
        m.append("To: ").append(to).append("\r\n");
        m.append("Subject: ").append(subject).append("\r\n");
        m.append("MIME-Version: 1.0\r\n");
        for (String h : headers) {
            m.append(h).append("\r\n");
        }
        m.append("Content-Type: ").append(contentType).append("\r\n");
        return m;
    }

    /** multipart/mixed: a short text part and one base64 attachment. */
    static byte[] withAttachment(String from, String to, String subject, byte[] attachment, String filename,
            String type, String... headers) {
        StringBuilder m = head(from, to, subject, "multipart/mixed; boundary=\"outer\"", headers);
        m.append("\r\n--outer\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nSee the attachment.\r\n");
        m.append("--outer\r\nContent-Type: ").append(type).append("; name=\"").append(filename).append("\"\r\n");
        m.append("Content-Disposition: attachment; filename=\"").append(filename).append("\"\r\n");
        m.append("Content-Transfer-Encoding: base64\r\n\r\n");
        m.append(Base64.getMimeEncoder(76, new byte[] {'\r', '\n'}).encodeToString(attachment)).append("\r\n");
        m.append("--outer--\r\n");
        return m.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * A zip bomb: one entry of {@code expandedBytes} zero bytes, deflated at the best compression (about 1,000:1),
     * so 2 GiB travel as about 2 MB.
     */
    static byte[] zerosZip(long expandedBytes) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.setLevel(Deflater.BEST_COMPRESSION);
            zip.putNextEntry(new ZipEntry("zeros.bin"));
            byte[] block = new byte[1 << 20];
            for (long written = 0; written < expandedBytes; written += block.length) {
                zip.write(block);
            }
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * A sparse tar ({@code testdata/archives/sparse-80m.tar}, 10 KiB, written by GNU tar {@code --sparse}): its one
     * entry {@code zeros.bin} is an 80 MiB hole and three bytes, which the tar reader expands into zeros.
     */
    static byte[] sparseTar() {
        try {
            return Files.readAllBytes(repositoryRoot().resolve("testdata/archives/sparse-80m.tar"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The self-containing "droste" zip of Apache Tika's test documents ({@code testdata/tika/droste.zip}, 28 KB,
     * Apache-2.0): its single entry {@code droste.zip} is the archive itself, so unpacking never ends.
     */
    static byte[] drosteZip() {
        try {
            return Files.readAllBytes(repositoryRoot().resolve("testdata/tika/droste.zip"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path repositoryRoot() {
        return ItSettings.conf().toAbsolutePath().normalize().getParent();
    }

    /** multipart/mixed with {@code parts} tiny text/plain parts. */
    static byte[] tinyParts(String from, String to, String subject, int parts, String... headers) {
        StringBuilder m = head(from, to, subject, "multipart/mixed; boundary=\"p\"", headers);
        m.append("\r\n");
        for (int i = 0; i < parts; i++) {
            m.append("--p\r\nContent-Type: text/plain\r\n\r\n").append(i).append("\r\n");
        }
        m.append("--p--\r\n");
        return m.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * A text/html body that is one line of {@code bytes} bytes once decoded (no line break anywhere), sent
     * quoted-printable with soft line breaks (RFC 2045 §6.7) so that no line on the wire exceeds 76 chars.
     */
    static byte[] singleLineHtml(String from, String to, String subject, int bytes, String... headers) {
        StringBuilder m = head(from, to, subject, "text/html; charset=us-ascii", headers);
        m.append("Content-Transfer-Encoding: quoted-printable\r\n\r\n");
        String open = "<html><body><p>";
        String close = "</p></body></html>";
        String word = "lorem ipsum dolor sit amet ";
        StringBuilder html = new StringBuilder(bytes + 64).append(open);
        while (html.length() + word.length() + close.length() <= bytes) {
            html.append(word);
        }
        while (html.length() + close.length() < bytes) {
            html.append('x');
        }
        html.append(close);
        // No '=' and no line breaks in the HTML: quoted-printable only adds a soft break every 75 chars.
        StringBuilder body = new StringBuilder(bytes + bytes / 75 * 3 + 16);
        for (int i = 0; i < html.length(); i += 75) {
            body.append(html, i, Math.min(html.length(), i + 75));
            body.append(i + 75 < html.length() ? "=\r\n" : "\r\n");
        }
        return m.append(body).toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** text/html with {@code links} distinct {@code https://} links, one per line. */
    static byte[] manyLinks(String from, String to, String subject, int links, String... headers) {
        StringBuilder m = head(from, to, subject, "text/html; charset=us-ascii", headers);
        m.append("Content-Transfer-Encoding: 7bit\r\n\r\n<html><body>\r\n");
        for (int i = 0; i < links; i++) {
            m.append("<a href=\"https://docs.example.test/page/").append(i).append("\">page ").append(i).append("</a><br>\r\n");
        }
        m.append("</body></html>\r\n");
        return m.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code depth} multipart/mixed bodies nested in each other, a text/plain part at the bottom. */
    static byte[] nestedMultiparts(String from, String to, String subject, int depth, String... headers) {
        StringBuilder m = head(from, to, subject, "multipart/mixed; boundary=\"n0\"", headers);
        m.append("\r\n");
        for (int i = 0; i < depth - 1; i++) {
            m.append("--n").append(i).append("\r\nContent-Type: multipart/mixed; boundary=\"n").append(i + 1).append("\"\r\n\r\n");
        }
        m.append("--n").append(depth - 1).append("\r\nContent-Type: text/plain\r\n\r\nthe bottom\r\n");
        for (int i = depth - 1; i >= 0; i--) {
            m.append("--n").append(i).append("--\r\n");
        }
        return m.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
