package dev.tollgate.core.dlp;

/**
 * Category of sensitive data a {@link Detector} looks for. Used to pick {@link ContextRule}s and
 * to group findings in policy decisions.
 */
public enum DetectorType {
    /** Payment card primary account numbers (ISO/IEC 7812-1). */
    PAYMENT_CARD,
    /** International bank account numbers (ISO 13616). */
    IBAN,
    /** US Social Security numbers (SSA numbering rules). */
    US_SSN,
    /** UK National Insurance numbers (HMRC format). */
    UK_NINO,
    /** Private key material (PEM, OpenSSH, PuTTY). */
    PRIVATE_KEY,
    /** Cloud / SaaS access credentials (AWS, GitHub, Slack, Google, Stripe). */
    CLOUD_CREDENTIAL,
    /** Values from an administrator-supplied list (exact data match). */
    EXACT_DATA
}
