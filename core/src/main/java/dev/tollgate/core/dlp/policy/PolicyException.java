package dev.tollgate.core.dlp.policy;

/**
 * A policy file that cannot be used. The message has the shape {@code FILE:LINE: REASON}, or {@code FILE: REASON}
 * when the file could not be read at all ({@link #line()} is then 0), and never contains values from the file other
 * than names.
 */
public final class PolicyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;

    public PolicyException(String file, int line, String reason, Throwable cause) {
        super((line > 0 ? file + ':' + line : file) + ": " + reason, cause);
        this.file = file;
        this.line = line;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }
}
