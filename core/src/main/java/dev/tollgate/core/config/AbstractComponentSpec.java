package dev.tollgate.core.config;

/**
 * Base for {@link ComponentSpec}s: a subclass passes its component's class name (as a string literal,
 * so that {@code tollgate check-config} never loads James classes) and kind, and implements
 * {@link #validate(Parameters, String)} by calling the same parse method its component's {@code init()} calls.
 */
public abstract class AbstractComponentSpec implements ComponentSpec {
    private final String className;
    private final Kind kind;

    protected AbstractComponentSpec(String className, Kind kind) {
        this.className = className;
        this.kind = kind;
    }

    @Override
    public final String className() {
        return className;
    }

    @Override
    public final Kind kind() {
        return kind;
    }
}
