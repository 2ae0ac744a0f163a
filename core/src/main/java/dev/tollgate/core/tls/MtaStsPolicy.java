package dev.tollgate.core.tls;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import com.google.common.net.InetAddresses;

/**
 * An MTA-STS policy as served at {@code https://mta-sts.<domain>/.well-known/mta-sts.txt}
 * (RFC 8461 §3.2), e.g.
 *
 * <pre>
 * version: STSv1
 * mode: enforce
 * mx: mail.example.com
 * mx: *.example.net
 * max_age: 604800
 * </pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class MtaStsPolicy {
    /** RFC 8461 §3.2: the largest permitted {@code max_age}, one year, in seconds. */
    public static final long MAX_AGE_LIMIT_SECONDS = 31_557_600L;
    /** Largest policy body accepted, in bytes (64 KiB, RFC 8461 §3.3). */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,10}");

    /** The policy mode (RFC 8461 §5). */
    public enum Mode {
        /** Deliver only over verified TLS to a permitted MX; failures are hard. */
        ENFORCE("enforce"),
        /** Report failures (TLS-RPT) but deliver anyway. */
        TESTING("testing"),
        /** No active policy; the domain is withdrawing MTA-STS. */
        NONE("none");

        private final String text;

        Mode(String text) {
            this.text = text;
        }

        /** @return the policy-file spelling */
        public String text() {
            return text;
        }
    }

    private final Mode mode;
    private final List<String> mxPatterns;
    private final long maxAgeSeconds;

    private MtaStsPolicy(Mode mode, List<String> mxPatterns, long maxAgeSeconds) {
        this.mode = mode;
        this.mxPatterns = List.copyOf(mxPatterns);
        this.maxAgeSeconds = maxAgeSeconds;
    }

    /**
     * Same as {@link #parse(String, Consumer)}, discarding the ignored {@code mx} values.
     *
     * @throws TlsPolicyException as {@link #parse(String, Consumer)}
     */
    public static MtaStsPolicy parse(String body) throws TlsPolicyException {
        return parse(body, ignored -> { });
    }

    /**
     * Parses a policy body (RFC 8461 §3.2). Lines end in CRLF or LF and read {@code key: value}; the
     * first line must be {@code version: STSv1}; {@code mode} ({@code enforce}, {@code testing},
     * {@code none}) and {@code max_age} (0 to 31557600 seconds) are required. Unknown keys are ignored; for
     * repeated keys other than {@code mx}, the first occurrence is used.
     *
     * <p>{@code mx} values are host name patterns ({@code host} or {@code *.domain}). An IP literal
     * ({@code 192.0.2.25}, {@code 2001:db8::25}, bracketed or not, {@code [IPv6:...]}) is not a host name
     * pattern: it is left out of {@link #mxPatterns()} and handed to {@code ignoredMx} (for a warning), and the
     * other patterns are kept. Any other malformed {@code mx} value makes the policy invalid.
     *
     * <p>At least one usable {@code mx} pattern is required unless the mode is {@code none}. In mode
     * {@code enforce}, a policy without one (no {@code mx} line, or only IP literals) is invalid with
     * {@link TlsPolicyException#defersDelivery()} true: the domain asked for enforcement, but no MX host
     * can be matched, so delivery must wait rather than go on as if there were no policy.
     *
     * @param body      the policy text
     * @param ignoredMx receives each ignored {@code mx} value as written (trimmed), in policy order
     * @throws TlsPolicyException ({@link TlsFailureReason#STS_POLICY_INVALID}) when malformed, without a
     *     usable {@code mx} pattern, or larger than {@link #MAX_BODY_BYTES}
     */
    public static MtaStsPolicy parse(String body, Consumer<String> ignoredMx) throws TlsPolicyException {
        Objects.requireNonNull(ignoredMx);
        if (body == null) {
            throw invalid("empty policy");
        }
        if (body.length() > MAX_BODY_BYTES || body.getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
            throw invalid("policy larger than 64 KiB");
        }
        String[] lines = body.split("\r?\n", -1);
        String version = null;
        Mode mode = null;
        Long maxAge = null;
        List<String> mx = new ArrayList<>();
        int ipLiterals = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.trim().isEmpty()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw invalid("line " + (i + 1) + " is not 'key: value'");
            }
            String key = line.substring(0, colon);
            String value = line.substring(colon + 1).trim();
            if (!KEY.matcher(key).matches()) {
                throw invalid("line " + (i + 1) + " has a malformed key");
            }
            if (version == null && !key.equals("version")) {
                throw invalid("the first field must be version");
            }
            switch (key) {
                case "version":
                    if (version == null) {
                        if (!value.equals("STSv1")) {
                            throw invalid("unsupported version");
                        }
                        version = value;
                    }
                    break;
                case "mode":
                    if (mode == null) {
                        mode = parseMode(value);
                    }
                    break;
                case "max_age":
                    if (maxAge == null) {
                        if (!DIGITS.matcher(value).matches()) {
                            throw invalid("max_age must be 1 to 10 digits");
                        }
                        long seconds = Long.parseLong(value);
                        if (seconds > MAX_AGE_LIMIT_SECONDS) {
                            throw invalid("max_age above " + MAX_AGE_LIMIT_SECONDS + " seconds");
                        }
                        maxAge = seconds;
                    }
                    break;
                case "mx":
                    if (isIpLiteral(value)) {
                        // RFC 8461 §3.2: mx values are host name patterns; an address can never be matched
                        // against an MX host name, and must not invalidate the host patterns beside it.
                        ipLiterals++;
                        ignoredMx.accept(value);
                    } else {
                        mx.add(normaliseMx(value));
                    }
                    break;
                default:
                    break; // RFC 8461 §3.2: unknown fields are ignored
            }
        }
        if (version == null) {
            throw invalid("missing version");
        }
        if (mode == null) {
            throw invalid("missing mode");
        }
        if (maxAge == null) {
            throw invalid("missing max_age");
        }
        if (mx.isEmpty() && mode != Mode.NONE) {
            String why = ipLiterals > 0 ? "no usable mx pattern (" + ipLiterals + " IP literal(s) ignored)"
                    : "missing mx";
            throw mode == Mode.ENFORCE
                    ? new TlsPolicyException(TlsFailureReason.STS_POLICY_INVALID, "MTA-STS policy: " + why, true)
                    : invalid(why);
        }
        return new MtaStsPolicy(mode, mx, maxAge);
    }

    /**
     * @return true for an IPv4 or IPv6 address in text form, bare or in brackets (with the RFC 5321
     *     {@code IPv6:} tag allowed inside brackets); a trailing dot is ignored on a bare IPv4 address
     */
    static boolean isIpLiteral(String value) {
        String v = value;
        if (v.length() >= 2 && v.startsWith("[") && v.endsWith("]")) {
            v = v.substring(1, v.length() - 1);
            if (v.toLowerCase(Locale.ROOT).startsWith("ipv6:")) {
                v = v.substring(5);
            }
        } else if (v.endsWith(".") && v.indexOf(':') < 0) {
            v = v.substring(0, v.length() - 1);
        }
        int zone = v.indexOf('%');
        if (zone > 0 && v.indexOf(':') >= 0) {
            v = v.substring(0, zone);
        }
        return !v.isEmpty() && InetAddresses.isInetAddress(v);
    }

    private static Mode parseMode(String value) throws TlsPolicyException {
        for (Mode m : Mode.values()) {
            if (m.text.equals(value)) {
                return m;
            }
        }
        throw invalid("mode must be enforce, testing or none");
    }

    private static String normaliseMx(String value) throws TlsPolicyException {
        boolean wildcard = value.startsWith("*.");
        String ascii = DomainNames.toAsciiOrNull(wildcard ? value.substring(2) : value);
        if (ascii == null || ascii.indexOf('*') >= 0) {
            throw invalid("malformed mx pattern");
        }
        return wildcard ? "*." + ascii : ascii;
    }

    private static TlsPolicyException invalid(String why) {
        return new TlsPolicyException(TlsFailureReason.STS_POLICY_INVALID, "MTA-STS policy: " + why);
    }

    /** @return the mode */
    public Mode mode() {
        return mode;
    }

    /** @return the {@code mx} patterns, normalised to lower-case A-labels, in policy order */
    public List<String> mxPatterns() {
        return mxPatterns;
    }

    /** @return how long the policy may be cached, from {@code max_age} */
    public Duration maxAge() {
        return Duration.ofSeconds(maxAgeSeconds);
    }

    /**
     * Whether an MX host is permitted by the policy (RFC 8461 §4.1): case-insensitive, trailing dot
     * ignored; {@code *.example.com} matches exactly one additional leftmost label
     * ({@code mx1.example.com}), never {@code example.com} nor {@code a.b.example.com}.
     *
     * @param host an MX host name; invalid names are not permitted
     */
    public boolean permitsMx(String host) {
        String name = DomainNames.toAsciiOrNull(host);
        if (name == null) {
            return false;
        }
        for (String pattern : mxPatterns) {
            if (matches(pattern, name)) {
                return true;
            }
        }
        return false;
    }

    static boolean matches(String pattern, String name) {
        if (pattern.startsWith("*.")) {
            String suffix = pattern.substring(1); // ".example.com"
            if (!name.endsWith(suffix)) {
                return false;
            }
            String label = name.substring(0, name.length() - suffix.length());
            return !label.isEmpty() && label.indexOf('.') < 0;
        }
        return pattern.equals(name);
    }

    /** @return the policy in its file format with LF line ends, for printouts and TLS-RPT {@code policy-string} */
    public List<String> toPolicyLines() {
        List<String> lines = new ArrayList<>();
        lines.add("version: STSv1");
        lines.add("mode: " + mode.text);
        for (String p : mxPatterns) {
            lines.add("mx: " + p);
        }
        lines.add("max_age: " + maxAgeSeconds);
        return lines;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof MtaStsPolicy)) {
            return false;
        }
        MtaStsPolicy other = (MtaStsPolicy) o;
        return mode == other.mode && maxAgeSeconds == other.maxAgeSeconds && mxPatterns.equals(other.mxPatterns);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, mxPatterns, maxAgeSeconds);
    }

    @Override
    public String toString() {
        return "MtaStsPolicy[mode=" + mode.text + ", mx=" + mxPatterns + ", max_age=" + maxAgeSeconds + "]";
    }
}
