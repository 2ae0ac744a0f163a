package dev.tollgate.core.dlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Parameters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class TextScannerTest {
    private static final String DOC = "Hallo,\n"
            + "Kreditkarte 4111 1111 1111 1111, MC 2223003122003222, Amex 378282246310005.\n"
            + "IBAN DE89 3704 0044 0532 0130 00 und GB82WEST12345698765432, NL91-ABNA-0417-1643-00.\n"
            + "aws_access_key_id=AKIAIOSFODNN7EXAMPLE\n"
            + "SSN 123-45-6789, NINO AB 12 34 56 C.\n"
            + "Not sensitive: order 1748503543012, tel +49 30 1234 5678, ISBN 978-3-16-148410-0, "
            + "DE89370400440532013001, 4111111111111112, 123456789012345678901234.\n";

    private final TextScanner all = TextScanner.builder().allBuiltInDetectors().build();

    @Test
    void findsEverythingInAMixedDocumentInOrder() {
        ScanResult r = all.scan(DOC);
        assertThat(r.isTruncated()).isFalse();
        assertThat(r).extracting(Finding::label).containsExactly(
                "VISA", "MASTERCARD", "AMEX", "DE", "GB", "NL", "AWS_ACCESS_KEY_ID", "SSN", "NINO");
        assertThat(r).isSortedAccordingTo(Finding::compareTo);
        for (int i = 1; i < r.size(); i++) {
            assertThat(r.get(i).start()).isGreaterThanOrEqualTo(r.get(i - 1).end());
        }
        assertThat(r.get(0).confidence()).isEqualTo(Confidence.HIGH); // "Kreditkarte"
        assertThat(r.get(3).confidence()).isEqualTo(Confidence.HIGH); // "IBAN"
        assertThat(r.scannedChars()).isEqualTo(DOC.length());
    }

    @Test
    void detectorOrderInBuilderDoesNotMatter() {
        TextScanner reversed = TextScanner.builder()
                .detect(CloudCredentialDetector.create(), PrivateKeyDetector.create(), UkNinoDetector.create(),
                        UsSsnDetector.create(), IbanDetector.create(), PaymentCardDetector.create())
                .build();
        assertThat(reversed.scan(DOC)).isEqualTo(all.scan(DOC));
        assertThat(reversed.detectors()).extracting(Detector::type).containsExactly(DetectorType.PRIVATE_KEY,
                DetectorType.CLOUD_CREDENTIAL, DetectorType.IBAN, DetectorType.UK_NINO,
                DetectorType.PAYMENT_CARD, DetectorType.US_SSN);
    }

    @Test
    void claimedSpansAreNotRescanned() {
        // the IBAN's digit groups are not offered to the card detector once the IBAN matched
        ScanResult r = all.scan("IBAN DE89 3704 0044 0532 0130 00");
        assertThat(r).singleElement().extracting(Finding::type).isEqualTo(DetectorType.IBAN);
        // an EDM value that is also a card number is reported once, as the more specific card
        ExactDataMatch edm = ExactDataMatch.fromValues("edm", List.of("4111111111111111"));
        TextScanner s = TextScanner.builder().detect(edm, PaymentCardDetector.create()).build();
        assertThat(s.scan("x 4111111111111111 y")).singleElement()
                .extracting(Finding::type).isEqualTo(DetectorType.PAYMENT_CARD);
    }

    @Test
    void maxFindingsTruncates() {
        TextScanner two = TextScanner.builder().detect(PaymentCardDetector.create()).maxFindings(2).build();
        ScanResult r = two.scan("4111111111111111 5555555555554444 378282246310005");
        assertThat(r).hasSize(2);
        assertThat(r.isTruncated()).isTrue();
        ScanResult exact = two.scan("4111111111111111 5555555555554444");
        assertThat(exact).hasSize(2);
        assertThat(exact.isTruncated()).isFalse();
    }

    @Test
    void maxInputCharsTruncates() {
        TextScanner small = TextScanner.builder().detect(PaymentCardDetector.create()).maxInputChars(20).build();
        ScanResult r = small.scan("4111111111111111 and later 5555555555554444");
        assertThat(r).hasSize(1);
        assertThat(r.isTruncated()).isTrue();
        assertThat(r.scannedChars()).isEqualTo(20);
        // a card cut by the limit is not reported as a shorter number
        assertThat(small.scan("xxxxxxxx 4111111111111111")).isEmpty();
        // 6759649826438453 is a valid 16-digit Maestro; followed by more digits cut off at the limit it is not
        TextScanner sixteen = TextScanner.builder().detect(PaymentCardDetector.create()).maxInputChars(16).build();
        assertThat(sixteen.scan("6759649826438453")).hasSize(1);
        assertThat(sixteen.scan("675964982643845312")).isEmpty();
    }

    @Test
    void configureFromParameters() {
        TextScanner s = TextScanner.builder().configure(Parameters.of(Map.of(
                "detectors", "iban, payment-card", "maxFindings", "1", "contextWindow", "4"))).build();
        assertThat(s.detectors()).extracting(Detector::id).containsExactly("iban", "payment-card");
        ScanResult r = s.scan("Kreditkarte: 4111111111111111 DE89370400440532013000");
        assertThat(r).hasSize(1);
        assertThat(r.isTruncated()).isTrue();
        assertThat(r.get(0).confidence()).isEqualTo(Confidence.MEDIUM); // keyword outside the 4-char window

        TextScanner defaults = TextScanner.builder().configure(Parameters.empty()).build();
        assertThat(defaults.detectors()).hasSize(6);

        assertThatThrownBy(() -> TextScanner.builder().configure(Parameters.of(Map.of("detectors", "iban,bogus"))))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).parameter()).isEqualTo("detectors"));
        assertThatThrownBy(() -> TextScanner.builder().configure(Parameters.of(Map.of("maxFindings", "0"))))
                .isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> TextScanner.builder().configure(Parameters.of(Map.of("contextRules", "maybe"))))
                .isInstanceOf(ConfigException.class);
        TextScanner noCtx = TextScanner.builder()
                .configure(Parameters.of(Map.of("detectors", "us-ssn", "contextRules", "false"))).build();
        assertThat(noCtx.scan("SSN 123456789")).isEmpty();
    }

    @Test
    void resultIsImmutable() {
        ScanResult r = all.scan(DOC);
        assertThatThrownBy(() -> r.add(r.get(0))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> r.remove(0)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void builderValidates() {
        assertThatThrownBy(() -> TextScanner.builder().build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> TextScanner.builder().detect(IbanDetector.create(), IbanDetector.create()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TextScanner.builder().maxFindings(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TextScanner.builder().maxInputChars(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> all.scan(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void emptyAndPlainTextHaveNoFindings() {
        assertThat(all.scan("")).isEmpty();
        assertThat(all.scan("The quick brown fox paid 12.50 EUR on 2024-05-01 at 10:15, ref #4711.")).isEmpty();
    }

    @Test
    void hostileInputsStayBoundedAndFindNothing() {
        int n = 200_000;
        assertThat(all.scan("1 ".repeat(n))).isEmpty();
        assertThat(all.scan("1-".repeat(n) + "1")).isEmpty();
        assertThat(all.scan("9".repeat(n))).isEmpty();
        assertThat(all.scan("-----BEGIN PRIVATE KEY-----\n".repeat(n / 10))).isEmpty();
        assertThat(all.scan("-----BEGIN PRIVATE KEY-----\nAAAA\\n".repeat(n / 10))).isEmpty();
        assertThat(all.scan("DE89 ".repeat(n))).isEmpty();
        assertThat(all.scan("AKIA".repeat(n))).isEmpty();
        assertThat(all.scan("ghp_".repeat(n))).isEmpty();
        assertThat(all.scan("PuTTY-User-Key-File-2: x\n".repeat(n / 10))).isEmpty();
    }

    @Test
    void cardSeparatorRunsStayBoundedOnHostileInput() {
        int n = 200_000;
        for (String unit : new String[] {"1234\t", "12  ", "1234_", "123,", "1234 ", "12-", "1234" + " ".repeat(17)}) {
            assertThat(all.scan(unit.repeat(n / unit.length() * 4))).as(unit).isEmpty();
        }
    }

    @Test
    void concurrentScansGiveIdenticalResults() throws Exception {
        ScanResult expected = all.scan(DOC);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<ScanResult>> futures = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                futures.add(pool.submit(() -> all.scan(DOC)));
            }
            for (Future<ScanResult> f : futures) {
                assertThat(f.get()).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void findingToStringIsSafe() {
        for (Finding f : all.scan(DOC)) {
            assertThat(f.toString()).doesNotContain("4111111111111111", "1111 1111 1111 1111",
                    "370400440532", "IOSFODNN", "123-45");
        }
    }
}
