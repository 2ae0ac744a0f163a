package dev.tollgate.core.mfa;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Parameters;

/**
 * Whether SMTP submission must be backed by a second factor, per mail domain of the authenticating user.
 *
 * <p>A single policy is written as one of:
 * <ul>
 *   <li>{@code required}: users without a confirmed enrolment cannot submit; enrolled users must give
 *       password‖code or an app password;</li>
 *   <li>{@code optional}: enrolled users must use MFA, the others may authenticate with their password;</li>
 *   <li>{@code grace-until:YYYY-MM-DD}: {@code optional} up to and including that day (UTC), then
 *       {@code required}, so users get time to enrol.</li>
 * </ul>
 * An enrolled user is always held to MFA, whatever the policy: the policy only decides the fate of
 * users who have not enrolled.
 *
 * <p>A {@link Table} maps domains to policies with a default, read from two parameters:
 * {@code policy} (the default) and {@code domainPolicies}
 * ({@code example.com=required, partner.example=grace-until:2026-12-31}; James joins repeated elements
 * with commas, so one element per domain works too). Domains are compared case-insensitively.
 * Immutable and thread-safe.
 */
public final class MfaPolicy {
    /** The three kinds of policy. */
    public enum Mode {
        /** MFA needed by everybody. */
        REQUIRED,
        /** MFA needed by enrolled users only. */
        OPTIONAL,
        /** {@link #OPTIONAL} until the grace date, then {@link #REQUIRED}. */
        GRACE
    }

    /** Shorthand for {@code required}. */
    public static final MfaPolicy REQUIRED = new MfaPolicy(Mode.REQUIRED, null);
    /** Shorthand for {@code optional}. */
    public static final MfaPolicy OPTIONAL = new MfaPolicy(Mode.OPTIONAL, null);

    private static final String GRACE_PREFIX = "grace-until:";

    private final Mode mode;
    private final LocalDate graceUntil;

    private MfaPolicy(Mode mode, LocalDate graceUntil) {
        this.mode = mode;
        this.graceUntil = graceUntil;
    }

    /**
     * @param parameter the parameter name, for the error
     * @param text      {@code required}, {@code optional} or {@code grace-until:YYYY-MM-DD} (ISO-8601 date)
     * @throws ConfigException naming {@code parameter} for any other text
     */
    public static MfaPolicy parse(String parameter, String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("required")) {
            return REQUIRED;
        }
        if (t.equals("optional")) {
            return OPTIONAL;
        }
        if (t.startsWith(GRACE_PREFIX)) {
            try {
                return new MfaPolicy(Mode.GRACE, LocalDate.parse(t.substring(GRACE_PREFIX.length()).trim()));
            } catch (DateTimeParseException e) {
                throw new ConfigException(parameter, "grace-until needs an ISO date, e.g. grace-until:2026-12-31", e);
            }
        }
        throw new ConfigException(parameter, "must be required, optional or grace-until:YYYY-MM-DD");
    }

    /** @return the mode */
    public Mode mode() {
        return mode;
    }

    /**
     * @param today the current date in UTC
     * @return whether users who have not enrolled are refused on {@code today}
     */
    public boolean requiresEnrollment(LocalDate today) {
        switch (mode) {
            case REQUIRED:
                return true;
            case GRACE:
                return today.isAfter(graceUntil);
            default:
                return false;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MfaPolicy && ((MfaPolicy) o).mode == mode && Objects.equals(((MfaPolicy) o).graceUntil, graceUntil);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, graceUntil);
    }

    /** @return the configuration text, e.g. {@code grace-until:2026-12-31} */
    @Override
    public String toString() {
        return mode == Mode.GRACE ? GRACE_PREFIX + graceUntil : mode.name().toLowerCase(Locale.ROOT);
    }

    /** Domain → policy with a default. Immutable and thread-safe. */
    public static final class Table {
        private final MfaPolicy defaultPolicy;
        private final Map<String, MfaPolicy> byDomain;

        private Table(MfaPolicy defaultPolicy, Map<String, MfaPolicy> byDomain) {
            this.defaultPolicy = defaultPolicy;
            this.byDomain = Collections.unmodifiableMap(byDomain);
        }

        /**
         * Reads {@code policy} (default {@code defaultPolicy}) and {@code domainPolicies}.
         *
         * @throws ConfigException naming the parameter for a malformed entry or a domain given twice
         */
        public static Table parse(Parameters parameters, MfaPolicy defaultPolicy) {
            MfaPolicy fallback = parameters.optional("policy").map(v -> MfaPolicy.parse("policy", v)).orElse(defaultPolicy);
            Map<String, MfaPolicy> map = new LinkedHashMap<>();
            for (String entry : parameters.list("domainPolicies")) {
                int eq = entry.indexOf('=');
                if (eq <= 0) {
                    throw new ConfigException("domainPolicies", "entries are domain=policy, e.g. example.com=required");
                }
                String domain = entry.substring(0, eq).trim().toLowerCase(Locale.ROOT);
                if (domain.isEmpty() || domain.contains("@")) {
                    throw new ConfigException("domainPolicies", "entries are domain=policy, e.g. example.com=required");
                }
                if (map.put(domain, MfaPolicy.parse("domainPolicies", entry.substring(eq + 1))) != null) {
                    throw new ConfigException("domainPolicies", "domain " + domain + " is listed twice");
                }
            }
            return new Table(fallback, map);
        }

        /** @return a table with only a default */
        public static Table of(MfaPolicy defaultPolicy) {
            return new Table(defaultPolicy, new LinkedHashMap<>());
        }

        /**
         * @param user a user name, {@code local@domain} or a bare local part (default policy)
         * @return the policy of the user's domain, else the default
         */
        public MfaPolicy forUser(String user) {
            int at = user.lastIndexOf('@');
            if (at < 0) {
                return defaultPolicy;
            }
            MfaPolicy p = byDomain.get(user.substring(at + 1).toLowerCase(Locale.ROOT));
            return p == null ? defaultPolicy : p;
        }

        /** @return the default policy */
        public MfaPolicy defaultPolicy() {
            return defaultPolicy;
        }

        /** @return the per-domain policies, lower-case domains; unmodifiable */
        public Map<String, MfaPolicy> byDomain() {
            return byDomain;
        }

        @Override
        public String toString() {
            return "MfaPolicy.Table[default=" + defaultPolicy + ", domains=" + byDomain + "]";
        }
    }
}
