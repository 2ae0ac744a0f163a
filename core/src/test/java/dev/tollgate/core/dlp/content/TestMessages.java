package dev.tollgate.core.dlp.content;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Properties;

import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import javax.mail.util.ByteArrayDataSource;

/** Builds test messages and finds the Tika sample documents of {@code testdata/tika}. */
final class TestMessages {
    static final Session SESSION = Session.getInstance(new Properties());

    private TestMessages() {
    }

    /** A sample of the repository's {@code testdata/tika} (Apache Tika's test documents, Apache-2.0). */
    static Path corpus(String file) {
        Path dir = Paths.get(System.getProperty("tollgate.corpus", "../testdata/tika"));
        Path p = dir.resolve(file);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("corpus file missing: " + p.toAbsolutePath());
        }
        return p;
    }

    /** A single-part UTF-8 HTML message whose body element holds {@code body}. */
    static String html(String body) {
        return "Subject: s\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><body>" + body
                + "</body></html>\r\n";
    }

    /** The findings of a message as {@code "location detector-id"}, in report order. */
    static java.util.List<String> findingLocations(MimeContentExtractor extractor, dev.tollgate.core.dlp.TextScanner scanner,
            String raw) throws Exception {
        dev.tollgate.core.dlp.policy.MessageScan s =
                dev.tollgate.core.dlp.policy.MessageScan.of(extractor.extract(parse(raw)), scanner);
        return s.findings().stream().map(f -> f.location() + " " + f.finding().detectorId())
                .collect(java.util.stream.Collectors.toList());
    }

    static MimeMessage parse(String raw) throws MessagingException {
        return parse(raw.getBytes(StandardCharsets.ISO_8859_1));
    }

    static MimeMessage parse(byte[] raw) throws MessagingException {
        return new MimeMessage(SESSION, new ByteArrayInputStream(raw));
    }

    static MimeMessage parse(Path file) throws IOException, MessagingException {
        try (InputStream in = Files.newInputStream(file)) {
            return new MimeMessage(SESSION, in);
        }
    }

    /** A message with a text body and one base64 attachment, written out and parsed back. */
    static MimeMessage withAttachment(String body, byte[] attachment, String fileName, String type)
            throws MessagingException, IOException {
        MimeMessage m = new MimeMessage(SESSION);
        m.setSubject("test");
        MimeMultipart mixed = new MimeMultipart("mixed");
        MimeBodyPart text = new MimeBodyPart();
        text.setText(body, "UTF-8");
        mixed.addBodyPart(text);
        MimeBodyPart file = new MimeBodyPart();
        file.setDataHandler(new javax.activation.DataHandler(new ByteArrayDataSource(attachment, type)));
        file.setFileName(fileName);
        file.setDisposition(MimeBodyPart.ATTACHMENT);
        file.setHeader("Content-Transfer-Encoding", "base64");
        mixed.addBodyPart(file);
        m.setContent(mixed);
        m.saveChanges();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeTo(out);
        return parse(out.toByteArray());
    }
}
