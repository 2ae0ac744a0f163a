package dev.tollgate.core.state;

/**
 * A {@link StateStore} could not answer: unreachable, timed out, or a record could not be read or written.
 * Callers fail closed: SMTP AUTH answers {@code 454 4.7.0} (RFC 4954 §6), counts nothing and accepts nothing.
 * Messages name the store ({@link StateStore#describe()}) and never contain secrets.
 */
public final class StateException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message what failed, naming the store, without secrets */
    public StateException(String message) {
        super(message);
    }

    /** @param message what failed, naming the store, without secrets; @param cause the underlying error */
    public StateException(String message, Throwable cause) {
        super(message, cause);
    }
}
