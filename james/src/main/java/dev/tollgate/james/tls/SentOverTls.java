package dev.tollgate.james.tls;

import java.util.Collection;
import java.util.List;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeUtils;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;

import dev.tollgate.core.MailAttributes;
import dev.tollgate.james.config.ComponentInit;

/**
 * Matches every recipient of a mail that reached this server over an SMTP session with TLS active
 * (STARTTLS or implicit TLS), as recorded by {@code dev.tollgate.james.transport.SessionFactsHook}.
 * An optional condition names the minimum protocol version.
 *
 * <pre>{@code
 * <mailet match="dev.tollgate.james.tls.SentOverTls=TLSv1.2" class="...">
 * }</pre>
 *
 * <p>A mail without the recorded facts (not received over SMTP, or the hook is not wired) does not
 * match: absence of evidence is not TLS. Thread-safe.
 */
public class SentOverTls extends GenericMatcher {
    private static final AttributeName TLS = AttributeName.of(MailAttributes.SMTP_TLS);
    private static final AttributeName PROTOCOL = AttributeName.of(MailAttributes.SMTP_TLS_PROTOCOL);

    private volatile SentOverTlsConfig config;

    @Override
    public void init() throws MessagingException {
        config = ComponentInit.matcher(this, SentOverTlsConfig::parse);
    }

    @Override
    public Collection<MailAddress> match(Mail mail) {
        boolean tls = AttributeUtils.getValueAndCastFromMail(mail, TLS, Boolean.class).orElse(false);
        if (!tls) {
            return List.of();
        }
        String protocol = AttributeUtils.getValueAndCastFromMail(mail, PROTOCOL, String.class).orElse(null);
        return config.accepts(protocol) ? mail.getRecipients() : List.of();
    }

    @Override
    public String getMatcherInfo() {
        return "Tollgate SentOverTls: matches mail received over SMTP with TLS";
    }
}
