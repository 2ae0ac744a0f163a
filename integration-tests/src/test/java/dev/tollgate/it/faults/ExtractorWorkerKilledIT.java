package dev.tollgate.it.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.activation.DataHandler;
import javax.mail.Session;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import javax.mail.util.ByteArrayDataSource;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.utility.MountableFile;

import dev.tollgate.it.harness.ItSettings;
import dev.tollgate.it.harness.JamesContainer;
import dev.tollgate.it.harness.MailAccounting;
import dev.tollgate.it.harness.Peers;
import dev.tollgate.it.harness.TestCa;
import dev.tollgate.it.peers.FaultySmtpPeer;
import dev.tollgate.it.harness.Teardown;

/**
 * DLP document extraction with its worker JVMs killed ({@code kill -9} inside the James container) again and
 * again while mails with a PDF and a DOCX flow to a local and an external recipient. The policy quarantines
 * unscannable mail for every recipient ({@code unscannable-scope="all"}), so each mail has exactly two possible
 * ends: its extraction finished (verdict {@code clean}, delivered to the mailbox and to the peer) or a worker died
 * under one of its documents ({@code EXTRACTION_FAILED}, verdict {@code unscannable}, quarantined for both
 * recipients). Never delivered after a failed extraction, and the accounting is exact.
 */
class ExtractorWorkerKilledIT {
    static final String DOMAIN = "tollgate.test";
    static final String ALICE = "alice@" + DOMAIN;
    static final String BOB = "bob@" + DOMAIN;
    static final String PASSWORD = "s3cret-Passw0rd";
    static final String QUARANTINE = "memory://var/mail/dlp-quarantine/";
    static final int MESSAGES = 24;
    static final String WORKER = "dev.tollgate.extractor.ExtractorWorker";

    static Network network;
    static GenericContainer<?> peer;
    static GenericContainer<?> dns;
    static JamesContainer james;
    static byte[] pdf;
    static byte[] docx;

    @BeforeAll
    static void start() throws Exception {
        Path corpus = Paths.get(System.getProperty("tollgate.corpus", "../testdata/tika"));
        pdf = Files.readAllBytes(corpus.resolve("testPDF.pdf"));
        docx = Files.readAllBytes(corpus.resolve("testWORD.docx"));
        network = Network.newNetwork();
        Path dir = Files.createTempDirectory(Files.createDirectories(ItSettings.workDir()), "workerkill-");
        Path keys = TestCa.selfSignedKeyStore(dir, "mx.p12", "mx.partner.test");
        peer = Peers.java(network, "mx.partner.test", FaultySmtpPeer.class, ".*PEER READY.*\\n",
                "25", "/peer/inbox", "/peer/mx.p12", TestCa.PASSWORD, "0")
                .withCopyFileToContainer(MountableFile.forHostPath(keys), "/peer/mx.p12");
        peer.start();
        dns = Peers.dns(network, "dns", new Peers.DnsRecords()
                .mx("partner.test", "mx.partner.test", 10).a("mx.partner.test", Peers.ipOf(peer)));
        dns.start();
        // A busy CI machine can take minutes to start James under load; the faults come later.
        james = new JamesContainer().withNetwork(network).withNetworkAliases("james")
                .withStartupTimeout(Duration.ofMinutes(8))
                .withConfFile("dnsservice.xml", Peers.dnsServiceXml(Peers.ipOf(dns)))
                .withConfEdit("tollgate-dlp-policy.xml", p -> p
                        .replaceOnce("unscannable-scope=\"external\"", "unscannable-scope=\"all\""))
                .withConfEdit("mailetcontainer.xml", xml -> xml
                        .replaceOnce("<certificates>conf/tollgate-dlp-certificates</certificates>",
                                "<certificates>conf/tollgate-dlp-certificates</certificates>\n"
                                        + "                <documentExtraction>worker</documentExtraction>\n"
                                        + "                <documentExtractorWorkers>2</documentExtractorWorkers>\n"
                                        + "                <documentExtractorHeapMb>256</documentExtractorHeapMb>\n"
                                        + "                <documentTimeout>90s</documentTimeout>\n"
                                        + "                <extractionTimePerMessage>120s</extractionTimePerMessage>")
                        .replaceOnce("<delays>5m, 15m, 1h, 4h</delays>", "<delays>2s</delays>"));
        james.start();
        james.webAdmin().addDomain(DOMAIN).addUser(ALICE, PASSWORD).addUser(BOB, PASSWORD);
        // The workers James starts in the background are up before the load begins.
        Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> workerPids().size() >= 2);
    }

    @AfterAll
    static void stop() {
        Teardown.printLog(james, "JAMES", 200, l -> l.contains("dlp mail=") || l.contains("ERROR"));
        Teardown.stopAll(network, james, peer, dns);
    }

    static List<String> workerPids() throws Exception {
        String out = james.execInContainer("pgrep", "-f", WORKER).getStdout();
        List<String> pids = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.trim().matches("\\d+")) {
                pids.add(line.trim());
            }
        }
        return pids;
    }

    static List<String> recipients(int n) {
        return List.of(BOB, "user" + n + "@partner.test");
    }

    static byte[] message(String id, List<String> to) {
        try {
            MimeMessage m = new MimeMessage(Session.getInstance(new Properties()));
            m.setFrom(new InternetAddress(ALICE));
            m.setRecipients(MimeMessage.RecipientType.TO, String.join(", ", to));
            m.setSubject("Worker kill " + id);
            m.setHeader(MailAccounting.HEADER, id);
            MimeMultipart mixed = new MimeMultipart("mixed");
            MimeBodyPart text = new MimeBodyPart();
            text.setText("The documents are attached.\n", "UTF-8");
            mixed.addBodyPart(text);
            mixed.addBodyPart(attachment(pdf, "application/pdf", "report-" + id + ".pdf"));
            mixed.addBodyPart(attachment(docx,
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "notes-" + id + ".docx"));
            m.setContent(mixed);
            m.saveChanges();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            m.writeTo(out);
            return out.toByteArray();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static MimeBodyPart attachment(byte[] bytes, String type, String name) throws Exception {
        MimeBodyPart part = new MimeBodyPart();
        part.setDataHandler(new DataHandler(new ByteArrayDataSource(bytes, type)));
        part.setFileName(name);
        part.setHeader("Content-Transfer-Encoding", "base64");
        return part;
    }

    @Test
    void killedWorkersMakeMailUnscannableAndQuarantinedNeverCleanAndNothingIsLost() throws Exception {
        MailAccounting ledger = new MailAccounting("kill" + System.nanoTime());
        MailAccounting.Load load = ledger.startLoad(james, ALICE, PASSWORD, MESSAGES, 2, Duration.ofMillis(1000),
                (n, id) -> new MailAccounting.Submission(recipients(n), message(id, recipients(n))));

        // The fault: every 2 s for 10 s, kill -9 every worker JVM inside the James container, busy or idle. The
        // pattern's brackets keep pgrep from matching the shell that runs it.
        AtomicInteger killed = new AtomicInteger();
        for (int round = 0; round < 5; round++) {
            Thread.sleep(2000);
            String out = james.execInContainer("sh", "-c",
                    "for p in $(pgrep -f '" + WORKER.replace(".", "[.]") + "'); do kill -9 $p && echo killed $p; done").getStdout();
            killed.addAndGet((int) out.lines().filter(l -> l.startsWith("killed")).count());
        }
        load.await(Duration.ofMinutes(5));
        assertThat(killed.get()).as("worker JVMs killed").isGreaterThanOrEqualTo(5);
        MailAccounting.Report accepted = ledger.report();
        assertThat(accepted.acceptedMessages).as(accepted.toString()).isEqualTo(MESSAGES);

        Awaitility.await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(3)).until(() -> {
            count(ledger);
            return ledger.report().foundPairs() >= ledger.report().acceptedPairs;
        });
        Thread.sleep(5000);
        count(ledger);
        MailAccounting.Report report = ledger.report();
        System.out.println("ACCOUNTING " + report + " killed=" + killed.get());
        assertThat(report.uncertain).as(report.toString()).isEmpty();
        assertThat(report.refused).as(report.toString()).isEmpty();
        assertThat(report.missing).as(report.toString()).isEmpty();
        assertThat(report.duplicated).as(report.toString()).isEmpty();
        assertThat(report.unknown).as(report.toString()).isEmpty();
        assertThat(report.foundPairs()).isEqualTo(report.acceptedPairs);

        // Per mail: either both recipients got it, or both pairs are in the quarantine, never a mix.
        Set<String> quarantined = ids(ledger.bucket("quarantine"));
        Set<String> delivered = ids(ledger.bucket(MailAccounting.MAILBOX));
        delivered.addAll(ids(ledger.bucket(MailAccounting.PEER)));
        assertThat(quarantined).as("no mail both quarantined and delivered").noneMatch(delivered::contains);
        assertThat(quarantined.size() + delivered.size()).isEqualTo(MESSAGES);
        assertThat(quarantined).as("at least one kill hit a document being read").isNotEmpty();

        // Every quarantined mail is there as unscannable, because a worker failed.
        for (String key : james.webAdmin().mailKeys(QUARANTINE)) {
            String body = james.webAdmin().send("GET", "/mailRepositories/"
                    + URLEncoder.encode("var/mail/dlp-quarantine", StandardCharsets.UTF_8) + "/mails/"
                    + URLEncoder.encode(key, StandardCharsets.UTF_8) + "?additionalFields=attributes", null).body();
            assertThat(body).as(key).contains("\"dev.tollgate.dlp.verdict\":\"unscannable\"")
                    .contains("\"dev.tollgate.dlp.rules\":\"unscannable\"");
        }
        // One DLP audit line per mail: as many clean verdicts as delivered mails, as many unscannable as quarantined.
        String logs = james.logs();
        Map<String, Integer> verdicts = new HashMap<>();
        Matcher v = Pattern.compile("dlp mail=\\S+ sender=" + Pattern.quote(ALICE) + " mode=enforce verdict=(\\S+)")
                .matcher(logs);
        while (v.find()) {
            verdicts.merge(v.group(1), 1, Integer::sum);
        }
        assertThat(verdicts.getOrDefault("clean", 0)).as("DLP clean verdicts " + verdicts).isEqualTo(delivered.size());
        assertThat(verdicts.getOrDefault("unscannable", 0)).as("DLP unscannable verdicts " + verdicts)
                .isEqualTo(quarantined.size());
        assertThat(verdicts.keySet()).as("no other verdict").isSubsetOf("clean", "unscannable");
        // The unscannable parts are worker failures (not time limits); James saw the workers die.
        String metrics = james.webAdmin().send("GET", "/metrics", null).body();
        metrics.lines().filter(l -> l.startsWith("tollgate_dlp_worker") || l.startsWith("tollgate_dlp_unscannable"))
                .forEach(l -> System.out.println("METRIC " + l));
        System.out.println("WORKERS after the load: " + workerPids());
        assertThat(metric(metrics, "tollgate_dlp_unscannable:extraction_failed_total"))
                .isGreaterThanOrEqualTo(quarantined.size());
        assertThat(metric(metrics, "tollgate_dlp_unscannable:time_limit_total")).isZero();
        assertThat(metric(metrics, "tollgate_dlp_worker:crash_total")).isPositive();
        for (String repository : new String[] {"memory://var/mail/error/", "memory://var/mail/tollgate-delivery-error/"}) {
            if (MailAccounting.repositoryExists(james.webAdmin(), repository)) {
                assertThat(james.webAdmin().mailKeys(repository)).as(repository).isEmpty();
            }
        }
        assertThat(delivered).as("extraction recovers: mails after the kills are read and delivered").isNotEmpty();
    }

    static void count(MailAccounting ledger) throws Exception {
        ledger.clearFound();
        ledger.countPeer(peer, "/peer/inbox");
        ledger.countMailboxes(james, Map.of(ALICE, PASSWORD, BOB, PASSWORD));
        ledger.countRepository(james.webAdmin(), QUARANTINE, "quarantine");
    }

    static double metric(String metrics, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    static Set<String> ids(Map<String, Integer> bucket) {
        Set<String> ids = new HashSet<>();
        bucket.keySet().forEach(k -> ids.add(k.substring(0, k.indexOf(' '))));
        return ids;
    }
}
