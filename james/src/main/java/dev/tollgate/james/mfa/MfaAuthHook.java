package dev.tollgate.james.mfa;

import java.util.Optional;

import javax.inject.Inject;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.Username;
import org.apache.james.protocols.api.OidcSASLConfiguration;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.AuthHook;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.api.UsersRepositoryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tollgate.core.mfa.MfaService;
import dev.tollgate.james.config.ComponentInit;
import dev.tollgate.james.transport.SmtpSessions;

/**
 * SMTP AUTH (RFC 4954) backed by a second factor, for the submission ports (465, 587).
 *
 * <p>Wire it in each submission {@code <handlerchain>} of {@code smtpserver.xml}; James appends its own core
 * handlers (with {@code UsersRepositoryAuthHook}) after the listed ones, so this hook runs first, and
 * its DENY stops the chain. It needs {@code guice.extension.module=dev.tollgate.james.mfa.MfaModule} in
 * {@code extensions.properties} (the shared {@link MfaService}); without it James does not start.
 * <pre>{@code
 * <handler class="dev.tollgate.james.mfa.MfaAuthHook">
 *     <policy>optional</policy>
 *     <domainPolicies>example.com=required, partner.example=grace-until:2026-12-31</domainPolicies>
 * </handler>
 * }</pre>
 *
 * <p>Replies (AUTH PLAIN and LOGIN):
 * <ul>
 *   <li>{@code 530 5.7.0} before TLS (RFC 3207 §4; James itself only hides the AUTH announcement). Chosen over
 *       {@code 538 5.7.11} because the client can and should issue STARTTLS, which is what 530 asks for.</li>
 *   <li>{@code 235 2.7.0} for password‖code ({@code totp}), an app password ({@code app-password}), or the
 *       bare password of a user without enrolment where the domain policy allows it. The hook checks the
 *       password itself with {@code UsersRepository.test} (it does not DECLINE to James's hook) so every
 *       attempt goes through the same throttle. On success it sets the session user and relaying (James
 *       needs both) and, for MFA methods, the session attachment {@link MfaSessionKeys#METHOD}.</li>
 *   <li>{@code 535 5.7.8} for wrong, replayed or malformed credentials, a bare password of an enrolled
 *       user, and users without enrolment under a {@code required} policy (distinct text).</li>
 *   <li>{@code 454 4.7.0} while the user or client IP is in backoff or locked out (nothing is checked then,
 *       not even a correct code), and when the secret store or the user base fails (never counted).</li>
 * </ul>
 * AUTH PLAIN with an empty or blank password ({@code \0alice\0} or {@code \0alice\0   }) reaches the hook as
 * {@code doDelegation} (James drops blank fields and takes the one name left for a delegation): it is
 * refused with the same {@code 535 5.7.8} and counted like a wrong password ({@code 454} while throttled).
 * When that one field names no user (the client left the user name empty, so it is the password), the answer
 * is {@code 501 5.5.2} and the field is neither logged nor used as a throttle key; the address is counted.
 * An unauthenticated session cannot delegate, and an authenticated one cannot issue AUTH again.
 *
 * <p>OAUTHBEARER/XOAUTH2 ({@code doSasl}, RFC 7628): with {@code oauth=mfa-claim} (default) the hook verifies
 * the token itself and answers for it ({@link OAuthExchange}): James's verifier for the {@code <oidc>}
 * configuration, then lifetime, issuer, audience ({@code oauthAudience}, required), user claim equal to the
 * identity asked for, existing user, and an {@code amr}/{@code acr} MFA claim; method {@code oauth-mfa}.
 * Refusals use RFC 7628's error challenge because James 3.8.1 ignores a SASL hook's 535 and would take its
 * own hook's success instead. {@code oauth=deny}, or no {@code oauthAudience}: {@code 504 5.5.4}.
 *
 * <p>Nothing it logs contains a password, code or secret. One instance per {@code <smtpserver>}; stateless
 * apart from its configuration; thread-safe.
 */
public class MfaAuthHook implements AuthHook {
    private static final Logger LOGGER = LoggerFactory.getLogger(MfaAuthHook.class);

    static final HookResult TLS_REQUIRED = deny("530", "5.7.0 Must issue a STARTTLS command first");
    static final HookResult INVALID = deny("535", "5.7.8 Authentication credentials invalid; with two-step "
            + "verification give your password followed by the current code, or an app password");
    static final HookResult ENROLLMENT_REQUIRED = deny("535", "5.7.8 Two-step verification is required for this "
            + "account: enrol first, then give your password followed by the current code, or an app password");
    static final HookResult TRY_LATER = HookResult.builder().hookReturnCode(HookReturnCode.denySoft())
            .smtpReturnCode("454").smtpDescription("4.7.0 Temporary authentication failure, try again later").build();
    /** RFC 4954 §6 "unrecognized authentication type": not 535, which James 3.8.1 ignores on the SASL path. */
    static final HookResult OAUTH_REFUSED = deny("504", "5.5.4 OAuth is not accepted on this port");
    /** Session mark for an OAuth token with an MFA claim. */
    static final String OAUTH_MFA = "oauth-mfa";
    static final HookResult AUTHENTICATED = HookResult.builder().hookReturnCode(HookReturnCode.ok())
            .smtpReturnCode("235").smtpDescription("2.7.0 Authentication successful").build();

    /**
     * AUTH PLAIN whose one non-blank field names no user ({@code 501}, RFC 4954 §6 syntax error): not {@code 535},
     * because James 3.8.1 logs the field of a refused delegation, and that field is a password here.
     */
    static final HookResult NAME_AND_PASSWORD_NEEDED = deny("501", "5.5.2 AUTH PLAIN needs a user name and a password");
    /** Throttle key of attempts whose user name is missing (no user has this name). */
    private static final String NO_USER = "(no user name)";

    /** James 3.8.1 calls {@code doDelegation} twice per AUTH: the second call repeats the first's answer. */
    private static final ProtocolSession.AttachmentKey<HookResult> DELEGATION_ANSWER =
            ProtocolSession.AttachmentKey.of("dev.tollgate.mfa.delegation-answer", HookResult.class);

    private final MfaService mfa;
    private final UsersRepository users;
    private final OAuthExchange oauth;
    private final AuthDecisions decisions;
    private volatile MfaAuthHookConfig config = MfaAuthHookConfig.parse(dev.tollgate.core.config.Parameters.empty());

    @Inject
    public MfaAuthHook(MfaService mfa, UsersRepository users, AuthDecisions decisions) {
        this(mfa, users, OAuthTokenVerifier.JAMES, decisions);
    }

    public MfaAuthHook(MfaService mfa, UsersRepository users) {
        this(mfa, users, OAuthTokenVerifier.JAMES);
    }

    MfaAuthHook(MfaService mfa, UsersRepository users, OAuthTokenVerifier verifier) {
        this(mfa, users, verifier, new AuthDecisions(dev.tollgate.core.audit.Metrics.NONE));
    }

    MfaAuthHook(MfaService mfa, UsersRepository users, OAuthTokenVerifier verifier, AuthDecisions decisions) {
        this.mfa = mfa;
        this.users = users;
        this.oauth = new OAuthExchange(mfa, users, verifier);
        this.decisions = decisions;
    }

    private static HookResult deny(String code, String text) {
        return HookResult.builder().hookReturnCode(HookReturnCode.deny()).smtpReturnCode(code).smtpDescription(text)
                .build();
    }

    @Override
    public void init(Configuration configuration) throws ConfigurationException {
        MfaAuthHookConfig parsed = ComponentInit.handler(this, configuration, MfaAuthHookConfig::parse);
        if (parsed.oauth() == MfaAuthHookConfig.OAuth.MFA_CLAIM && parsed.oauthAudience().isEmpty()) {
            LOGGER.info("MfaAuthHook: parameter 'oauthAudience' is not set: OAUTHBEARER/XOAUTH2 are refused");
        }
        this.config = parsed;
    }

    /** @return the configuration in use */
    public MfaAuthHookConfig config() {
        return config;
    }

    @Override
    public HookResult doAuth(SMTPSession session, Username username, String password) {
        MfaAuthHookConfig c = config;
        if (c.requireTls() && !SmtpSessions.overTls(session)) {
            LOGGER.info("MFA: AUTH before TLS refused for {}", username.asString());
            decisions.record("smtp", "none", "tls_required", username.asString(), SmtpSessions.clientIp(session), false);
            return TLS_REQUIRED;
        }
        String user = username.asString();
        String ip = SmtpSessions.clientIp(session);
        boolean required = mfa.config().policies().forUser(user).requiresEnrollment(mfa.today());
        MfaService.AuthResult result;
        try (dev.tollgate.core.audit.Metrics.Timer t = decisions.time("smtp")) {
            result = mfa.authenticate(user, password, ip, (u, p) -> users.test(Username.of(u), p), required);
        }
        decisions.record("smtp", user, ip, result);
        switch (result.outcome()) {
            case SUCCESS:
                MfaService.Method method = result.method().get();
                session.setUsername(username);
                session.setRelayingAllowed(true);
                if (method.isMfa()) {
                    session.setAttachment(MfaSessionKeys.METHOD, method.token(), ProtocolSession.State.Connection);
                } else {
                    session.removeAttachment(MfaSessionKeys.METHOD, ProtocolSession.State.Connection);
                }
                LOGGER.info("MFA: AUTH ok for {} by {} from {}", user, method.token(), ip);
                return AUTHENTICATED;
            case ENROLLMENT_REQUIRED:
                LOGGER.info("MFA: AUTH refused for {} from {}: not enrolled, policy requires MFA", user, ip);
                return ENROLLMENT_REQUIRED;
            case THROTTLED:
                LOGGER.info("MFA: AUTH refused for {} from {}: throttled for {} ms", user, ip, result.retryAfter().toMillis());
                return TRY_LATER;
            case UNAVAILABLE:
                return TRY_LATER;
            default:
                LOGGER.info("MFA: AUTH failed for {} from {}", user, ip);
                return INVALID;
        }
    }

    @Override
    public HookResult doDelegation(SMTPSession session, Username username) {
        Optional<HookResult> first = session.removeAttachment(DELEGATION_ANSWER, ProtocolSession.State.Connection);
        if (first.isPresent()) {
            return first.get();
        }
        HookResult answer = refuseEmptyPassword(session, username);
        session.setAttachment(DELEGATION_ANSWER, answer, ProtocolSession.State.Connection);
        return answer;
    }

    private HookResult refuseEmptyPassword(SMTPSession session, Username username) {
        if (config.requireTls() && !SmtpSessions.overTls(session)) {
            return TLS_REQUIRED;
        }
        String ip = SmtpSessions.clientIp(session);
        boolean user;
        try {
            user = users.contains(username);
        } catch (UsersRepositoryException | RuntimeException e) {
            LOGGER.error("MFA: user base unavailable for AUTH from {}: {}", ip, e.getClass().getName());
            return TRY_LATER;
        }
        // Not a user: most likely the password of a client that left the user name empty (\0\0secret). It is
        // neither logged nor kept as a throttle key, and the reply is not 535, on which James itself would log it.
        String key = user ? username.asString() : NO_USER;
        if (mfa.throttled(key, ip).isPresent()) {
            LOGGER.info("MFA: AUTH refused for {} from {}: throttled", user ? key : "(not a user)", ip);
            return TRY_LATER;
        }
        mfa.recordFailure(key, ip);
        if (!user) {
            LOGGER.info("MFA: AUTH failed for (not a user) from {}: user name or password missing", ip);
            return NAME_AND_PASSWORD_NEEDED;
        }
        LOGGER.info("MFA: AUTH failed for {} from {}: empty password", key, ip);
        return INVALID;
    }

    @Override
    public HookResult doSasl(SMTPSession session, OidcSASLConfiguration configuration, String initialResponse) {
        MfaAuthHookConfig c = config;
        if (c.requireTls() && !SmtpSessions.overTls(session)) {
            return TLS_REQUIRED;
        }
        switch (c.oauth()) {
            case PASS:
                session.removeAttachment(MfaSessionKeys.METHOD, ProtocolSession.State.Connection);
                return HookResult.DECLINED;
            case MFA_CLAIM:
                if (!c.oauthAudience().isEmpty()) {
                    return oauth.start(session, c, configuration, initialResponse);
                }
                LOGGER.warn("MfaAuthHook: parameter 'oauthAudience' is not set: OAuth refused");
                return OAUTH_REFUSED;
            default:
                return OAUTH_REFUSED;
        }
    }

}
