package dev.tollgate.core.tls;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The outcome of a {@link DaneLookup}. Immutable. */
public final class DaneLookupResult {
    /** DNSSEC status of the destination (RFC 7672 §2.1, §2.2). */
    public enum Status {
        /** Validated MX and TLSA RRsets; TLSA records found for at least one MX host. */
        SECURE_WITH_TLSA,
        /** Validated answers, but no MX host publishes TLSA records. */
        SECURE_NO_TLSA,
        /** The zone is not signed (provably insecure): DANE does not apply. */
        INSECURE,
        /** SERVFAIL, timeout or bogus (failed validation) answers: the DANE status is unknown. */
        LOOKUP_FAILURE
    }

    private static final DaneLookupResult SECURE_NO_TLSA = new DaneLookupResult(Status.SECURE_NO_TLSA, Map.of());
    private static final DaneLookupResult INSECURE = new DaneLookupResult(Status.INSECURE, Map.of());
    private static final DaneLookupResult LOOKUP_FAILURE = new DaneLookupResult(Status.LOOKUP_FAILURE, Map.of());

    private final Status status;
    private final Map<String, List<TlsaRecord>> tlsaByMxHost;

    private DaneLookupResult(Status status, Map<String, List<TlsaRecord>> tlsaByMxHost) {
        this.status = status;
        this.tlsaByMxHost = tlsaByMxHost;
    }

    /**
     * @param tlsaByMxHost TLSA RRsets keyed by MX host name (A-labels); at least one non-empty RRset
     * @throws IllegalArgumentException when no RRset is given
     */
    public static DaneLookupResult secureWithTlsa(Map<String, List<TlsaRecord>> tlsaByMxHost) {
        Map<String, List<TlsaRecord>> copy = new LinkedHashMap<>();
        tlsaByMxHost.forEach((host, records) -> {
            if (!records.isEmpty()) {
                copy.put(DomainNames.toAscii(host), List.copyOf(records));
            }
        });
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("secureWithTlsa needs at least one TLSA record");
        }
        return new DaneLookupResult(Status.SECURE_WITH_TLSA, Collections.unmodifiableMap(copy));
    }

    /** @return validated answers without TLSA records */
    public static DaneLookupResult secureNoTlsa() {
        return SECURE_NO_TLSA;
    }

    /** @return an unsigned destination */
    public static DaneLookupResult insecure() {
        return INSECURE;
    }

    /** @return a failed or bogus lookup */
    public static DaneLookupResult lookupFailure() {
        return LOOKUP_FAILURE;
    }

    /** @return the status */
    public Status status() {
        return status;
    }

    /** @return TLSA RRsets by MX host (A-labels); empty unless {@link Status#SECURE_WITH_TLSA} */
    public Map<String, List<TlsaRecord>> tlsaByMxHost() {
        return tlsaByMxHost;
    }

    /** @return true when at least one record is usable for SMTP ({@link TlsaRecord#isUsable()}) */
    public boolean hasUsableTlsa() {
        for (List<TlsaRecord> records : tlsaByMxHost.values()) {
            for (TlsaRecord r : records) {
                if (r.isUsable()) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DaneLookupResult && status == ((DaneLookupResult) o).status
                && tlsaByMxHost.equals(((DaneLookupResult) o).tlsaByMxHost);
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, tlsaByMxHost);
    }

    @Override
    public String toString() {
        return "DaneLookupResult[" + status + ", " + tlsaByMxHost.keySet() + "]";
    }
}
