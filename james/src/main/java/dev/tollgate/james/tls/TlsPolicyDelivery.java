package dev.tollgate.james.tls;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.mailrepository.api.MailRepositoryStore;
import org.apache.james.mailrepository.api.MailRepositoryUrl;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.queue.api.MailQueueName;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeUtils;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tollgate.core.MailAttributes;
import dev.tollgate.core.audit.AuditEvent;
import dev.tollgate.core.audit.AuditLog;
import dev.tollgate.core.audit.MetricNames;
import dev.tollgate.core.audit.Metrics;
import dev.tollgate.core.state.StateStore;
import dev.tollgate.core.state.memory.InMemoryStateStore;
import dev.tollgate.core.tls.EffectiveTlsPolicy;
import dev.tollgate.core.tls.HttpsMtaStsPolicyFetcher;
import dev.tollgate.core.tls.HttpsTlsRptPoster;
import dev.tollgate.core.tls.MessageTlsOption;
import dev.tollgate.core.tls.MtaStsPolicyCache;
import dev.tollgate.core.tls.TlsFailureReason;
import dev.tollgate.core.tls.TlsPolicyResolver;
import dev.tollgate.core.tls.TlsRptAggregator;
import dev.tollgate.core.tls.TlsRptPolicy;
import dev.tollgate.core.tls.TlsRptReportWriter;
import dev.tollgate.core.tls.TlsTrust;
import dev.tollgate.james.config.ComponentInit;
import dev.tollgate.james.ops.JamesMetrics;
import dev.tollgate.james.state.SharedStateStore;

/**
 * Remote delivery under a per-destination TLS policy: replaces James's {@code RemoteDelivery} in the
 * {@code relay} processor. Configuration ({@link TlsPolicyDeliveryConfig}) is separate from behaviour
 * ({@link MxDeliverer}, this class's queue handling).
 *
 * <p>{@link #service(Mail)} splits the mail per recipient domain and puts each part in Tollgate's own outgoing
 * mail queue ({@code outgoingQueue}), then ghosts the original. Delivery threads take mails from the queue,
 * resolve the {@link EffectiveTlsPolicy} (policy map, then MTA-STS when {@code mtaSts} is on, then the default
 * level; {@code TLS-Required: No} honoured where the policy allows), deliver with {@link MxDeliverer}, and:
 *
 * <ul>
 *   <li>success: done; per-domain counter {@code tollgate_tls_delivery:sent:<domain>};
 *   <li>5xx from the server: bounced at once;
 *   <li>TLS failure or other temporary failure: re-enqueued with the next delay of {@code delays}; after
 *       {@code maxRetries} retries bounced, the DSN's diagnostic naming the precise TLS reason (RFC 8460 vocabulary);
 *   <li>re-enqueueing impossible: stored in {@code errorRepository} (state {@code error}), never dropped.
 * </ul>
 *
 * <p>Bounces go to {@code bounceProcessor} with the {@code delivery-error} attribute that James's {@code DSNBounce}
 * turns into the DSN's Diagnostic-Code, exactly as RemoteDelivery does; without {@code bounceProcessor}, through
 * {@code MailetContext.bounce}. One structured log line per decision, never message content.
 *
 * <p>Thread-safe: one instance serves every spooler thread and its own delivery threads; all state is immutable
 * after {@link #init()} or confined to one delivery.
 */
public class TlsPolicyDelivery extends GenericMailet {
    private static final Logger LOG = LoggerFactory.getLogger(TlsPolicyDelivery.class);
    /** Integer: delivery attempts made so far. */
    static final AttributeName ATTEMPTS = AttributeName.of("dev.tollgate.delivery.attempts");
    /** String: the diagnostic of the last failed attempt. */
    static final AttributeName LAST_ERROR = AttributeName.of("dev.tollgate.delivery.lastError");
    /** String read by James's DSNBounce for the Diagnostic-Code (same name as RemoteDelivery's Bouncer). */
    static final AttributeName DELIVERY_ERROR = AttributeName.of("delivery-error");
    private static final Duration RESUBSCRIBE_DELAY = Duration.ofSeconds(5);

    private final MailQueueFactory<?> queueFactory;
    private final DNSService dns;
    private final MailRepositoryStore repositories;
    private final MetricFactory metrics;
    private final Metrics ops;
    private volatile org.apache.james.metrics.api.GaugeRegistry gauges;

    private volatile TlsPolicyDeliveryConfig config;
    private volatile TlsPolicyResolver resolver;
    private volatile MxDeliverer deliverer;
    private volatile MailQueue queue;
    private volatile QueueConsumer consumer;
    private volatile HttpsMtaStsPolicyFetcher fetcher;
    private volatile TlsRptAggregator tlsRpt;
    private volatile TlsRptReportWriter tlsRptWriter;
    private volatile ScheduledExecutorService tlsRptTimer;
    private volatile HttpsTlsRptPoster tlsRptPoster;
    private volatile TlsTrust tlsRptTrust;
    private volatile org.apache.james.utils.PropertiesProvider stateProperties;
    private volatile org.apache.james.filesystem.api.FileSystem stateFileSystem;
    private volatile com.google.inject.Injector stateInjector;
    /** The MTA-STS policy cache and TLS-RPT counts: the process's shared store, or memory when James injects none. */
    private volatile StateStore state;
    /** True while this thread delivers a TLS-RPT report mail: its sessions are not counted (RFC 8460 §3). */
    private static final ThreadLocal<Boolean> REPORT_DELIVERY = ThreadLocal.withInitial(() -> Boolean.FALSE);

    @Inject
    public TlsPolicyDelivery(MailQueueFactory<?> queueFactory, DNSService dns, MailRepositoryStore repositories,
            MetricFactory metrics) {
        this.queueFactory = queueFactory;
        this.dns = dns;
        this.repositories = repositories;
        this.metrics = metrics;
        this.ops = new JamesMetrics(metrics, new org.apache.james.metrics.api.NoopGaugeRegistry());
        for (TlsFailureReason r : TlsFailureReason.values()) {
            ops.register(Metrics.name(MetricNames.TLS_FAILURE, r.resultType()));
        }
        for (String fetch : new String[] {"ok", TlsFailureReason.STS_POLICY_FETCH_ERROR.code(),
            TlsFailureReason.STS_POLICY_INVALID.code(), TlsFailureReason.STS_WEBPKI_INVALID.code()}) {
            ops.register(Metrics.name(MetricNames.TLS_MTASTS_FETCH, fetch));
        }
        for (dev.tollgate.core.tls.DaneLookupResult.Status st : dev.tollgate.core.tls.DaneLookupResult.Status.values()) {
            ops.register(Metrics.name(MetricNames.TLS_DANE_LOOKUP, st.name()));
        }
    }

    /** James's gauges, for the queue size ({@code tollgate_tls_queue_size}). */
    @Inject
    void gaugeRegistry(org.apache.james.metrics.api.GaugeRegistry registry) {
        this.gauges = registry;
    }

    /**
     * What the process's state store is opened from ({@link SharedStateStore}: {@code conf/tollgate-state.properties}),
     * injected by James whether or not {@code MfaModule} is listed; without it (unit tests) the state stays in memory.
     */
    @Inject
    void stateSource(org.apache.james.utils.PropertiesProvider properties,
            org.apache.james.filesystem.api.FileSystem fileSystem, com.google.inject.Injector injector) {
        this.stateProperties = properties;
        this.stateFileSystem = fileSystem;
        this.stateInjector = injector;
    }

    @Override
    public void init() throws MessagingException {
        config = ComponentInit.mailet(this, TlsPolicyDeliveryConfig::parse);
        if (stateProperties == null) {
            state = InMemoryStateStore.create();
        } else {
            try {
                state = SharedStateStore.get(stateProperties, stateFileSystem, stateInjector);
            } catch (IllegalStateException e) {
                throw new MessagingException(getMailetName() + ": " + e.getMessage(), e);
            }
        }
        TlsTrust trust = ComponentInit.mailetStep(this, config::loadTrust);
        TlsPolicyResolver.Builder policies = TlsPolicyResolver.builder().policyMap(config.policyMap())
                .defaultLevel(config.defaultLevel()).testing(config.mode() == TlsPolicyDeliveryConfig.Mode.TESTING);
        if (config.mtaSts()) {
            // mta-sts.<domain> is resolved by James's DNSService, like the MX hosts (RFC 8461 §3.3).
            fetcher = HttpsMtaStsPolicyFetcher.builder().sslContext(trust.sslContext())
                    .resolver(host -> new ArrayList<>(dns.getAllByName(host))).build();
            HttpsMtaStsPolicyFetcher https = fetcher;
            dev.tollgate.core.tls.MtaStsPolicyFetcher counted = domain -> {
                try {
                    dev.tollgate.core.tls.MtaStsPolicy p = https.fetch(domain);
                    ops.increment(MetricNames.TLS_MTASTS_FETCH, "ok");
                    return p;
                } catch (dev.tollgate.core.tls.TlsPolicyException e) {
                    ops.increment(MetricNames.TLS_MTASTS_FETCH, e.reason().code());
                    throw e;
                }
            };
            policies.mtaSts(new MtaStsPolicyCache(counted, Clock.systemUTC(), state.mtaStsPolicies(), state.describe()),
                    new DnsServiceMtaStsTxtLookup(dns));
        }
        if (config.dane()) {
            dev.tollgate.core.tls.DaneLookup dane = daneLookup(config);
            policies.daneLookup(domain -> {
                dev.tollgate.core.tls.DaneLookupResult r = dane.lookup(domain);
                ops.increment(MetricNames.TLS_DANE_LOOKUP, r.status().name());
                return r;
            });
        }
        resolver = policies.build();
        tlsRptTrust = trust;
        config.tlsRpt().ifPresent(this::startTlsRpt);
        deliverer = new MxDeliverer(config, trust, dns, this::session);
        queue = queueFactory.createQueue(MailQueueName.of(config.outgoingQueue()));
        // James 3.8.1: a WebAdmin listing of an in-memory queue can empty it (see MemoryQueuePin); protect this
        // queue and James's own spool queue, which every incoming mail passes through.
        MemoryQueuePin.pin(queue);
        MemoryQueuePin.pin(queueFactory.createQueue(MailQueueName.of("spool")));
        registerQueueSize(queue);
        consumer = new QueueConsumer(config.deliveryThreads());
        queue.deQueue().subscribe(consumer);
        LOG.info("tollgate.tls.delivery started queue={} defaultLevel={} policyMapEntries={} trustAnchors={} "
                + "maxRetries={} delays={} mtaSts={} dane={} tlsRpt={} state={}", config.outgoingQueue(), config.defaultLevel(),
                config.policyMap().size(), trust.anchors(), config.maxRetries(), config.delays(), config.mtaSts(),
                config.dane(), config.tlsRpt().map(r -> r.directory() + " every " + r.period()).orElse("off"),
                state.describe());
        if (config.mode() == TlsPolicyDeliveryConfig.Mode.TESTING) {
            LOG.warn("tollgate.tls.delivery mode=testing: TLS failures are reported, not enforced "
                    + "(mails delivered opportunistically; REQUIRETLS mails still enforced)");
        } else {
            LOG.info("tollgate.tls.delivery mode=enforce");
        }
    }

    /** A validating resolver at {@code daneDnsServer} (or the system's resolvers) with the configured anchors. */
    private static dev.tollgate.core.tls.DaneLookup daneLookup(TlsPolicyDeliveryConfig config) throws MessagingException {
        try {
            org.xbill.DNS.Resolver head;
            if (config.daneDnsServer().isPresent()) {
                java.net.InetSocketAddress server = config.daneDnsServer().get();
                head = new org.xbill.DNS.SimpleResolver(new java.net.InetSocketAddress(server.getHostString(),
                        server.getPort()));
            } else {
                head = new org.xbill.DNS.ExtendedResolver();
            }
            head.setTimeout(Duration.ofSeconds(10));
            return new dev.tollgate.core.tls.DnsjavaDaneLookup(
                    dev.tollgate.core.tls.DnsjavaDaneLookup.validatingResolver(head, config.daneTrustAnchors()));
        } catch (java.io.IOException e) {
            throw new MessagingException("TlsPolicyDelivery: parameter 'daneDnsServer': cannot set up the resolver", e);
        }
    }

    private void startTlsRpt(TlsPolicyDeliveryConfig.TlsRpt settings) {
        long every = Math.max(1, Math.min(60, settings.period().getSeconds() / 10));
        // A period is reported once every node had time to flush its counts: two runs of the timer and a margin for
        // clock skew between nodes and a slow store.
        tlsRpt = new TlsRptAggregator(Clock.systemUTC(), settings.period(), 100_000, state.tlsRptCounters(), holder(),
                Duration.ofSeconds(2 * every + 5), state.describe());
        tlsRptWriter = new TlsRptReportWriter(settings.directory(), settings.organization(), settings.contact(),
                settings.domain(), name -> new DnsServiceMtaStsTxtLookup(dns).txtRecordsAt(name));
        tlsRptTimer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tollgate-tlsrpt");
            t.setDaemon(true);
            return t;
        });
        tlsRptPoster = new HttpsTlsRptPoster(tlsRptTrust.sslContext(),
                host -> new ArrayList<>(dns.getAllByName(host)), config.connectionTimeout(),
                HttpsTlsRptPoster.MAX_BODY_BYTES);
        tlsRptWriter.onWritten(report -> sendReport(report, settings));
        tlsRptTimer.scheduleWithFixedDelay(() -> writeTlsRptReports(false), every, every, TimeUnit.SECONDS);
    }

    /** @return this process's name for TLS-RPT report leases: host name and a random id, unique per start */
    private static String holder() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "unknown";
        }
        return host + "/" + java.util.UUID.randomUUID();
    }

    /**
     * Sends a written report to every {@code rua} of its domain (RFC 8460 §5.3): {@code mailto:} as a mail from
     * {@code tlsRptSender} (skipped without one), {@code https:} as a POST retried after each of
     * {@code tlsRptRetryDelays}. A report is written once per period and domain; only its sending is retried.
     * Never throws.
     */
    private void sendReport(TlsRptReportWriter.WrittenReport report, TlsPolicyDeliveryConfig.TlsRpt settings) {
        for (java.net.URI rua : report.record().rua()) {
            if ("mailto".equalsIgnoreCase(rua.getScheme())) {
                if (settings.sender().isPresent()) {
                    mailReport(report, rua, settings.sender().get(), settings.domain());
                } else {
                    LOG.warn("tollgate.tls.rpt report for {} not mailed to {}: no tlsRptSender", report.policyDomain(),
                            rua);
                }
            } else if ("https".equalsIgnoreCase(rua.getScheme())) {
                postReport(report, rua, 1, settings.retryDelays());
            }
        }
    }

    /** One POST of a report; schedules the next attempt when the failure may pass. Never throws. */
    private void postReport(TlsRptReportWriter.WrittenReport report, java.net.URI rua, int attempt,
            List<Duration> retryDelays) {
        HttpsTlsRptPoster poster = tlsRptPoster;
        ScheduledExecutorService timer = tlsRptTimer;
        if (poster == null || timer == null) {
            return;
        }
        try {
            HttpsTlsRptPoster.Result result = poster.post(rua, report.json());
            if (result.delivered()) {
                LOG.info("tollgate.tls.rpt report posted policy-domain={} rua={} attempt={} {}", report.policyDomain(),
                        rua, attempt, result);
            } else if (result.retry() && attempt <= retryDelays.size()) {
                Duration delay = retryDelays.get(attempt - 1);
                LOG.warn("tollgate.tls.rpt report post failed policy-domain={} rua={} attempt={} {} retry-in={}s",
                        report.policyDomain(), rua, attempt, result, delay.getSeconds());
                timer.schedule(() -> postReport(report, rua, attempt + 1, retryDelays), delay.toMillis(),
                        TimeUnit.MILLISECONDS);
            } else {
                LOG.warn("tollgate.tls.rpt report post failed policy-domain={} rua={} attempt={} {} given-up",
                        report.policyDomain(), rua, attempt, result);
            }
        } catch (RuntimeException e) {
            LOG.warn("tollgate.tls.rpt report for {} could not be posted to {}", report.policyDomain(), rua, e);
        }
    }

    /**
     * Mails a report to a {@code mailto:} rua (RFC 8460 §5.3.1). The mail carries {@code TLS-Required: No}
     * (RFC 8689 §5), so the destination's own DANE or MTA-STS policy, whose failures it may report, cannot hold
     * it; its delivery sessions are not counted in later reports. Never throws.
     */
    private void mailReport(TlsRptReportWriter.WrittenReport report, java.net.URI rua, String sender,
            String submitter) {
        String to = rua.getSchemeSpecificPart();
        int query = to.indexOf('?');
        to = query < 0 ? to : to.substring(0, query);
        try {
            javax.mail.internet.MimeMessage message = dev.tollgate.core.tls.TlsRptMail.compose(report.json(),
                    report.policyDomain(), submitter, report.reportId(), report.baseName(), sender, to);
            getMailetContext().sendMail(new MailAddress(sender), List.of(new MailAddress(to)), message);
            LOG.info("tollgate.tls.rpt report mailed policy-domain={} to={}", report.policyDomain(), to);
        } catch (MessagingException | RuntimeException e) {
            LOG.warn("tollgate.tls.rpt report for {} could not be mailed to {}", report.policyDomain(), to, e);
        }
    }

    /** Writes the reports of ended periods (or of everything, on shutdown). Never throws. */
    void writeTlsRptReports(boolean all) {
        TlsRptAggregator aggregator = tlsRpt;
        if (aggregator == null) {
            return;
        }
        try {
            tlsRptWriter.write(all ? aggregator.drainAll() : aggregator.drainCompleted());
        } catch (Exception e) {
            LOG.warn("tollgate.tls.rpt reports could not be written to {}",
                    config.tlsRpt().map(TlsPolicyDeliveryConfig.TlsRpt::directory).orElse(null), e);
        }
    }

    /** One TLS session (RFC 8460): a log line for failures, and the TLS-RPT count. */
    private void session(EffectiveTlsPolicy policy, String mx, java.net.InetAddress receivingIp,
            java.net.InetAddress sendingIp, TlsFailureReason failure) {
        try {
            if (failure != null) {
                boolean enforced = policy.enforcesTls()
                        || failure == TlsFailureReason.MX_NOT_PERMITTED && policy.mode() == EffectiveTlsPolicy.Mode.ENFORCE;
                LOG.info("tollgate.tls.session domain={} mx={} ip={} level={} source={} mode={} result={} "
                                + "result-type={} action={}", policy.domain(), mx == null ? "-" : mx,
                        receivingIp == null ? "-" : receivingIp.getHostAddress(), policy.level().postfixName(),
                        policy.source().name().toLowerCase(java.util.Locale.ROOT),
                        policy.mode().name().toLowerCase(java.util.Locale.ROOT), failure.code(), failure.resultType(),
                        enforced ? "defer" : "report-only");
            }
            TlsRptAggregator aggregator = tlsRpt;
            // A store outage is Tollgate's own failure, not a session with the destination: not reported to it.
            if (aggregator != null && !REPORT_DELIVERY.get() && failure != TlsFailureReason.STATE_UNAVAILABLE) {
                TlsRptPolicy key = TlsRptPolicy.of(policy);
                if (failure == null) {
                    aggregator.recordSuccess(key);
                } else {
                    aggregator.recordFailure(key, failure, sendingIp == null ? null : sendingIp.getHostAddress(), mx,
                            receivingIp == null ? null : receivingIp.getHostAddress());
                }
            }
        } catch (RuntimeException e) {
            LOG.debug("TLS session accounting failed", e);
        }
    }

    @Override
    public void destroy() {
        QueueConsumer c = consumer;
        if (c != null) {
            c.stop();
        }
        ScheduledExecutorService timer = tlsRptTimer;
        if (timer != null) {
            timer.shutdownNow();
            writeTlsRptReports(true);
        }
        HttpsMtaStsPolicyFetcher f = fetcher;
        if (f != null) {
            f.close();
        }
        HttpsTlsRptPoster poster = tlsRptPoster;
        if (poster != null) {
            poster.close();
        }
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        Map<String, List<MailAddress>> byDomain = new LinkedHashMap<>();
        for (MailAddress rcpt : mail.getRecipients()) {
            byDomain.computeIfAbsent(rcpt.getDomain().asString(), d -> new ArrayList<>()).add(rcpt);
        }
        for (Map.Entry<String, List<MailAddress>> group : byDomain.entrySet()) {
            Mail part = mail.duplicate();
            part.setRecipients(group.getValue());
            part.setAttribute(new Attribute(ATTEMPTS, AttributeValue.of(0)));
            try {
                queue.enQueue(part, Duration.ZERO);
            } catch (MailQueue.MailQueueException | RuntimeException e) {
                storeInErrorRepository(part, "enqueue into " + config.outgoingQueue() + " failed");
                continue;
            }
            // The queue keeps its own copy (cloned or serialized): release ours.
            LifecycleUtil.dispose(part);
        }
        mail.setState(Mail.GHOST);
    }

    /** Takes one mail from the queue through one delivery attempt and its consequences. Never throws. */
    void process(Mail mail) {
        int attempt = AttributeUtils.getValueAndCastFromMail(mail, ATTEMPTS, Integer.class).orElse(0) + 1;
        mail.setAttribute(new Attribute(ATTEMPTS, AttributeValue.of(attempt)));
        String domain = mail.getRecipients().isEmpty() ? "" : mail.getRecipients().iterator().next().getDomain().asString();
        EffectiveTlsPolicy policy;
        DeliveryResult result;
        REPORT_DELIVERY.set(isTlsRptReport(mail));
        try {
            policy = resolver.resolve(domain, option(mail));
            try (Metrics.Timer t = ops.timer(MetricNames.TLS_DELIVERY_ATTEMPT)) {
                result = deliverer.deliver(mail, policy);
            }
        } catch (IllegalArgumentException e) {
            decision(mail, domain, null, attempt, DeliveryResult.permanent("550 5.1.2 invalid destination domain", null), "bounce");
            bounce(mail, mail.getRecipients(), "550 5.1.2 invalid destination domain");
            return;
        } catch (RuntimeException e) {
            LOG.error("tollgate.tls.delivery unexpected failure mail={} domain={}", mail.getName(), domain, e);
            result = DeliveryResult.temporary("451 4.3.0 local error during delivery", null);
            policy = null;
        } finally {
            REPORT_DELIVERY.remove();
        }
        count(mail, domain, policy, result);
        switch (result.kind()) {
            case SENT:
                decision(mail, domain, policy, attempt, result, "done");
                return;
            case PERMANENT:
                decision(mail, domain, policy, attempt, result, "bounce");
                bounce(mail, mail.getRecipients(), result.diagnostic());
                return;
            default:
                break;
        }
        List<MailAddress> remaining = new ArrayList<>(mail.getRecipients());
        remaining.removeAll(result.delivered());
        remaining.removeAll(result.rejected());
        if (!result.rejected().isEmpty()) {
            bounce(mail, result.rejected(), result.diagnostic());
        }
        if (remaining.isEmpty()) {
            decision(mail, domain, policy, attempt, result, "done-partial");
            return;
        }
        mail.setRecipients(remaining);
        String diagnostic = finalDiagnostic(policy, result);
        mail.setAttribute(new Attribute(LAST_ERROR, AttributeValue.of(diagnostic)));
        if (attempt > config.maxRetries()) {
            decision(mail, domain, policy, attempt, result, "bounce-after-retries");
            bounce(mail, remaining, diagnostic);
            return;
        }
        Duration delay = config.delayBeforeRetry(attempt);
        decision(mail, domain, policy, attempt, result, "retry-in-" + delay.toMillis() + "ms");
        try {
            queue.enQueue(mail, delay);
        } catch (MailQueue.MailQueueException | RuntimeException e) {
            storeInErrorRepository(mail, "re-enqueue after " + result.label() + " failed");
        }
    }

    /** The DSN diagnostic: a TLS failure names its precise reason. */
    static String finalDiagnostic(EffectiveTlsPolicy policy, DeliveryResult result) {
        if (result.tlsReason().isPresent()) {
            return "550 5.7.10 TLS policy " + (policy == null ? "?" : policy.level().postfixName()) + " for "
                    + (policy == null ? "?" : policy.domain()) + " not met at " + result.mxHost() + ": "
                    + result.tlsReason().get().code() + " (" + result.tlsReason().get().diagnostic() + ")";
        }
        return result.diagnostic();
    }

    /** @return whether the mail is a TLS-RPT report this mailet sent: from {@code tlsRptSender}, with its header */
    private boolean isTlsRptReport(Mail mail) {
        Optional<String> sender = config.tlsRpt().flatMap(TlsPolicyDeliveryConfig.TlsRpt::sender);
        if (sender.isEmpty() || !mail.getMaybeSender().asOptional()
                .map(s -> s.asString().equalsIgnoreCase(sender.get())).orElse(false)) {
            return false;
        }
        try {
            return mail.getMessage() != null && mail.getMessage().getHeader("TLS-Report-Domain") != null;
        } catch (MessagingException e) {
            return false;
        }
    }

    /** Set by {@code RequireTlsExtension} when the mail arrived with {@code MAIL FROM ... REQUIRETLS} (RFC 8689). */
    private static final AttributeName REQUIRETLS = AttributeName.of(MailAttributes.REQUIRETLS);

    private static MessageTlsOption option(Mail mail) {
        try {
            boolean requireTls = mail.getAttribute(REQUIRETLS).flatMap(a -> a.getValue().valueAs(Boolean.class))
                    .orElse(Boolean.FALSE);
            String[] header = mail.getMessage() == null ? null : mail.getMessage().getHeader("TLS-Required");
            return MessageTlsOption.of(requireTls, header == null || header.length == 0 ? null : header[0]);
        } catch (MessagingException e) {
            return MessageTlsOption.DEFAULT;
        }
    }

    private void decision(Mail mail, String domain, EffectiveTlsPolicy policy, int attempt, DeliveryResult result,
            String action) {
        LOG.info("tollgate.tls.delivery mail={} domain={} level={} source={} mode={} attempt={} mx={} result={} action={} "
                        + "diagnostic=\"{}\"", mail.getName(), domain,
                policy == null ? "-" : policy.level().postfixName(),
                policy == null ? "-" : policy.source().name().toLowerCase(java.util.Locale.ROOT),
                policy == null ? "-" : policy.mode().name().toLowerCase(java.util.Locale.ROOT),
                attempt, result.mxHost(), result.label(), action, result.diagnostic());
    }

    /** {@code tollgate_tls_delivery:<level>:<outcome>}, {@code tollgate_tls_failure:<result type>} and one audit line. */
    private void count(Mail mail, String domain, EffectiveTlsPolicy policy, DeliveryResult result) {
        String level = policy == null ? "none" : policy.level().postfixName();
        ops.increment(MetricNames.TLS_DELIVERY, level, result.label());
        result.tlsReason().ifPresent(r -> ops.increment(MetricNames.TLS_FAILURE, r.resultType()));
        AuditLog.write(AuditEvent.of("tls", result.kind() == DeliveryResult.Kind.SENT ? "sent"
                        : result.kind() == DeliveryResult.Kind.PERMANENT ? "bounce" : "defer")
                .user(mail.getMaybeSender().asOptional().map(MailAddress::asString).orElse("<>"))
                .client(result.mxHost()).messageId(messageId(mail)).reason(result.label())
                .rules(result.tlsReason().map(r -> List.of(r.resultType())).orElse(List.of()))
                .detail("domain", domain).detail("level", level)
                .detail("source", policy == null ? null : policy.source().name().toLowerCase(java.util.Locale.ROOT))
                .detail("mode", policy == null ? null : policy.mode().name().toLowerCase(java.util.Locale.ROOT))
                .detail("mail", mail.getName()));
    }

    /** The gauge {@code tollgate_tls_queue_size}, when James's queue can count its mails. */
    private void registerQueueSize(MailQueue q) {
        org.apache.james.metrics.api.GaugeRegistry g = gauges;
        if (g != null && q instanceof org.apache.james.queue.api.ManageableMailQueue) {
            org.apache.james.queue.api.ManageableMailQueue counted = (org.apache.james.queue.api.ManageableMailQueue) q;
            new JamesMetrics(metrics, g).gauge(MetricNames.TLS_QUEUE_SIZE, () -> {
                try {
                    return counted.getSize();
                } catch (Exception e) {
                    return -1;
                }
            });
        }
    }

    private static String messageId(Mail mail) {
        try {
            return mail.getMessage() == null ? null : mail.getMessage().getMessageID();
        } catch (MessagingException e) {
            return null;
        }
    }

    private void bounce(Mail mail, java.util.Collection<MailAddress> recipients, String diagnostic) {
        Mail bounce;
        try {
            bounce = mail.duplicate();
            bounce.setRecipients(new ArrayList<>(recipients));
            bounce.setAttribute(new Attribute(DELIVERY_ERROR, AttributeValue.of(diagnostic)));
            bounce.setErrorMessage(diagnostic);
            Optional<String> processor = config.bounceProcessor();
            if (processor.isPresent()) {
                getMailetContext().sendMail(bounce, processor.get());
            } else {
                getMailetContext().bounce(bounce, "Delivery failed: " + diagnostic);
            }
            // The spool keeps its own copy: release ours.
            LifecycleUtil.dispose(bounce);
        } catch (MessagingException | RuntimeException e) {
            LOG.warn("tollgate.tls.delivery bounce failed mail={}", mail.getName(), e);
            storeInErrorRepository(mail, "bounce failed");
        }
    }

    /**
     * Last resort: the mail goes to {@code errorRepository}.
     *
     * @throws IllegalStateException when even that fails, so the queue item is not acknowledged
     */
    void storeInErrorRepository(Mail mail, String why) {
        try {
            mail.setState(Mail.ERROR);
            mail.setErrorMessage("Tollgate TlsPolicyDelivery: " + why);
            repositories.select(MailRepositoryUrl.from(config.errorRepository())).store(mail);
            ops.increment(MetricNames.TLS_DELIVERY, "none", "error_repository");
            LOG.warn("tollgate.tls.delivery mail={} action=error-repository repository={} why=\"{}\"", mail.getName(),
                    config.errorRepository(), why);
        } catch (Exception e) {
            LOG.error("tollgate.tls.delivery mail={} could not be stored in {}", mail.getName(), config.errorRepository(), e);
            throw new IllegalStateException("mail " + mail.getName() + " could be neither queued nor stored", e);
        }
    }

    @Override
    public String getMailetInfo() {
        return "Tollgate TlsPolicyDelivery: remote delivery under per-destination TLS policy";
    }

    /** Pulls from the queue with back-pressure: at most {@code threads} mails in delivery at once. */
    private final class QueueConsumer implements Subscriber<MailQueue.MailQueueItem> {
        private final ExecutorService pool;
        private final ScheduledExecutorService retry = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tollgate-delivery-resubscribe");
            t.setDaemon(true);
            return t;
        });
        private volatile Subscription subscription;
        private volatile boolean stopped;

        QueueConsumer(int threads) {
            AtomicInteger n = new AtomicInteger();
            ThreadFactory factory = r -> {
                Thread t = new Thread(r, "tollgate-delivery-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
            this.pool = Executors.newFixedThreadPool(threads, factory);
        }

        @Override
        public void onSubscribe(Subscription s) {
            subscription = s;
            s.request(config.deliveryThreads());
        }

        @Override
        public void onNext(MailQueue.MailQueueItem item) {
            pool.execute(() -> {
                try {
                    handle(item);
                } finally {
                    Subscription s = subscription;
                    if (!stopped && s != null) {
                        s.request(1);
                    }
                }
            });
        }

        private void handle(MailQueue.MailQueueItem item) {
            try {
                process(item.getMail());
                item.done(MailQueue.MailQueueItem.CompletionStatus.SUCCESS);
                // Delivered, bounced, re-queued as a new copy or stored: the dequeued copy is no longer needed.
                LifecycleUtil.dispose(item.getMail());
            } catch (Throwable t) {
                LOG.error("tollgate.tls.delivery item left in the queue for retry", t);
                try {
                    item.done(MailQueue.MailQueueItem.CompletionStatus.RETRY);
                } catch (Exception e) {
                    LOG.error("tollgate.tls.delivery could not hand the item back to the queue", e);
                }
            }
        }

        @Override
        public void onError(Throwable t) {
            LOG.error("tollgate.tls.delivery queue consumer stopped by an error; resubscribing", t);
            resubscribe();
        }

        @Override
        public void onComplete() {
            resubscribe();
        }

        /** Subscribes again after a pause, so a queue that keeps failing does not spin. */
        private void resubscribe() {
            if (!stopped) {
                MailQueue q = queue;
                retry.schedule(() -> {
                    if (!stopped) {
                        q.deQueue().subscribe(this);
                    }
                }, RESUBSCRIBE_DELAY.toMillis(), TimeUnit.MILLISECONDS);
            }
        }

        void stop() {
            stopped = true;
            Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
            pool.shutdownNow();
            retry.shutdownNow();
        }
    }
}
