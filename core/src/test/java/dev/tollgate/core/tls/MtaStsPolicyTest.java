package dev.tollgate.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
    void anMxPatternEndingInAnEmptyLabelIsInvalidRatherThanAPatternNoHostMatches() {
        // one trailing dot is the root and is dropped; a second one left "mx.example." behind as the pattern
        assertInvalid("version: STSv1\nmode: enforce\nmx: mx.example..\nmax_age: 1");
        assertInvalid("version: STSv1\nmode: enforce\nmx: *.example..\nmax_age: 1");
        assertInvalid("version: STSv1\nmode: testing\nmx: 192..\nmax_age: 1");
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

    @Test
    void ipLiteralMxLinesAreIgnoredBareOrBracketedAndTheHostPatternsKept() throws Exception {
        List<String> ignored = new ArrayList<>();
        MtaStsPolicy p = MtaStsPolicy.parse("version: STSv1\nmode: enforce\nmx: mail.example.com\n"
                + "mx: 192.0.2.25\nmx: [192.0.2.26]\nmx: 2001:db8::25\nmx: [2001:db8::26]\n"
                + "mx: [IPv6:2001:db8::27]\nmx: 192.0.2.28.\nmx: *.example.net\nmax_age: 86400\n", ignored::add);
        assertThat(p.mode()).isEqualTo(MtaStsPolicy.Mode.ENFORCE);
        assertThat(p.mxPatterns()).containsExactly("mail.example.com", "*.example.net");
        assertThat(ignored).containsExactly("192.0.2.25", "[192.0.2.26]", "2001:db8::25", "[2001:db8::26]",
                "[IPv6:2001:db8::27]", "192.0.2.28.");
        assertThat(p.permitsMx("mail.example.com")).isTrue();
        assertThat(p.permitsMx("mx1.example.net")).isTrue();
        assertThat(p.permitsMx("192.0.2.25")).isFalse();
        assertThat(p.permitsMx("mx.attacker.example")).isFalse();
    }

    @Test
    void bracketedIpv4BesideAHostPatternNoLongerInvalidatesThePolicy() throws Exception {
        List<String> ignored = new ArrayList<>();
        MtaStsPolicy p = MtaStsPolicy.parse("version: STSv1\nmode: enforce\nmx: [192.0.2.25]\n"
                + "mx: mx.example.com\nmax_age: 86400\n", ignored::add);
        assertThat(p.mxPatterns()).containsExactly("mx.example.com");
        assertThat(ignored).containsExactly("[192.0.2.25]");
    }

    @Test
    void enforcePolicyWithOnlyIpLiteralsIsInvalidAndDefers() {
        for (String mx : List.of("192.0.2.25", "[192.0.2.25]", "2001:db8::25", "[2001:db8::25]",
                "192.0.2.25\nmx: [2001:db8::25]")) {
            List<String> ignored = new ArrayList<>();
            assertThatThrownBy(() -> MtaStsPolicy.parse("version: STSv1\nmode: enforce\nmx: " + mx
                    + "\nmax_age: 86400\n", ignored::add))
                    .as(mx)
                    .isInstanceOf(TlsPolicyException.class)
                    .hasMessageContaining("no usable mx pattern")
                    .satisfies(e -> {
                        TlsPolicyException te = (TlsPolicyException) e;
                        assertThat(te.reason()).isEqualTo(TlsFailureReason.STS_POLICY_INVALID);
                        assertThat(te.reason().resultType()).isEqualTo("sts-policy-invalid");
                        assertThat(te.defersDelivery()).isTrue();
                    });
            assertThat(ignored).as(mx).isNotEmpty();
        }
    }

    @Test
    void enforcePolicyWithoutMxDefersButOtherInvalidPoliciesDoNot() {
        assertThatThrownBy(() -> MtaStsPolicy.parse("version: STSv1\nmode: enforce\nmax_age: 1"))
                .isInstanceOf(TlsPolicyException.class)
                .satisfies(e -> assertThat(((TlsPolicyException) e).defersDelivery()).isTrue());
        for (String body : List.of("version: STSv1\nmode: testing\nmx: 192.0.2.25\nmax_age: 1",
                "version: STSv1\nmode: enforce\nmx: a..example\nmax_age: 1",
                "version: STSv1\nmode: enforce\nmx: [mx.example.com]\nmax_age: 1",
                "version: STSv1\nmode: enforce\nmx: 192.0.2.25")) {
            assertThatThrownBy(() -> MtaStsPolicy.parse(body)).as(body)
                    .isInstanceOf(TlsPolicyException.class)
                    .satisfies(e -> {
                        assertThat(((TlsPolicyException) e).reason()).isEqualTo(TlsFailureReason.STS_POLICY_INVALID);
                        assertThat(((TlsPolicyException) e).defersDelivery()).isFalse();
                    });
        }
    }

    @Test
    void modeNoneWithOnlyIpLiteralsIsValid() throws Exception {
        assertThat(MtaStsPolicy.parse("version: STSv1\nmode: none\nmx: 192.0.2.25\nmax_age: 86400\n").mxPatterns())
                .isEmpty();
    }

    @Test
    void ipLiteralRecognition() {
        for (String ip : List.of("192.0.2.25", "192.0.2.25.", "[192.0.2.25]", "::1", "2001:DB8::25", "[IPv6:2001:db8::1]",
                "[ipv6:2001:db8::1]", "fe80::1%eth0", "::ffff:192.0.2.25")) {
            assertThat(MtaStsPolicy.isIpLiteral(ip)).as(ip).isTrue();
        }
        for (String name : List.of("mx.example.com", "*.example.com", "[mx.example.com]", "[]", "[192.0.2.25",
                "192.0.2.256", "1.2.3", "192.0.2.25.example")) {
            assertThat(MtaStsPolicy.isIpLiteral(name)).as(name).isFalse();
        }
    }

    private static void assertInvalid(String body) {
        assertThatThrownBy(() -> MtaStsPolicy.parse(body))
                .isInstanceOf(TlsPolicyException.class)
                .extracting(e -> ((TlsPolicyException) e).reason())
                .isEqualTo(TlsFailureReason.STS_POLICY_INVALID);
    }
}
