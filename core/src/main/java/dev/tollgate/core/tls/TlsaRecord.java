package dev.tollgate.core.tls;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * A DNS TLSA record (RFC 6698 §2): certificate usage, selector, matching type and certificate
 * association data. Presentation format: {@code 3 1 1 0123abcd...} (hex may contain blanks); the
 * RFC 7218 mnemonics ({@code DANE-EE SPKI SHA2-256}) are also accepted.
 *
 * <p>Immutable and thread-safe.
 */
public final class TlsaRecord {
    /** Usage 0, PKIX-TA: unusable for SMTP (RFC 7672 §3.1.3). */
    public static final int USAGE_PKIX_TA = 0;
    /** Usage 1, PKIX-EE: unusable for SMTP (RFC 7672 §3.1.3). */
    public static final int USAGE_PKIX_EE = 1;
    /** Usage 2, DANE-TA: the record matches a trust anchor in the server's chain (RFC 7672 §3.1.2). */
    public static final int USAGE_DANE_TA = 2;
    /** Usage 3, DANE-EE: the record matches the server's own certificate or key (RFC 7672 §3.1.1). */
    public static final int USAGE_DANE_EE = 3;
    /** Selector 0, Cert: the full DER certificate. */
    public static final int SELECTOR_CERT = 0;
    /** Selector 1, SPKI: the DER SubjectPublicKeyInfo. */
    public static final int SELECTOR_SPKI = 1;
    /** Matching type 0, Full: the selected content itself. */
    public static final int MATCHING_FULL = 0;
    /** Matching type 1, SHA2-256: the SHA-256 digest (32 bytes). */
    public static final int MATCHING_SHA256 = 1;
    /** Matching type 2, SHA2-512: the SHA-512 digest (64 bytes). */
    public static final int MATCHING_SHA512 = 2;

    /** Largest association data accepted, the RDATA limit. */
    static final int MAX_DATA_BYTES = 65_535;

    private final int usage;
    private final int selector;
    private final int matchingType;
    private final byte[] data;

    private TlsaRecord(int usage, int selector, int matchingType, byte[] data) {
        this.usage = usage;
        this.selector = selector;
        this.matchingType = matchingType;
        this.data = data;
    }

    /**
     * @param usage        certificate usage, 0..255
     * @param selector     selector, 0..255
     * @param matchingType matching type, 0..255
     * @param data         certificate association data, 1 to 65535 bytes; copied
     * @throws IllegalArgumentException when a field is out of range
     */
    public static TlsaRecord of(int usage, int selector, int matchingType, byte[] data) {
        checkOctet(usage, "usage");
        checkOctet(selector, "selector");
        checkOctet(matchingType, "matching type");
        if (data == null || data.length == 0 || data.length > MAX_DATA_BYTES) {
            throw new IllegalArgumentException("association data must be 1 to 65535 bytes");
        }
        return new TlsaRecord(usage, selector, matchingType, data.clone());
    }

    /**
     * Parses the presentation format {@code USAGE SELECTOR MTYPE HEX...}.
     *
     * @throws IllegalArgumentException when malformed
     */
    public static TlsaRecord parse(String text) {
        if (text == null || text.length() > 2 * MAX_DATA_BYTES + 1024) {
            throw new IllegalArgumentException("missing or overlong TLSA record");
        }
        String[] parts = text.trim().split("\\s+", 4);
        if (parts.length < 4) {
            throw new IllegalArgumentException("expected 'usage selector matching-type data'");
        }
        int usage = field(parts[0], new String[] {"PKIX-TA", "PKIX-EE", "DANE-TA", "DANE-EE"});
        int selector = field(parts[1], new String[] {"CERT", "SPKI"});
        int mtype = field(parts[2], new String[] {"FULL", "SHA2-256", "SHA2-512"});
        return of(usage, selector, mtype, hex(parts[3]));
    }

    private static int field(String token, String[] mnemonics) {
        String upper = token.toUpperCase(Locale.ROOT);
        for (int i = 0; i < mnemonics.length; i++) {
            if (mnemonics[i].equals(upper)) {
                return i;
            }
        }
        if (token.isEmpty() || token.length() > 3 || !token.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("TLSA field is not a number 0..255");
        }
        int v = Integer.parseInt(token);
        checkOctet(v, "field");
        return v;
    }

    private static byte[] hex(String text) {
        StringBuilder digits = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.digit(c, 16) >= 0) {
                digits.append(c);
            } else if (!Character.isWhitespace(c)) {
                throw new IllegalArgumentException("association data is not hexadecimal");
            }
        }
        if (digits.length() == 0 || digits.length() % 2 != 0) {
            throw new IllegalArgumentException("association data must be an even number of hex digits");
        }
        byte[] out = new byte[digits.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) (Character.digit(digits.charAt(2 * i), 16) << 4 | Character.digit(digits.charAt(2 * i + 1), 16));
        }
        return out;
    }

    private static void checkOctet(int v, String name) {
        if (v < 0 || v > 255) {
            throw new IllegalArgumentException("TLSA " + name + " must be 0..255");
        }
    }

    /** @return the certificate usage (0..255) */
    public int usage() {
        return usage;
    }

    /** @return the selector (0..255) */
    public int selector() {
        return selector;
    }

    /** @return the matching type (0..255) */
    public int matchingType() {
        return matchingType;
    }

    /** @return a copy of the certificate association data */
    public byte[] associationData() {
        return data.clone();
    }

    /** Package-private direct access, never modified. */
    byte[] data() {
        return data;
    }

    /**
     * Whether the record can authenticate an SMTP server (RFC 7672 §3.1.3, RFC 7671 §4): usage
     * DANE-TA(2) or DANE-EE(3), selector 0 or 1, matching type 0, 1 or 2, and a digest of the right
     * length (32 bytes for SHA-256, 64 for SHA-512).
     */
    public boolean isUsable() {
        if (usage != USAGE_DANE_TA && usage != USAGE_DANE_EE) {
            return false;
        }
        if (selector != SELECTOR_CERT && selector != SELECTOR_SPKI) {
            return false;
        }
        switch (matchingType) {
            case MATCHING_FULL:
                return true;
            case MATCHING_SHA256:
                return data.length == 32;
            case MATCHING_SHA512:
                return data.length == 64;
            default:
                return false;
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TlsaRecord)) {
            return false;
        }
        TlsaRecord r = (TlsaRecord) o;
        return usage == r.usage && selector == r.selector && matchingType == r.matchingType && Arrays.equals(data, r.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(usage, selector, matchingType) * 31 + Arrays.hashCode(data);
    }

    /** @return the presentation format, lower-case hex */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder().append(usage).append(' ').append(selector).append(' ')
                .append(matchingType).append(' ');
        for (byte b : data) {
            sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString();
    }
}
