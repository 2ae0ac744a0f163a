package dev.tollgate.core.tls;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of {@link DaneTlsaMatcher#match}: the peer matched a TLSA record, did not match, or
 * there was no usable record to match against. Immutable.
 */
public final class DaneMatchResult {
    /** The kind of outcome. */
    public enum Status {
        /** A usable record authenticated the peer. */
        MATCH,
        /** Usable records exist but none authenticated the peer; see {@link #failure()}. */
        MISMATCH,
        /** The RRset holds no usable record (RFC 7672 §3.1.3); DANE does not apply. */
        NO_USABLE_RECORDS
    }

    private final Status status;
    private final TlsaRecord matched;
    private final TlsFailureReason failure;
    private final String detail;

    private DaneMatchResult(Status status, TlsaRecord matched, TlsFailureReason failure, String detail) {
        this.status = status;
        this.matched = matched;
        this.failure = failure;
        this.detail = Objects.requireNonNull(detail);
    }

    static DaneMatchResult match(TlsaRecord record, String detail) {
        return new DaneMatchResult(Status.MATCH, record, null, detail);
    }

    static DaneMatchResult mismatch(TlsFailureReason reason, String detail) {
        return new DaneMatchResult(Status.MISMATCH, null, reason, detail);
    }

    static DaneMatchResult noUsableRecords(TlsFailureReason reason, String detail) {
        return new DaneMatchResult(Status.NO_USABLE_RECORDS, null, reason, detail);
    }

    /** @return the outcome kind */
    public Status status() {
        return status;
    }

    /** @return true when the peer is authenticated */
    public boolean isMatch() {
        return status == Status.MATCH;
    }

    /** @return the record that matched, for {@link Status#MATCH} */
    public Optional<TlsaRecord> matchedRecord() {
        return Optional.ofNullable(matched);
    }

    /**
     * @return for {@link Status#MISMATCH}: {@link TlsFailureReason#DANE_MISMATCH},
     *     {@link TlsFailureReason#CERTIFICATE_HOST_MISMATCH}, {@link TlsFailureReason#CERTIFICATE_EXPIRED}
     *     or {@link TlsFailureReason#VALIDATION_FAILURE}; for {@link Status#NO_USABLE_RECORDS}:
     *     {@link TlsFailureReason#TLSA_INVALID} (records present, none usable) or
     *     {@link TlsFailureReason#DANE_REQUIRED} (no records); empty on a match
     */
    public Optional<TlsFailureReason> failure() {
        return Optional.ofNullable(failure);
    }

    /** @return a short explanation for logs and the CLI; contains no key material */
    public String detail() {
        return detail;
    }

    @Override
    public String toString() {
        return "DaneMatchResult[" + status + (failure != null ? ", " + failure : "") + ", " + detail + "]";
    }
}
