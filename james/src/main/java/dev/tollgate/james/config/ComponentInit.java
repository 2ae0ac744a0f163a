package dev.tollgate.james.config;

import java.io.FileNotFoundException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import javax.mail.MessagingException;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.utils.PropertiesProvider;
import org.apache.mailet.MailetConfig;
import org.apache.mailet.base.GenericMailet;
import org.apache.mailet.base.GenericMatcher;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Parameters;

/**
 * The one path from a component's James configuration to its validated configuration value object, and from a
 * {@link ConfigException} to the exception James reports at startup. Every Tollgate mailet, matcher, SMTP hook and
 * startable reads its configuration through here, so an error always names the component and the parameter the
 * same way ({@code "<component>: parameter '<name>' <reason>"}), and {@code tollgate check-config} (which calls the
 * same {@code parse} methods through each component's {@code Spec}) prints the same reason.
 */
public final class ComponentInit {
    private ComponentInit() {
    }

    /**
     * Parses a mailet's init parameters.
     *
     * @param mailet the mailet being initialised (its name prefixes the error)
     * @param parse  the configuration's {@code parse}, or any init step that throws {@link ConfigException}
     * @return what {@code parse} returns
     * @throws MessagingException wrapping the {@link ConfigException}; James then refuses to start
     */
    public static <T> T mailet(GenericMailet mailet, Function<Parameters, T> parse) throws MessagingException {
        return mailetStep(mailet, () -> parse.apply(parameters(mailet.getMailetConfig())));
    }

    /**
     * Runs a later step of a mailet's {@code init()} on its parsed configuration (loading a key file, a host list, a
     * trust store) through the same error path.
     *
     * @throws MessagingException wrapping the step's {@link ConfigException}; James then refuses to start
     */
    public static <T> T mailetStep(GenericMailet mailet, Supplier<T> step) throws MessagingException {
        try {
            return step.get();
        } catch (ConfigException e) {
            throw new MessagingException(mailet.getMailetName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses a matcher's condition (the text after {@code =} in {@code match="Name=condition"}).
     *
     * @param parse receives the condition, or null when there is none
     * @throws MessagingException wrapping the {@link ConfigException}; James then refuses to start
     */
    public static <T> T matcher(GenericMatcher matcher, Function<String, T> parse) throws MessagingException {
        try {
            return parse.apply(matcher.getCondition());
        } catch (ConfigException e) {
            throw new MessagingException(matcher.getMatcherName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses the child elements of a {@code <handler>} in {@code smtpserver.xml}.
     *
     * @param handler       the hook being configured (its simple class name prefixes the error)
     * @param configuration the handler's configuration, or null
     * @throws ConfigurationException wrapping the {@link ConfigException}; James then refuses to start
     */
    public static <T> T handler(Object handler, Configuration configuration, Function<Parameters, T> parse)
            throws ConfigurationException {
        try {
            return parse.apply(parameters(configuration));
        } catch (ConfigException e) {
            throw new ConfigurationException(handler.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs the configuration step of a component configured from a properties file rather than XML
     * (Guice modules, WebAdmin routes, startables).
     *
     * @param source names what was read, e.g. {@code conf/tollgate-mfa.properties}
     * @throws IllegalStateException wrapping the {@link ConfigException}; Guice then fails James's startup
     */
    public static <T> T file(String source, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (ConfigException e) {
            throw new IllegalStateException(source + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads {@code conf/<name>.properties} through James's {@link PropertiesProvider}.
     *
     * @return the file's keys and values, or empty when the file does not exist
     * @throws IllegalStateException when the file exists but cannot be read; Guice then fails James's startup
     */
    public static Optional<Parameters> propertiesFile(PropertiesProvider properties, String name) {
        try {
            return Optional.of(parameters(properties.getConfiguration(name)));
        } catch (FileNotFoundException e) {
            return Optional.empty();
        } catch (ConfigurationException e) {
            throw new IllegalStateException(name + ".properties: " + e.getMessage(), e);
        }
    }

    /** @return a mailet's init parameters */
    public static Parameters parameters(MailetConfig config) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Iterator<String> names = config.getInitParameterNames(); names.hasNext(); ) {
            String name = names.next();
            values.put(name, config.getInitParameter(name));
        }
        return Parameters.of(values);
    }

    /**
     * @return a handler's child elements; the {@code class} attribute (commons-configuration's {@code [@class]})
     *         is not a parameter
     */
    public static Parameters parameters(Configuration configuration) {
        Map<String, String> values = new LinkedHashMap<>();
        if (configuration != null) {
            for (Iterator<String> keys = configuration.getKeys(); keys.hasNext(); ) {
                String key = keys.next();
                if (key.contains("[@")) {
                    continue;
                }
                values.put(key, String.join(",", configuration.getStringArray(key)));
            }
        }
        return Parameters.of(values);
    }
}
