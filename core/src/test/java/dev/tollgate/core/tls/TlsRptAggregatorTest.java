package dev.tollgate.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tollgate.core.testing.MutableClock;

class TlsRptAggregatorTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-10T08:00:00Z"));
    private final TlsRptAggregator aggregator = new TlsRptAggregator(clock, Duration.ofDays(1), 1000);

    private static TlsRptPolicy sts() throws TlsPolicyException {
        MtaStsPolicy p = MtaStsPolicy.parse("version: STSv1\nmode: testing\nmx: mx.example.com\nmax_age: 86400");
        return TlsRptPolicy.of(TlsRptReport.PolicyType.STS, "example.com", p.toPolicyLines(), p.mxPatterns());
    }

    private static TlsRptPolicy none(String domain) {
        return TlsRptPolicy.of(TlsRptReport.PolicyType.NO_POLICY_FOUND, domain, List.of(), List.of());
    }

    @Test
    void countsPerPolicyDomainAndDayAndHandsOverAtTheDayBoundary() throws Exception {
        aggregator.recordSuccess(sts());
        aggregator.recordSuccess(sts());
        aggregator.recordFailure(sts(), TlsFailureReason.CERTIFICATE_HOST_MISMATCH, "192.0.2.1", "mx.example.com",
                "198.51.100.7");
        aggregator.recordFailure(sts(), TlsFailureReason.CERTIFICATE_HOST_MISMATCH, "192.0.2.1", "mx.example.com",
                "198.51.100.7");
        aggregator.recordFailure(sts(), TlsFailureReason.STARTTLS_NOT_SUPPORTED, "192.0.2.1", "mx.example.com",
                "198.51.100.8");
        aggregator.recordSuccess(none("other.example"));

        assertThat(aggregator.drainCompleted()).as("the day has not ended").isEmpty();
        clock.advance(Duration.ofHours(16)); // 2026-03-11T00:00:00Z
        aggregator.recordSuccess(none("other.example")); // belongs to the next day

        List<TlsRptAggregator.DomainResults> done = aggregator.drainCompleted();
        assertThat(done).extracting(TlsRptAggregator.DomainResults::policyDomain)
                .containsExactly("example.com", "other.example");
        TlsRptAggregator.DomainResults example = done.get(0);
        assertThat(example.start()).isEqualTo(Instant.parse("2026-03-10T00:00:00Z"));
        assertThat(example.end()).isEqualTo(Instant.parse("2026-03-11T00:00:00Z"));
        TlsRptReport.PolicyResult result = example.policies().get(0);
        assertThat(result.failureCount()).isEqualTo(3);

        JsonNode json = new ObjectMapper().readTree(TlsRptReport.builder().organizationName("o").contactInfo("c")
                .reportId("r").dateRange(example.start(), example.end()).addPolicy(result).build().toJson())
                .path("policies").get(0);
        assertThat(json.path("summary").path("total-successful-session-count").asLong()).isEqualTo(2);
        assertThat(json.path("summary").path("total-failure-session-count").asLong()).isEqualTo(3);
        JsonNode mismatch = json.path("failure-details").get(0);
        assertThat(mismatch.path("result-type").asText()).isEqualTo("certificate-host-mismatch");
        assertThat(mismatch.path("failed-session-count").asLong()).isEqualTo(2);
        assertThat(mismatch.path("receiving-ip").asText()).isEqualTo("198.51.100.7");
        assertThat(json.path("failure-details").get(1).path("result-type").asText()).isEqualTo("starttls-not-supported");

        assertThat(aggregator.drainCompleted()).as("drained once").isEmpty();
        List<TlsRptAggregator.DomainResults> current = aggregator.drainAll();
        assertThat(current).hasSize(1);
        assertThat(current.get(0).policies().get(0).failureCount()).isZero();
        assertThat(aggregator.drainAll()).isEmpty();
    }

    @Test
    void distinctPoliciesOfOneDomainAreReportedSeparately() throws Exception {
        aggregator.recordSuccess(sts());
        aggregator.recordSuccess(none("example.com"));
        List<TlsRptAggregator.DomainResults> all = aggregator.drainAll();
        assertThat(all).hasSize(1);
        assertThat(all.get(0).policies()).hasSize(2);
    }

    @Test
    void memoryIsBounded() {
        TlsRptAggregator small = new TlsRptAggregator(clock, Duration.ofDays(1), 2);
        small.recordSuccess(none("a.example"));
        small.recordSuccess(none("b.example"));
        small.recordSuccess(none("c.example"));
        small.recordSuccess(none("a.example"));
        assertThat(small.dropped()).isEqualTo(1);
        assertThat(small.drainAll()).extracting(TlsRptAggregator.DomainResults::policyDomain)
                .containsExactly("a.example", "b.example");
    }

    @Test
    void periodMustDivideADay() {
        assertThatThrownBy(() -> new TlsRptAggregator(clock, Duration.ofHours(7), 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TlsRptAggregator(clock, Duration.ofMillis(1500), 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new TlsRptAggregator(clock, Duration.ofSeconds(20), 10)).isNotNull();
    }

    @Test
    void writerProducesRfc8460ReportsOnlyForDomainsPublishingARecord(@TempDir Path dir) throws Exception {
        aggregator.recordSuccess(sts());
        aggregator.recordFailure(sts(), TlsFailureReason.CERTIFICATE_EXPIRED, "192.0.2.1", "mx.example.com", null);
        aggregator.recordSuccess(none("silent.example"));
        clock.advance(Duration.ofDays(1));
        Map<String, List<String>> dns = Map.of(
                "_smtp._tls.example.com", List.of("v=TLSRPTv1; rua=mailto:tlsrpt@example.com"),
                "_smtp._tls.silent.example", List.of("v=spf1 -all"));
        List<String> asked = new ArrayList<>();
        TlsRptReportWriter writer = new TlsRptReportWriter(dir.resolve("reports"), "Tollgate Test",
                "mailto:postmaster@sender.example", "sender.example", name -> {
                    asked.add(name);
                    return dns.getOrDefault(name, List.of());
                });
        List<Path> files = writer.write(aggregator.drainCompleted());

        assertThat(asked).containsExactly("_smtp._tls.example.com", "_smtp._tls.silent.example");
        assertThat(files).hasSize(1);
        String name = files.get(0).getFileName().toString();
        long start = Instant.parse("2026-03-10T00:00:00Z").getEpochSecond();
        assertThat(name).startsWith("sender.example!example.com!" + start + "!" + (start + 86400) + "!")
                .endsWith(".json");
        try (Stream<Path> listed = Files.list(dir.resolve("reports"))) {
            assertThat(listed.collect(Collectors.toList())).as("no temporary file left").hasSize(1);
        }

        JsonNode root = new ObjectMapper().readTree(Files.readString(files.get(0), StandardCharsets.UTF_8));
        List<String> fields = new ArrayList<>();
        root.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("organization-name", "date-range", "contact-info", "report-id", "policies");
        assertThat(root.path("organization-name").asText()).isEqualTo("Tollgate Test");
        assertThat(root.path("contact-info").asText()).isEqualTo("mailto:postmaster@sender.example");
        assertThat(root.path("report-id").asText()).startsWith("2026-03-10T00:00:00Z_example.com_");
        assertThat(root.path("date-range").path("start-datetime").asText()).isEqualTo("2026-03-10T00:00:00Z");
        assertThat(root.path("date-range").path("end-datetime").asText()).isEqualTo("2026-03-10T23:59:59Z");
        JsonNode policy = root.path("policies").get(0);
        List<String> policyFields = new ArrayList<>();
        policy.fieldNames().forEachRemaining(policyFields::add);
        assertThat(policyFields).containsExactly("policy", "summary", "failure-details");
        assertThat(policy.path("policy").path("policy-type").asText()).isEqualTo("sts");
        assertThat(policy.path("policy").path("policy-domain").asText()).isEqualTo("example.com");
        assertThat(policy.path("policy").path("policy-string").toString())
                .isEqualTo("[\"version: STSv1\",\"mode: testing\",\"mx: mx.example.com\",\"max_age: 86400\"]");
        assertThat(policy.path("policy").path("mx-host").toString()).isEqualTo("[\"mx.example.com\"]");
        assertThat(policy.path("summary").path("total-successful-session-count").asLong()).isEqualTo(1);
        assertThat(policy.path("summary").path("total-failure-session-count").asLong()).isEqualTo(1);
        JsonNode detail = policy.path("failure-details").get(0);
        List<String> detailFields = new ArrayList<>();
        detail.fieldNames().forEachRemaining(detailFields::add);
        assertThat(detailFields).containsExactly("result-type", "sending-mta-ip", "receiving-mx-hostname",
                "failed-session-count");
        assertThat(detail.path("result-type").asText()).isEqualTo("certificate-expired");
        assertThat(detail.path("sending-mta-ip").asText()).isEqualTo("192.0.2.1");
        assertThat(detail.path("receiving-mx-hostname").asText()).isEqualTo("mx.example.com");
        assertThat(detail.path("failed-session-count").asLong()).isEqualTo(1);
    }

    @Test
    void unwritableDirectoryIsAnIoError(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
        aggregator.recordSuccess(none("example.com"));
        TlsRptReportWriter writer = new TlsRptReportWriter(file, "o", "c", "sender.example",
                name -> List.of("v=TLSRPTv1;rua=mailto:r@example.com"));
        assertThatThrownBy(() -> writer.write(aggregator.drainAll())).isInstanceOf(IOException.class);
    }
}
