package dev.tollgate.james.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.util.Collections;

import org.apache.james.metrics.dropwizard.DropWizardGaugeRegistry;
import org.apache.james.metrics.dropwizard.DropWizardMetricFactory;
import org.junit.jupiter.api.Test;

import com.codahale.metrics.MetricRegistry;

import dev.tollgate.core.audit.MetricNames;
import dev.tollgate.core.audit.Metrics;
import io.prometheus.client.dropwizard.DropwizardExports;
import io.prometheus.client.exporter.common.TextFormat;

/**
 * Tollgate's names as James 3.8.1's WebAdmin {@code GET /metrics} renders them: James's Dropwizard metric
 * factory and gauge registry, exported by the same Prometheus collector and text format its route uses.
 */
class JamesMetricsExportTest {
    private final MetricRegistry registry = new MetricRegistry();
    private final JamesMetrics metrics = new JamesMetrics(new DropWizardMetricFactory(registry),
            new DropWizardGaugeRegistry(registry));

    private String render() throws Exception {
        StringWriter out = new StringWriter();
        TextFormat.write004(out, Collections.enumeration(new DropwizardExports(registry).collect()));
        return out.toString();
    }

    @Test
    void countersAreExportedAsTotalsUnderTheColonSeparatedName() throws Exception {
        metrics.increment(MetricNames.MFA_AUTH, "smtp", "totp", "pass");
        metrics.increment(MetricNames.MFA_AUTH, "smtp", "totp", "pass");
        metrics.increment(MetricNames.DLP_RULE, "Cards-External", "quarantine");
        metrics.add(MetricNames.LINKS_REWRITTEN, 3);
        String text = render();
        assertThat(text).contains("tollgate_mfa_auth:smtp:totp:pass_total 2.0\n");
        assertThat(text).contains("# TYPE tollgate_mfa_auth:smtp:totp:pass_total counter\n");
        assertThat(text).contains("tollgate_dlp_rule:cards_external:quarantine_total 1.0\n");
        assertThat(text).contains("tollgate_links_rewritten_total 3.0\n");
    }

    @Test
    void registeredCountersAreExportedAtZeroBeforeTheirFirstEvent() throws Exception {
        metrics.register(Metrics.name(MetricNames.LINKS_CLICK, "tampered"));
        assertThat(render()).contains("tollgate_links_click:tampered_total 0.0\n");
    }

    @Test
    void timersAreSummariesInSecondsAndGaugesPlainValues() throws Exception {
        try (Metrics.Timer t = metrics.timer(MetricNames.DLP_SCAN)) {
            Thread.sleep(5);
        }
        metrics.gauge(MetricNames.TLS_QUEUE_SIZE, () -> 7);
        String text = render();
        assertThat(text).contains("tollgate_dlp_scan_count 1.0\n");
        // in seconds: a 5 ms sleep is 0.005 and more (a loaded machine may take longer), never 5.0 (ms) or 5000000 (ns)
        assertThat(text).containsPattern("tollgate_dlp_scan\\{quantile=\"0.99\",} 0\\.[0-9]+");
        assertThat(text).contains("tollgate_tls_queue_size 7.0\n");
    }

    @Test
    void partsAreReducedToWhatTheExporterKeeps() {
        assertThat(Metrics.name("tollgate_tls_delivery", "dane-only", "starttls-not-supported"))
                .isEqualTo("tollgate_tls_delivery:dane_only:starttls_not_supported");
        assertThat(Metrics.part(null)).isEqualTo("none");
        assertThat(Metrics.part("Ünïcode rule.1")).isEqualTo("_n_code_rule_1");
    }
}
