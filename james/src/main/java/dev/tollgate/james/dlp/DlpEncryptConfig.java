package dev.tollgate.james.dlp;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import dev.tollgate.core.config.AbstractComponentSpec;
import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.HomePaths;
import dev.tollgate.core.config.Parameters;

/**
 * Configuration of {@link DlpEncrypt}.
 *
 * <table>
 *   <caption>Parameters</caption>
 *   <tr><th>name</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code certificates}</td><td>required</td><td>directory of recipient certificates {@code <address>.pem|.crt}; give {@code ScanSensitiveData} the same directory</td></tr>
 * </table>
 */
public final class DlpEncryptConfig {
    private final Path certificates;

    private DlpEncryptConfig(Parameters p) {
        this.certificates = HomePaths.resolve(p.required("certificates"));
    }

    /**
     * A missing directory is allowed (no certificates yet: ScanSensitiveData then gives every encrypt rule
     * its else action) and only logged by the mailet.
     *
     * @throws ConfigException naming the parameter
     */
    public static DlpEncryptConfig parse(Parameters p) {
        p.requireKnown(Set.of("certificates"));
        return new DlpEncryptConfig(p);
    }

    /** @return whether the directory exists */
    public boolean directoryExists() {
        return Files.isDirectory(certificates);
    }

    public Path certificates() {
        return certificates;
    }

    /** check-config spec. */
    public static final class Spec extends AbstractComponentSpec {
        public Spec() {
            super("dev.tollgate.james.dlp.DlpEncrypt", Kind.MAILET);
        }

        @Override
        public void validate(Parameters parameters, String condition) {
            parse(parameters);
        }
    }
}
