package dev.tollgate.james.mfa;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

import dev.tollgate.core.config.AbstractComponentSpec;
import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Parameters;

/**
 * Condition of {@link IsMfaAuthenticated}: empty (any MFA method), or a comma-separated list of the
 * accepted methods: {@code totp}, {@code app-password}, {@code oauth-mfa}.
 */
public final class IsMfaAuthenticatedConfig {
    /** The methods {@code MfaAuthHook} records. */
    static final Set<String> METHODS = Set.of("totp", "app-password", "oauth-mfa");

    private final Set<String> accepted;

    private IsMfaAuthenticatedConfig(Set<String> accepted) {
        this.accepted = Collections.unmodifiableSet(accepted);
    }

    /**
     * @param condition the text after {@code IsMfaAuthenticated=}, or null
     * @throws ConfigException (parameter {@code condition}) for an unknown method
     */
    public static IsMfaAuthenticatedConfig parse(String condition) {
        Set<String> accepted = new LinkedHashSet<>();
        if (condition != null) {
            for (String item : condition.split(",")) {
                String m = item.trim().toLowerCase(Locale.ROOT);
                if (m.isEmpty()) {
                    continue;
                }
                if (!METHODS.contains(m)) {
                    throw new ConfigException("condition", "MFA methods are totp, app-password and oauth-mfa");
                }
                accepted.add(m);
            }
        }
        return new IsMfaAuthenticatedConfig(accepted.isEmpty() ? METHODS : accepted);
    }

    /** @return whether a recorded method is accepted */
    public boolean accepts(String method) {
        return method != null && accepted.contains(method);
    }

    /** @return the accepted methods */
    public Set<String> accepted() {
        return accepted;
    }

    /** Lets {@code tollgate check-config} validate {@code IsMfaAuthenticated} as James would. */
    public static final class Spec extends AbstractComponentSpec {
        public Spec() {
            super("dev.tollgate.james.mfa.IsMfaAuthenticated", Kind.MATCHER);
        }

        @Override
        public void validate(Parameters parameters, String condition) {
            parse(condition);
        }
    }
}
