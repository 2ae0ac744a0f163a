package dev.tollgate.core.tls;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A Postfix cipher grade ({@code smtp_tls_ciphers}, {@code smtp_tls_mandatory_ciphers}, the policy map's
 * {@code ciphers=} attribute): the <em>minimum</em> strength of the cipher suites offered. Each grade includes
 * the stronger ones, as in Postfix: {@code high} only high, {@code medium} high and medium, {@code low} also low,
 * {@code export} every grade. Postfix's {@code null} grade (authentication without encryption) has no constant:
 * TLS-only delivery never accepts it.
 *
 * <p>JSSE cipher suite names are graded by their bulk cipher, following OpenSSL's classes:
 * <ul>
 *   <li>high: AES (GCM, CCM, CBC; 128 and 256 bits), ChaCha20-Poly1305, Camellia, ARIA, and the TLS 1.3 suites;
 *   <li>medium: 3DES, RC4 (128 bits), SEED, IDEA;
 *   <li>low: single DES, RC2;
 *   <li>export: export suites ({@code _EXPORT}) and any suite not recognised above.
 * </ul>
 * Suites without encryption ({@code _NULL_}) belong to no grade and are never permitted. Signalling values
 * ({@code TLS_EMPTY_RENEGOTIATION_INFO_SCSV}) are not ciphers and are always kept. A grade only narrows the
 * suites a connection offers: algorithms the JVM disables ({@code jdk.tls.disabledAlgorithms}) stay disabled.
 */
public enum TlsCipherGrade {
    /** Every grade, export suites included. */
    EXPORT("export"),
    /** Low, medium and high. */
    LOW("low"),
    /** Medium and high. */
    MEDIUM("medium"),
    /** High only. */
    HIGH("high");

    private final String postfixName;

    TlsCipherGrade(String postfixName) {
        this.postfixName = postfixName;
    }

    /** @return the Postfix spelling, e.g. {@code high} */
    public String postfixName() {
        return postfixName;
    }

    /**
     * @param name a Postfix grade name, any case
     * @return the grade, or null when {@code name} is not {@code export}, {@code low}, {@code medium} or {@code high}
     */
    static TlsCipherGrade fromPostfixName(String name) {
        for (TlsCipherGrade g : values()) {
            if (g.postfixName.equalsIgnoreCase(name)) {
                return g;
            }
        }
        return null;
    }

    /**
     * @param suite a JSSE cipher suite name, e.g. {@code TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256}
     * @return true when the suite is of this grade or stronger (or a signalling value)
     */
    public boolean permits(String suite) {
        String s = suite.toUpperCase(Locale.ROOT);
        if (s.endsWith("_SCSV")) {
            return true;
        }
        TlsCipherGrade grade = gradeOf(s);
        return grade != null && grade.compareTo(this) >= 0;
    }

    /**
     * @param suites JSSE cipher suite names
     * @return those {@link #permits(String) permitted}, in the given order
     */
    public List<String> filter(List<String> suites) {
        List<String> out = new ArrayList<>();
        for (String s : suites) {
            if (permits(s)) {
                out.add(s);
            }
        }
        return out;
    }

    /** @return the grade of an upper-case suite name; null for suites without encryption */
    private static TlsCipherGrade gradeOf(String s) {
        if (s.contains("_NULL_") || s.startsWith("TLS_NULL") || s.startsWith("SSL_NULL")) {
            return null;
        }
        if (s.contains("EXPORT")) {
            return EXPORT;
        }
        if (s.contains("_AES_128_") || s.contains("_AES_256_") || s.contains("_CHACHA20_")
                || s.contains("_CAMELLIA_128_") || s.contains("_CAMELLIA_256_")
                || s.contains("_ARIA_128_") || s.contains("_ARIA_256_")) {
            return HIGH;
        }
        if (s.contains("_3DES_") || s.contains("_RC4_128_") || s.contains("_SEED_") || s.contains("_IDEA_")) {
            return MEDIUM;
        }
        if (s.contains("_DES_CBC_") || s.contains("_RC2_")) {
            return LOW;
        }
        return EXPORT;
    }

    @Override
    public String toString() {
        return postfixName;
    }
}
