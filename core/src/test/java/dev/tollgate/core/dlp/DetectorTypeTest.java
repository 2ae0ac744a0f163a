package dev.tollgate.core.dlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.tollgate.core.config.Parameters;

class DetectorTypeTest {
    @Test
    void everyTypeButExactDataIsBuiltInWithADetectorOfThatIdAndType() {
        assertThat(DetectorType.builtIns()).containsExactlyElementsOf(Arrays.stream(DetectorType.values())
                .filter(t -> t != DetectorType.EXACT_DATA).collect(Collectors.toList()));
        assertThat(DetectorType.builtInIds()).containsExactly("payment-card", "iban", "us-ssn", "uk-nino",
                "private-key", "cloud-credential");
        for (DetectorType t : DetectorType.builtIns()) {
            Detector d = t.newDetector();
            assertThat(d.id()).isEqualTo(t.id());
            assertThat(d.type()).isEqualTo(t);
            assertThat(DetectorType.builtIn(t.id())).contains(t);
        }
        assertThat(DetectorType.EXACT_DATA.isBuiltIn()).isFalse();
        assertThatThrownBy(DetectorType.EXACT_DATA::id).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(DetectorType.EXACT_DATA::newDetector).isInstanceOf(IllegalStateException.class);
        assertThat(DetectorType.builtIn("passport")).isEmpty();
        assertThat(DetectorType.builtIn("edm:customers")).isEmpty();
    }

    @Test
    void prioritiesAreDistinctAndExactDataComesLast() {
        List<DetectorType> byPriority = Arrays.stream(DetectorType.values())
                .sorted(Comparator.comparingInt(DetectorType::priority)).collect(Collectors.toList());
        assertThat(byPriority).extracting(DetectorType::priority).doesNotHaveDuplicates();
        assertThat(byPriority).containsExactly(DetectorType.PRIVATE_KEY, DetectorType.CLOUD_CREDENTIAL,
                DetectorType.IBAN, DetectorType.UK_NINO, DetectorType.PAYMENT_CARD, DetectorType.US_SSN,
                DetectorType.EXACT_DATA);
    }

    @Test
    void theScannerTakesItsDetectorsAndTheirOrderFromTheRegistry() {
        List<DetectorType> byPriority = DetectorType.builtIns().stream()
                .sorted(Comparator.comparingInt(DetectorType::priority)).collect(Collectors.toList());
        assertThat(TextScanner.builder().allBuiltInDetectors().build().detectors()).extracting(Detector::type)
                .containsExactlyElementsOf(byPriority);
        assertThat(TextScanner.builder().configure(Parameters.empty()).build().detectors())
                .extracting(Detector::type).containsExactlyElementsOf(byPriority);
        for (DetectorType t : DetectorType.builtIns()) {
            TextScanner one = TextScanner.builder().configure(Parameters.of(Map.of(TextScanner.P_DETECTORS, t.id())))
                    .build();
            assertThat(one.detectors()).singleElement().extracting(Detector::id).isEqualTo(t.id());
        }
    }

    @Test
    void defaultContextRulesHoldTheRegistryKeywords() {
        for (DetectorType t : DetectorType.values()) {
            ContextRule r = ContextRule.defaults(t);
            assertThat(r.positiveKeywords()).containsExactlyElementsOf(t.defaultPositiveKeywords());
            assertThat(r.negativeKeywords()).containsExactlyElementsOf(t.defaultNegativeKeywords());
        }
        assertThat(ContextRule.defaults(DetectorType.PAYMENT_CARD).negativeKeywords()).contains("test", "tracking");
        assertThat(ContextRule.defaults(DetectorType.EXACT_DATA).positiveKeywords()).isEmpty();
    }
}
