package dev.tollgate.core.mfa;

/**
 * A {@link SecretStore} could not read, decrypt, parse or write a record. Temporary from the client's
 * point of view: answer SMTP 454 "Temporary authentication failure" (RFC 4954 §6), do not count a
 * failed login. Messages never contain secrets or user names.
 */
public final class SecretStoreException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message what failed, without secrets or user names */
    public SecretStoreException(String message) {
        super(message);
    }

    /** @param message what failed, without secrets or user names; @param cause the underlying error */
    public SecretStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
