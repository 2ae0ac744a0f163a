package dev.tollgate.core.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The init parameters of one Tollgate component, as James hands them over: name to raw text.
 *
 * <p>Every typed getter either returns a valid value or throws {@link ConfigException} naming the
 * parameter. Blank values count as absent, as in James's {@code GenericMailet#getInitParameterAsOptional}.
 * The same object is built by the James adapters (from {@code MailetConfig}) and by
 * {@code tollgate check-config} (from the XML), so both validate identically.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Parameters {
    /** Parameters James itself reads on every mailet (ProcessorImpl, MatcherSplitter). */
    public static final Set<String> JAMES_RESERVED = Set.of("onMailetException", "onMatchException");

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h|d)?");

    private final Map<String, String> values;

    private Parameters(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** @param values name to raw value, in declaration order; null values are treated as absent */
    public static Parameters of(Map<String, String> values) {
        Map<String, String> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (v != null) {
                copy.put(k, v);
            }
        });
        return new Parameters(copy);
    }

    /** @return an empty parameter set */
    public static Parameters empty() {
        return new Parameters(Map.of());
    }

    /** @return the parameter names present, in declaration order */
    public Set<String> names() {
        return values.keySet();
    }

    /**
     * Refuses names outside {@code allowed} (plus {@link #JAMES_RESERVED}), like James's
     * {@code GenericMailet#checkInitParameters}, so a misspelt parameter is not silently ignored.
     *
     * @throws ConfigException naming the first unknown parameter and listing the known ones
     */
    public Parameters requireKnown(Set<String> allowed) {
        for (String name : values.keySet()) {
            if (!allowed.contains(name) && !JAMES_RESERVED.contains(name)) {
                throw new ConfigException(name, "unknown parameter; known parameters are "
                        + new TreeSet<>(allowed));
            }
        }
        return this;
    }

    /**
     * Refuses parameters whose value now has one source elsewhere, so a value that must agree across files
     * cannot be given twice.
     *
     * @param where names the one source, e.g. {@code conf/tollgate-mfa.properties}
     * @throws ConfigException naming the first such parameter given
     */
    public Parameters refuseMoved(String where, String... names) {
        for (String name : names) {
            if (values.containsKey(name)) {
                throw new ConfigException(name, "is set in " + where + " only");
            }
        }
        return this;
    }

    /** @return the trimmed value, or empty when missing or blank */
    public Optional<String> optional(String name) {
        return Optional.ofNullable(values.get(name)).map(String::trim).filter(v -> !v.isEmpty());
    }

    /** @return the trimmed value, or {@code defaultValue} when missing or blank */
    public String string(String name, String defaultValue) {
        return optional(name).orElse(defaultValue);
    }

    /**
     * Reads a header field name (RFC 5322 §3.6.8).
     *
     * @return the trimmed value, or {@code defaultValue} when missing or blank
     * @throws ConfigException when the value is not a field name
     */
    public String headerName(String name, String defaultValue) {
        String value = string(name, defaultValue);
        if (!isHeaderFieldName(value)) {
            throw new ConfigException(name, "must be a header field name: printable US-ASCII without ':' or spaces");
        }
        return value;
    }

    /**
     * RFC 5322 §3.6.8: {@code field-name = 1*ftext}, ftext = %d33-57 / %d59-126; at most 76 characters so the
     * field fits a folded line.
     *
     * @return whether {@code name} is a header field name
     */
    public static boolean isHeaderFieldName(String name) {
        if (name.isEmpty() || name.length() > 76) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 33 || c > 126 || c == ':') {
                return false;
            }
        }
        return true;
    }

    /** @throws ConfigException when the parameter is missing or blank */
    public String required(String name) {
        return optional(name).orElseThrow(() -> new ConfigException(name, "is required"));
    }

    /**
     * Reads {@code true|yes|false|no} (any case).
     *
     * @throws ConfigException for any other text
     */
    public boolean bool(String name, boolean defaultValue) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        switch (raw.get().toLowerCase(Locale.ROOT)) {
            case "true":
            case "yes":
                return true;
            case "false":
            case "no":
                return false;
            default:
                throw new ConfigException(name, "must be true or false");
        }
    }

    /**
     * Reads an integer in {@code [min, max]}.
     *
     * @throws ConfigException when not a decimal integer or out of range
     */
    public int intInRange(String name, int defaultValue, int min, int max) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        final long parsed;
        try {
            parsed = Long.parseLong(raw.get());
        } catch (NumberFormatException e) {
            throw new ConfigException(name, "must be an integer between " + min + " and " + max);
        }
        if (parsed < min || parsed > max) {
            throw new ConfigException(name, "must be between " + min + " and " + max + ", was " + parsed);
        }
        return (int) parsed;
    }

    /**
     * Reads a duration written as a number with an optional unit: {@code ms}, {@code s} (default),
     * {@code m}, {@code h}, {@code d}; e.g. {@code 30s}, {@code 500ms}, {@code 1d}.
     *
     * @throws ConfigException on any other syntax
     */
    public Duration duration(String name, Duration defaultValue) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        Matcher m = DURATION.matcher(raw.get().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new ConfigException(name, "must be a duration such as 500ms, 30s, 5m, 2h or 1d");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        switch (unit) {
            case "ms":
                return Duration.ofMillis(n);
            case "m":
                return Duration.ofMinutes(n);
            case "h":
                return Duration.ofHours(n);
            case "d":
                return Duration.ofDays(n);
            default:
                return Duration.ofSeconds(n);
        }
    }

    /**
     * Reads one of an enum's constants, written in lower case with {@code -} for {@code _}
     * (e.g. {@code dane-only} for {@code DANE_ONLY}); matching ignores case.
     *
     * @throws ConfigException listing the accepted values
     */
    public <E extends Enum<E>> E enumValue(String name, Class<E> type, E defaultValue) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        String wanted = raw.get().replace('-', '_');
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(wanted)) {
                return constant;
            }
        }
        throw new ConfigException(name, "must be one of " + Stream.of(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                .collect(Collectors.joining(", ")));
    }

    /**
     * Splits a comma-separated value (James joins repeated elements with commas) into trimmed,
     * non-empty items.
     *
     * @return the items, empty when the parameter is absent
     */
    public List<String> list(String name) {
        return optional(name).stream()
                .flatMap(v -> Stream.of(v.split(",")))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableList());
    }

    @Override
    public String toString() {
        // Names only: values may be secrets.
        return "Parameters" + values.keySet();
    }
}
