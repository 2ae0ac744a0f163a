package dev.tollgate.james.tls;

import java.util.Set;

import dev.tollgate.core.config.AbstractComponentSpec;
import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Parameters;

/** Configuration of {@link RequireTlsExtension}: it takes no parameters; any given is refused at startup. */
public final class RequireTlsExtensionConfig {
    private static final RequireTlsExtensionConfig INSTANCE = new RequireTlsExtensionConfig();

    private RequireTlsExtensionConfig() {
    }

    /** @throws ConfigException naming the first parameter given */
    public static RequireTlsExtensionConfig parse(Parameters parameters) {
        parameters.requireKnown(Set.of());
        return INSTANCE;
    }

    /** For {@code tollgate check-config}. */
    public static final class Spec extends AbstractComponentSpec {
        public Spec() {
            super("dev.tollgate.james.tls.RequireTlsExtension", Kind.SMTP_HANDLER);
        }

        @Override
        public void validate(Parameters parameters, String condition) {
            parse(parameters);
        }
    }
}
