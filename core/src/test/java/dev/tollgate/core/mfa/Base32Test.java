package dev.tollgate.core.mfa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Base32Test {

    /** RFC 4648 §10 test vectors. */
    @ParameterizedTest
    @CsvSource({"'',''", "f,MY======", "fo,MZXQ====", "foo,MZXW6===", "foob,MZXW6YQ=", "fooba,MZXW6YTB",
            "foobar,MZXW6YTBOI======"})
    void rfc4648Vectors(String plain, String padded) {
        byte[] bytes = plain.getBytes(StandardCharsets.US_ASCII);
        assertThat(Base32.encode(bytes)).isEqualTo(padded.replace("=", ""));
        assertThat(Base32.decode(padded)).isEqualTo(bytes);
        assertThat(Base32.decode(padded.replace("=", ""))).isEqualTo(bytes);
        assertThat(Base32.decode(padded.toLowerCase())).isEqualTo(bytes);
    }

    @Test
    void spacesAndHyphensAreIgnored() {
        assertThat(Base32.decode("mzxw 6ytb-oi")).isEqualTo("foobar".getBytes(StandardCharsets.US_ASCII));
        assertThat(Base32.decode(" MZXW6YTB OI== ==== ")).isEqualTo("foobar".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void roundTripsRandomData() {
        SecureRandom random = new SecureRandom();
        for (int len = 0; len < 70; len++) {
            byte[] data = new byte[len];
            random.nextBytes(data);
            assertThat(Base32.decode(Base32.encode(data))).isEqualTo(data);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"MZXW1YTB", "MZXW0YTB", "MZXW8YTB", "MZXW_YTB", "MZXW.YTB", "MZXWÄYTB", "MZXW\tYTB",
            "MZXW\u0661YTB"})
    void refusesCharactersOutsideTheAlphabetWithoutEchoingInput(String text) {
        assertThatThrownBy(() -> Base32.decode(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("position 5")
                .hasMessageNotContaining("MZXW");
    }

    @ParameterizedTest
    @ValueSource(strings = {"M", "MZX", "MZXW6Y", "MZXW6YTBO"})
    void refusesLengthsThatCannotComeFromWholeBytes(String text) {
        assertThatThrownBy(() -> Base32.decode(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("length");
    }

    @ParameterizedTest
    @ValueSource(strings = {"MY=A====", "MZXW6YTB========", "MY==", "MZXW6YQ===", "=MZXW6YTB"})
    void refusesMisplacedOrWrongPadding(String text) {
        assertThatThrownBy(() -> Base32.decode(text)).isInstanceOf(IllegalArgumentException.class);
    }
}
