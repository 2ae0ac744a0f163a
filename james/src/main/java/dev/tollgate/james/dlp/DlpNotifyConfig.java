package dev.tollgate.james.dlp;

import java.util.Optional;
import java.util.Set;

import javax.mail.internet.AddressException;
import javax.mail.internet.InternetAddress;

import dev.tollgate.core.config.AbstractComponentSpec;
import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Parameters;

/**
 * Configuration of {@link DlpNotify}.
 *
 * <table>
 *   <caption>Parameters</caption>
 *   <tr><th>name</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code notifySender}</td><td>{@code true}</td><td>send the notice to the envelope sender</td></tr>
 *   <tr><td>{@code complianceAddress}</td><td>none</td><td>also send it to this address</td></tr>
 * </table>
 * At least one recipient of the notice must be configured.
 */
public final class DlpNotifyConfig {
    private final boolean notifySender;
    private final Optional<String> complianceAddress;

    private DlpNotifyConfig(Parameters p) {
        this.notifySender = p.bool("notifySender", true);
        this.complianceAddress = p.optional("complianceAddress");
        if (complianceAddress.isPresent()) {
            try {
                new InternetAddress(complianceAddress.get(), true);
            } catch (AddressException e) {
                throw new ConfigException("complianceAddress", "not an e-mail address");
            }
        }
        if (!notifySender && complianceAddress.isEmpty()) {
            throw new ConfigException("notifySender", "is false and no complianceAddress is set: nobody would be notified");
        }
    }

    /** @throws ConfigException naming the parameter */
    public static DlpNotifyConfig parse(Parameters p) {
        p.requireKnown(Set.of("notifySender", "complianceAddress"));
        return new DlpNotifyConfig(p);
    }

    public boolean notifySender() {
        return notifySender;
    }

    public Optional<String> complianceAddress() {
        return complianceAddress;
    }

    /** check-config spec. */
    public static final class Spec extends AbstractComponentSpec {
        public Spec() {
            super("dev.tollgate.james.dlp.DlpNotify", Kind.MAILET);
        }

        @Override
        public void validate(Parameters parameters, String condition) {
            parse(parameters);
        }
    }
}
