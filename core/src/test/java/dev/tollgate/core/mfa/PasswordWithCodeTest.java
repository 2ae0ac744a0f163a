package dev.tollgate.core.mfa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PasswordWithCodeTest {
    private final PasswordWithCode.Splitter six = PasswordWithCode.splitter(6);

    @Test
    void passwordEndingInDigitsSplitsFromTheEnd() {
        List<PasswordWithCode> c = six.candidates("Winter123456" + "123456");
        assertThat(c).hasSize(2);
        assertThat(c.get(0).password()).isEqualTo("Winter123456");
        assertThat(c.get(0).code()).contains("123456");
        assertThat(c.get(1).password()).isEqualTo("Winter123456123456");
        assertThat(c.get(1).hasCode()).isFalse();
    }

    @Test
    void plainPasswordEndingInSixDigitsIsAmbiguous() {
        List<PasswordWithCode> c = six.candidates("Winter123456");
        assertThat(c).extracting(PasswordWithCode::password).containsExactly("Winter", "Winter123456");
        assertThat(c.get(0).code()).contains("123456");
    }

    @Test
    void specialCharactersInThePasswordAreKept() {
        List<PasswordWithCode> c = six.candidates("pa$$w0rd" + "004711");
        assertThat(c.get(0).password()).isEqualTo("pa$$w0rd");
        assertThat(c.get(0).code()).contains("004711");
        assertThat(six.candidates("pa$$w0rd")).extracting(PasswordWithCode::hasCode).containsExactly(false);
    }

    @Test
    void separatorInsideThePasswordIsKept() {
        PasswordWithCode.Splitter semicolon = six.withSeparator(";");
        PasswordWithCode split = semicolon.split("a;b;c;123456").orElseThrow();
        assertThat(split.password()).isEqualTo("a;b;c");
        assertThat(split.code()).contains("123456");
        // "a;b;c" alone has no code: only the plain reading
        assertThat(semicolon.candidates("a;b;c")).extracting(PasswordWithCode::password).containsExactly("a;b;c");
        assertThat(semicolon.candidates("a;b;c")).allMatch(p -> !p.hasCode());
        // separator required when configured
        assertThat(semicolon.split("a;b;c123456")).isEmpty();
    }

    @Test
    void eightDigitCodes() {
        PasswordWithCode.Splitter eight = PasswordWithCode.splitter(8);
        assertThat(eight.split("secret12345678")).hasValueSatisfying(p -> {
            assertThat(p.password()).isEqualTo("secret");
            assertThat(p.code()).contains("12345678");
        });
        assertThat(eight.split("secret123456")).isEmpty();
    }

    @Test
    void noSplitWithoutANonEmptyPasswordOrWithNonAsciiDigits() {
        assertThat(six.split("123456")).isEmpty();
        assertThat(six.withSeparator(":").split(":123456")).isEmpty();
        assertThat(six.split("secret12345x")).isEmpty();
        assertThat(six.split("secret١٢٣٤٥٦")).isEmpty();
        assertThat(six.candidates("")).isEmpty();
        assertThat(six.candidates("x".repeat(PasswordWithCode.MAX_CREDENTIAL_LENGTH + 1))).isEmpty();
    }

    @Test
    void toStringHidesPasswordAndCode() {
        PasswordWithCode p = six.split("hunter2" + "987654").get();
        assertThat(p.toString()).doesNotContain("hunter2").doesNotContain("987654");
    }

    @Test
    void refusesBadConfiguration() {
        assertThatThrownBy(() -> PasswordWithCode.splitter(5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> six.withSeparator("1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> six.withSeparator("#####")).isInstanceOf(IllegalArgumentException.class);
    }
}
