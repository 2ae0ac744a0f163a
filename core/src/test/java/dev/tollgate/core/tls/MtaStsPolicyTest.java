package dev.tollgate.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MtaStsPolicyTest {
    static final String ENFORCE = "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\n"
            + "mx: *.example.net\r\nmx: backupmx.example.com\r\nmax_age: 604800\r\n";

    @Test
    void parsesTheRfcExampleWithCrlf() throws Exception {
        MtaStsPolicy p = MtaStsPolicy.parse(ENFORCE);
        assertThat(p.mode()).isEqualTo(MtaStsPolicy.Mode.ENFORCE);
        assertThat(p.mxPatterns()).containsExactly("mail.example.com", "*.example.net", "backupmx.example.com");
        assertThat(p.maxAge()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void parsesLfLinesUnknownKeysAndBlanks() throws Exception {
        MtaStsPolicy p = MtaStsPolicy.parse("version: STSv1\nmode:testing\nfuture_key: whatever\nmx: MX.Example.COM.\nmax_age:0\n\n");
        assertThat(p.mode()).isEqualTo(MtaStsPolicy.Mode.TESTING);
        assertThat(p.mxPatterns()).containsExactly("mx.example.com");
        assertThat(p.maxAge()).isZero();
    }

    @Test
    void modeNoneNeedsNoMx() throws Exception {
        assertThat(MtaStsPolicy.parse("version: STSv1\nmode: none\nmax_age: 86400\n").mxPatterns()).isEmpty();
    }

    @Test
    void maxAgeUpperBound() throws Exception {
        assertThat(MtaStsPolicy.parse("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 31557600").maxAge())
                .isEqualTo(Duration.ofSeconds(31_557_600));
        assertInvalid("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 31557601");
        assertInvalid("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 99999999999");
        assertInvalid("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: -1");
    }

    @Test
    void rejectsInvalidPolicies() {
        assertInvalid("mode: enforce\nversion: STSv1\nmx: a.example\nmax_age: 1");
        assertInvalid("version: STSv2\nmode: enforce\nmx: a.example\nmax_age: 1");
        assertInvalid("version: STSv1\nmode: ENFORCE\nmx: a.example\nmax_age: 1");
        assertInvalid("version: STSv1\nmx: a.example\nmax_age: 1");
        assertInvalid("version: STSv1\nmode: enforce\nmax_age: 1");
        assertInvalid("version: STSv1\nmode: enforce\nmx: a.example");
        assertInvalid("version: STSv1\nmode: enforce\nmx: a..example\nmax_age: 1");
        assertInvalid("version: STSv1\nmode: enforce\nmx: a.*.example\nmax_age: 1");
        assertInvalid("version: STSv1\nmode: enforce\nthis line has no colon\nmx: a.example\nmax_age: 1");
        assertInvalid("");
        assertInvalid(null);
        assertInvalid("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 1\n# " + "x".repeat(64 * 1024));
    }

    @Test
    void permitsMxExactNamesCaseInsensitively() throws Exception {
        MtaStsPolicy p = MtaStsPolicy.parse(ENFORCE);
        assertThat(p.permitsMx("mail.example.com")).isTrue();
        assertThat(p.permitsMx("MAIL.Example.Com.")).isTrue();
        assertThat(p.permitsMx("mail2.example.com")).isFalse();
        assertThat(p.permitsMx("example.com")).isFalse();
        assertThat(p.permitsMx("x.mail.example.com")).isFalse();
    }

    @Test
    void wildcardMatchesExactlyOneLeftmostLabel() throws Exception {
        MtaStsPolicy p = MtaStsPolicy.parse(ENFORCE);
        assertThat(p.permitsMx("mx1.example.net")).isTrue();
        assertThat(p.permitsMx("MX1.EXAMPLE.NET.")).isTrue();
        assertThat(p.permitsMx("example.net")).isFalse();
        assertThat(p.permitsMx("a.b.example.net")).isFalse();
        assertThat(p.permitsMx("mx1.badexample.net")).isFalse();
        assertThat(p.permitsMx("")).isFalse();
        assertThat(p.permitsMx(null)).isFalse();
    }

    @Test
    void toPolicyLinesRoundTrips() throws Exception {
        MtaStsPolicy p = MtaStsPolicy.parse(ENFORCE);
        assertThat(MtaStsPolicy.parse(String.join("\n", p.toPolicyLines()))).isEqualTo(p);
    }

    private static void assertInvalid(String body) {
        assertThatThrownBy(() -> MtaStsPolicy.parse(body))
                .isInstanceOf(TlsPolicyException.class)
                .extracting(e -> ((TlsPolicyException) e).reason())
                .isEqualTo(TlsFailureReason.STS_POLICY_INVALID);
    }
}
