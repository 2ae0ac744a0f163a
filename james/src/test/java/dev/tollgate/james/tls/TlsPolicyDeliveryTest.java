package dev.tollgate.james.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import javax.mail.MessagingException;

import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.mailrepository.api.MailRepository;
import org.apache.james.mailrepository.api.MailRepositoryStore;
import org.apache.james.metrics.api.Metric;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.server.core.MimeMessageInputStreamSource;
import org.apache.james.server.core.MimeMessageWrapper;
import org.apache.mailet.AttributeUtils;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;

import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Parameters;
import dev.tollgate.core.tls.EffectiveTlsPolicy;
import dev.tollgate.core.tls.MtaStsPolicy;
import dev.tollgate.core.tls.MtaStsPolicyCache;
import dev.tollgate.core.tls.PeerTrustManager;
import dev.tollgate.core.tls.TlsFailureReason;
import dev.tollgate.core.tls.TlsPolicyMap;
import dev.tollgate.core.tls.TlsPolicyResolver;
import dev.tollgate.core.tls.TlsSecurityLevel;

/**
 * {@link TlsPolicyDelivery} against an in-process plain-text SMTP server (no STARTTLS) and in-memory stand-ins
 * for James's queue, repository store, DNS and metrics.
 */
class TlsPolicyDeliveryTest {
    /** A plain-text receiving MTA that never offers STARTTLS and records every command. */
    static final class PlainServer implements AutoCloseable {
        final ServerSocket server;
        final List<String> commands = Collections.synchronizedList(new ArrayList<>());
        final Thread thread;

        PlainServer() throws IOException {
            server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
            thread = new Thread(this::serve);
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private void serve() {
            while (!server.isClosed()) {
                try (Socket s = server.accept();
                     BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                     OutputStream out = s.getOutputStream()) {
                    reply(out, "220 plain.test ESMTP");
                    String line;
                    while ((line = in.readLine()) != null) {
                        commands.add(line);
                        String upper = line.toUpperCase();
                        if (upper.startsWith("EHLO")) {
                            reply(out, "250-plain.test\r\n250 8BITMIME");
                        } else if (upper.equals("DATA")) {
                            reply(out, "354 go");
                            while ((line = in.readLine()) != null && !line.equals(".")) {
                                // swallow
                            }
                            reply(out, "250 stored");
                        } else if (upper.equals("QUIT")) {
                            reply(out, "221 bye");
                            break;
                        } else {
                            reply(out, "250 OK");
                        }
                    }
                } catch (IOException e) {
                    // next connection
                }
            }
        }

        private static void reply(OutputStream out, String text) throws IOException {
            out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    final List<Mail> enqueued = Collections.synchronizedList(new ArrayList<>());
    final List<Duration> delays = Collections.synchronizedList(new ArrayList<>());
    final List<Mail> stored = Collections.synchronizedList(new ArrayList<>());
    final List<String> metrics = Collections.synchronizedList(new ArrayList<>());
    volatile boolean queueFails;
    PlainServer server;
    FakeMailContext context;

    @BeforeEach
    void setUp() throws IOException {
        server = new PlainServer();
        context = FakeMailContext.defaultContext();
    }

    @AfterEach
    void tearDown() throws IOException {
        server.close();
    }

    @SuppressWarnings("unchecked")
    static <T> T proxy(Class<T> type, java.lang.reflect.InvocationHandler handler) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler);
    }

    TlsPolicyDelivery mailet(String... params) throws MessagingException {
        MailQueue queue = proxy(MailQueue.class, (p, m, a) -> {
            switch (m.getName()) {
                case "enQueue":
                    if (queueFails) {
                        throw new MailQueue.MailQueueException("queue down");
                    }
                    enqueued.add((Mail) a[0]);
                    delays.add(a.length > 1 && a[1] instanceof Duration ? (Duration) a[1] : Duration.ZERO);
                    return null;
                case "deQueue":
                    return (Publisher<MailQueue.MailQueueItem>) s -> s.onSubscribe(new Subscription() {
                        @Override
                        public void request(long n) {
                        }

                        @Override
                        public void cancel() {
                        }
                    });
                default:
                    throw new UnsupportedOperationException(m.getName());
            }
        });
        MailQueueFactory<?> factory = proxy(MailQueueFactory.class, (p, m, a) -> queue);
        DNSService dns = proxy(DNSService.class, (p, m, a) -> {
            switch (m.getName()) {
                case "findMXRecords":
                    return List.of("mx." + a[0]);
                case "getAllByName":
                    return List.of(InetAddress.getLoopbackAddress());
                case "findTXTRecords":
                    return ((String) a[0]).startsWith("_smtp._tls.")
                            ? List.of("\"v=TLSRPTv1; rua=mailto:tlsrpt@peer.test\"") : List.of();
                default:
                    throw new UnsupportedOperationException(m.getName());
            }
        });
        MailRepository repository = proxy(MailRepository.class, (p, m, a) -> {
            if (m.getName().equals("store")) {
                stored.add((Mail) a[0]);
                return null;
            }
            throw new UnsupportedOperationException(m.getName());
        });
        MailRepositoryStore store = proxy(MailRepositoryStore.class, (p, m, a) -> repository);
        MetricFactory metricFactory = proxy(MetricFactory.class, (p, m, a) -> {
            String name = (String) a[0];
            return proxy(Metric.class, (p2, m2, a2) -> {
                metrics.add(name);
                return null;
            });
        });
        TlsPolicyDelivery mailet = new TlsPolicyDelivery(factory, dns, store, metricFactory);
        FakeMailetConfig.Builder config = FakeMailetConfig.builder().mailetName("TlsPolicyDelivery").mailetContext(context)
                .setProperty("port", String.valueOf(server.port()))
                .setProperty("bounceProcessor", "bounces");
        for (int i = 0; i < params.length; i += 2) {
            config.setProperty(params[i], params[i + 1]);
        }
        mailet.init(config.build());
        return mailet;
    }

    static Mail mail(String... recipients) throws MessagingException {
        byte[] raw = "From: alice@local.test\r\nSubject: hello\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
        return FakeMail.builder().name("m1").sender("alice@local.test").recipients(recipients)
                .mimeMessage(new MimeMessageWrapper(MimeMessageInputStreamSource.create("m1", new ByteArrayInputStream(raw))))
                .build();
    }

    @Test
    void serviceQueuesOnePartPerDomainAndGhostsTheOriginal() throws Exception {
        TlsPolicyDelivery mailet = mailet();
        Mail mail = mail("a@one.test", "b@two.test", "c@one.test");
        mailet.service(mail);
        assertThat(mail.getState()).isEqualTo(Mail.GHOST);
        assertThat(enqueued).hasSize(2);
        assertThat(enqueued.get(0).getRecipients()).extracting(Object::toString).containsExactly("a@one.test", "c@one.test");
        assertThat(enqueued.get(1).getRecipients()).extracting(Object::toString).containsExactly("b@two.test");
    }

    @Test
    void verifyWithoutStartTlsDefersWithoutSendingMailFrom() throws Exception {
        TlsPolicyDelivery mailet = mailet("policyMap", "peer.test verify", "delays", "7s, 1m");
        Mail mail = mail("bob@peer.test");
        mailet.process(mail);
        assertThat(server.commands).anyMatch(c -> c.startsWith("EHLO"));
        assertThat(server.commands).noneMatch(c -> c.toUpperCase().startsWith("MAIL FROM"));
        assertThat(enqueued).containsExactly(mail);
        assertThat(delays).containsExactly(Duration.ofSeconds(7));
        assertThat(AttributeUtils.getValueAndCastFromMail(mail, TlsPolicyDelivery.LAST_ERROR, String.class))
                .hasValueSatisfying(v -> assertThat(v).contains("starttls-not-supported").contains("verify"));
        assertThat(metrics).contains("tollgate_tls_delivery:verify:starttls_not_supported",
                "tollgate_tls_failure:starttls_not_supported");
    }

    @Test
    void reEnqueueFailureStoresTheMailInTheErrorRepository() throws Exception {
        TlsPolicyDelivery mailet = mailet("policyMap", "peer.test encrypt");
        queueFails = true;
        Mail mail = mail("bob@peer.test");
        mailet.process(mail);
        assertThat(stored).containsExactly(mail);
        assertThat(mail.getState()).isEqualTo(Mail.ERROR);
        assertThat(mail.getErrorMessage()).contains("re-enqueue");
    }

    @Test
    void afterMaxRetriesTheBounceNamesTheReason() throws Exception {
        TlsPolicyDelivery mailet = mailet("policyMap", "peer.test verify", "maxRetries", "1");
        Mail mail = mail("bob@peer.test");
        mailet.process(mail);
        assertThat(context.getSentMails()).isEmpty();
        mailet.process(enqueued.get(0));
        assertThat(enqueued).hasSize(1);
        assertThat(context.getSentMails()).hasSize(1);
        FakeMailContext.SentMail bounce = context.getSentMails().get(0);
        assertThat(bounce.getState()).isEqualTo("bounces");
        assertThat(bounce.getAttributes().get(TlsPolicyDelivery.DELIVERY_ERROR).getValue().value().toString())
                .startsWith("550 5.7.10 TLS policy verify for peer.test not met at mx.peer.test: starttls-not-supported");
    }

    @Test
    void opportunisticLevelDeliversInPlainText() throws Exception {
        TlsPolicyDelivery mailet = mailet("defaultLevel", "may");
        mailet.process(mail("bob@peer.test"));
        assertThat(server.commands).anyMatch(c -> c.startsWith("MAIL FROM:<alice@local.test>"));
        assertThat(enqueued).isEmpty();
        assertThat(metrics).contains("tollgate_tls_delivery:may:sent");
    }

    @Test
    void configurationErrorsNameTheParameter(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> mailet("defaultLevel", "strict")).isInstanceOf(MessagingException.class)
                .hasMessageContaining("parameter 'defaultLevel'");
        assertThatThrownBy(() -> mailet("policyMap", "example.com verify; bad..domain encrypt"))
                .hasMessageContaining("parameter 'policyMap'").hasMessageContaining("line 2");
        assertThatThrownBy(() -> mailet("trustStore", dir.resolve("missing.pem").toString()))
                .hasMessageContaining("parameter 'trustStore'");
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a certificate");
        assertThatThrownBy(() -> mailet("trustStore", garbage.toString())).hasMessageContaining("parameter 'trustStore'");
        assertThatThrownBy(() -> mailet("maxRetry", "3")).hasMessageContaining("parameter 'maxRetry'");
        assertThatThrownBy(() -> mailet("delays", "5m, soon")).hasMessageContaining("parameter 'delays'");
        assertThatThrownBy(() -> mailet("minimumProtocol", "SSLv3")).hasMessageContaining("parameter 'minimumProtocol'");
        assertThatThrownBy(() -> new TlsPolicyDeliveryConfig.Spec().validate(
                Parameters.of(Map.of("useJvmTrustStore", "false")), null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("parameter 'useJvmTrustStore'");
    }

    @Test
    void policyMapProtocolsAndCiphersAreCheckedAtStartup(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> mailet("policyMap", "ok.example encrypt protocols=!SSLv2:!SSLv3; "
                + "legacy.example encrypt protocols=>=TLSv1"))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("parameter 'policyMap'")
                .hasMessageContaining("entry legacy.example: protocols=>=TLSv1 is below minimumProtocol TLSv1.2; "
                        + "an entry can only raise the floor");
        Path file = Files.writeString(dir.resolve("tls_policy"), "old.example encrypt protocols=!TLSv1.2:!TLSv1.3\n");
        assertThatThrownBy(() -> mailet("policyMapFile", file.toString()))
                .hasMessageContaining("parameter 'policyMapFile'")
                .hasMessageContaining("entry old.example: protocols=!TLSv1.2:!TLSv1.3 excludes every version");
        assertThat(TlsPolicyDeliveryConfig.parse(Parameters.of(Map.of("minimumProtocol", "TLSv1",
                "policyMap", "legacy.example encrypt protocols=>=TLSv1"))).policyMap().size()).isEqualTo(1);
        assertThatThrownBy(() -> mailet("policyMap", "x.example encrypt ciphers=null"))
                .hasMessageContaining("parameter 'policyMap'").hasMessageContaining("ciphers=null");
        assertThatThrownBy(() -> mailet("ciphers", "TLS_NO_SUCH_SUITE"))
                .hasMessageContaining("parameter 'ciphers'").hasMessageContaining("TLS_NO_SUCH_SUITE");
        assertThat(TlsPolicyDeliveryConfig.parse(Parameters.of(Map.of("ciphers", "TLS_AES_128_GCM_SHA256, "
                + "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "policyMap", "x.example encrypt ciphers=high"))).ciphers())
                .containsExactly("TLS_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
        // Stock JVMs disable every suite below high, so a grade leaving nothing needs a relaxed JVM: check the rule.
        TlsPolicyMap map = TlsPolicyMap.parse("x.example encrypt ciphers=high\ny.example encrypt ciphers=medium", "policyMap");
        assertThatThrownBy(() -> TlsPolicyDeliveryConfig.checkCipherGrades(map,
                List.of("TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA", "TLS_EMPTY_RENEGOTIATION_INFO_SCSV"), true, "policyMap"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("parameter 'policyMap': entry x.example: ciphers=high leaves none of the configured cipher "
                        + "suites (see parameter ciphers)");
        TlsPolicyDeliveryConfig.checkCipherGrades(TlsPolicyMap.parse("y.example encrypt ciphers=medium", "policyMap"),
                List.of("TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA"), true, "policyMap");
    }

    @Test
    void delaysRepeatTheLastValue() {
        TlsPolicyDeliveryConfig c = TlsPolicyDeliveryConfig.parse(Parameters.of(Map.of("delays", "1s, 2m")));
        assertThat(c.delayBeforeRetry(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.delayBeforeRetry(2)).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.delayBeforeRetry(9)).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void enforcedMtaStsNeverConnectsToAnMxOutsideThePatterns() throws Exception {
        MtaStsPolicy sts = MtaStsPolicy.parse("version: STSv1\nmode: enforce\nmx: mx.allowed.test\nmax_age: 86400\n");
        TlsPolicyResolver resolver = TlsPolicyResolver.builder()
                .mtaSts(MtaStsPolicyCache.create(d -> sts, Clock.systemUTC()), d -> List.of("v=STSv1; id=1"))
                .build();
        EffectiveTlsPolicy policy = resolver.resolve("peer.test");
        assertThat(policy.level()).isEqualTo(TlsSecurityLevel.MTA_STS);
        DNSService dns = proxy(DNSService.class, (p, m, a) -> m.getName().equals("findMXRecords")
                ? List.of("mx.peer.test.") : List.of(InetAddress.getLoopbackAddress()));
        TlsPolicyDeliveryConfig config = TlsPolicyDeliveryConfig.parse(
                Parameters.of(Map.of("port", String.valueOf(server.port()))));
        DeliveryResult result = new MxDeliverer(config, config.loadTrust(), dns).deliver(mail("bob@peer.test"), policy);
        assertThat(result.tlsReason()).contains(TlsFailureReason.MX_NOT_PERMITTED);
        assertThat(result.kind()).isEqualTo(DeliveryResult.Kind.TEMPORARY);
        assertThat(server.commands).isEmpty();
    }

    @Test
    void mtaStsTestingDeliversAndReportsEverySessionFailure() throws Exception {
        MtaStsPolicy sts = MtaStsPolicy.parse("version: STSv1\nmode: testing\nmx: mx.allowed.test\nmax_age: 86400\n");
        TlsPolicyResolver resolver = TlsPolicyResolver.builder()
                .mtaSts(MtaStsPolicyCache.create(d -> sts, Clock.systemUTC()), d -> List.of("v=STSv1; id=1"))
                .build();
        EffectiveTlsPolicy policy = resolver.resolve("peer.test");
        assertThat(policy.mode()).isEqualTo(EffectiveTlsPolicy.Mode.TESTING);
        DNSService dns = proxy(DNSService.class, (p, m, a) -> m.getName().equals("findMXRecords")
                ? List.of("mx.peer.test.") : List.of(InetAddress.getLoopbackAddress()));
        TlsPolicyDeliveryConfig config = TlsPolicyDeliveryConfig.parse(
                Parameters.of(Map.of("port", String.valueOf(server.port()))));
        List<String> sessions = Collections.synchronizedList(new ArrayList<>());
        DeliveryResult result = new MxDeliverer(config, config.loadTrust(), dns,
                (pol, mx, ip, local, failure) -> sessions.add(mx + " " + (failure == null ? "ok" : failure.code())))
                .deliver(mail("bob@peer.test"), policy);
        assertThat(result.kind()).as("testing mode delivers anyway").isEqualTo(DeliveryResult.Kind.SENT);
        assertThat(server.commands).anyMatch(c -> c.startsWith("MAIL FROM:<alice@local.test>"));
        // The MX is outside the patterns, and the plain server offers no STARTTLS: two reported failures.
        assertThat(sessions).containsExactly("mx.peer.test mx-not-permitted", "mx.peer.test starttls-not-supported");
        assertThat(dev.tollgate.core.tls.TlsRptPolicy.of(policy).type())
                .isEqualTo(dev.tollgate.core.tls.TlsRptReport.PolicyType.STS);
    }

    @Test
    void tlsRptParametersAreValidated(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> mailet("tlsRptOrganization", "Example"))
                .hasMessageContaining("parameter 'tlsRptOrganization'").hasMessageContaining("tlsRptDirectory");
        assertThatThrownBy(() -> mailet("tlsRptDirectory", dir.toString(), "tlsRptContact", "mailto:p@example.com",
                "tlsRptDomain", "example.com")).hasMessageContaining("parameter 'tlsRptOrganization'");
        assertThatThrownBy(() -> mailet("tlsRptDirectory", dir.toString(), "tlsRptOrganization", "Example",
                "tlsRptContact", "mailto:p@example.com", "tlsRptDomain", "not a domain"))
                .hasMessageContaining("parameter 'tlsRptDomain'");
        assertThatThrownBy(() -> mailet("tlsRptDirectory", dir.toString(), "tlsRptOrganization", "Example",
                "tlsRptContact", "mailto:p@example.com", "tlsRptDomain", "example.com", "tlsRptPeriod", "7h"))
                .hasMessageContaining("parameter 'tlsRptPeriod'");
        TlsPolicyDeliveryConfig ok = TlsPolicyDeliveryConfig.parse(Parameters.of(Map.of("tlsRptDirectory",
                dir.toString(), "tlsRptOrganization", "Example", "tlsRptContact", "mailto:p@example.com",
                "tlsRptDomain", "Example.COM")));
        assertThat(ok.tlsRpt().orElseThrow().period()).isEqualTo(Duration.ofDays(1));
        assertThat(ok.tlsRpt().orElseThrow().domain()).isEqualTo("example.com");
    }

    @Test
    void tlsRptReportIsWrittenAndMailedToTheRua(@TempDir Path dir) throws Exception {
        TlsPolicyDelivery mailet = mailet("defaultLevel", "may", "tlsRptDirectory", dir.toString(),
                "tlsRptOrganization", "Example", "tlsRptContact", "mailto:postmaster@local.test",
                "tlsRptDomain", "local.test", "tlsRptSender", "tlsrpt-noreply@local.test");
        mailet.process(mail("bob@peer.test")); // the plain server offers no STARTTLS: one failed session
        mailet.writeTlsRptReports(true);
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            List<Path> reports = files.filter(f -> f.toString().endsWith(".json")).collect(java.util.stream.Collectors.toList());
            assertThat(reports).hasSize(1);
            String json = Files.readString(reports.get(0));
            assertThat(json).contains("\"policy-type\":\"no-policy-found\"").contains("\"policy-domain\":\"peer.test\"")
                    .contains("\"result-type\":\"starttls-not-supported\"").contains("\"failed-session-count\":1");
        }
        List<FakeMailContext.SentMail> sent = context.getSentMails();
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).getRecipients()).extracting(Object::toString).containsExactly("tlsrpt@peer.test");
        assertThat(sent.get(0).getSender().asString()).isEqualTo("tlsrpt-noreply@local.test");
        assertThat(sent.get(0).getMsg().getSubject()).startsWith("Report Domain: peer.test Submitter: local.test");
        assertThat(sent.get(0).getMsg().getContentType()).contains("tlsrpt");
        assertThat(sent.get(0).getMsg().getHeader("TLS-Required", null)).isEqualTo("No");

        // Delivering the report mail itself (to the same plain server: a failed session) is not counted.
        Mail report = FakeMail.builder().name("report").sender("tlsrpt-noreply@local.test")
                .recipients("tlsrpt@peer.test").mimeMessage(sent.get(0).getMsg()).build();
        mailet.process(report);
        Mail other = mail("carol@peer.test");
        other.setName("ordinary");
        mailet.writeTlsRptReports(true);
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            assertThat(files.filter(f -> f.toString().endsWith(".json")).count())
                    .as("no report about the report mail's own session").isEqualTo(1);
        }
        // An ordinary mail to the same domain is still counted.
        mailet.process(other);
        mailet.writeTlsRptReports(true);
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            assertThat(files.filter(f -> f.toString().endsWith(".json")).count()).isEqualTo(2);
        }
        mailet.destroy();
    }

    @Test
    void tlsRptRetryDelaysAreValidated(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> mailet("tlsRptRetryDelays", "1m")).hasMessageContaining("parameter 'tlsRptRetryDelays'")
                .hasMessageContaining("tlsRptDirectory");
        assertThatThrownBy(() -> mailet("tlsRptDirectory", dir.toString(), "tlsRptOrganization", "Example",
                "tlsRptContact", "mailto:p@example.com", "tlsRptDomain", "example.com", "tlsRptRetryDelays", "0s"))
                .hasMessageContaining("parameter 'tlsRptRetryDelays'");
        assertThatThrownBy(() -> mailet("tlsRptDirectory", dir.toString(), "tlsRptOrganization", "Example",
                "tlsRptContact", "mailto:p@example.com", "tlsRptDomain", "example.com", "tlsRptRetryDelays", "2d"))
                .hasMessageContaining("parameter 'tlsRptRetryDelays'");
        TlsPolicyDeliveryConfig defaults = TlsPolicyDeliveryConfig.parse(Parameters.of(Map.of("tlsRptDirectory",
                dir.toString(), "tlsRptOrganization", "Example", "tlsRptContact", "mailto:p@example.com",
                "tlsRptDomain", "example.com")));
        assertThat(defaults.tlsRpt().orElseThrow().retryDelays())
                .containsExactly(Duration.ofMinutes(1), Duration.ofMinutes(10), Duration.ofHours(1));
        TlsPolicyDeliveryConfig set = TlsPolicyDeliveryConfig.parse(Parameters.of(Map.of("tlsRptDirectory",
                dir.toString(), "tlsRptOrganization", "Example", "tlsRptContact", "mailto:p@example.com",
                "tlsRptDomain", "example.com", "tlsRptRetryDelays", "5s, 30s")));
        assertThat(set.tlsRpt().orElseThrow().retryDelays()).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(30));
    }

    @Test
    void daneParametersAreValidated(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> mailet("daneDnsServer", "127.0.0.1")).hasMessageContaining("parameter 'daneDnsServer'")
                .hasMessageContaining("dane=true");
        assertThatThrownBy(() -> mailet("dane", "true", "daneDnsServer", "127.0.0.1:99999"))
                .hasMessageContaining("parameter 'daneDnsServer'");
        Path garbage = Files.writeString(dir.resolve("anchors.txt"), "not a DS record\n");
        assertThatThrownBy(() -> mailet("dane", "true", "daneTrustAnchors", garbage.toString()))
                .hasMessageContaining("parameter 'daneTrustAnchors'");
        TlsPolicyDeliveryConfig ok = TlsPolicyDeliveryConfig.parse(Parameters.of(Map.of("dane", "true",
                "daneDnsServer", "192.0.2.53:5353")));
        assertThat(ok.daneDnsServer().orElseThrow().getPort()).isEqualTo(5353);
        assertThat(ok.daneTrustAnchors()).contains("20326");
    }

    @Test
    void mtaStsTxtRecordsFromJamesDnsAreUnquoted() {
        assertThat(DnsServiceMtaStsTxtLookup.unquote("\"v=STSv1; \" \"id=20240101\"")).isEqualTo("v=STSv1; id=20240101");
        assertThat(DnsServiceMtaStsTxtLookup.unquote("\"a\\\"b\\059c\"")).isEqualTo("a\"b;c");
        assertThat(DnsServiceMtaStsTxtLookup.unquote("v=STSv1; id=1")).isEqualTo("v=STSv1; id=1");
    }

    @Test
    void certificateNamesMatchLikeRfc6125() {
        assertThat(PeerTrustManager.matches("mx.example.com", "mx.example.com")).isTrue();
        assertThat(PeerTrustManager.matches("*.example.com", "mx.example.com")).isTrue();
        assertThat(PeerTrustManager.matches("*.example.com", "a.mx.example.com")).isFalse();
        assertThat(PeerTrustManager.matches("*.com", "example.com")).isFalse();
        assertThat(PeerTrustManager.matches("mx.other.com", "mx.example.com")).isFalse();
        assertThat(PeerTrustManager.matches("mx.example.com", ".example.com")).isTrue();
        assertThat(PeerTrustManager.matches("example.com", ".example.com")).isFalse();
    }
}
