package dev.tollgate.james.mfa.imap;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.apache.james.imap.api.display.HumanReadableText;
import org.apache.james.imap.api.message.Capability;
import org.apache.james.imap.api.message.request.ImapRequest;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.processor.AuthenticateProcessor;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.user.api.UsersRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tollgate.core.mfa.MfaService;
import dev.tollgate.james.mfa.AuthDecisions;

/**
 * IMAP {@code AUTHENTICATE} (RFC 9051 §6.2.2) with SASL PLAIN (RFC 4616) decided by Tollgate's MFA service
 * ({@link ImapMfaLogin}): the authentication identity's credentials go through MFA; an authorization identity
 * other than it is then allowed only where James's mailbox manager allows the delegation.
 * James's check before it stays: PLAIN before STARTTLS is refused where {@code plainAuthDisallowed} is set.
 *
 * <p>OAUTHBEARER and XOAUTH2 (RFC 7628) are neither announced nor accepted by this processor, even where
 * {@code <oidc>} is configured on the IMAP server: James's IMAP check does not look for a second factor in the
 * token, so accepting it would reopen the door MFA closes. They are answered
 * {@code NO [AUTHENTICATIONFAILED]} and counted like a wrong password. Part of {@link MfaImapPackage}.
 */
public class MfaAuthenticateProcessor extends AuthenticateProcessor {
    private static final Logger LOGGER = LoggerFactory.getLogger(MfaAuthenticateProcessor.class);
    static final String OAUTH_REFUSED = "OAuth is not accepted over IMAP here; use an app password for IMAP";

    private final ImapMfaLogin login;
    private final MfaService mfa;
    private final ImapMfaLogin.Steps steps = new ImapMfaLogin.Steps() {
        @Override
        public MailboxManager mailboxManager() {
            return getMailboxManager();
        }

        @Override
        public void provisionInbox(ImapSession session, MailboxManager manager, MailboxSession mailboxSession)
                throws MailboxException {
            MfaAuthenticateProcessor.this.provisionInbox(session, manager, mailboxSession);
        }

        @Override
        public void okComplete(ImapRequest request, Responder responder) {
            MfaAuthenticateProcessor.this.okComplete(request, responder);
        }

        @Override
        public void no(ImapRequest request, Responder responder, HumanReadableText text) {
            MfaAuthenticateProcessor.this.no(request, responder, text);
        }
    };

    @Inject
    public MfaAuthenticateProcessor(MailboxManager mailboxManager, StatusResponseFactory factory,
            MetricFactory metricFactory, MfaService mfa, UsersRepository users, AuthDecisions decisions) {
        super(mailboxManager, factory, metricFactory);
        this.mfa = mfa;
        this.login = new ImapMfaLogin(mfa, users, factory, decisions);
    }

    @Override
    protected void doAuth(AuthenticationAttempt attempt, ImapSession session, ImapRequest request, Responder responder,
            HumanReadableText failed) {
        login.login(attempt.getAuthenticationId(), attempt.getPassword(), "AUTHENTICATE PLAIN", session, request,
                responder, user -> ImapMfaLogin.open(user, Optional.empty(), session, request, responder, steps));
    }

    @Override
    protected void doAuthWithDelegation(AuthenticationAttempt attempt, ImapSession session, ImapRequest request,
            Responder responder) {
        Optional<org.apache.james.core.Username> as = attempt.getDelegateUserName();
        login.login(attempt.getAuthenticationId(), attempt.getPassword(), "AUTHENTICATE PLAIN", session, request,
                responder, user -> ImapMfaLogin.open(user, as, session, request, responder, steps));
    }

    @Override
    protected void doOAuth(String initialResponse, ImapSession session, ImapRequest request, Responder responder) {
        String ip = ImapMfaLogin.clientIp(session);
        if (mfa.throttled("(oauth)", ip).isPresent()) {
            login.refuse(session, request, responder, AuthRefusal.UNAVAILABLE, ImapMfaLogin.TRY_LATER);
        } else {
            mfa.recordFailure("(oauth)", ip);
            LOGGER.info("MFA: IMAP AUTHENTICATE OAuth refused from {}: no MFA check for OAuth on IMAP", ip);
            login.refuse(session, request, responder, AuthRefusal.AUTHENTICATIONFAILED, OAUTH_REFUSED);
        }
        session.stopDetectingCommandInjection();
    }

    @Override
    public List<Capability> getImplementedCapabilities(ImapSession session) {
        return super.getImplementedCapabilities(session).stream()
                .filter(c -> !c.asString().toUpperCase(java.util.Locale.ROOT).contains("OAUTH"))
                .collect(Collectors.toList());
    }
}
