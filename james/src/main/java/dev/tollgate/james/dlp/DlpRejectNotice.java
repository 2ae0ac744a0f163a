package dev.tollgate.james.dlp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Properties;

import javax.activation.DataHandler;
import javax.mail.Message;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import javax.mail.util.ByteArrayDataSource;

/**
 * Builds the delivery status notification (RFC 3464, {@code multipart/report; report-type=delivery-status},
 * RFC 6522) sent to the sender of a mail blocked by DLP: a human-readable part naming the rule ids, a
 * {@code message/delivery-status} part with {@code Status: 5.7.1} per recipient (RFC 3463: delivery not
 * authorized, message refused), and the original's address headers only ({@code text/rfc822-headers}
 * without Subject or body, since either may hold the data). Stateless.
 */
final class DlpRejectNotice {
    private static final String[] COPIED = {"From", "To", "Cc", "Date", "Message-ID"};

    private DlpRejectNotice() {
    }

    static MimeMessage build(MimeMessage original, String from, String to, List<String> recipients,
            List<String> ruleIds, DlpRejectConfig config) throws MessagingException {
        String rules = String.join(", ", ruleIds);
        MimeMessage dsn = new MimeMessage(Session.getDefaultInstance(new Properties()));
        dsn.setFrom(new InternetAddress(from));
        dsn.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        dsn.setSubject("Undelivered Mail: blocked by data loss prevention policy", "UTF-8");
        dsn.setHeader("Auto-Submitted", "auto-replied");

        StringBuilder text = new StringBuilder();
        text.append("Your message was not delivered to:\r\n\r\n");
        for (String r : recipients) {
            text.append("    ").append(r).append("\r\n");
        }
        text.append("\r\nIt contains data that the data loss prevention policy of ").append(config.organization())
                .append(" does not allow to be sent to these recipients.\r\n")
                .append("Matched rule(s): ").append(rules).append("\r\n\r\n")
                .append("The message has not been sent. Remove the sensitive data, or ask your administrator.\r\n");
        MimeBodyPart human = new MimeBodyPart();
        human.setText(text.toString(), "UTF-8");

        StringBuilder status = new StringBuilder();
        status.append("Reporting-MTA: dns; ").append(config.reportingMta()).append("\r\n");
        status.append("Arrival-Date: ").append(DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now()))
                .append("\r\n");
        for (String r : recipients) {
            status.append("\r\nFinal-Recipient: rfc822; ").append(r).append("\r\n")
                    .append("Action: failed\r\n")
                    .append("Status: 5.7.1\r\n")
                    .append("Diagnostic-Code: smtp; 550 5.7.1 blocked by data loss prevention rule(s) ")
                    .append(rules).append("\r\n");
        }
        MimeBodyPart machine = new MimeBodyPart();
        machine.setDataHandler(new DataHandler(new ByteArrayDataSource(
                status.toString().getBytes(StandardCharsets.US_ASCII), "message/delivery-status")));
        machine.setHeader("Content-Type", "message/delivery-status");

        ByteArrayOutputStream headers = new ByteArrayOutputStream();
        for (String name : COPIED) {
            String[] values = original.getHeader(name);
            if (values != null) {
                for (String v : values) {
                    headers.writeBytes((name + ": " + v.replace("\r", "").replace("\n", " ") + "\r\n")
                            .getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        MimeBodyPart returned = new MimeBodyPart();
        returned.setDataHandler(new DataHandler(new ByteArrayDataSource(headers.toByteArray(), "text/rfc822-headers")));
        returned.setHeader("Content-Type", "text/rfc822-headers; charset=utf-8");

        MimeMultipart report = new MimeMultipart("report; report-type=delivery-status");
        report.addBodyPart(human);
        report.addBodyPart(machine);
        report.addBodyPart(returned);
        dsn.setContent(report);
        dsn.saveChanges();
        return dsn;
    }

}
