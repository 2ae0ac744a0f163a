package dev.tollgate.it.harness;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.awaitility.Awaitility;

/** A small client for James's WebAdmin REST API (no authentication, as in conf/webadmin.properties). */
public final class WebAdmin {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;

    public WebAdmin(String base) {
        this.base = base;
    }

    public WebAdmin addDomain(String domain) {
        expect2xx(send("PUT", "/domains/" + domain, ""));
        return this;
    }

    public WebAdmin addUser(String user, String password) {
        expect2xx(send("PUT", "/users/" + user, "{\"password\":" + quote(password) + "}"));
        return this;
    }

    /**
     * @param repositoryUrl e.g. {@code memory://var/mail/error/}, as written in mailetcontainer.xml
     * @return the keys of the mails stored there
     * @throws IllegalStateException when the repository does not exist (a wrong URL must not read as "empty")
     */
    public List<String> mailKeys(String repositoryUrl) {
        HttpResponse<String> response = send("GET", "/mailRepositories/" + path(repositoryUrl) + "/mails", null);
        expect2xx(response);
        List<String> keys = new ArrayList<>();
        try {
            for (JsonNode key : JSON.readTree(response.body())) {
                keys.add(key.asText());
            }
        } catch (IOException e) {
            throw new IllegalStateException("WebAdmin answered non-JSON: " + response.body(), e);
        }
        return keys;
    }

    /** Removes one stored mail ({@code DELETE /mailRepositories/{path}/mails/{key}}). */
    public void removeMail(String repositoryUrl, String key) {
        expect2xx(send("DELETE", "/mailRepositories/" + path(repositoryUrl) + "/mails/" + encode(key), null));
    }

    /**
     * Sends one stored mail to {@code processor} ({@code PATCH /mailRepositories/{path}/mails/{key}?action=reprocess}),
     * as an administrator releases a quarantined mail.
     *
     * @return WebAdmin's answer (201 when the mail was taken)
     */
    public HttpResponse<String> reprocess(String repositoryUrl, String key, String processor) {
        return send("PATCH", "/mailRepositories/" + path(repositoryUrl) + "/mails/" + encode(key)
                + "?action=reprocess&processor=" + encode(processor), null);
    }

    /**
     * Waits until the repository holds a mail with this subject.
     *
     * @return its key
     */
    public String awaitKeyOfSubject(String repositoryUrl, String subject, Duration wait) {
        return Awaitility.await().atMost(wait).pollInterval(Duration.ofMillis(500))
                .until(() -> mailKeys(repositoryUrl).stream()
                        .filter(k -> mailContent(repositoryUrl, k).contains("Subject: " + subject)).findFirst(),
                        Optional::isPresent)
                .orElseThrow();
    }

    /** @return the raw RFC 5322 message of one stored mail */
    public String mailContent(String repositoryUrl, String key) {
        HttpResponse<String> response = http(HttpRequest.newBuilder(uri("/mailRepositories/" + path(repositoryUrl) + "/mails/" + encode(key)))
                .header("Accept", "message/rfc822").GET().build());
        expect2xx(response);
        return response.body();
    }

    /** @return the JSON details of one stored mail (state, error message, recipients, ...) */
    public JsonNode mailDetails(String repositoryUrl, String key) {
        HttpResponse<String> response = send("GET", "/mailRepositories/" + path(repositoryUrl) + "/mails/" + encode(key), null);
        expect2xx(response);
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> send(String method, String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path));
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        return http(request.build());
    }

    /** Sends a request with a raw body and extra headers given as name, value pairs (e.g. to test CSRF refusals). */
    public HttpResponse<String> sendRaw(String method, String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http(request.build());
    }

    private HttpResponse<String> http(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("WebAdmin " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private URI uri(String path) {
        return URI.create(base + path);
    }

    /** WebAdmin names a repository by its URL-encoded path: {@code memory://var/mail/error/} is {@code var%2Fmail%2Ferror}. */
    private static String path(String repositoryUrl) {
        String path = repositoryUrl.replaceFirst("^[a-z0-9]+://", "").replaceAll("/+$", "");
        return encode(path);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static void expect2xx(HttpResponse<String> response) {
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("WebAdmin " + response.request().method() + " " + response.uri()
                    + " answered " + response.statusCode() + ": " + response.body());
        }
    }
}
