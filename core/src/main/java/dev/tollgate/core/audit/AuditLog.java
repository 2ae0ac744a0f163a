package dev.tollgate.core.audit;

import java.net.InetAddress;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@link AuditEvent}s, one JSON object per line, at INFO on the SLF4J logger {@value #LOGGER}
 * ({@code conf/logback.xml} routes it to its own rolling file). Never throws: an audit line that cannot be
 * written is reported on Tollgate's own logger and the decision stands. Thread-safe.
 */
public final class AuditLog {
    /** The logger name the audit trail is written to. */
    public static final String LOGGER = "tollgate.audit";
    private static final Logger AUDIT = LoggerFactory.getLogger(LOGGER);
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    private static volatile String node;

    private AuditLog() {
    }

    /** Writes {@code event}. */
    public static void write(AuditEvent event) {
        try {
            if (AUDIT.isInfoEnabled()) {
                AUDIT.info(event.toJson(node()));
            }
        } catch (RuntimeException e) {
            LOG.warn("Tollgate audit line for {} {} could not be written: {}", event.capability(), event.decision(),
                    e.toString());
        }
    }

    /** Writes the event {@code builder} builds. */
    public static void write(AuditEvent.Builder builder) {
        write(builder.build());
    }

    /**
     * @return the node name: system property {@code tollgate.node}, else environment {@code HOSTNAME}, else
     *         the local host name
     */
    public static String node() {
        String n = node;
        if (n == null) {
            n = System.getProperty("tollgate.node");
            if (n == null || n.isBlank()) {
                n = System.getenv("HOSTNAME");
            }
            if (n == null || n.isBlank()) {
                try {
                    n = InetAddress.getLocalHost().getHostName();
                } catch (java.io.IOException | RuntimeException e) {
                    n = "unknown";
                }
            }
            node = n;
        }
        return n;
    }
}
