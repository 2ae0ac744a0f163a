package dev.tollgate.james.dlp;

import java.util.Set;

import dev.tollgate.core.config.AbstractComponentSpec;
import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Parameters;

/**
 * Configuration of {@link DlpEncrypt}: it takes no parameters. The recipient certificates are read from the
 * directory {@code ScanSensitiveData} consulted when it chose {@code encrypt} (its {@code certificates} parameter,
 * recorded on the mail), so the decision and the encryption cannot use different certificates.
 */
public final class DlpEncryptConfig {
    private static final DlpEncryptConfig INSTANCE = new DlpEncryptConfig();

    private DlpEncryptConfig() {
    }

    /** @throws ConfigException naming the first parameter given */
    public static DlpEncryptConfig parse(Parameters p) {
        p.refuseMoved("ScanSensitiveData's certificates parameter", "certificates").requireKnown(Set.of());
        return INSTANCE;
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
