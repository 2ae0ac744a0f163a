package dev.tollgate.james.mfa;

import javax.inject.Inject;

import dev.tollgate.core.audit.AuditEvent;
import dev.tollgate.core.audit.AuditLog;
import dev.tollgate.core.audit.MetricNames;
import dev.tollgate.core.audit.Metrics;
import dev.tollgate.core.mfa.MfaService;
import dev.tollgate.james.ops.JamesMetrics;

/**
 * Records one authentication decision of any protocol (SMTP AUTH, IMAP LOGIN/AUTHENTICATE): the counter
 * {@code tollgate_mfa_auth:<protocol>:<method>:<result>}, {@code tollgate_mfa_lockouts:<protocol>} when a
 * lockout starts, and one audit line. The method is the one that succeeded; for a refusal, the one the
 * credential was checked as ({@code totp} for a wrong, missing or replayed code, {@code password} for a wrong
 * password or a missing enrolment, {@code none} when nothing was checked). No credential is ever passed in.
 * Thread-safe.
 */
public class AuthDecisions {
    private final Metrics metrics;

    @Inject
    public AuthDecisions(JamesMetrics metrics) {
        this((Metrics) metrics);
    }

    /** @param metrics where counters go ({@link Metrics#NONE} in tests) */
    public AuthDecisions(Metrics metrics) {
        this.metrics = metrics;
        for (String protocol : MetricNames.AUTH_PROTOCOLS) {
            for (String[] mr : REGISTERED) {
                metrics.register(Metrics.name(MetricNames.MFA_AUTH, protocol, mr[0], mr[1]));
            }
            metrics.register(Metrics.name(MetricNames.MFA_LOCKOUTS, protocol));
        }
    }

    /** Method and result pairs exported at zero from startup (the dashboard's series). */
    static final String[][] REGISTERED = {{"totp", "pass"}, {"app_password", "pass"}, {"password", "pass"},
        {"totp", "replay"}, {"totp", "bad_code"}, {"totp", "missing_code"},
        {"password", "bad_password"}, {"password", "enrollment_required"}, {"none", "locked"}, {"none", "backoff"},
        {"none", "store_error"}, {"none", "tls_required"}};

    /** @return the timer of one check; close it when the decision is made */
    public Metrics.Timer time(String protocol) {
        return metrics.timer(Metrics.name(MetricNames.MFA_AUTH_CHECK, protocol));
    }

    /**
     * @param protocol {@code smtp} or {@code imap}
     * @param user     the authentication identity as given
     * @param client   the client IP address, or null
     * @param result   what {@link MfaService#authenticate} decided
     */
    public void record(String protocol, String user, String client, MfaService.AuthResult result) {
        String reason = result.reason();
        String method = result.method().map(MfaService.Method::token).orElseGet(() -> attempted(reason));
        record(protocol, method, reason, user, client, result.lockoutStarted());
    }

    /**
     * Records a decision made outside {@link MfaService#authenticate} (TLS missing, an OAuth token).
     *
     * @param method one of {@link MetricNames#AUTH_METHODS}
     * @param reason one of {@link MetricNames#AUTH_RESULTS}
     */
    public void record(String protocol, String method, String reason, String user, String client, boolean lockoutStarted) {
        metrics.increment(MetricNames.MFA_AUTH, protocol, method, reason);
        if (lockoutStarted) {
            metrics.increment(MetricNames.MFA_LOCKOUTS, protocol);
        }
        String decision = "pass".equals(reason) ? "pass"
                : "locked".equals(reason) || "backoff".equals(reason) || "store_error".equals(reason) ? "defer" : "refuse";
        AuditLog.write(AuditEvent.of("mfa", decision).user(user).client(client).reason(reason)
                .detail("protocol", protocol).detail("method", Metrics.part(method))
                .detail("lockout_started", lockoutStarted));
    }

    private static String attempted(String reason) {
        switch (reason) {
            case "missing_code":
            case "bad_code":
            case "replay":
                return "totp";
            case "bad_password":
            case "enrollment_required":
                return "password";
            default:
                return "none";
        }
    }
}
