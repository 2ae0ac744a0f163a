package dev.tollgate.core.mfa;

/** The protocols an {@link AppPassword} may be used for. */
public enum AppPasswordScope {
    /** SMTP submission (RFC 6409) with AUTH (RFC 4954). */
    SMTP,
    /** IMAP (RFC 9051) LOGIN / AUTHENTICATE. */
    IMAP
}
