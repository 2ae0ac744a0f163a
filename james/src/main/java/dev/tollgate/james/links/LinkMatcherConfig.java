package dev.tollgate.james.links;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.tollgate.core.config.AbstractComponentSpec;
import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Parameters;
import dev.tollgate.core.links.LinkScanSettings;
import dev.tollgate.core.links.LinkSettingsFile;
import dev.tollgate.core.links.MessageLinkRewriter;

/**
 * Configuration of {@link HasMaliciousLink} and {@link HasSuspiciousLink}: the matcher condition holds
 * the scanner's parameters ({@link LinkScanSettings}) written {@code name=value} and separated by
 * {@code ;}, with {@code maxLinks} and {@code maxParts} besides, e.g.
 * {@code HasMaliciousLink=blockList=conf/link-blocklist.txt;protectedDomains=example.com,bank.example}, or
 * {@code linkSettings=conf/tollgate-links.properties} to read the scanner's parameters from the redirector's file.
 * An empty condition runs the checks that need no configuration. The condition applies only to mail whose links
 * no Tollgate component has scanned yet: a verdict already recorded (by {@code RewriteLinks}) is used as is.
 */
public final class LinkMatcherConfig {
    private final LinkScanSettings scan;
    private final int maxLinks;
    private final int maxParts;

    private LinkMatcherConfig(Parameters p) {
        this.scan = LinkScanSettings.parse(p);
        this.maxLinks = p.intInRange("maxLinks", MessageLinkRewriter.DEFAULT_MAX_LINKS, 1, 100_000);
        this.maxParts = p.intInRange("maxParts", MessageLinkRewriter.DEFAULT_MAX_PARTS, 1, 10_000);
    }

    /** @throws ConfigException naming the parameter (or {@code condition} for bad syntax) */
    public static LinkMatcherConfig parse(String condition) {
        Parameters p = conditionParameters(condition);
        java.util.Set<String> known = new java.util.HashSet<>(LinkScanSettings.PARAMETERS);
        known.add("maxLinks");
        known.add("maxParts");
        known.add(LinkSettingsFile.PARAMETER);
        p.requireKnown(known);
        return LinkSettingsFile.parse(p, LinkScanSettings.PARAMETERS, LinkMatcherConfig::new);
    }

    static Parameters conditionParameters(String condition) {
        Map<String, String> values = new LinkedHashMap<>();
        if (condition != null) {
            for (String item : condition.split(";")) {
                if (item.isBlank()) {
                    continue;
                }
                int eq = item.indexOf('=');
                if (eq <= 0) {
                    throw new ConfigException("condition", "must be name=value pairs separated by ';'");
                }
                String name = item.substring(0, eq).strip();
                if (values.put(name, item.substring(eq + 1).strip()) != null) {
                    throw new ConfigException(name, "is given twice");
                }
            }
        }
        return Parameters.of(values);
    }

    /** Loads the lists and builds a find-and-scan walker. */
    MessageLinkRewriter build(Clock clock) {
        return MessageLinkRewriter.builder().scanner(scan.build(clock)).maxLinks(maxLinks).maxParts(maxParts).build();
    }

    /** Validation of {@code HasMaliciousLink} for {@code tollgate check-config}. */
    public static final class MaliciousSpec extends AbstractComponentSpec {
        public MaliciousSpec() {
            super("dev.tollgate.james.links.HasMaliciousLink", Kind.MATCHER);
        }

        @Override
        public void validate(Parameters parameters, String condition) {
            parse(condition);
        }
    }

    /** Validation of {@code HasSuspiciousLink} for {@code tollgate check-config}. */
    public static final class SuspiciousSpec extends AbstractComponentSpec {
        public SuspiciousSpec() {
            super("dev.tollgate.james.links.HasSuspiciousLink", Kind.MATCHER);
        }

        @Override
        public void validate(Parameters parameters, String condition) {
            parse(condition);
        }
    }

    /**
     * The condition check of {@link HasUnexaminedLinks}, which takes none; here so that {@code tollgate check-config}
     * runs it without James's classes.
     *
     * @throws ConfigException ({@code condition}) when a condition is given
     */
    static Void requireNoCondition(String condition) {
        if (condition != null && !condition.isBlank()) {
            throw new ConfigException("condition", "HasUnexaminedLinks takes no condition");
        }
        return null;
    }

    /** Validation of {@code HasUnexaminedLinks} for {@code tollgate check-config}. */
    public static final class UnexaminedSpec extends AbstractComponentSpec {
        public UnexaminedSpec() {
            super("dev.tollgate.james.links.HasUnexaminedLinks", Kind.MATCHER);
        }

        @Override
        public void validate(Parameters parameters, String condition) {
            requireNoCondition(condition);
        }
    }
}
