package dev.tollgate.core.mfa;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.Lock;

import com.google.common.util.concurrent.Striped;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tollgate.core.state.AppPasswordUse;
import dev.tollgate.core.state.AppPasswordUses;
import dev.tollgate.core.state.ReplayWatermarks;
import dev.tollgate.core.state.StateException;
import dev.tollgate.core.state.StateStore;
import dev.tollgate.core.state.memory.InMemoryStateStore;


/**
 * The one MFA service of a James process, shared by every {@code MfaAuthHook} instance (one per
 * {@code <smtpserver>}), the IMAP login processors of {@code MfaImapPackage} and the WebAdmin routes: it owns
 * the {@link SecretStore}, the brute-force {@link AuthThrottle} and the TOTP replay watermarks, so an attacker
 * gains nothing by spreading guesses over ports 465, 587, 143 and 993, and a code accepted on one port is a
 * replay on the others.
 *
 * <p>Bound as a Guice singleton by {@link MfaModule}. User names are keyed lower-cased ({@link Locale#ROOT}).
 * Read-modify-write of one user's record is serialised by a striped lock; the store itself is atomic per
 * record. Everything several James nodes must share lives in a {@link StateStore}: the sealed enrolments, the
 * replay watermarks (an accepted code moves the watermark by an atomic compare-and-set, so a code accepted on
 * one node is a replay on every other, RFC 6238 §5.2), the authentication failures and app-password uses. A code
 * is accepted only above both the store's watermark and the {@link MfaEnrollment#lastAcceptedStep()} of records
 * written before watermarks were kept apart. Logging in never rewrites the enrolment, so a concurrent revocation
 * on another node is never undone. When the store cannot answer, AUTH is {@link Outcome#UNAVAILABLE}: nothing is
 * accepted, nothing is counted. Nothing here logs a secret, a code or a password. Thread-safe.
 */
public final class MfaService {
    private static final Logger LOGGER = LoggerFactory.getLogger(MfaService.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Checks a user's account password (James's {@code UsersRepository.test}). */
    @FunctionalInterface
    public interface PasswordCheck {
        /**
         * @return whether {@code password} is the account password of {@code user}
         * @throws Exception when the user base cannot answer (a temporary failure, not a wrong password)
         */
        boolean test(String user, String password) throws Exception;
    }

    /** How a successful authentication was made; {@link #token()} is what the pipeline sees. */
    public enum Method {
        /** Account password followed by a TOTP code. */
        TOTP("totp"),
        /** An app password whose scopes include the protocol's ({@code smtp} or {@code imap}). */
        APP_PASSWORD("app-password"),
        /** Account password alone (user not enrolled, policy allows it): no MFA. */
        PASSWORD("password");

        private final String token;

        Method(String token) {
            this.token = token;
        }

        /** @return the lower-case token, e.g. {@code app-password} */
        public String token() {
            return token;
        }

        /** @return whether this method is a second factor */
        public boolean isMfa() {
            return this != PASSWORD;
        }
    }

    /** What {@link #authenticate} decided. */
    public enum Outcome {
        /** Authenticated; see {@link AuthResult#method()}. */
        SUCCESS,
        /** Wrong, replayed or malformed credentials, or a bare password for an enrolled user: 535 5.7.8. */
        INVALID,
        /** The user has not enrolled and the policy requires enrolment: 535 5.7.8 with a hint. */
        ENROLLMENT_REQUIRED,
        /** Backoff after recent failures or a lockout: 454 4.7.0, nothing was checked or counted. */
        THROTTLED,
        /** The secret store or the user base failed: 454 4.7.0, never counted as a failure. */
        UNAVAILABLE
    }

    /** Immutable result of {@link #authenticate}. */
    public static final class AuthResult {
        private final Outcome outcome;
        private final Method method;
        private final Duration retryAfter;
        private final String reason;
        private final boolean lockoutStarted;

        AuthResult(Outcome outcome, Method method, Duration retryAfter) {
            this(outcome, method, retryAfter, null, false);
        }

        AuthResult(Outcome outcome, Method method, Duration retryAfter, String reason, boolean lockoutStarted) {
            this.outcome = outcome;
            this.method = method;
            this.retryAfter = retryAfter;
            this.reason = reason;
            this.lockoutStarted = lockoutStarted;
        }

        /**
         * @return the result code for metrics and the audit trail: {@code pass}, {@code bad_password},
         *         {@code missing_code}, {@code bad_code}, {@code replay}, {@code locked}, {@code backoff},
         *         {@code enrollment_required} or {@code store_error}
         */
        public String reason() {
            if (reason != null) {
                return reason;
            }
            switch (outcome) {
                case SUCCESS: return "pass";
                case ENROLLMENT_REQUIRED: return "enrollment_required";
                case THROTTLED: return "backoff";
                case UNAVAILABLE: return "store_error";
                default: return "bad_password";
            }
        }

        /** @return whether this failure started a lockout of the user or the client address */
        public boolean lockoutStarted() {
            return lockoutStarted;
        }

        /** @return the outcome */
        public Outcome outcome() {
            return outcome;
        }

        /** @return the method, present for {@link Outcome#SUCCESS} only */
        public Optional<Method> method() {
            return Optional.ofNullable(method);
        }

        /** @return for {@link Outcome#THROTTLED}, how long until a new attempt is considered; else zero */
        public Duration retryAfter() {
            return retryAfter;
        }

        @Override
        public String toString() {
            return "AuthResult[" + outcome + (method == null ? "" : ", " + method.token()) + "]";
        }
    }

    /** Why an administrative request was refused. */
    public enum Problem {
        /** The user has no confirmed enrolment. */
        NOT_ENROLLED,
        /** The user is already enrolled and confirmed: reset first. */
        ALREADY_ENROLLED,
        /** No enrolment is pending confirmation. */
        NO_PENDING_ENROLLMENT,
        /** The TOTP code is wrong, malformed or already used. */
        INVALID_CODE,
        /** The user has the maximum number of app passwords. */
        TOO_MANY_APP_PASSWORDS
    }

    /** An administrative request refused for a {@link Problem}. */
    public static final class RefusedException extends Exception {
        private static final long serialVersionUID = 1L;
        private final Problem problem;

        RefusedException(Problem problem) {
            super(problem.name());
            this.problem = problem;
        }

        /** @return why */
        public Problem problem() {
            return problem;
        }
    }

    /** The enrolment state of one user, without secrets. */
    public static final class Status {
        private final boolean pending;
        private final boolean confirmed;
        private final String algorithm;
        private final int digits;
        private final int appPasswords;

        Status(MfaEnrollment e) {
            this.pending = e.secret().isPresent() && !e.isConfirmed();
            this.confirmed = e.secret().isPresent() && e.isConfirmed();
            this.algorithm = e.algorithm().name();
            this.digits = e.digits();
            this.appPasswords = e.appPasswords().size();
        }

        /** @return whether a secret was issued but not yet confirmed with a code */
        public boolean pending() {
            return pending;
        }

        /** @return whether TOTP is confirmed (MFA enforced for this user) */
        public boolean confirmed() {
            return confirmed;
        }

        /** @return the TOTP algorithm name */
        public String algorithm() {
            return algorithm;
        }

        /** @return the code length */
        public int digits() {
            return digits;
        }

        /** @return the number of app passwords */
        public int appPasswords() {
            return appPasswords;
        }
    }

    private final SecretStore store;
    private final java.util.function.Function<String, String> stateKey;
    private final ReplayWatermarks watermarks;
    private final AppPasswordUses uses;
    private final String storeName;
    private final MfaServiceConfig config;
    private final AuthThrottle throttle;
    private final AppPasswordHasher hasher;
    private final AppPasswordGenerator generator;
    private final Clock clock;
    private final Striped<Lock> locks = Striped.lock(64);

    /**
     * @param store  where enrolments live
     * @param config TOTP, separator and throttle settings
     * @param hasher the app-password hasher (Argon2id defaults in production)
     * @param clock  time source for codes, throttling and timestamps
     */
    public MfaService(SecretStore store, MfaServiceConfig config, AppPasswordHasher hasher, Clock clock) {
        this.store = store;
        if (store instanceof FileSecretStore) {
            FileSecretStore files = (FileSecretStore) store;
            this.stateKey = files::fileName;
            this.watermarks = files.state().watermarks();
            this.uses = files.state().appPasswordUses();
        } else {
            InMemoryStateStore memory = InMemoryStateStore.create();
            this.stateKey = k -> k;
            this.watermarks = memory.watermarks();
            this.uses = memory.appPasswordUses();
        }
        this.storeName = store.toString();
        this.config = config;
        this.hasher = hasher;
        this.clock = clock;
        this.throttle = config.throttle().clock(clock).build();
        this.generator = AppPasswordGenerator.defaults().withLength(config.appPasswordLength());
    }

    /**
     * A service whose state is in {@code state} (shared by every node using the same backend).
     *
     * @param state  the state backend; its failure log is the throttle's
     * @param sealer seals enrolments and names their records
     * @param config TOTP, separator and throttle settings
     * @param hasher the app-password hasher (Argon2id defaults in production)
     * @param clock  time source for codes, throttling and timestamps
     */
    public MfaService(StateStore state, RecordSealer sealer, MfaServiceConfig config, AppPasswordHasher hasher,
            Clock clock) {
        this.store = new SealedSecretStore(state.records(), sealer, state.describe());
        this.stateKey = sealer::recordName;
        this.watermarks = state.watermarks();
        this.uses = state.appPasswordUses();
        this.storeName = state.describe();
        this.config = config;
        this.hasher = hasher;
        this.clock = clock;
        this.throttle = config.throttle().clock(clock).failureLog(state.failures()).build();
        this.generator = AppPasswordGenerator.defaults().withLength(config.appPasswordLength());
    }

    /** A state store failure met inside the replay guard, carried out of {@link TotpVerifier}. */
    private static final class Unavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unavailable(StateException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private AuthResult unavailable(String key, String what, Exception e) {
        LOGGER.error("MFA: state store {} unreachable while {} for {}: {}; AUTH answered 454", storeName, what, key,
                e.getMessage());
        return unavailable();
    }

    /** @return the canonical key of a user name: lower case */
    public static String key(String user) {
        return user.toLowerCase(Locale.ROOT);
    }

    /** @return the current instant by this service's clock (for token lifetimes) */
    public Instant now() {
        return clock.instant();
    }

    /** @return today in UTC, by this service's clock (for policies) */
    public LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    /**
     * Authenticates one SMTP AUTH attempt (RFC 4954): {@link #authenticate(AppPasswordScope, String, String,
     * String, PasswordCheck, boolean)} with scope {@link AppPasswordScope#SMTP}.
     */
    public AuthResult authenticate(String user, String credential, String ip, PasswordCheck passwords,
            boolean enrollmentRequired) {
        return authenticate(AppPasswordScope.SMTP, user, credential, ip, passwords, enrollmentRequired);
    }

    /**
     * Authenticates one attempt of a mail protocol: SMTP AUTH (RFC 4954) or IMAP LOGIN/AUTHENTICATE (RFC 9051
     * §6.2). Both protocols share this service's throttle, so failures on one count on the other, and one
     * replay watermark, so a code accepted on one is a replay on the other.
     *
     * <ol>
     *   <li>Throttle: a user or IP in backoff or lockout is refused ({@link Outcome#THROTTLED}) before
     *       anything is checked, even a correct credential.</li>
     *   <li>Users without a confirmed enrolment: refused ({@link Outcome#ENROLLMENT_REQUIRED}) when
     *       {@code enrollmentRequired}; else the whole credential is checked as the account password
     *       ({@link Method#PASSWORD}).</li>
     *   <li>Enrolled users: an app password whose scopes include {@code scope} ({@link Method#APP_PASSWORD};
     *       its last-use time and the client address are recorded), else password‖code split from the end
     *       ({@link PasswordWithCode}) with the code checked against the window and the replay watermark
     *       ({@link Method#TOTP}). A bare password, or an app password of another scope, is
     *       {@link Outcome#INVALID}.</li>
     * </ol>
     * Failures count towards the throttle; success resets the user's counter.
     *
     * @param scope              the protocol the credential is given on
     * @param user               the authentication identity as given
     * @param credential         the password field as given
     * @param ip                 the client address, or null
     * @param passwords          checks the account password
     * @param enrollmentRequired whether the user's domain policy refuses users without enrolment today
     */
    public AuthResult authenticate(AppPasswordScope scope, String user, String credential, String ip,
            PasswordCheck passwords, boolean enrollmentRequired) {
        return authenticate(Optional.of(scope), user, credential, ip, passwords, enrollmentRequired);
    }

    /**
     * Authenticates a sign-in that an app password must not open (the self-service security page, where factors
     * are managed): as {@link #authenticate(AppPasswordScope, String, String, String, PasswordCheck, boolean)},
     * except that app passwords are never tried, so an enrolled user must give password‖code ({@link Method#TOTP}).
     * An app password given here is an ordinary wrong credential: counted towards the throttle, its last use not
     * recorded.
     */
    public AuthResult authenticateWithoutAppPasswords(String user, String credential, String ip,
            PasswordCheck passwords, boolean enrollmentRequired) {
        return authenticate(Optional.empty(), user, credential, ip, passwords, enrollmentRequired);
    }

    private AuthResult authenticate(Optional<AppPasswordScope> scope, String user, String credential, String ip,
            PasswordCheck passwords, boolean enrollmentRequired) {
        String key = key(user);
        AuthThrottle.Decision decision;
        try {
            decision = throttle.check(key, ip);
        } catch (StateException | RuntimeException e) {
            return unavailable(key, "checking the throttle", e);
        }
        if (!decision.isAllowed()) {
            return new AuthResult(Outcome.THROTTLED, null, decision.retryAfter(),
                    decision.outcome() == AuthThrottle.Outcome.LOCKED ? "locked" : "backoff", false);
        }
        Optional<MfaEnrollment> enrollment;
        try {
            enrollment = store.get(key);
        } catch (SecretStoreException | RuntimeException e) {
            return unavailable(key, "reading the enrolment", e);
        }
        try {
            if (enrollment.isEmpty() || !enrollment.get().isConfirmed() || enrollment.get().secret().isEmpty()) {
                if (enrollmentRequired) {
                    return new AuthResult(Outcome.ENROLLMENT_REQUIRED, null, Duration.ZERO);
                }
                return passwords.test(user, credential) ? success(key, ip, Method.PASSWORD) : failure(key, ip, "bad_password");
            }
            MfaEnrollment e = enrollment.get();
            if (scope.isPresent() && looksLikeAppPassword(credential) && !e.appPasswords().isEmpty()) {
                Optional<AppPassword> used = matchAppPassword(e, credential, scope.get());
                if (used.isPresent()) {
                    touch(key, used.get().id(), ip);
                    return success(key, ip, Method.APP_PASSWORD);
                }
            }
            Optional<PasswordWithCode> split = PasswordWithCode.splitter(e.digits()).withSeparator(config.separator())
                    .split(credential);
            if (split.isEmpty()) {
                return failure(key, ip, "missing_code");
            }
            if (!passwords.test(user, split.get().password())) {
                return failure(key, ip, "bad_password");
            }
            if (split.get().code().isEmpty()) {
                return failure(key, ip, "missing_code");
            }
            TotpVerifier.Status code = acceptCode(key, e, split.get().code().get());
            return code == TotpVerifier.Status.ACCEPTED ? success(key, ip, Method.TOTP)
                    : failure(key, ip, code == TotpVerifier.Status.REPLAYED ? "replay" : "bad_code");
        } catch (Unavailable e) {
            return unavailable(key, "recording the code's time step", e);
        } catch (Exception e) {
            LOGGER.error("User base unavailable while authenticating {}: {}", key, e.getClass().getName());
            return unavailable();
        }
    }

    /**
     * The throttle's state for an attempt checked outside {@link #authenticate} (an OAuth token, an empty
     * password). Counts nothing.
     *
     * @param user the authentication identity as given
     * @param ip   the client address, or null
     * @return how long the user or address is still refused; empty when the attempt may proceed
     */
    public Optional<Duration> throttled(String user, String ip) {
        AuthThrottle.Decision decision;
        try {
            decision = throttle.check(key(user), ip);
        } catch (StateException | RuntimeException e) {
            unavailable(key(user), "checking the throttle", e);
            return Optional.of(Duration.ZERO);
        }
        return decision.isAllowed() ? Optional.empty() : Optional.of(decision.retryAfter());
    }

    /**
     * Counts a failed attempt checked outside {@link #authenticate} (an invalid OAuth token, an empty password)
     * exactly like a wrong password: towards the user's and the address's backoff and lockout.
     *
     * @return whether it was counted; {@code false} when the state store could not record it (answer 454, not 535)
     */
    public boolean recordFailure(String user, String ip) {
        return failure(key(user), ip).outcome() == Outcome.INVALID;
    }

    /** Forgets the user's failures after a successful attempt checked outside {@link #authenticate}. */
    public void recordSuccess(String user, String ip) {
        try {
            throttle.recordSuccess(key(user), ip);
        } catch (StateException | RuntimeException e) {
            LOGGER.warn("MFA: state store {} could not reset the failures of {}: {}", storeName, key(user), e.getMessage());
        }
    }

    private static AuthResult unavailable() {
        return new AuthResult(Outcome.UNAVAILABLE, null, Duration.ZERO);
    }

    /** The credential was verified and, for a code, its step recorded: a failure to reset the counter is only logged. */
    private AuthResult success(String key, String ip, Method method) {
        recordSuccess(key, ip);
        return new AuthResult(Outcome.SUCCESS, method, Duration.ZERO);
    }

    /** A failure that could not be recorded is {@link Outcome#UNAVAILABLE}: a 535 not counted would be a free guess. */
    private AuthResult failure(String key, String ip) {
        return failure(key, ip, "bad_password");
    }

    private AuthResult failure(String key, String ip, String reason) {
        AuthThrottle.Decision after;
        try {
            after = throttle.recordFailure(key, ip);
        } catch (StateException | RuntimeException e) {
            return unavailable(key, "counting a failure", e);
        }
        boolean locked = after.outcome() == AuthThrottle.Outcome.LOCKED;
        if (locked) {
            LOGGER.warn("MFA: {} locked out of SMTP submission and IMAP for {} s after repeated failures", key,
                    after.retryAfter().getSeconds());
        }
        return new AuthResult(Outcome.INVALID, null, Duration.ZERO, reason, locked);
    }

    /** App passwords are 20..64 characters of the generator's alphabet, hyphens and spaces aside. */
    static boolean looksLikeAppPassword(String credential) {
        if (credential.length() > 2 * AppPasswordGenerator.MAX_LENGTH) {
            return false;
        }
        String n = AppPasswordGenerator.normalize(credential);
        if (n.length() < AppPasswordGenerator.MIN_LENGTH || n.length() > AppPasswordGenerator.MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < n.length(); i++) {
            if (AppPasswordGenerator.ALPHABET.indexOf(n.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    private Optional<AppPassword> matchAppPassword(MfaEnrollment e, String credential, AppPasswordScope scope) {
        for (AppPassword ap : e.appPasswords()) {
            if (ap.matches(credential, scope, hasher)) {
                return Optional.of(ap);
            }
        }
        return Optional.empty();
    }

    /** Records last use and client address in the state store; a store failure here is logged, the login already succeeded. */
    private void touch(String key, String id, String ip) {
        try {
            uses.recordUse(stateKey.apply(key), id, clock.instant(), ip);
        } catch (StateException | RuntimeException e) {
            LOGGER.warn("MFA: state store {} could not record the last use of an app password of {}: {}", storeName,
                    key, e.getMessage());
        }
    }

    /**
     * Verifies a code of the enrolment just read; the shared watermark is moved atomically, so of concurrent
     * attempts with one code on any nodes exactly one is accepted. Never rewrites the enrolment.
     *
     * @return {@code ACCEPTED}, {@code REPLAYED} (a step at or below the watermark) or {@code WRONG_CODE}
     * @throws Unavailable when the watermark could not be read or moved
     */
    private TotpVerifier.Status acceptCode(String key, MfaEnrollment e, String code) {
        if (e.secret().isEmpty()) {
            return TotpVerifier.Status.WRONG_CODE;
        }
        return verifierFor(key, e).verify(key, e.secret().get(), code).status();
    }

    /** A guard over the shared watermark, with the record's own watermark (older records) as a floor. */
    private TotpVerifier verifierFor(String key, MfaEnrollment e) {
        String name = stateKey.apply(key);
        ReplayGuard guard = (k, step) -> {
            if (e.lastAcceptedStep().isPresent() && step.compareTo(e.lastAcceptedStep().get()) <= 0) {
                return false;
            }
            try {
                return watermarks.advance(name, step.value());
            } catch (StateException ex) {
                throw new Unavailable(ex);
            }
        };
        Totp totp = e.totpBuilder().window(config.window()).clock(clock).build();
        return TotpVerifier.of(totp, guard);
    }

    /** A code proving an administrative change; a watermark that cannot be moved is a store failure. */
    private TotpVerifier.Result verifyForChange(String key, MfaEnrollment e, String code) throws SecretStoreException {
        try {
            return verifierFor(key, e).verify(key, e.secret().get(), code == null ? "" : code);
        } catch (Unavailable ex) {
            throw new SecretStoreException("MFA state store " + storeName + " unavailable: " + ex.getMessage(), ex);
        }
    }

    private Totp newTotp() {
        return Totp.builder().algorithm(config.algorithm()).digits(config.digits()).window(config.window()).clock(clock)
                .build();
    }

    /** @return the user's enrolment state, empty when there is no record */
    public Optional<Status> status(String user) throws SecretStoreException {
        return store.get(key(user)).map(Status::new);
    }

    /**
     * Starts (or restarts) enrolment: a new random secret (20, 32 or 64 bytes for SHA1/256/512), stored
     * unconfirmed; codes are not required until {@link #confirm}.
     *
     * @return the otpauth URI to show as text and QR code, once
     * @throws RefusedException {@link Problem#ALREADY_ENROLLED} when a confirmed enrolment exists
     */
    public OtpAuthUri enroll(String user) throws SecretStoreException, RefusedException {
        String key = key(user);
        Lock lock = locks.get(key);
        lock.lock();
        try {
            MfaEnrollment e = store.get(key).orElse(MfaEnrollment.empty());
            if (e.isConfirmed() && e.secret().isPresent()) {
                throw new RefusedException(Problem.ALREADY_ENROLLED);
            }
            TotpSecret secret = TotpSecret.generate(RANDOM, config.algorithm().outputBytes());
            store.put(key, e.withTotp(secret, config.algorithm(), config.digits()));
            LOGGER.info("MFA: enrolment started for {}", key);
            return OtpAuthUri.of(config.issuer(), user, secret, newTotp());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Confirms a pending enrolment with a first code from the authenticator; the code's step becomes the
     * replay watermark.
     *
     * @throws RefusedException {@link Problem#NO_PENDING_ENROLLMENT}, {@link Problem#ALREADY_ENROLLED} or
     *                          {@link Problem#INVALID_CODE}
     */
    public void confirm(String user, String code) throws SecretStoreException, RefusedException {
        String key = key(user);
        Lock lock = locks.get(key);
        lock.lock();
        try {
            MfaEnrollment e = store.get(key).orElseThrow(() -> new RefusedException(Problem.NO_PENDING_ENROLLMENT));
            if (e.secret().isEmpty()) {
                throw new RefusedException(Problem.NO_PENDING_ENROLLMENT);
            }
            if (e.isConfirmed()) {
                throw new RefusedException(Problem.ALREADY_ENROLLED);
            }
            TotpVerifier.Result r = verifyForChange(key, e, code);
            if (!r.isAccepted()) {
                throw new RefusedException(Problem.INVALID_CODE);
            }
            store.put(key, e.confirmed().withLastAcceptedStep(r.step().get()));
            LOGGER.info("MFA: enrolment confirmed for {}", key);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes the user's TOTP secret and revokes all app passwords.
     *
     * @return whether there was anything to remove
     */
    public boolean reset(String user) throws SecretStoreException {
        String key = key(user);
        Lock lock = locks.get(key);
        lock.lock();
        try {
            boolean removed = store.delete(key);
            try {
                uses.forget(stateKey.apply(key));
            } catch (StateException ex) {
                throw new SecretStoreException("MFA state store " + storeName + " unavailable: " + ex.getMessage(), ex);
            }
            LOGGER.info("MFA: reset for {} (record {})", key, removed ? "removed" : "absent");
            return removed;
        } finally {
            lock.unlock();
        }
    }

    /**
     * @return the user's app passwords with their last use (hashes included in the objects; never render them)
     */
    public List<AppPassword> appPasswords(String user) throws SecretStoreException {
        List<AppPassword> stored = store.get(key(user)).map(MfaEnrollment::appPasswords).orElse(List.of());
        if (stored.isEmpty()) {
            return stored;
        }
        java.util.Map<String, AppPasswordUse> used = appPasswordUses(user);
        List<AppPassword> out = new ArrayList<>();
        for (AppPassword ap : stored) {
            AppPasswordUse u = used.get(ap.id());
            boolean later = u != null && (ap.lastUsed().isEmpty() || u.lastUsed().isAfter(ap.lastUsed().get()));
            out.add(later ? ap.withLastUse(u.lastUsed(), u.lastAddress().orElse(null)) : ap);
        }
        return out;
    }

    /** @return the last use (time and client address) of each of the user's app passwords that was used, by id */
    public java.util.Map<String, AppPasswordUse> appPasswordUses(String user) throws SecretStoreException {
        try {
            return uses.uses(stateKey.apply(key(user)));
        } catch (StateException e) {
            throw new SecretStoreException("MFA state store " + storeName + " unavailable: " + e.getMessage(), e);
        }
    }

    /**
     * Issues an app password; the request must prove a current TOTP code (which is then used up).
     *
     * @param scopes empty means {@code smtp}
     * @return the stored form and the plaintext to show once
     * @throws RefusedException {@link Problem#NOT_ENROLLED}, {@link Problem#INVALID_CODE} or
     *                          {@link Problem#TOO_MANY_APP_PASSWORDS}
     */
    public AppPassword.Issued createAppPassword(String user, String code, String label, Set<AppPasswordScope> scopes)
            throws SecretStoreException, RefusedException {
        String key = key(user);
        Lock lock = locks.get(key);
        lock.lock();
        try {
            MfaEnrollment e = store.get(key).orElseThrow(() -> new RefusedException(Problem.NOT_ENROLLED));
            if (!e.isConfirmed() || e.secret().isEmpty()) {
                throw new RefusedException(Problem.NOT_ENROLLED);
            }
            if (e.appPasswords().size() >= MfaEnrollment.MAX_APP_PASSWORDS) {
                throw new RefusedException(Problem.TOO_MANY_APP_PASSWORDS);
            }
            TotpVerifier.Result r = verifyForChange(key, e, code);
            if (!r.isAccepted()) {
                throw new RefusedException(Problem.INVALID_CODE);
            }
            Set<AppPasswordScope> s = scopes.isEmpty() ? EnumSet.of(AppPasswordScope.SMTP) : EnumSet.copyOf(scopes);
            AppPassword.Issued issued = AppPassword.issue(label, s, generator, hasher, clock);
            store.put(key, e.withLastAcceptedStep(r.step().get()).withAppPassword(issued.appPassword()));
            LOGGER.info("MFA: app password {} issued for {}", issued.appPassword().id(), key);
            return issued;
        } finally {
            lock.unlock();
        }
    }

    /** @return whether the app password existed and was revoked */
    public boolean revokeAppPassword(String user, String id) throws SecretStoreException {
        String key = key(user);
        Lock lock = locks.get(key);
        lock.lock();
        try {
            Optional<MfaEnrollment> e = store.get(key);
            if (e.isEmpty()) {
                return false;
            }
            List<String> ids = new ArrayList<>();
            e.get().appPasswords().forEach(ap -> ids.add(ap.id()));
            if (!ids.contains(id)) {
                return false;
            }
            store.put(key, e.get().withoutAppPassword(id));
            LOGGER.info("MFA: app password {} revoked for {}", id, key);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** @return the settings this service was built with: MFA policies, authserv-id, TOTP and throttle settings */
    public MfaServiceConfig config() {
        return config;
    }

    @Override
    public String toString() {
        return "MfaService[" + store + "]";
    }
}
