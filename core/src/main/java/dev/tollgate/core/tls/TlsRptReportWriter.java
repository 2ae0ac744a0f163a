package dev.tollgate.core.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns aggregated TLS sessions ({@link TlsRptAggregator.DomainResults}) into RFC 8460 reports for the policy
 * domains that ask for them: the {@code _smtp._tls.<domain>} TXT record is looked up ({@link TlsRptRecord}), and
 * for a domain publishing a valid record one JSON report ({@link TlsRptReport}) is written to the report
 * directory, named as RFC 8460 §5.3 names report files:
 * {@code <sender-domain>!<policy-domain>!<begin-epoch-seconds>!<end-epoch-seconds>!<unique-id>.json}. Files are
 * written to a temporary name and moved into place, so a reader never sees half a report. Domains without a
 * record are skipped (counted in the log line).
 *
 * <p>Thread-safe if the TXT lookup is.
 */
public final class TlsRptReportWriter {
    private static final Logger LOG = LoggerFactory.getLogger(TlsRptReportWriter.class);

    private final Path directory;
    private final String organizationName;
    private final String contactInfo;
    private final String senderDomain;
    private final Function<String, List<String>> txtLookup;
    private volatile java.util.function.Consumer<WrittenReport> onWritten = r -> { };

    /** A report written to disk, with what is needed to send it (RFC 8460 §5). */
    public static final class WrittenReport {
        private final Path file;
        private final String policyDomain;
        private final String reportId;
        private final String json;
        private final TlsRptRecord record;

        WrittenReport(Path file, String policyDomain, String reportId, String json, TlsRptRecord record) {
            this.file = file;
            this.policyDomain = policyDomain;
            this.reportId = reportId;
            this.json = json;
            this.record = record;
        }

        /** @return the report file */
        public Path file() {
            return file;
        }

        /** @return the policy domain */
        public String policyDomain() {
            return policyDomain;
        }

        /** @return the report-id */
        public String reportId() {
            return reportId;
        }

        /** @return the JSON text */
        public String json() {
            return json;
        }

        /** @return the domain's reporting record (its rua) */
        public TlsRptRecord record() {
            return record;
        }

        /** @return the file name without {@code .json} */
        public String baseName() {
            String name = file.getFileName().toString();
            return name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
        }
    }

    /** @param listener told about every report written (e.g. to mail it to the rua addresses); must not throw */
    public void onWritten(java.util.function.Consumer<WrittenReport> listener) {
        this.onWritten = java.util.Objects.requireNonNull(listener);
    }

    /**
     * @param directory        where report files go (created when missing)
     * @param organizationName the {@code organization-name} field
     * @param contactInfo      the {@code contact-info} field (an address or URI)
     * @param senderDomain     this organisation's domain, first part of the file names
     * @param txtLookup        the TXT records at a name (each record's strings concatenated); empty on failure
     */
    public TlsRptReportWriter(Path directory, String organizationName, String contactInfo, String senderDomain,
            Function<String, List<String>> txtLookup) {
        this.directory = Objects.requireNonNull(directory);
        this.organizationName = Objects.requireNonNull(organizationName);
        this.contactInfo = Objects.requireNonNull(contactInfo);
        this.senderDomain = DomainNames.toAscii(senderDomain);
        this.txtLookup = Objects.requireNonNull(txtLookup);
    }

    /**
     * Writes one report per policy domain that publishes a TLS-RPT record.
     *
     * @return the files written
     * @throws IOException when the directory or a file cannot be written (the reports not yet written are lost:
     *     the caller logs it; TLS-RPT is best effort and never holds mail)
     */
    public List<Path> write(List<TlsRptAggregator.DomainResults> results) throws IOException {
        List<Path> written = new ArrayList<>();
        int skipped = 0;
        for (TlsRptAggregator.DomainResults r : results) {
            Optional<TlsRptRecord> record = TlsRptRecord.select(txt(r.policyDomain()));
            if (record.isEmpty()) {
                skipped++;
                continue;
            }
            written.add(write(r, record.get()));
        }
        if (!results.isEmpty()) {
            LOG.info("tollgate.tls.rpt reports written={} skipped-without-record={} directory={}", written.size(),
                    skipped, directory);
        }
        return written;
    }

    private List<String> txt(String domain) {
        try {
            List<String> records = txtLookup.apply(TlsRptRecord.PREFIX + domain);
            return records == null ? List.of() : records;
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    /** @return the report for one domain's results, without writing it */
    public TlsRptReport report(TlsRptAggregator.DomainResults r, String reportId) {
        TlsRptReport.Builder b = TlsRptReport.builder()
                .organizationName(organizationName)
                .contactInfo(contactInfo)
                .reportId(reportId)
                .dateRange(r.start(), r.end().getEpochSecond() - r.start().getEpochSecond() >= 2
                        ? r.end().minusSeconds(1) : r.end());
        r.policies().forEach(b::addPolicy);
        return b.build();
    }

    private Path write(TlsRptAggregator.DomainResults r, TlsRptRecord record) throws IOException {
        String unique = UUID.randomUUID().toString();
        String reportId = r.start() + "_" + r.policyDomain() + "_" + unique;
        String json = report(r, reportId).toJson();
        Files.createDirectories(directory);
        String name = senderDomain + "!" + r.policyDomain() + "!" + r.start().getEpochSecond() + "!"
                + r.end().getEpochSecond() + "!" + unique + ".json";
        Path tmp = directory.resolve("." + name + ".tmp");
        Path target = directory.resolve(name);
        Files.writeString(tmp, json, StandardCharsets.UTF_8);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        LOG.info("tollgate.tls.rpt report policy-domain={} file={} rua={} policies={}", r.policyDomain(), name,
                record.rua(), r.policies().size());
        try {
            onWritten.accept(new WrittenReport(target, r.policyDomain(), reportId, json, record));
        } catch (RuntimeException e) {
            LOG.warn("tollgate.tls.rpt report listener failed for {}", name, e);
        }
        return target;
    }
}
