package dev.tollgate.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The labelled corpus of testdata/dlp-eval: Tollgate's per-detector precision and recall stay at the targets. */
class DlpEvaluationTest {
    @Test
    void tollgateMeetsPrecisionAndRecallTargetsPerDetector() throws Exception {
        Path dir = Paths.get(System.getProperty("tollgate.evalCorpus", "../testdata/dlp-eval"));
        java.nio.file.Path jar = DlpEvaluation.extractorJar("../");
        assertThat(jar).as("the extractor jar (mvn package -pl extractor -am), for the corpus's PDFs").isNotNull();
        DlpEvaluation.Results res = DlpEvaluation.evaluate(dir, jar);
        assertThat(res.rows).hasSizeGreaterThanOrEqualTo(300);
        assertThat(res.unscannable).isZero();
        for (Map.Entry<String, int[]> e : res.tollgate.counts.entrySet()) {
            int[] c = e.getValue();
            assertThat(c[0]).as("positives of %s", e.getKey()).isPositive();
            double precision = (double) c[0] / (c[0] + c[1]);
            double recall = (double) c[0] / (c[0] + c[2]);
            assertThat(precision).as("precision of %s; %s", e.getKey(), res.tollgate.errors).isGreaterThanOrEqualTo(0.99);
            assertThat(recall).as("recall of %s; %s", e.getKey(), res.tollgate.errors).isGreaterThanOrEqualTo(0.98);
        }
        // the peers are measured on the same corpus; James's regexes miss the evasions
        int[] jamesCards = res.james.counts.get("payment-card");
        assertThat(jamesCards[2]).isPositive();
    }
}
