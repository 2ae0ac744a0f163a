package dev.tollgate.james.ops;

import javax.inject.Inject;

import org.apache.james.core.healthcheck.ComponentName;
import org.apache.james.core.healthcheck.HealthCheck;
import org.apache.james.core.healthcheck.Result;
import org.reactivestreams.Publisher;

import dev.tollgate.core.mfa.MfaService;
import reactor.core.publisher.Mono;

/**
 * Health of the MFA state store: one read of a record that never exists, through the same store every
 * authentication reads. Unhealthy when the store fails: submission logins then get {@code 454} until it
 * answers again. Needs {@code MfaModule} in {@code extensions.properties}; listed in {@code healthcheck.properties}.
 */
public class MfaStoreHealthCheck implements HealthCheck {
    /** The component name WebAdmin {@code /healthcheck} reports. */
    public static final ComponentName NAME = new ComponentName("Tollgate MFA store");
    /** A user name no domain can hold (RFC 6761 {@code .invalid}). */
    static final String PROBE = "tollgate-healthcheck@probe.invalid";

    private final MfaService mfa;

    @Inject
    public MfaStoreHealthCheck(MfaService mfa) {
        this.mfa = mfa;
    }

    @Override
    public ComponentName componentName() {
        return NAME;
    }

    @Override
    public Publisher<Result> check() {
        return Mono.fromCallable(() -> {
            try {
                mfa.status(PROBE);
                return Result.healthy(NAME);
            } catch (Exception e) {
                return Result.unhealthy(NAME, "the MFA store cannot be read: " + e.getClass().getSimpleName());
            }
        });
    }
}
