package dev.tollgate.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.tollgate.core.fuzz.Bounded;
import dev.tollgate.core.fuzz.FuzzSeeds;

/**
 * Any text as an MTA-STS policy (RFC 8461 §3.2) through {@link MtaStsPolicy#parse}: a policy or the documented
 * {@link TlsPolicyException}. A parsed policy round-trips through {@link MtaStsPolicy#toPolicyLines()} to an
 * equal policy, its max_age is within RFC 8461's limit, and each of its patterns admits a host it names.
 */
class MtaStsPolicyFuzzTest {
    static Stream<Arguments> seeds() {
        return FuzzSeeds.files(List.of(), List.of(),
                "version: STSv1\nmode: enforce\nmx: mail.example.com\nmx: *.example.net\nmax_age: 604800\n",
                "version: STSv1\r\nmode: testing\r\nmx: [IPv6:2001:db8::25]\r\nmx: 192.0.2.1\r\nmx: a.test\r\nmax_age: 86400\r\n",
                "version: STSv1\nmode: none\nmax_age: 31557600\n", "version: STSv1\nmode: enforce\nmax_age: 1\n");
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "15s")
    void parsesToARoundTrippingPolicyOrThrowsTheDocumentedException(byte[] data) throws Exception {
        if (data == null) {
            return;
        }
        String body = new String(data, StandardCharsets.UTF_8);
        Bounded.run(() -> {
            MtaStsPolicy policy;
            List<String> ignored = new ArrayList<>();
            try {
                policy = MtaStsPolicy.parse(body, ignored::add);
            } catch (TlsPolicyException documented) {
                return;
            }
            assertThat(policy.maxAge().getSeconds()).isBetween(0L, MtaStsPolicy.MAX_AGE_LIMIT_SECONDS);
            String lines = String.join("\r\n", policy.toPolicyLines()) + "\r\n";
            assertThat(MtaStsPolicy.parse(lines)).isEqualTo(policy);
            for (String pattern : policy.mxPatterns()) {
                String host = pattern.startsWith("*.") ? "x" + pattern.substring(1) : pattern;
                assertThat(policy.permitsMx(host)).as("pattern %s admits %s", pattern, host).isTrue();
            }
        });
    }
}
