package dev.tollgate.james.dlp;

import java.util.Optional;
import java.util.Set;

import dev.tollgate.core.config.AbstractComponentSpec;
import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Parameters;

/**
 * Configuration of {@link DlpTag}.
 *
 * <table>
 *   <caption>Parameters</caption>
 *   <tr><th>name</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code header}</td><td>{@code X-Tollgate-DLP}</td><td>header set to {@code tagged; rules=<ids>}; {@code none} for no header</td></tr>
 *   <tr><td>{@code subjectPrefix}</td><td>none</td><td>text put before the Subject, e.g. {@code [SENSITIVE]} (not repeated)</td></tr>
 * </table>
 */
public final class DlpTagConfig {
    private final Optional<String> header;
    private final Optional<String> subjectPrefix;

    private DlpTagConfig(Parameters p) {
        String h = p.string("header", ScanSensitiveDataConfig.DEFAULT_HEADER);
        if ("none".equalsIgnoreCase(h)) {
            header = Optional.empty();
        } else if (!Parameters.isHeaderFieldName(h)) {
            throw new ConfigException("header", "must be a header field name, or none");
        } else {
            header = Optional.of(h);
        }
        subjectPrefix = p.optional("subjectPrefix");
        if (subjectPrefix.isPresent() && (subjectPrefix.get().length() > 50
                || subjectPrefix.get().chars().anyMatch(ch -> ch < 0x20))) {
            throw new ConfigException("subjectPrefix", "must be one line of at most 50 chars");
        }
        if (header.isEmpty() && subjectPrefix.isEmpty()) {
            throw new ConfigException("header", "is none and no subjectPrefix is set: the tag would do nothing");
        }
    }

    /** @throws ConfigException naming the parameter */
    public static DlpTagConfig parse(Parameters p) {
        p.requireKnown(Set.of("header", "subjectPrefix"));
        return new DlpTagConfig(p);
    }

    public Optional<String> header() {
        return header;
    }

    public Optional<String> subjectPrefix() {
        return subjectPrefix;
    }

    /** check-config spec. */
    public static final class Spec extends AbstractComponentSpec {
        public Spec() {
            super("dev.tollgate.james.dlp.DlpTag", Kind.MAILET);
        }

        @Override
        public void validate(Parameters parameters, String condition) {
            parse(parameters);
        }
    }
}
