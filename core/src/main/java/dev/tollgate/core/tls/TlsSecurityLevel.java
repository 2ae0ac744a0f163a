package dev.tollgate.core.tls;

import dev.tollgate.core.config.ConfigException;
import java.util.Locale;

/**
 * The TLS security level for one outbound SMTP delivery, in the vocabulary of Postfix's
 * {@code smtp_tls_security_level} and {@code smtp_tls_policy_maps}.
 *
 * <p>Strength ranks (see {@link #atLeast(TlsSecurityLevel)}): {@code NONE < MAY = DANE < ENCRYPT <
 * VERIFY = MTA_STS = DANE_ONLY}. {@link #DANE} ranks with {@link #MAY} because it is opportunistic:
 * without usable TLSA records it degrades to {@code may} (RFC 7672 §2.2). The three top levels all
 * authenticate the peer, by different trust models, so none is stronger than another.
 */
public enum TlsSecurityLevel {
    /** No TLS, even when the server offers STARTTLS. */
    NONE("none", 0),
    /** Opportunistic TLS: use STARTTLS when offered, accept any certificate, fall back to plain text. */
    MAY("may", 1),
    /** Mandatory TLS, any certificate accepted (unauthenticated encryption). */
    ENCRYPT("encrypt", 2),
    /** Mandatory TLS with a PKIX-valid chain to a trusted CA and a certificate naming the MX host. */
    VERIFY("verify", 3),
    /**
     * Opportunistic DANE (RFC 7672): authenticated TLS via DNSSEC-signed TLSA records when the MX host
     * publishes usable ones, otherwise {@link #MAY}.
     */
    DANE("dane", 1),
    /** Mandatory DANE (RFC 7672): delivery fails unless usable TLSA records exist and match. */
    DANE_ONLY("dane-only", 3),
    /** MTA-STS (RFC 8461) in enforce mode: verified TLS to an MX host permitted by the policy. */
    MTA_STS("mta-sts", 3);

    private final String postfixName;
    private final int rank;

    TlsSecurityLevel(String postfixName, int rank) {
        this.postfixName = postfixName;
        this.rank = rank;
    }

    /**
     * Parses a Postfix level name ({@code none}, {@code may}, {@code encrypt}, {@code verify},
     * {@code dane}, {@code dane-only}, {@code mta-sts}), ignoring case and surrounding blanks.
     *
     * @param value     the configured text
     * @param parameter the parameter name reported in the error
     * @throws ConfigException naming {@code parameter} when the value is null, blank or unknown
     */
    public static TlsSecurityLevel parse(String value, String parameter) {
        if (value != null) {
            String wanted = value.trim().toLowerCase(Locale.ROOT);
            for (TlsSecurityLevel level : values()) {
                if (level.postfixName.equals(wanted)) {
                    return level;
                }
            }
        }
        throw new ConfigException(parameter, "unknown TLS security level; expected one of "
                + "none, may, encrypt, verify, dane, dane-only, mta-sts");
    }

    /** @return the Postfix spelling, e.g. {@code dane-only} */
    public String postfixName() {
        return postfixName;
    }

    /**
     * @return true when delivery must fail rather than continue without TLS. False for {@link #DANE},
     *     whose requirement depends on DNS (see {@link EffectiveTlsPolicy#requiresTls()}).
     */
    public boolean requiresTls() {
        return rank >= ENCRYPT.rank;
    }

    /**
     * @return true when the peer certificate is always authenticated (PKIX, DANE or MTA-STS). False for
     *     {@link #DANE}, which authenticates only when usable TLSA records exist.
     */
    public boolean verifiesPeer() {
        return rank >= VERIFY.rank;
    }

    /** @return true for the levels that consult TLSA records ({@link #DANE}, {@link #DANE_ONLY}) */
    public boolean usesDane() {
        return this == DANE || this == DANE_ONLY;
    }

    /** @return true for the levels that validate a WebPKI chain ({@link #VERIFY}, {@link #MTA_STS}) */
    public boolean usesPkix() {
        return this == VERIFY || this == MTA_STS;
    }

    /**
     * @return true when this level guarantees at least what {@code other} guarantees, by strength rank
     *     (see the class comment); levels of equal rank are each at least the other
     */
    public boolean atLeast(TlsSecurityLevel other) {
        return rank >= other.rank;
    }

    /** @return the Postfix name */
    @Override
    public String toString() {
        return postfixName;
    }
}
