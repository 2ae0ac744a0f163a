package dev.tollgate.core.mfa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HotpTest {
    private static final byte[] RFC4226_SECRET = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    /** RFC 4226 Appendix D: counter, truncated decimal, 6-digit HOTP. */
    @ParameterizedTest
    @CsvSource({"0,1284755224,755224", "1,1094287082,287082", "2,137359152,359152", "3,1726969429,969429",
            "4,1640338314,338314", "5,868254676,254676", "6,1918287922,287922", "7,82162583,162583",
            "8,673399871,399871", "9,645520489,520489"})
    void rfc4226AppendixD(long counter, int truncated, String hotp) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
        mac.init(new javax.crypto.spec.SecretKeySpec(RFC4226_SECRET, "HmacSHA1"));
        byte[] message = java.nio.ByteBuffer.allocate(8).putLong(counter).array();
        assertThat(Hotp.truncate(mac.doFinal(message))).isEqualTo(truncated);
        assertThat(Hotp.rfc4226().generate(RFC4226_SECRET, counter)).isEqualTo(hotp);
    }

    @Test
    void zeroPadsToTheRequestedWidth() {
        // counter 7 truncates to 82162583: 8 digits keep all, 6 digits keep 162583, 7 digits 2162583
        assertThat(Hotp.of(TotpAlgorithm.SHA1, 8).generate(RFC4226_SECRET, 7)).isEqualTo("82162583");
        assertThat(Hotp.of(TotpAlgorithm.SHA1, 7).generate(RFC4226_SECRET, 7)).isEqualTo("2162583");
        // counter 7 with 8 digits: 82162583 mod 10^8; counter 2 truncates to 137359152 -> 37359152
        assertThat(Hotp.of(TotpAlgorithm.SHA1, 8).generate(RFC4226_SECRET, 2)).isEqualTo("37359152");
        // leading zeros: 6-digit TOTP values 081804 / 005924 are covered in TotpTest
    }

    @Test
    void refusesDigitsOutsideSixToEight() {
        assertThatThrownBy(() -> Hotp.of(TotpAlgorithm.SHA1, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Hotp.of(TotpAlgorithm.SHA1, 9)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Hotp.of(null, 6)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesEmptyKey() {
        assertThatThrownBy(() -> Hotp.rfc4226().generate(new byte[0], 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
