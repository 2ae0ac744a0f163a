package dev.tollgate.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class TlsRptRecordTest {
    @Test
    void parsesRuaListOfMailtoAndHttps() {
        TlsRptRecord r = TlsRptRecord.select(List.of("v=spf1 -all",
                "v=TLSRPTv1; rua=mailto:tlsrpt@example.com,https://reports.example.com/v1")).orElseThrow();
        assertThat(r.rua()).containsExactly(URI.create("mailto:tlsrpt@example.com"),
                URI.create("https://reports.example.com/v1"));
    }

    @Test
    void extraSpacesAndTrailingSemicolonAreAccepted() {
        assertThat(TlsRptRecord.parse("v=TLSRPTv1 ;rua=mailto:a@example.com;")).isPresent();
    }

    @Test
    void notExactlyOneRecordMeansNoReporting() {
        assertThat(TlsRptRecord.select(List.of())).isEmpty();
        assertThat(TlsRptRecord.select(List.of("v=TLSRPTv1; rua=mailto:a@example.com",
                "v=TLSRPTv1; rua=mailto:b@example.com"))).isEmpty();
    }

    @Test
    void invalidRecordsAreIgnored() {
        assertThat(TlsRptRecord.parse("v=TLSRPTv2; rua=mailto:a@example.com")).isEmpty();
        assertThat(TlsRptRecord.parse("v=TLSRPTv1; ruf=mailto:a@example.com")).isEmpty();
        assertThat(TlsRptRecord.parse("v=TLSRPTv1; rua=http://insecure.example.com/")).isEmpty();
        assertThat(TlsRptRecord.parse("v=TLSRPTv1; rua=mailto:no-at-sign")).isEmpty();
        assertThat(TlsRptRecord.parse("rua=mailto:a@example.com; v=TLSRPTv1")).isEmpty();
    }
}
