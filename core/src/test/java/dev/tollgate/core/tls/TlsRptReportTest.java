package dev.tollgate.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TlsRptReportTest {
    private static TlsRptReport report() throws Exception {
        MtaStsPolicy sts = MtaStsPolicy.parse("version: STSv1\nmode: testing\nmx: *.mail.company-y.example\nmax_age: 86400");
        return TlsRptReport.builder()
                .organizationName("Company-X")
                .dateRange(Instant.parse("2016-04-01T00:00:00Z"), Instant.parse("2016-04-02T00:00:00Z"))
                .contactInfo("sts-reporting@company-x.example")
                .reportId("5065427c-23d3-47ca-b6e0-946ea0e8c4be")
                .addPolicy(TlsRptReport.PolicyResult.of(TlsRptReport.PolicyType.STS, "Company-Y.example.",
                        sts.toPolicyLines(), sts.mxPatterns(), 5326, List.of(
                                TlsRptReport.FailureDetail.of(TlsFailureReason.CERTIFICATE_EXPIRED,
                                        "2001:db8:abcd:0012::1", "mx1.mail.company-y.example", null, 100),
                                TlsRptReport.FailureDetail.of(TlsFailureReason.STARTTLS_REFUSED,
                                        "2001:db8:abcd:0013::1", "mx2.mail.company-y.example", "203.0.113.56", 200))))
                .addPolicy(TlsRptReport.PolicyResult.of(TlsRptReport.PolicyType.NO_POLICY_FOUND, "other.example",
                        List.of(), List.of(), 12, List.of()))
                .build();
    }

    @Test
    void jsonFollowsRfc8460Structure() throws Exception {
        JsonNode root = new ObjectMapper().readTree(report().toJson());
        List<String> fields = new ArrayList<>();
        root.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("organization-name", "date-range", "contact-info", "report-id", "policies");
        assertThat(root.path("date-range").path("start-datetime").asText()).isEqualTo("2016-04-01T00:00:00Z");
        assertThat(root.path("date-range").path("end-datetime").asText()).isEqualTo("2016-04-02T00:00:00Z");

        JsonNode sts = root.path("policies").get(0);
        assertThat(sts.path("policy").path("policy-type").asText()).isEqualTo("sts");
        assertThat(sts.path("policy").path("policy-domain").asText()).isEqualTo("company-y.example");
        assertThat(sts.path("policy").path("policy-string").get(0).asText()).isEqualTo("version: STSv1");
        assertThat(sts.path("policy").path("mx-host").get(0).asText()).isEqualTo("*.mail.company-y.example");
        assertThat(sts.path("summary").path("total-successful-session-count").asLong()).isEqualTo(5326);
        assertThat(sts.path("summary").path("total-failure-session-count").asLong()).isEqualTo(300);

        JsonNode expired = sts.path("failure-details").get(0);
        assertThat(expired.path("result-type").asText()).isEqualTo("certificate-expired");
        assertThat(expired.path("sending-mta-ip").asText()).isEqualTo("2001:db8:abcd:0012::1");
        assertThat(expired.path("receiving-mx-hostname").asText()).isEqualTo("mx1.mail.company-y.example");
        assertThat(expired.path("failed-session-count").asLong()).isEqualTo(100);
        assertThat(expired.has("receiving-ip")).isFalse();
        assertThat(expired.has("failure-reason-code")).isFalse();

        JsonNode refused = sts.path("failure-details").get(1);
        assertThat(refused.path("result-type").asText()).isEqualTo("starttls-not-supported");
        assertThat(refused.path("failure-reason-code").asText()).isEqualTo("starttls-refused");
        assertThat(refused.path("receiving-ip").asText()).isEqualTo("203.0.113.56");

        JsonNode none = root.path("policies").get(1);
        assertThat(none.path("policy").path("policy-type").asText()).isEqualTo("no-policy-found");
        assertThat(none.path("policy").has("policy-string")).isFalse();
        assertThat(none.has("failure-details")).isFalse();
        assertThat(none.path("summary").path("total-failure-session-count").asLong()).isZero();
    }

    @Test
    void requiredFieldsAndRangesAreChecked() {
        assertThatThrownBy(() -> TlsRptReport.builder().organizationName("x").contactInfo("c").reportId("r")
                .dateRange(Instant.parse("2016-04-02T00:00:00Z"), Instant.parse("2016-04-01T00:00:00Z")).build())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> TlsRptReport.builder().contactInfo("c").reportId("r")
                .dateRange(Instant.EPOCH, Instant.EPOCH.plusSeconds(1)).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("organization-name");
        assertThatThrownBy(() -> TlsRptReport.FailureDetail.of(TlsFailureReason.DANE_MISMATCH, null, null, null, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TlsRptReport.PolicyResult.of(TlsRptReport.PolicyType.TLSA, "bad..domain",
                List.of(), List.of(), 1, List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
