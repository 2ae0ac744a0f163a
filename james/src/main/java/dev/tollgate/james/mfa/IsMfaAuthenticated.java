package dev.tollgate.james.mfa;

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
 * Matches every recipient of a mail submitted over an SMTP session that authenticated with a second
 * factor, as recorded by {@code dev.tollgate.james.mfa.MfaAuthHook} and {@code SessionFactsHook}
 * (mail attribute {@link MailAttributes#MFA_METHOD} together with {@link MailAttributes#SMTP_AUTH_USER}).
 * An optional condition restricts the accepted methods.
 *
 * <pre>{@code
 * <mailet match="dev.tollgate.james.mfa.IsMfaAuthenticated" class="...">
 * <mailet match="dev.tollgate.james.mfa.IsMfaAuthenticated=totp" class="...">
 * }</pre>
 *
 * <p>Mail without those attributes (not submitted with AUTH, or hooks not wired) does not match.
 * Thread-safe.
 */
public class IsMfaAuthenticated extends GenericMatcher {
    private static final AttributeName METHOD = AttributeName.of(MailAttributes.MFA_METHOD);
    private static final AttributeName USER = AttributeName.of(MailAttributes.SMTP_AUTH_USER);

    private volatile IsMfaAuthenticatedConfig config;

    @Override
    public void init() throws MessagingException {
        config = ComponentInit.matcher(this, IsMfaAuthenticatedConfig::parse);
    }

    @Override
    public Collection<MailAddress> match(Mail mail) {
        if (AttributeUtils.getValueAndCastFromMail(mail, USER, String.class).isEmpty()) {
            return List.of();
        }
        String method = AttributeUtils.getValueAndCastFromMail(mail, METHOD, String.class).orElse(null);
        return config.accepts(method) ? mail.getRecipients() : List.of();
    }

    @Override
    public String getMatcherInfo() {
        return "Tollgate IsMfaAuthenticated: matches mail submitted with a second factor";
    }
}
