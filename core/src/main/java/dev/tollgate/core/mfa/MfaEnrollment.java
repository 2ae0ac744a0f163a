package dev.tollgate.core.mfa;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One user's second-factor state, as kept by a {@link SecretStore}: the TOTP secret with its algorithm
 * and code length, whether enrolment was confirmed (the user proved the app works by entering a code),
 * the last accepted {@link TimeStep} (the persistent replay watermark, RFC 6238 §5.2), and the user's
 * {@link AppPassword}s (at most {@link #MAX_APP_PASSWORDS}, which bounds the Argon2 work of one login).
 *
 * <p>Immutable value object built with withers from {@link #empty()}; {@link #toString()} never shows the
 * secret or hashes.
 */
public final class MfaEnrollment {
    /** Most app passwords per user. */
    public static final int MAX_APP_PASSWORDS = 20;

    private static final MfaEnrollment EMPTY = new MfaEnrollment(null, TotpAlgorithm.SHA1, 6, false, null,
            Collections.emptyList());

    private final TotpSecret secret;
    private final TotpAlgorithm algorithm;
    private final int digits;
    private final boolean confirmed;
    private final TimeStep lastAcceptedStep;
    private final List<AppPassword> appPasswords;

    private MfaEnrollment(TotpSecret secret, TotpAlgorithm algorithm, int digits, boolean confirmed,
            TimeStep lastAcceptedStep, List<AppPassword> appPasswords) {
        Hotp.of(algorithm, digits);
        if (appPasswords.size() > MAX_APP_PASSWORDS) {
            throw new IllegalArgumentException("at most " + MAX_APP_PASSWORDS + " app passwords per user");
        }
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (AppPassword a : appPasswords) {
            if (!ids.add(a.id())) {
                throw new IllegalArgumentException("duplicate app password id");
            }
        }
        this.secret = secret;
        this.algorithm = algorithm;
        this.digits = digits;
        this.confirmed = confirmed && secret != null;
        this.lastAcceptedStep = lastAcceptedStep;
        this.appPasswords = Collections.unmodifiableList(new ArrayList<>(appPasswords));
    }

    /** @return no TOTP, no app passwords */
    public static MfaEnrollment empty() {
        return EMPTY;
    }

    /**
     * @return a copy with a new, unconfirmed TOTP secret (and no replay watermark)
     * @throws IllegalArgumentException for digits outside 6..8
     */
    public MfaEnrollment withTotp(TotpSecret secret, TotpAlgorithm algorithm, int digits) {
        return new MfaEnrollment(Objects.requireNonNull(secret, "secret"), algorithm, digits, false, null,
                appPasswords);
    }

    /** @return a copy without TOTP (app passwords kept) */
    public MfaEnrollment withoutTotp() {
        return new MfaEnrollment(null, TotpAlgorithm.SHA1, 6, false, null, appPasswords);
    }

    /** @return a copy marked confirmed; has no effect without a secret */
    public MfaEnrollment confirmed() {
        return new MfaEnrollment(secret, algorithm, digits, true, lastAcceptedStep, appPasswords);
    }

    /** @return a copy with the replay watermark moved to {@code step} (never backwards) */
    public MfaEnrollment withLastAcceptedStep(TimeStep step) {
        TimeStep next = lastAcceptedStep != null && lastAcceptedStep.compareTo(step) > 0 ? lastAcceptedStep : step;
        return new MfaEnrollment(secret, algorithm, digits, confirmed, next, appPasswords);
    }

    /**
     * @return a copy with {@code appPassword} added, or replacing the one with the same id
     * @throws IllegalArgumentException when that would exceed {@link #MAX_APP_PASSWORDS}
     */
    public MfaEnrollment withAppPassword(AppPassword appPassword) {
        List<AppPassword> list = new ArrayList<>(appPasswords);
        list.removeIf(a -> a.id().equals(appPassword.id()));
        list.add(appPassword);
        return new MfaEnrollment(secret, algorithm, digits, confirmed, lastAcceptedStep, list);
    }

    /** @return a copy without the app password {@code id} (unchanged if absent) */
    public MfaEnrollment withoutAppPassword(String id) {
        List<AppPassword> list = new ArrayList<>(appPasswords);
        list.removeIf(a -> a.id().equals(id));
        return new MfaEnrollment(secret, algorithm, digits, confirmed, lastAcceptedStep, list);
    }

    /** @return the TOTP secret, empty when TOTP is not set up */
    public Optional<TotpSecret> secret() {
        return Optional.ofNullable(secret);
    }

    /** @return the TOTP hash function */
    public TotpAlgorithm algorithm() {
        return algorithm;
    }

    /** @return the TOTP code length */
    public int digits() {
        return digits;
    }

    /** @return whether the user confirmed the TOTP set-up; only then should codes be required */
    public boolean isConfirmed() {
        return confirmed;
    }

    /** @return the last accepted step, empty if none */
    public Optional<TimeStep> lastAcceptedStep() {
        return Optional.ofNullable(lastAcceptedStep);
    }

    /** @return the app passwords, unmodifiable, in insertion order */
    public List<AppPassword> appPasswords() {
        return appPasswords;
    }

    /** @return a {@link Totp} builder preset with this enrolment's algorithm and digits */
    public Totp.Builder totpBuilder() {
        return Totp.builder().algorithm(algorithm).digits(digits);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof MfaEnrollment)) {
            return false;
        }
        MfaEnrollment e = (MfaEnrollment) o;
        return Objects.equals(secret, e.secret) && algorithm == e.algorithm && digits == e.digits
                && confirmed == e.confirmed && Objects.equals(lastAcceptedStep, e.lastAcceptedStep)
                && appPasswords.equals(e.appPasswords);
    }

    @Override
    public int hashCode() {
        return Objects.hash(secret, algorithm, digits, confirmed, lastAcceptedStep, appPasswords);
    }

    @Override
    public String toString() {
        return "MfaEnrollment[totp=" + (secret == null ? "none" : algorithm + "/" + digits + (confirmed ? " confirmed" : " unconfirmed"))
                + ", lastAcceptedStep=" + (lastAcceptedStep == null ? "none" : lastAcceptedStep.value())
                + ", appPasswords=" + appPasswords.size() + "]";
    }
}
