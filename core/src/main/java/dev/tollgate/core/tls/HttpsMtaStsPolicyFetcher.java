package dev.tollgate.core.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;

import org.apache.http.Header;
import org.apache.http.HttpEntity;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.config.Registry;
import org.apache.http.config.RegistryBuilder;
import org.apache.http.conn.DnsResolver;
import org.apache.http.conn.socket.ConnectionSocketFactory;
import org.apache.http.conn.ssl.DefaultHostnameVerifier;
import org.apache.http.conn.ssl.SSLConnectionSocketFactory;
import org.apache.http.impl.NoConnectionReuseStrategy;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.impl.conn.PoolingHttpClientConnectionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tollgate.core.LogText;

/**
 * Fetches MTA-STS policies over HTTPS (RFC 8461 §3.3): {@code GET https://mta-sts.<domain>/.well-known/mta-sts.txt}
 * with Apache HttpClient 4.5 (shipped by James). The policy host is resolved through the configured
 * {@link HostResolver} (the DNS servers used for MX lookups, not the JVM's resolver), the TLS handshake sends SNI
 * {@code mta-sts.<domain>}, and the certificate must chain to the configured {@link SSLContext}'s anchors and name
 * the policy host (RFC 6125 host name check). Only a {@code 200} reply with {@code Content-Type: text/plain} and a
 * body of at most 64 KiB is accepted; redirects are never followed; reading stops as soon as the body exceeds the
 * limit or the overall deadline (connect + read timeout) passes. An IP-literal {@code mx} line is ignored with a
 * WARN log line naming the policy domain and the line (see {@link MtaStsPolicy#parse(String, java.util.function.Consumer)}).
 *
 * <p>Thread-safe; build once and share ({@link #close()} releases the connection pool).
 */
public final class HttpsMtaStsPolicyFetcher implements MtaStsPolicyFetcher, AutoCloseable {
    /** The well-known path (RFC 8461 §3.2). */
    public static final String WELL_KNOWN_PATH = "/.well-known/mta-sts.txt";
    private static final String[] PROTOCOLS = {"TLSv1.2", "TLSv1.3"};
    private static final Logger LOG = LoggerFactory.getLogger(HttpsMtaStsPolicyFetcher.class);
    /** Longest policy text quoted in a log line. */
    private static final int MAX_QUOTED = 100;

    private final CloseableHttpClient client;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Function<String, URI> uriForDomain;

    private HttpsMtaStsPolicyFetcher(Builder b) {
        this.connectTimeout = b.connectTimeout;
        this.readTimeout = b.readTimeout;
        this.uriForDomain = b.uriForDomain;
        HostResolver resolver = b.resolver;
        DnsResolver dns = host -> {
            List<InetAddress> addresses = resolver.resolve(host);
            if (addresses == null || addresses.isEmpty()) {
                throw new java.net.UnknownHostException(host);
            }
            return addresses.toArray(new InetAddress[0]);
        };
        Registry<ConnectionSocketFactory> schemes = RegistryBuilder.<ConnectionSocketFactory>create()
                .register("https", new SSLConnectionSocketFactory(b.sslContext, PROTOCOLS, null,
                        new DefaultHostnameVerifier()))
                .build();
        PoolingHttpClientConnectionManager connections = new PoolingHttpClientConnectionManager(schemes, null, dns);
        connections.setMaxTotal(32);
        connections.setDefaultMaxPerRoute(2);
        int connectMillis = (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis());
        int readMillis = (int) Math.min(Integer.MAX_VALUE, readTimeout.toMillis());
        this.client = HttpClients.custom()
                .setConnectionManager(connections)
                .setConnectionReuseStrategy(NoConnectionReuseStrategy.INSTANCE)
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableContentCompression()
                // No proxy (a proxy would resolve the policy host with its own DNS).
                .setUserAgent("Tollgate-MTA-STS/1")
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectTimeout(connectMillis)
                        .setConnectionRequestTimeout(connectMillis)
                        .setSocketTimeout(readMillis)
                        .setRedirectsEnabled(false)
                        .build())
                .build();
    }

    /** @return a builder with the JVM default SSLContext and resolver, 10 s connect / 20 s read timeouts */
    public static Builder builder() {
        return new Builder();
    }

    /** The URI fetched for a policy domain (A-labels). */
    static URI defaultUri(String policyDomain) {
        return URI.create("https://mta-sts." + policyDomain + WELL_KNOWN_PATH);
    }

    @Override
    public MtaStsPolicy fetch(String policyDomain) throws TlsPolicyException {
        String domain = DomainNames.toAsciiOrNull(policyDomain);
        if (domain == null) {
            throw new TlsPolicyException(TlsFailureReason.STS_POLICY_FETCH_ERROR, "invalid policy domain");
        }
        HttpGet get = new HttpGet(uriForDomain.apply(domain));
        get.setHeader("Accept", "text/plain");
        long deadline = System.nanoTime() + connectTimeout.plus(readTimeout).toNanos();
        byte[] body;
        try (CloseableHttpResponse response = client.execute(get)) {
            int status = response.getStatusLine().getStatusCode();
            Header type = response.getFirstHeader("Content-Type");
            String problem = acceptable(status, type == null ? null : type.getValue());
            if (problem != null) {
                get.abort();
                throw new TlsPolicyException(status == 200 ? TlsFailureReason.STS_POLICY_INVALID
                        : TlsFailureReason.STS_POLICY_FETCH_ERROR, problem);
            }
            body = read(response.getEntity(), deadline, get);
        } catch (BodyTooLargeException e) {
            throw new TlsPolicyException(TlsFailureReason.STS_POLICY_INVALID, "policy larger than 64 KiB");
        } catch (DeadlineException e) {
            throw new TlsPolicyException(TlsFailureReason.STS_POLICY_FETCH_ERROR, "timed out");
        } catch (IOException | RuntimeException e) {
            throw classify(e);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw new TlsPolicyException(TlsFailureReason.STS_POLICY_INVALID, "policy is not UTF-8", e);
        }
        return MtaStsPolicy.parse(text, value -> LOG.warn("tollgate.tls.mta-sts policy-domain={} ignored line "
                + "\"mx: {}\": an IP literal is not a host name pattern (RFC 8461 section 3.2)", domain, quotable(value)));
    }

    /** Fetched text in a log line: printable ASCII only, bounded. */
    static String quotable(String text) {
        return LogText.printable(text, MAX_QUOTED);
    }

    /** Reads at most 64 KiB before the deadline; aborts the exchange otherwise. */
    private static byte[] read(HttpEntity entity, long deadline, HttpGet get) throws IOException {
        if (entity == null) {
            return new byte[0];
        }
        if (entity.getContentLength() > MtaStsPolicy.MAX_BODY_BYTES) {
            get.abort();
            throw new BodyTooLargeException();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try (InputStream in = entity.getContent()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                if (out.size() + n > MtaStsPolicy.MAX_BODY_BYTES) {
                    get.abort();
                    throw new BodyTooLargeException();
                }
                out.write(buffer, 0, n);
                if (System.nanoTime() - deadline > 0) {
                    get.abort();
                    throw new DeadlineException();
                }
            }
        }
        return out.toByteArray();
    }

    private static String acceptable(int status, String contentType) {
        if (status != 200) {
            return "HTTP status " + status + " (only 200 is accepted; redirects are not followed)";
        }
        if (contentType == null) {
            return "missing Content-Type";
        }
        int semi = contentType.indexOf(';');
        String media = (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
        if (!media.equals("text/plain")) {
            return "Content-Type is not text/plain";
        }
        return null;
    }

    private static TlsPolicyException classify(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SSLHandshakeException || t instanceof SSLPeerUnverifiedException
                    || t instanceof GeneralSecurityException) {
                return new TlsPolicyException(TlsFailureReason.STS_WEBPKI_INVALID,
                        "TLS to the policy host failed (" + t.getClass().getSimpleName() + ")", cause);
            }
            if (t instanceof java.net.UnknownHostException) {
                return new TlsPolicyException(TlsFailureReason.STS_POLICY_FETCH_ERROR,
                        "policy host has no address", cause);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return new TlsPolicyException(TlsFailureReason.STS_POLICY_FETCH_ERROR,
                cause instanceof IOException ? "I/O error fetching policy (" + cause.getClass().getSimpleName() + ")"
                        : "policy fetch failed", cause);
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }

    /** The body exceeded the limit; the exchange was aborted. */
    static final class BodyTooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        BodyTooLargeException() {
            super("response body too large");
        }
    }

    /** The overall deadline passed while reading; the exchange was aborted. */
    static final class DeadlineException extends IOException {
        private static final long serialVersionUID = 1L;

        DeadlineException() {
            super("deadline passed");
        }
    }

    /** Configures an {@link HttpsMtaStsPolicyFetcher}. Not thread-safe. */
    public static final class Builder {
        private SSLContext sslContext;
        private HostResolver resolver = HostResolver.system();
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(20);
        private Function<String, URI> uriForDomain = HttpsMtaStsPolicyFetcher::defaultUri;

        private Builder() {
        }

        /** @param sslContext the trust configuration for policy hosts, e.g. a custom trust store */
        public Builder sslContext(SSLContext sslContext) {
            this.sslContext = Objects.requireNonNull(sslContext);
            return this;
        }

        /** @param resolver resolves {@code mta-sts.<domain>}: give the resolver used for MX lookups */
        public Builder resolver(HostResolver resolver) {
            this.resolver = Objects.requireNonNull(resolver);
            return this;
        }

        /** @param timeout the TCP connect and TLS handshake limit; positive */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout);
            return this;
        }

        /** @param timeout the limit for receiving the reply after connecting; positive */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = positive(timeout);
            return this;
        }

        /** Test hook: where to fetch a domain's policy from (e.g. another port). */
        Builder uriForDomain(Function<String, URI> uriForDomain) {
            this.uriForDomain = Objects.requireNonNull(uriForDomain);
            return this;
        }

        private static Duration positive(Duration d) {
            if (d == null || d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException("timeout must be positive");
            }
            return d;
        }

        /**
         * @return the fetcher
         * @throws IllegalStateException when no SSLContext was given and the JVM default is unavailable
         */
        public HttpsMtaStsPolicyFetcher build() {
            if (sslContext == null) {
                try {
                    sslContext = SSLContext.getDefault();
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("no default SSLContext", e);
                }
            }
            return new HttpsMtaStsPolicyFetcher(this);
        }
    }
}
