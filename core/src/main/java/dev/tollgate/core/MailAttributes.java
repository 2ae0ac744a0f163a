package dev.tollgate.core;

/**
 * Names of the mail attributes Tollgate sets and reads. Values are restricted to James's built-in
 * {@code AttributeValue} types (Boolean, Integer, String) so they survive James's mail queue serialization.
 */
public final class MailAttributes {
    private MailAttributes() {
    }

    /** Boolean: whether the SMTP session that received the mail had TLS active (STARTTLS or implicit TLS). */
    public static final String SMTP_TLS = "dev.tollgate.smtp.tls";
    /** String: the TLS protocol of that session, e.g. {@code TLSv1.3}; absent when not TLS or unknown. */
    public static final String SMTP_TLS_PROTOCOL = "dev.tollgate.smtp.tlsProtocol";
    /** String: the TLS cipher suite of that session; absent when not TLS or unknown. */
    public static final String SMTP_TLS_CIPHER = "dev.tollgate.smtp.tlsCipher";
    /** Integer: the local TCP port the SMTP session was accepted on (e.g. 25, 465, 587). */
    public static final String SMTP_LOCAL_PORT = "dev.tollgate.smtp.localPort";
    /** String: the SMTP AUTH identity of the session; absent when the session did not authenticate. */
    public static final String SMTP_AUTH_USER = "dev.tollgate.smtp.authUser";
    /**
     * String: how the SMTP AUTH of the session was backed by a second factor: {@code totp} (password
     * followed by a TOTP code), {@code app-password} or {@code oauth-mfa} (OAuth token with an MFA claim); absent when the session did not authenticate with MFA.
     * Set by {@code SessionFactsHook} from what {@code MfaAuthHook} recorded; never holds a secret.
     */
    public static final String MFA_METHOD = "dev.tollgate.mfa.method";
    /**
     * Boolean: the mail arrived with the {@code REQUIRETLS} MAIL FROM parameter (RFC 8689 §2) over a TLS
     * session; set by {@code RequireTlsExtension}, absent otherwise. Delivery then requires verified TLS to a
     * next hop that offers REQUIRETLS itself (RFC 8689 §4.2).
     */
    public static final String REQUIRETLS = "dev.tollgate.smtp.requiretls";

    /** String: the worst link verdict of the message, {@code clean}, {@code suspicious} or {@code malicious}. */
    public static final String LINKS_VERDICT = "dev.tollgate.links.verdict";
    /** Integer: how many links were found. */
    public static final String LINKS_COUNT = "dev.tollgate.links.count";
    /** Integer: how many links were rewritten to the redirector. */
    public static final String LINKS_REWRITTEN = "dev.tollgate.links.rewritten";
    /** String: the distinct reasons of non-clean findings, comma-separated (e.g. {@code BLOCKLISTED,USERINFO}). */
    public static final String LINKS_REASONS = "dev.tollgate.links.reasons";
    /**
     * Integer: how many parts' links RewriteLinks could not read at all (too large, unknown charset, over a limit),
     * so they reach the reader neither scanned nor rewritten; written in {@code enforce} mode only.
     */
    public static final String LINKS_UNEXAMINED = "dev.tollgate.links.unexamined";
    /**
     * The mail's {@code dev.tollgate.core.mime.PartCache} (decoded bodies, parsed HTML), shared by the DLP and
     * link components; not serialisable, so a mail James stores or queues simply arrives without it.
     */
    public static final String PART_CACHE = "dev.tollgate.partCache";
}
