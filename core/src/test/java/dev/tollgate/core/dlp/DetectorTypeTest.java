package dev.tollgate.core.dlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.tollgate.core.config.Parameters;

class DetectorTypeTest {
    @Test
    void everyTypeButExactDataIsBuiltInWithADetectorOfThatIdAndType() {
        assertThat(DetectorType.builtIns()).containsExactlyElementsOf(Arrays.stream(DetectorType.values())
                .filter(t -> t != DetectorType.EXACT_DATA).collect(Collectors.toList()));
        assertThat(DetectorType.builtInIds()).containsExactlyElementsOf(DetectorType.builtIns().stream()
                .map(DetectorType::id).collect(Collectors.toList())).doesNotHaveDuplicates()
                .allMatch(id -> id.matches("[a-z0-9]+(-[a-z0-9]+)*"), "lower-case words joined by '-'");
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
        assertThat(byPriority).last().isEqualTo(DetectorType.EXACT_DATA);
        // the more specific detectors win (the order is also exercised by TextScannerTest)
        assertThat(DetectorType.PRIVATE_KEY.priority()).isLessThan(DetectorType.CLOUD_CREDENTIAL.priority());
        assertThat(DetectorType.IBAN.priority()).isLessThan(DetectorType.PAYMENT_CARD.priority());
        assertThat(DetectorType.PAYMENT_CARD.priority()).isLessThan(DetectorType.US_SSN.priority());
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

    @Test
    void theAdministratorsDetectorTableListsEveryBuiltInDetectorInOrderOfPriority() throws Exception {
        Path page = Paths.get("..", "docs", "reference", "ScanSensitiveData.md");
        String doc = Files.readString(page);
        String table = doc.substring(doc.indexOf("## Detectors"), doc.indexOf("## The policy file"));
        List<String> ids = new ArrayList<>();
        Matcher row = Pattern.compile("(?m)^\\| `([a-z0-9-]+)` \\|").matcher(table);
        while (row.find()) {
            ids.add(row.group(1));
        }
        assertThat(ids).as("ids in the Detectors table of " + page).containsExactlyElementsOf(DetectorType.builtIns()
                .stream().sorted(Comparator.comparingInt(DetectorType::priority)).map(DetectorType::id)
                .collect(Collectors.toList()));
    }
}
