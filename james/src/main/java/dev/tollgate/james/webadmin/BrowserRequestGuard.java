package dev.tollgate.james.webadmin;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import javax.inject.Inject;
import javax.inject.Singleton;
import javax.servlet.http.HttpServletResponse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.net.HostAndPort;
import com.google.common.net.InetAddresses;
import org.apache.james.utils.PropertiesProvider;
import org.apache.james.webadmin.Routes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import spark.Filter;
import spark.Request;
import spark.Service;

import dev.tollgate.james.config.ComponentInit;


/**
 * Refuses, for every WebAdmin route (James's and Tollgate's), what a web page in the administrator's browser
 * could send, and removes the CORS headers James 3.8.1 adds to every response whatever {@code cors.enable}
 * says. WebAdmin has no authentication in Tollgate's configuration, so without this any page the administrator
 * visits could create users or release quarantined mail on {@code 127.0.0.1}. List it first in
 * {@code conf/webadmin.properties}:
 * <pre>
 * extensions.routes=dev.tollgate.james.webadmin.BrowserRequestGuard,dev.tollgate.james.mfa.MfaRoutes
 * </pre>
 *
 * <p>A request is refused with {@code 403} and {@code {"statusCode":403,"type":"Forbidden","message"}} (the
 * shape of James's error documents), before any route runs, when
 * <ol>
 *   <li>it carries {@code Forwarded}, {@code X-Forwarded-Host} or {@code X-Forwarded-Server} (WebAdmin's Jetty
 *       would replace the {@code Host} with their value before this check), or {@code X-HTTP-Method-Override}
 *       (Spark would run the route of another method than the one judged here);</li>
 *   <li>its {@code Host} header (RFC 9110 §7.2) is missing, malformed, or names something other than an IP
 *       literal, {@code localhost} or a name of {@code tollgate.allowedHosts}: a DNS-rebinding page reaches
 *       WebAdmin under its own name;</li>
 *   <li>it carries an {@code Origin} header (RFC 6454 §7) other than WebAdmin's own origin (scheme and
 *       {@code Host} of the request), {@code Origin: null} included; CORS preflights ({@code OPTIONS}) too;</li>
 *   <li>its {@code Sec-Fetch-Site} (Fetch Metadata) is anything but {@code same-origin} or {@code none};</li>
 *   <li>it changes state (any method but {@code GET}, {@code HEAD}, {@code OPTIONS}), comes from a browser
 *       (it has {@code Origin}, a {@code Sec-Fetch-*} header or {@code Referer}) and its body is of a type an
 *       HTML form or a no-preflight {@code fetch} can send: {@code application/x-www-form-urlencoded},
 *       {@code multipart/form-data}, {@code text/plain}.</li>
 * </ol>
 * Requests without browser headers (curl, scripts, James's CLI) pass whatever their content type: {@code curl -d}
 * sends {@code application/x-www-form-urlencoded}, and James's documentation and Tollgate's use it that way.
 *
 * <p>Every response, refusals included, loses its {@code Access-Control-*} headers, so no page can read a
 * WebAdmin answer cross-origin. The routes defined here are none: {@link #getBasePath()} names an unused path.
 *
 * <p>One instance per James: {@code extensions.routes} and {@link dev.tollgate.james.mfa.MfaRoutes} (which applies
 * the same rules) get it from the same extension injector.
 */
@Singleton
public class BrowserRequestGuard implements Routes {
    /** A path with no route, which WebAdmin protects like any other base path. */
    public static final String BASE = "/tollgate/browser-request-guard";
    /** Status of every refusal. */
    public static final int FORBIDDEN = 403;

    private static final Logger LOGGER = LoggerFactory.getLogger(BrowserRequestGuard.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WEBADMIN_PROPERTIES = "webadmin";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    /** Fetch Metadata values a browser sends for WebAdmin's own pages and for addresses typed by the user. */
    private static final Set<String> ACCEPTED_FETCH_SITES = Set.of("same-origin", "none");
    /** Headers only browsers send on their own: their presence makes a request a browser's. */
    private static final List<String> BROWSER_HEADERS = List.of("Origin", "Sec-Fetch-Site", "Sec-Fetch-Mode",
            "Sec-Fetch-Dest", "Sec-Fetch-User", "Referer");
    /** The body types a form or a CORS "simple" request can carry without a preflight (Fetch, CORS-safelisted). */
    private static final Set<String> FORM_TYPES = Set.of("application/x-www-form-urlencoded", "multipart/form-data",
            "text/plain");
    private static final String CORS_HEADER_PREFIX = "access-control-";
    /**
     * Headers from which Spark's Jetty ({@code ForwardedRequestCustomizer}, on by default in Spark and left on by
     * James) rewrites the request's host before any filter runs (RFC 7239 {@code Forwarded}, and the de facto
     * {@code X-Forwarded-Host} and {@code X-Forwarded-Server}). A rebinding page can set them without a preflight,
     * and the Host it really sent is then lost, so a request carrying one is refused.
     */
    static final List<String> HOST_REWRITING_HEADERS = List.of("Forwarded", "X-Forwarded-Host", "X-Forwarded-Server");
    /** Spark picks the route by this header's method, so a browser GET could run a PUT or DELETE route. */
    static final String METHOD_OVERRIDE = "X-HTTP-Method-Override";
    /** Spark's pattern for every path. */
    private static final String ALL_PATHS = "/*";
    /** Request attribute set once the filter ran (it halts a refused request, so a set one passed). */
    private static final String GUARDED = "dev.tollgate.webadmin.guarded";
    /**
     * The media types WebAdmin routes are declared for: the default {@code *}{@code /*}, and the two that James
     * 3.8.1's mail repository routes use for {@code GET .../mails/{key}}.
     */
    static final List<String> ROUTE_TYPES = List.of("*/*", "application/json", "message/rfc822");

    private final BrowserRequestGuardConfig config;

    /**
     * Reads the {@code tollgate.} keys of {@code conf/webadmin.properties}.
     *
     * @throws IllegalStateException naming the key when a value is refused: James does not start
     */
    @Inject
    public BrowserRequestGuard(PropertiesProvider properties) throws Exception {
        this(load(properties));
    }

    public BrowserRequestGuard(BrowserRequestGuardConfig config) {
        this.config = config;
    }

    private static BrowserRequestGuardConfig load(PropertiesProvider properties) {
        return ComponentInit.propertiesFile(properties, WEBADMIN_PROPERTIES).map(parameters ->
                ComponentInit.file(WEBADMIN_PROPERTIES + ".properties", () -> {
                    BrowserRequestGuardConfig config = BrowserRequestGuardConfig.parse(parameters);
                    LOGGER.info("WebAdmin refuses browser requests; Host names allowed besides IP addresses and"
                            + " localhost: {}", config.allowedHosts());
                    return config;
                })).orElseGet(BrowserRequestGuardConfig::defaults);
    }

    /** @return the configuration in force */
    public BrowserRequestGuardConfig config() {
        return config;
    }

    @Override
    public String getBasePath() {
        return BASE;
    }

    /**
     * Installs a filter before every route and one after every response. James registers its CORS filter before
     * any extension's routes, so the headers it added are already there to remove when this filter runs.
     *
     * <p>Spark runs a filter only when the request's {@code Accept} header matches the filter's media type, the
     * same way it picks routes: a filter for {@code *}{@code /*} alone is skipped by {@code Accept: *}{@code /*;q=0,
     * message/rfc822}, which still reaches a route declared for {@code message/rfc822}. The filter is therefore
     * registered for every media type a WebAdmin route of James 3.8.1 or Tollgate declares ({@link #ROUTE_TYPES});
     * a request attribute makes it run once per request.
     */
    @Override
    public void define(Service service) {
        Filter guard = (request, response) -> {
            if (request.attribute(GUARDED) != null) {
                return;
            }
            removeCorsHeaders(response.raw());
            forbidRendering(response.raw());
            Optional<String> refused = refusal(request);
            request.attribute(GUARDED, Boolean.TRUE);
            if (refused.isPresent()) {
                response.type("application/json");
                throw service.halt(FORBIDDEN, errorBody(refused.get()));
            }
        };
        for (String type : ROUTE_TYPES) {
            service.before(ALL_PATHS, type, guard);
        }
        // Runs after halts, errors and 404s too, before the body is written: nothing added later survives.
        service.afterAfter((request, response) -> {
            removeCorsHeaders(response.raw());
            forbidRendering(response.raw());
        });
    }

    /**
     * Applies the rules of this class to a request and logs a refusal (method, raw path, reason; never header
     * values).
     *
     * @return the reason to refuse it with {@value #FORBIDDEN}, or empty to let it through (at once when this
     *     guard's filter already let it through, as for {@link dev.tollgate.james.mfa.MfaRoutes} behind it)
     */
    public Optional<String> refusal(Request request) {
        if (request.attribute(GUARDED) != null) {
            return Optional.empty(); // this guard's filter already let the request through
        }
        Optional<String> reason = refusal(config, request.requestMethod(), request.scheme(),
                name -> values(request, name));
        if (reason.isEmpty() && !allowedHost(config, unbracketed(request.raw().getServerName()))) {
            // An absolute-form target (RFC 9112 §3.2.2) names the host in the request line, which replaces Host.
            reason = Optional.of("the request target must name an IP address, localhost or a name of "
                    + BrowserRequestGuardConfig.ALLOWED_HOSTS + " in webadmin.properties");
        }
        reason.ifPresent(r -> LOGGER.warn("WebAdmin refused {} {}: {}", request.requestMethod(),
                request.raw().getRequestURI(), r));
        return reason;
    }

    /**
     * The rules, without Spark.
     *
     * @param method  request method, e.g. {@code PUT}
     * @param scheme  {@code http} or {@code https}: WebAdmin's own origin is this scheme with the {@code Host}
     * @param headers every value of a header, by case-insensitive name (empty list when absent)
     * @return the reason to refuse, or empty
     */
    static Optional<String> refusal(BrowserRequestGuardConfig config, String method, String scheme,
                                    Function<String, List<String>> headers) {
        for (String name : HOST_REWRITING_HEADERS) {
            if (!headers.apply(name).isEmpty()) {
                return Optional.of(name + " is refused: WebAdmin's server would take it for the Host header");
            }
        }
        if (!headers.apply(METHOD_OVERRIDE).isEmpty()) {
            return Optional.of(METHOD_OVERRIDE + " is refused: send the method itself");
        }
        List<String> hostValues = headers.apply("Host");
        if (hostValues.size() != 1 || hostValues.get(0).isBlank()) {
            return Optional.of("exactly one Host header is required");
        }
        HostAndPort host;
        try {
            host = HostAndPort.fromString(hostValues.get(0).trim());
        } catch (IllegalArgumentException e) {
            return Optional.of("malformed Host header");
        }
        if (!allowedHost(config, host.getHost())) {
            return Optional.of("the Host header must name an IP address, localhost or a name of "
                    + BrowserRequestGuardConfig.ALLOWED_HOSTS + " in webadmin.properties");
        }
        for (String origin : headers.apply("Origin")) {
            if (!isOwnOrigin(origin, scheme, host)) {
                return Optional.of("cross-origin requests are refused");
            }
        }
        for (String site : headers.apply("Sec-Fetch-Site")) {
            if (!ACCEPTED_FETCH_SITES.contains(site.trim().toLowerCase(Locale.ROOT))) {
                return Optional.of("cross-site requests are refused");
            }
        }
        if (!SAFE_METHODS.contains(method.toUpperCase(Locale.ROOT)) && fromBrowser(headers)) {
            for (String type : headers.apply("Content-Type")) {
                if (FORM_TYPES.contains(mediaType(type))) {
                    return Optional.of("browser form submissions are refused; send application/json");
                }
            }
        }
        return Optional.empty();
    }

    private static String unbracketed(String host) {
        if (host != null && host.startsWith("[") && host.endsWith("]")) {
            return host.substring(1, host.length() - 1);
        }
        return host == null ? "" : host;
    }

    private static boolean allowedHost(BrowserRequestGuardConfig config, String host) {
        if (host.isEmpty()) {
            return false;
        }
        // No DNS lookup: a literal address cannot be rebound, a name is trusted only when listed.
        String name = host.toLowerCase(Locale.ROOT);
        return InetAddresses.isInetAddress(name) || name.equals("localhost") || config.allowedHosts().contains(name);
    }

    /** RFC 6454 §4: same scheme, host and port as the request itself; {@code null} and any path never match. */
    private static boolean isOwnOrigin(String origin, String scheme, HostAndPort host) {
        URI uri;
        try {
            uri = new URI(origin.trim());
        } catch (URISyntaxException e) {
            return false;
        }
        if (uri.getScheme() == null || uri.getHost() == null || uri.getRawUserInfo() != null
                || !(uri.getRawPath() == null || uri.getRawPath().isEmpty())
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return false;
        }
        String originHost = uri.getHost();
        if (originHost.startsWith("[") && originHost.endsWith("]")) {
            originHost = originHost.substring(1, originHost.length() - 1);
        }
        int defaultPort = "https".equalsIgnoreCase(scheme) ? 443 : 80;
        int originPort = uri.getPort() == -1 ? defaultPort : uri.getPort();
        return uri.getScheme().equalsIgnoreCase(scheme)
                && originHost.equalsIgnoreCase(host.getHost())
                && originPort == host.getPortOrDefault(defaultPort);
    }

    private static boolean fromBrowser(Function<String, List<String>> headers) {
        return BROWSER_HEADERS.stream().anyMatch(name -> !headers.apply(name).isEmpty());
    }

    private static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        String type = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
        return type.trim().toLowerCase(Locale.ROOT);
    }

    private static List<String> values(Request request, String name) {
        List<String> out = new ArrayList<>();
        for (Enumeration<String> e = request.raw().getHeaders(name); e != null && e.hasMoreElements(); ) {
            out.add(e.nextElement());
        }
        return out;
    }

    /**
     * WebAdmin answers data, never pages. James 3.8.1's 404 answer is {@code text/html} with the decoded path in it
     * whenever its own JSON filter was skipped ({@code Accept: application/json, *}{@code /*;q=0}): a policy that
     * allows nothing keeps any such answer inert if a browser ever renders it.
     */
    private static void forbidRendering(HttpServletResponse response) {
        response.setHeader("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; sandbox");
        response.setHeader("X-Content-Type-Options", "nosniff");
    }

    /** Jetty removes a header set to null. */
    private static void removeCorsHeaders(HttpServletResponse response) {
        for (String name : new ArrayList<>(response.getHeaderNames())) {
            if (name.toLowerCase(Locale.ROOT).startsWith(CORS_HEADER_PREFIX)) {
                response.setHeader(name, null);
            }
        }
    }

    /** @return {@code {"statusCode":403,"type":"Forbidden","message":reason}} */
    public static String errorBody(String reason) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("statusCode", FORBIDDEN);
        body.put("type", "Forbidden");
        body.put("message", reason);
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
