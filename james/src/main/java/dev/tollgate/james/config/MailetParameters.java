package dev.tollgate.james.config;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.mailet.MailetConfig;

import dev.tollgate.core.config.Parameters;

/** Reads a {@link MailetConfig}'s init parameters into Tollgate's {@link Parameters}. */
public final class MailetParameters {
    private MailetParameters() {
    }

    public static Parameters of(MailetConfig config) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Iterator<String> names = config.getInitParameterNames(); names.hasNext(); ) {
            String name = names.next();
            values.put(name, config.getInitParameter(name));
        }
        return Parameters.of(values);
    }
}
