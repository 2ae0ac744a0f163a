package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import dev.tollgate.it.harness.Fixtures;
import dev.tollgate.it.harness.JamesContainer;
import dev.tollgate.it.harness.Messages;
import dev.tollgate.it.harness.SmtpClient;

/**
 * A mailet that throws never loses the mail. James routes it by the mailet's {@code onMailetException}:
 * default and {@code error} → the error processor → {@code memory://var/mail/error/}; {@code ignore} → the
 * pipeline goes on; a named processor → that processor; {@code propagate} → the spooler re-queues the mail
 * (up to 5 times), then stores it in the spooler's error repository.
 *
 * <p>The shipped conf/ is used with a failing fixture mailet inserted in the transport processor, and the
 * fixture jar dropped into extensions-jars beside the bundle.
 */
@Testcontainers
class MailetFailureIT {
    static final String DOMAIN = "tollgate.test";
    static final String BOB = "bob@" + DOMAIN;
    static final String PASSWORD = "s3cret-Passw0rd";
    static final String ERROR = "memory://var/mail/error/";
    static final String QUARANTINE = "memory://var/mail/quarantine/";
    static final Duration WAIT = Duration.ofSeconds(90);

    static final String FIXTURES = String.join("\n",
            "<mailet match=\"All\" class=\"dev.tollgate.it.fixtures.FailingMailet\"><trigger>default</trigger></mailet>",
            "<mailet match=\"All\" class=\"dev.tollgate.it.fixtures.FailingMailet\"><trigger>error</trigger><onMailetException>error</onMailetException></mailet>",
            "<mailet match=\"All\" class=\"dev.tollgate.it.fixtures.FailingMailet\"><trigger>ignore</trigger><onMailetException>ignore</onMailetException></mailet>",
            "<mailet match=\"All\" class=\"dev.tollgate.it.fixtures.FailingMailet\"><trigger>named</trigger><onMailetException>quarantine</onMailetException></mailet>",
            "<mailet match=\"All\" class=\"dev.tollgate.it.fixtures.FailingMailet\"><trigger>propagate-once</trigger><times>1</times><onMailetException>propagate</onMailetException></mailet>",
            "<mailet match=\"All\" class=\"dev.tollgate.it.fixtures.FailingMailet\"><trigger>propagate-always</trigger><onMailetException>propagate</onMailetException></mailet>",
            "");
    static final String QUARANTINE_PROCESSOR = String.join("\n",
            "<processor state=\"quarantine\" enableJmx=\"false\">",
            "  <mailet match=\"All\" class=\"ToRepository\"><repositoryPath>" + QUARANTINE + "</repositoryPath></mailet>",
            "</processor>",
            "");

    @Container
    static final JamesContainer JAMES = new JamesContainer()
            .withExtensionJar(Fixtures.jar())
            .withConfEdit("mailetcontainer.xml", xml -> xml
                    .insertBefore("<!-- ===== Tollgate: transport facts (foundation) =====", FIXTURES)
                    .insertBefore("</processors>", QUARANTINE_PROCESSOR));

    @BeforeAll
    static void users() {
        JAMES.webAdmin().addDomain(DOMAIN).addUser(BOB, PASSWORD);
    }

    @Test
    void defaultRoutesToErrorRepository() {
        send("default", "Failure default");
        JAMES.webAdmin().awaitKeyOfSubject(ERROR, "Failure default", WAIT);
    }

    @Test
    void errorRoutesToErrorRepositoryWithTheMessage() {
        send("error", "Failure error");
        String key = JAMES.webAdmin().awaitKeyOfSubject(ERROR, "Failure error", WAIT);
        assertThat(JAMES.webAdmin().mailDetails(ERROR, key).toString()).contains("deliberate failure for trigger error");
    }

    @Test
    void ignoreContinuesThePipeline() {
        send("ignore", "Failure ignore");
        String delivered = JAMES.imap(BOB, PASSWORD).awaitMessageContaining("Failure ignore", WAIT);
        assertThat(delivered).contains("X-Tollgate-Transport: tls=no; port=25");
    }

    @Test
    void namedProcessorReceivesTheMail() {
        send("named", "Failure named");
        JAMES.webAdmin().awaitKeyOfSubject(QUARANTINE, "Failure named", WAIT);
    }

    @Test
    void propagateRequeuesAndTheRetryDelivers() {
        send("propagate-once", "Failure propagate once");
        String delivered = JAMES.imap(BOB, PASSWORD).awaitMessageContaining("Failure propagate once", WAIT);
        assertThat(delivered).contains("X-Tollgate-Transport");
    }

    @Test
    void propagateForeverEndsInTheSpoolerErrorRepository() {
        send("propagate-always", "Failure propagate always");
        JAMES.webAdmin().awaitKeyOfSubject(ERROR, "Failure propagate always", WAIT);
        // a read retried until one succeeds: another test's mail delivered during the FETCH can fail a read of
        // James's memory mailbox
        assertThat(JAMES.imap(BOB, PASSWORD).awaitMessages(0, WAIT))
                .noneMatch(m -> m.contains("Failure propagate always"));
    }

    private static void send(String trigger, String subject) {
        try (SmtpClient smtp = JAMES.smtp(JamesContainer.SMTP)) {
            smtp.ehlo("mx.sender.test");
            assertThat(smtp.mailFrom("someone@sender.test").code).isEqualTo(250);
            assertThat(smtp.rcptTo(BOB).code).isEqualTo(250);
            assertThat(smtp.data(Messages.text("someone@sender.test", BOB, subject, "body", "X-Fixture-Fail: " + trigger)).code)
                    .isEqualTo(250);
        }
    }

}
