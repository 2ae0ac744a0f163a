package dev.tollgate.core.mime;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimePart;

final class MimeTestMessages {
    private MimeTestMessages() {
    }

    /** Parses {@code raw} with LF line ends turned into CRLF. */
    static MimeMessage parse(String raw) throws Exception {
        String crlf = raw.replace("\r\n", "\n").replace("\n", "\r\n");
        return MimeParts.parse(new ByteArrayInputStream(crlf.getBytes(StandardCharsets.ISO_8859_1)));
    }

    static String wire(MimePart part) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (part instanceof MimeMessage) {
            ((MimeMessage) part).writeTo(out);
        } else {
            ((javax.mail.internet.MimeBodyPart) part).writeTo(out);
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }
}
