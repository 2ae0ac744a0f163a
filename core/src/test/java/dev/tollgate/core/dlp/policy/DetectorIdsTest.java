package dev.tollgate.core.dlp.policy;

import static dev.tollgate.core.dlp.policy.PolicyTestSupport.policy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Parameters;
import dev.tollgate.core.dlp.Detector;
import dev.tollgate.core.dlp.DetectorType;
import dev.tollgate.core.dlp.TextScanner;

/** The scanner's {@code detectors} parameter and policy rules accept and refuse the same ids, from the registry. */
class DetectorIdsTest {
    @Test
    void everyRegistryEntryIsAcceptedByThePolicyParserAndTheScanner() {
        assertThat(DetectorType.builtIns()).isNotEmpty();
        for (DetectorType t : DetectorType.builtIns()) {
            DlpPolicy p = policy("<dlp-policy><rule id='r' detectors='" + t.id() + "' action='reject'/></dlp-policy>");
            assertThat(p.rules()).hasSize(1);
            assertThat(p.rules().get(0).detectors()).containsExactly(t.id());
            TextScanner s = TextScanner.builder().configure(Parameters.of(Map.of(TextScanner.P_DETECTORS, t.id())))
                    .build();
            assertThat(s.detectors()).extracting(Detector::id).containsExactly(t.id());
        }
        String all = String.join(",", DetectorType.builtInIds());
        assertThat(policy("<dlp-policy><rule id='r' detectors='" + all + "' action='reject'/></dlp-policy>")
                .rules().get(0).detectors()).containsExactlyElementsOf(DetectorType.builtInIds());
        assertThat(TextScanner.builder().configure(Parameters.of(Map.of(TextScanner.P_DETECTORS, all))).build()
                .detectors()).extracting(Detector::id).containsExactlyInAnyOrderElementsOf(DetectorType.builtInIds());
    }

    @Test
    void anUnknownIdIsRefusedByBothWithTheSameReason() {
        String reason = DetectorType.unknownIdReason("passport");
        assertThat(reason).isEqualTo("unknown detector 'passport'; built-in: "
                + String.join(", ", DetectorType.builtInIds()));
        assertThat(DetectorType.builtInIds()).contains("payment-card", "iban", "private-key");
        Throwable scanner = catchThrowable(() -> TextScanner.builder()
                .configure(Parameters.of(Map.of(TextScanner.P_DETECTORS, "iban,passport"))));
        assertThat(scanner).isInstanceOf(ConfigException.class)
                .hasMessage("parameter 'detectors': " + reason);
        assertThatThrownBy(() -> policy("<dlp-policy>\n<rule id='r' detectors='iban,passport' action='reject'/>"
                + "</dlp-policy>"))
                .isInstanceOf(PolicyException.class)
                .hasMessageStartingWith("policy.xml:2: rule 'r': " + reason + "; ")
                .hasMessageEndingWith("a rule may also name any or edm:<exact-data id>");
    }
}
