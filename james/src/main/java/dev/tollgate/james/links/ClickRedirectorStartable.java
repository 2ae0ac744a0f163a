package dev.tollgate.james.links;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;

import javax.inject.Inject;

import org.apache.james.utils.PropertiesProvider;
import org.apache.james.utils.UserDefinedStartable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tollgate.core.config.Parameters;
import dev.tollgate.core.links.ClickRedirector;
import dev.tollgate.core.links.LinkKeyRing;
import dev.tollgate.james.config.ComponentInit;

/**
 * Starts the click-time redirector with James. Listed in {@code conf/extensions.properties}:
 *
 * <pre>{@code
 * guice.extension.startable=dev.tollgate.james.links.ClickRedirectorStartable
 * }</pre>
 *
 * <p>and configured by {@code conf/tollgate-links.properties} (see {@link ClickRedirector.Config}). A missing
 * or invalid file, unreadable keys or a port already in use stop James at startup with a message naming
 * the parameter: a redirector that silently did not start would break every rewritten link.
 */
public class ClickRedirectorStartable implements UserDefinedStartable {
    /** The configuration file name, without {@code .properties}, under James's {@code conf/}. */
    public static final String CONFIGURATION = "tollgate-links";
    private static final Logger LOG = LoggerFactory.getLogger(ClickRedirectorStartable.class);

    private final PropertiesProvider properties;
    private volatile ClickRedirector redirector;
    private final LinkKeyRings rings;

    /** Without James's injector (tests): the key file only. */
    public ClickRedirectorStartable(PropertiesProvider properties) {
        this(properties, LinkKeyRings.FILES);
    }

    private ClickRedirectorStartable(PropertiesProvider properties, LinkKeyRings rings) {
        this.properties = properties;
        this.rings = rings;
    }

    /**
     * @param metrics James's metrics: installed for the redirector's click counters, which start at zero
     * @param rings   this James's link key rings, bound by {@code MfaModule} (which must be listed)
     */
    @Inject
    public ClickRedirectorStartable(PropertiesProvider properties, dev.tollgate.james.ops.JamesMetrics metrics,
            LinkKeyRings rings) {
        this(properties, rings);
        for (String outcome : dev.tollgate.core.audit.MetricNames.CLICK_OUTCOMES) {
            metrics.register(dev.tollgate.core.audit.Metrics.name(dev.tollgate.core.audit.MetricNames.LINKS_CLICK, outcome));
        }
    }

    @Override
    public void start() {
        Parameters parameters = ComponentInit.propertiesFile(properties, CONFIGURATION).orElseThrow(
                () -> new IllegalStateException("Tollgate redirector: conf/" + CONFIGURATION + ".properties is missing"));
        ClickRedirector.Config config = ComponentInit.file("Tollgate redirector: conf/" + CONFIGURATION + ".properties",
                () -> ClickRedirector.Config.parse(parameters));
        if (!config.enabled()) {
            LOG.info("Tollgate redirector disabled in conf/{}.properties", CONFIGURATION);
            return;
        }
        try {
            LinkKeyRing ring = ComponentInit.file("Tollgate redirector: conf/" + CONFIGURATION + ".properties",
                    () -> rings.ring("keyFile", config.keyFile(), config.createKeyFile()));
            ClickRedirector started = ClickRedirector.start(config, ring, Clock.systemUTC());
            redirector = started;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "tollgate-redirector-stop"));
        } catch (dev.tollgate.core.config.ConfigException e) {
            throw new IllegalStateException("Tollgate redirector: conf/" + CONFIGURATION + ".properties: "
                    + e.getMessage(), e);
        } catch (IOException e) {
            // also a keystore that does not open with tls.secret
            throw new UncheckedIOException("Tollgate redirector cannot listen" + (config.tls()
                    ? " (HTTPS; parameters 'tls.keystore', 'tls.keystoreType', 'tls.secret' in conf/" + CONFIGURATION
                            + ".properties)" : "") + ": " + e.getMessage(), e);
        }
    }

    /** Stops serving (tests; James itself has no stop hook for user startables). */
    public void stop() {
        ClickRedirector r = redirector;
        if (r != null) {
            r.close();
        }
    }
}
