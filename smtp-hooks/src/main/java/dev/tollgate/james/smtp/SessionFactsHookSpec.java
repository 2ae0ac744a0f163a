package dev.tollgate.james.smtp;

import java.util.Set;

import dev.tollgate.core.config.ComponentSpec;
import dev.tollgate.core.config.Parameters;

/** {@link SessionFactsHook} takes no parameters; any given is refused at startup. */
public final class SessionFactsHookSpec implements ComponentSpec {
    static void validate(Parameters parameters) {
        parameters.requireKnown(Set.of());
    }

    @Override
    public String className() {
        // A literal: tollgate check-config runs without James, which SessionFactsHook extends.
            return "dev.tollgate.james.smtp.SessionFactsHook";
    }

    @Override
    public Kind kind() {
        return Kind.SMTP_HANDLER;
    }

    @Override
    public void validate(Parameters parameters, String condition) {
        validate(parameters);
    }
}
