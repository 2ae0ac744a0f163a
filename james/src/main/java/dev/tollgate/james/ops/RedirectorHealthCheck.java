package dev.tollgate.james.ops;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Optional;

import javax.inject.Inject;

import org.apache.james.core.healthcheck.ComponentName;
import org.apache.james.core.healthcheck.HealthCheck;
import org.apache.james.core.healthcheck.Result;
import org.apache.james.utils.PropertiesProvider;
import org.reactivestreams.Publisher;

import dev.tollgate.core.config.Parameters;
import dev.tollgate.core.links.ClickRedirector;
import dev.tollgate.james.config.ComponentInit;
import dev.tollgate.james.links.ClickRedirectorStartable;
import reactor.core.publisher.Mono;

/**
 * Health of the click-time redirector's listener: a TCP connection to its port ({@code tollgate-links.properties};
 * a wildcard bind address is reached on loopback) within 2 s. Unhealthy when nothing accepts it: every
 * rewritten link is broken until it listens again. Healthy with nothing to check when the redirector is
 * disabled or not configured. Listed in {@code healthcheck.properties}.
 */
public class RedirectorHealthCheck implements HealthCheck {
    /** The component name WebAdmin {@code /healthcheck} reports. */
    public static final ComponentName NAME = new ComponentName("Tollgate link redirector");
    private static final int TIMEOUT_MS = 2000;

    private final PropertiesProvider properties;

    @Inject
    public RedirectorHealthCheck(PropertiesProvider properties) {
        this.properties = properties;
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
        ClickRedirector.Config c;
        try {
            Optional<Parameters> p = ComponentInit.propertiesFile(properties, ClickRedirectorStartable.CONFIGURATION);
            if (p.isEmpty()) {
                return Result.healthy(NAME);
            }
            c = ClickRedirector.Config.parse(p.get());
        } catch (RuntimeException e) {
            return Result.unhealthy(NAME, "configuration unreadable: " + e.getMessage());
        }
        if (!c.enabled()) {
            return Result.healthy(NAME);
        }
        String host = c.bindAddress().equals("0.0.0.0") || c.bindAddress().equals("::") ? "127.0.0.1" : c.bindAddress();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, c.port()), TIMEOUT_MS);
            return Result.healthy(NAME);
        } catch (java.io.IOException e) {
            return Result.unhealthy(NAME, "nothing accepts connections on " + host + ":" + c.port() + ": "
                    + e.getClass().getSimpleName());
        }
    }
}
