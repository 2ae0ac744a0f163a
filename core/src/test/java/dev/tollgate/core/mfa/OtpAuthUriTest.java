package dev.tollgate.core.mfa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OtpAuthUriTest {
    private static final String SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

    @Test
    void buildsTheKeyUriFormat() {
        OtpAuthUri uri = OtpAuthUri.of("Example Mail", "user@example.com", TotpSecret.fromBase32(SECRET));
        assertThat(uri.toUriString()).isEqualTo("otpauth://totp/Example%20Mail:user@example.com?secret=" + SECRET
                + "&issuer=Example%20Mail&algorithm=SHA1&digits=6&period=30");
    }

    @Test
    void parsesTheKeyUriFormat() {
        OtpAuthUri uri = OtpAuthUri.parse("otpauth://totp/ACME%20Co:john.doe@email.com?secret=" + SECRET
                + "&issuer=ACME%20Co&algorithm=SHA256&digits=8&period=60");
        assertThat(uri.issuer()).isEqualTo("ACME Co");
        assertThat(uri.account()).isEqualTo("john.doe@email.com");
        assertThat(uri.secret()).isEqualTo(TotpSecret.fromBase32(SECRET));
        assertThat(uri.algorithm()).isEqualTo(TotpAlgorithm.SHA256);
        assertThat(uri.digits()).isEqualTo(8);
        assertThat(uri.period()).isEqualTo(Duration.ofSeconds(60));
        assertThat(uri.totpBuilder().build().digits()).isEqualTo(8);
    }

    @Test
    void roundTripsUnicodePlusAndReservedCharacters() {
        OtpAuthUri uri = OtpAuthUri.of("Zürich & Co/Mail?", "jörg+tag@exämple.com", TotpSecret.generate())
                .withAlgorithm(TotpAlgorithm.SHA512).withDigits(7).withPeriod(Duration.ofSeconds(45));
        String text = uri.toUriString();
        assertThat(text).doesNotContain(" ").doesNotContain("+").doesNotContain("ü");
        assertThat(OtpAuthUri.parse(text)).isEqualTo(uri);
    }

    @Test
    void defaultsApplyAndIssuerMayComeFromTheLabelOnly() {
        OtpAuthUri uri = OtpAuthUri.parse("otpauth://totp/Example:alice@google.com?secret=" + SECRET);
        assertThat(uri.issuer()).isEqualTo("Example");
        assertThat(uri.algorithm()).isEqualTo(TotpAlgorithm.SHA1);
        assertThat(uri.digits()).isEqualTo(6);
        assertThat(uri.period()).isEqualTo(Duration.ofSeconds(30));
        OtpAuthUri bare = OtpAuthUri.parse("OTPAUTH://TOTP/alice?secret=" + SECRET.toLowerCase() + "&image=x");
        assertThat(bare.issuer()).isNull();
        assertThat(bare.account()).isEqualTo("alice");
    }

    @Test
    void toStringOmitsTheSecret() {
        OtpAuthUri uri = OtpAuthUri.of("Example", "a@example.com", TotpSecret.fromBase32(SECRET));
        assertThat(uri.toString()).doesNotContain(SECRET).contains("a@example.com");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "https://totp/a?secret=" + SECRET,
            "otpauth://hotp/a?secret=" + SECRET + "&counter=1",
            "otpauth://totp/a",
            "otpauth://totp/a?secret=",
            "otpauth://totp/a?secret=JBSWY3DP",
            "otpauth://totp/a?secret=" + SECRET + "&digits=9",
            "otpauth://totp/a?secret=" + SECRET + "&digits=-6",
            "otpauth://totp/a?secret=" + SECRET + "&period=0",
            "otpauth://totp/a?secret=" + SECRET + "&algorithm=MD5",
            "otpauth://totp/A:a?secret=" + SECRET + "&issuer=B",
            "otpauth://totp/a?secret=" + SECRET + "&secret=" + SECRET,
            "otpauth://totp/a%2?secret=" + SECRET,
            "otpauth://totp/a%zz?secret=" + SECRET,
            "otpauth://totp/?secret=" + SECRET,
            "otpauth://totp/a?secret=" + SECRET + "#frag"})
    void refusesInvalidUrisWithoutQuotingTheSecret(String text) {
        assertThatThrownBy(() -> OtpAuthUri.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining(SECRET);
    }

    @Test
    void refusesOverlongInputAndColonsInNames() {
        assertThatThrownBy(() -> OtpAuthUri.parse("otpauth://totp/" + "a".repeat(3000)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OtpAuthUri.of("a:b", "c", TotpSecret.generate()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OtpAuthUri.of("a", "", TotpSecret.generate()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
