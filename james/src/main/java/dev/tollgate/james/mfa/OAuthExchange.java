package dev.tollgate.james.mfa;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.james.core.Username;
import org.apache.james.protocols.api.OidcSASLConfiguration;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.LineHandler;
import org.apache.james.protocols.smtp.SMTPResponse;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.api.UsersRepositoryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tollgate.core.mfa.MfaService;
import dev.tollgate.core.mfa.OAuthTokenClaims;
import dev.tollgate.james.transport.SmtpSessions;

/**
 * OAUTHBEARER / XOAUTH2 (RFC 7628) decided by {@link MfaAuthHook} itself, with replies James 3.8.1 passes on.
 *
 * <p>James's {@code AuthCmdHandler} drops every SASL hook answer whose code is 535 and then takes the next
 * hook's answer, so a plain 535 DENY would let James's own hook accept the token. Failures therefore follow
 * RFC 7628 §3.2.2: a {@code 334} challenge carrying the JSON error status, and the final reply to the client's
 * dummy response from a pushed line handler, which James does not filter:
 * <ul>
 *   <li>{@code 535 5.7.8} (status {@code invalid_token}): bad signature, unknown key, expired or not yet valid,
 *       wrong issuer or audience, user claim different from the identity asked for, unknown user. Counted
 *       towards the throttle of that identity and of the client address.</li>
 *   <li>{@code 534 5.7.9} (RFC 4954 §6 "mechanism too weak"; status {@code insufficient_user_authentication},
 *       RFC 9470 §3): a valid token whose {@code amr}/{@code acr} shows no second factor. Not counted.</li>
 * </ul>
 * Immediate replies: {@code 501 5.5.2} for an initial response that is not Base64 or not one of the accepted
 * forms ({@link OAuthInitialResponse}); {@code 454 4.7.0} while throttled or when the key set, an endpoint or
 * the user base is unavailable; {@code 235 2.7.0} on success (session user, relaying, method {@code oauth-mfa}).
 * Without an initial response the server sends an empty {@code 334 } challenge and reads it on the next line
 * (RFC 4954 §4); {@code *} cancels with {@code 501} there and after an error challenge.
 *
 * <p>Nothing logged contains the token. Stateless apart from its collaborators; thread-safe.
 */
final class OAuthExchange {
    private static final Logger LOGGER = LoggerFactory.getLogger(OAuthExchange.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    static final HookResult MALFORMED = result(HookReturnCode.deny(), "501", "5.5.2 Malformed OAuth initial response");
    static final Response ABORTED = new SMTPResponse("501", "5.7.0 Authentication aborted").immutable();
    static final Response INVALID_TOKEN = new SMTPResponse("535", "5.7.8 Authentication credentials invalid").immutable();
    static final Response NO_MFA = new SMTPResponse("534",
            "5.7.9 Authentication mechanism is too weak: the token does not show two-step verification (amr/acr)")
            .immutable();
    /** Active (so James sends it) but not a decision: the exchange goes on. */
    private static final HookReturnCode CONTINUE = HookReturnCode.denySoft();

    private final MfaService mfa;
    private final UsersRepository users;
    private final OAuthTokenVerifier verifier;

    OAuthExchange(MfaService mfa, UsersRepository users, OAuthTokenVerifier verifier) {
        this.mfa = mfa;
        this.users = users;
        this.verifier = verifier;
    }

    /**
     * @param initialResponse the Base64 initial response, or null when the client sent none
     * @return the reply to {@code AUTH}; a {@code 334} reply leaves a line handler on the session
     */
    HookResult start(SMTPSession session, MfaAuthHookConfig config, OidcSASLConfiguration oidc, String initialResponse) {
        if (initialResponse == null) {
            session.pushLineHandler((LineHandler<SMTPSession>) (s, line) -> {
                s.popLineHandler();
                String text = new String(line, StandardCharsets.US_ASCII).strip();
                return text.equals("*") ? ABORTED : response(evaluate(s, config, oidc, text));
            });
            return result(CONTINUE, "334", "");
        }
        return evaluate(session, config, oidc, initialResponse);
    }

    private HookResult evaluate(SMTPSession session, MfaAuthHookConfig config, OidcSASLConfiguration oidc, String text) {
        Optional<OAuthInitialResponse> parsed = OAuthInitialResponse.parse(text);
        String ip = SmtpSessions.clientIp(session);
        if (parsed.isEmpty()) {
            LOGGER.info("MFA: OAuth refused from {}: malformed initial response", ip);
            return MALFORMED;
        }
        String user = parsed.get().user().asString();
        if (mfa.throttled(user, ip).isPresent()) {
            LOGGER.info("MFA: OAuth refused for {} from {}: throttled", user, ip);
            return MfaAuthHook.TRY_LATER;
        }
        Optional<String> verifiedUser;
        try {
            verifiedUser = verifier.verify(parsed.get().token(), oidc);
        } catch (OAuthTokenVerifier.Unavailable e) {
            LOGGER.error("MFA: OAuth for {} from {} not checked: {}", user, ip, e.getMessage());
            return MfaAuthHook.TRY_LATER;
        }
        OAuthTokenClaims.Verdict verdict;
        try {
            verdict = judge(parsed.get(), verifiedUser, config);
        } catch (UsersRepositoryException e) {
            LOGGER.error("MFA: user base unavailable for OAuth of {}: {}", user, e.getClass().getName());
            return MfaAuthHook.TRY_LATER;
        }
        if (verdict.countsAsFailure()) {
            LOGGER.info("MFA: OAuth failed for {} from {}: {}", user, ip, verdict);
            mfa.recordFailure(user, ip);
            return fail(session, oidc, "invalid_token", INVALID_TOKEN);
        }
        if (verdict == OAuthTokenClaims.Verdict.NO_MFA) {
            LOGGER.info("MFA: OAuth refused for {} from {}: the token shows no second factor (amr/acr)", user, ip);
            return fail(session, oidc, "insufficient_user_authentication", NO_MFA);
        }
        session.setUsername(parsed.get().user());
        session.setRelayingAllowed(true);
        session.setAttachment(MfaSessionKeys.METHOD, MfaAuthHook.OAUTH_MFA, ProtocolSession.State.Connection);
        mfa.recordSuccess(user, ip);
        LOGGER.info("MFA: AUTH ok for {} by {} from {}", user, MfaAuthHook.OAUTH_MFA, ip);
        return MfaAuthHook.AUTHENTICATED;
    }

    /** Checks in order: verification, user claim, claims (lifetime, issuer, audience), user exists, MFA claim. */
    private OAuthTokenClaims.Verdict judge(OAuthInitialResponse parsed, Optional<String> verifiedUser,
            MfaAuthHookConfig config) throws UsersRepositoryException {
        if (verifiedUser.isEmpty()) {
            return OAuthTokenClaims.Verdict.NOT_VERIFIED;
        }
        if (!sameUser(verifiedUser.get(), parsed.user())) {
            return OAuthTokenClaims.Verdict.USER_MISMATCH;
        }
        OAuthTokenClaims.Verdict verdict = OAuthTokenClaims.payload(parsed.token())
                .map(claims -> OAuthTokenClaims.check(claims, config, mfa.now()))
                .orElse(OAuthTokenClaims.Verdict.MALFORMED);
        if (!verdict.countsAsFailure() && !users.contains(parsed.user())) {
            return OAuthTokenClaims.Verdict.UNKNOWN_USER;
        }
        return verdict;
    }

    private static boolean sameUser(String claim, Username asked) {
        try {
            return Username.of(claim).equals(asked);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** RFC 7628 §3.2.2: the error status as a challenge; the client's dummy response gets {@code last}. */
    private static HookResult fail(SMTPSession session, OidcSASLConfiguration oidc, String status, Response last) {
        ObjectNode error = JSON.createObjectNode().put("status", status);
        if (oidc != null) {
            error.put("scope", oidc.getScope()).put("openid-configuration", oidc.getOidcConfigurationURL().toString());
        }
        session.pushLineHandler((LineHandler<SMTPSession>) (s, line) -> {
            s.popLineHandler();
            return new String(line, StandardCharsets.US_ASCII).strip().equals("*") ? ABORTED : last;
        });
        return result(HookReturnCode.deny(), "334",
                Base64.getEncoder().encodeToString(error.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static Response response(HookResult result) {
        return new SMTPResponse(result.getSmtpRetCode(), result.getSmtpDescription());
    }

    private static HookResult result(HookReturnCode code, String reply, String text) {
        return HookResult.builder().hookReturnCode(code).smtpReturnCode(reply).smtpDescription(text).build();
    }
}
