package dev.tollgate.james.dlp;

import java.util.Set;

import dev.tollgate.core.config.AbstractComponentSpec;
import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Parameters;

/**
 * Configuration of {@link DlpQuarantine}.
 *
 * <table>
 *   <caption>Parameters</caption>
 *   <tr><th>name</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code repositoryPath}</td><td>{@code memory://var/mail/dlp-quarantine/}</td><td>James mail repository URL (protocol://path/)</td></tr>
 * </table>
 */
public final class DlpQuarantineConfig {
    /** Default quarantine repository. */
    public static final String DEFAULT_REPOSITORY = "memory://var/mail/dlp-quarantine/";

    private final String repositoryPath;

    private DlpQuarantineConfig(Parameters p) {
        this.repositoryPath = p.string("repositoryPath", DEFAULT_REPOSITORY);
        if (!repositoryPath.matches("[a-z][a-z0-9+.-]*://[^\\s]+")) {
            throw new ConfigException("repositoryPath", "must be a mail repository URL such as " + DEFAULT_REPOSITORY);
        }
    }

    /** @throws ConfigException naming the parameter */
    public static DlpQuarantineConfig parse(Parameters p) {
        p.requireKnown(Set.of("repositoryPath"));
        return new DlpQuarantineConfig(p);
    }

    public String repositoryPath() {
        return repositoryPath;
    }

    /** check-config spec. */
    public static final class Spec extends AbstractComponentSpec {
        public Spec() {
            super("dev.tollgate.james.dlp.DlpQuarantine", Kind.MAILET);
        }

        @Override
        public void validate(Parameters parameters, String condition) {
            parse(parameters);
        }
    }
}
