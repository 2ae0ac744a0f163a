package dev.tollgate.core.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.zip.GZIPOutputStream;

import javax.activation.DataHandler;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import javax.mail.util.ByteArrayDataSource;

/**
 * A TLS-RPT report as an e-mail for a {@code mailto:} {@code rua} (RFC 8460 §5.3): {@code multipart/report;
 * report-type="tlsrpt"} with a short text part and the gzipped JSON as {@code application/tlsrpt+gzip} named
 * {@code <file-name>.json.gz}; header fields {@code TLS-Report-Domain} and {@code TLS-Report-Submitter}, and
 * {@code TLS-Required: No} (RFC 8689 §5) so that the TLS policy the report is about cannot hold the report; subject
 * {@code Report Domain: <domain> Submitter: <submitter> Report-ID: <<id>>}.
 */
public final class TlsRptMail {
    private TlsRptMail() {
    }

    /**
     * @param json         the report ({@link TlsRptReport#toJson()})
     * @param policyDomain the policy domain the report is about
     * @param submitter    the sending organisation's domain
     * @param reportId     the report's {@code report-id}
     * @param fileName     the report file name without extension (RFC 8460 §5.3 naming)
     * @param from         the From address, e.g. {@code tlsrpt-noreply@example.com}
     * @param to           the rua address (without {@code mailto:})
     */
    public static MimeMessage compose(String json, String policyDomain, String submitter, String reportId,
            String fileName, String from, String to) throws MessagingException {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        message.setFrom(from);
        message.setRecipients(MimeMessage.RecipientType.TO, to);
        message.setSubject("Report Domain: " + policyDomain + " Submitter: " + submitter + " Report-ID: <"
                + reportId + ">", "UTF-8");
        message.setHeader("TLS-Report-Domain", policyDomain);
        message.setHeader("TLS-Report-Submitter", submitter);
        message.setHeader("TLS-Required", "No");
        message.setSentDate(new java.util.Date());

        MimeBodyPart text = new MimeBodyPart();
        text.setText("This is an aggregate TLS report (RFC 8460) from " + submitter + " for " + policyDomain
                + ".\r\n", "UTF-8");
        MimeBodyPart report = new MimeBodyPart();
        report.setDataHandler(new DataHandler(new ByteArrayDataSource(gzip(json), "application/tlsrpt+gzip")));
        report.setFileName(fileName + ".json.gz");
        report.setHeader("Content-Type", "application/tlsrpt+gzip; name=\"" + fileName + ".json.gz\"");
        report.setHeader("Content-Transfer-Encoding", "base64");
        report.setDisposition(MimeBodyPart.ATTACHMENT);

        MimeMultipart multipart = new MimeMultipart("report; report-type=\"tlsrpt\"");
        multipart.addBodyPart(text);
        multipart.addBodyPart(report);
        message.setContent(multipart);
        message.saveChanges();
        return message;
    }

    static byte[] gzip(String json) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(json.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("gzip to memory failed", e);
        }
        return out.toByteArray();
    }
}
