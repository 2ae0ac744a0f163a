package dev.tollgate.core.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;

/**
 * Fetches MTA-STS policies over HTTPS (RFC 8461 §3.3) with {@link HttpClient}:
 * {@code GET https://mta-sts.<domain>/.well-known/mta-sts.txt}. Only a {@code 200} reply with
 * {@code Content-Type: text/plain} and a body of at most 64 KiB is accepted; redirects are never
 * followed; the server certificate is validated by the configured {@link SSLContext} with HTTPS
 * host-name checks. Reading stops as soon as the body exceeds the limit.
 *
 * <p>Thread-safe; build once and share.
 */
public final class HttpsMtaStsPolicyFetcher implements MtaStsPolicyFetcher {
    /** The well-known path (RFC 8461 §3.2). */
    public static final String WELL_KNOWN_PATH = "/.well-known/mta-sts.txt";

    private final HttpClient client;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Function<String, URI> uriForDomain;

    private HttpsMtaStsPolicyFetcher(Builder b) {
        this.connectTimeout = b.connectTimeout;
        this.readTimeout = b.readTimeout;
        this.uriForDomain = b.uriForDomain;
        SSLParameters params = b.sslContext.getDefaultSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        this.client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connectTimeout)
                .sslContext(b.sslContext)
                .sslParameters(params)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** @return a builder with the JVM default SSLContext and 10 s connect / 20 s read timeouts */
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
        HttpRequest request = HttpRequest.newBuilder(uriForDomain.apply(domain))
                .timeout(readTimeout)
                .header("Accept", "text/plain")
                .GET()
                .build();
        CompletableFuture<HttpResponse<byte[]>> future =
                client.sendAsync(request, info -> acceptable(info) == null
                        ? new LimitedBodySubscriber(MtaStsPolicy.MAX_BODY_BYTES)
                        : LimitedBodySubscriber.rejecting());
        HttpResponse<byte[]> response;
        try {
            response = future.get(connectTimeout.plus(readTimeout).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new TlsPolicyException(TlsFailureReason.STS_POLICY_FETCH_ERROR, "interrupted", e);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new TlsPolicyException(TlsFailureReason.STS_POLICY_FETCH_ERROR, "timed out", e);
        } catch (ExecutionException e) {
            throw classify(e.getCause());
        }
        String problem = acceptable(response);
        if (problem != null) {
            TlsFailureReason reason = response.statusCode() == 200
                    ? TlsFailureReason.STS_POLICY_INVALID : TlsFailureReason.STS_POLICY_FETCH_ERROR;
            throw new TlsPolicyException(reason, problem);
        }
        String body;
        try {
            body = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(response.body())).toString();
        } catch (CharacterCodingException e) {
            throw new TlsPolicyException(TlsFailureReason.STS_POLICY_INVALID, "policy is not UTF-8", e);
        }
        return MtaStsPolicy.parse(body);
    }

    /** @return null when status and content type are acceptable, else the problem */
    private static String acceptable(HttpResponse.ResponseInfo info) {
        return acceptable(info.statusCode(), info.headers().firstValue("Content-Type").orElse(null));
    }

    private static String acceptable(HttpResponse<?> response) {
        return acceptable(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null));
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
            if (t instanceof BodyTooLargeException) {
                return new TlsPolicyException(TlsFailureReason.STS_POLICY_INVALID, "policy larger than 64 KiB");
            }
            if (t instanceof SSLHandshakeException || t instanceof GeneralSecurityException) {
                return new TlsPolicyException(TlsFailureReason.STS_WEBPKI_INVALID,
                        "TLS to the policy host failed", cause);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return new TlsPolicyException(TlsFailureReason.STS_POLICY_FETCH_ERROR,
                cause instanceof IOException ? "I/O error fetching policy" : "policy fetch failed", cause);
    }

    /** Signals that the body exceeded the limit; reading has been cancelled. */
    static final class BodyTooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        BodyTooLargeException() {
            super("response body too large");
        }
    }

    /** Collects at most {@code limit} bytes, cancelling the exchange beyond that. */
    static final class LimitedBodySubscriber implements HttpResponse.BodySubscriber<byte[]> {
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private final int limit;
        private final boolean reject;
        private Flow.Subscription subscription;

        LimitedBodySubscriber(int limit) {
            this(limit, false);
        }

        private LimitedBodySubscriber(int limit, boolean reject) {
            this.limit = limit;
            this.reject = reject;
        }

        /** A subscriber that reads nothing: used for replies refused on status or headers. */
        static LimitedBodySubscriber rejecting() {
            return new LimitedBodySubscriber(0, true);
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            this.subscription = s;
            if (reject) {
                s.cancel();
                result.complete(new byte[0]);
            } else {
                s.request(1);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer item : items) {
                if (buffer.size() + (long) item.remaining() > limit) {
                    subscription.cancel();
                    result.completeExceptionally(new BodyTooLargeException());
                    return;
                }
                byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                buffer.write(chunk, 0, chunk.length);
            }
            subscription.request(1);
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(buffer.toByteArray());
        }
    }

    /** Configures an {@link HttpsMtaStsPolicyFetcher}. Not thread-safe. */
    public static final class Builder {
        private SSLContext sslContext;
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

        /** Test hook: where to fetch a domain's policy from (e.g. a loopback server). */
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
