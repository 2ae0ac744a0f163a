package dev.tollgate.james.testing;

import java.io.ByteArrayInputStream;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.server.core.MimeMessageInputStreamSource;
import org.apache.james.server.core.MimeMessageWrapper;

/** Messages built for adapter tests the way James's SMTP server builds them. */
public final class JamesMessages {
    private JamesMessages() {
    }

    /** @return a lazily parsed {@link MimeMessageWrapper} over {@code raw}, as James's SMTP server stores a DATA body */
    public static MimeMessage parse(byte[] raw) throws MessagingException {
        return new MimeMessageWrapper(MimeMessageInputStreamSource.create("m1", new ByteArrayInputStream(raw)));
    }
}
