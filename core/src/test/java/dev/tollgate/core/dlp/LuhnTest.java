package dev.tollgate.core.dlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LuhnTest {

    @Test
    void acceptsPublicTestNumbers() {
        assertThat(Luhn.isValid("4111111111111111")).isTrue();
        assertThat(Luhn.isValid("2223003122003222")).isTrue();
        assertThat(Luhn.isValid("378282246310005")).isTrue();
        assertThat(Luhn.isValid("0")).isTrue();
    }

    @Test
    void rejectsChangedDigitAndTransposition() {
        assertThat(Luhn.isValid("4111111111111112")).isFalse();
        assertThat(Luhn.isValid("4111111111111121")).isFalse();
        // adjacent transposition 82 -> 28 is detected by Luhn
        assertThat(Luhn.isValid("372882246310005")).isFalse();
    }

    @Test
    void rejectsNonDigitsAndEmpty() {
        assertThat(Luhn.isValid("")).isFalse();
        assertThat(Luhn.isValid(null)).isFalse();
        assertThat(Luhn.isValid("4111 1111 1111 1111")).isFalse();
        assertThat(Luhn.isValid("411111111111111a")).isFalse();
        assertThat(Luhn.isValid("٤١١١")).isFalse(); // Arabic-Indic digits are not ASCII digits
    }

    @Test
    void checkDigitCompletesPayload() {
        assertThat(Luhn.checkDigit("411111111111111")).isEqualTo(1);
        assertThat(Luhn.checkDigit("37828224631000")).isEqualTo(5);
        for (String payload : new String[] {"7992739871", "1", "123456789012345678"}) {
            assertThat(Luhn.isValid(payload + Luhn.checkDigit(payload))).isTrue();
        }
        assertThatThrownBy(() -> Luhn.checkDigit("12a")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Luhn.checkDigit("")).isInstanceOf(IllegalArgumentException.class);
    }
}
