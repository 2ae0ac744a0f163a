package dev.tollgate.james.links;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.james.webadmin.Routes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import spark.Request;
import spark.Response;
import spark.Service;

import dev.tollgate.core.config.AbstractComponentSpec;
import dev.tollgate.core.config.Parameters;
import dev.tollgate.core.links.LinkKeyRing;
import dev.tollgate.core.state.StateException;
import dev.tollgate.james.webadmin.BrowserRequestGuard;
import dev.tollgate.james.webadmin.BrowserRequestGuardConfig;

/**
 * WebAdmin routes for the link-signing keys of the redirector's ring ({@code keyFile} of
 * {@code tollgate-links.properties} on one node, the state store's ring on a cluster). Enable them in
 * {@code conf/webadmin.properties} (with {@code MfaModule} in {@code extensions.properties}, which opens the ring):
 * <pre>
 * extensions.routes=dev.tollgate.james.webadmin.BrowserRequestGuard,dev.tollgate.james.links.LinkKeyRoutes
 * </pre>
 *
 * <table>
 *   <caption>Routes (JSON out)</caption>
 *   <tr><th>request</th><th>success</th><th>errors</th></tr>
 *   <tr><td>{@code GET /tollgate/link-keys}</td><td>200 {@code [{"id","created","signing"}]}, the signing key first
 *       (as this node holds them; never the key bytes)</td><td></td></tr>
 *   <tr><td>{@code POST /tollgate/link-keys}</td><td>201 {@code {"id"}}: a new signing key, written to the ring
 *       (every node sharing it signs with it within its {@code keyRefresh}); keys superseded more than
 *       {@code tokenMaxAge} ago are removed</td><td>503 when the store cannot be written (nothing changed)</td></tr>
 * </table>
 * Errors are {@code {"statusCode","type","message"}}. Like every Tollgate route it applies
 * {@link BrowserRequestGuard}'s rules itself (403). Key bytes are never returned or logged.
 */
public class LinkKeyRoutes implements Routes {
    /** Base path. */
    public static final String BASE = "/tollgate/link-keys";
    private static final Logger LOGGER = LoggerFactory.getLogger(LinkKeyRoutes.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LinkKeyRings rings;
    private final BrowserRequestGuard browserGuard;

    @Inject
    public LinkKeyRoutes(LinkKeyRings rings, BrowserRequestGuard browserGuard) {
        this.rings = rings;
        this.browserGuard = browserGuard;
    }

    @Override
    public String getBasePath() {
        return BASE;
    }

    @Override
    public void define(Service service) {
        service.get(BASE, (req, res) -> {
            res.type("application/json");
            Optional<String> refused = browserGuard.refusal(req);
            if (refused.isPresent()) {
                return error(res, BrowserRequestGuard.FORBIDDEN, "Forbidden", refused.get());
            }
            return JSON.writeValueAsString(list(rings.defaultRing()));
        });
        service.post(BASE, (req, res) -> rotate(req, res));
    }

    private static List<Map<String, Object>> list(LinkKeyRing ring) {
        List<Map<String, Object>> out = new ArrayList<>();
        boolean first = true;
        for (Map.Entry<String, Instant> k : ring.describeKeys()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", k.getKey());
            m.put("created", k.getValue().toString());
            m.put("signing", first);
            first = false;
            out.add(m);
        }
        return out;
    }

    private String rotate(Request req, Response res) throws Exception {
        res.type("application/json");
        Optional<String> refused = browserGuard.refusal(req);
        if (refused.isPresent()) {
            return error(res, BrowserRequestGuard.FORBIDDEN, "Forbidden", refused.get());
        }
        LinkKeyRing ring = rings.defaultRing();
        try {
            String id = ring.rotate(rings.tokenMaxAge());
            res.status(201);
            return JSON.writeValueAsString(Map.of("id", id));
        } catch (StateException e) {
            LOGGER.error("Link key rotation failed: {}", e.getMessage());
            return error(res, 503, "ServerError", "link key store unavailable: " + ring.storeName());
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

    /** For {@code tollgate check-config}: recognises {@link LinkKeyRoutes} in {@code extensions.routes}. */
    public static final class Spec extends AbstractComponentSpec {
        public Spec() {
            super("dev.tollgate.james.links.LinkKeyRoutes", Kind.WEBADMIN_ROUTES);
        }

        @Override
        public void validate(Parameters parameters, String condition) {
            BrowserRequestGuardConfig.parse(parameters);
        }
    }
}
