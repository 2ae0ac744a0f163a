package dev.tollgate.it.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;

import com.github.dockerjava.api.command.InspectContainerResponse;

import dev.tollgate.it.harness.MailAccounting;
import dev.tollgate.it.harness.JamesContainer;
import dev.tollgate.it.harness.Messages;
import dev.tollgate.it.harness.PartnerMx;
import dev.tollgate.it.harness.SmtpClient;
import dev.tollgate.it.peers.SmtpSink;
import dev.tollgate.it.harness.Teardown;

/**
 * Bounded memory on hostile input: the shipped conf/ (B) in a James 3.8.1 container whose heap is capped at
 * 512 MiB, a stream of normal submissions to a local user, and meanwhile seven hostile messages, each to one internal
 * recipient (bob) and one external one (carol, whose MX is a {@link SmtpSink}):
 * a zip bomb (2 GiB of zeros in about 2 MB), Tika's self-containing "droste" zip, a sparse tar (80 MiB from
 * 10 KiB), 10,000 tiny MIME parts,
 * a 50 MB single-line HTML body, 100,000 links and 1,000 nested multiparts.
 *
 * <p>Asserted: James's JVM runs with the cap and the submission size limit raised to 60 MiB (both edits
 * applied); James is never restarted and never logs an {@code OutOfMemoryError}; each hostile message gets
 * exactly the verdict of {@link #EXPECTED} (DLP unscannable reasons counted by the metrics, the DLP audit
 * decision, where each recipient's copy ends up); every normal message is delivered exactly once (exact
 * accounting over the mailbox, the quarantine, the error repositories, the peer and the sender's DSNs).
 * The verdicts are documented in docs/operations.md, "Hostile input".
 */
class HostileInputIT {
    static final String DOMAIN = "tollgate.test";
    static final String ALICE = "alice@" + DOMAIN;
    static final String BOB = "bob@" + DOMAIN;
    static final String CAROL = "carol@partner.test";
    static final String PASSWORD = "s3cret-Passw0rd";
    static final String HEAP = "-Xmx512m";
    static final int MAX_MESSAGE_KB = 60 * 1024;
    static final String QUARANTINE = "memory://var/mail/dlp-quarantine/";
    static final String LINK_QUARANTINE = "memory://var/mail/link-quarantine/";
    static final List<String> REPOSITORIES = List.of(QUARANTINE, LINK_QUARANTINE, "memory://var/mail/error/",
            "memory://var/mail/tollgate-delivery-error/", "memory://var/mail/address-error/",
            "memory://var/mail/relay-denied/", "memory://var/mail/mfa-required/", "memory://var/mail/rrt-error/");
    static final Duration WAIT = Duration.ofMinutes(4);

    /** One hostile message's documented verdict. */
    static final class Verdict {
        final Map<String, Integer> unscannable;
        final String dlpDecision;
        final String linksRewritten;
        final List<String> places;

        Verdict(Map<String, Integer> unscannable, String dlpDecision, String linksRewritten, List<String> places) {
            this.unscannable = new TreeMap<>(unscannable);
            this.dlpDecision = dlpDecision;
            this.linksRewritten = linksRewritten;
            this.places = places;
        }

        @Override
        public String toString() {
            return "unscannable=" + unscannable + " dlp=" + dlpDecision + " linksRewritten=" + linksRewritten
                    + " places=" + places;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Verdict && toString().equals(o.toString());
        }

        @Override
        public int hashCode() {
            return toString().hashCode();
        }
    }

    /** A copy in a user's INBOX (the ledger's bucket). */
    static final String INBOX = MailAccounting.MAILBOX;
    /** A copy stored by the partner's MX. */
    static final String PEER = MailAccounting.PEER;
    static final String QUARANTINED = "repository:" + QUARANTINE;
    /** The local copy of a message whose links RewriteLinks could not read (HasUnexaminedLinks, shipped conf/). */
    static final String LINKS_QUARANTINED = "repository:" + LINK_QUARANTINE;

    /** What each hostile message gets (docs/operations.md, "Hostile input"). */
    static final Map<String, Verdict> EXPECTED = new LinkedHashMap<>();

    static {
        EXPECTED.put("zip-bomb", new Verdict(Map.of("ratio_limit", 1), "quarantine", "0", List.of(INBOX, QUARANTINED)));
        EXPECTED.put("droste-zip", new Verdict(Map.of("depth_limit", 1), "quarantine", "0", List.of(INBOX, QUARANTINED)));
        EXPECTED.put("sparse-tar", new Verdict(Map.of("ratio_limit", 1), "quarantine", "0", List.of(INBOX, QUARANTINED)));
        EXPECTED.put("tiny-parts-10000", new Verdict(Map.of("entry_limit", 1), "quarantine", "0", List.of(QUARANTINED, LINKS_QUARANTINED)));
        EXPECTED.put("html-50mb-one-line", new Verdict(Map.of("size_limit", 1), "quarantine", "0", List.of(QUARANTINED, LINKS_QUARANTINED)));
        EXPECTED.put("links-100000", new Verdict(Map.of(), "allow", "0", List.of(PEER, LINKS_QUARANTINED)));
        EXPECTED.put("nested-multipart-1000", new Verdict(Map.of("entry_limit", 1), "quarantine", "0", List.of(QUARANTINED, LINKS_QUARANTINED)));
    }

    static Network network;
    static GenericContainer<?> sink;
    static GenericContainer<?> dns;
    static JamesContainer james;

    @BeforeAll
    static void start() {
        PartnerMx partner = PartnerMx.start("partner.test");
        network = partner.network();
        sink = partner.sink();
        dns = partner.dns();
        // A busy machine can take minutes to start James.
        james = partner.james().withStartupTimeout(Duration.ofMinutes(6))
                .withEnv("JAVA_TOOL_OPTIONS", HEAP)
                .withConfEdit("smtpserver.xml", xml -> xml.replaceExactly("<maxmessagesize>0</maxmessagesize>",
                        "<maxmessagesize>" + MAX_MESSAGE_KB + "</maxmessagesize>", 3));
        james.start();
        james.webAdmin().addDomain(DOMAIN).addUser(ALICE, PASSWORD).addUser(BOB, PASSWORD);
    }

    @AfterAll
    static void stop() {
        // Tollgate's lines and errors, without the normal mail's routine lines (they would fill the limit).
        Teardown.printLog(james, "JAMES", 400, Teardown.TOLLGATE_AND_ERRORS.and(l -> !l.contains("verdict=clean")
                && !l.contains("MfaAuthHook") && !l.contains("SieveExecutor") && !l.contains("SimpleMailStore")
                && !l.contains("SendMailHandler")));
        Teardown.stopAll(network, james, dns, sink);
    }

    @Test
    void hostileMessagesGetTheirVerdictsWhileNormalMailKeepsFlowing() throws Exception {
        // The heap cap reached James's JVM (PID 1 of the container), and the size limit the listeners.
        assertThat(james.logs()).contains("Picked up JAVA_TOOL_OPTIONS: " + HEAP);
        assertThat(james.execInContainer("sh", "-c", "tr '\\0' ' ' < /proc/1/cmdline").getStdout())
                .contains("org.apache.james.MemoryJamesServerMain");
        assertThat(james.execInContainer("sh", "-c", "tr '\\0' '\\n' < /proc/1/environ").getStdout())
                .contains("JAVA_TOOL_OPTIONS=" + HEAP);
        try (SmtpClient smtp = james.smtp(JamesContainer.SUBMISSION)) {
            smtp.ehlo("client.test");
            assertThat(smtp.startTls().code).isEqualTo(220);
            assertThat(smtp.ehlo("client.test").text).contains("SIZE " + MAX_MESSAGE_KB * 1024L);
        }
        InspectContainerResponse.ContainerState before = james.getCurrentContainerInfo().getState();

        MailAccounting accounting = new MailAccounting();
        AtomicBoolean stopLoad = new AtomicBoolean();
        AtomicInteger refused = new AtomicInteger();
        ExecutorService load = Executors.newFixedThreadPool(2);
        List<Future<?>> loaders = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            loaders.add(load.submit(() -> {
                while (!stopLoad.get()) {
                    String id = accounting.next("normal");
                    byte[] m = Messages.text(ALICE, BOB, "normal " + id,
                            "Hello Bob,\n\nthe notes are at https://docs.example.test/notes/" + id + "\n", accounting.header(id));
                    if (submit(m, BOB)) {
                        accounting.accepted(id, List.of(BOB));
                    } else {
                        refused.incrementAndGet();
                    }
                    Thread.sleep(250); // a steady stream, not a saturating one: two cores are shared with the test
                }
                return null;
            }));
        }

        Map<String, Verdict> observed = new LinkedHashMap<>();
        Map<String, String> ids = new LinkedHashMap<>();
        for (String kind : EXPECTED.keySet()) {
            String id = accounting.next(kind);
            ids.put(kind, id);
            Map<String, Double> metricsBefore = unscannableMetrics();
            byte[] message = hostile(kind, accounting.header(id), "Message-ID: <" + id + "@" + DOMAIN + ">");
            assertThat(submit(message, BOB, CAROL)).as(kind + " accepted").isTrue();
            accounting.accepted(id, List.of(BOB, CAROL));
            String decision = awaitAudit(id, "dlp", "decision");
            Map<String, Integer> reasons = new TreeMap<>();
            unscannableMetrics().forEach((name, value) -> {
                int change = (int) Math.round(value - metricsBefore.getOrDefault(name, 0.0));
                if (change != 0) {
                    reasons.put(name.replaceFirst("^tollgate_dlp_unscannable[:_]", "").replaceFirst("_total$", ""), change);
                }
            });
            // the audit line names the same reasons as the metrics, so an operator can tell them apart per mail
            Map<String, Integer> lowerCase = new TreeMap<>();
            reasons.forEach((name, count) -> lowerCase.merge(name.toLowerCase(java.util.Locale.ROOT), count, Integer::sum));
            StringBuilder fromMetrics = new StringBuilder();
            lowerCase.forEach((name, count) -> fromMetrics.append(fromMetrics.length() == 0 ? "" : ",")
                    .append(name).append(':').append(count));
            assertThat(awaitAudit(id, "dlp", "unscannable_reasons")).as(kind + " audit reasons")
                    .isEqualTo(fromMetrics.toString());
            // and lists the parts (up to ten) with their reasons: every reason counted appears there
            String parts = awaitAudit(id, "dlp", "unscannable_parts");
            int total = lowerCase.values().stream().mapToInt(Integer::intValue).sum();
            if (total == 0) {
                assertThat(parts).as(kind + " audit parts").isEmpty();
            } else if (total <= 10) {
                assertThat(parts.split("\\|")).as(kind + " audit parts").hasSize(total);
                lowerCase.keySet().forEach(reason -> assertThat(parts).as(kind + " audit parts").contains("(" + reason + ")"));
            } else {
                assertThat(parts).as(kind + " audit parts").endsWith("|+" + (total - 10));
            }
            // a mail whose links were not all read is never called clean
            if (EXPECTED.get(kind).places.contains(LINKS_QUARANTINED)) {
                assertThat(awaitAudit(id, "links", "reason")).as(kind + " links verdict").isEqualTo("unexamined");
            }
            observed.put(kind, new Verdict(reasons, decision, awaitAudit(id, "links", "rewritten"), List.of()));
        }
        stopLoad.set(true);
        for (Future<?> f : loaders) {
            f.get(5, TimeUnit.MINUTES);
        }
        load.shutdown();

        // Every accepted message somewhere, exactly as often as it was addressed.
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofSeconds(3))
                .ignoreExceptionsInstanceOf(IllegalStateException.class).until(() -> {
            scan(accounting);
            return accounting.report().missing.isEmpty();
        });
        scan(accounting);
        Map<String, Verdict> withPlaces = new LinkedHashMap<>();
        observed.forEach((kind, v) -> withPlaces.put(kind, new Verdict(v.unscannable, v.dlpDecision,
                v.linksRewritten, accounting.placesOf(ids.get(kind)))));
        assertThat(withPlaces).as("hostile verdicts").isEqualTo(EXPECTED);

        List<String> normal = new ArrayList<>(accounting.acceptedIds());
        normal.removeAll(ids.values());
        assertThat(refused.get()).as("normal submissions refused").isZero();
        assertThat(normal).as("normal messages accepted under load").hasSizeGreaterThanOrEqualTo(10);
        for (String id : normal) {
            assertThat(accounting.placesOf(id)).as(id).containsExactly(INBOX);
        }
        MailAccounting.Report report = accounting.report();
        assertThat(report.problems()).as(report.toString()).isEmpty();

        // James never crashed: the same container run, no restart, no OutOfMemoryError.
        InspectContainerResponse.ContainerState after = james.getDockerClient()
                .inspectContainerCmd(james.getContainerId()).exec().getState();
        assertThat(after.getRunning()).isTrue();
        assertThat(after.getStartedAt()).isEqualTo(before.getStartedAt());
        assertThat(after.getPid()).isEqualTo(before.getPid());
        assertThat(james.logs()).doesNotContain("OutOfMemoryError");
    }

    static byte[] hostile(String kind, String... headers) {
        String to = BOB + ", " + CAROL;
        switch (kind) {
            case "zip-bomb":
                return HostileMessages.withAttachment(ALICE, to, kind, HostileMessages.zerosZip(2L << 30), "zeros.zip",
                        "application/zip", headers);
            case "droste-zip":
                return HostileMessages.withAttachment(ALICE, to, kind, HostileMessages.drosteZip(), "droste.zip",
                        "application/zip", headers);
            case "sparse-tar":
                return HostileMessages.withAttachment(ALICE, to, kind, HostileMessages.sparseTar(), "zeros.tar",
                        "application/x-tar", headers);
            case "tiny-parts-10000":
                return HostileMessages.tinyParts(ALICE, to, kind, 10_000, headers);
            case "html-50mb-one-line":
                return HostileMessages.singleLineHtml(ALICE, to, kind, 50 * 1024 * 1024, headers);
            case "links-100000":
                return HostileMessages.manyLinks(ALICE, to, kind, 100_000, headers);
            case "nested-multipart-1000":
                return HostileMessages.nestedMultiparts(ALICE, to, kind, 1_000, headers);
            default:
                throw new IllegalArgumentException(kind);
        }
    }

    /** Submits as alice over 587; @return whether the end of DATA was answered 250 (every step before must succeed). */
    static boolean submit(byte[] message, String... recipients) {
        try (SmtpClient smtp = james.smtp(JamesContainer.SUBMISSION)) {
            smtp.ehlo("client.test");
            if (smtp.startTls().code != 220) {
                return false;
            }
            smtp.ehlo("client.test");
            if (smtp.authPlain(ALICE, PASSWORD).code != 235 || smtp.mailFrom(ALICE).code != 250) {
                return false;
            }
            for (String r : recipients) {
                if (smtp.rcptTo(r).code != 250) {
                    return false;
                }
            }
            return smtp.data(message).code == 250;
        }
    }

    /**
     * @return the value of {@code field} (a top-level field or one of {@code details}) in the audit line of
     *         {@code capability} for the message whose Message-ID starts with {@code id}, once it is written
     */
    static String awaitAudit(String id, String capability, String field) {
        String[] value = new String[1];
        java.util.regex.Pattern p = java.util.regex.Pattern.compile("\"" + field + "\":\"([^\"]*)\"");
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).until(() -> {
            String lines = james.execInContainer("sh", "-c", "grep -h -F '<" + id + "@' /root/logs/tollgate-audit.log"
                    + " | grep -F '\"capability\":\"" + capability + "\"' || true").getStdout();
            java.util.regex.Matcher m = p.matcher(lines);
            if (m.find()) {
                value[0] = m.group(1);
                return true;
            }
            return false;
        });
        return value[0];
    }

    static Map<String, Double> unscannableMetrics() {
        HttpResponse<String> r = james.webAdmin().send("GET", "/metrics", null);
        assertThat(r.statusCode()).isEqualTo(200);
        Map<String, Double> out = new TreeMap<>();
        for (String line : r.body().split("\n")) {
            if (line.startsWith("tollgate_dlp_unscannable")) {
                int space = line.lastIndexOf(' ');
                out.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        }
        return out;
    }

    static void scan(MailAccounting accounting) throws Exception {
        accounting.clearFound();
        accounting.countMailboxes(james, Map.of(BOB, PASSWORD, ALICE, PASSWORD));
        for (String repository : REPOSITORIES) {
            boolean present = accounting.countRepository(james.webAdmin(), repository, "repository:" + repository);
            if (repository.equals(QUARANTINE)) {
                assertThat(present).as(QUARANTINE + " exists").isTrue();
            }
        }
        String peer = sink.execInContainer("sh", "-c",
                "cat /peer/inbox/*.eml 2>/dev/null | grep -a -i '^" + MailAccounting.HEADER + ":' || true").getStdout();
        // The sink stores each message once, for its one recipient at the partner.
        for (String id : MailAccounting.idsIn(peer)) {
            accounting.found(PEER, id, CAROL);
        }
    }
}
