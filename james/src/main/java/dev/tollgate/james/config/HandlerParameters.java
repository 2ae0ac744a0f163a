package dev.tollgate.james.config;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.commons.configuration2.Configuration;

import dev.tollgate.core.config.Parameters;

/**
 * Reads the child elements of a {@code <handler>} in {@code smtpserver.xml} into {@link Parameters}.
 * The {@code class} attribute (seen by commons-configuration as {@code [@class]}) is not a parameter.
 */
public final class HandlerParameters {
    private HandlerParameters() {
    }

    public static Parameters of(Configuration configuration) {
        Map<String, String> values = new LinkedHashMap<>();
        if (configuration != null) {
            for (Iterator<String> keys = configuration.getKeys(); keys.hasNext(); ) {
                String key = keys.next();
                if (key.startsWith("[@") || key.contains("[@")) {
                    continue;
                }
                values.put(key, String.join(",", configuration.getStringArray(key)));
            }
        }
        return Parameters.of(values);
    }
}
