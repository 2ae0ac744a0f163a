package dev.tollgate.james.mailets;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Set;

import dev.tollgate.core.config.AbstractComponentSpec;
import dev.tollgate.core.config.ConfigException;
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

    private DlpEncryptConfig(Parameters p, boolean checkFiles) {
        this.certificates = Paths.get(p.required("certificates"));
        if (checkFiles && !Files.isDirectory(certificates)) {
            throw new ConfigException("certificates", "not a directory: " + certificates);
        }
    }

    /** @throws ConfigException naming the parameter; the directory must exist */
    public static DlpEncryptConfig parse(Parameters p) {
        p.requireKnown(Set.of("certificates"));
        return new DlpEncryptConfig(p, true);
    }

    public Path certificates() {
        return certificates;
    }

    /** check-config spec (syntax only: the directory may exist only on the server). */
    public static final class Spec extends AbstractComponentSpec {
        public Spec() {
            super("dev.tollgate.james.mailets.DlpEncrypt", Kind.MAILET);
        }

        @Override
        public void validate(Parameters parameters, String condition) {
            parameters.requireKnown(Set.of("certificates"));
            new DlpEncryptConfig(parameters, false);
        }
    }
}
