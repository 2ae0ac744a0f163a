/**
 * DLP policy: the policy file ({@link dev.tollgate.core.dlp.policy.PolicyParser}), its evaluation for
 * one mail ({@link dev.tollgate.core.dlp.policy.PolicyEvaluator} to a
 * {@link dev.tollgate.core.dlp.policy.Decision} with per-recipient verdicts), reloading
 * ({@link dev.tollgate.core.dlp.policy.PolicySource}) and the audit line.
 */
package dev.tollgate.core.dlp.policy;
