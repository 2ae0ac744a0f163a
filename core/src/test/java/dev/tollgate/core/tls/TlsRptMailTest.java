package dev.tollgate.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.zip.GZIPInputStream;

import javax.mail.Session;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;

import org.junit.jupiter.api.Test;

class TlsRptMailTest {
    @Test
    void reportMailFollowsRfc8460Section53() throws Exception {
        String json = "{\"organization-name\":\"Example\"}";
        MimeMessage composed = TlsRptMail.compose(json, "example.com", "sender.example", "r-1",
                "sender.example!example.com!1!2!u", "tlsrpt-noreply@sender.example", "tlsrpt@example.com");
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        composed.writeTo(wire);
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(wire.toByteArray()));

        assertThat(m.getSubject()).isEqualTo("Report Domain: example.com Submitter: sender.example Report-ID: <r-1>");
        assertThat(m.getHeader("TLS-Report-Domain", null)).isEqualTo("example.com");
        assertThat(m.getHeader("TLS-Report-Submitter", null)).isEqualTo("sender.example");
        assertThat(m.getHeader("TLS-Required", null)).as("RFC 8689 §5: the report is not held by the policy it reports on")
                .isEqualTo("No");
        assertThat(m.getContentType()).startsWith("multipart/report").contains("report-type=\"tlsrpt\"");
        MimeMultipart parts = (MimeMultipart) m.getContent();
        assertThat(parts.getCount()).isEqualTo(2);
        assertThat(parts.getBodyPart(0).getContentType()).startsWith("text/plain");
        MimeBodyPart report = (MimeBodyPart) parts.getBodyPart(1);
        assertThat(report.getContentType()).startsWith("application/tlsrpt+gzip");
        assertThat(report.getFileName()).isEqualTo("sender.example!example.com!1!2!u.json.gz");
        try (InputStream in = new GZIPInputStream(report.getInputStream())) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(json);
        }
    }
}
