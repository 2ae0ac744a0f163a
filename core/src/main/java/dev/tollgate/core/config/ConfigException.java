package dev.tollgate.core.config;

/**
 * A configuration value that Tollgate refuses. Thrown at James startup (from a mailet's, matcher's or
 * SMTP handler's {@code init}) and by {@code tollgate check-config}, always naming the parameter.
 *
 * <p>The message has the shape {@code parameter 'NAME': REASON}. Values that may be secrets are never
 * part of the message: callers pass a reason that describes the problem, not the value.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String parameter;
    private final String reason;

    /**
     * @param parameter the init parameter (or condition) name, e.g. {@code "header"}; never null
     * @param reason    what is wrong, in words an administrator can act on; never null
     */
    public ConfigException(String parameter, String reason) {
        this(parameter, reason, null);
    }

    /** Same as {@link #ConfigException(String, String)}, keeping the underlying cause. */
    public ConfigException(String parameter, String reason, Throwable cause) {
        super("parameter '" + parameter + "': " + reason, cause);
        this.parameter = parameter;
        this.reason = reason;
    }

    /** @return the name of the offending parameter */
    public String parameter() {
        return parameter;
    }

    /** @return the reason, without the parameter prefix */
    public String reason() {
        return reason;
    }
}
