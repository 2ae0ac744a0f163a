package dev.tollgate.core.dlp.policy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import javax.mail.BodyPart;
import javax.mail.MessagingException;
import javax.mail.Multipart;
import javax.mail.Part;
import javax.mail.internet.MimeMessage;

import dev.tollgate.core.config.Parameters;
import dev.tollgate.core.dlp.content.ContentKind;
import dev.tollgate.core.dlp.content.ContentSegment;
import dev.tollgate.core.dlp.content.ExtractedContent;
import dev.tollgate.core.dlp.content.MessageContentExtractor;
import dev.tollgate.core.dlp.content.Unscannable;

/** Creates the content extractor used by the DLP mailet and the CLI from their parameters. */
public final class DlpExtraction {
    /** Parameters read by {@link #create}. */
    public static final Set<String> PARAMETERS = Set.of();

    private DlpExtraction() {
    }

    /** @return the extractor configured by the parameters */
    public static MessageContentExtractor create(Parameters p) {
        return new TextOnly();
    }

    /** Interim: subject, text parts and file names; every other attachment is unscannable. */
    private static final class TextOnly implements MessageContentExtractor {
        private static final int MAX_PARTS = 200;
        private static final int MAX_TEXT = 8 * 1024 * 1024;

        @Override
        public ExtractedContent extract(MimeMessage message) {
            List<ContentSegment> segs = new ArrayList<>();
            List<Unscannable> un = new ArrayList<>();
            try {
                String subject = message.getSubject();
                if (subject != null) {
                    segs.add(ContentSegment.of(ContentKind.SUBJECT, "subject", subject));
                }
                walk(message, "body", 0, segs, un);
            } catch (MessagingException | IOException | RuntimeException e) {
                un.add(Unscannable.of("message", Unscannable.Reason.EXTRACTION_FAILED, e.getClass().getSimpleName()));
            }
            return ExtractedContent.of(segs, un);
        }

        private void walk(Part p, String loc, int depth, List<ContentSegment> segs, List<Unscannable> un)
                throws MessagingException, IOException {
            if (segs.size() + un.size() > MAX_PARTS || depth > 10) {
                un.add(Unscannable.of(loc, Unscannable.Reason.ENTRY_LIMIT, "too many parts"));
                return;
            }
            String name = p.getFileName();
            if (name != null) {
                segs.add(ContentSegment.of(ContentKind.ATTACHMENT_NAME, "name:" + name, name));
            }
            if (p.isMimeType("multipart/*")) {
                Multipart mp = (Multipart) p.getContent();
                for (int i = 0; i < mp.getCount(); i++) {
                    BodyPart bp = mp.getBodyPart(i);
                    walk(bp, loc + "[" + (i + 1) + "]", depth + 1, segs, un);
                }
            } else if (p.isMimeType("message/rfc822")) {
                walk((Part) p.getContent(), loc + "/message", depth + 1, segs, un);
            } else if (p.isMimeType("text/*")) {
                byte[] bytes;
                try (InputStream in = p.getInputStream()) {
                    bytes = in.readNBytes(MAX_TEXT + 1);
                }
                if (bytes.length > MAX_TEXT) {
                    un.add(Unscannable.of(loc, Unscannable.Reason.SIZE_LIMIT, "text part too large"));
                    return;
                }
                Object c = p.getContent();
                String text = c instanceof String ? (String) c : new String(bytes, StandardCharsets.UTF_8);
                ContentKind kind = name == null ? ContentKind.BODY : ContentKind.ATTACHMENT;
                segs.add(ContentSegment.of(kind, name == null ? loc : "attachment:" + name, text));
            } else {
                un.add(Unscannable.of(name == null ? loc : "attachment:" + name, Unscannable.Reason.EXTRACTION_FAILED,
                        "no extractor for " + p.getContentType().split(";")[0]));
            }
        }
    }
}
