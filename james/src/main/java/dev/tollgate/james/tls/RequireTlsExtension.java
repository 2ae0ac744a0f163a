package dev.tollgate.james.tls;

import java.util.List;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.core.esmtp.EhloExtension;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.protocols.smtp.hook.MailParametersHook;
import org.apache.james.smtpserver.JamesMessageHook;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tollgate.core.MailAttributes;
import dev.tollgate.james.config.ComponentInit;
import dev.tollgate.james.transport.SmtpSessions;

/**
 * The SMTP {@code REQUIRETLS} service extension on the receiving side (RFC 8689 §2, §4.1): offers the
 * {@code REQUIRETLS} EHLO keyword once the session runs over TLS, accepts the {@code REQUIRETLS} MAIL FROM
 * parameter only then, and records it on the mail as {@link MailAttributes#REQUIRETLS} so that
 * {@code TlsPolicyDelivery} delivers the mail only over verified TLS to a next hop that offers REQUIRETLS.
 *
 * <p>James 3.8.1 neither offers the keyword nor keeps the parameter (it ignores unknown MAIL parameters).
 * Over a session without TLS the keyword is not offered and the parameter is refused with
 * {@code 530 5.7.10 REQUIRETLS needs a TLS session} (RFC 3463 X.7.10 "encryption needed"), so a sender asking
 * for TLS never has its mail accepted in plain text.
 *
 * <pre>{@code
 * <handler class="dev.tollgate.james.tls.RequireTlsExtension"/>
 * }</pre>
 * It takes no parameters. A {@code REQUIRETLS} attribute already on the mail is removed when the session did
 * not ask for it, so nothing upstream can forge it. One instance serves all sessions; it keeps no state.
 */
public class RequireTlsExtension implements MailParametersHook, EhloExtension, JamesMessageHook {
    private static final Logger LOG = LoggerFactory.getLogger(RequireTlsExtension.class);
    /** The EHLO keyword and MAIL FROM parameter name (RFC 8689 §2). */
    public static final String KEYWORD = "REQUIRETLS";
    static final ProtocolSession.AttachmentKey<Boolean> REQUESTED =
            ProtocolSession.AttachmentKey.of("dev.tollgate.smtp.requiretls", Boolean.class);
    static final HookResult NEEDS_TLS = HookResult.builder().hookReturnCode(HookReturnCode.deny())
            .smtpReturnCode("530").smtpDescription("5.7.10 REQUIRETLS needs a TLS session").build();
    static final HookResult BAD_SYNTAX = HookResult.builder().hookReturnCode(HookReturnCode.deny())
            .smtpReturnCode("501").smtpDescription("5.5.4 REQUIRETLS takes no value").build();
    private static final AttributeName ATTRIBUTE = AttributeName.of(MailAttributes.REQUIRETLS);

    @Override
    public void init(Configuration configuration) throws ConfigurationException {
        ComponentInit.handler(this, configuration, RequireTlsExtensionConfig::parse);
    }

    @Override
    public List<String> getImplementedEsmtpFeatures(SMTPSession session) {
        return SmtpSessions.overTls(session) ? List.of(KEYWORD) : List.of();
    }

    /**
     * Every spelling of {@code REQUIRETLS}: ESMTP keywords are case-insensitive (RFC 5321 §2.4), but James 3.8.1
     * looks a parameter without a value up by its name exactly as sent (it upper-cases only {@code name=value}
     * ones), so a sender's {@code RequireTls} would otherwise be ignored and the mail accepted without REQUIRETLS.
     *
     * @return the 2<sup>10</sup> upper/lower case spellings of the keyword
     */
    @Override
    public String[] getMailParamNames() {
        return SPELLINGS.clone();
    }

    private static final String[] SPELLINGS = caseSpellings(KEYWORD);

    static String[] caseSpellings(String keyword) {
        int n = keyword.length();
        String[] out = new String[1 << n];
        for (int mask = 0; mask < out.length; mask++) {
            char[] c = keyword.toUpperCase(java.util.Locale.ROOT).toCharArray();
            for (int i = 0; i < n; i++) {
                if ((mask & (1 << i)) != 0) {
                    c[i] = Character.toLowerCase(c[i]);
                }
            }
            out[mask] = new String(c);
        }
        return out;
    }

    @Override
    public HookResult doMailParameter(SMTPSession session, String paramName, String paramValue) {
        if (paramValue != null && !paramValue.isEmpty()) {
            return BAD_SYNTAX;
        }
        if (!SmtpSessions.overTls(session)) {
            LOG.info("tollgate.requiretls refused: no TLS session={}", session.getSessionID());
            return NEEDS_TLS;
        }
        session.setAttachment(REQUESTED, Boolean.TRUE, ProtocolSession.State.Transaction);
        return HookResult.DECLINED;
    }

    @Override
    public HookResult onMessage(SMTPSession session, Mail mail) {
        boolean requested = SmtpSessions.overTls(session)
                && session.getAttachment(REQUESTED, ProtocolSession.State.Transaction).orElse(Boolean.FALSE);
        if (requested) {
            mail.setAttribute(new Attribute(ATTRIBUTE, AttributeValue.of(true)));
        } else {
            mail.removeAttribute(ATTRIBUTE);
        }
        return HookResult.DECLINED;
    }
}
