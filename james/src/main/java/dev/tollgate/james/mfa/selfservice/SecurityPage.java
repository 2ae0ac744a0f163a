package dev.tollgate.james.mfa.selfservice;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.servlet.http.Cookie;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tollgate.core.mfa.AppPassword;
import dev.tollgate.core.mfa.AppPasswordScope;
import dev.tollgate.core.mfa.MfaService;
import dev.tollgate.core.mfa.OtpAuthUri;
import dev.tollgate.core.mfa.QrCodes;
import dev.tollgate.core.mfa.SecretStoreException;

/**
 * The self-service security page: one servlet, plain HTML forms, no JavaScript.
 *
 * <ul>
 *   <li>{@code GET /}: the sign-in form, or the user's security overview once signed in;</li>
 *   <li>{@code POST /signin}: address + password + current code through {@link MfaService#authenticate} (its
 *       throttle, lockout and replay guard), or address + password for a user without a confirmed enrolment
 *       while the domain's MFA policy does not require one; refused for a domain whose self-service is off;</li>
 *   <li>{@code POST /enrol}, {@code POST /enrol/confirm}: a new secret shown as QR code and text, in force once
 *       confirmed with a code;</li>
 *   <li>{@code POST /reenrol}: password + current code, then a new secret (app passwords are revoked with the old
 *       enrolment);</li>
 *   <li>{@code POST /app-passwords}, {@code POST /app-passwords/revoke}: create (label, scopes, a current code;
 *       the value shown once) and revoke;</li>
 *   <li>{@code POST /signout}; {@code GET /style.css}.</li>
 * </ul>
 * Every POST needs the session's CSRF token and, when the browser names one, an {@code Origin} equal to the page's own
 * (or {@code null}) and a {@code Sec-Fetch-Site} other than {@code cross-site} or {@code same-site}
 * ({@code 403} otherwise). Every response carries a strict CSP, HSTS,
 * {@code X-Frame-Options: DENY}, {@code Referrer-Policy: no-referrer}, {@code nosniff} and
 * {@code Cache-Control: no-store}. Every change is an audit line and a notice mailed to the user.
 */
final class SecurityPage extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SecurityPage.class);
    static final String COOKIE = "__Host-tollgate-session";
    static final String CSP = "default-src 'none'; img-src data:; style-src 'self'; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'";
    private static final int MAX_FIELD = 512;
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** Sends the account-change notices; a failure is logged by the implementation, never shown. */
    @FunctionalInterface
    interface Notices {
        void send(String user, String subject, String text);
    }

    private final transient MfaService mfa;
    private final transient MfaService.PasswordCheck passwords;
    private final transient Notices notices;
    private final transient SelfServiceConfig config;
    private final transient Sessions sessions;
    private final transient Templates templates = new Templates();
    private final byte[] css;

    SecurityPage(MfaService mfa, MfaService.PasswordCheck passwords, Notices notices, SelfServiceConfig config,
            Sessions sessions) {
        this.mfa = mfa;
        this.passwords = passwords;
        this.notices = notices;
        this.config = config;
        this.sessions = sessions;
        try (InputStream in = SecurityPage.class.getResourceAsStream("style.css")) {
            this.css = in.readAllBytes();
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("style.css missing from the bundle", e);
        }
    }

    private static void securityHeaders(HttpServletResponse resp) {
        resp.setHeader("Content-Security-Policy", CSP);
        resp.setHeader("Strict-Transport-Security", "max-age=31536000");
        resp.setHeader("X-Frame-Options", "DENY");
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setHeader("Referrer-Policy", "no-referrer");
        resp.setHeader("Cross-Origin-Opener-Policy", "same-origin");
        resp.setHeader("Cross-Origin-Resource-Policy", "same-origin");
        resp.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
        resp.setHeader("Cache-Control", "no-store");
    }

    /** Every answer carries the security headers; methods other than GET, HEAD and POST get a 405 page. */
    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp)
            throws javax.servlet.ServletException, IOException {
        securityHeaders(resp);
        String method = req.getMethod();
        if (!method.equals("GET") && !method.equals("HEAD") && !method.equals("POST")) {
            resp.setHeader("Allow", "GET, HEAD, POST");
            problem(resp, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "method");
            return;
        }
        super.service(req, resp);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        securityHeaders(resp);
        String path = req.getRequestURI();
        if ("/style.css".equals(path)) {
            resp.setContentType("text/css;charset=utf-8");
            resp.getOutputStream().write(css);
            return;
        }
        if (!"/".equals(path)) {
            problem(resp, HttpServletResponse.SC_NOT_FOUND, "notFound");
            return;
        }
        Optional<Sessions.Session> session = session(req);
        if (session.isPresent() && session.get().signedIn()) {
            overview(resp, session.get(), null);
        } else {
            // A reload of the sign-in form keeps its pre-session rather than piling up new ones.
            signInForm(resp, session.orElseGet(() -> newAnonymous(resp)), null, HttpServletResponse.SC_OK);
        }
    }

    /**
     * Defence in depth beside the CSRF token: browsers say whether a request came from another site in
     * {@code Sec-Fetch-Site} (Fetch Metadata) and name the posting page's origin in {@code Origin} (RFC 6454 §7).
     * Under this page's {@code Referrer-Policy: no-referrer} a browser sends {@code Origin: null} for its own forms,
     * so {@code null} says nothing and is left to the token. Absent headers pass (older clients).
     */
    static boolean sameOrigin(HttpServletRequest req) {
        String site = req.getHeader("Sec-Fetch-Site");
        if ("cross-site".equalsIgnoreCase(site) || "same-site".equalsIgnoreCase(site)) {
            return false;
        }
        String origin = req.getHeader("Origin");
        if (origin == null || "null".equals(origin)) {
            return true;
        }
        String host = req.getHeader("Host");
        return host != null && origin.equalsIgnoreCase(req.getScheme() + "://" + host);
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        securityHeaders(resp);
        Optional<Sessions.Session> found = session(req);
        if (!sameOrigin(req)) {
            Audit.log("deny", found.map(s -> s.user).orElse(""), req.getRemoteAddr(), "origin");
            problem(resp, HttpServletResponse.SC_FORBIDDEN, "form");
            return;
        }
        // The page's forms post their fields in the body only: a token in the URL (logs, history) is refused.
        if (found.isEmpty() || req.getQueryString() != null || !found.get().csrfMatches(req.getParameter("csrf"))) {
            Audit.log("deny", found.map(s -> s.user).orElse(""), req.getRemoteAddr(), "csrf");
            problem(resp, HttpServletResponse.SC_FORBIDDEN, "form");
            return;
        }
        Sessions.Session s = found.get();
        String path = req.getRequestURI();
        try {
            if ("/signin".equals(path)) {
                signIn(req, resp, s);
                return;
            }
            if (!s.signedIn()) {
                problem(resp, HttpServletResponse.SC_FORBIDDEN, "form");
                return;
            }
            switch (path) {
                case "/signout":
                    sessions.remove(s);
                    clearCookie(resp);
                    resp.sendRedirect("/");
                    return;
                case "/enrol":
                    enrol(req, resp, s);
                    return;
                case "/enrol/confirm":
                    confirm(req, resp, s);
                    return;
                case "/reenrol":
                    reenrol(req, resp, s);
                    return;
                case "/app-passwords":
                    createAppPassword(req, resp, s);
                    return;
                case "/app-passwords/revoke":
                    revoke(req, resp, s);
                    return;
                default:
                    problem(resp, HttpServletResponse.SC_NOT_FOUND, "notFound");
            }
        } catch (SecretStoreException e) {
            LOG.error("Self-service: MFA store unavailable for {}: {}", s.user, e.getMessage());
            problem(resp, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "unavailable");
        }
    }

    private Optional<Sessions.Session> session(HttpServletRequest req) {
        Cookie[] cookies = req.getCookies();
        if (cookies == null) {
            return Optional.empty();
        }
        for (Cookie c : cookies) {
            if (COOKIE.equals(c.getName())) {
                return sessions.find(c.getValue());
            }
        }
        return Optional.empty();
    }

    private Sessions.Session newAnonymous(HttpServletResponse resp) {
        Sessions.Session s = sessions.create(null);
        setCookie(resp, s.id, config.sessionLifetime().getSeconds());
        return s;
    }

    private static void setCookie(HttpServletResponse resp, String value, long maxAge) {
        // Servlet 3.1 cookies have no SameSite attribute: the header is written by hand.
        resp.addHeader("Set-Cookie", COOKIE + "=" + value + "; Path=/; Max-Age=" + maxAge
                + "; Secure; HttpOnly; SameSite=Strict");
    }

    private static void clearCookie(HttpServletResponse resp) {
        setCookie(resp, "", 0);
    }

    private static String field(HttpServletRequest req, String name) {
        String v = req.getParameter(name);
        if (v == null) {
            return "";
        }
        return v.length() > MAX_FIELD ? v.substring(0, MAX_FIELD) : v;
    }

    private void signIn(HttpServletRequest req, HttpServletResponse resp, Sessions.Session anonymous)
            throws IOException, SecretStoreException {
        String address = field(req, "address").trim();
        String password = field(req, "password");
        String code = field(req, "code").trim();
        String ip = req.getRemoteAddr();
        sessions.remove(anonymous);
        if (address.isEmpty() || address.indexOf('@') <= 0 || password.isEmpty()) {
            signInForm(resp, newAnonymous(resp), templates.string("error.signin"), HttpServletResponse.SC_UNAUTHORIZED);
            return;
        }
        if (!config.allows(address)) {
            Audit.log("deny", address, ip, "self-service off for the domain");
            signInForm(resp, newAnonymous(resp), templates.string("error.domainOff"), HttpServletResponse.SC_FORBIDDEN);
            return;
        }
        boolean confirmed = mfa.status(address).map(MfaService.Status::confirmed).orElse(false);
        boolean enrolmentRequired = mfa.config().policies().forUser(address).requiresEnrollment(mfa.today());
        String credential = confirmed ? password + mfa.config().separator() + code : password;
        // App passwords open mail clients, never this page: they are not tried, so their last use is not touched.
        MfaService.AuthResult r = mfa.authenticateWithoutAppPasswords(address, credential, ip, passwords,
                enrolmentRequired);
        MfaService.Method expected = confirmed ? MfaService.Method.TOTP : MfaService.Method.PASSWORD;
        if (r.outcome() == MfaService.Outcome.SUCCESS && r.method().orElse(null) == expected) {
            Sessions.Session s = sessions.create(address);
            setCookie(resp, s.id, config.sessionLifetime().getSeconds());
            Audit.log("allow", address, ip, "sign-in " + expected.token());
            resp.sendRedirect("/");
            return;
        }
        if (r.outcome() == MfaService.Outcome.SUCCESS) {
            // The enrolment changed between reading it and checking: a bare password must not open an enrolled account.
            mfa.recordFailure(address, ip);
        }
        String reason = r.outcome() == MfaService.Outcome.SUCCESS ? "enrolment changed during sign-in"
                : r.outcome().name().toLowerCase(Locale.ROOT);
        Audit.log("deny", address, ip, "sign-in " + reason);
        String message = r.outcome() == MfaService.Outcome.THROTTLED ? templates.string("error.throttled")
                : r.outcome() == MfaService.Outcome.UNAVAILABLE ? templates.string("error.unavailable")
                : templates.string("error.signin");
        signInForm(resp, newAnonymous(resp), message, r.outcome() == MfaService.Outcome.THROTTLED ? 429
                : HttpServletResponse.SC_UNAUTHORIZED);
    }

    private void enrol(HttpServletRequest req, HttpServletResponse resp, Sessions.Session s)
            throws IOException, SecretStoreException {
        OtpAuthUri uri;
        try {
            uri = mfa.enroll(s.user);
        } catch (MfaService.RefusedException e) {
            s.notice = templates.string("error.alreadyEnrolled");
            resp.sendRedirect("/");
            return;
        }
        Audit.log("allow", s.user, req.getRemoteAddr(), "enrolment started");
        enrolPage(resp, s, uri, null);
    }

    private void enrolPage(HttpServletResponse resp, Sessions.Session s, OtpAuthUri uri, String error) throws IOException {
        Map<String, String> m = model(s);
        m.put("title", templates.string("enrol.title"));
        m.put("qr", "data:image/png;base64," + Base64.getEncoder().encodeToString(QrCodes.png(uri.toUriString())));
        m.put("secret", grouped(uri.secret().toBase32()));
        m.put("digits", Integer.toString(uri.digits()));
        m.put("error", error == null ? "" : errorBlock(error));
        page(resp, "enrol.html", m, HttpServletResponse.SC_OK);
    }

    private static String grouped(String base32) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < base32.length(); i += 4) {
            if (i > 0) {
                b.append(' ');
            }
            b.append(base32, i, Math.min(base32.length(), i + 4));
        }
        return b.toString();
    }

    private void confirm(HttpServletRequest req, HttpServletResponse resp, Sessions.Session s)
            throws IOException, SecretStoreException {
        try {
            mfa.confirm(s.user, field(req, "code").trim());
        } catch (MfaService.RefusedException e) {
            Audit.log("deny", s.user, req.getRemoteAddr(), "enrolment confirmation " + e.problem().name().toLowerCase(Locale.ROOT));
            s.notice = templates.string("error.confirm");
            resp.sendRedirect("/");
            return;
        }
        Audit.log("allow", s.user, req.getRemoteAddr(), "enrolment confirmed");
        notices.send(s.user, templates.string("notice.enrolled.subject"), templates.string("notice.enrolled.text", s.user));
        s.notice = templates.string("done.enrolled");
        resp.sendRedirect("/");
    }

    private void reenrol(HttpServletRequest req, HttpServletResponse resp, Sessions.Session s)
            throws IOException, SecretStoreException {
        String ip = req.getRemoteAddr();
        MfaService.AuthResult r = mfa.authenticate(s.user, field(req, "password") + mfa.config().separator()
                + field(req, "code").trim(), ip, passwords, false);
        if (r.outcome() != MfaService.Outcome.SUCCESS || r.method().orElse(null) != MfaService.Method.TOTP) {
            Audit.log("deny", s.user, ip, "re-enrolment without a valid password and code");
            s.notice = templates.string(r.outcome() == MfaService.Outcome.THROTTLED ? "error.throttled" : "error.reenrol");
            resp.sendRedirect("/");
            return;
        }
        mfa.reset(s.user);
        OtpAuthUri uri;
        try {
            uri = mfa.enroll(s.user);
        } catch (MfaService.RefusedException e) {
            throw new IllegalStateException("enrolment refused right after a reset", e);
        }
        Audit.log("allow", s.user, ip, "re-enrolment started, previous enrolment and app passwords removed");
        notices.send(s.user, templates.string("notice.reenrol.subject"), templates.string("notice.reenrol.text", s.user));
        enrolPage(resp, s, uri, null);
    }

    private void createAppPassword(HttpServletRequest req, HttpServletResponse resp, Sessions.Session s)
            throws IOException, SecretStoreException {
        String label = field(req, "label").trim();
        Set<AppPasswordScope> scopes = EnumSet.noneOf(AppPasswordScope.class);
        String[] values = req.getParameterValues("scope");
        if (values != null) {
            for (String v : values) {
                for (AppPasswordScope scope : AppPasswordScope.values()) {
                    if (scope.name().equalsIgnoreCase(v)) {
                        scopes.add(scope);
                    }
                }
            }
        }
        if (label.isEmpty() || label.length() > AppPassword.MAX_LABEL_LENGTH || scopes.isEmpty()) {
            s.notice = templates.string("error.appPasswordForm", AppPassword.MAX_LABEL_LENGTH);
            resp.sendRedirect("/");
            return;
        }
        AppPassword.Issued issued;
        try {
            issued = mfa.createAppPassword(s.user, field(req, "code").trim(), label, scopes);
        } catch (MfaService.RefusedException e) {
            Audit.log("deny", s.user, req.getRemoteAddr(), "app password " + e.problem().name().toLowerCase(Locale.ROOT));
            s.notice = templates.string(e.problem() == MfaService.Problem.TOO_MANY_APP_PASSWORDS
                    ? "error.tooManyAppPasswords" : "error.code");
            resp.sendRedirect("/");
            return;
        } catch (IllegalArgumentException e) {
            s.notice = templates.string("error.appPasswordForm", AppPassword.MAX_LABEL_LENGTH);
            resp.sendRedirect("/");
            return;
        }
        Audit.log("allow", s.user, req.getRemoteAddr(), "app password " + issued.appPassword().id() + " created");
        notices.send(s.user, templates.string("notice.appPassword.subject"),
                templates.string("notice.appPassword.text", s.user, label));
        Map<String, String> m = model(s);
        m.put("title", templates.string("created.title"));
        m.put("label", label);
        m.put("scopes", scopeText(issued.appPassword().scopes()));
        m.put("value", issued.plaintext());
        page(resp, "created.html", m, HttpServletResponse.SC_OK);
    }

    private void revoke(HttpServletRequest req, HttpServletResponse resp, Sessions.Session s)
            throws IOException, SecretStoreException {
        String id = field(req, "id");
        String label = mfa.appPasswords(s.user).stream().filter(a -> a.id().equals(id)).map(AppPassword::label)
                .findFirst().orElse(null);
        if (label != null && mfa.revokeAppPassword(s.user, id)) {
            Audit.log("allow", s.user, req.getRemoteAddr(), "app password " + id + " revoked");
            notices.send(s.user, templates.string("notice.revoked.subject"),
                    templates.string("notice.revoked.text", s.user, label));
            s.notice = templates.string("done.revoked", label);
        }
        resp.sendRedirect("/");
    }

    private void signInForm(HttpServletResponse resp, Sessions.Session s, String error, int status) throws IOException {
        Map<String, String> m = model(s);
        m.put("title", templates.string("signin.title"));
        m.put("error", error == null ? "" : errorBlock(error));
        page(resp, "signin.html", m, status);
    }

    private void overview(HttpServletResponse resp, Sessions.Session s, String error) throws IOException {
        Map<String, String> m = model(s);
        m.put("title", templates.string("overview.title"));
        String notice = s.takeNotice();
        m.put("error", notice == null ? "" : "<p class=\"notice\" role=\"status\">" + Templates.escape(notice) + "</p>");
        m.put("user", s.user);
        Optional<MfaService.Status> status;
        List<AppPassword> apps;
        try {
            status = mfa.status(s.user);
            apps = mfa.appPasswords(s.user);
        } catch (SecretStoreException e) {
            LOG.error("Self-service: MFA store unavailable for {}: {}", s.user, e.getMessage());
            problem(resp, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "unavailable");
            return;
        }
        boolean confirmed = status.map(MfaService.Status::confirmed).orElse(false);
        if (!confirmed) {
            page(resp, "unenrolled.html", m, HttpServletResponse.SC_OK);
            return;
        }
        StringBuilder rows = new StringBuilder();
        for (AppPassword a : apps) {
            rows.append("<tr><td>").append(Templates.escape(a.label())).append("</td><td>")
                    .append(Templates.escape(scopeText(a.scopes()))).append("</td><td>")
                    .append(WHEN.format(a.created())).append("</td><td>")
                    .append(a.lastUsed().map(WHEN::format).orElse(Templates.escape(templates.string("apps.never"))))
                    .append("</td><td>").append(Templates.escape(a.lastAddress().orElse("")))
                    .append("</td><td><form method=\"post\" action=\"/app-passwords/revoke\">")
                    .append("<input type=\"hidden\" name=\"csrf\" value=\"").append(Templates.escape(s.csrf)).append("\">")
                    .append("<input type=\"hidden\" name=\"id\" value=\"").append(Templates.escape(a.id())).append("\">")
                    .append("<button type=\"submit\" aria-label=\"")
                    .append(Templates.escape(templates.string("apps.revokeLabel", a.label()))).append("\">")
                    .append(Templates.escape(templates.string("apps.revoke"))).append("</button></form></td></tr>");
        }
        m.put("rows", rows.length() == 0 ? "<tr><td colspan=\"6\">" + Templates.escape(templates.string("apps.none"))
                + "</td></tr>" : rows.toString());
        page(resp, "overview.html", m, HttpServletResponse.SC_OK);
    }

    private static String scopeText(Set<AppPasswordScope> scopes) {
        StringBuilder b = new StringBuilder();
        for (AppPasswordScope s : scopes) {
            b.append(b.length() == 0 ? "" : ", ").append(s.name());
        }
        return b.toString();
    }

    private static String errorBlock(String message) {
        return "<p class=\"error\" role=\"alert\">" + Templates.escape(message) + "</p>";
    }

    private Map<String, String> model(Sessions.Session s) {
        Map<String, String> m = new HashMap<>();
        m.put("csrf", s.csrf);
        m.put("error", "");
        return m;
    }

    /** A refusal or failure as a page of this site (its headers, style and a way back), not the server's bare page. */
    private void problem(HttpServletResponse resp, int status, String kind) throws IOException {
        Map<String, String> m = new HashMap<>();
        m.put("error", "");
        m.put("title", templates.string("problem." + kind + ".title"));
        m.put("text", templates.string("problem." + kind + ".text"));
        if (status == HttpServletResponse.SC_SERVICE_UNAVAILABLE) {
            resp.setHeader("Retry-After", "60");
        }
        page(resp, "problem.html", m, status);
    }

    private void page(HttpServletResponse resp, String template, Map<String, String> model, int status)
            throws IOException {
        model.put("content", templates.render(template, model));
        byte[] html = templates.render("layout.html", model).getBytes(StandardCharsets.UTF_8);
        resp.setStatus(status);
        resp.setContentType("text/html;charset=utf-8");
        resp.setContentLength(html.length);
        resp.getOutputStream().write(html);
    }
}
