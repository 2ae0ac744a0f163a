package dev.tollgate.core.links;

import com.google.common.net.InetAddresses;
import com.ibm.icu.text.IDNA;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.Set;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Brings hosts to one canonical form so that comparisons and lists cannot be evaded by spelling.
 *
 * <ul>
 *   <li>Percent-encoded bytes are decoded as UTF-8 first (WHATWG URL Standard, host parser).</li>
 *   <li>IPv6 literals in brackets ({@code [::1]}) are parsed without any DNS lookup and printed in
 *       RFC 5952 form.</li>
 *   <li>IPv4 is recognised in every form browsers accept (WHATWG IPv4 parser): dotted decimal, fewer parts
 *       ({@code 127.1}), hexadecimal ({@code 0x7f.1}), octal ({@code 0177.0.0.1}) and a single number
 *       ({@code 2130706433}); a name whose last label is numeric but that is not a valid address is
 *       invalid, as in browsers.</li>
 *   <li>DNS names are mapped by UTS #46 (ICU4J, nontransitional processing, CheckBidi, CheckJoiners) to
 *       lower-case A-labels (RFC 5891 punycode); one trailing dot is stripped; labels over 63 octets
 *       and names over 253 octets are invalid; hyphen placement is not checked (CheckHyphens=false, as
 *       in the WHATWG URL Standard).</li>
 * </ul>
 *
 * <p>Failures are results ({@link NormalizedHost.Kind#INVALID}), never exceptions. Input over
 * {@value #MAX_INPUT_LENGTH} characters is refused outright. Thread-safe; results of hosts up to
 * {@value #MAX_CACHED_LENGTH} characters are remembered in a bounded Caffeine cache (at most {@value #CACHE_SIZE}
 * entries), since a message names the same few hosts again and again and the result
 * depends on nothing but the input.
 */
public final class HostNormalizer {
    /** Hosts longer than this (before decoding) are invalid without further work. */
    public static final int MAX_INPUT_LENGTH = 1024;

    private static final IDNA UTS46 = IDNA.getUTS46Instance(IDNA.NONTRANSITIONAL_TO_ASCII
            | IDNA.NONTRANSITIONAL_TO_UNICODE | IDNA.CHECK_BIDI | IDNA.CHECK_CONTEXTJ);
    /** WHATWG URL Standard runs UTS #46 with CheckHyphens=false: {@code r3---sn-x.example} is a real host. */
    private static final Set<IDNA.Error> IGNORED_ERRORS = EnumSet.of(IDNA.Error.LEADING_HYPHEN,
            IDNA.Error.TRAILING_HYPHEN, IDNA.Error.HYPHEN_3_4);
    /** WHATWG forbidden host code points (plus {@code %} after decoding). */
    private static final String FORBIDDEN = " #%/:<>?@[\\]^|*\"'`{}";
    /** Longest host whose result is cached (a DNS name has at most 253 octets, plus a trailing dot). */
    static final int MAX_CACHED_LENGTH = 254;
    /** Entries of the result cache at most. */
    static final int CACHE_SIZE = 4096;
    private static final Cache<String, NormalizedHost> CACHE = Caffeine.newBuilder().maximumSize(CACHE_SIZE).build();

    private HostNormalizer() {
    }

    /**
     * @param host a host as written in a URL or list, e.g. {@code Bücher.Example.}, {@code 0x7f.1},
     *     {@code [2001:DB8::1]}
     * @return the canonical host, or an invalid result with a reason
     */
    public static NormalizedHost normalize(String host) {
        if (host == null || host.isEmpty() || host.length() > MAX_CACHED_LENGTH) {
            return compute(host);
        }
        return CACHE.get(host, HostNormalizer::compute);
    }

    private static NormalizedHost compute(String host) {
        if (host == null || host.isEmpty()) {
            return NormalizedHost.invalid("empty host");
        }
        if (host.length() > MAX_INPUT_LENGTH) {
            return NormalizedHost.invalid("host longer than " + MAX_INPUT_LENGTH + " characters");
        }
        if (host.startsWith("[")) {
            return ipv6(host);
        }
        String decoded = percentDecode(host);
        if (decoded == null) {
            return NormalizedHost.invalid("bad percent-encoding");
        }
        StringBuilder ascii = new StringBuilder();
        IDNA.Info info = new IDNA.Info();
        String name = decoded.endsWith(".") ? decoded.substring(0, decoded.length() - 1) : decoded;
        if (name.isEmpty()) {
            return NormalizedHost.invalid("empty host");
        }
        UTS46.nameToASCII(name, ascii, info);
        Set<IDNA.Error> errors = info.hasErrors() ? EnumSet.copyOf(info.getErrors()) : EnumSet.noneOf(IDNA.Error.class);
        errors.removeAll(IGNORED_ERRORS);
        if (!errors.isEmpty()) {
            return NormalizedHost.invalid("not a valid IDNA host: " + errors);
        }
        String a = ascii.toString();
        for (int i = 0; i < a.length(); i++) {
            char c = a.charAt(i);
            if (c <= ' ' || c >= 0x7f || FORBIDDEN.indexOf(c) >= 0) {
                return NormalizedHost.invalid("forbidden character in host");
            }
        }
        NormalizedHost v4 = Ipv4.parse(a);
        if (v4 != null) {
            return v4;
        }
        StringBuilder unicode = new StringBuilder();
        UTS46.nameToUnicode(a, unicode, new IDNA.Info());
        return NormalizedHost.dnsName(a, unicode.toString());
    }

    /**
     * Convenience: the host of a URL, normalised.
     *
     * @param url an absolute URL such as {@code https://user@Bücher.example:8443/x}
     * @return the normalised host; invalid when the URL has no authority
     */
    public static NormalizedHost hostOfUrl(String url) {
        UrlParts parts = UrlParts.parse(url);
        if (!parts.hasAuthority()) {
            return NormalizedHost.invalid("URL has no host");
        }
        return normalize(parts.host());
    }

    private static NormalizedHost ipv6(String host) {
        if (!host.endsWith("]") || host.length() < 4) {
            return NormalizedHost.invalid("unterminated IPv6 literal");
        }
        String inner = host.substring(1, host.length() - 1);
        if (inner.indexOf('%') >= 0 || !InetAddresses.isInetAddress(inner) || inner.indexOf(':') < 0) {
            return NormalizedHost.invalid("not a valid IPv6 literal");
        }
        InetAddress address = InetAddresses.forString(inner);
        // Guava turns IPv4-mapped addresses into Inet4Address; keep them as IPv6 text (RFC 5952 §5).
        String text = address.getAddress().length == 4 ? "::ffff:" + address.getHostAddress()
                : InetAddresses.toAddrString(address);
        return NormalizedHost.ip(NormalizedHost.Kind.IPV6, "[" + text + "]", false);
    }

    /** @return the decoded text, or null when a byte sequence is not valid UTF-8 or an escape is broken */
    private static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < utf8.length; i++) {
            if (utf8[i] == '%') {
                if (i + 2 >= utf8.length) {
                    return null;
                }
                int hi = Character.digit(utf8[i + 1], 16);
                int lo = Character.digit(utf8[i + 2], 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else {
                bytes.write(utf8[i]);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** The WHATWG IPv4 parser (URL Standard, "IPv4 parser" and "ends in a number checker"). */
    static final class Ipv4 {
        private Ipv4() {
        }

        /** @return an IPv4 result, an invalid result, or null when {@code host} is a DNS name */
        static NormalizedHost parse(String host) {
            String[] parts = host.split("\\.", -1);
            int count = parts.length;
            if (count > 1 && parts[count - 1].isEmpty()) {
                count--;
            }
            if (!endsInNumber(parts[count - 1])) {
                return null;
            }
            if (count > 4) {
                return NormalizedHost.invalid("IPv4 address with more than four parts");
            }
            long[] numbers = new long[count];
            boolean obfuscated = count != 4;
            for (int i = 0; i < count; i++) {
                String p = parts[i];
                int radix = 10;
                if (p.length() >= 2 && (p.startsWith("0x") || p.startsWith("0X"))) {
                    radix = 16;
                    p = p.substring(2);
                    obfuscated = true;
                } else if (p.length() >= 2 && p.charAt(0) == '0') {
                    radix = 8;
                    p = p.substring(1);
                    obfuscated = true;
                }
                if (p.isEmpty()) {
                    numbers[i] = 0;
                    continue;
                }
                if (p.length() > 12) {
                    return NormalizedHost.invalid("IPv4 part out of range");
                }
                try {
                    numbers[i] = Long.parseLong(p, radix);
                } catch (NumberFormatException e) {
                    return NormalizedHost.invalid("not a valid IPv4 address");
                }
            }
            for (int i = 0; i < count - 1; i++) {
                if (numbers[i] > 255) {
                    return NormalizedHost.invalid("IPv4 part out of range");
                }
            }
            if (numbers[count - 1] >= (1L << (8 * (5 - count)))) {
                return NormalizedHost.invalid("IPv4 address out of range");
            }
            long value = numbers[count - 1];
            for (int i = 0; i < count - 1; i++) {
                value += numbers[i] << (8 * (3 - i));
            }
            String dotted = ((value >> 24) & 0xff) + "." + ((value >> 16) & 0xff) + "." + ((value >> 8) & 0xff)
                    + "." + (value & 0xff);
            return NormalizedHost.ip(NormalizedHost.Kind.IPV4, dotted, obfuscated);
        }

        private static boolean endsInNumber(String last) {
            if (last.isEmpty()) {
                return false;
            }
            boolean allDigits = true;
            for (int i = 0; i < last.length(); i++) {
                char c = last.charAt(i);
                if (c < '0' || c > '9') {
                    allDigits = false;
                    break;
                }
            }
            if (allDigits) {
                return true;
            }
            if (last.startsWith("0x") || last.startsWith("0X")) {
                for (int i = 2; i < last.length(); i++) {
                    if (Character.digit(last.charAt(i), 16) < 0) {
                        return false;
                    }
                }
                return true;
            }
            return false;
        }
    }
}
