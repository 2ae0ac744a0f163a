package dev.tollgate.james.mfa;

import dev.tollgate.core.config.AbstractComponentSpec;
import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Parameters;
import dev.tollgate.james.webadmin.BrowserRequestGuardConfig;

/**
 * Configuration of {@link MfaRoutes}. The routes apply the browser-request rules themselves, so they read the same
 * {@code tollgate.} keys of {@code webadmin.properties} as {@code BrowserRequestGuard} and refuse the same values
 * at startup.
 */
public final class MfaRoutesConfig {
    private MfaRoutesConfig() {
    }

    /**
     * @param parameters the keys of {@code webadmin.properties}
     * @return the browser-request rules the routes apply
     * @throws ConfigException naming the key when a {@code tollgate.} value is refused
     */
    public static BrowserRequestGuardConfig parse(Parameters parameters) {
        return BrowserRequestGuardConfig.parse(parameters);
    }

    /** For {@code tollgate check-config}: recognises {@link MfaRoutes} in {@code extensions.routes}. */
    public static final class Spec extends AbstractComponentSpec {
        public Spec() {
            super("dev.tollgate.james.mfa.MfaRoutes", Kind.WEBADMIN_ROUTES);
        }

        @Override
        public void validate(Parameters parameters, String condition) {
            parse(parameters);
        }
    }
}
