package dev.tollgate.james.mfa;

import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.james.core.Username;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.webadmin.Routes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import spark.Request;
import spark.Response;
import spark.Service;

import dev.tollgate.core.mfa.AppPassword;
import dev.tollgate.core.mfa.AppPasswordScope;
import dev.tollgate.core.mfa.MfaService;
import dev.tollgate.core.mfa.OtpAuthUri;
import dev.tollgate.core.mfa.QrCodes;
import dev.tollgate.core.mfa.SecretStoreException;
import dev.tollgate.james.webadmin.BrowserRequestGuard;

/**
 * WebAdmin routes for MFA enrolment and app passwords. Enable them in {@code conf/webadmin.properties}, after
 * the guard that protects every WebAdmin route from web pages:
 * <pre>
 * extensions.routes=dev.tollgate.james.webadmin.BrowserRequestGuard,dev.tollgate.james.mfa.MfaRoutes
 * </pre>
 * (with {@code guice.extension.module=dev.tollgate.james.mfa.MfaModule} in {@code extensions.properties}).
 *
 * <table>
 *   <caption>Routes (JSON in and out)</caption>
 *   <tr><th>request</th><th>success</th><th>errors</th></tr>
 *   <tr><td>{@code GET /mfa/users/{user}}</td><td>200 {@code {"user","enrolled","pending","algorithm","digits","appPasswords"}}</td><td>404</td></tr>
 *   <tr><td>{@code POST /mfa/users/{user}/totp}</td><td>201 {@code {"otpauthUri","qrCodePng"}} (PNG in Base64)</td><td>404, 409 already enrolled</td></tr>
 *   <tr><td>{@code POST /mfa/users/{user}/totp/confirm} {@code {"code"}}</td><td>204</td><td>400 invalid code, 404, 409 nothing pending</td></tr>
 *   <tr><td>{@code DELETE /mfa/users/{user}}</td><td>204 (secret removed, all app passwords revoked)</td><td>404</td></tr>
 *   <tr><td>{@code GET /mfa/users/{user}/app-passwords}</td><td>200 {@code [{"id","label","scopes","created","lastUsed","lastAddress"}]} (last use over SMTP or IMAP and its client address; null before the first)</td><td>404</td></tr>
 *   <tr><td>{@code POST /mfa/users/{user}/app-passwords} {@code {"code","label","scopes"}}</td><td>201 {@code {"id","label","scopes","created","password"}}</td><td>400 invalid code or body, 404, 409 not enrolled or too many</td></tr>
 *   <tr><td>{@code DELETE /mfa/users/{user}/app-passwords/{id}}</td><td>204</td><td>404</td></tr>
 * </table>
 * Every route answers 503 when the secret store fails. Errors are {@code {"statusCode","type","message"}}.
 * Every route also applies {@link BrowserRequestGuard}'s rules itself (403), so it stays closed to web pages even
 * where the guard is not listed, and refuses a body that is not {@code application/json} (415).
 * The otpauth URI and the app password are returned once and never logged. WebAdmin has no
 * authentication in the shipped configuration: expose it only to administrators (or enable its JWT).
 */
public class MfaRoutes implements Routes {
    /** Base path. */
    public static final String BASE = "/mfa/users";
    private static final Logger LOGGER = LoggerFactory.getLogger(MfaRoutes.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MfaService mfa;
    private final UsersRepository users;
    private final BrowserRequestGuard browserGuard;

    @Inject
    public MfaRoutes(MfaService mfa, UsersRepository users, BrowserRequestGuard browserGuard) {
        this.mfa = mfa;
        this.users = users;
        this.browserGuard = browserGuard;
    }

    @Override
    public String getBasePath() {
        return BASE;
    }

    @Override
    public void define(Service service) {
        service.get(BASE + "/:user", (req, res) -> handle(req, res, () -> status(req)));
        service.post(BASE + "/:user/totp", (req, res) -> handle(req, res, () -> enroll(req, res)));
        service.post(BASE + "/:user/totp/confirm", (req, res) -> handle(req, res, () -> confirm(req, res)));
        service.delete(BASE + "/:user", (req, res) -> handle(req, res, () -> reset(req, res)));
        service.get(BASE + "/:user/app-passwords", (req, res) -> handle(req, res, () -> list(req)));
        service.post(BASE + "/:user/app-passwords", (req, res) -> handle(req, res, () -> create(req, res)));
        service.delete(BASE + "/:user/app-passwords/:id", (req, res) -> handle(req, res, () -> revoke(req, res)));
    }

    @FunctionalInterface
    private interface Action {
        Object run() throws Exception;
    }

    /** A refusal to render as an error document. */
    private static final class HttpError extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;
        final String type;

        HttpError(int status, String type, String message) {
            super(message);
            this.status = status;
            this.type = type;
        }
    }

    private String handle(Request req, Response res, Action action) throws Exception {
        res.type("application/json");
        // WebAdmin has no authentication of its own here: refuse what a web page could send (CSRF, DNS rebinding).
        Optional<String> refused = browserGuard.refusal(req);
        if (refused.isPresent()) {
            return error(res, BrowserRequestGuard.FORBIDDEN, "Forbidden", refused.get());
        }
        String contentType = req.contentType();
        if (req.body() != null && !req.body().isBlank()
                && (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json"))) {
            return error(res, 415, "InvalidArgument", "request bodies must be application/json");
        }
        try {
            Object body = action.run();
            if (body == null) {
                return "";
            }
            return JSON.writeValueAsString(body);
        } catch (HttpError e) {
            return error(res, e.status, e.type, e.getMessage());
        } catch (MfaService.RefusedException e) {
            switch (e.problem()) {
                case INVALID_CODE:
                    return error(res, 400, "InvalidArgument", "invalid, malformed or already used code");
                case NOT_ENROLLED:
                    return error(res, 409, "WrongState", "user has no confirmed TOTP enrolment");
                case ALREADY_ENROLLED:
                    return error(res, 409, "WrongState", "user is already enrolled; reset first");
                case NO_PENDING_ENROLLMENT:
                    return error(res, 409, "WrongState", "no enrolment is waiting for confirmation");
                default:
                    return error(res, 409, "WrongState", "too many app passwords; revoke one first");
            }
        } catch (SecretStoreException e) {
            LOGGER.error("MFA store failure in WebAdmin: {}", e.getMessage());
            return error(res, 503, "ServerError", "MFA store unavailable");
        }
    }

    private static String error(Response res, int status, String type, String message) throws Exception {
        res.status(status);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("statusCode", status);
        body.put("type", type);
        body.put("message", message);
        return JSON.writeValueAsString(body);
    }

    private String user(Request req) throws Exception {
        String user = req.params(":user");
        if (user == null || user.isEmpty() || user.length() > 255) {
            throw new HttpError(400, "InvalidArgument", "invalid user name");
        }
        Username username;
        try {
            username = Username.of(user);
        } catch (IllegalArgumentException e) {
            throw new HttpError(400, "InvalidArgument", "invalid user name");
        }
        if (!users.contains(username)) {
            throw new HttpError(404, "notFound", "user does not exist");
        }
        return username.asString();
    }

    private static JsonNode body(Request req) throws HttpError {
        try {
            JsonNode node = JSON.readTree(req.body() == null ? "" : req.body());
            if (node == null || !node.isObject()) {
                throw new HttpError(400, "InvalidArgument", "a JSON object is expected");
            }
            return node;
        } catch (java.io.IOException e) {
            throw new HttpError(400, "InvalidArgument", "a JSON object is expected");
        }
    }

    private Object status(Request req) throws Exception {
        String user = user(req);
        Optional<MfaService.Status> s = mfa.status(user);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user", user);
        body.put("enrolled", s.map(MfaService.Status::confirmed).orElse(false));
        body.put("pending", s.map(MfaService.Status::pending).orElse(false));
        s.ifPresent(x -> {
            body.put("algorithm", x.algorithm());
            body.put("digits", x.digits());
        });
        body.put("appPasswords", s.map(MfaService.Status::appPasswords).orElse(0));
        return body;
    }

    private Object enroll(Request req, Response res) throws Exception {
        String user = user(req);
        OtpAuthUri uri = mfa.enroll(user);
        String text = uri.toUriString();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("otpauthUri", text);
        body.put("qrCodePng", Base64.getEncoder().encodeToString(QrCodes.png(text)));
        res.status(201);
        res.header("Cache-Control", "no-store");
        return body;
    }

    private Object confirm(Request req, Response res) throws Exception {
        String user = user(req);
        JsonNode body = body(req);
        mfa.confirm(user, body.path("code").asText(""));
        res.status(204);
        return null;
    }

    private Object reset(Request req, Response res) throws Exception {
        mfa.reset(user(req));
        res.status(204);
        return null;
    }

    private Object list(Request req) throws Exception {
        List<Object> out = new ArrayList<>();
        for (AppPassword ap : mfa.appPasswords(user(req))) {
            out.add(describe(ap));
        }
        return out;
    }

    private static Map<String, Object> describe(AppPassword ap) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", ap.id());
        m.put("label", ap.label());
        List<String> scopes = new ArrayList<>();
        ap.scopes().forEach(s -> scopes.add(s.name().toLowerCase(Locale.ROOT)));
        m.put("scopes", scopes);
        m.put("created", ap.created().toString());
        m.put("lastUsed", ap.lastUsed().map(Object::toString).orElse(null));
        m.put("lastAddress", ap.lastAddress().orElse(null));
        return m;
    }

    private Object create(Request req, Response res) throws Exception {
        String user = user(req);
        JsonNode body = body(req);
        String label = body.path("label").asText("").trim();
        if (label.isEmpty() || label.length() > AppPassword.MAX_LABEL_LENGTH) {
            throw new HttpError(400, "InvalidArgument", "label is required, at most " + AppPassword.MAX_LABEL_LENGTH + " characters");
        }
        Set<AppPasswordScope> scopes = EnumSet.noneOf(AppPasswordScope.class);
        for (JsonNode s : body.path("scopes")) {
            try {
                scopes.add(AppPasswordScope.valueOf(s.asText("").toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new HttpError(400, "InvalidArgument", "scopes are smtp and imap");
            }
        }
        AppPassword.Issued issued = mfa.createAppPassword(user, body.path("code").asText(""), label, scopes);
        Map<String, Object> out = describe(issued.appPassword());
        out.remove("lastUsed");
        out.remove("lastAddress");
        out.put("password", issued.plaintext());
        res.status(201);
        res.header("Cache-Control", "no-store");
        return out;
    }

    private Object revoke(Request req, Response res) throws Exception {
        String user = user(req);
        if (!mfa.revokeAppPassword(user, req.params(":id"))) {
            throw new HttpError(404, "notFound", "no such app password");
        }
        res.status(204);
        return null;
    }
}
