package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.tollgate.it.harness.JamesContainer;
import dev.tollgate.it.harness.SmtpClient;

/**
 * {@code dev.tollgate.james.tls.RequireStartTls} as wired in the shipped {@code conf/smtpserver.xml} on 587:
 * AUTH and MAIL FROM before STARTTLS get {@code 530 5.7.0}; after STARTTLS, AUTH succeeds. Also
 * {@code RequireTlsExtension} (RFC 8689) as wired on every port: REQUIRETLS offered and accepted only over TLS.
 */
class RequireStartTlsIT {
    static final String DOMAIN = "tollgate.test";
    static final String ALICE = "alice@" + DOMAIN;
    static final String PASSWORD = "s3cret-Passw0rd";

    static JamesContainer james;

    @BeforeAll
    static void start() {
        james = new JamesContainer();
        james.start();
        james.webAdmin().addDomain(DOMAIN).addUser(ALICE, PASSWORD);
    }

    @AfterAll
    static void stop() {
        if (james != null) {
            james.stop();
        }
    }

    @Test
    void authBeforeStartTlsOn587IsRefusedWith530() {
        try (SmtpClient smtp = james.smtp(JamesContainer.SUBMISSION)) {
            smtp.ehlo("client.test");
            SmtpClient.Reply reply = smtp.authPlain(ALICE, PASSWORD);
            assertThat(reply.code).isEqualTo(530);
            assertThat(reply.text).isEqualTo("5.7.0 Must issue a STARTTLS command first");
        }
    }

    @Test
    void mailFromBeforeStartTlsOn587IsRefusedWith530() {
        try (SmtpClient smtp = james.smtp(JamesContainer.SUBMISSION)) {
            smtp.ehlo("client.test");
            SmtpClient.Reply reply = smtp.mailFrom(ALICE);
            assertThat(reply.code).isEqualTo(530);
            assertThat(reply.text).startsWith("5.7.0");
        }
    }

    @Test
    void authAfterStartTlsOn587IsAccepted() {
        try (SmtpClient smtp = james.smtp(JamesContainer.SUBMISSION)) {
            smtp.ehlo("client.test");
            assertThat(smtp.startTls().code).isEqualTo(220);
            smtp.ehlo("client.test");
            assertThat(smtp.authPlain(ALICE, PASSWORD).code).isEqualTo(235);
            assertThat(smtp.mailFrom(ALICE).code).isEqualTo(250);
        }
    }

    @Test
    void port25IsNotAffected() {
        try (SmtpClient smtp = james.smtp(JamesContainer.SMTP)) {
            smtp.ehlo("client.test");
            assertThat(smtp.mailFrom("someone@elsewhere.test").code).isEqualTo(250);
        }
    }

    @Test
    void requireTlsIsNeitherOfferedNorAcceptedWithoutTls() {
        try (SmtpClient smtp = james.smtp(JamesContainer.SMTP)) {
            SmtpClient.Reply ehlo = smtp.ehlo("client.test");
            assertThat(ehlo.text).contains("STARTTLS").doesNotContain("REQUIRETLS");
            SmtpClient.Reply reply = smtp.command("MAIL FROM:<someone@elsewhere.test> REQUIRETLS");
            assertThat(reply.code).isEqualTo(530);
            assertThat(reply.text).isEqualTo("5.7.10 REQUIRETLS needs a TLS session");
        }
    }

    /** ESMTP keywords are case-insensitive (RFC 5321 §2.4): a mixed-case REQUIRETLS is the same request. */
    @Test
    void requireTlsInAnyCaseIsRefusedWithoutTls() {
        for (String spelling : new String[] {"RequireTls", "requireTLS"}) {
            try (SmtpClient smtp = james.smtp(JamesContainer.SMTP)) {
                smtp.ehlo("client.test");
                SmtpClient.Reply reply = smtp.command("MAIL FROM:<someone@elsewhere.test> " + spelling);
                assertThat(reply.code).as(spelling).isEqualTo(530);
                assertThat(reply.text).isEqualTo("5.7.10 REQUIRETLS needs a TLS session");
            }
        }
    }

    /** RFC 8689 §2: REQUIRETLS takes no value; James passes the hook's 501 on (MAIL parameter hooks are honoured). */
    @Test
    void requireTlsWithAValueIsRefusedWith501() {
        try (SmtpClient smtp = james.smtp(JamesContainer.SMTP)) {
            smtp.ehlo("client.test");
            assertThat(smtp.startTls().code).isEqualTo(220);
            smtp.ehlo("client.test");
            SmtpClient.Reply reply = smtp.command("MAIL FROM:<someone@elsewhere.test> REQUIRETLS=yes");
            assertThat(reply.code).isEqualTo(501);
            assertThat(reply.text).isEqualTo("5.5.4 REQUIRETLS takes no value");
        }
    }

    @Test
    void requireTlsIsOfferedAndAcceptedAfterStartTls() {
        try (SmtpClient smtp = james.smtp(JamesContainer.SMTP)) {
            smtp.ehlo("client.test");
            assertThat(smtp.startTls().code).isEqualTo(220);
            assertThat(smtp.ehlo("client.test").text).contains("REQUIRETLS");
            assertThat(smtp.command("MAIL FROM:<someone@elsewhere.test> REQUIRETLS").code).isEqualTo(250);
            assertThat(smtp.rcptTo(ALICE).code).isEqualTo(250);
            assertThat(smtp.data("Subject: requiretls\r\n\r\nhello\r\n").code).isEqualTo(250);
        }
    }
}
