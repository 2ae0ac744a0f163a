package dev.tollgate.core.dlp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UkNinoDetectorTest {
    private final TextScanner scanner = TextScanner.builder().detect(UkNinoDetector.create()).build();

    @ParameterizedTest
    @ValueSource(strings = {"AB123456C", "AB 12 34 56 C", "AB 123456 C", "JG103759A", "ZX 99 00 11 D"})
    void findsValidNumbers(String nino) {
        List<Finding> f = scanner.scan("NI: " + nino + ".");
        assertThat(f).hasSize(1);
        assertThat(f.get(0).start()).isEqualTo(4);
        assertThat(f.get(0).end()).isEqualTo(4 + nino.length());
        assertThat(f.get(0).type()).isEqualTo(DetectorType.UK_NINO);
    }

    @Test
    void masksDigitsAndRaisesWithContext() {
        Finding f = scanner.scan("National Insurance number AB123456C").get(0);
        assertThat(f.maskedSample()).isEqualTo("AB ** ** 56 C");
        assertThat(f.confidence()).isEqualTo(Confidence.HIGH);
        assertThat(scanner.scan("code AB123456C").get(0).confidence()).isEqualTo(Confidence.MEDIUM);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "QQ123456C", "DA123456A", "FA123456A", "IA123456A", "UA123456A", "VA123456A", // bad first letter
        "AD123456A", "AF123456A", "AI123456A", "AO123456A", "AQ123456A", "AU123456A", "AV123456A",
        "BG123456A", "GB123456A", "KN123456A", "NK123456A", "NT123456A", "TN123456A", "ZZ123456A",
        "AB123456E", "AB123456", "ab123456c", "AB1234567C", "AB12345C", "XAB123456C", "AB123456CD",
        "AB  123456C", "AB12 3456 C", "AB12 34 56C", "AB 1234 56 C"
    })
    void rejectsInvalid(String text) {
        assertThat(scanner.scan(text)).isEmpty();
    }
}
