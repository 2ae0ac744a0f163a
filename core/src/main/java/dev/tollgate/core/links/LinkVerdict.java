package dev.tollgate.core.links;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What {@link LinkScanner} concluded about one link: an overall {@link Level} (the highest level of its
 * findings, {@link Level#CLEAN} when there are none) and the {@link Finding}s that led there. Immutable.
 */
public final class LinkVerdict {
    /** Severity, in increasing order. */
    public enum Level {
        /** Nothing wrong found; findings at this level are informational (e.g. a DNSBL error). */
        CLEAN,
        /** Unusual in legitimate mail; worth a warning banner or a slower path. */
        SUSPICIOUS,
        /** Strong evidence of deception or a known-bad destination. */
        MALICIOUS
    }

    /** Why a finding was made. */
    public enum Reason {
        /** Userinfo before the host, as in {@code https://bank.example@evil.test/} (RFC 3986 §3.2.1, §7.6). */
        USERINFO,
        /** The host is an IPv4 or IPv6 literal. */
        IP_LITERAL_HOST,
        /** The host is an IPv4 address in hexadecimal, octal or non-dotted form. */
        OBFUSCATED_IP,
        /** A script- or content-carrying scheme: {@code javascript:}, {@code data:}, {@code vbscript:}. */
        DANGEROUS_SCHEME,
        /** A bidirectional control (e.g. U+202E RIGHT-TO-LEFT OVERRIDE) in the URL or anchor text. */
        BIDI_CONTROL,
        /** A zero-width or invisible character (U+200B–U+200D, U+2060, U+FEFF, U+00AD). */
        INVISIBLE_CHARACTER,
        /** A host label mixing scripts beyond UTS #39 "highly restrictive". */
        MIXED_SCRIPT,
        /** The host is confusable (UTS #39 skeleton) with a protected domain but is not that domain. */
        HOMOGRAPH,
        /** The anchor text shows a domain whose registrable domain differs from the link's. */
        DECEPTIVE_ANCHOR,
        /** The host is on a local block list. */
        BLOCKLISTED,
        /** The host is on a local allow list; no other check ran. */
        ALLOWLISTED,
        /** The host is listed by a DNS block list. */
        DNSBL_LISTED,
        /** The DNS block list answered with an error code or could not be queried. */
        DNSBL_ERROR,
        /** The URL has an authority whose host cannot be normalised. */
        INVALID_HOST,
        /** The URL is longer than the scanner accepts; it was not inspected further. */
        OVERLONG,
        /** A check failed unexpectedly; the scanner fails closed. */
        CHECK_FAILED
    }

    /** One observation of a check. Immutable. */
    public static final class Finding {
        private final Reason reason;
        private final Level level;
        private final String detail;

        private Finding(Reason reason, Level level, String detail) {
            this.reason = Objects.requireNonNull(reason);
            this.level = Objects.requireNonNull(level);
            this.detail = Objects.requireNonNull(detail);
        }

        /**
         * @param reason what was found
         * @param level  how bad it is
         * @param detail a short human-readable explanation for logs and banners
         */
        public static Finding of(Reason reason, Level level, String detail) {
            return new Finding(reason, level, detail);
        }

        /** @return what was found */
        public Reason reason() {
            return reason;
        }

        /** @return how bad it is */
        public Level level() {
            return level;
        }

        /** @return a short explanation */
        public String detail() {
            return detail;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Finding && ((Finding) o).reason == reason && ((Finding) o).level == level
                    && ((Finding) o).detail.equals(detail);
        }

        @Override
        public int hashCode() {
            return Objects.hash(reason, level, detail);
        }

        @Override
        public String toString() {
            return level + " " + reason + ": " + detail;
        }
    }

    private static final LinkVerdict CLEAN = new LinkVerdict(List.of());

    private final Level level;
    private final List<Finding> findings;

    private LinkVerdict(List<Finding> findings) {
        this.findings = Collections.unmodifiableList(new ArrayList<>(findings));
        Level max = Level.CLEAN;
        for (Finding f : findings) {
            if (f.level().compareTo(max) > 0) {
                max = f.level();
            }
        }
        this.level = max;
    }

    /** @return a verdict without findings */
    public static LinkVerdict clean() {
        return CLEAN;
    }

    /** @return a verdict whose level is the highest of {@code findings} */
    public static LinkVerdict of(List<Finding> findings) {
        return findings.isEmpty() ? CLEAN : new LinkVerdict(findings);
    }

    /** @return the overall level */
    public Level level() {
        return level;
    }

    /** @return the findings, in check order */
    public List<Finding> findings() {
        return findings;
    }

    /** @return the distinct reasons of the findings */
    public Set<Reason> reasons() {
        Set<Reason> reasons = EnumSet.noneOf(Reason.class);
        for (Finding f : findings) {
            reasons.add(f.reason());
        }
        return reasons;
    }

    /**
     * @return the lower-case names of the reasons of findings that are not clean, sorted (the audit trail's
     *         {@code rules}); empty for a clean verdict
     */
    public Set<String> concerns() {
        Set<String> names = new TreeSet<>();
        for (Finding f : findings) {
            if (f.level() != Level.CLEAN) {
                names.add(f.reason().name().toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }

    /** @return true when some finding has {@code reason} */
    public boolean has(Reason reason) {
        for (Finding f : findings) {
            if (f.reason() == reason) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "LinkVerdict[" + level + ", " + findings + "]";
    }
}
