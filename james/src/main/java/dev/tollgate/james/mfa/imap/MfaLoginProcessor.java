package dev.tollgate.james.mfa.imap;

import java.util.Optional;

import javax.inject.Inject;

import org.apache.james.imap.api.display.HumanReadableText;
import org.apache.james.imap.api.message.request.ImapRequest;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.processor.LoginProcessor;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.user.api.UsersRepository;

import dev.tollgate.core.mfa.MfaService;
import dev.tollgate.james.mfa.AuthDecisions;

/**
 * IMAP {@code LOGIN} (RFC 9051 §6.2.3) decided by Tollgate's MFA service ({@link ImapMfaLogin}) instead of the
 * account password alone. James's check before it stays: {@code LOGIN} before STARTTLS is refused (and
 * {@code LOGINDISABLED} announced) where {@code plainAuthDisallowed} is set. Part of {@link MfaImapPackage}.
 */
public class MfaLoginProcessor extends LoginProcessor {
    private final ImapMfaLogin login;
    private final ImapMfaLogin.Steps steps = new ImapMfaLogin.Steps() {
        @Override
        public MailboxManager mailboxManager() {
            return getMailboxManager();
        }

        @Override
        public void provisionInbox(ImapSession session, MailboxManager manager, MailboxSession mailboxSession)
                throws MailboxException {
            MfaLoginProcessor.this.provisionInbox(session, manager, mailboxSession);
        }

        @Override
        public void okComplete(ImapRequest request, Responder responder) {
            MfaLoginProcessor.this.okComplete(request, responder);
        }

        @Override
        public void no(ImapRequest request, Responder responder, HumanReadableText text) {
            MfaLoginProcessor.this.no(request, responder, text);
        }
    };

    @Inject
    public MfaLoginProcessor(MailboxManager mailboxManager, StatusResponseFactory factory, MetricFactory metricFactory,
            MfaService mfa, UsersRepository users, AuthDecisions decisions) {
        super(mailboxManager, factory, metricFactory);
        this.login = new ImapMfaLogin(mfa, users, factory, decisions);
    }

    @Override
    protected void doAuth(AuthenticationAttempt attempt, ImapSession session, ImapRequest request, Responder responder,
            HumanReadableText failed) {
        login.login(attempt.getAuthenticationId(), attempt.getPassword(), "LOGIN", session, request, responder,
                user -> ImapMfaLogin.open(user, Optional.empty(), session, request, responder, steps));
    }
}
