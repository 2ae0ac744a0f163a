package dev.tollgate.core.dlp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UsSsnDetectorTest {
    private final TextScanner scanner = TextScanner.builder().detect(UsSsnDetector.create()).build();

    @Test
    void dashedFormIsReportedAndContextRaisesIt() {
        List<Finding> plain = scanner.scan("ref 123-45-6789 end");
        assertThat(plain).hasSize(1);
        assertThat(plain.get(0).confidence()).isEqualTo(Confidence.LOW);
        assertThat(plain.get(0).maskedSample()).isEqualTo("***-**-6789");
        assertThat(plain.get(0).start()).isEqualTo(4);
        assertThat(plain.get(0).end()).isEqualTo(15);

        List<Finding> ctx = scanner.scan("Social Security Number: 123-45-6789");
        assertThat(ctx).singleElement().extracting(Finding::confidence).isEqualTo(Confidence.MEDIUM);
    }

    @Test
    void numberBeforeTheSsnDoesNotHideIt() {
        String text = "filed 2024 123-45-6789 ok";
        assertThat(scanner.scan(text)).singleElement().satisfies(f ->
                assertThat(text.substring(f.start(), f.end())).isEqualTo("123-45-6789"));
        assertThat(scanner.scan("filed 123-45-6789 2024")).hasSize(1);
        // counter-cases: an invalid area beside a year, and a dashed phone-like chain, stay clean
        assertThat(scanner.scan("filed 2024 666-45-6789 ok")).isEmpty();
        assertThat(scanner.scan("call 1-800-123-45-6789")).isEmpty();
    }

    @Test
    void undashedFormNeedsPositiveContext() {
        assertThat(scanner.scan("id 123456789 end")).isEmpty();
        List<Finding> f = scanner.scan("my SSN is 123456789.");
        assertThat(f).hasSize(1);
        assertThat(f.get(0).maskedSample()).isEqualTo("*****6789");
    }

    @Test
    void undashedFormIsDroppedWithoutAnyUsSsnRule() {
        TextScanner noRules = TextScanner.builder().detect(UsSsnDetector.create())
                .withoutDefaultContextRules().build();
        assertThat(noRules.scan("SSN 123456789")).isEmpty();
        assertThat(noRules.scan("SSN 123-45-6789")).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"001-01-0001", "665-12-3456", "667-12-3456", "899-99-9999", "772-01-0001"})
    void rangeEdgesThatAreValid(String ssn) {
        assertThat(scanner.scan("SSN " + ssn)).as(ssn).singleElement()
                .extracting(Finding::maskedSample).isEqualTo("***-**-" + ssn.substring(7));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SSN 000-12-3456", "SSN 666-12-3456", "SSN 900-12-3456", "SSN 999-12-3456",
        "SSN 123-00-4567", "SSN 123-45-0000", "SSN 078-05-1120", "SSN 219-09-9999",
        "SSN 555-123-4567", "SSN 123-45-67890", "SSN 1234-5-6789", "SSN 123 45 6789",
        "SSN 12345678", "SSN 1234567890", "SSN x123-45-6789", "SSN 123-45-6789x", "SSN 1.123-45-6789"
    })
    void rejectsInvalidOrOtherShapes(String text) {
        assertThat(scanner.scan(text)).isEmpty();
    }
}
