package dev.tollgate.james.mfa.imap;

import java.util.Map;
import java.util.Optional;

import org.apache.james.core.Username;
import org.apache.james.imap.api.display.HumanReadableText;
import org.apache.james.imap.api.message.request.ImapRequest;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapProcessor.Responder;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.exception.ForbiddenDelegationException;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.exception.UserDoesNotExistException;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.util.MDCBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import dev.tollgate.core.audit.Metrics;
import dev.tollgate.core.mfa.AppPasswordScope;
import dev.tollgate.core.mfa.MfaService;
import dev.tollgate.james.mfa.AuthDecisions;

/**
 * The MFA decision of one IMAP LOGIN or AUTHENTICATE PLAIN (RFC 9051 §6.2.2, §6.2.3), shared by
 * {@link MfaLoginProcessor} and {@link MfaAuthenticateProcessor}: the same {@link MfaService#authenticate}
 * SMTP submission uses, with scope {@code imap}, so one throttle and lockout counts the failures of both
 * protocols and a TOTP code accepted on one is a replay on the other.
 *
 * <p>Answers (RFC 5530 response codes):
 * <ul>
 *   <li>success: the processor opens the mailbox session and answers {@code OK}; the method ({@code totp},
 *       {@code app-password}, {@code password}) is kept in the session attribute {@link #METHOD};</li>
 *   <li>{@code NO [AUTHENTICATIONFAILED]}: wrong credentials, a bare password or an app password without the
 *       {@code imap} scope for an enrolled user, a user without enrolment under a {@code required} policy
 *       (distinct text), a missing user name or password;</li>
 *   <li>{@code NO [UNAVAILABLE]}: the user or client address is in backoff or locked out (nothing is checked,
 *       not even correct credentials), or the MFA store or user base failed (never counted).</li>
 * </ul>
 * As James's own processors do, the third refusal on one connection closes it with {@code BYE}.
 * Nothing logged holds a password or code. Stateless; thread-safe.
 */
final class ImapMfaLogin {
    private static final Logger LOGGER = LoggerFactory.getLogger(ImapMfaLogin.class);

    /** Session attribute: the method of the session's authentication, for the audit line. */
    static final String METHOD = "dev.tollgate.mfa.method";
    /** James 3.8.1's session attribute holding the connection's MDC (client address under {@code ip}). */
    static final String JAMES_BOUND_MDC = "bound_MDC";
    private static final String FAILURES = "dev.tollgate.mfa.imap.failures";
    private static final int MAX_FAILURES = 3;
    /** Throttle key of attempts whose user name is missing (no user has this name). */
    private static final String NO_USER = "(no user name)";

    static final String INVALID = "Authentication failed; with two-step verification use an app password for IMAP, "
            + "or your password followed by the current code";
    static final String ENROLLMENT_REQUIRED = "Two-step verification is required for this account: enrol first, "
            + "then use an app password for IMAP";
    static final String TRY_LATER = "Temporary authentication failure, try again later";

    /** Opens the mailbox session once MFA accepted the credentials (the processor's part). */
    @FunctionalInterface
    interface Opener {
        void open(Username user);
    }

    /** The protected steps of James's auth processors that {@link #open} needs. */
    interface Steps {
        MailboxManager mailboxManager();

        void provisionInbox(ImapSession session, MailboxManager manager, MailboxSession mailboxSession)
                throws MailboxException;

        void okComplete(ImapRequest request, Responder responder);

        void no(ImapRequest request, Responder responder, HumanReadableText text);
    }

    private final MfaService mfa;
    private final UsersRepository users;
    private final StatusResponseFactory responses;
    private final AuthDecisions decisions;

    ImapMfaLogin(MfaService mfa, UsersRepository users, StatusResponseFactory responses, AuthDecisions decisions) {
        this.mfa = mfa;
        this.users = users;
        this.responses = responses;
        this.decisions = decisions;
    }

    /**
     * Decides one attempt and answers it; on success calls {@code opener}, which answers {@code OK}.
     *
     * @param user     the authentication identity, null when the client sent none
     * @param password the password field as given, may be null
     * @param mechanism {@code LOGIN} or {@code AUTHENTICATE PLAIN}, for the log
     */
    void login(Username user, String password, String mechanism, ImapSession session, ImapRequest request,
            Responder responder, Opener opener) {
        String ip = clientIp(session);
        if (user == null || password == null || password.isEmpty()) {
            String key = user == null ? NO_USER : user.asString();
            if (mfa.throttled(key, ip).isPresent()) {
                refuse(session, request, responder, AuthRefusal.UNAVAILABLE, TRY_LATER);
                return;
            }
            mfa.recordFailure(key, ip);
            decisions.record("imap", "password", "bad_password", key, ip, false);
            LOGGER.info("MFA: IMAP {} failed for {} from {}: user name or password missing", mechanism,
                    user == null ? "(no user name)" : key, ip);
            refuse(session, request, responder, AuthRefusal.AUTHENTICATIONFAILED, INVALID);
            return;
        }
        String name = user.asString();
        boolean required = mfa.config().policies().forUser(name).requiresEnrollment(mfa.today());
        MfaService.AuthResult result;
        try (Metrics.Timer t = decisions.time("imap")) {
            result = mfa.authenticate(AppPasswordScope.IMAP, name, password, ip,
                    (u, p) -> users.test(Username.of(u), p), required);
        }
        decisions.record("imap", name, ip, result);
        switch (result.outcome()) {
            case SUCCESS:
                MfaService.Method method = result.method().get();
                session.setAttribute(METHOD, method.token());
                session.setAttribute(FAILURES, null);
                LOGGER.info("MFA: IMAP {} ok for {} by {} from {}", mechanism, name, method.token(), ip);
                opener.open(user);
                return;
            case ENROLLMENT_REQUIRED:
                LOGGER.info("MFA: IMAP {} refused for {} from {}: not enrolled, policy requires MFA", mechanism, name, ip);
                refuse(session, request, responder, AuthRefusal.AUTHENTICATIONFAILED, ENROLLMENT_REQUIRED);
                return;
            case THROTTLED:
                LOGGER.info("MFA: IMAP {} refused for {} from {}: throttled for {} ms", mechanism, name, ip,
                        result.retryAfter().toMillis());
                refuse(session, request, responder, AuthRefusal.UNAVAILABLE, TRY_LATER);
                return;
            case UNAVAILABLE:
                refuse(session, request, responder, AuthRefusal.UNAVAILABLE, TRY_LATER);
                return;
            default:
                LOGGER.info("MFA: IMAP {} failed for {} from {}", mechanism, name, ip);
                refuse(session, request, responder, AuthRefusal.AUTHENTICATIONFAILED, INVALID);
        }
    }

    /**
     * Opens the mailbox session of {@code user} (acting as {@code as} when present: SASL PLAIN authorization
     * identity, which James's mailbox manager allows only to delegated users), as James's own processors do after
     * their password check, and answers {@code OK}.
     */
    static void open(Username user, Optional<Username> as, ImapSession session, ImapRequest request,
            Responder responder, Steps steps) {
        MailboxManager manager = steps.mailboxManager();
        try {
            MailboxSession mailboxSession = as.isPresent() && !as.get().equals(user)
                    ? manager.authenticate(user).as(as.get())
                    : manager.authenticate(user).withoutDelegation();
            session.authenticated();
            session.setMailboxSession(mailboxSession);
            steps.provisionInbox(session, manager, mailboxSession);
            steps.okComplete(request, responder);
            responder.flush();
            session.stopDetectingCommandInjection();
        } catch (ForbiddenDelegationException e) {
            LOGGER.info("MFA: IMAP login of {} as {} refused: no delegation", user.asString(), as.map(Username::asString).orElse(""));
            steps.no(request, responder, HumanReadableText.DELEGATION_FORBIDDEN);
            responder.flush();
        } catch (UserDoesNotExistException e) {
            steps.no(request, responder, HumanReadableText.USER_DOES_NOT_EXIST);
            responder.flush();
        } catch (MailboxException e) {
            LOGGER.error("MFA: IMAP login of {} failed to open the mailbox: {}", user.asString(), e.getClass().getName());
            steps.no(request, responder, HumanReadableText.GENERIC_FAILURE_DURING_PROCESSING);
            responder.flush();
        }
    }

    /** Answers {@code NO [code]}; the third refusal on the connection answers {@code BYE} and closes it. */
    void refuse(ImapSession session, ImapRequest request, Responder responder, String code, String text) {
        Object previous = session.getAttribute(FAILURES);
        int failures = (previous instanceof Integer ? (Integer) previous : 0) + 1;
        if (failures < MAX_FAILURES) {
            session.setAttribute(FAILURES, failures);
            responder.respond(new AuthRefusal(request.getTag(), request.getCommand(), code, text));
            responder.flush();
            return;
        }
        responder.respond(new AuthRefusal(request.getTag(), request.getCommand(), code, text));
        responder.respond(responses.bye(HumanReadableText.TOO_MANY_FAILURES));
        responder.flush();
        session.logout().block();
    }

    /**
     * The client address James 3.8.1 put in the connection's MDC (the PROXY protocol source when used); null
     * when unknown. The MDC builder offers no getter, so its entries are put in this thread's MDC, read and the
     * previous MDC restored.
     */
    static String clientIp(ImapSession session) {
        String current = MDC.get(MDCBuilder.IP);
        if (current != null) {
            return current;
        }
        Object bound = session.getAttribute(JAMES_BOUND_MDC);
        if (!(bound instanceof MDCBuilder)) {
            return null;
        }
        Map<String, String> before = MDC.getCopyOfContextMap();
        try {
            return ((MDCBuilder) bound).execute(() -> MDC.get(MDCBuilder.IP));
        } finally {
            if (before == null) {
                MDC.clear();
            } else {
                MDC.setContextMap(before);
            }
        }
    }

    /** @return the method recorded on the session by a successful login, if any */
    static Optional<String> method(ImapSession session) {
        Object m = session.getAttribute(METHOD);
        return m instanceof String ? Optional.of((String) m) : Optional.empty();
    }
}
