package dev.tollgate.james.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.inject.Inject;

import org.apache.james.core.healthcheck.ComponentName;
import org.apache.james.core.healthcheck.HealthCheck;
import org.apache.james.core.healthcheck.Result;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.utils.PropertiesProvider;
import org.reactivestreams.Publisher;

import dev.tollgate.core.config.Parameters;
import dev.tollgate.core.links.ClickRedirector;
import dev.tollgate.core.mfa.MfaServiceConfig;
import dev.tollgate.james.config.ComponentInit;
import dev.tollgate.james.links.ClickRedirectorStartable;
import reactor.core.publisher.Mono;

/**
 * Health of Tollgate's key files: the MFA store key ({@code store.keyFile} of {@code tollgate-mfa.properties})
 * and the link token keys ({@code keyFile} of {@code tollgate-links.properties}, when the redirector is
 * enabled). Unhealthy when one is missing, not a regular file, unreadable or empty: the next restart would
 * fail, and a replaced file means every enrolment or delivered link is lost. Only the paths are reported,
 * never a byte of a key. Listed in {@code healthcheck.properties}:
 * <pre>additional.healthchecks=dev.tollgate.james.ops.KeyFilesHealthCheck</pre>
 */
public class KeyFilesHealthCheck implements HealthCheck {
    /** The component name WebAdmin {@code /healthcheck} reports. */
    public static final ComponentName NAME = new ComponentName("Tollgate key files");

    private final PropertiesProvider properties;
    private final FileSystem fileSystem;

    @Inject
    public KeyFilesHealthCheck(PropertiesProvider properties, FileSystem fileSystem) {
        this.properties = properties;
        this.fileSystem = fileSystem;
    }

    @Override
    public ComponentName componentName() {
        return NAME;
    }

    @Override
    public Publisher<Result> check() {
        return Mono.fromCallable(this::checkNow);
    }

    Result checkNow() {
        List<String> problems = new ArrayList<>();
        try {
            Optional<Parameters> mfa = ComponentInit.propertiesFile(properties, MfaServiceConfig.FILE);
            MfaServiceConfig config = MfaServiceConfig.parse(mfa.orElseGet(Parameters::empty));
            check("MFA store key", fileSystem.getBasedir().toPath().resolve(config.keyFile()), problems);
            Optional<Parameters> links = ComponentInit.propertiesFile(properties, ClickRedirectorStartable.CONFIGURATION);
            if (links.isPresent()) {
                ClickRedirector.Config c = ClickRedirector.Config.parse(links.get());
                if (c.enabled()) {
                    check("link token keys", c.keyFile(), problems);
                }
            }
        } catch (Exception e) {
            return Result.unhealthy(NAME, "configuration unreadable: " + e.getMessage());
        }
        return problems.isEmpty() ? Result.healthy(NAME) : Result.unhealthy(NAME, String.join("; ", problems));
    }

    private static void check(String what, Path file, List<String> problems) {
        if (!Files.exists(file)) {
            problems.add(what + " " + file + " is missing");
        } else if (!Files.isRegularFile(file)) {
            problems.add(what + " " + file + " is not a regular file");
        } else if (!Files.isReadable(file)) {
            problems.add(what + " " + file + " is not readable");
        } else {
            try {
                if (Files.size(file) == 0) {
                    problems.add(what + " " + file + " is empty");
                }
            } catch (java.io.IOException e) {
                problems.add(what + " " + file + " cannot be read: " + e.getClass().getSimpleName());
            }
        }
    }
}
