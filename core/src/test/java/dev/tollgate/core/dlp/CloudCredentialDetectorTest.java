package dev.tollgate.core.dlp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CloudCredentialDetectorTest {
    private static final String GH36 = "aB3dE5fG7hJ9kL1mN2pQ4rS6tU8vW0xY1zA2";
    private static final String PAT = "github_pat_11ABCDEFG0123456789abcde_"
            + "0123456789abcdefghijABCDEFGHIJ0123456789abcdefghijABCDEFGHI";
    private static final String SLACK = "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx";
    private static final String GOOGLE = "AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY";
    private static final String STRIPE = "sk_live_4eC39HqLyjWDarjtT1zdp7dc";

    private final TextScanner scanner = TextScanner.builder()
            .detect(CloudCredentialDetector.create())
            .withoutDefaultContextRules()
            .build();

    private Finding single(String text) {
        List<Finding> f = scanner.scan(text);
        assertThat(f).hasSize(1);
        return f.get(0);
    }

    @Test
    void findsAwsAccessKeyId() {
        String text = "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n";
        Finding f = single(text);
        assertThat(f.label()).isEqualTo("AWS_ACCESS_KEY_ID");
        assertThat(text.substring(f.start(), f.end())).isEqualTo("AKIAIOSFODNN7EXAMPLE");
        assertThat(f.maskedSample()).isEqualTo("AKIA****");
        assertThat(single("\"ASIAY34FZKBOKMUTVV7A\"").label()).isEqualTo("AWS_ACCESS_KEY_ID");
    }

    @Test
    void findsOtherProviders() {
        assertThat(single("token: ghp_" + GH36).label()).isEqualTo("GITHUB_TOKEN");
        assertThat(single("ghs_" + GH36 + ".").maskedSample()).isEqualTo("ghs_****");
        assertThat(single(PAT).label()).isEqualTo("GITHUB_TOKEN");
        assertThat(single("SLACK=" + SLACK).label()).isEqualTo("SLACK_TOKEN");
        Finding g = single("key=" + GOOGLE + "&q=1");
        assertThat(g.label()).isEqualTo("GOOGLE_API_KEY");
        assertThat(g.end() - g.start()).isEqualTo(39);
        Finding s = single("stripe " + STRIPE);
        assertThat(s.label()).isEqualTo("STRIPE_SECRET_KEY");
        assertThat(s.maskedSample()).isEqualTo("sk_live_****").doesNotContain("4eC3");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "AKIAIOSFODNN7EXAMPL",         // 15 body chars
        "AKIAIOSFODNN7EXAMPLEX",       // glued: longer run
        "AKIAIOSFODNN1EXAMPLE",        // '1' is not base32
        "AKIAiosfodnn7example",        // lower case
        "XAKIAIOSFODNN7EXAMPLE",       // glued before
        "ghp_tooShort123",
        "ghx_aB3dE5fG7hJ9kL1mN2pQ4rS6tU8vW0xY1zA2",
        "xoxb-short",
        "xoxb-abc-def-ghi-jkl-mno-pqr-stu",
        "AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBW",   // 34 body chars
        "AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWYZ", // 36 body chars
        "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
        "sk_live_short"
    })
    void rejectsLookAlikes(String text) {
        assertThat(scanner.scan(text)).isEmpty();
    }

    @Test
    void negativeContextLowersConfidence() {
        TextScanner withRules = TextScanner.builder().detect(CloudCredentialDetector.create()).build();
        assertThat(withRules.scan("our key AKIAIOSFODNN7EXAMPLE").get(0).confidence()).isEqualTo(Confidence.HIGH);
        assertThat(withRules.scan("a dummy AKIAIOSFODNN7EXAMPLE").get(0).confidence()).isEqualTo(Confidence.MEDIUM);
    }

    @Test
    void documentationPlaceholdersAreNotCredentials() {
        assertThat(scanner.scan("aws_access_key_id = AKIAXXXXXXXXXXXXXXXX")).isEmpty();
        assertThat(scanner.scan("sk_live_000000000000000000000000 or ghp_" + "x".repeat(36))).isEmpty();
        // counter-case: AWS's documented example key and generated tokens have many distinct chars
        assertThat(scanner.scan("AKIAIOSFODNN7EXAMPLE")).hasSize(1);
        assertThat(scanner.scan(STRIPE)).hasSize(1);
    }
}
