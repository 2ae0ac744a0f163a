package dev.tollgate.james.dlp;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import dev.tollgate.core.config.AbstractComponentSpec;
import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.HomePaths;
import dev.tollgate.core.config.Parameters;
import dev.tollgate.core.dlp.TextScanner;
import dev.tollgate.core.dlp.policy.DlpEngine;
import dev.tollgate.core.dlp.policy.DlpExtraction;
import dev.tollgate.core.dlp.policy.PolicyException;
import dev.tollgate.core.dlp.policy.PolicyParser;
import dev.tollgate.core.dlp.policy.PolicySource;
import dev.tollgate.core.dlp.smime.CertificateDirectory;

/**
 * Configuration of {@link ScanSensitiveData}, validated at James startup and by {@code tollgate check-config}.
 *
 * <table>
 *   <caption>Parameters (plus the scanner's: detectors, maxFindings, maxInputChars, contextWindow, contextRules)</caption>
 *   <tr><th>name</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code policy}</td><td>required</td><td>policy file (see docs/reference/ScanSensitiveData.md); a broken file fails startup naming file:line</td></tr>
 *   <tr><td>{@code reloadInterval}</td><td>{@code 10s}</td><td>how often the file's modification time is checked; {@code 0} checks on every mail</td></tr>
 *   <tr><td>{@code certificates}</td><td>none</td><td>directory of recipient certificates ({@code <address>.pem}); without it {@code encrypt} rules take their else action</td></tr>
 *   <tr><td>{@code reportHeader}</td><td>{@code X-Tollgate-DLP}</td><td>header written in {@code testing} mode (any such header from the sender is removed)</td></tr>
 * </table>
 */
public final class ScanSensitiveDataConfig {
    /** Default report header. */
    public static final String DEFAULT_HEADER = "X-Tollgate-DLP";

    static final Set<String> OWN = Set.of("policy", "reloadInterval", "certificates", "reportHeader");

    private final Path policy;
    private final Duration reloadInterval;
    private final Optional<Path> certificates;
    private final String reportHeader;
    private final Parameters parameters;

    private ScanSensitiveDataConfig(Parameters p) {
        this.policy = HomePaths.resolve(p.required("policy"));
        this.reloadInterval = p.duration("reloadInterval", Duration.ofSeconds(10));
        this.certificates = p.optional("certificates").map(HomePaths::resolve);
        this.reportHeader = p.headerName("reportHeader", DEFAULT_HEADER);
        TextScanner.builder().configure(p);
        DlpExtraction.validate(p);
        this.parameters = p;
    }

    /** @throws ConfigException naming the parameter (syntax only, the policy file is not read) */
    public static ScanSensitiveDataConfig parse(Parameters parameters) {
        Set<String> known = new HashSet<>(OWN);
        known.addAll(TextScanner.PARAMETERS);
        known.addAll(DlpExtraction.PARAMETERS);
        parameters.requireKnown(known);
        return new ScanSensitiveDataConfig(parameters);
    }

    /**
     * Reads the policy file and builds the engine.
     *
     * @throws ConfigException naming {@code policy} with the file and line of the error
     */
    public DlpEngine build(Clock clock) {
        try {
            PolicySource source = PolicySource.load(policy, PolicyParser.withBuiltInDetectors(), reloadInterval, clock);
            // document workers start with James, not with the first mail that carries a document
            return new DlpEngine(source, TextScanner.builder().configure(parameters).build(),
                    DlpExtraction.create(parameters).startWorkers());
        } catch (PolicyException e) {
            throw new ConfigException("policy", e.getMessage(), e);
        }
    }

    /** @return the recipient-certificate directory, if configured */
    public Optional<Path> certificatesDirectory() {
        return certificates;
    }

    /** @return the recipient certificates, if configured */
    public Optional<CertificateDirectory> certificates(Clock clock) {
        return certificates.map(d -> new CertificateDirectory(d, clock));
    }

    public Path policy() {
        return policy;
    }

    public String reportHeader() {
        return reportHeader;
    }

    /**
     * Lets {@code tollgate check-config} validate {@code ScanSensitiveData} and its policy file, which must
     * exist as at James startup (relative names are resolved against {@code working.directory}, James's home,
     * else the current directory).
     */
    public static final class Spec extends AbstractComponentSpec {
        public Spec() {
            super("dev.tollgate.james.dlp.ScanSensitiveData", Kind.MAILET);
        }

        @Override
        public void validate(Parameters parameters, String condition) {
            ScanSensitiveDataConfig c = parse(parameters);
            if (!Files.exists(c.policy)) {
                throw new ConfigException("policy", "file " + c.policy.toAbsolutePath() + " does not exist "
                        + "(relative names are resolved against James's home, the parent of the conf directory); "
                        + "James would fail to start");
            }
            if (!Files.isRegularFile(c.policy) || !Files.isReadable(c.policy)) {
                throw new ConfigException("policy", "file " + c.policy.toAbsolutePath() + " is not a readable "
                        + "file; James would fail to start");
            }
            try {
                PolicyParser.withBuiltInDetectors().parse(c.policy);
            } catch (PolicyException e) {
                throw new ConfigException("policy", e.getMessage(), e);
            }
        }
    }
}
