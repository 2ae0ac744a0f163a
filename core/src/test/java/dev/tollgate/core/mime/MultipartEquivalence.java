package dev.tollgate.core.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import javax.mail.internet.ContentType;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import javax.mail.internet.MimePart;
import javax.mail.internet.MimePartDataSource;

/**
 * Reads every {@code multipart/*} inside a message twice, with JavaMail's {@link MimeMultipart} and with
 * {@link SplitMultipart}, over the same data source, and asserts the same outcome: the same exception (class
 * and message), or the same part count, preamble, complete flag, per part the raw header lines and raw content
 * bytes, and the same {@code writeTo} bytes (or exception). Descends into the parts and into attached messages.
 */
final class MultipartEquivalence {
    private final int maxDepth;
    private int compared;

    MultipartEquivalence(int maxDepth) {
        this.maxDepth = maxDepth;
    }

    /** @return how many multiparts were compared so far */
    int compared() {
        return compared;
    }

    /** Compares every multipart of {@code message} (its own body, when multipart, included). */
    void message(byte[] message) throws Exception {
        MimeMessage parsed;
        try {
            parsed = MimeParts.parse(new ByteArrayInputStream(message));
        } catch (Exception notAMessage) {
            return;
        }
        part(parsed, 0);
    }

    private void part(MimePart part, int depth) throws Exception {
        if (depth > maxDepth) {
            return;
        }
        String type;
        try {
            type = new ContentType(part.getContentType()).getBaseType().toLowerCase(java.util.Locale.ROOT);
        } catch (Exception unreadableType) {
            return;
        }
        if (type.startsWith("multipart/")) {
            MimeMultipart reference = multipart(part, depth);
            if (reference != null) {
                for (int i = 0; i < reference.getCount(); i++) {
                    part((MimeBodyPart) reference.getBodyPart(i), depth + 1);
                }
            }
        } else if (type.equals("message/rfc822")) {
            byte[] inner;
            try (InputStream in = part.getInputStream()) {
                inner = in.readAllBytes();
            } catch (Exception unreadable) {
                return;
            }
            try {
                part(MimeParts.parse(new ByteArrayInputStream(inner)), depth + 1);
            } catch (javax.mail.MessagingException notAMessage) {
                // not a message: nothing to compare
            }
        }
    }

    /** @return JavaMail's multipart when both parsed it, null when both failed alike */
    private MimeMultipart multipart(MimePart part, int depth) throws Exception {
        compared++;
        MimeMultipart reference = new MimeMultipart(new MimePartDataSource(part));
        SplitMultipart split = new SplitMultipart(new MimePartDataSource(part));
        Outcome expected = outcome(reference);
        Outcome actual = outcome(split);
        assertThat(actual.lines).as("SplitMultipart vs JavaMail at depth %d", depth).isEqualTo(expected.lines);
        return expected.failed ? null : reference;
    }

    private static final class Outcome {
        final List<String> lines = new ArrayList<>();
        boolean failed;
    }

    private static Outcome outcome(MimeMultipart multipart) {
        Outcome o = new Outcome();
        try {
            int count = multipart.getCount();
            o.lines.add("count " + count);
            o.lines.add("preamble " + multipart.getPreamble());
            o.lines.add("complete " + multipart.isComplete());
            for (int i = 0; i < count; i++) {
                MimeBodyPart p = (MimeBodyPart) multipart.getBodyPart(i);
                o.lines.add("part " + i + " headers " + Collections.list(p.getAllHeaderLines()));
                byte[] raw;
                try (InputStream in = p.getRawInputStream()) {
                    raw = in.readAllBytes();
                }
                o.lines.add("part " + i + " content " + latin1(raw));
            }
        } catch (Exception e) {
            o.failed = true;
            o.lines.add("exception " + e.getClass().getName() + ": " + e.getMessage());
            return o;
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            multipart.writeTo(out);
            o.lines.add("writeTo " + latin1(out.toByteArray()));
        } catch (Exception e) {
            o.lines.add("writeTo exception " + e.getClass().getName() + ": " + e.getMessage());
        }
        return o;
    }

    private static String latin1(byte[] bytes) {
        return new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

}
