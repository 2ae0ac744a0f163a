package dev.tollgate.james.tls;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import dev.tollgate.core.config.AbstractComponentSpec;
import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.Parameters;
import dev.tollgate.core.tls.TlsPolicyEntry;
import dev.tollgate.core.tls.TlsPolicyMap;
import dev.tollgate.core.tls.TlsSecurityLevel;
import dev.tollgate.core.tls.TlsTrust;
import dev.tollgate.core.tls.TrustStoreType;

/**
 * Configuration of {@link TlsPolicyDelivery}, validated once at James startup (and by
 * {@code tollgate check-config}). Immutable and thread-safe. Parameters, defaults and errors are documented
 * in {@code docs/reference/TlsPolicyDelivery.md}.
 */
public final class TlsPolicyDeliveryConfig {
    /** JSSE protocol names, weakest first. */
    static final List<String> PROTOCOLS = TlsPolicyMap.TLS_PROTOCOLS;
    static final String DEFAULT_QUEUE = "tollgate-outgoing";
    static final String DEFAULT_ERROR_REPOSITORY = "memory://var/mail/tollgate-delivery-error/";
    static final List<Duration> DEFAULT_TLSRPT_RETRY_DELAYS = List.of(Duration.ofMinutes(1), Duration.ofMinutes(10),
            Duration.ofHours(1));
    static final List<Duration> DEFAULT_DELAYS = List.of(Duration.ofMinutes(5), Duration.ofMinutes(15),
            Duration.ofHours(1), Duration.ofHours(4));
    static final Set<String> PARAMETERS = Set.of("policyMap", "policyMapFile", "defaultLevel", "trustStore",
            "trustStoreType", "trustStorePassword", "useJvmTrustStore", "minimumProtocol", "ciphers", "outgoingQueue",
            "delays", "maxRetries", "bounceProcessor", "errorRepository", "deliveryThreads", "connectionTimeout",
            "timeout", "heloName", "port", "mtaSts", "tlsRptDirectory", "tlsRptOrganization", "tlsRptContact",
            "tlsRptDomain", "tlsRptPeriod", "tlsRptSender", "tlsRptRetryDelays", "dane", "daneDnsServer", "daneTrustAnchors", "mode");
    private static final Pattern DOMAIN = Pattern.compile("(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+");
    private static final Pattern REPOSITORY_URL = Pattern.compile("[a-z][a-z0-9+.-]*://\\S+");
    private static final Pattern QUEUE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    private static final Pattern PROCESSOR_NAME = Pattern.compile("[a-z0-9._-]{1,100}");

    /** Whether TLS failures stop delivery ({@code enforce}) or are only reported ({@code testing}). */
    public enum Mode {
        /** Failures to meet the resolved level defer the mail. */
        ENFORCE,
        /**
         * Report only: every session is checked as the resolved level would check it, failures are logged and
         * counted (TLS-RPT), the mail is delivered opportunistically; REQUIRETLS mails stay enforced.
         */
        TESTING
    }

    private final TlsPolicyMap policyMap;
    private final TlsSecurityLevel defaultLevel;
    private final Optional<Path> trustStore;
    private final TrustStoreType trustStoreType;
    private final char[] trustStorePassword;
    private final boolean useJvmTrustStore;
    private final String minimumProtocol;
    private final List<String> ciphers;
    private final String outgoingQueue;
    private final List<Duration> delays;
    private final int maxRetries;
    private final Optional<String> bounceProcessor;
    private final String errorRepository;
    private final int deliveryThreads;
    private final Duration connectionTimeout;
    private final Duration timeout;
    private final Optional<String> heloName;
    private final int port;
    private final boolean mtaSts;
    private final Mode mode;
    private final Optional<TlsRpt> tlsRpt;
    private final boolean dane;
    private final Optional<java.net.InetSocketAddress> daneDnsServer;
    private final String daneTrustAnchors;

    /** Where and as whom TLS-RPT reports (RFC 8460) are written; present only when {@code tlsRptDirectory} is set. */
    public static final class TlsRpt {
        private final Path directory;
        private final String organization;
        private final String contact;
        private final String domain;
        private final Duration period;
        private final Optional<String> sender;
        private final List<Duration> retryDelays;

        TlsRpt(Path directory, String organization, String contact, String domain, Duration period,
                Optional<String> sender, List<Duration> retryDelays) {
            this.sender = sender;
            this.retryDelays = retryDelays;
            this.directory = directory;
            this.organization = organization;
            this.contact = contact;
            this.domain = domain;
            this.period = period;
        }

        /** @return the directory report files are written to */
        public Path directory() {
            return directory;
        }

        /** @return the {@code organization-name} of the reports */
        public String organization() {
            return organization;
        }

        /** @return the {@code contact-info} of the reports */
        public String contact() {
            return contact;
        }

        /** @return this organisation's domain (first part of report file names) */
        public String domain() {
            return domain;
        }

        /** @return the envelope sender and From of report mails; empty: reports are only written to files */
        public Optional<String> sender() {
            return sender;
        }

        /** @return the waits before each retry of an {@code https:} report POST; its size is the number of retries */
        public List<Duration> retryDelays() {
            return retryDelays;
        }

        /** @return the reporting period: one day, or shorter for tests */
        public Duration period() {
            return period;
        }
    }

    private TlsPolicyDeliveryConfig(Parameters p) {
        p.requireKnown(PARAMETERS);
        TlsPolicyMap inline = p.optional("policyMap")
                .map(text -> TlsPolicyMap.parse(text.replace(';', '\n'), "policyMap")).orElse(null);
        TlsPolicyMap file = p.optional("policyMapFile")
                .map(f -> TlsPolicyMap.load(resolve(f), "policyMapFile")).orElse(null);
        if (inline != null && file != null) {
            throw new ConfigException("policyMapFile", "give either policyMap or policyMapFile, not both");
        }
        this.policyMap = inline != null ? inline : file != null ? file : TlsPolicyMap.empty();
        TlsSecurityLevel level = TlsSecurityLevel.parse(p.string("defaultLevel", "may"), "defaultLevel");
        if (level.usesDane() || level == TlsSecurityLevel.MTA_STS) {
            throw new ConfigException("defaultLevel", "must be none, may, encrypt or verify "
                    + "(dane, dane-only and mta-sts need per-domain data: use the policy map)");
        }
        this.defaultLevel = level;
        this.trustStore = p.optional("trustStore").map(TlsPolicyDeliveryConfig::resolve);
        this.trustStoreType = p.enumValue("trustStoreType", TrustStoreType.class,
                trustStore.map(TlsPolicyDeliveryConfig::guessType).orElse(TrustStoreType.PEM));
        this.trustStorePassword = p.string("trustStorePassword", "").toCharArray();
        this.useJvmTrustStore = p.bool("useJvmTrustStore", true);
        if (!useJvmTrustStore && trustStore.isEmpty()) {
            throw new ConfigException("useJvmTrustStore", "false requires a trustStore: no certificate could be verified");
        }
        this.minimumProtocol = protocol(p.string("minimumProtocol", "TLSv1.2"));
        String mapParameter = file != null ? "policyMapFile" : "policyMap";
        policyMap.checkProtocols(minimumProtocol, mapParameter);
        this.ciphers = ciphers(p.list("ciphers"));
        checkCipherGrades(policyMap, ciphers, mapParameter);
        this.outgoingQueue = p.string("outgoingQueue", DEFAULT_QUEUE);
        if (!QUEUE_NAME.matcher(outgoingQueue).matches()) {
            throw new ConfigException("outgoingQueue", "must be 1 to 100 letters, digits, '.', '_' or '-'");
        }
        this.delays = delays(p);
        this.maxRetries = p.intInRange("maxRetries", 5, 0, 1000);
        this.bounceProcessor = p.optional("bounceProcessor");
        bounceProcessor.ifPresent(name -> {
            if (!PROCESSOR_NAME.matcher(name).matches()) {
                throw new ConfigException("bounceProcessor", "must be a lower-case processor name");
            }
        });
        this.errorRepository = p.string("errorRepository", DEFAULT_ERROR_REPOSITORY);
        if (!REPOSITORY_URL.matcher(errorRepository).matches()) {
            throw new ConfigException("errorRepository", "must be a mail repository URL such as " + DEFAULT_ERROR_REPOSITORY);
        }
        this.deliveryThreads = p.intInRange("deliveryThreads", 4, 1, 256);
        this.connectionTimeout = positive(p, "connectionTimeout", Duration.ofSeconds(60));
        this.timeout = positive(p, "timeout", Duration.ofMinutes(3));
        this.heloName = p.optional("heloName");
        this.port = p.intInRange("port", 25, 1, 65535);
        this.mtaSts = p.bool("mtaSts", true);
        this.mode = p.enumValue("mode", Mode.class, Mode.ENFORCE);
        this.tlsRpt = tlsRpt(p);
        this.dane = p.bool("dane", false);
        if (!dane) {
            for (String name : List.of("daneDnsServer", "daneTrustAnchors")) {
                if (p.optional(name).isPresent()) {
                    throw new ConfigException(name, "has no effect without dane=true");
                }
            }
        }
        this.daneDnsServer = p.optional("daneDnsServer").map(TlsPolicyDeliveryConfig::server);
        this.daneTrustAnchors = p.optional("daneTrustAnchors").map(TlsPolicyDeliveryConfig::anchors)
                .orElse(dev.tollgate.core.tls.DnsjavaDaneLookup.IANA_ROOT_ANCHORS);
    }

    private static java.net.InetSocketAddress server(String value) {
        String host = value.trim();
        int port = 53;
        int colon = host.lastIndexOf(':');
        if (colon > 0 && host.indexOf(':') == colon) {
            try {
                port = Integer.parseInt(host.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new ConfigException("daneDnsServer", "bad port in " + value);
            }
            host = host.substring(0, colon);
        }
        if (host.isEmpty() || port < 1 || port > 65535) {
            throw new ConfigException("daneDnsServer", "must be host or host:port");
        }
        return java.net.InetSocketAddress.createUnresolved(host, port);
    }

    private static String anchors(String file) {
        Path path = resolve(file);
        try {
            String text = java.nio.file.Files.readString(path, java.nio.charset.StandardCharsets.US_ASCII);
            dev.tollgate.core.tls.DnsjavaDaneLookup.validatingResolver(new org.xbill.DNS.SimpleResolver(
                    java.net.InetAddress.getLoopbackAddress()), text);
            return text;
        } catch (java.io.IOException | RuntimeException e) {
            throw new ConfigException("daneTrustAnchors", "cannot read DS/DNSKEY trust anchors from " + path
                    + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static Optional<TlsRpt> tlsRpt(Parameters p) {
        Optional<String> directory = p.optional("tlsRptDirectory");
        if (directory.isEmpty()) {
            for (String name : List.of("tlsRptOrganization", "tlsRptContact", "tlsRptDomain", "tlsRptPeriod",
                    "tlsRptSender", "tlsRptRetryDelays")) {
                if (p.optional(name).isPresent()) {
                    throw new ConfigException(name, "has no effect without tlsRptDirectory");
                }
            }
            return Optional.empty();
        }
        String organization = p.required("tlsRptOrganization");
        String contact = p.required("tlsRptContact");
        String domain = p.required("tlsRptDomain");
        if (domain.length() > 253 || !DOMAIN.matcher(domain).matches()) {
            throw new ConfigException("tlsRptDomain", "must be a domain name such as example.com");
        }
        Duration period = p.duration("tlsRptPeriod", Duration.ofDays(1));
        long seconds = period.getSeconds();
        if (period.getNano() != 0 || seconds < 10 || Duration.ofDays(1).getSeconds() % seconds != 0) {
            throw new ConfigException("tlsRptPeriod", "must be whole seconds, at least 10s, dividing one day "
                    + "(RFC 8460 reports cover one UTC day: 1d)");
        }
        Optional<String> sender = p.optional("tlsRptSender");
        sender.ifPresent(address -> {
            try {
                javax.mail.internet.InternetAddress parsed = new javax.mail.internet.InternetAddress(address, true);
                if (!parsed.getAddress().equals(address) || !address.contains("@")) {
                    throw new javax.mail.internet.AddressException("not a bare address");
                }
            } catch (javax.mail.internet.AddressException e) {
                throw new ConfigException("tlsRptSender", "must be an e-mail address such as tlsrpt-noreply@example.com");
            }
        });
        List<Duration> retryDelays = durations(p, "tlsRptRetryDelays", DEFAULT_TLSRPT_RETRY_DELAYS, 10);
        return Optional.of(new TlsRpt(resolve(directory.get()), organization, contact,
                domain.toLowerCase(Locale.ROOT), period, sender, retryDelays));
    }

    /**
     * @throws ConfigException naming the first bad parameter
     */
    public static TlsPolicyDeliveryConfig parse(Parameters parameters) {
        return new TlsPolicyDeliveryConfig(parameters);
    }

    /** Relative paths are resolved against James's working directory ({@code working.directory}). */
    static Path resolve(String path) {
        Path p = Paths.get(path.startsWith("file://") ? path.substring("file://".length()) : path);
        if (p.isAbsolute()) {
            return p;
        }
        String workingDirectory = System.getProperty("working.directory");
        return workingDirectory == null ? p : Paths.get(workingDirectory).resolve(p);
    }

    private static TrustStoreType guessType(Path path) {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".p12") || name.endsWith(".pfx") || name.endsWith(".pkcs12")
                ? TrustStoreType.PKCS12 : TrustStoreType.PEM;
    }

    private static String protocol(String value) {
        for (String p : PROTOCOLS) {
            if (p.equalsIgnoreCase(value)) {
                return p;
            }
        }
        throw new ConfigException("minimumProtocol", "must be one of " + PROTOCOLS);
    }

    /** Every name must be a cipher suite this JVM supports: an unknown name would be silently dropped. */
    private static List<String> ciphers(List<String> names) {
        if (names.isEmpty()) {
            return names;
        }
        Set<String> supported = Set.of(defaultContext().getSupportedSSLParameters().getCipherSuites());
        for (String name : names) {
            if (!supported.contains(name)) {
                throw new ConfigException("ciphers", "'" + name + "' is not a cipher suite this JVM supports "
                        + "(unknown, or disabled by jdk.tls.disabledAlgorithms; JSSE names such as "
                        + "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)");
            }
        }
        return List.copyOf(names);
    }

    private static void checkCipherGrades(TlsPolicyMap map, List<String> ciphers, String parameter) {
        checkCipherGrades(map, ciphers.isEmpty()
                ? List.of(defaultContext().getDefaultSSLParameters().getCipherSuites()) : ciphers,
                !ciphers.isEmpty(), parameter);
    }

    /**
     * A {@code ciphers=} grade that leaves none of the candidate suites would make every connection to that
     * destination fail: refused at startup, naming the entry.
     */
    static void checkCipherGrades(TlsPolicyMap map, List<String> candidates, boolean configured, String parameter) {
        List<TlsPolicyEntry> entries = new ArrayList<>(map.entries());
        entries.sort(java.util.Comparator.comparing(TlsPolicyEntry::pattern));
        for (TlsPolicyEntry e : entries) {
            if (e.ciphers().isPresent() && e.ciphers().get().filter(candidates).stream()
                    .allMatch(c -> c.endsWith("_SCSV"))) {
                throw new ConfigException(parameter, "entry " + e.pattern() + ": ciphers=" + e.ciphers().get()
                        + " leaves none of the " + (configured ? "configured" : "JVM's default")
                        + " cipher suites (see parameter ciphers)");
            }
        }
    }

    private static javax.net.ssl.SSLContext defaultContext() {
        try {
            return javax.net.ssl.SSLContext.getDefault();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("no default TLS context in this JVM", e);
        }
    }

    /** A comma-separated list of positive durations, at most {@code max}; the default when absent. */
    private static List<Duration> durations(Parameters p, String name, List<Duration> def, int max) {
        List<String> items = p.list(name);
        if (items.isEmpty()) {
            return def;
        }
        if (items.size() > max) {
            throw new ConfigException(name, "at most " + max + " delays");
        }
        List<Duration> out = new ArrayList<>();
        for (String item : items) {
            Duration d = Parameters.of(java.util.Map.of(name, item)).duration(name, null);
            if (d.isZero() || d.compareTo(Duration.ofDays(1)) > 0) {
                throw new ConfigException(name, "each delay must be positive and at most 1d");
            }
            out.add(d);
        }
        return Collections.unmodifiableList(out);
    }

    private static List<Duration> delays(Parameters p) {
        List<String> items = p.list("delays");
        if (items.isEmpty()) {
            return DEFAULT_DELAYS;
        }
        List<Duration> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Duration d = Parameters.of(java.util.Map.of("delays", items.get(i))).duration("delays", null);
            if (d.isZero()) {
                throw new ConfigException("delays", "delays must be positive");
            }
            out.add(d);
        }
        return Collections.unmodifiableList(out);
    }

    private static Duration positive(Parameters p, String name, Duration def) {
        Duration d = p.duration(name, def);
        if (d.isZero() || d.toMillis() > Integer.MAX_VALUE) {
            throw new ConfigException(name, "must be a positive duration below 24 days");
        }
        return d;
    }

    /** @return the per-destination policy table (empty when none configured) */
    public TlsPolicyMap policyMap() {
        return policyMap;
    }

    /** @return the level for destinations the map does not name */
    public TlsSecurityLevel defaultLevel() {
        return defaultLevel;
    }

    /** @return the extra trust anchors file, if any */
    public Optional<Path> trustStore() {
        return trustStore;
    }

    /** @return how {@link #trustStore()} is read */
    public TrustStoreType trustStoreType() {
        return trustStoreType;
    }

    /**
     * @return the trust anchors these settings name, loaded now
     * @throws dev.tollgate.core.config.ConfigException naming {@code trustStore} when the file cannot be used
     */
    public TlsTrust loadTrust() {
        char[] password = trustStorePassword.clone();
        try {
            return TlsTrust.load(useJvmTrustStore, trustStore, trustStoreType, password);
        } finally {
            java.util.Arrays.fill(password, '\0');
        }
    }

    /** @return whether the JVM's default CAs are trusted too */
    public boolean useJvmTrustStore() {
        return useJvmTrustStore;
    }

    /** @return the lowest TLS version offered; a policy map entry can only raise it */
    public String minimumProtocol() {
        return minimumProtocol;
    }

    /**
     * @return the protocol versions a connection under {@code policy} may use: those at or above
     *     {@link #minimumProtocol()}, narrowed by the policy map entry's {@code protocols=} when the policy
     *     comes from the map ({@link TlsPolicyEntry#allowedProtocols(String)})
     */
    List<String> protocolsFor(dev.tollgate.core.tls.EffectiveTlsPolicy policy) {
        return policy.mapEntry().map(e -> e.allowedProtocols(minimumProtocol))
                .orElseGet(() -> PROTOCOLS.subList(PROTOCOLS.indexOf(minimumProtocol), PROTOCOLS.size()));
    }

    /**
     * @return JSSE cipher suite names to enable, each supported by this JVM; empty means the JVM's defaults. A
     *     policy map entry's {@code ciphers=} grade narrows them per destination
     */
    public List<String> ciphers() {
        return ciphers;
    }

    /** @return the name of Tollgate's own outgoing mail queue */
    public String outgoingQueue() {
        return outgoingQueue;
    }

    /** @return the delay before retry n (1-based) is the n-th element, the last one repeating */
    public List<Duration> delays() {
        return delays;
    }

    /** @return the delay before retry {@code retry} (1-based) */
    public Duration delayBeforeRetry(int retry) {
        return delays.get(Math.min(Math.max(retry, 1), delays.size()) - 1);
    }

    /** @return how many retries follow the first attempt before the mail is bounced */
    public int maxRetries() {
        return maxRetries;
    }

    /** @return the processor bounces are sent to (as RemoteDelivery's), or empty for the mailet context's bounce */
    public Optional<String> bounceProcessor() {
        return bounceProcessor;
    }

    /** @return where a mail goes when it can be neither delivered nor re-enqueued */
    public String errorRepository() {
        return errorRepository;
    }

    /** @return how many deliveries run in parallel */
    public int deliveryThreads() {
        return deliveryThreads;
    }

    /** @return the TCP connect timeout */
    public Duration connectionTimeout() {
        return connectionTimeout;
    }

    /** @return the SMTP read timeout */
    public Duration timeout() {
        return timeout;
    }

    /** @return the EHLO name, or empty for the host's name */
    public Optional<String> heloName() {
        return heloName;
    }

    /** @return the TCP port of the MX hosts (25; other values are for tests) */
    public int port() {
        return port;
    }

    /** @return whether MTA-STS policies (RFC 8461) are looked up for destinations the policy map does not name */
    public boolean mtaSts() {
        return mtaSts;
    }

    /** @return {@code enforce} (default) or {@code testing} (failures reported, not enforced) */
    public Mode mode() {
        return mode;
    }

    /** @return whether DANE (RFC 7672) is looked up for destinations the map does not name */
    public boolean dane() {
        return dane;
    }

    /** @return the DNS server DANE queries go to (must answer with DNSSEC records), empty for the system's */
    public Optional<java.net.InetSocketAddress> daneDnsServer() {
        return daneDnsServer;
    }

    /** @return the DNSSEC trust anchors (DS or DNSKEY records, zone-file form) */
    public String daneTrustAnchors() {
        return daneTrustAnchors;
    }

    /** @return the TLS-RPT settings, empty when reports are off */
    public Optional<TlsRpt> tlsRpt() {
        return tlsRpt;
    }

    /** Lets {@code tollgate check-config} validate {@code TlsPolicyDelivery} as James would. */
    public static final class Spec extends AbstractComponentSpec {
        public Spec() {
            super("dev.tollgate.james.tls.TlsPolicyDelivery", Kind.MAILET);
        }

        @Override
        public void validate(Parameters parameters, String condition) {
            TlsPolicyDeliveryConfig config = parse(parameters);
            config.loadTrust();
        }
    }
}
