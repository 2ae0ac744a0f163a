package dev.tollgate.james.transport;

import java.net.InetSocketAddress;

import org.apache.james.protocols.smtp.SMTPSession;

/** What the hooks read off an SMTP session. Stateless. */
public final class SmtpSessions {
    private SmtpSessions() {
    }

    /**
     * @return whether the session runs over TLS: after STARTTLS (RFC 3207) or on an implicit-TLS port such as 465,
     *         where James 3.8.1 reports the SSL session but not always "TLS started"
     */
    public static boolean overTls(SMTPSession session) {
        return session.isTLSStarted() || session.getSSLSession().isPresent();
    }

    /** @return the client's IP address as text, or null when the session has none */
    public static String clientIp(SMTPSession session) {
        InetSocketAddress remote = session.getRemoteAddress();
        return remote == null || remote.getAddress() == null ? null : remote.getAddress().getHostAddress();
    }
}
