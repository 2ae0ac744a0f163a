package dev.tollgate.james.transport;

import java.net.InetSocketAddress;
import java.util.Optional;

import javax.net.ssl.SSLSession;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.Username;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.smtpserver.JamesMessageHook;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;

import dev.tollgate.core.MailAttributes;
import dev.tollgate.james.config.ComponentInit;
import dev.tollgate.james.mfa.MfaSessionKeys;

/**
 * Records on each received {@link Mail} the facts of its SMTP session that James 3.8.1 does not keep:
 * whether TLS was active ({@link MailAttributes#SMTP_TLS}) with its protocol and cipher, the local
 * port ({@link MailAttributes#SMTP_LOCAL_PORT}) and the SMTP AUTH identity
 * ({@link MailAttributes#SMTP_AUTH_USER}) with, when {@link MfaAuthHook} authenticated the session with a
 * second factor, its method ({@link MailAttributes#MFA_METHOD}: {@code totp} or {@code app-password}).
 *
 * <p>Wire it first in every {@code <handlerchain>} of {@code smtpserver.xml}, so it runs before
 * James's own message hooks queue the mail:
 * <pre>{@code
 * <handler class="dev.tollgate.james.transport.SessionFactsHook"/>
 * }</pre>
 * It takes no parameters. It never refuses a message (always {@code DECLINED}). Attributes already
 * on the mail under these names are overwritten, so nothing upstream can forge them.
 * One instance serves all sessions of a server; it keeps no state.
 */
public class SessionFactsHook implements JamesMessageHook {
    private static final AttributeName TLS = AttributeName.of(MailAttributes.SMTP_TLS);
    private static final AttributeName PROTOCOL = AttributeName.of(MailAttributes.SMTP_TLS_PROTOCOL);
    private static final AttributeName CIPHER = AttributeName.of(MailAttributes.SMTP_TLS_CIPHER);
    private static final AttributeName PORT = AttributeName.of(MailAttributes.SMTP_LOCAL_PORT);
    private static final AttributeName USER = AttributeName.of(MailAttributes.SMTP_AUTH_USER);
    private static final AttributeName MFA = AttributeName.of(MailAttributes.MFA_METHOD);

    @Override
    public void init(Configuration configuration) throws ConfigurationException {
        ComponentInit.handler(this, configuration, SessionFactsHookConfig::parse);
    }

    @Override
    public HookResult onMessage(SMTPSession session, Mail mail) {
        Optional<SSLSession> ssl = session.getSSLSession();
        boolean tls = session.isTLSStarted() || ssl.isPresent();
        mail.setAttribute(new Attribute(TLS, AttributeValue.of(tls)));
        mail.removeAttribute(PROTOCOL);
        mail.removeAttribute(CIPHER);
        if (tls) {
            ssl.map(SSLSession::getProtocol).filter(p -> !p.isEmpty())
                    .ifPresent(p -> mail.setAttribute(new Attribute(PROTOCOL, AttributeValue.of(p))));
            ssl.map(SSLSession::getCipherSuite).filter(c -> !c.isEmpty())
                    .ifPresent(c -> mail.setAttribute(new Attribute(CIPHER, AttributeValue.of(c))));
        }
        InetSocketAddress local = session.getLocalAddress();
        if (local != null) {
            mail.setAttribute(new Attribute(PORT, AttributeValue.of(local.getPort())));
        } else {
            mail.removeAttribute(PORT);
        }
        Username user = session.getUsername();
        if (user != null) {
            mail.setAttribute(new Attribute(USER, AttributeValue.of(user.asString())));
        } else {
            mail.removeAttribute(USER);
        }
        Optional<String> mfa = user == null ? Optional.empty()
                : session.getAttachment(MfaSessionKeys.METHOD, ProtocolSession.State.Connection);
        if (mfa.isPresent()) {
            mail.setAttribute(new Attribute(MFA, AttributeValue.of(mfa.get())));
        } else {
            mail.removeAttribute(MFA);
        }
        return HookResult.DECLINED;
    }
}
