package dev.tollgate.core.links;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.HomePaths;
import dev.tollgate.core.config.Parameters;
import dev.tollgate.core.config.PropertiesFiles;

/**
 * One source for the link-protection values that the rewriting mailet, the link matchers and the click-time
 * redirector must agree on (the token key file, the block and allow lists, DNSBL zones...): the properties file the
 * redirector reads ({@code conf/tollgate-links.properties}), named by a component's {@value #PARAMETER} parameter.
 */
public final class LinkSettingsFile {
    /** The parameter naming the properties file. */
    public static final String PARAMETER = "linkSettings";

    private LinkSettingsFile() {
    }

    /**
     * Takes the {@code shared} keys from the file named by {@value #PARAMETER}, when given.
     *
     * @param parameters a component's own parameters
     * @param shared     the keys that come from the file
     * @return {@code parameters} without {@value #PARAMETER}, plus the file's values of the {@code shared} keys;
     *         {@code parameters} itself when {@value #PARAMETER} is not given
     * @throws ConfigException naming {@value #PARAMETER} when the file cannot be read, or naming a shared key
     *                         that is given both inline and through the file
     */
    private static Parameters merge(Parameters parameters, Set<String> shared) {
        Optional<String> name = parameters.optional(PARAMETER);
        if (name.isEmpty()) {
            return parameters;
        }
        Path file = HomePaths.resolve(name.get());
        Map<String, String> properties = read(file);
        Map<String, String> merged = new LinkedHashMap<>();
        for (String key : parameters.names()) {
            if (key.equals(PARAMETER)) {
                continue;
            }
            if (shared.contains(key)) {
                throw new ConfigException(key, "is read from " + PARAMETER + " (" + file + "); set it there only");
            }
            merged.put(key, parameters.optional(key).orElse(""));
        }
        for (String key : shared) {
            String value = properties.get(key);
            if (value != null) {
                merged.put(key, value);
            }
        }
        return Parameters.of(merged);
    }

    /**
     * {@link #merge}s, then parses: a value the file gave that {@code parse} refuses is reported with the file's
     * name, since the administrator will not find it in the component's own configuration.
     *
     * @throws ConfigException naming the parameter (and the file, for a value read from it)
     */
    public static <T> T parse(Parameters parameters, Set<String> shared, Function<Parameters, T> parse) {
        Parameters merged = merge(parameters, shared);
        try {
            return parse.apply(merged);
        } catch (ConfigException e) {
            Optional<String> name = parameters.optional(PARAMETER);
            if (name.isPresent() && e.parameter() != null && shared.contains(e.parameter())) {
                throw new ConfigException(e.parameter(), e.reason() + " (in " + HomePaths.resolve(name.get()) + ")", e);
            }
            throw e;
        }
    }

    /** Reads the file as James reads it for the redirector, so a non-ASCII path names the same file to both. */
    private static Map<String, String> read(Path file) {
        if (!Files.isReadable(file)) {
            throw new ConfigException(PARAMETER, "file " + file + " is missing or unreadable");
        }
        try {
            return PropertiesFiles.read(file);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException(PARAMETER, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
