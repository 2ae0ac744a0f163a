package dev.tollgate.core.tls;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An SMTP TLS reporting aggregate report (RFC 8460 §4.4), serialised as JSON by {@link #toJson()}:
 * {@code organization-name}, {@code date-range} ({@code start-datetime}, {@code end-datetime}, RFC 3339
 * UTC), {@code contact-info}, {@code report-id} and {@code policies[]}, each with {@code policy}
 * ({@code policy-type} {@code sts} / {@code tlsa} / {@code no-policy-found}, {@code policy-string},
 * {@code policy-domain}, {@code mx-host}), {@code summary} (successful and failed session counts) and
 * {@code failure-details[]}.
 *
 * <p>Immutable and thread-safe.
 */
public final class TlsRptReport {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** RFC 8460 §4.4 {@code policy-type}. */
    public enum PolicyType {
        /** An MTA-STS policy was applied. */
        STS("sts"),
        /** DANE TLSA records were applied. */
        TLSA("tlsa"),
        /** Neither policy was found. */
        NO_POLICY_FOUND("no-policy-found");

        private final String json;

        PolicyType(String json) {
            this.json = json;
        }

        /** @return the JSON string */
        public String json() {
            return json;
        }
    }

    private final String organizationName;
    private final Instant start;
    private final Instant end;
    private final String contactInfo;
    private final String reportId;
    private final List<PolicyResult> policies;

    private TlsRptReport(Builder b) {
        this.organizationName = required(b.organizationName, "organization-name");
        this.contactInfo = required(b.contactInfo, "contact-info");
        this.reportId = required(b.reportId, "report-id");
        if (b.start == null || b.end == null || !b.start.isBefore(b.end)) {
            throw new IllegalStateException("date-range must have start before end");
        }
        this.start = b.start.truncatedTo(ChronoUnit.SECONDS);
        this.end = b.end.truncatedTo(ChronoUnit.SECONDS);
        this.policies = List.copyOf(b.policies);
    }

    private static String required(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(field + " is required");
        }
        return value;
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the report id */
    public String reportId() {
        return reportId;
    }

    /** @return the per-policy results */
    public List<PolicyResult> policies() {
        return policies;
    }

    /** @return the report as a Jackson tree, fields in RFC 8460 order */
    public ObjectNode toJsonTree() {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("organization-name", organizationName);
        ObjectNode range = root.putObject("date-range");
        range.put("start-datetime", start.toString());
        range.put("end-datetime", end.toString());
        root.put("contact-info", contactInfo);
        root.put("report-id", reportId);
        ArrayNode array = root.putArray("policies");
        for (PolicyResult p : policies) {
            array.add(p.toJson());
        }
        return root;
    }

    /** @return the report as compact JSON (UTF-8 when encoded), ready for gzip and delivery (RFC 8460 §5) */
    public String toJson() {
        try {
            return MAPPER.writeValueAsString(toJsonTree());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise TLS-RPT report", e);
        }
    }

    @Override
    public String toString() {
        return "TlsRptReport[" + reportId + ", " + policies.size() + " policies]";
    }

    /** Configures a {@link TlsRptReport}. Not thread-safe. */
    public static final class Builder {
        private String organizationName;
        private Instant start;
        private Instant end;
        private String contactInfo;
        private String reportId;
        private final List<PolicyResult> policies = new ArrayList<>();

        private Builder() {
        }

        /** @param name the reporting organisation */
        public Builder organizationName(String name) {
            this.organizationName = name;
            return this;
        }

        /**
         * @param start the start of the reporting period (UTC, truncated to whole seconds)
         * @param end   the end of the reporting period, after {@code start}
         */
        public Builder dateRange(Instant start, Instant end) {
            this.start = start;
            this.end = end;
            return this;
        }

        /** @param contact an e-mail address or URI for the reporting organisation */
        public Builder contactInfo(String contact) {
            this.contactInfo = contact;
            return this;
        }

        /** @param id a unique identifier for this report */
        public Builder reportId(String id) {
            this.reportId = id;
            return this;
        }

        /** @param policy the results for one policy */
        public Builder addPolicy(PolicyResult policy) {
            policies.add(Objects.requireNonNull(policy));
            return this;
        }

        /**
         * @return the report
         * @throws IllegalStateException when a required field is missing or the date range is empty
         */
        public TlsRptReport build() {
            return new TlsRptReport(this);
        }
    }

    /** The results for one policy (RFC 8460 §4.4 {@code policies[]} element). Immutable. */
    public static final class PolicyResult {
        private final PolicyType type;
        private final String policyDomain;
        private final List<String> policyStrings;
        private final List<String> mxHosts;
        private final long successCount;
        private final List<FailureDetail> failures;

        private PolicyResult(PolicyType type, String policyDomain, List<String> policyStrings, List<String> mxHosts,
                long successCount, List<FailureDetail> failures) {
            this.type = Objects.requireNonNull(type);
            this.policyDomain = DomainNames.toAscii(policyDomain);
            this.policyStrings = List.copyOf(policyStrings);
            this.mxHosts = List.copyOf(mxHosts);
            if (successCount < 0) {
                throw new IllegalArgumentException("session counts cannot be negative");
            }
            this.successCount = successCount;
            this.failures = List.copyOf(failures);
        }

        /**
         * @param type          the policy type
         * @param policyDomain  the recipient domain the policy belongs to
         * @param policyStrings the policy as text lines (MTA-STS lines or TLSA presentation records); empty for
         *                      {@link PolicyType#NO_POLICY_FOUND}
         * @param mxHosts       the MX patterns (MTA-STS) or hosts the records apply to
         * @param successCount  sessions that met the policy
         * @param failures      failure details; the failure total is their sum
         */
        public static PolicyResult of(PolicyType type, String policyDomain, List<String> policyStrings,
                List<String> mxHosts, long successCount, List<FailureDetail> failures) {
            return new PolicyResult(type, policyDomain, policyStrings, mxHosts, successCount, failures);
        }

        /** @return the total failed sessions, the sum over the failure details */
        public long failureCount() {
            long total = 0;
            for (FailureDetail f : failures) {
                total += f.count;
            }
            return total;
        }

        ObjectNode toJson() {
            ObjectNode node = MAPPER.createObjectNode();
            ObjectNode policy = node.putObject("policy");
            policy.put("policy-type", type.json);
            if (!policyStrings.isEmpty()) {
                ArrayNode strings = policy.putArray("policy-string");
                policyStrings.forEach(strings::add);
            }
            policy.put("policy-domain", policyDomain);
            if (!mxHosts.isEmpty()) {
                ArrayNode mx = policy.putArray("mx-host");
                mxHosts.forEach(mx::add);
            }
            ObjectNode summary = node.putObject("summary");
            summary.put("total-successful-session-count", successCount);
            summary.put("total-failure-session-count", failureCount());
            if (!failures.isEmpty()) {
                ArrayNode details = node.putArray("failure-details");
                for (FailureDetail f : failures) {
                    details.add(f.toJson());
                }
            }
            return node;
        }
    }

    /** One {@code failure-details} element (RFC 8460 §4.4). Immutable. */
    public static final class FailureDetail {
        private final TlsFailureReason reason;
        private final String sendingMtaIp;
        private final String receivingMxHostname;
        private final String receivingIp;
        private final long count;

        private FailureDetail(TlsFailureReason reason, String sendingMtaIp, String receivingMxHostname,
                String receivingIp, long count) {
            this.reason = Objects.requireNonNull(reason);
            this.sendingMtaIp = sendingMtaIp;
            this.receivingMxHostname = receivingMxHostname;
            this.receivingIp = receivingIp;
            if (count <= 0) {
                throw new IllegalArgumentException("failed-session-count must be positive");
            }
            this.count = count;
        }

        /**
         * @param reason              the failure; its {@link TlsFailureReason#resultType()} is reported, and
         *                            Tollgate-specific codes go to {@code failure-reason-code}
         * @param sendingMtaIp        the IP address of the sending MTA, or null
         * @param receivingMxHostname the MX host name, or null
         * @param receivingIp         the receiving IP address, or null
         * @param count               failed sessions, positive
         */
        public static FailureDetail of(TlsFailureReason reason, String sendingMtaIp, String receivingMxHostname,
                String receivingIp, long count) {
            return new FailureDetail(reason, sendingMtaIp, receivingMxHostname, receivingIp, count);
        }

        ObjectNode toJson() {
            ObjectNode node = MAPPER.createObjectNode();
            node.put("result-type", reason.resultType());
            if (sendingMtaIp != null) {
                node.put("sending-mta-ip", sendingMtaIp);
            }
            if (receivingMxHostname != null) {
                node.put("receiving-mx-hostname", receivingMxHostname);
            }
            if (receivingIp != null) {
                node.put("receiving-ip", receivingIp);
            }
            node.put("failed-session-count", count);
            if (!reason.isRfc8460()) {
                node.put("failure-reason-code", reason.code());
            }
            return node;
        }
    }
}
