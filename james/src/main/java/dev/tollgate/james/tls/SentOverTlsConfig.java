package dev.tollgate.james.tls;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import dev.tollgate.core.config.AbstractComponentSpec;
import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Parameters;

/**
 * Condition of {@link SentOverTls}: empty (any TLS version), or the minimum TLS protocol version,
 * one of {@code TLSv1}, {@code TLSv1.1}, {@code TLSv1.2}, {@code TLSv1.3} (JSSE protocol names).
 */
public final class SentOverTlsConfig {
    /** JSSE protocol names, weakest first. */
    static final List<String> PROTOCOLS = List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");

    private final Optional<String> minimumProtocol;

    private SentOverTlsConfig(Optional<String> minimumProtocol) {
        this.minimumProtocol = minimumProtocol;
    }

    /**
     * @param condition the text after {@code SentOverTls=}, or null
     * @throws ConfigException (parameter {@code condition}) for an unknown protocol name
     */
    public static SentOverTlsConfig parse(String condition) {
        if (condition == null || condition.isBlank()) {
            return new SentOverTlsConfig(Optional.empty());
        }
        String wanted = condition.trim();
        for (String protocol : PROTOCOLS) {
            if (protocol.toLowerCase(Locale.ROOT).equals(wanted.toLowerCase(Locale.ROOT))) {
                return new SentOverTlsConfig(Optional.of(protocol));
            }
        }
        throw new ConfigException("condition", "minimum TLS protocol must be one of " + PROTOCOLS);
    }

    /** @return the minimum JSSE protocol name, or empty when any TLS version is accepted */
    public Optional<String> minimumProtocol() {
        return minimumProtocol;
    }

    /**
     * @param protocol the session's JSSE protocol name, or null when unknown
     * @return whether a TLS session with this protocol satisfies the condition; an unknown protocol
     *         satisfies only the empty condition (fail closed)
     */
    public boolean accepts(String protocol) {
        if (minimumProtocol.isEmpty()) {
            return true;
        }
        int rank = protocol == null ? -1 : PROTOCOLS.indexOf(protocol);
        return rank >= PROTOCOLS.indexOf(minimumProtocol.get());
    }

    /** Lets {@code tollgate check-config} validate {@code SentOverTls} as James would. */
    public static final class Spec extends AbstractComponentSpec {
        public Spec() {
            super("dev.tollgate.james.tls.SentOverTls", Kind.MATCHER);
        }

        @Override
        public void validate(Parameters parameters, String condition) {
            parse(condition);
        }
    }
}
