package dev.tollgate.james.mfa;

import dev.tollgate.core.config.AbstractComponentSpec;
import dev.tollgate.core.config.Parameters;
import dev.tollgate.james.webadmin.BrowserRequestGuardConfig;

/**
 * Lets {@code tollgate check-config} recognise {@link MfaRoutes} in {@code extensions.routes}. The routes apply
 * the browser-request rules themselves, so they read the same {@code tollgate.} keys of
 * {@code webadmin.properties} as {@code BrowserRequestGuard} and refuse the same values at startup.
 */
public final class MfaRoutesSpec extends AbstractComponentSpec {
    public MfaRoutesSpec() {
        super("dev.tollgate.james.mfa.MfaRoutes", Kind.WEBADMIN_ROUTES);
    }

    @Override
    public void validate(Parameters parameters, String condition) {
        BrowserRequestGuardConfig.parse(parameters);
    }
}
