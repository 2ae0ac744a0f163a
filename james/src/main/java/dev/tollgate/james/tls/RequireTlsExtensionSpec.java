package dev.tollgate.james.tls;

import java.util.Set;

import dev.tollgate.core.config.AbstractComponentSpec;
import dev.tollgate.core.config.Parameters;

/** {@link RequireTlsExtension} takes no parameters; any given is refused at startup. */
public final class RequireTlsExtensionSpec extends AbstractComponentSpec {
    public RequireTlsExtensionSpec() {
        super("dev.tollgate.james.tls.RequireTlsExtension", Kind.SMTP_HANDLER);
    }

    static void validate(Parameters parameters) {
        parameters.requireKnown(Set.of());
    }

    @Override
    public void validate(Parameters parameters, String condition) {
        validate(parameters);
    }
}
