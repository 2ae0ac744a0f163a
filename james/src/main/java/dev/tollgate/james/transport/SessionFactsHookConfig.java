package dev.tollgate.james.transport;

import java.util.Set;

import dev.tollgate.core.config.AbstractComponentSpec;
import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Parameters;

/** Configuration of {@link SessionFactsHook}: it takes no parameters; any given is refused at startup. */
public final class SessionFactsHookConfig {
    private static final SessionFactsHookConfig INSTANCE = new SessionFactsHookConfig();

    private SessionFactsHookConfig() {
    }

    /** @throws ConfigException naming the first parameter given */
    public static SessionFactsHookConfig parse(Parameters parameters) {
        parameters.requireKnown(Set.of());
        return INSTANCE;
    }

    /** For {@code tollgate check-config}. */
    public static final class Spec extends AbstractComponentSpec {
        public Spec() {
            super("dev.tollgate.james.transport.SessionFactsHook", Kind.SMTP_HANDLER);
        }

        @Override
        public void validate(Parameters parameters, String condition) {
            parse(parameters);
        }
    }
}
