package dev.tollgate.core.audit;

import java.util.List;

/**
 * Every base name Tollgate reports through {@link Metrics}: {@code tollgate_<capability>_<what>}, then the
 * label-like parts named on each constant, colon-separated ({@link Metrics#name}). One table of these is
 * in {@code docs/operations.md}; a test keeps the two in step.
 */
public final class MetricNames {
    private MetricNames() {
    }

    /** Counter {@code :<protocol>:<method>:<result>}: one per authentication decision (see {@link #AUTH_RESULTS}). */
    public static final String MFA_AUTH = "tollgate_mfa_auth";
    /** Timer {@code :<protocol>}: one authentication check, from the credential to the decision. */
    public static final String MFA_AUTH_CHECK = "tollgate_mfa_auth_check";
    /** Counter {@code :<protocol>}: a user or client address entered a lockout after repeated failures. */
    public static final String MFA_LOCKOUTS = "tollgate_mfa_lockouts";

    /** Counter {@code :<action>}: one per mail scanned, its strongest action ({@code allow}, {@code quarantine}...). */
    public static final String DLP_DECISION = "tollgate_dlp_decision";
    /** Counter {@code :<rule id>:<action>}: one per rule that matched a mail. */
    public static final String DLP_RULE = "tollgate_dlp_rule";
    /** Counter {@code :<reason>}: one per part that could not be examined ({@code time_limit}, {@code encrypted}...). */
    public static final String DLP_UNSCANNABLE = "tollgate_dlp_unscannable";
    /** Timer: the DLP scan of one mail (extraction, detectors, policy). */
    public static final String DLP_SCAN = "tollgate_dlp_scan";
    /** Timer: one document through an extractor worker. */
    public static final String DLP_EXTRACTION = "tollgate_dlp_extraction";
    /** Counter {@code :<event>}: extractor worker {@code start}, {@code timeout} (killed), {@code crash}, {@code recycle}. */
    public static final String DLP_WORKER = "tollgate_dlp_worker";

    /** Counter {@code :<level>}: one per link scanned when a mail is rewritten ({@code clean}, {@code suspicious}, {@code malicious}). */
    public static final String LINKS_VERDICT = "tollgate_links_verdict";
    /** Counter {@code :<reason>}: one per finding on a scanned link ({@code blocklisted_host}, {@code homograph}...). */
    public static final String LINKS_FINDING = "tollgate_links_finding";
    /** Counter: links rewritten to the redirector. */
    public static final String LINKS_REWRITTEN = "tollgate_links_rewritten";
    /** Timer: link scanning and rewriting of one mail. */
    public static final String LINKS_REWRITE = "tollgate_links_rewrite";
    /** Counter {@code :<outcome>}: one per click on the redirector (see {@link #CLICK_OUTCOMES}). */
    public static final String LINKS_CLICK = "tollgate_links_click";

    /** Counter {@code :<level>:<outcome>}: one per delivery attempt; outcome {@code sent}, a TLS failure code, {@code temporary} or {@code permanent}. */
    public static final String TLS_DELIVERY = "tollgate_tls_delivery";
    /** Counter {@code :<result type>}: one per TLS failure, by its RFC 8460 result type. */
    public static final String TLS_FAILURE = "tollgate_tls_failure";
    /** Timer: one delivery attempt to one destination domain. */
    public static final String TLS_DELIVERY_ATTEMPT = "tollgate_tls_delivery_attempt";
    /** Counter {@code :<result>}: MTA-STS policy fetches ({@code ok}, {@code error}). */
    public static final String TLS_MTASTS_FETCH = "tollgate_tls_mtasts_fetch";
    /** Counter {@code :<result>}: DANE TLSA lookups ({@code secure}, {@code insecure}, {@code none}, {@code bogus}, {@code error}). */
    public static final String TLS_DANE_LOOKUP = "tollgate_tls_dane_lookup";
    /** Gauge: mails waiting in the delivery queue of {@code TlsPolicyDelivery}. */
    public static final String TLS_QUEUE_SIZE = "tollgate_tls_queue_size";

    /** Protocols of {@link #MFA_AUTH}. */
    public static final List<String> AUTH_PROTOCOLS = List.of("smtp", "imap");
    /** Methods of {@link #MFA_AUTH}: what was given (or, for a refusal before any check, {@code none}). */
    public static final List<String> AUTH_METHODS = List.of("password", "totp", "app_password", "oauth", "none");
    /** Results of {@link #MFA_AUTH}. */
    public static final List<String> AUTH_RESULTS = List.of("pass", "bad_password", "missing_code", "bad_code",
            "replay", "locked", "backoff", "enrollment_required", "store_error", "bad_token", "tls_required");
    /** Outcomes of {@link #LINKS_CLICK}. */
    public static final List<String> CLICK_OUTCOMES = List.of("allowed", "warned", "blocked", "continued", "tampered",
            "expired");
}
