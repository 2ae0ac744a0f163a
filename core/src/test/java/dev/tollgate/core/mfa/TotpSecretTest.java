package dev.tollgate.core.mfa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TotpSecretTest {

    @Test
    void generatesAtLeast160RandomBits() {
        TotpSecret a = TotpSecret.generate();
        TotpSecret b = TotpSecret.generate();
        assertThat(a.bits()).isGreaterThanOrEqualTo(160);
        assertThat(a).isNotEqualTo(b);
        assertThat(a.toBase32()).hasSize(32).matches("[A-Z2-7]+");
    }

    @Test
    void roundTripsThroughBase32() {
        TotpSecret secret = TotpSecret.generate();
        assertThat(TotpSecret.fromBase32(secret.toBase32())).isEqualTo(secret);
        assertThat(TotpSecret.fromBase32(secret.toBase32().toLowerCase())).isEqualTo(secret);
    }

    @Test
    void refusesSecretsUnder128Bits() {
        // 24 symbols = 15 bytes = 120 bits
        assertThatThrownBy(() -> TotpSecret.fromBase32("JBSWY3DPEHPK3PXPJBSWY3DP"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("128")
                .hasMessageNotContaining("JBSWY3DP");
        assertThatThrownBy(() -> TotpSecret.fromBytes(new byte[15])).isInstanceOf(IllegalArgumentException.class);
        assertThat(TotpSecret.fromBytes(new byte[16]).bits()).isEqualTo(128);
    }

    @Test
    void refusesOversizedInput() {
        assertThatThrownBy(() -> TotpSecret.fromBase32("A".repeat(100_000)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toStringNeverRevealsTheSecret() {
        TotpSecret secret = TotpSecret.generate();
        assertThat(secret.toString()).doesNotContain(secret.toBase32()).contains("redacted");
    }

    @Test
    void bytesAreDefensivelyCopied() {
        byte[] raw = new byte[20];
        TotpSecret secret = TotpSecret.fromBytes(raw);
        raw[0] = 1;
        secret.bytes()[1] = 1;
        assertThat(secret.bytes()).containsOnly(0);
    }
}
