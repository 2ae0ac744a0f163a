package dev.tollgate.james.tls;

import java.net.InetSocketAddress;
import java.util.List;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.protocols.api.Request;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.CommandHandler;
import org.apache.james.protocols.smtp.SMTPResponse;
import org.apache.james.protocols.smtp.SMTPSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tollgate.core.config.Parameters;
import dev.tollgate.james.config.ComponentInit;
import dev.tollgate.james.transport.SmtpSessions;

/**
 * Refuses {@code AUTH} and {@code MAIL FROM} until the session runs over TLS, with
 * {@code 530 5.7.0 Must issue a STARTTLS command first} (RFC 3207 §4, RFC 3463). James 3.8.1's
 * {@code <requireSSL>} only hides the AUTH announcement: a client can still send credentials in plain text.
 *
 * <p>It is a command handler for {@code AUTH} and {@code MAIL}: listed in a {@code <handlerchain>}, it runs
 * before James's core handlers (which James appends after the listed ones) and refuses the command
 * <em>before</em> any credential is exchanged; over TLS it steps aside ({@code null} response) and the core
 * handler answers. Sessions on implicit TLS (port 465) count as TLS.
 *
 * <pre>{@code
 * <handler class="dev.tollgate.james.tls.RequireStartTls">
 *     <ports>587</ports>   <!-- optional: default is every port of this server -->
 * </handler>
 * }</pre>
 *
 * <p>One instance serves all sessions of a server; it is immutable after {@link #init(Configuration)}.
 */
public class RequireStartTls implements CommandHandler<SMTPSession> {
    private static final Logger LOG = LoggerFactory.getLogger(RequireStartTls.class);
    static final String CODE = "530";
    static final String TEXT = "5.7.0 Must issue a STARTTLS command first";

    private volatile RequireStartTlsConfig config = RequireStartTlsConfig.parse(Parameters.empty());

    @Override
    public void init(Configuration configuration) throws ConfigurationException {
        config = ComponentInit.handler(this, configuration, RequireStartTlsConfig::parse);
    }

    @Override
    public Response onCommand(SMTPSession session, Request request) {
        if (SmtpSessions.overTls(session)) {
            return null;
        }
        InetSocketAddress local = session.getLocalAddress();
        int port = local == null ? -1 : local.getPort();
        if (!config.appliesTo(port)) {
            return null;
        }
        LOG.info("tollgate.requireStartTls refused command={} port={} session={}", request.getCommand(), port,
                session.getSessionID());
        return new SMTPResponse(CODE, TEXT);
    }

    @Override
    public List<String> getImplCommands() {
        return List.of("AUTH", "MAIL");
    }
}
