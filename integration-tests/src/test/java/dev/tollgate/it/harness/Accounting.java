package dev.tollgate.it.harness;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.mail.FetchProfile;
import javax.mail.Folder;
import javax.mail.Message;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.Store;
import javax.mail.UIDFolder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Exact accounting of the messages a test submitted: every message carries a unique {@value #HEADER} header; after
 * the run each place a message can end up in is searched for those headers (a mailbox over IMAPS, a mail repository
 * through WebAdmin, the DSNs in a mailbox, anything else through {@link #found}), and the result says, per accepted
 * message, where it is: none missing, none duplicated, none unknown.
 *
 * <pre>{@code
 * Accounting acc = new Accounting();
 * String id = acc.next("normal");
 * byte[] message = Messages.text(from, to, "hi", "body", acc.header(id));
 * ...  // on 250 at the end of DATA:
 * acc.accepted(id, 1);
 * acc.scanMailbox(james.getHost(), james.getMappedPort(993), to, password);
 * acc.scanRepository(james.webAdmin(), "memory://var/mail/error/");
 * assertThat(acc.problems()).isEmpty();
 * }</pre>
 * Thread-safe: load threads record acceptances concurrently.
 */
public final class Accounting {
    /** The header that names a submitted message. */
    public static final String HEADER = "X-Accounting-Id";
    private static final Pattern ID_IN_TEXT = Pattern.compile("(?im)^" + HEADER + ":\\s*(\\S+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final Map<String, String> labels = new LinkedHashMap<>();
    private final Map<String, Integer> expectedCopies = new LinkedHashMap<>();
    private final Map<String, List<String>> places = new TreeMap<>();
    private int sequence;

    /** @return a new unique id for a message of the given kind (the kind is part of the id, for readable reports) */
    public synchronized String next(String kind) {
        String id = kind + "-" + run + "-" + (++sequence);
        labels.put(id, kind);
        return id;
    }

    /** @return the header line to put in the message, {@code "X-Accounting-Id: <id>"} */
    public String header(String id) {
        return HEADER + ": " + id;
    }

    /** Records that the server accepted the message (250 at the end of DATA), to be found in {@code copies} places. */
    public synchronized void accepted(String id, int copies) {
        expectedCopies.put(id, copies);
    }

    /** @return the ids accepted so far, in order of acceptance */
    public synchronized List<String> acceptedIds() {
        return new ArrayList<>(expectedCopies.keySet());
    }

    /** Records that message {@code id} was found in {@code place} (e.g. {@code peer:mx.partner.test}). */
    public synchronized void found(String id, String place) {
        places.computeIfAbsent(id, k -> new ArrayList<>()).add(place);
    }

    /** Forgets every place found so far (to scan again after waiting). */
    public synchronized void clearFound() {
        places.clear();
    }

    /**
     * Reads the INBOX of {@code user} over IMAPS (only the {@value #HEADER} field and the content type of each
     * message): a message carrying the header is in place {@code mailbox:<user>}; a DSN ({@code multipart/report},
     * RFC 3464) that quotes the header of an original is that original's place {@code dsn:<user>}.
     */
    public void scanMailbox(String host, int imapsPort, String user, String password) {
        Properties props = new Properties();
        props.put("mail.imaps.ssl.trust", "*");
        props.put("mail.imaps.ssl.checkserveridentity", "false");
        props.put("mail.imaps.connectiontimeout", "30000");
        props.put("mail.imaps.timeout", "120000");
        try {
            Store store = Session.getInstance(props).getStore("imaps");
            store.connect(host, imapsPort, user, password);
            try {
                Folder inbox = store.getFolder("INBOX");
                inbox.open(Folder.READ_ONLY);
                Message[] messages = inbox.getMessages();
                FetchProfile profile = new FetchProfile();
                profile.add(HEADER);
                profile.add(FetchProfile.Item.CONTENT_INFO);
                profile.add(UIDFolder.FetchProfileItem.UID);
                inbox.fetch(messages, profile);
                for (Message m : messages) {
                    String[] ids = m.getHeader(HEADER);
                    if (ids != null && ids.length > 0) {
                        for (String id : ids) {
                            found(id.trim(), "mailbox:" + user);
                        }
                    } else if (m.isMimeType("multipart/report")) {
                        ByteArrayOutputStream raw = new ByteArrayOutputStream();
                        m.writeTo(raw);
                        for (String id : idsIn(raw.toString(StandardCharsets.UTF_8))) {
                            found(id, "dsn:" + user);
                        }
                    }
                }
                inbox.close(false);
            } finally {
                store.close();
            }
        } catch (MessagingException | IOException e) {
            throw new IllegalStateException("IMAP scan of " + user + " failed", e);
        }
    }

    /**
     * Lists a mail repository through WebAdmin and reads each mail's headers
     * ({@code ?additionalFields=headers}): a mail carrying the header is in place {@code repository:<url>}.
     *
     * @return false when James has no such repository (404): the memory app creates some repositories only when
     *         first used, so one that does not exist holds nothing; callers that expect it assert the result
     */
    public boolean scanRepository(WebAdmin admin, String repositoryUrl) {
        String base = "/mailRepositories/" + java.net.URLEncoder.encode(
                repositoryUrl.replaceFirst("^[a-z0-9]+://", "").replaceAll("/+$", ""), StandardCharsets.UTF_8);
        HttpResponse<String> listing = admin.send("GET", base + "/mails", null);
        if (listing.statusCode() == 404) {
            return false;
        }
        if (listing.statusCode() / 100 != 2) {
            throw new IllegalStateException("WebAdmin " + base + "/mails answered " + listing.statusCode() + ": " + listing.body());
        }
        List<String> keys = new ArrayList<>();
        try {
            JSON.readTree(listing.body()).forEach(k -> keys.add(k.asText()));
        } catch (IOException e) {
            throw new IllegalStateException("WebAdmin answered non-JSON: " + listing.body(), e);
        }
        for (String key : keys) {
            String path = base + "/mails/" + java.net.URLEncoder.encode(key, StandardCharsets.UTF_8) + "?additionalFields=headers";
            HttpResponse<String> response = admin.send("GET", path, null);
            if (response.statusCode() == 404) {
                continue; // removed between listing and reading (e.g. released): not in this place
            }
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("WebAdmin " + path + " answered " + response.statusCode() + ": " + response.body());
            }
            try {
                JsonNode mail = JSON.readTree(response.body());
                List<String> ids = new ArrayList<>();
                headerValues(mail.path("headers"), ids);
                for (String id : ids) {
                    found(id, "repository:" + repositoryUrl);
                }
            } catch (IOException e) {
                throw new IllegalStateException("WebAdmin answered non-JSON: " + response.body(), e);
            }
        }
        return true;
    }

    /** Collects the values of every {@value #HEADER} field of a WebAdmin headers object (name to value or values). */
    private static void headerValues(JsonNode node, List<String> out) {
        node.fields().forEachRemaining(field -> {
            if (field.getKey().equalsIgnoreCase(HEADER)) {
                if (field.getValue().isArray()) {
                    field.getValue().forEach(v -> out.add(v.asText().trim()));
                } else {
                    out.add(field.getValue().asText().trim());
                }
            }
        });
    }

    /** @return the ids named by {@value #HEADER} lines in a text (a raw message, a DSN, a peer's stored file) */
    public static List<String> idsIn(String text) {
        List<String> ids = new ArrayList<>();
        Matcher m = ID_IN_TEXT.matcher(text);
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    /** @return per accepted id, the places where it was found (empty list: missing), in order of acceptance */
    public synchronized Map<String, List<String>> placesOfAccepted() {
        Map<String, List<String>> result = new LinkedHashMap<>();
        for (String id : expectedCopies.keySet()) {
            List<String> at = new ArrayList<>(places.getOrDefault(id, List.of()));
            Collections.sort(at);
            result.put(id, at);
        }
        return result;
    }

    /** @return the places of one message, sorted */
    public synchronized List<String> placesOf(String id) {
        List<String> at = new ArrayList<>(places.getOrDefault(id, List.of()));
        Collections.sort(at);
        return at;
    }

    /** @return accepted ids found in fewer places than expected */
    public synchronized List<String> missing() {
        List<String> out = new ArrayList<>();
        expectedCopies.forEach((id, n) -> {
            if (places.getOrDefault(id, List.of()).size() < n) {
                out.add(id);
            }
        });
        return out;
    }

    /** @return accepted ids found in more places than expected */
    public synchronized List<String> duplicated() {
        List<String> out = new ArrayList<>();
        expectedCopies.forEach((id, n) -> {
            if (places.getOrDefault(id, List.of()).size() > n) {
                out.add(id);
            }
        });
        return out;
    }

    /** @return ids found somewhere that were never accepted (e.g. a message refused yet delivered) */
    public synchronized List<String> unknown() {
        List<String> out = new ArrayList<>();
        for (String id : places.keySet()) {
            if (!expectedCopies.containsKey(id)) {
                out.add(id);
            }
        }
        return out;
    }

    /** @return a one-line-per-problem description; empty when every accepted message is where expected, exactly */
    public synchronized List<String> problems() {
        List<String> out = new ArrayList<>();
        for (String id : missing()) {
            out.add("missing " + id + " (expected " + expectedCopies.get(id) + ", found " + placesOf(id) + ")");
        }
        for (String id : duplicated()) {
            out.add("duplicated " + id + " (expected " + expectedCopies.get(id) + ", found " + placesOf(id) + ")");
        }
        for (String id : unknown()) {
            out.add("not accepted yet found " + id + " " + placesOf(id));
        }
        return out;
    }

    /** @return e.g. {@code "accepted 60, missing 0, duplicated 0, unknown 0"} */
    public synchronized String summary() {
        return "accepted " + expectedCopies.size() + ", missing " + missing().size() + ", duplicated "
                + duplicated().size() + ", unknown " + unknown().size();
    }
}
