package dev.tollgate.core.links;

import java.util.Objects;
import java.util.Optional;

/**
 * The result of {@link HostNormalizer#normalize(String)}: a host in canonical form, or a failure with a
 * reason. Immutable.
 */
public final class NormalizedHost {
    /** What kind of host this is. */
    public enum Kind {
        /** A DNS name, in A-label (punycode) form. */
        DNS_NAME,
        /** An IPv4 address, in dotted-decimal form. */
        IPV4,
        /** An IPv6 address, in RFC 5952 form inside brackets. */
        IPV6,
        /** Not a valid host; see {@link #error()}. */
        INVALID
    }

    private final Kind kind;
    private final String ascii;
    private final String unicode;
    private final boolean obfuscated;
    private final String error;

    private NormalizedHost(Kind kind, String ascii, String unicode, boolean obfuscated, String error) {
        this.kind = kind;
        this.ascii = ascii;
        this.unicode = unicode;
        this.obfuscated = obfuscated;
        this.error = error;
    }

    static NormalizedHost dnsName(String ascii, String unicode) {
        return new NormalizedHost(Kind.DNS_NAME, ascii, unicode, false, null);
    }

    static NormalizedHost ip(Kind kind, String canonical, boolean obfuscated) {
        return new NormalizedHost(kind, canonical, canonical, obfuscated, null);
    }

    static NormalizedHost invalid(String error) {
        return new NormalizedHost(Kind.INVALID, "", "", false, Objects.requireNonNull(error));
    }

    /** @return the kind of host, {@link Kind#INVALID} for a failure */
    public Kind kind() {
        return kind;
    }

    /** @return true unless the kind is {@link Kind#INVALID} */
    public boolean isValid() {
        return kind != Kind.INVALID;
    }

    /** @return true for IPv4 and IPv6 literals */
    public boolean isIpLiteral() {
        return kind == Kind.IPV4 || kind == Kind.IPV6;
    }

    /**
     * @return the canonical ASCII form: lower-case A-labels without trailing dot ({@code xn--bcher-kva.example}),
     *     dotted-decimal IPv4, or bracketed RFC 5952 IPv6; empty string when invalid
     */
    public String ascii() {
        return ascii;
    }

    /** @return the U-label form for display and confusable checks; equal to {@link #ascii()} for IPs */
    public String unicode() {
        return unicode;
    }

    /**
     * @return true for an IPv4 address written other than as four dotted decimals (hex, octal, or fewer
     *     parts, e.g. {@code 0x7f.1} or {@code 2130706433}): a common way to hide an address
     */
    public boolean obfuscated() {
        return obfuscated;
    }

    /** @return why the host is invalid; empty when valid */
    public Optional<String> error() {
        return Optional.ofNullable(error);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof NormalizedHost)) {
            return false;
        }
        NormalizedHost h = (NormalizedHost) o;
        return kind == h.kind && ascii.equals(h.ascii) && obfuscated == h.obfuscated
                && Objects.equals(error, h.error);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, ascii, obfuscated, error);
    }

    @Override
    public String toString() {
        return kind == Kind.INVALID ? "NormalizedHost[INVALID: " + error + "]" : "NormalizedHost[" + kind + " " + ascii + "]";
    }
}
