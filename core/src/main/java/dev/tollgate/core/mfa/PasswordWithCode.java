package dev.tollgate.core.mfa;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A credential typed into an SMTP client's password field, read as the account password immediately
 * followed by a one-time code, optionally with a separator in between: {@code Winter123456} +
 * {@code 123456} typed as {@code Winter123456123456}, or {@code a;b;c;123456} with separator {@code ;}.
 * SMTP AUTH (RFC 4954) has a single secret field, so the code has to travel inside it.
 *
 * <p>The split is taken from the <em>end</em>: the last {@code digits} characters must be ASCII digits
 * (and, when a separator is configured, be preceded by it), so passwords that contain the separator or
 * end in digits still work. The reading is ambiguous by nature (a plain password may itself end in six
 * digits), so {@link Splitter#candidates} returns every plausible reading, most specific first: the
 * password-plus-code split when the shape allows one, then the whole credential as a plain password with
 * no code. The caller tries the split for enrolled users and may fall back to the plain reading for users
 * without MFA (or for app passwords); it must never accept a plain password for an enrolled user.
 *
 * <p>Immutable; {@link #toString()} never shows the password or the code.
 */
public final class PasswordWithCode {
    /** Longest credential examined, in characters; longer input yields no candidates. */
    public static final int MAX_CREDENTIAL_LENGTH = 1024;

    private final String password;
    private final String code;

    private PasswordWithCode(String password, String code) {
        this.password = password;
        this.code = code;
    }

    /** @return the password part (the whole credential for the plain reading) */
    public String password() {
        return password;
    }

    /** @return the one-time code, or empty for the plain-password reading */
    public Optional<String> code() {
        return Optional.ofNullable(code);
    }

    /** @return whether this reading carries a code */
    public boolean hasCode() {
        return code != null;
    }

    /**
     * @param digits the code length, 6..8 (matching the user's {@link Totp#digits()})
     * @return a splitter without separator
     * @throws IllegalArgumentException for digits outside 6..8
     */
    public static Splitter splitter(int digits) {
        Hotp.of(TotpAlgorithm.SHA1, digits);
        return new Splitter(digits, "");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PasswordWithCode && ((PasswordWithCode) o).password.equals(password)
                && Objects.equals(((PasswordWithCode) o).code, code);
    }

    @Override
    public int hashCode() {
        return Objects.hash(password, code);
    }

    /** @return the shape only, e.g. {@code PasswordWithCode[password=12 chars, code=6 digits]} */
    @Override
    public String toString() {
        return "PasswordWithCode[password=" + password.length() + " chars, code="
                + (code == null ? "none" : code.length() + " digits") + "]";
    }

    /** Splits credentials for one code length and separator. Immutable and thread-safe. */
    public static final class Splitter {
        private final int digits;
        private final String separator;

        private Splitter(int digits, String separator) {
            this.digits = digits;
            this.separator = separator;
        }

        /**
         * @param separator text between password and code, e.g. {@code ";"} or {@code ":"}; at most 4
         *                  characters, no digits; empty for none
         * @throws IllegalArgumentException for a separator containing digits or longer than 4
         */
        public Splitter withSeparator(String separator) {
            if (separator.length() > 4 || separator.chars().anyMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("separator must be at most 4 characters and contain no digits");
            }
            return new Splitter(digits, separator);
        }

        /** @return the code length */
        public int digits() {
            return digits;
        }

        /** @return the separator, empty for none */
        public String separator() {
            return separator;
        }

        /**
         * @param credential the password field as received
         * @return the readings, split first when possible, then the plain reading; empty only for an
         *         empty or overlong credential. Constant work apart from copying the credential.
         */
        public List<PasswordWithCode> candidates(String credential) {
            if (credential == null || credential.isEmpty() || credential.length() > MAX_CREDENTIAL_LENGTH) {
                return Collections.emptyList();
            }
            List<PasswordWithCode> out = new ArrayList<>(2);
            split(credential).ifPresent(out::add);
            out.add(new PasswordWithCode(credential, null));
            return Collections.unmodifiableList(out);
        }

        /**
         * @return the password-plus-code reading alone, or empty when the credential does not end in
         *         {@code separator + digits} ASCII digits after a non-empty password
         */
        public Optional<PasswordWithCode> split(String credential) {
            if (credential == null || credential.length() > MAX_CREDENTIAL_LENGTH) {
                return Optional.empty();
            }
            int codeStart = credential.length() - digits;
            int passwordEnd = codeStart - separator.length();
            if (passwordEnd < 1) {
                return Optional.empty();
            }
            for (int i = codeStart; i < credential.length(); i++) {
                char c = credential.charAt(i);
                if (c < '0' || c > '9') {
                    return Optional.empty();
                }
            }
            if (!credential.startsWith(separator, passwordEnd)) {
                return Optional.empty();
            }
            return Optional.of(new PasswordWithCode(credential.substring(0, passwordEnd),
                    credential.substring(codeStart)));
        }

        @Override
        public String toString() {
            return "PasswordWithCode.Splitter[" + digits + " digits, separator='" + separator + "']";
        }
    }
}
