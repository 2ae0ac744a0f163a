package dev.tollgate.core.state;

/**
 * Everything Tollgate keeps that several James nodes must share: MFA's sealed enrolments, TOTP replay watermarks,
 * authentication failures and app-password uses; TLS delivery's MTA-STS policy cache, TLS-RPT counts and report
 * leases; link protection's signing keys. One instance per process; its backend is chosen by
 * {@code conf/tollgate-state.properties} ({@link StateConfig}): {@code memory} (tests), {@code file} (one node,
 * the default), {@code cassandra} (a cluster). Every operation either completes against the shared store or
 * throws {@link StateException}; no backend answers from a stale local copy. Thread-safe.
 */
public interface StateStore extends AutoCloseable {
    /** @return the sealed enrolment records */
    SealedRecords records();

    /** @return the replay watermarks */
    ReplayWatermarks watermarks();

    /** @return the authentication failures */
    FailureLog failures();

    /** @return the app-password uses */
    AppPasswordUses appPasswordUses();

    /** @return the link-signing key ring */
    LinkKeyStore linkKeys();
    /** @return the MTA-STS policy cache (RFC 8461) every node shares */
    MtaStsPolicies mtaStsPolicies();

    /** @return the TLS-RPT counts and report leases (RFC 8460) every node shares */
    TlsRptCounters tlsRptCounters();

    /** @return a short description naming the backend and where it is, for log lines; never a credential */
    String describe();

    /** Releases what the store opened (a session it created; not one it was given). */
    @Override
    void close();
}
