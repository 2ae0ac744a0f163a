package dev.tollgate.core.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import javax.net.ssl.SSLContext;

import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.config.Registry;
import org.apache.http.config.RegistryBuilder;
import org.apache.http.conn.DnsResolver;
import org.apache.http.conn.socket.ConnectionSocketFactory;
import org.apache.http.conn.ssl.DefaultHostnameVerifier;
import org.apache.http.conn.ssl.SSLConnectionSocketFactory;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.apache.http.impl.NoConnectionReuseStrategy;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.impl.conn.PoolingHttpClientConnectionManager;

/**
 * Sends a TLS-RPT report to an {@code https:} {@code rua} (RFC 8460 §5.3.2): one {@code POST} of the gzipped JSON
 * with {@code Content-Type: application/tlsrpt+gzip}, with Apache HttpClient 4.5 (shipped by James). The collector
 * host is resolved through the configured {@link HostResolver} (the DNS used for MX lookups), the certificate must
 * chain to the {@link SSLContext}'s anchors and name the host (RFC 6125), SNI is sent, redirects are not followed,
 * and the response body is not read. A gzipped report larger than {@link #MAX_BODY_BYTES} is not sent.
 *
 * <p>One call is one attempt; {@link Result#retry()} says whether trying again later may help (a network or TLS
 * error, {@code 408}, {@code 429}, {@code 5xx}); the caller schedules retries. Thread-safe; build once and share,
 * {@link #close()} releases the connections.
 */
public final class HttpsTlsRptPoster implements AutoCloseable {
    /** The media type of a gzipped report (RFC 8460 §6.4). */
    public static final String CONTENT_TYPE = "application/tlsrpt+gzip";
    /** Largest gzipped report body sent, in bytes (5 MiB). */
    public static final int MAX_BODY_BYTES = 5 * 1024 * 1024;
    private static final String[] PROTOCOLS = {"TLSv1.2", "TLSv1.3"};

    private final CloseableHttpClient client;
    private final int maxBodyBytes;

    /** The outcome of one attempt. */
    public static final class Result {
        private final boolean delivered;
        private final boolean retry;
        private final String detail;

        private Result(boolean delivered, boolean retry, String detail) {
            this.delivered = delivered;
            this.retry = retry;
            this.detail = detail;
        }

        /** @return true when the collector answered 2xx */
        public boolean delivered() {
            return delivered;
        }

        /** @return true when a later attempt may succeed */
        public boolean retry() {
            return retry;
        }

        /** @return e.g. {@code status=200} or {@code error=SSLHandshakeException}; no report content */
        public String detail() {
            return detail;
        }

        @Override
        public String toString() {
            return detail;
        }
    }

    /**
     * @param sslContext   trust for collector certificates (the delivery trust store)
     * @param resolver     resolves the collector host
     * @param timeout      connect and read timeout each
     * @param maxBodyBytes largest gzipped body sent; at most {@link #MAX_BODY_BYTES}
     */
    public HttpsTlsRptPoster(SSLContext sslContext, HostResolver resolver, Duration timeout, int maxBodyBytes) {
        Objects.requireNonNull(sslContext);
        Objects.requireNonNull(resolver);
        if (maxBodyBytes <= 0 || maxBodyBytes > MAX_BODY_BYTES) {
            throw new IllegalArgumentException("maxBodyBytes must be 1.." + MAX_BODY_BYTES);
        }
        this.maxBodyBytes = maxBodyBytes;
        DnsResolver dns = host -> {
            List<InetAddress> addresses = resolver.resolve(host);
            if (addresses == null || addresses.isEmpty()) {
                throw new java.net.UnknownHostException(host);
            }
            return addresses.toArray(new InetAddress[0]);
        };
        Registry<ConnectionSocketFactory> schemes = RegistryBuilder.<ConnectionSocketFactory>create()
                .register("https", new SSLConnectionSocketFactory(sslContext, PROTOCOLS, null,
                        new DefaultHostnameVerifier()))
                .build();
        PoolingHttpClientConnectionManager connections = new PoolingHttpClientConnectionManager(schemes, null, dns);
        connections.setMaxTotal(8);
        connections.setDefaultMaxPerRoute(2);
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        this.client = HttpClients.custom()
                .setConnectionManager(connections)
                .setConnectionReuseStrategy(NoConnectionReuseStrategy.INSTANCE)
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableContentCompression()
                .setUserAgent("Tollgate-TLSRPT/1")
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectTimeout(millis)
                        .setConnectionRequestTimeout(millis)
                        .setSocketTimeout(millis)
                        .setRedirectsEnabled(false)
                        .build())
                .build();
    }

    /**
     * One attempt to post a report.
     *
     * @param rua  the {@code https:} URI from the domain's TLS-RPT record
     * @param json the report ({@link TlsRptReport#toJson()})
     * @return the outcome; never throws for network, TLS or HTTP errors
     */
    public Result post(URI rua, String json) {
        if (!"https".equalsIgnoreCase(rua.getScheme()) || rua.getHost() == null) {
            return new Result(false, false, "error=not-an-https-uri");
        }
        byte[] body = TlsRptMail.gzip(json);
        if (body.length > maxBodyBytes) {
            return new Result(false, false, "error=report-too-large bytes=" + body.length + " limit=" + maxBodyBytes);
        }
        HttpPost post = new HttpPost(rua);
        post.setEntity(new ByteArrayEntity(body, ContentType.create(CONTENT_TYPE)));
        try (CloseableHttpResponse response = client.execute(post)) {
            int status = response.getStatusLine().getStatusCode();
            if (status >= 200 && status < 300) {
                return new Result(true, false, "status=" + status);
            }
            boolean retry = status == 408 || status == 429 || status >= 500;
            return new Result(false, retry, "status=" + status);
        } catch (IOException | RuntimeException e) {
            return new Result(false, true, "error=" + e.getClass().getSimpleName().toLowerCase(Locale.ROOT));
        }
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException e) {
            // nothing held that matters
        }
    }
}
