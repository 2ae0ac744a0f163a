/**
 * Outbound data loss prevention (DLP) detectors over text.
 *
 * <p>Entry point: {@link dev.tollgate.core.dlp.TextScanner}, built with a fluent builder from
 * validating detectors — {@link dev.tollgate.core.dlp.PaymentCardDetector} (IIN ranges + Luhn,
 * ISO/IEC 7812-1), {@link dev.tollgate.core.dlp.IbanDetector} (ISO 13616, MOD 97-10),
 * {@link dev.tollgate.core.dlp.UsSsnDetector}, {@link dev.tollgate.core.dlp.UkNinoDetector},
 * {@link dev.tollgate.core.dlp.PrivateKeyDetector}, {@link dev.tollgate.core.dlp.CloudCredentialDetector}
 * and {@link dev.tollgate.core.dlp.ExactDataMatch} (salted digests of an admin list) — plus
 * {@link dev.tollgate.core.dlp.ContextRule}s that adjust {@link dev.tollgate.core.dlp.Confidence}
 * from nearby keywords.
 *
 * <p>Design: one left-to-right pass; detectors are asked only at word starts whose first three
 * chars pass a table-driven pre-filter, and each validates a bounded window, so work is linear
 * in the input and there are no regular expressions. Findings never contain the matched value,
 * only a masked sample. Everything here is immutable and thread-safe.
 */
package dev.tollgate.core.dlp;
