package dev.tollgate.core.links;

import javax.mail.internet.MimeMessage;

/**
 * Verifies the DKIM signatures of a message (RFC 6376 §6). {@link MessageLinkRewriter} leaves a message's links
 * alone only when a signature actually verifies: a forged, tampered, unverifiable or missing signature
 * must not protect a message from link rewriting.
 *
 * <p>Implementations must be thread-safe, bound their work (DNS timeouts) and never throw: any failure is
 * a {@link Result} that is not {@link Result#verified()}.
 */
@FunctionalInterface
public interface DkimCheck {
    /** The outcome of checking a message's DKIM signatures. */
    final class Result {
        private final boolean verified;
        private final String detail;

        private Result(boolean verified, String detail) {
            this.verified = verified;
            this.detail = detail;
        }

        /** @param detail e.g. {@code d=example.com s=sel1}; @return a signature verified */
        public static Result verified(String detail) {
            return new Result(true, detail);
        }

        /** @param reason why no signature verified, e.g. {@code no key record for s1._domainkey.example.com}; @return a failure */
        public static Result failed(String reason) {
            return new Result(false, reason);
        }

        /** @return true only when at least one DKIM-Signature verified */
        public boolean verified() {
            return verified;
        }

        /** @return the verified signature (domain, selector) or the reason none verified; never null */
        public String detail() {
            return detail;
        }

        @Override
        public String toString() {
            return (verified ? "verified " : "not verified: ") + detail;
        }
    }

    /** A check that verifies nothing: every signed message is treated as unverified (fail closed). */
    DkimCheck NONE = message -> Result.failed("no DKIM verifier configured");

    /**
     * @param message a message carrying at least one {@code DKIM-Signature} header
     * @return whether one of its signatures verified, with the detail to log; never throws
     */
    Result check(MimeMessage message);
}
