package dev.tollgate.it.harness;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.mail.FetchProfile;
import javax.mail.Folder;
import javax.mail.Message;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.Store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;

/**
 * The ledger of a test that submits mail: which messages the server accepted (250 after DATA, RFC 5321 §4.1.1.4),
 * which it refused (4xx/5xx at any step: refused, not lost), and where each accepted one ended up. Every accepted
 * message carries a unique {@value #HEADER} header; each (message, recipient) pair found in a mailbox, a mail
 * repository, a peer's store or a DSN is recorded in a named bucket, and {@link #report()} says which pairs are
 * missing, found more than once, or unknown.
 *
 * <p>Either a load runs in the background ({@link #startLoad}): a few concurrent connections, one authenticated
 * submission per message (587, STARTTLS, AUTH PLAIN), so a fault can be injected while it runs; or the test
 * submits itself and records each acceptance:
 * <pre>{@code
 * MailAccounting ledger = new MailAccounting();
 * String id = ledger.next("normal");
 * james.submit(from, password, Messages.text(from, to, "hi", "body", ledger.header(id)), to);
 * ledger.accepted(id, List.of(to));
 * ledger.countMailbox(host, imapsPort, to, password);
 * ledger.countRepository(james.webAdmin(), "memory://var/mail/error/", "error");
 * assertThat(ledger.report().problems()).isEmpty();
 * }</pre>
 * Thread-safe: load threads record acceptances concurrently.
 */
public final class MailAccounting {
    /** The header naming each load message; also the key the buckets are filled by. */
    public static final String HEADER = "X-Accounting-Id";
    public static final String MAILBOX = "mailbox";
    public static final String DSN = "dsn";
    public static final String PEER = "peer";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LOAD_ID = Pattern.compile("(?im)^" + HEADER + ":\\s*(\\S+)");
    private static final Pattern FINAL_RECIPIENT = Pattern.compile("(?im)^Final-Recipient:\\s*rfc822;\\s*<?([^>\\s]+)>?");

    private final String run;
    /** Accepted ids in order of acceptance, each with the recipients the server took. */
    private final Map<String, List<String>> accepted = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, String> refused = new ConcurrentHashMap<>();
    private final Map<String, String> uncertain = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Integer>> buckets = new TreeMap<>();

    private final AtomicInteger sequence = new AtomicInteger();

    /** @param run a prefix making this run's ids unique (letters, digits, '-') */
    public MailAccounting(String run) {
        this.run = run;
    }

    /** A ledger whose ids carry a random run prefix. */
    public MailAccounting() {
        this(UUID.randomUUID().toString().substring(0, 8));
    }

    /** @return the id of the {@code n}-th message of a load of this run */
    public String id(int n) {
        return run + "-" + n;
    }

    /** @return a new unique id for a message the test submits itself; the kind starts it, for readable reports */
    public String next(String kind) {
        return kind + "-" + run + "-s" + sequence.incrementAndGet();
    }

    /** @return the header line that names message {@code id}: {@code "X-Accounting-Id: <id>"} */
    public String header(String id) {
        return HEADER + ": " + id;
    }

    /**
     * Records that the server accepted message {@code id} (250 at the end of DATA) for {@code recipients}; each
     * (id, recipient) pair is then expected exactly once in the buckets.
     */
    public void accepted(String id, List<String> recipients) {
        accepted.put(id, List.copyOf(recipients));
    }

    /** @return the ids accepted so far, in order of acceptance */
    public List<String> acceptedIds() {
        synchronized (accepted) {
            return new ArrayList<>(accepted.keySet());
        }
    }

    /** What one message of a load is: its recipients and its bytes (which must carry {@code HEADER: id}). */
    public static final class Submission {
        final List<String> recipients;
        final byte[] message;

        public Submission(List<String> recipients, byte[] message) {
            this.recipients = List.copyOf(recipients);
            this.message = message;
        }
    }

    /** A running load; {@link #await} waits for its end. */
    public static final class Load {
        private final ExecutorService pool;
        private final List<Future<?>> tasks;
        private final AtomicInteger done;

        Load(ExecutorService pool, List<Future<?>> tasks, AtomicInteger done) {
            this.pool = pool;
            this.tasks = tasks;
            this.done = done;
        }

        /** @return submissions finished so far (accepted, refused or uncertain) */
        public int finished() {
            return done.get();
        }

        /** Waits for every submission to finish; a sender thread's unexpected failure fails here. */
        public void await(Duration timeout) throws Exception {
            long end = System.nanoTime() + timeout.toNanos();
            for (Future<?> f : tasks) {
                f.get(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            pool.shutdown();
        }
    }

    /**
     * Submits {@code messages} messages over {@code connections} concurrent connections, one message per
     * connection, to {@code james}'s port 587 as {@code user}.
     *
     * @param submission builds message {@code n} (0-based) given its id
     * @param pause      pause between two submissions of one connection (keeps the load spread over a fault)
     */
    public Load startLoad(JamesContainer james, String user, String password, int messages, int connections,
            Duration pause, BiFunction<Integer, String, Submission> submission) {
        return startLoad(james, user, password, 0, messages, connections, pause, submission);
    }

    /** As {@link #startLoad(JamesContainer, String, String, int, int, Duration, BiFunction)}, numbering from {@code first}. */
    public Load startLoad(JamesContainer james, String user, String password, int first, int messages, int connections,
            Duration pause, BiFunction<Integer, String, Submission> submission) {
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        int end = first + messages;
        AtomicInteger next = new AtomicInteger(first);
        AtomicInteger done = new AtomicInteger();
        List<Future<?>> tasks = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            tasks.add(pool.submit(() -> {
                for (int n; (n = next.getAndIncrement()) < end; ) {
                    String id = id(n);
                    submit(james, user, password, id, submission.apply(n, id));
                    done.incrementAndGet();
                    Thread.sleep(pause.toMillis());
                }
                return null;
            }));
        }
        return new Load(pool, tasks, done);
    }

    private void submit(JamesContainer james, String user, String password, String id, Submission s) {
        try (SmtpClient smtp = james.smtp(JamesContainer.SUBMISSION)) {
            smtp.ehlo("load.test");
            SmtpClient.Reply r = smtp.startTls();
            if (r.code != 220) {
                refused.put(id, "STARTTLS " + r);
                return;
            }
            smtp.ehlo("load.test");
            for (SmtpClient.Reply step : new SmtpClient.Reply[] {smtp.authPlain(user, password), smtp.mailFrom(user)}) {
                if (!step.positive()) {
                    refused.put(id, step.toString());
                    return;
                }
            }
            List<String> taken = new ArrayList<>();
            for (String rcpt : s.recipients) {
                if (smtp.rcptTo(rcpt).code == 250) {
                    taken.add(rcpt);
                }
            }
            if (taken.isEmpty()) {
                refused.put(id, "every RCPT refused");
                return;
            }
            SmtpClient.Reply end = smtp.data(s.message);
            if (end.code == 250) {
                accepted(id, taken);
            } else {
                refused.put(id, end.toString());
            }
        } catch (UncheckedIOException e) {
            // The connection broke before a final reply: the server may or may not have taken the message.
            uncertain.put(id, String.valueOf(e.getCause()));
        }
    }

    /** Forgets every pair found so far (before counting the stores again). */
    public synchronized void clearFound() {
        buckets.clear();
    }

    /** @return whether James has a mail repository at {@code repositoryUrl} (memory repositories appear on first use) */
    public static boolean repositoryExists(WebAdmin webAdmin, String repositoryUrl) {
        String path = repositoryUrl.replaceFirst("^[a-z0-9]+://", "").replaceAll("/+$", "");
        return webAdmin.send("GET", "/mailRepositories", null).body().contains("\"" + path + "\"");
    }

    /** Records one (id, recipient) pair found in {@code bucket}. */
    public synchronized void found(String bucket, String id, String recipient) {
        buckets.computeIfAbsent(bucket, b -> new TreeMap<>())
                .merge(id + " " + recipient.toLowerCase(Locale.ROOT), 1, Integer::sum);
    }

    /** As {@link #countMailbox} for each user, on {@code james}'s IMAPS port. */
    public void countMailboxes(JamesContainer james, Map<String, String> usersAndPasswords) {
        for (Map.Entry<String, String> user : usersAndPasswords.entrySet()) {
            countMailbox(james.getHost(), james.getMappedPort(JamesContainer.IMAPS), user.getKey(), user.getValue());
        }
    }

    /**
     * Reads a user's INBOX over IMAPS (the {@value #HEADER} field and content type of each message; a DSN whole):
     * a delivery status notification ({@code multipart/report}, RFC 3464) counts its {@code Final-Recipient}s in
     * {@link #DSN} (the bounced message's id from the returned content); any other message carrying the header
     * counts in {@link #MAILBOX} for that user.
     *
     * @throws IllegalStateException when the mailbox cannot be read after a few attempts
     */
    public void countMailbox(String host, int imapsPort, String user, String password) {
        MessagingException last = null;
        // James's memory mailbox may answer one FETCH with BAD while a delivery lands: read again.
        for (int attempt = 0; attempt < 5; attempt++) {
            Map<String, List<String>> seen = new TreeMap<>();
            try {
                readInbox(host, imapsPort, user, password, seen);
            } catch (MessagingException e) {
                last = e;
                continue;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            seen.forEach((bucket, pairs) -> pairs.forEach(pair -> {
                int space = pair.indexOf(' ');
                found(bucket, pair.substring(0, space), pair.substring(space + 1));
            }));
            return;
        }
        throw new IllegalStateException("IMAP read of " + user + "'s INBOX failed", last);
    }

    private static void readInbox(String host, int port, String user, String password, Map<String, List<String>> seen)
            throws MessagingException, IOException {
        Properties props = new Properties();
        props.put("mail.imaps.ssl.trust", "*");
        props.put("mail.imaps.ssl.checkserveridentity", "false");
        props.put("mail.imaps.connectiontimeout", "30000");
        props.put("mail.imaps.timeout", "120000");
        Store store = Session.getInstance(props).getStore("imaps");
        store.connect(host, port, user, password);
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            Message[] messages = inbox.getMessages();
            FetchProfile profile = new FetchProfile();
            profile.add(HEADER);
            profile.add(FetchProfile.Item.CONTENT_INFO);
            inbox.fetch(messages, profile);
            for (Message m : messages) {
                if (m.isMimeType("multipart/report")) {
                    ByteArrayOutputStream raw = new ByteArrayOutputStream();
                    m.writeTo(raw);
                    String text = raw.toString(StandardCharsets.UTF_8);
                    Matcher id = LOAD_ID.matcher(text);
                    String original = id.find() ? id.group(1) : "?";
                    Matcher r = FINAL_RECIPIENT.matcher(text);
                    while (r.find()) {
                        seen.computeIfAbsent(DSN, b -> new ArrayList<>()).add(original + " " + r.group(1));
                    }
                } else {
                    String[] ids = m.getHeader(HEADER);
                    for (String id : ids == null ? new String[0] : ids) {
                        seen.computeIfAbsent(MAILBOX, b -> new ArrayList<>()).add(id.trim() + " " + user);
                    }
                }
            }
            inbox.close(false);
        } finally {
            store.close();
        }
    }

    /**
     * Counts every mail of a James mail repository (e.g. {@code memory://var/mail/error/}) in {@code bucket}, one
     * pair per recipient of the stored mail, reading only its headers through WebAdmin
     * ({@code ?additionalFields=headers}).
     *
     * @return false when James has no such repository (404): the memory app creates some repositories only when
     *         first used, so one that does not exist holds nothing; callers that expect it assert the result
     */
    public boolean countRepository(WebAdmin webAdmin, String repositoryUrl, String bucket) {
        String base = "/mailRepositories/" + java.net.URLEncoder.encode(
                repositoryUrl.replaceFirst("^[a-z0-9]+://", "").replaceAll("/+$", ""), StandardCharsets.UTF_8);
        HttpResponse<String> listing = webAdmin.send("GET", base + "/mails", null);
        if (listing.statusCode() == 404) {
            return false;
        }
        for (JsonNode key : json(listing, base)) {
            String path = base + "/mails/" + java.net.URLEncoder.encode(key.asText(), StandardCharsets.UTF_8)
                    + "?additionalFields=headers";
            HttpResponse<String> response = webAdmin.send("GET", path, null);
            if (response.statusCode() == 404) {
                continue; // removed between listing and reading (e.g. released): not in this place
            }
            JsonNode mail = json(response, path);
            List<String> ids = new ArrayList<>();
            mail.path("headers").fields().forEachRemaining(field -> {
                if (field.getKey().equalsIgnoreCase(HEADER)) {
                    if (field.getValue().isArray()) {
                        field.getValue().forEach(v -> ids.add(v.asText().trim()));
                    } else {
                        ids.add(field.getValue().asText().trim());
                    }
                }
            });
            String loadId = ids.isEmpty() ? "?" + key.asText() : ids.get(0);
            for (JsonNode rcpt : mail.path("recipients")) {
                found(bucket, loadId, rcpt.asText());
            }
        }
        return true;
    }

    private static JsonNode json(HttpResponse<String> response, String path) {
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("WebAdmin " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("WebAdmin answered non-JSON: " + response.body(), e);
        }
    }

    /** @return the ids named by {@value #HEADER} lines in a text (a raw message, a DSN, a peer's stored file) */
    public static List<String> idsIn(String text) {
        List<String> ids = new ArrayList<>();
        Matcher m = LOAD_ID.matcher(text);
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    /**
     * Counts the messages a peer stored as {@code <dir>/<n>.eml} whose header block starts with one
     * {@code X-Peer-Rcpt: <address>} line per envelope recipient (as {@code FaultySmtpPeer} writes them).
     */
    public void countPeer(GenericContainer<?> peer, String dir) throws Exception {
        ExecResult r = peer.execInContainer("sh", "-c", "for f in " + dir + "/*.eml; do [ -e \"$f\" ] || continue; "
                + "sed -n '/^\\r\\?$/q;p' \"$f\" | grep -i -E '^(X-Peer-Rcpt|" + HEADER + "):' | tr -d '\\r' "
                + "| sed \"s|^|$f |\"; done");
        if (r.getExitCode() != 0) {
            throw new IllegalStateException("cannot list the peer's store: " + r.getStderr());
        }
        Map<String, List<String>> rcpts = new TreeMap<>();
        Map<String, String> ids = new TreeMap<>();
        for (String line : r.getStdout().split("\n")) {
            String[] f = line.split(" ", 3);
            if (f.length < 3) {
                continue;
            }
            if (f[1].equalsIgnoreCase("X-Peer-Rcpt:")) {
                rcpts.computeIfAbsent(f[0], k -> new ArrayList<>()).add(f[2].trim());
            } else {
                ids.put(f[0], f[2].trim());
            }
        }
        for (Map.Entry<String, List<String>> file : rcpts.entrySet()) {
            for (String rcpt : file.getValue()) {
                found(PEER, ids.getOrDefault(file.getKey(), "?" + file.getKey()), rcpt);
            }
        }
    }

    /** @return the accounting of every accepted (message, recipient) pair against the buckets filled so far */
    public synchronized Report report() {
        Map<String, Integer> total = new TreeMap<>();
        Map<String, Integer> perBucket = new TreeMap<>();
        for (Map.Entry<String, Map<String, Integer>> b : buckets.entrySet()) {
            int n = 0;
            for (Map.Entry<String, Integer> e : b.getValue().entrySet()) {
                total.merge(e.getKey(), e.getValue(), Integer::sum);
                n += e.getValue();
            }
            perBucket.put(b.getKey(), n);
        }
        List<String> expected = new ArrayList<>();
        synchronized (accepted) {
            accepted.forEach((id, rcpts) -> rcpts.forEach(r -> expected.add(id + " " + r.toLowerCase(Locale.ROOT))));
        }
        Collections.sort(expected);
        List<String> missing = new ArrayList<>();
        List<String> duplicated = new ArrayList<>();
        for (String key : expected) {
            int n = total.getOrDefault(key, 0);
            if (n == 0) {
                missing.add(key);
            } else if (n > 1) {
                duplicated.add(key + " x" + n + " " + where(key));
            }
        }
        List<String> unknown = new ArrayList<>(total.keySet());
        unknown.removeAll(expected);
        return new Report(accepted.size(), expected.size(), new TreeMap<>(refused), new TreeMap<>(uncertain),
                perBucket, missing, duplicated, unknown);
    }

    private String where(String key) {
        List<String> in = new ArrayList<>();
        buckets.forEach((b, keys) -> {
            if (keys.containsKey(key)) {
                in.add(b + "=" + keys.get(key));
            }
        });
        return in.toString();
    }

    /** @return the buckets message {@code id} was found in, one entry per (id, recipient) pair found, sorted */
    public synchronized List<String> placesOf(String id) {
        List<String> at = new ArrayList<>();
        buckets.forEach((bucket, pairs) -> pairs.forEach((pair, n) -> {
            if (pair.startsWith(id + " ")) {
                for (int i = 0; i < n; i++) {
                    at.add(bucket);
                }
            }
        }));
        Collections.sort(at);
        return at;
    }

    /** @return the bucket's (id, recipient) pairs, each as "id recipient" with its count */
    public synchronized Map<String, Integer> bucket(String name) {
        return new TreeMap<>(buckets.getOrDefault(name, Map.of()));
    }

    /** The end of a run: counts and the pairs that break "each accepted pair exactly once". */
    public static final class Report {
        public final int acceptedMessages;
        public final int acceptedPairs;
        public final Map<String, String> refused;
        public final Map<String, String> uncertain;
        public final Map<String, Integer> perBucket;
        public final List<String> missing;
        public final List<String> duplicated;
        public final List<String> unknown;

        Report(int acceptedMessages, int acceptedPairs, Map<String, String> refused, Map<String, String> uncertain,
                Map<String, Integer> perBucket, List<String> missing, List<String> duplicated, List<String> unknown) {
            this.acceptedMessages = acceptedMessages;
            this.acceptedPairs = acceptedPairs;
            this.refused = refused;
            this.uncertain = uncertain;
            this.perBucket = perBucket;
            this.missing = missing;
            this.duplicated = duplicated;
            this.unknown = unknown;
        }

        /** @return one line per pair that breaks "each accepted pair exactly once"; empty when none does */
        public List<String> problems() {
            List<String> out = new ArrayList<>();
            missing.forEach(p -> out.add("missing " + p));
            duplicated.forEach(p -> out.add("duplicated " + p));
            unknown.forEach(p -> out.add("not accepted yet found " + p));
            return out;
        }

        /** @return pairs found in the buckets, all buckets together */
        public int foundPairs() {
            return perBucket.values().stream().mapToInt(Integer::intValue).sum();
        }

        @Override
        public String toString() {
            return "accepted messages=" + acceptedMessages + " pairs=" + acceptedPairs + " refused=" + refused.size()
                    + " uncertain=" + uncertain.size() + " found=" + perBucket + " missing=" + missing.size()
                    + " duplicated=" + duplicated.size() + " unknown=" + unknown.size()
                    + (missing.isEmpty() ? "" : "\n  missing " + missing)
                    + (duplicated.isEmpty() ? "" : "\n  duplicated " + duplicated)
                    + (unknown.isEmpty() ? "" : "\n  unknown " + unknown)
                    + (refused.isEmpty() ? "" : "\n  refused " + refused)
                    + (uncertain.isEmpty() ? "" : "\n  uncertain " + uncertain);
        }
    }

    /** Builds a text message carrying {@code HEADER: id} and a unique Message-ID. */
    public static byte[] textMessage(String id, String from, List<String> to, String subject) {
        return Messages.text(from, String.join(", ", to), subject + " " + id, "load message " + id,
                HEADER + ": " + id);
    }
}
