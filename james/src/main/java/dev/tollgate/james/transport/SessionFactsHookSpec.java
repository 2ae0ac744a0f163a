package dev.tollgate.james.transport;

import java.util.Set;

import dev.tollgate.core.config.AbstractComponentSpec;
import dev.tollgate.core.config.Parameters;

/** {@link SessionFactsHook} takes no parameters; any given is refused at startup. */
public final class SessionFactsHookSpec extends AbstractComponentSpec {
    public SessionFactsHookSpec() {
        super("dev.tollgate.james.transport.SessionFactsHook", Kind.SMTP_HANDLER);
    }

    static void validate(Parameters parameters) {
        parameters.requireKnown(Set.of());
    }

    @Override
    public void validate(Parameters parameters, String condition) {
        validate(parameters);
    }
}
