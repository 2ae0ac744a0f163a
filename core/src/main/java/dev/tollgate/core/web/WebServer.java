package dev.tollgate.core.web;

import java.io.IOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import javax.servlet.ServletException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.server.handler.HandlerWrapper;
import org.eclipse.jetty.server.handler.StatisticsHandler;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The one HTTP server code of Tollgate's web endpoints (the self-service security page, the click-time
 * redirector): a Jetty 9.4 server (the version James 3.8.1 ships, so nothing is bundled) serving one servlet,
 * with the limits every endpoint gets: request line and header fields bounded ({@code 431} beyond), form bodies bounded, an idle timeout, a
 * bounded thread pool, no server version or stack traces in responses, and a graceful stop that lets requests
 * in progress finish within the stop timeout. HTTPS (TLS 1.2 and 1.3 only) from a keystore file, or plain HTTP
 * behind a TLS-terminating proxy.
 */
public final class WebServer implements AutoCloseable {
    /** Listener and limits. */
    public static final class Settings {
        final String bind;
        final int port;
        final Optional<Tls> tls;
        final int maxRequestHeaderSize;
        final int maxFormSize;
        final Duration idleTimeout;
        final Duration stopTimeout;
        final String name;
        final int workers;

        /**
         * @param name                 the thread name prefix, e.g. {@code tollgate-selfservice}
         * @param port                 the port; 0 picks a free one ({@link #port()} tells which)
         * @param workers              threads serving requests at once (the acceptor and selector have their own)
         * @param maxRequestHeaderSize bytes of request line plus header fields
         * @param maxFormSize          bytes of a form body
         */
        public Settings(String name, String bind, int port, Optional<Tls> tls, int workers, int maxRequestHeaderSize,
                int maxFormSize, Duration idleTimeout, Duration stopTimeout) {
            this.name = name;
            this.workers = workers;
            this.bind = bind;
            this.port = port;
            this.tls = tls;
            this.maxRequestHeaderSize = maxRequestHeaderSize;
            this.maxFormSize = maxFormSize;
            this.idleTimeout = idleTimeout;
            this.stopTimeout = stopTimeout;
        }
    }

    /** A keystore holding the server's key and certificate chain. */
    public static final class Tls {
        final Path keystore;
        final String type;
        final String secret;

        public Tls(Path keystore, String type, String secret) {
            this.keystore = keystore;
            this.type = type;
            this.secret = secret;
        }

        /** @return the keystore file holding the server's key and certificate chain */
        public Path keystore() {
            return keystore;
        }

        @Override
        public String toString() {
            return "Tls{" + keystore + ", " + type + "}"; // never the secret
        }
    }

    /** Headers every error page carries, as the pages themselves do: nothing framed, sniffed, cached or referred. */
    static final String[][] ERROR_HEADERS = {
        {"Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"},
        {"X-Content-Type-Options", "nosniff"},
        {"X-Frame-Options", "DENY"},
        {"Referrer-Policy", "no-referrer"},
        {"Cache-Control", "no-store"},
    };

    /**
     * TRACE and TRACK echo the request (cookies included) and serve no purpose here: 405 before any servlet.
     */
    static final class NoTrace extends HandlerWrapper {
        @Override
        public void handle(String target, Request baseRequest, HttpServletRequest request,
                HttpServletResponse response) throws IOException, ServletException {
            String method = request.getMethod();
            if ("TRACE".equals(method) || "TRACK".equals(method)) {
                baseRequest.setHandled(true);
                for (String[] h : ERROR_HEADERS) {
                    response.setHeader(h[0], h[1]);
                }
                response.setHeader("Allow", "GET, HEAD, POST");
                response.sendError(405);
                return;
            }
            super.handle(target, baseRequest, request, response);
        }
    }

    /** Error pages name the status only: no exception message, stack, servlet or server version. */
    static final class PlainErrors extends ErrorHandler {
        PlainErrors() {
            setShowStacks(false);
            setShowServlet(false);
            setShowMessageInTitle(false);
        }

        @Override
        protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request,
                HttpServletResponse response, int code, String message) throws IOException {
            for (String[] h : ERROR_HEADERS) {
                response.setHeader(h[0], h[1]);
            }
            if (request.isSecure()) {
                response.setHeader("Strict-Transport-Security", "max-age=31536000");
            }
            super.generateAcceptableResponse(baseRequest, request, response, code, message);
        }

        /** A request Jetty could not parse (a bad URI, an oversized head) is answered here, before any handler. */
        @Override
        public ByteBuffer badMessageError(int status, String reason, HttpFields fields) {
            for (String[] h : ERROR_HEADERS) {
                fields.put(h[0], h[1]);
            }
            return super.badMessageError(status, reason, fields);
        }

        @Override
        protected void writeErrorPage(HttpServletRequest request, Writer writer, int code, String message,
                boolean showStacks) throws IOException {
            String reason = HttpStatus.getMessage(code);
            writer.write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + code + " " + reason
                    + "</title></head><body><h1>" + code + " " + reason + "</h1></body></html>\n");
        }
    }

    private final Server server;
    private final ServerConnector connector;

    private WebServer(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    /**
     * Starts listening.
     *
     * @throws Exception when the port is taken or the keystore cannot be read
     */
    public static WebServer start(Settings settings, HttpServlet servlet) throws Exception {
        // One acceptor and one selector thread besides the workers; no reserved threads.
        QueuedThreadPool pool = new QueuedThreadPool(settings.workers + 2, Math.min(settings.workers + 2, 3), 60_000);
        pool.setReservedThreads(0);
        pool.setName(settings.name);
        Server server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(settings.maxRequestHeaderSize);
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        ServerConnector connector;
        if (settings.tls.isPresent()) {
            Tls tls = settings.tls.get();
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStorePath(tls.keystore.toString());
            ssl.setKeyStoreType(tls.type);
            ssl.setKeyStorePassword(tls.secret);
            ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            // James's keystore names the mail host, not necessarily the name the page is reached by.
            secure.setSniHostCheck(false);
            http.addCustomizer(secure);
            connector = new ServerConnector(server, 1, 1, new SslConnectionFactory(ssl, "http/1.1"),
                    new HttpConnectionFactory(http));
        } else {
            connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        }
        connector.setHost(settings.bind);
        connector.setPort(settings.port);
        connector.setIdleTimeout(settings.idleTimeout.toMillis());
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
        context.setMaxFormContentSize(settings.maxFormSize);
        context.setMaxFormKeys(32);
        context.addServlet(new ServletHolder(servlet), "/*");
        ErrorHandler errors = new PlainErrors();
        context.setErrorHandler(errors);
        server.setErrorHandler(errors);
        NoTrace noTrace = new NoTrace();
        noTrace.setHandler(context);
        StatisticsHandler stats = new StatisticsHandler();
        stats.setHandler(noTrace);
        server.setHandler(stats);
        server.setStopTimeout(settings.stopTimeout.toMillis());
        server.setStopAtShutdown(false);
        try {
            server.start();
        } catch (Exception e) {
            server.stop();
            throw e;
        }
        return new WebServer(server, connector);
    }

    /** @return the address listened on (the actual port when 0 was asked) */
    public java.net.InetSocketAddress address() {
        return new java.net.InetSocketAddress(connector.getHost() == null ? "0.0.0.0" : connector.getHost(), port());
    }

    /** @return the port listened on */
    public int port() {
        return connector.getLocalPort();
    }

    /** Stops accepting, lets requests in progress finish within the stop timeout, then closes. */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("web server did not stop cleanly: " + e.getMessage(), e);
        }
    }
}
