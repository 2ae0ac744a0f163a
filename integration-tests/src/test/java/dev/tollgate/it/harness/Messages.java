package dev.tollgate.it.harness;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

import javax.activation.DataHandler;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import javax.mail.util.ByteArrayDataSource;

/** Realistic test messages, built with JavaMail as a mail client would. */
public final class Messages {
    private Messages() {
    }

    /**
     * A multipart/mixed message: multipart/alternative (text + HTML) and a binary attachment.
     *
     * @return the RFC 5322 bytes
     */
    public static byte[] multipartWithAttachment(String from, String to, String subject, byte[] attachment, String filename) {
        try {
            MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
            message.setFrom(new InternetAddress(from));
            message.setRecipients(MimeMessage.RecipientType.TO, to);
            message.setSubject(subject, "UTF-8");

            MimeMultipart alternative = new MimeMultipart("alternative");
            MimeBodyPart text = new MimeBodyPart();
            text.setText("Hello,\n\nthe quarterly report is attached.\n\nRegards\n", "UTF-8");
            MimeBodyPart html = new MimeBodyPart();
            html.setContent("<html><body><p>Hello,</p><p>the <b>quarterly report</b> is attached.</p></body></html>", "text/html; charset=UTF-8");
            alternative.addBodyPart(text);
            alternative.addBodyPart(html);
            MimeBodyPart alternativePart = new MimeBodyPart();
            alternativePart.setContent(alternative);

            MimeBodyPart file = new MimeBodyPart();
            file.setDataHandler(new DataHandler(new ByteArrayDataSource(attachment, "application/pdf")));
            file.setFileName(filename);
            file.setHeader("Content-Transfer-Encoding", "base64");

            MimeMultipart mixed = new MimeMultipart("mixed");
            mixed.addBodyPart(alternativePart);
            mixed.addBodyPart(file);
            message.setContent(mixed);
            message.saveChanges();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            message.writeTo(out);
            return out.toByteArray();
        } catch (MessagingException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A simple text message with extra header lines (each "Name: value"). */
    public static byte[] text(String from, String to, String subject, String body, String... headers) {
        StringBuilder m = new StringBuilder();
        m.append("From: ").append(from).append("\r\n");
        m.append("To: ").append(to).append("\r\n");
        m.append("Subject: ").append(subject).append("\r\n");
        m.append("Message-ID: <").append(java.util.UUID.randomUUID()).append("@tollgate.test>\r\n");
        for (String h : headers) {
            m.append(h).append("\r\n");
        }
        m.append("\r\n").append(body).append("\r\n");
        return m.toString().getBytes(StandardCharsets.UTF_8);
    }
}
