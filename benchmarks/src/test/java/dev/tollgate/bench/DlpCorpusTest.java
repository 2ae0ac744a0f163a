package dev.tollgate.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.james.transport.matchers.dlp.Dlp;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.Mail;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.tollgate.core.dlp.DetectorType;
import dev.tollgate.core.dlp.Finding;
import dev.tollgate.core.dlp.TextScanner;

/**
 * The benchmark corpus is what DlpTextScanBenchmark says it is, and both sides of the benchmark do the work
 * claimed: Tollgate finds exactly the planted values, James's rules flag every message carrying one, and the
 * string-level core gives the same answer as James's own Dlp matcher.
 */
class DlpCorpusTest {
    private static DlpCorpus corpus;
    private static final TextScanner SCANNER = TextScanner.builder().allBuiltInDetectors().build();

    @BeforeAll
    static void generate() {
        corpus = DlpCorpus.standard();
    }

    @Test
    void corpusIsDeterministicAndSizedAsDocumented() {
        DlpCorpus again = DlpCorpus.standard();
        assertThat(again.messages()).hasSameSizeAs(corpus.messages());
        for (int i = 0; i < corpus.messages().size(); i++) {
            assertThat(again.messages().get(i).body).isEqualTo(corpus.messages().get(i).body);
        }
        assertThat(corpus.utf8Bytes()).isBetween(4_000_000L, 4_030_000L);
        assertThat(corpus.messages().size()).isBetween(400, 900);
        assertThat(corpus.plantedCounts()).containsKeys(DetectorType.PAYMENT_CARD, DetectorType.IBAN,
                DetectorType.US_SSN, DetectorType.UK_NINO, DetectorType.CLOUD_CREDENTIAL, DetectorType.PRIVATE_KEY);
        int planted = corpus.plantedCounts().values().stream().mapToInt(Integer::intValue).sum();
        assertThat(planted).isBetween(60, 300);
        assertThat(corpus.messagesWithPlantedValues()).isLessThan(corpus.messages().size() / 5);
        assertThat(corpus.chars()).isLessThan(corpus.utf8Bytes()); // some non-ASCII text
    }

    @Test
    void tollgateFindsExactlyThePlantedValues() {
        for (DlpCorpus.Message m : corpus.messages()) {
            assertThat(SCANNER.scan(m.subject)).as(m.subject).isEmpty();
            List<String> expected = new ArrayList<>();
            for (DlpCorpus.Planted p : m.planted) {
                expected.add(p.type + "[" + p.start + "," + p.end + ")");
            }
            List<String> actual = new ArrayList<>();
            for (Finding f : SCANNER.scan(m.body)) {
                actual.add(f.type() + "[" + f.start() + "," + f.end() + ")");
            }
            assertThat(actual).as(m.body).isEqualTo(expected);
        }
    }

    @Test
    void jamesRulesFlagEveryPlantedMessageAndTheCoreAgreesWithTheMatcher() throws Exception {
        JamesDlpRules rules = new JamesDlpRules();
        Dlp dlp = rules.matcher();
        int falseAlarms = 0;
        for (int i = 0; i < corpus.messages().size(); i++) {
            DlpCorpus.Message m = corpus.messages().get(i);
            String core = rules.firstMatch(m.subject, m.body);
            if (!m.planted.isEmpty()) {
                assertThat(core).as(m.body).isNotNull();
            } else if (core != null) {
                falseAlarms++;
            }
            Mail mail = DlpTextScanBenchmark.mail(i, m);
            assertThat(dlp.match(mail)).hasSize(core == null ? 0 : 1);
            Optional<String> rule = mail.getAttribute(AttributeName.of("DlpMatchedRule"))
                    .map(Attribute::getValue).map(v -> (String) v.value());
            assertThat(rule).isEqualTo(Optional.ofNullable(core));
        }
        // regexes without checksums flag the corpus's look-alikes (Luhn-failing references, bad IBANs)
        assertThat(falseAlarms).isPositive();
    }
}
