package dev.tollgate.core.links;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.Optional;

import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tollgate.core.LogText;
import dev.tollgate.core.audit.AuditEvent;
import dev.tollgate.core.audit.AuditLog;
import dev.tollgate.core.audit.GlobalMetrics;
import dev.tollgate.core.audit.MetricNames;
import dev.tollgate.core.config.ConfigException;
import dev.tollgate.core.config.HomePaths;
import dev.tollgate.core.config.Parameters;
import dev.tollgate.core.web.WebServer;

/**
 * The click-time redirector: {@code GET /r/<token>} verifies the token, scans the URL again (fresh block
 * list and DNSBL answers), then answers {@code 302} to the original URL when it is clean, or a warning page
 * (HTML-escaped, no script, a strict Content-Security-Policy) when it is suspicious or malicious, with a
 * click-through link when {@code clickThrough} allows it.
 *
 * <p>A token that is malformed, tampered with or issued in the future gets {@code 400}: never a
 * redirect, so the endpoint is not an open redirector. A well-formed token whose key is no longer held (removed by a
 * rotation) gets {@code 410} with a page that shows nothing the unauthenticated token carries. An authentic token older than {@code tokenMaxAge}
 * gets {@code 410} with an interstitial page: the destination, scanned again now, is named and, when the
 * fresh verdict allows it, linked directly (the user clicks once more; the redirector never redirects for an
 * expired token, so an old token cannot serve as a silent redirect through this host). Only http(s) URLs
 * are ever redirected to or linked, whatever {@code clickThrough} says.
 *
 * <p>A click is a {@code GET}; it is logged with the recipient id, message id, host and verdict, never the
 * full URL or any message content. {@code HEAD} (link prefetchers, mail scanners) is not a click: it is
 * answered from the token check alone ({@code 200}, {@code 400} or {@code 410}, no body, no scan, no
 * redirect) and logged at DEBUG only.
 *
 * <p>Served by {@link WebServer} (Jetty 9.4, shipped by James): request line and header fields bounded
 * ({@code 431} beyond), idle connections closed after 30 s, at most {@code threads} requests at once, a
 * graceful stop.
 */
public final class ClickRedirector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClickRedirector.class);

    /** Which verdicts offer a "continue anyway" link on the warning page. */
    public enum ClickThrough {
        /** Never. */
        NONE,
        /** Suspicious URLs only (default). */
        SUSPICIOUS,
        /** Suspicious and malicious URLs. */
        ALL
    }

    /** Configuration, validated at startup. */
    public static final class Config {
        /**
         * Token lifetime when {@code tokenMaxAge} is absent: 90 days. Most clicks on a mail's links come in its
         * first days; an older link still leads on through the expiry interstitial (one click more), while a
         * token someone obtained by mailing a URL to a local mailbox stops being a silent redirect through
         * this host after 90 days. {@code tokenMaxAge=0} (never expire) must be written explicitly.
         */
        public static final Duration DEFAULT_TOKEN_MAX_AGE = Duration.ofDays(90);

        /** Parameter names read, besides {@link LinkScanSettings#PARAMETERS}. */
        public static final Set<String> PARAMETERS = Set.of("enabled", "bindAddress", "port", "keyFile",
                "createKeyFile", "tokenMaxAge", "clickThrough", "threads", "keyRefresh", "tls", "tls.keystore",
                "tls.keystoreType", "tls.secret");

        /** How often the link keys are re-read from the state store when {@code keyRefresh} is absent. */
        public static final Duration DEFAULT_KEY_REFRESH = Duration.ofSeconds(60);

        final boolean enabled;
        final String bindAddress;
        final int port;
        final Path keyFile;
        final boolean createKeyFile;
        final Duration tokenMaxAge;
        final ClickThrough clickThrough;
        final int threads;
        final LinkScanSettings scan;
        final Duration keyRefresh;
        /** HTTPS with this keystore; empty: plain HTTP (behind a TLS-terminating proxy). */
        final Optional<WebServer.Tls> tls;

        private Config(Parameters p) {
            this.enabled = p.bool("enabled", true);
            this.bindAddress = p.string("bindAddress", "0.0.0.0");
            this.port = p.intInRange("port", 8480, 0, 65535);
            this.keyFile = HomePaths.resolve(p.required("keyFile"));
            this.createKeyFile = p.bool("createKeyFile", true);
            this.tokenMaxAge = p.duration("tokenMaxAge", DEFAULT_TOKEN_MAX_AGE);
            this.clickThrough = p.enumValue("clickThrough", ClickThrough.class, ClickThrough.SUSPICIOUS);
            this.threads = p.intInRange("threads", 8, 1, 256);
            this.scan = LinkScanSettings.parse(p);
            this.keyRefresh = p.duration("keyRefresh", DEFAULT_KEY_REFRESH);
            if (keyRefresh.compareTo(Duration.ofSeconds(1)) < 0 || keyRefresh.compareTo(Duration.ofHours(1)) > 0) {
                throw new ConfigException("keyRefresh", "must be between 1s and 1h");
            }
            if (p.bool("tls", false)) {
                Path keystore = HomePaths.resolve(p.string("tls.keystore", "conf/keystore"));
                String type = p.string("tls.keystoreType", "PKCS12").toUpperCase(Locale.ROOT);
                if (!type.equals("PKCS12") && !type.equals("JKS")) {
                    throw new ConfigException("tls.keystoreType", "must be PKCS12 or JKS, got '" + type + "'");
                }
                String secret = p.string("tls.secret", "");
                if (secret.isEmpty()) {
                    throw new ConfigException("tls.secret", "is required when tls=true (the keystore's password)");
                }
                this.tls = Optional.of(new WebServer.Tls(keystore, type, secret));
            } else {
                this.tls = Optional.empty();
            }
        }

        /** @return whether the redirector serves HTTPS itself ({@code tls=true}) */
        public boolean tls() {
            return tls.isPresent();
        }

        /** @return whether a missing key file (or empty key ring) gets a generated key */
        public boolean createKeyFile() {
            return createKeyFile;
        }

        /** @return how often the cached link keys are re-read from their store */
        public Duration keyRefresh() {
            return keyRefresh;
        }

        /**
         * @throws ConfigException naming the parameter, for unknown names and invalid values
         */
        public static Config parse(Parameters parameters) {
            java.util.Set<String> known = new java.util.HashSet<>(PARAMETERS);
            known.addAll(LinkScanSettings.PARAMETERS);
            parameters.requireKnown(known);
            return new Config(parameters);
        }

        /** @return the key file tokens are signed with, resolved against James's home */
        public Path keyFile() {
            return keyFile;
        }

        /** @return the address to listen on */
        public String bindAddress() {
            return bindAddress;
        }

        /** @return the port to listen on (0: any free port) */
        public int port() {
            return port;
        }

        /** @return whether the redirector should start */
        public boolean enabled() {
            return enabled;
        }

        /** @return the token lifetime; zero when tokens never expire */
        public Duration tokenMaxAge() {
            return tokenMaxAge;
        }
    }

    /** The redirector's listener limits, those of every Tollgate web endpoint (see {@link WebServer}). */
    static final int MAX_REQUEST_HEADER_SIZE = 8192;
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private final java.util.function.Function<String, LinkTokenSigner.Verification> verifier;
    private final LinkScanner scanner;
    private final ClickThrough clickThrough;
    private volatile WebServer server;

    private ClickRedirector(java.util.function.Function<String, LinkTokenSigner.Verification> verifier,
                            LinkScanner scanner, ClickThrough clickThrough) {
        this.verifier = verifier;
        this.scanner = scanner;
        this.clickThrough = clickThrough;
    }

    /**
     * Loads the keys and lists, binds the port and starts serving.
     *
     * @throws ConfigException when keys or lists cannot be loaded
     * @throws IOException     when the port cannot be bound
     */
    public static ClickRedirector start(Config config, Clock clock) throws IOException {
        LinkTokenSigner signer = LinkKeys.load("keyFile", config.keyFile, config.createKeyFile, config.tokenMaxAge, clock);
        LinkScanner scanner = config.scan.build(clock);
        return start(new InetSocketAddress(config.bindAddress, config.port), config.tls, signer::verify, scanner,
                config.clickThrough, config.threads);
    }

    /**
     * As {@link #start(Config, Clock)}, with the keys of a {@link LinkKeyRing} (shared by several nodes) instead of
     * {@code keyFile}: tokens are verified with the ring's cached keys and {@code tokenMaxAge}.
     *
     * @throws ConfigException when the lists cannot be loaded
     * @throws IOException     when the port cannot be bound
     */
    public static ClickRedirector start(Config config, LinkKeyRing ring, Clock clock) throws IOException {
        LinkScanner scanner = config.scan.build(clock);
        Duration maxAge = config.tokenMaxAge;
        return start(new InetSocketAddress(config.bindAddress, config.port), config.tls,
                token -> ring.verify(token, maxAge), scanner, config.clickThrough, config.threads);
    }

    /** Starts serving on {@code address} with the given parts (tests, embedding). */
    public static ClickRedirector start(InetSocketAddress address, LinkTokenSigner signer, LinkScanner scanner,
                                        ClickThrough clickThrough, int threads) throws IOException {
        Objects.requireNonNull(signer);
        return start(address, Optional.empty(), signer::verify, scanner, clickThrough, threads);
    }

    private static ClickRedirector start(InetSocketAddress address, Optional<WebServer.Tls> tls,
                                         java.util.function.Function<String, LinkTokenSigner.Verification> verifier,
                                         LinkScanner scanner, ClickThrough clickThrough, int threads) throws IOException {
        if (tls.isPresent() && !java.nio.file.Files.isReadable(tls.get().keystore())) {
            throw new ConfigException("tls.keystore", "cannot read " + tls.get().keystore());
        }
        ClickRedirector redirector = new ClickRedirector(Objects.requireNonNull(verifier),
                Objects.requireNonNull(scanner), Objects.requireNonNull(clickThrough));
        WebServer.Settings settings = new WebServer.Settings("tollgate-redirector", address.getHostString(),
                address.getPort(), tls, threads, MAX_REQUEST_HEADER_SIZE, MAX_REQUEST_HEADER_SIZE,
                IDLE_TIMEOUT, STOP_TIMEOUT);
        try {
            redirector.server = WebServer.start(settings, new Servlet(redirector));
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e.getMessage(), e);
        }
        LOG.info("Tollgate click-time redirector listening on {} ({})", redirector.address(),
                tls.isPresent() ? "HTTPS" : "plain HTTP");
        return redirector;
    }

    /** @return the bound address (the actual port when 0 was asked) */
    public InetSocketAddress address() {
        return server.address();
    }

    /** Stops accepting; clicks in progress get a few seconds to finish. */
    @Override
    public void close() {
        server.close();
    }

    /** The servlet serving every path; all decisions are in {@link #serve}. */
    static final class Servlet extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient ClickRedirector redirector;

        Servlet(ClickRedirector redirector) {
            this.redirector = redirector;
        }

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            redirector.serve(request, response);
        }
    }

    private void serve(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            String method = request.getMethod();
            boolean head = method.equals("HEAD");
            if (!method.equals("GET") && !head) {
                response.setHeader("Allow", "GET, HEAD");
                send(response, head, 405, page("Method not allowed", "<p>Only GET is served here.</p>"));
                return;
            }
            String path = request.getRequestURI();
            if (path == null || !path.startsWith("/r/") || path.length() > 3 + LinkTokenSigner.MAX_TOKEN_LENGTH) {
                send(response, head, 404, page("Not found", "<p>There is nothing here.</p>"));
                return;
            }
            String token = path.substring(3);
            LinkTokenSigner.Verification v = verifier.apply(token);
            boolean expired = v.status() == LinkTokenSigner.Status.EXPIRED;
            if (v.status() == LinkTokenSigner.Status.UNKNOWN_KEY) {
                // A well-formed token whose key is no longer held: its key was retired (a rotation removes keys
                // only after all their tokens expired). It cannot be authenticated, so nothing it carries is shown.
                if (head) {
                    LOG.debug("Tollgate link HEAD (not a click): token {}", v.status());
                } else {
                    LOG.info("Tollgate click refused: token {} (key retired or never issued)", v.status());
                    click(request, null, null, null, "expired", v.status().name());
                }
                send(response, head, 410, page("Link expired", "<p>This protected link has expired: the key it was "
                        + "signed with has been retired. Its destination can no longer be shown. If you still need it, "
                        + "ask the sender for it again.</p>"));
                return;
            }
            if (!v.isValid() && !expired) {
                if (head) {
                    LOG.debug("Tollgate link HEAD (not a click): token {}", v.status());
                } else {
                    LOG.info("Tollgate click refused: token {}", v.status());
                    click(request, null, null, null, "tampered", v.status().name());
                }
                send(response, head, 400, page("Invalid link",
                        "<p>This protected link is damaged or was not issued by this server.</p>"));
                return;
            }
            LinkToken t = v.token().orElseThrow();
            if (head) {
                // Prefetchers and mail scanners probe with HEAD: not a click, so no scan, no redirect, no click log.
                LOG.debug("Tollgate link HEAD (not a click): recipient={} message={} token {}",
                        logSafe(t.recipientId()), logSafe(t.messageId()), v.status());
                send(response, head, expired ? 410 : 200, "");
                return;
            }
            String url = t.url();
            boolean web = isWeb(url);
            LinkVerdict verdict = web ? scanner.scan(url)
                    : LinkVerdict.of(java.util.List.of(LinkVerdict.Finding.of(LinkVerdict.Reason.DANGEROUS_SCHEME,
                            LinkVerdict.Level.MALICIOUS, "not an http(s) URL")));
            boolean mayFollow = web && (verdict.level() == LinkVerdict.Level.CLEAN || mayClickThrough(verdict.level()));
            if (expired) {
                logClick(t, url, verdict, "expired");
                click(request, t, url, verdict, "expired", verdict.level().name());
                send(response, head, 410, page("Link expired", expiredBody(t, url, verdict, mayFollow)));
                return;
            }
            boolean proceed = "continue=1".equals(request.getQueryString());
            boolean allowed = web && (verdict.level() == LinkVerdict.Level.CLEAN || proceed && mayFollow);
            logClick(t, url, verdict, allowed ? "redirect" : "warn");
            click(request, t, url, verdict, allowed ? (verdict.level() == LinkVerdict.Level.CLEAN ? "allowed" : "continued")
                    : mayFollow ? "warned" : "blocked", verdict.level().name());
            if (allowed) {
                response.setHeader("Location", locationOf(url));
                send(response, head, 302, page("Redirecting", "<p>Continue to <a href=\"" + escape(locationOf(url)) + "\">"
                        + escape(url) + "</a>.</p>"));
                return;
            }
            StringBuilder body = new StringBuilder();
            body.append("<p>This link was ").append(verdict.level() == LinkVerdict.Level.MALICIOUS
                    ? "found to be <strong>dangerous</strong>" : "found to be <strong>suspicious</strong>")
                    .append(" when you clicked it.</p><p>It leads to:</p><p><code>").append(escape(url))
                    .append("</code></p>");
            appendFindings(body, verdict);
            if (mayFollow) {
                body.append("<p><a rel=\"noreferrer\" href=\"/r/").append(escape(token))
                        .append("?continue=1\">Continue anyway, at my own risk</a></p>");
            }
            send(response, head, 200, page("Warning: this link may be dangerous", body.toString()));
        } catch (RuntimeException e) {
            LOG.warn("Tollgate redirector failed on a request", e);
            send(response, "HEAD".equals(request.getMethod()), 500, page("Error", "<p>The link could not be checked. Try again later.</p>"));
        }
    }

    /**
     * The expiry interstitial: the destination and its fresh verdict, and a direct link to it (never through
     * this redirector) only when the verdict would allow following it.
     */
    private static String expiredBody(LinkToken t, String url, LinkVerdict verdict, boolean mayFollow) {
        StringBuilder body = new StringBuilder();
        body.append("<p>This protected link was issued on ")
                .append(escape(java.time.LocalDate.ofInstant(t.issuedAt(), java.time.ZoneOffset.UTC).toString()))
                .append(" and has expired. It leads to:</p><p><code>").append(escape(url)).append("</code></p>");
        if (verdict.level() == LinkVerdict.Level.CLEAN) {
            body.append("<p>Checked again now: no problem was found. Check that you expected this address "
                    + "before you follow it.</p>");
        } else {
            body.append("<p>Checked again now, it was found to be <strong>")
                    .append(verdict.level() == LinkVerdict.Level.MALICIOUS ? "dangerous" : "suspicious")
                    .append("</strong>:</p>");
            appendFindings(body, verdict);
        }
        if (mayFollow) {
            body.append("<p><a rel=\"noreferrer\" href=\"").append(escape(locationOf(url)))
                    .append("\">Go to this address</a></p>");
        }
        return body.toString();
    }

    private static void appendFindings(StringBuilder body, LinkVerdict verdict) {
        body.append("<ul>");
        for (LinkVerdict.Finding f : verdict.findings()) {
            if (f.level() != LinkVerdict.Level.CLEAN) {
                body.append("<li>").append(escape(f.detail())).append("</li>");
            }
        }
        body.append("</ul>");
    }

    /** The click counter {@code tollgate_links_click:<outcome>} and one audit line (host and reasons, never the URL). */
    private static void click(HttpServletRequest request, LinkToken t, String url, LinkVerdict verdict, String outcome,
            String reason) {
        GlobalMetrics.get().increment(MetricNames.LINKS_CLICK, outcome);
        AuditLog.write(AuditEvent.of("links", outcome).user(t == null ? null : logSafe(t.recipientId()))
                .client(request.getRemoteAddr())
                .messageId(t == null ? null : logSafe(t.messageId()))
                .rules(verdict == null ? Set.of() : verdict.concerns())
                .reason(reason.toLowerCase(Locale.ROOT))
                .detail("host", url == null ? null : HostNormalizer.hostOfUrl(url).ascii()));
    }

    /** One line per click: who, which message, the host and the verdict; never the full URL. */
    private static void logClick(LinkToken t, String url, LinkVerdict verdict, String action) {
        LOG.info("Tollgate click: recipient={} message={} host={} verdict={} reasons={} action={}",
                logSafe(t.recipientId()), logSafe(t.messageId()), HostNormalizer.hostOfUrl(url).ascii(),
                verdict.level(), verdict.reasons(), action);
    }

    private static boolean isWeb(String url) {
        String scheme = LinkRewritePolicy.scheme(url);
        return scheme.equals("http") || scheme.equals("https");
    }

    private boolean mayClickThrough(LinkVerdict.Level level) {
        return clickThrough == ClickThrough.ALL
                || clickThrough == ClickThrough.SUSPICIOUS && level == LinkVerdict.Level.SUSPICIOUS;
    }

    /**
     * The URL for a Location header: written as a browser reads it ({@code https:host} and {@code http:\\host} become
     * {@code https://host}, so the redirect goes where the scanned host is and is not resolved against this host),
     * then non-ASCII and controls percent-encoded (UTF-8), spaces too.
     */
    static String locationOf(String url) {
        String canonical = UrlParts.canonicalSpecial(url.strip());
        StringBuilder out = new StringBuilder(canonical.length() + 16);
        for (byte b : canonical.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c <= 0x20 || c >= 0x7f || c == '"' || c == '<' || c == '>' || c == '\\' || c == '^' || c == '`'
                    || c == '{' || c == '|' || c == '}') {
                out.append('%').append(String.format(Locale.ROOT, "%02X", c));
            } else {
                out.append((char) c);
            }
        }
        return out.toString();
    }

    private static String logSafe(String s) {
        return LogText.printable(s, 200);
    }

    /** HTML-escapes text for element content and quoted attribute values. */
    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&': out.append("&amp;"); break;
                case '<': out.append("&lt;"); break;
                case '>': out.append("&gt;"); break;
                case '"': out.append("&quot;"); break;
                case '\'': out.append("&#39;"); break;
                default:
                    if (c < 0x20 && c != '\t' || c == 0x7f || c == '\u202e' || c == '\u202d' || c == '\u200b') {
                        out.append("&#").append((int) c).append(';');
                    } else {
                        out.append(c);
                    }
            }
        }
        return out.toString();
    }

    private static String page(String title, String body) {
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title)
                + "</title><meta name=\"robots\" content=\"noindex\"></head><body style=\"font-family:sans-serif;"
                + "max-width:40em;margin:2em auto\"><h1>" + escape(title) + "</h1>" + body
                + "<p><small>Link protection by Tollgate</small></p></body></html>";
    }

    private static void send(HttpServletResponse response, boolean head, int status, String html) throws IOException {
        byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setHeader("Content-Type", "text/html; charset=utf-8");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'none'; frame-ancestors 'none'");
        if (!head) {
            response.setContentLength(bytes.length);
            try (OutputStream out = response.getOutputStream()) {
                out.write(bytes);
            }
        }
    }
}
