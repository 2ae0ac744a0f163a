package dev.tollgate.core.dlp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.tollgate.core.fuzz.Bounded;
import dev.tollgate.core.fuzz.FuzzSeeds;

/**
 * Any text through a {@link TextScanner} with every built-in detector: at most {@code maxFindings} findings,
 * at most {@code maxInputChars} characters scanned, each finding inside the scanned text, and no finding's
 * masked sample carrying the matched value whole (the point of masking). No exception.
 */
class TextScannerFuzzTest {
    private static final int MAX_FINDINGS = 50;
    private static final int MAX_INPUT_CHARS = 16 * 1024;
    private static final TextScanner SCANNER = TextScanner.builder().allBuiltInDetectors().maxFindings(MAX_FINDINGS)
            .maxInputChars(MAX_INPUT_CHARS).build();

    static Stream<Arguments> seeds() {
        return FuzzSeeds.files(List.of("src/test/resources/dlp"), List.of(),
                "card 4111 1111 1111 1111 exp 12/30, visa 4012-8888-8888-1881",
                "IBAN GB82 WEST 1234 5698 7654 32 and DE89370400440532013000",
                "SSN 123-45-6789; NINO AB 12 34 56 C; AKIAIOSFODNN7EXAMPLE aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                "оплата4111111111111111 é4111 1111 1111 1111 支付5555555555554444谢谢 4\u001F1\u001F1\u001F1");
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "15s")
    void findingsAreBoundedAndMasked(byte[] data) throws Exception {
        if (data == null) {
            return;
        }
        String text = new String(data, StandardCharsets.UTF_8);
        Bounded.run(() -> {
            ScanResult result = SCANNER.scan(text);
            assertThat(result.size()).isLessThanOrEqualTo(MAX_FINDINGS);
            assertThat(result.scannedChars()).isLessThanOrEqualTo(Math.min(MAX_INPUT_CHARS, text.length()));
            for (Finding f : result) {
                assertThat(f.start()).isGreaterThanOrEqualTo(0);
                assertThat(f.end()).isGreaterThan(f.start()).isLessThanOrEqualTo(result.scannedChars());
                String matched = text.substring(f.start(), f.end());
                if (matched.strip().length() >= 8) {
                    assertThat(f.maskedSample()).doesNotContain(matched.strip());
                }
            }
        });
    }
}
