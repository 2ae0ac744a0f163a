package dev.tollgate.bench.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.Locale;
import java.util.Properties;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import javax.activation.DataHandler;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import javax.mail.util.ByteArrayDataSource;

/**
 * The message mixes of the end-to-end benchmark, built once per run as bytes (CRLF line ends, as submitted).
 * Nothing in them is sensitive data for the DLP policy of {@code conf/} and no link is on a block list, so every
 * message is delivered to the mailbox on both servers.
 */
enum Mixes {
    /** About 2 KB of 7-bit text/plain. */
    PLAIN(null, null),
    /** About 20 KB of HTML with 10 links, quoted-printable. */
    HTML(null, null),
    /** The HTML with a PDF attached (the repository's {@code testdata/tika/testPDF.pdf}). */
    PDF("tika/testPDF.pdf", "application/pdf"),
    /**
     * The HTML with a 100 KB PDF attached ({@code testdata/bench/report-100k.pdf}: three pages of text in two embedded
     * font subsets, a table of figures and a JPEG chart, written by {@code dev.tollgate.bench.ReportPdf}).
     */
    PDF100("bench/report-100k.pdf", "application/pdf"),
    /** The HTML with a Word document attached ({@code testdata/tika/testWORD.docx}). */
    DOCX("tika/testWORD.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    /** The HTML with a spreadsheet attached ({@code testdata/tika/testEXCEL.xlsx}). */
    XLSX("tika/testEXCEL.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    /** The HTML with a zip attached: a 10 KB text file, a 20 KB CSV and the Word document. */
    ZIP(null, "application/zip");

    static final int LINKS = 10;
    private final String testdataFile;
    private final String attachmentType;

    Mixes(String testdataFile, String attachmentType) {
        this.testdataFile = testdataFile;
        this.attachmentType = attachmentType;
    }

    /** Whether the message carries an attachment: a document, or the zip whose DOCX B's document workers read. */
    boolean hasAttachment() {
        return attachmentType != null;
    }

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Mixes parse(String label) {
        for (Mixes mix : values()) {
            if (mix.label().equals(label.trim())) {
                return mix;
            }
        }
        throw new IllegalArgumentException("unknown mix " + label + " (plain, html, pdf, pdf100, docx, xlsx, zip)");
    }

    /**
     * The message, without Message-ID and X-Bench-Id (see {@link #withId}).
     *
     * @param testdata the repository's {@code testdata/} folder
     */
    byte[] template(Path testdata, String from, String to) throws IOException {
        try {
            Session session = Session.getInstance(new Properties());
            MimeMessage message = new MimeMessage(session);
            message.setFrom(new InternetAddress(from));
            message.setRecipient(MimeMessage.RecipientType.TO, new InternetAddress(to));
            message.setSubject("Load test: " + label(), "UTF-8");
            message.setSentDate(new Date(1_764_000_000_000L));
            if (this == PLAIN) {
                message.setText(prose(new Random(1), 2_000), "US-ASCII");
            } else if (attachmentType == null) {
                message.setContent(html(), "text/html; charset=UTF-8");
                message.setHeader("Content-Transfer-Encoding", "quoted-printable");
            } else {
                MimeMultipart mixed = new MimeMultipart("mixed");
                mixed.addBodyPart(htmlPart());
                MimeBodyPart attachment = new MimeBodyPart();
                byte[] bytes = this == ZIP ? zip(testdata) : Files.readAllBytes(testdata.resolve(testdataFile));
                String name = this == ZIP ? "documents.zip" : Path.of(testdataFile).getFileName().toString();
                attachment.setDataHandler(new DataHandler(new ByteArrayDataSource(bytes, attachmentType)));
                attachment.setFileName(name);
                attachment.setDisposition(MimeBodyPart.ATTACHMENT);
                attachment.setHeader("Content-Transfer-Encoding", "base64");
                mixed.addBodyPart(attachment);
                message.setContent(mixed);
            }
            message.saveChanges();
            message.removeHeader("Message-ID");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            message.writeTo(out);
            return out.toByteArray();
        } catch (MessagingException e) {
            throw new IOException("cannot build the " + label() + " message", e);
        }
    }

    /** The template with a Message-ID and an {@code X-Bench-Id} header naming this message in front. */
    static byte[] withId(byte[] template, String id) {
        byte[] head = ("Message-ID: <" + id + "@load.bench>\r\nX-Bench-Id: " + id + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length + template.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(template, 0, out, head.length, template.length);
        return out;
    }

    private static MimeBodyPart htmlPart() throws MessagingException {
        MimeBodyPart part = new MimeBodyPart();
        part.setContent(html(), "text/html; charset=UTF-8");
        part.setHeader("Content-Transfer-Encoding", "quoted-printable");
        return part;
    }

    /** About 20 KB of newsletter HTML: paragraphs of long lines with accented words, {@link #LINKS} links. */
    static String html() {
        Random random = new Random(2);
        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
                + "<title>Weekly notes</title></head>\n<body style=\"font-family: sans-serif\">\n<h1>Weekly notes</h1>\n");
        for (int i = 0; i < LINKS; i++) {
            html.append("<p style=\"margin: 0 0 1em 0\">").append(prose(random, 900)).append(" <a href=\"https://news")
                    .append(i % 3).append(".example.org/articles/").append(2000 + i * 7).append("?utm_source=weekly&amp;utm_medium=mail\">")
                    .append("Read the full article ").append(i + 1).append("</a>. ").append(prose(random, 900)).append("</p>\n");
        }
        return html.append("</body></html>\n").toString();
    }

    private static final String[] WORDS = {"the", "team", "review", "meeting", "café", "budget", "naïve", "plan",
        "schedule", "Grüße", "project", "draft", "agreed", "next", "week", "déjà", "customer", "feedback", "release",
        "notes", "office", "travel", "résumé", "summary", "quarter", "goals", "über", "design", "coffee", "garden"};

    /** Deterministic prose of about {@code length} characters (no digits, so nothing a detector reads). */
    static String prose(Random random, int length) {
        StringBuilder text = new StringBuilder(length + 20);
        while (text.length() < length) {
            int words = 6 + random.nextInt(10);
            for (int w = 0; w < words; w++) {
                String word = WORDS[random.nextInt(WORDS.length)];
                if (w == 0) {
                    word = Character.toUpperCase(word.charAt(0)) + word.substring(1);
                }
                text.append(word).append(w == words - 1 ? ". " : " ");
            }
        }
        return text.toString().trim();
    }

    private static byte[] zip(Path testdata) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("notes.txt"));
            zip.write(prose(new Random(3), 10_000).getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("inventory.csv"));
            StringBuilder csv = new StringBuilder("item,colour,size,count\n");
            Random random = new Random(4);
            while (csv.length() < 20_000) {
                csv.append(WORDS[random.nextInt(WORDS.length)]).append(',')
                        .append(new String[] {"red", "green", "blue"}[random.nextInt(3)]).append(',')
                        .append(new String[] {"small", "large"}[random.nextInt(2)]).append(',')
                        .append(random.nextInt(50)).append('\n');
            }
            zip.write(csv.toString().getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("testWORD.docx"));
            zip.write(Files.readAllBytes(testdata.resolve("tika/testWORD.docx")));
            zip.closeEntry();
        }
        return out.toByteArray();
    }
}
