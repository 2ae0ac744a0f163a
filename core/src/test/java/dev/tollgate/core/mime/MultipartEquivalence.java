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
 * bytes, and the same {@code writeTo} bytes (or exception) when written as JavaMail writes. Where
 * {@link SplitMultipart#writeTo} keeps the sender's preamble and epilogue instead, it writes those bytes around
 * JavaMail's output without its preamble: the preamble bytes, normalised as JavaMail does, are its preamble, and
 * the rest of the body ends with the epilogue bytes. Descends into the parts and into attached messages.
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
        if (!expected.failed) {
            byte[] body;
            try (InputStream in = new MimePartDataSource(part).getInputStream()) {
                body = in.readAllBytes();
            }
            framedAsSent(split, body, depth);
        }
        return expected.failed ? null : reference;
    }

    /** {@link SplitMultipart#writeTo}: the sender's preamble and epilogue around JavaMail's parts (class comment). */
    private static void framedAsSent(SplitMultipart split, byte[] bodyBytes, int depth) throws Exception {
        String asJavaMail;
        String own;
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            split.writeToAsJavaMail(out);
            asJavaMail = latin1(out.toByteArray());
        } catch (Exception e) {
            return; // compared above; nothing written to frame
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        split.writeTo(out);
        own = latin1(out.toByteArray());
        if (!split.framed()) {
            assertThat(own).isEqualTo(asJavaMail); // JavaMail's parse, JavaMail's writing
            return;
        }
        String body = latin1(bodyBytes);
        String preamble = split.getPreamble();
        String javaMailPreamble = preamble == null ? "" : preamble.isEmpty() || preamble.endsWith("\n")
                || preamble.endsWith("\r") ? preamble : preamble + "\r\n";
        assertThat(asJavaMail).startsWith(javaMailPreamble);
        String parts = asJavaMail.substring(javaMailPreamble.length());
        int at = own.indexOf(parts);
        assertThat(at).as("JavaMail's parts in SplitMultipart's writing at depth %d", depth).isNotNegative();
        String before = own.substring(0, at);
        String after = own.substring(at + parts.length());
        String boundary = "--" + new ContentType(split.getContentType()).getParameter("boundary");
        assertThat(boundary).isNotEqualTo("--null"); // a guessed boundary is not framed
        assertThat(body).as("preamble bytes at depth %d", depth).startsWith(before);
        assertThat(body.substring(before.length())).startsWith(boundary);
        assertThat(normalisedAsJavaMail(before)).isEqualTo(preamble);
        assertThat(body).as("epilogue bytes at depth %d", depth).endsWith(after);
        if (!split.isComplete()) {
            assertThat(after).isEmpty();
        } else if (!after.isEmpty()) {
            String end = body.substring(0, body.length() - after.length()).replaceFirst("(\\r\\r\\n|\\r\\n|\\n|\\r)$", "");
            int lineStart = Math.max(end.lastIndexOf('\n'), end.lastIndexOf('\r')) + 1;
            assertThat(end.substring(lineStart)).as("close delimiter line before the epilogue").startsWith(boundary + "--");
        }
    }

    /** JavaMail's preamble of these bytes: non-empty lines without trailing blanks, each ended by the platform's. */
    private static String normalisedAsJavaMail(String raw) {
        StringBuilder sb = new StringBuilder();
        for (String line : raw.split("\r\n|\r\r\n|\n|\r", -1)) {
            // \z, not $: $ also matches before a final line terminator, and Java's regex counts U+0085 as one
            String kept = line.replaceAll("[ \t]+\\z", "");
            if (!kept.isEmpty()) {
                sb.append(kept).append(System.lineSeparator());
            }
        }
        return sb.length() == 0 ? null : sb.toString();
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
            if (multipart instanceof SplitMultipart) {
                ((SplitMultipart) multipart).writeToAsJavaMail(out); // its own writing keeps the sender's frame
            } else {
                multipart.writeTo(out);
            }
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
