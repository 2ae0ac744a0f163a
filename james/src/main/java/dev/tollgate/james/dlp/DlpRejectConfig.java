package dev.tollgate.james.dlp;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Set;

import dev.tollgate.core.config.AbstractComponentSpec;
import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Parameters;

/**
 * Configuration of {@link DlpReject}.
 *
 * <table>
 *   <caption>Parameters</caption>
 *   <tr><th>name</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code reportingMta}</td><td>the host name</td><td>{@code Reporting-MTA} of the DSN (RFC 3464 section 2.2.2)</td></tr>
 *   <tr><td>{@code organization}</td><td>{@code this server}</td><td>who blocked the mail, in the DSN text</td></tr>
 * </table>
 */
public final class DlpRejectConfig {
    private final String reportingMta;
    private final String organization;

    private DlpRejectConfig(Parameters p) {
        this.reportingMta = p.optional("reportingMta").orElseGet(DlpRejectConfig::hostName);
        if (!reportingMta.matches("[A-Za-z0-9.\\-]{1,253}")) {
            throw new ConfigException("reportingMta", "must be a host name");
        }
        this.organization = p.string("organization", "this server");
        if (organization.length() > 200 || organization.chars().anyMatch(ch -> ch < 0x20)) {
            throw new ConfigException("organization", "must be one line of at most 200 chars");
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** @throws ConfigException naming the parameter */
    public static DlpRejectConfig parse(Parameters p) {
        p.requireKnown(Set.of("reportingMta", "organization"));
        return new DlpRejectConfig(p);
    }

    public String reportingMta() {
        return reportingMta;
    }

    public String organization() {
        return organization;
    }

    /** check-config spec. */
    public static final class Spec extends AbstractComponentSpec {
        public Spec() {
            super("dev.tollgate.james.dlp.DlpReject", Kind.MAILET);
        }

        @Override
        public void validate(Parameters parameters, String condition) {
            parse(parameters);
        }
    }
}
